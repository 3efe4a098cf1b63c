//! The server's clocks: turn timers and votes ended every quarter second (and sessions set
//! aside tried again), and sessions past `--keep-days` deleted once an hour.

use super::{Server, Shared};

/// Ends the turns whose timer ran out, every quarter second. A failure is logged and the
/// timer tried again: a turn never ends without its steps on disk.
pub(super) async fn keep_time(shared: Shared) {
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(250));
    loop {
        tick.tick().await;
        let mut server = shared.lock().await;
        // The timer's steps are written on their own, after whatever is in the open group.
        server.settle();
        let now = super::now_ms();
        server.retry_set_aside(now);
        let Server { store, sessions, .. } = &mut *server;
        for w in sessions.values_mut() {
            if let Err(e) = w.expire(store, now) {
                eprintln!("ttx serve: session {}: the turn timer could not end the turn: {e}", w.id);
            }
        }
        // Votes whose time is up end in one group, answered like any step.
        if sessions.values().any(|w| w.teams.iter().any(|t| t.table.open_votes().next().is_some())) {
            if let Err(e) = store.begin_group() {
                eprintln!("ttx serve: the votes could not be ended: {e}");
                continue;
            }
            for w in sessions.values_mut() {
                if let Err(e) = w.close_votes(store, now) {
                    eprintln!("ttx serve: session {}: a vote could not end: {e}", w.id);
                }
            }
            server.settle();
        }
    }
}

/// Deletes sessions past `--keep-days` once an hour.
pub(super) async fn expire_hourly(shared: Shared, keep_days: u32) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3_600));
    loop {
        tick.tick().await;
        if let Err(e) = shared.lock().await.expire(keep_days, super::now_ms()) {
            eprintln!("ttx serve: old sessions could not be deleted: {e}");
        }
    }
}
