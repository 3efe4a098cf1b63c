//! The game's own texts in English and Japanese: Fluent messages under `assets/i18n/`, and
//! numbers, money and durations written the way each language writes them.
//!
//! Scenario texts are not here: a scenario carries its translations itself
//! (`translations:` in the format, see `sim::author::translate`). No Bevy: the engine's views, the
//! after-action report and the CLI read the same messages as the game's screens.

use std::fmt;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// A language of the game's own texts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "ja")]
    Ja,
}

impl Lang {
    /// Every language the game speaks, in picker order.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The BCP 47 tag: "en", "ja".
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The language's name in itself, for the picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// The language of a BCP 47 tag or a POSIX locale ("ja", "ja-JP", "ja_JP.UTF-8",
    /// "EN-us"); `None` for a language the game does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_', '.', '@']).next().unwrap_or_default();
        Lang::ALL.into_iter().find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// The first language of `preferred` (most wanted first) the game speaks, else English.
    pub fn pick<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }

    /// The messages of this language.
    pub fn tr(self) -> &'static Tr {
        let all = BUNDLES.get_or_init(|| Lang::ALL.map(Tr::load));
        &all[self as usize]
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// The message files of each language, embedded: the same bytes native and in WASM.
const SOURCES: [(Lang, &[(&str, &str)]); 2] = [
    (
        Lang::En,
        &[
            ("en/game.ftl", include_str!("../assets/i18n/en/game.ftl")),
            ("en/app.ftl", include_str!("../assets/i18n/en/app.ftl")),
        ],
    ),
    (
        Lang::Ja,
        &[
            ("ja/game.ftl", include_str!("../assets/i18n/ja/game.ftl")),
            ("ja/app.ftl", include_str!("../assets/i18n/ja/app.ftl")),
        ],
    ),
];

static BUNDLES: OnceLock<[Tr; 2]> = OnceLock::new();

/// The messages of one language, with English behind it for anything missing.
pub struct Tr {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl fmt::Debug for Tr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tr").field("lang", &self.lang).finish_non_exhaustive()
    }
}

/// A value for a message's `{ $name }`: text, or a number (for plural forms).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Number(f64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(v.to_owned())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(v.clone())
    }
}
impl From<f64> for Arg {
    fn from(v: f64) -> Self {
        Arg::Number(v)
    }
}
macro_rules! arg_from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Self {
                Arg::Number(v as f64)
            }
        }
    )*};
}
arg_from_int!(u8, u16, u32, u64, usize, i32, i64);

/// A message in a language: `t![tr, "unit-days", n = 2]` is `tr.text("unit-days", &[("n", 2.into())])`.
#[macro_export]
macro_rules! t {
    ($tr:expr, $key:literal) => {
        $tr.text($key, &[])
    };
    ($tr:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $tr.text($key, &[$((stringify!($name), $crate::i18n::Arg::from($value))),+])
    };
}

impl Tr {
    fn load(lang: Lang) -> Tr {
        let mut bundle = FluentBundle::new_concurrent(vec![lang.tag().parse().unwrap_or_default()]);
        // egui has no bidi support: Fluent's isolation marks would show as boxes.
        bundle.set_use_isolating(false);
        for (name, lang_sources) in SOURCES {
            if name != lang && name != Lang::En {
                continue;
            }
            for (_, text) in lang_sources {
                // A broken entry is left out (the tests check there are none); its message
                // then falls back to English or to its key.
                let res = FluentResource::try_new((*text).to_owned()).unwrap_or_else(|(partial, _)| partial);
                if name == lang {
                    bundle.add_resource_overriding(res);
                } else {
                    // English fills what this language lacks, without replacing anything.
                    let _ = bundle.add_resource(res);
                }
            }
        }
        Tr { lang, bundle }
    }

    /// The language these messages are in.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The message `key` with `args` filled in; the key itself if no language has it.
    pub fn text(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_owned();
        };
        let mut fargs = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            match value {
                Arg::Text(s) => fargs.set(*name, FluentValue::from(s.as_str())),
                Arg::Number(n) => fargs.set(*name, FluentValue::from(*n)),
            }
        }
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, Some(&fargs), &mut errors).into_owned()
    }

    /// A number with `decimals` places and thousands separators ("38,615,473"): both
    /// languages group by three with a comma (see [`number`]).
    pub fn number(&self, value: f64, decimals: u8) -> String {
        number(value, decimals)
    }

    /// An amount of money: "38,615,473 JPY" in English, "38,615,473円" in Japanese.
    pub fn money(&self, value: f64, currency: &str) -> String {
        let n = self.number(value, 0);
        match (self.lang, currency) {
            (Lang::Ja, "JPY" | "yen" | "¥" | "円") => format!("{n}円"),
            _ => format!("{n} {currency}"),
        }
    }

    /// A duration: hours below a day, days otherwise ("6 h", "1.5 d"; "6時間", "1.5日").
    pub fn days(&self, days: f64) -> String {
        let trimmed = |v: f64| {
            let s = format!("{v:.1}");
            s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
        };
        if days > 0.0 && days < 1.0 {
            t!(self, "unit-hours", n = trimmed(days * 24.0))
        } else {
            t!(self, "unit-days", n = trimmed(days))
        }
    }

    /// A quantity with its unit: "¥38,615,473" / "38,615,473円", "72%", "808 users".
    pub fn quantity(&self, value: f64, measure: Measure<'_>) -> String {
        let number = self.number(value, measure.decimals);
        match (self.lang, measure.unit) {
            (_, "") => number,
            (_, "%") => format!("{number}%"),
            (Lang::Ja, "yen" | "¥" | "円") => format!("{number}円"),
            (_, "yen" | "¥") => format!("¥{number}"),
            (Lang::Ja, unit) => format!("{number}{unit}"),
            (_, unit) => format!("{number} {unit}"),
        }
    }

    /// A number with its sign ("+3", "-1.5").
    pub fn signed(&self, value: f64, decimals: u8) -> String {
        format!("{}{}", if value > 0.0 { "+" } else { "" }, self.number(value, decimals))
    }
}

/// How a quantity is written: its decimal places and its unit ("", "%", "yen", "users").
/// Plain values, so that anything with a unit (a scenario's metric, say) can be written
/// without this module knowing what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure<'a> {
    pub decimals: u8,
    pub unit: &'a str,
}

/// A number with `decimals` places and thousands separators ("38,615,473", "-1,234.5"); no
/// minus sign on a value that rounds to zero. The same in every language the game speaks.
pub fn number(value: f64, decimals: u8) -> String {
    let s = format!("{:.*}", decimals as usize, value.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), None), |(a, b)| (a, Some(b)));
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(frac) = frac {
        out.push('.');
        out.push_str(frac);
    }
    let negative = value < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0');
    if negative { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use fluent_bundle::FluentResource;
    use fluent_syntax::ast::Entry;

    use super::{Lang, Measure, SOURCES, number};

    fn ids(lang: Lang) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (l, files) in SOURCES {
            if l != lang {
                continue;
            }
            for (name, text) in files {
                let res = match FluentResource::try_new((*text).to_owned()) {
                    Ok(r) => r,
                    Err((_, errors)) => panic!("{name}: {errors:?}"),
                };
                for entry in res.entries() {
                    if let Entry::Message(m) = entry {
                        assert!(out.insert(m.id.name.to_owned()), "{name}: `{}` twice", m.id.name);
                        assert!(m.value.is_some(), "{name}: `{}` has no value", m.id.name);
                    }
                }
            }
        }
        out
    }

    /// Every `t!(…, "key"` in the sources, with the file it is in.
    fn used_keys() -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src is readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("readable");
                    for (i, _) in text.match_indices("t!(") {
                        if i > 0 && text[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                            continue; // e.g. `print!(`, `assert!(`
                        }
                        // The key is the first literal after the translator: `t!(tr, "key"`.
                        let rest = &text[i..];
                        let Some(open) = rest.find('"') else { continue };
                        if rest[..open].contains(';') {
                            continue;
                        }
                        let key: String = rest[open + 1..].chars().take_while(|c| *c != '"').collect();
                        let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
                        let comment = text[line_start..i].trim_start().starts_with("//");
                        let id = key.starts_with(|c: char| c.is_ascii_lowercase())
                            && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
                        if id && !comment {
                            out.push((key, path.display().to_string()));
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let en = ids(Lang::En);
        let ja = ids(Lang::Ja);
        let only_en: Vec<_> = en.difference(&ja).collect();
        let only_ja: Vec<_> = ja.difference(&en).collect();
        assert!(only_en.is_empty(), "no Japanese for: {only_en:?}");
        assert!(only_ja.is_empty(), "Japanese but no English for: {only_ja:?}");
    }

    #[test]
    fn every_message_is_used_and_every_used_key_exists() {
        let en = ids(Lang::En);
        let used = used_keys();
        let missing: Vec<_> = used.iter().filter(|(k, _)| !en.contains(k)).collect();
        assert!(missing.is_empty(), "keys used but not in assets/i18n/en: {missing:?}");
        let used: BTreeSet<_> = used.into_iter().map(|(k, _)| k).collect();
        let unused: Vec<_> = en.iter().filter(|k| !used.contains(*k)).collect();
        assert!(unused.is_empty(), "messages no code uses: {unused:?}");
    }

    #[test]
    fn tags_and_locales_pick_a_language() {
        assert_eq!(Lang::from_tag("ja-JP"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::from_tag("EN-us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("fr"), None);
        assert_eq!(Lang::pick(["fr-FR", "ja", "en"]), Lang::Ja);
        assert_eq!(Lang::pick([]), Lang::En);
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(38_615_473.0, 0), "38,615,473");
        assert_eq!(number(-1234.5, 1), "-1,234.5");
        assert_eq!(number(999.0, 0), "999");
        assert_eq!(number(-0.01, 0), "0");
        assert_eq!(number(0.5, 2), "0.50");
    }

    #[test]
    fn quantities_per_language() {
        let (en, ja) = (Lang::En.tr(), Lang::Ja.tr());
        let yen = Measure { decimals: 0, unit: "yen" };
        assert_eq!(en.quantity(38_615_473.0, yen), "¥38,615,473");
        assert_eq!(ja.quantity(38_615_473.0, yen), "38,615,473円");
        assert_eq!(en.quantity(72.0, Measure { decimals: 0, unit: "%" }), "72%");
        assert_eq!(en.quantity(808.0, Measure { decimals: 0, unit: "users" }), "808 users");
        assert_eq!(ja.quantity(808.0, Measure { decimals: 0, unit: "人" }), "808人");
        assert_eq!(en.quantity(1234.56, Measure { decimals: 1, unit: "" }), "1,234.6");
    }

    #[test]
    fn money_days_and_plurals_per_language() {
        let (en, ja) = (Lang::En.tr(), Lang::Ja.tr());
        assert_eq!(en.money(38_615_473.0, "JPY"), "38,615,473 JPY");
        assert_eq!(ja.money(38_615_473.0, "JPY"), "38,615,473円");
        assert_eq!(en.days(0.25), "6 h");
        assert_eq!(ja.days(0.25), "6時間");
        assert_eq!(ja.days(1.5), "1.5日");
        // No bidi isolation marks: egui would draw them as boxes.
        assert!(!t!(en, "unit-days", n = "2").contains('\u{2068}'));
        assert_eq!(en.text("no-such-message", &[]), "no-such-message");
    }
}
