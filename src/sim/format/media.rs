//! Where an inject comes from ([`Channel`]), how it looks on screen ([`Medium`]) and, for a
//! big moment, the stage its decision is taken on ([`Scene`]).

use serde::{Deserialize, Serialize};

/// Where an inject reaches the players.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Channel {
    News,
    SocialMedia,
    StoreStaff,
    SupportDesk,
    Press,
    Regulator,
    Internal,
}

impl Channel {
    /// The name shown to players.
    pub fn label(self) -> &'static str {
        match self {
            Self::News => "News",
            Self::SocialMedia => "Social media",
            Self::StoreStaff => "Store staff",
            Self::SupportDesk => "Support desk",
            Self::Press => "Press",
            Self::Regulator => "Regulator",
            Self::Internal => "Internal",
        }
    }

    /// How an inject of this channel looks when its scenario does not say.
    pub fn medium(self) -> Medium {
        match self {
            Self::News => Medium::Article,
            Self::SocialMedia => Medium::Post,
            Self::StoreStaff => Medium::Chat,
            Self::SupportDesk => Medium::Tickets,
            Self::Press => Medium::Call,
            Self::Regulator => Medium::Letter,
            Self::Internal => Medium::Email,
        }
    }
}

/// The form an inject takes on screen, whatever its channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
pub enum Medium {
    /// A social media post: author, handle, time, reposts and likes.
    Post,
    /// A news article: masthead, headline, standfirst.
    #[default]
    Article,
    /// An internal email: from, to, subject.
    Email,
    /// A chat message, e.g. from a store's staff.
    Chat,
    /// A support desk's ticket queue, with its count.
    Tickets,
    /// A formal letter: letterhead, subject line, signature.
    Letter,
    /// A phone call: the caller and what they say.
    Call,
}

impl Medium {
    /// Whether this look shows an inject's `reach` (as reposts, shares or open tickets).
    pub fn shows_reach(self) -> bool {
        matches!(self, Self::Post | Self::Article | Self::Tickets)
    }
}

/// The stage a decision is taken on when the scenario marks it as a big moment: it opens as
/// a staged screen instead of a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Scene {
    /// A press conference: podium, microphones, cameras; the press asks.
    PressConference,
    /// A board meeting: the long table, the board asks for a recommendation.
    BoardRoom,
    /// A hearing before a regulator or a committee: the bench asks, the witness answers.
    Hearing,
}
