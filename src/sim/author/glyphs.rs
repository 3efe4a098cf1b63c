//! Which characters the game's bundled fonts can draw (read from the fonts by build.rs),
//! and the `ttx check` warning for scenario text that would show as blanks.

use crate::sim::author::diag::{Reporter, Severity};
use crate::sim::author::locate::Pos;

mod table {
    include!(concat!(env!("OUT_DIR"), "/drawable.rs"));
}

/// Whether the bundled fonts draw `c` (line breaks and tabs count: they are layout).
pub fn drawable(c: char) -> bool {
    let c = u32::from(c);
    if matches!(c, 0x09 | 0x0A | 0x0D) {
        return true;
    }
    table::DRAWABLE
        .binary_search_by(|&(a, b)| {
            if b < c {
                std::cmp::Ordering::Less
            } else if a > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// At most this many different characters are reported; the rest are counted.
const MAX_REPORTED: usize = 20;

/// Warns, once per character, about characters inside the string literals of `src` (a RON
/// document; comments are skipped) that no bundled font draws. One pass over the text.
pub(super) fn warn_undrawable(src: &str, rep: &mut Reporter<'_>) {
    let mut found: Vec<(char, Pos, usize)> = Vec::new();
    let mut others = 0usize;
    each_string_char(src, |c, pos| {
        if drawable(c) {
            return;
        }
        if let Some(f) = found.iter_mut().find(|f| f.0 == c) {
            f.2 += 1;
        } else if found.len() < MAX_REPORTED {
            found.push((c, pos, 1));
        } else {
            others += 1;
        }
    });
    for (c, pos, n) in found {
        let more = if n > 1 { format!(" (and {} more times)", n - 1) } else { String::new() };
        let path = rep.path_at(pos);
        rep.at(
            Severity::Warning,
            pos,
            1,
            &path,
            format!("the game's fonts cannot draw `{c}` (U+{:04X}){more}", u32::from(c)),
            Some("players would see a blank or a box: use another character, or add a font that has it".to_owned()),
        );
    }
    if others > 0 {
        let path = rep.path_at(Pos { line: 1, col: 1 });
        rep.at(
            Severity::Warning,
            Pos { line: 1, col: 1 },
            0,
            &path,
            format!("{others} more places with characters the game's fonts cannot draw"),
            None,
        );
    }
}

/// Calls `f` with every character inside a string literal of the RON text `src` and its
/// 1-based position (columns count characters). Escapes are skipped, as are comments.
fn each_string_char(src: &str, mut f: impl FnMut(char, Pos)) {
    #[derive(PartialEq)]
    enum St {
        Code,
        Str,
        Raw(usize),
        Line,
        Block(usize),
    }
    let chars: Vec<char> = src.chars().collect();
    let (mut line, mut col) = (1usize, 1usize);
    let mut st = St::Code;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        let mut step = 1;
        match st {
            St::Code => match (c, next) {
                ('"', _) => st = St::Str,
                ('/', Some('/')) => st = St::Line,
                ('/', Some('*')) => {
                    st = St::Block(1);
                    step = 2;
                }
                ('r', Some('#' | '"')) if i == 0 || !chars[i - 1].is_alphanumeric() && chars[i - 1] != '_' => {
                    let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                    if chars.get(i + 1 + hashes) == Some(&'"') {
                        st = St::Raw(hashes);
                        step = 2 + hashes;
                    }
                }
                _ => {}
            },
            St::Str => match c {
                '\\' => step = 2,
                '"' => st = St::Code,
                _ => f(c, Pos { line, col }),
            },
            St::Raw(n) => {
                if c == '"' && chars[i + 1..].iter().take(n).filter(|&&h| h == '#').count() == n {
                    st = St::Code;
                    step = 1 + n;
                } else {
                    f(c, Pos { line, col });
                }
            }
            St::Line => {
                if c == '\n' {
                    st = St::Code;
                }
            }
            St::Block(d) => match (c, next) {
                ('*', Some('/')) => {
                    st = if d == 1 { St::Code } else { St::Block(d - 1) };
                    step = 2;
                }
                ('/', Some('*')) => {
                    st = St::Block(d + 1);
                    step = 2;
                }
                _ => {}
            },
        }
        for &s in chars.iter().skip(i).take(step) {
            if s == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        i += step;
    }
}

#[cfg(test)]
mod tests {
    use super::{drawable, each_string_char};

    #[test]
    fn latin_kana_and_common_kanji_draw_and_rare_scripts_do_not() {
        for c in ['a', 'Z', '¥', '—', '“', 'あ', 'ア', '円', '被', '害', '認', '証', '。', '「', '（'] {
            assert!(drawable(c), "{c}");
        }
        // Devanagari, Thai, Hangul and a private-use character are not in the fonts.
        for c in ['क', 'ก', '한', '\u{E000}'] {
            assert!(!drawable(c), "{c}");
        }
    }

    #[test]
    fn only_string_literals_are_scanned() {
        let src = "// 한 comment\n(a: \"x한\\\"y\", /* 한 */ b: r#\"z\"한\"#)";
        let mut seen = Vec::new();
        each_string_char(src, |c, p| seen.push((c, p.line, p.col)));
        let text: String = seen.iter().map(|s| s.0).collect();
        assert_eq!(text, "x한yz\"한");
        assert_eq!((seen[1].1, seen[1].2), (2, 7));
    }

    /// Everything the game itself shows in Japanese and English, and every bundled
    /// scenario, can be drawn.
    #[test]
    fn the_games_own_texts_and_bundled_scenarios_draw() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/");
        let mut files: Vec<String> =
            ["en/game.ftl", "en/app.ftl", "ja/game.ftl", "ja/app.ftl"].map(|f| format!("assets/i18n/{f}")).into();
        for e in std::fs::read_dir(format!("{dir}scenarios")).expect("scenarios/") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "ron") {
                files.push(p.display().to_string());
            }
        }
        for f in files {
            let path = if f.starts_with('/') { f.clone() } else { format!("{dir}{f}") };
            let text = std::fs::read_to_string(&path).expect("readable");
            let bad: Vec<char> = text.chars().filter(|c| !drawable(*c) && !c.is_whitespace()).collect();
            assert!(bad.is_empty(), "{f}: {bad:?}");
        }
    }
}
