//! Group commit: the steps written in the open group (one SQLite transaction) are committed
//! together, then announced and acknowledged; a group that fails to commit is undone.

use std::sync::Arc;

use super::error::RebuildError;
use super::{Server, Shared};

impl Server {
    /// Commits the open group of steps, then announces them and tells the requests that
    /// waited; if the commit fails, the games go back to what is stored and the requests are
    /// told their steps were not saved.
    pub fn settle(&mut self) {
        if !self.store.in_group() && self.waiting.is_empty() {
            return;
        }
        let outcome = self.store.commit_group();
        match &outcome {
            Ok(()) => {
                for w in self.sessions.values_mut().filter(|w| w.holds()) {
                    w.announce_held();
                }
            }
            Err(e) => {
                eprintln!("ttx serve: {e}: the steps of that moment are undone");
                let mut lost = Vec::new();
                for w in self.sessions.values_mut().filter(|w| w.holds()) {
                    let restored = match self.store.load_session(&w.id) {
                        Ok(Some(stored)) => w.restore(stored),
                        Ok(None) => Err(RebuildError::Gone),
                        Err(e) => Err(e.into()),
                    };
                    if let Err(why) = restored {
                        lost.push((w.id.clone(), format!("it could not be restored after a failed write: {why}")));
                    }
                }
                // A game that no longer matches the database is not played on (until it can
                // be read again: see `retry_set_aside`).
                for (id, why) in lost {
                    self.unplay(&id);
                    self.put_aside(id, why, true);
                }
            }
        }
        let told = outcome.map_err(Arc::new);
        for waiter in self.waiting.drain(..) {
            let _ = waiter.send(told.clone());
        }
    }
}

/// Commits the open group of steps whenever a request has added to it. Requests that queue
/// for the lock meanwhile go first, so they join the group this commit writes.
pub(super) async fn commit_groups(shared: Shared, wake: Arc<tokio::sync::Notify>) {
    loop {
        wake.notified().await;
        shared.lock().await.settle();
    }
}
