//! Logging clients' malformed or hostile messages within budgets (per connection and
//! server-wide), quoting their text so that it cannot forge log lines.

use super::workshop::{Refused, Role};
use crate::protocol::Code;

/// How many of one connection's malformed or hostile messages are logged; past that, one
/// line says the rest are not (a flood cannot fill the log).
const LOGGED_PER_CONNECTION: u32 = 5;
/// How many misuse lines the whole server logs in a minute (reconnecting does not reset it).
const LOGGED_PER_MINUTE: u32 = 60;
/// How much of a client's text a log line quotes, in characters.
const LOGGED_CHARS: usize = 200;

/// The server-wide budget of misuse lines: `LOGGED_PER_MINUTE` a minute, then one line
/// saying the rest of that minute's are not logged.
#[derive(Debug, Default)]
pub struct LogBudget {
    /// The minute's start (ms) and the lines asked for within it.
    window: (i64, u32),
}

/// What the budget allows for one more line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    Line,
    /// The budget is spent: this line says so.
    LastWord,
    Nothing,
}

impl LogBudget {
    pub fn allow(&mut self, now_ms: i64) -> Allowed {
        if now_ms.saturating_sub(self.window.0) >= 60_000 {
            self.window = (now_ms, 0);
        }
        self.window.1 = self.window.1.saturating_add(1);
        match self.window.1.cmp(&(LOGGED_PER_MINUTE + 1)) {
            std::cmp::Ordering::Less => Allowed::Line,
            std::cmp::Ordering::Equal => Allowed::LastWord,
            std::cmp::Ordering::Greater => Allowed::Nothing,
        }
    }
}

static LOG_BUDGET: std::sync::Mutex<LogBudget> = std::sync::Mutex::new(LogBudget { window: (0, 0) });

/// Logs a server line within the server-wide budget of misuse lines.
pub(super) fn log_line(line: &str, now_ms: i64) {
    match LOG_BUDGET.lock().map_or(Allowed::Nothing, |mut b| b.allow(now_ms)) {
        Allowed::Line => eprintln!("{line}"),
        Allowed::LastWord => eprintln!("ttx serve: more refused messages this minute, not logged"),
        Allowed::Nothing => {}
    }
}

/// A client's text as a log line may quote it: control characters (newlines, terminal
/// escapes) escaped, at most `LOGGED_CHARS` characters, so a client cannot forge lines.
fn quoted(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().take(LOGGED_CHARS) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if text.chars().nth(LOGGED_CHARS).is_some() {
        out.push('…');
    }
    out
}

/// A connection's malformed or hostile messages, logged (to stderr) within a budget.
pub struct Misuse<'a> {
    session: &'a str,
    role: Role,
    pub(super) logged: u32,
}

impl<'a> Misuse<'a> {
    pub fn new(session: &'a str, role: Role) -> Self {
        Self { session, role, logged: 0 }
    }

    /// Logs one misuse and returns the line written, if the budgets allowed one.
    pub(super) fn log(&mut self, what: &str) -> Option<String> {
        let who = match self.role {
            Role::Facilitator => "the facilitator".to_owned(),
            Role::Team(k) => format!("team {}", k + 1),
        };
        let here = self.logged;
        self.logged = self.logged.saturating_add(1);
        if here > LOGGED_PER_CONNECTION {
            return None;
        }
        let everywhere = LOG_BUDGET.lock().map_or(Allowed::Nothing, |mut b| b.allow(super::now_ms()));
        let line = match (everywhere, here < LOGGED_PER_CONNECTION) {
            (Allowed::Nothing, _) => return None,
            (Allowed::LastWord, _) => "ttx serve: more refused messages this minute, not logged".to_owned(),
            (Allowed::Line, true) => format!("ttx serve: session {}, {who}: refused: {}", self.session, quoted(what)),
            (Allowed::Line, false) => {
                format!("ttx serve: session {}, {who}: more refused messages, not logged", self.session)
            }
        };
        eprintln!("{line}");
        Some(line)
    }

    /// A refusal worth logging: a message no honest client sends (a game's own refusals,
    /// like a turn another player already ended, are not).
    pub(super) fn refused(&mut self, why: &Refused) -> Option<String> {
        if matches!(
            why.code,
            Code::TooLong | Code::NotARequest | Code::OwnTeam | Code::FacilitatorOnly | Code::NoTeam | Code::WhichTeam
        ) {
            self.log(&why.message)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client's text is quoted in a log line with its control characters escaped and cut
    /// short, so it cannot forge lines; the server-wide budget allows a minute's lines, one
    /// that says the rest are not logged, then nothing until the next minute.
    #[test]
    fn log_lines_quote_safely_and_the_server_wide_budget_holds() {
        let forged = "x\nttx serve: 10.0.0.1 sent 20 wrong links\u{1b}[2J";
        let q = quoted(forged);
        assert!(!q.contains('\n') && !q.contains('\u{1b}'), "{q}");
        assert!(q.contains("\\n") && q.contains("\\u{1b}"), "{q}");
        let long = "é".repeat(5_000);
        let q = quoted(&long);
        assert_eq!(q.chars().count(), LOGGED_CHARS + 1, "cut, with an ellipsis");
        assert!(q.ends_with('…'));
        let mut budget = LogBudget::default();
        let t0 = 1_000_000;
        for k in 0..LOGGED_PER_MINUTE {
            assert_eq!(budget.allow(t0 + i64::from(k)), Allowed::Line);
        }
        assert_eq!(budget.allow(t0 + 100), Allowed::LastWord);
        assert_eq!(budget.allow(t0 + 200), Allowed::Nothing);
        assert_eq!(budget.allow(t0 + 59_999), Allowed::Nothing);
        assert_eq!(budget.allow(t0 + 60_000), Allowed::Line, "a new minute");
    }
}
