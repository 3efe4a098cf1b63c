//! Checking how an inject presents itself: its medium, handle, standfirst and reach, and the
//! scene a big decision is staged as.

use super::*;

/// The longest social handle, `@` included (the platforms allow about 30 characters).
const MAX_HANDLE: usize = 31;

impl Checker<'_, '_> {
    /// The look of inject `inj` at path `p`: its medium (given, or its channel's) and its
    /// reach formula. Fields its medium does not show are warned about.
    pub(super) fn presentation(&mut self, p: &str, inj: &f::InjectDef) -> (Medium, Option<Formula>) {
        let medium = inj.medium.unwrap_or_else(|| inj.channel.medium());
        if !inj.handle.is_empty() {
            let body = inj.handle.strip_prefix('@').unwrap_or_default();
            let good = !body.is_empty()
                && inj.handle.chars().count() <= MAX_HANDLE
                && body.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
            if !good {
                self.err(
                    &format!("{p}.handle"),
                    format!("`{}` is not a social handle", inj.handle),
                    Some(format!(
                        "write `@` and up to {} letters, digits, `_` or `.`, e.g. \"@tanaka_k\"",
                        MAX_HANDLE - 1
                    )),
                );
            }
            if medium != Medium::Post {
                self.warn(
                    &format!("{p}.handle"),
                    format!("{} does not show a handle", medium_name(medium)),
                    Some("handles are shown on posts: set `medium: Some(Post)` or leave it out".to_owned()),
                );
            }
        }
        if !inj.standfirst.is_empty() && medium != Medium::Article {
            self.warn(
                &format!("{p}.standfirst"),
                format!("{} does not show a standfirst", medium_name(medium)),
                Some("standfirsts are shown on articles: set `medium: Some(Article)` or leave it out".to_owned()),
            );
        }
        if !inj.outlet.is_empty() && medium == Medium::Post {
            self.warn(
                &format!("{p}.outlet"),
                "a post has no masthead or letterhead: its `outlet` is not shown",
                Some("name the poster with `from` and `handle`".to_owned()),
            );
        }
        let reach = inj.reach.as_ref().and_then(|r| self.formula(&format!("{p}.reach"), r));
        if let Some(r) = &reach {
            let (_, hi) = r.range(&self.table);
            if hi < 0.0 {
                self.err(
                    &format!("{p}.reach"),
                    format!("reach `{}` is never above 0", r.source()),
                    Some("reach counts people: write a number of 0 or more, or a formula giving one".to_owned()),
                );
            }
            if !medium.shows_reach() {
                self.warn(
                    &format!("{p}.reach"),
                    format!("{} does not show its reach", medium_name(medium)),
                    Some("reach is shown on posts (reposts, likes), articles (shares) and ticket queues".to_owned()),
                );
            }
        }
        (medium, reach)
    }

    /// The stage of inject `inj` at path `p` and the condition of being prepared for it. Only
    /// a decision can be a scene, and only a scene shows whether the team is prepared.
    pub(super) fn staging(&mut self, p: &str, inj: &f::InjectDef) -> (Option<Scene>, Option<Formula>) {
        if inj.scene.is_some() && inj.options.is_empty() {
            self.err(
                &format!("{p}.scene"),
                format!("`{}` is not a decision, so it cannot be staged as a scene", inj.id),
                Some("give it `options` for the players to answer, or leave `scene` out".to_owned()),
            );
        }
        let prepared = inj.prepared.as_ref().and_then(|r| self.formula(&format!("{p}.prepared"), r));
        if prepared.is_some() && inj.scene.is_none() {
            self.warn(
                &format!("{p}.prepared"),
                "only a scene shows whether the team is prepared: this `prepared` is not shown",
                Some("stage the decision with `scene: Some(PressConference)` (or BoardRoom, Hearing)".to_owned()),
            );
        }
        (inj.scene, prepared)
    }
}

fn medium_name(m: Medium) -> &'static str {
    match m {
        Medium::Post => "a post",
        Medium::Article => "an article",
        Medium::Email => "an email",
        Medium::Chat => "a chat message",
        Medium::Tickets => "a ticket queue",
        Medium::Letter => "a letter",
        Medium::Call => "a phone call",
    }
}
