//! The game's fonts: Latin, Greek and Cyrillic text, monospace and a few symbols built in
//! (subsets of egui's own fonts, a fifth of their size), plus a Japanese fallback that the
//! desktop embeds and the browser downloads only when the player's language or a scenario
//! needs it.

use std::sync::Arc;

use bevy_egui::egui::{self, FontData, FontDefinitions, FontFamily};

use crate::app::session::Session;
use crate::i18n::Lang;

const TEXT: &[u8] = include_bytes!("../../assets/fonts/ubuntu-light-subset.ttf");
const MONO: &[u8] = include_bytes!("../../assets/fonts/hack-subset.ttf");
const SYMBOLS: &[u8] = include_bytes!("../../assets/fonts/noto-emoji-subset.ttf");
const ICONS: &[u8] = include_bytes!("../../assets/fonts/emoji-icon-subset.ttf");

/// Where the browser build finds the Japanese font, relative to the page.
pub const CJK_URL: &str = "fonts/cjk-subset.otf";

/// The Japanese fallback font, when it is part of the binary (the desktop).
pub fn cjk_embedded() -> Option<&'static [u8]> {
    #[cfg(not(target_arch = "wasm32"))]
    return Some(include_bytes!("../../assets/fonts/cjk-subset.otf"));
    #[cfg(target_arch = "wasm32")]
    return None;
}

/// The font set: the built-in fonts, then `cjk` as a fallback for what they lack.
pub fn definitions(cjk: Option<FontData>) -> FontDefinitions {
    let mut defs = FontDefinitions::empty();
    for (name, bytes) in [("text", TEXT), ("mono", MONO), ("symbols", SYMBOLS), ("icons", ICONS)] {
        defs.font_data.insert(name.into(), Arc::new(FontData::from_static(bytes)));
    }
    let mut proportional = vec!["text", "symbols", "icons"];
    let mut monospace = vec!["mono", "text", "symbols", "icons"];
    if let Some(cjk) = cjk {
        defs.font_data.insert("cjk".into(), Arc::new(cjk));
        proportional.push("cjk");
        monospace.push("cjk");
    }
    let names = |v: Vec<&str>| v.into_iter().map(String::from).collect();
    defs.families.insert(FontFamily::Proportional, names(proportional));
    defs.families.insert(FontFamily::Monospace, names(monospace));
    defs
}

/// Whether `text` has characters only the Japanese fallback draws (kana, CJK ideographs,
/// full-width forms, CJK punctuation).
pub fn needs_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(u32::from(c),
            0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
    })
}

/// Whether the game's own texts in `lang` need the Japanese fallback.
pub fn lang_needs_cjk(lang: Lang) -> bool {
    match lang {
        Lang::Ja => true,
        Lang::En => false,
    }
}

/// Whether what the screens show of `session`, beyond its messages, needs the Japanese
/// fallback: the player's language, the listed scenarios' titles, the game's scenario in the
/// language it is played in, the kept teams' names. A scenario's translations into other
/// languages do not count: they are not shown.
pub fn session_needs_cjk(session: &Session) -> bool {
    let game =
        session.scenario().is_some_and(|sc| crate::sim::author::translate::slots(sc).iter().any(|(_, t)| needs_cjk(t)));
    // A workshop player's views: their texts, as the server wrote them.
    let views = session.live().is_some_and(|l| {
        l.briefing().is_some_and(|b| needs_cjk(&b.title) || needs_cjk(&b.summary))
            || l.view().is_some_and(|v| needs_cjk(&v.turn.scenario_title) || needs_cjk(&v.turn.turn_label))
    });
    lang_needs_cjk(session.settings().lang)
        || game
        || views
        || session.catalog().iter().any(|e| {
            let (title, summary) = e.shown(session.settings().lang.tag());
            needs_cjk(title) || needs_cjk(summary)
        })
        || session.results().iter().any(|b| b.save.team.as_deref().is_some_and(needs_cjk))
}

/// Whether a notice or a scenario's errors on screen need the Japanese fallback.
pub fn messages_need_cjk(session: &Session) -> bool {
    let errors = session.errors().is_some_and(|e| {
        needs_cjk(&e.title)
            || e.diagnostics.iter().any(|d| needs_cjk(&d.message) || d.source_line.as_deref().is_some_and(needs_cjk))
    });
    errors || session.notice().is_some_and(needs_cjk)
}

/// The font set for tests and the first frame: the desktop's, Japanese included.
pub fn default_definitions() -> FontDefinitions {
    definitions(cjk_embedded().map(FontData::from_static))
}

/// Whether `bytes` start like a TrueType or OpenType font (egui panics on anything else,
/// e.g. an HTML error page a static server sends with status 200).
pub fn looks_like_font(bytes: &[u8]) -> bool {
    matches!(bytes.get(..4), Some(b"OTTO" | b"true" | [0, 1, 0, 0]))
}

/// Installs the fonts on `ctx`, adding the Japanese fallback when `cjk` arrives later.
/// Returns false (and keeps the built-in fonts) if `cjk` is not a font.
pub fn install(ctx: &egui::Context, cjk: Option<Vec<u8>>) -> bool {
    let cjk = match (cjk_embedded(), cjk) {
        (Some(bytes), _) => Some(FontData::from_static(bytes)),
        (None, Some(bytes)) if looks_like_font(&bytes) => Some(FontData::from_owned(bytes)),
        (None, Some(_)) => {
            ctx.set_fonts(definitions(None));
            return false;
        }
        (None, None) => None,
    };
    ctx.set_fonts(definitions(cjk));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_text_needs_the_fallback_and_latin_does_not() {
        assert!(needs_cjk("セブン・ペイ"));
        assert!(needs_cjk("不正利用"));
        assert!(!needs_cjk("Crédit — ¥38,615,473 → Ωμέγα, Привет ✔"));
    }

    #[test]
    fn japanese_players_need_the_fallback() {
        assert!(lang_needs_cjk(Lang::Ja));
        assert!(!lang_needs_cjk(Lang::En));
    }

    #[test]
    fn only_what_is_shown_asks_for_the_japanese_font() {
        use crate::app::session::News;
        use crate::app::{Intent, Screen};
        let mut s = Session::new(None);
        s.handle(Intent::SetLang(Lang::En), Screen::Title);
        // 7pay carries a Japanese translation, but it is played in English here.
        assert!(!session_needs_cjk(&s) && !messages_need_cjk(&s));
        s.handle(Intent::NewGame(0), Screen::Title);
        assert!(!session_needs_cjk(&s));
        s.handle(Intent::SetLang(Lang::Ja), Screen::Playing);
        assert!(session_needs_cjk(&s));
        s.handle(Intent::SetLang(Lang::En), Screen::Playing);
        let text = include_str!("../../scenarios/clinic-ransomware.ron");
        let japanese = text.replacen("title: \"", "title: \"診療所 ", 1);
        s.handle(Intent::OpenText { name: "ja.ron".into(), text: japanese }, Screen::Playing);
        assert!(session_needs_cjk(&s), "a Japanese title");
        s.news(News::Notice("「ja.ron」".into()), Screen::Playing);
        assert!(messages_need_cjk(&s));
    }

    #[test]
    fn only_font_files_are_installed() {
        assert!(looks_like_font(include_bytes!("../../assets/fonts/cjk-subset.otf")));
        assert!(looks_like_font(include_bytes!("../../assets/fonts/hack-subset.ttf")));
        assert!(!looks_like_font(b"<!doctype html><html>"));
        assert!(!looks_like_font(b""));
    }

    #[test]
    fn every_family_has_fonts_that_exist() {
        let defs = default_definitions();
        for family in [FontFamily::Proportional, FontFamily::Monospace] {
            let list = &defs.families[&family];
            assert!(list.len() >= 4, "{family:?}: {list:?}");
            assert!(list.iter().all(|name| defs.font_data.contains_key(name)), "{family:?}: {list:?}");
        }
    }
}
