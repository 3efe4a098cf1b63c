//! Finds where a field path (`injects[4].effects[1].value`) stands in a RON file.
//!
//! serde forgets positions once a file is parsed, so semantic errors would have no
//! line:column. This small scanner walks the RON text once and records where every
//! value starts, keyed by the same paths the validator reports.

use std::collections::BTreeMap;

/// A 1-based position in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// Where a value starts and the raw text of its first token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub pos: Pos,
    /// The token as written (for strings: with quotes), to place carets precisely.
    pub raw: String,
}

/// Every value's start, by field path.
#[derive(Debug, Default)]
pub struct Locations {
    spots: BTreeMap<String, Spot>,
    /// Where each field name is written, with the path of its value.
    keys: BTreeMap<(usize, usize), String>,
}

impl Locations {
    /// Scans a RON document. Never fails: text it does not understand is skipped.
    pub fn scan(src: &str) -> Self {
        let (chars, toks) = tokenize(src);
        let mut s = Scanner {
            chars: &chars,
            toks: &toks,
            i: 0,
            out: BTreeMap::new(),
            keys: BTreeMap::new(),
            depth: 0,
            path_bytes: 0,
        };
        s.value(String::new());
        Self { spots: s.out, keys: s.keys }
    }

    /// The spot of `path`, or of its nearest recorded parent (a defaulted field is not in
    /// the file; its parent struct is).
    pub fn find(&self, path: &str) -> Option<&Spot> {
        let mut p = path;
        loop {
            if let Some(s) = self.spots.get(p) {
                return Some(s);
            }
            let cut = p.rfind(['.', '['])?;
            p = &p[..cut];
        }
    }

    /// The path of the last value that starts at or before `pos`: where a syntax error is.
    pub fn path_before(&self, pos: Pos) -> Option<&str> {
        if let Some(path) = self.keys.get(&(pos.line, pos.col)) {
            return Some(path);
        }
        let key = |p: Pos| (p.line, p.col);
        self.spots
            .iter()
            .filter(|(_, s)| key(s.pos) <= key(pos))
            .max_by_key(|(path, s)| (key(s.pos), path.len()))
            .map(|(path, _)| path.as_str())
    }

    /// The first position at or after `pos` that is not white space: parsers often report
    /// an error at the space before the faulty value.
    pub fn skip_space(src: &str, pos: Pos) -> Pos {
        let Some(line_text) = src.lines().nth(pos.line.saturating_sub(1)) else { return pos };
        let skipped = line_text.chars().skip(pos.col.saturating_sub(1)).take_while(|c| c.is_whitespace()).count();
        if pos.col.saturating_sub(1) + skipped >= line_text.chars().count() {
            pos
        } else {
            Pos { line: pos.line, col: pos.col + skipped }
        }
    }

    /// The path of the struct whose closing `)` is at or just before `pos` (where a parser
    /// reports a missing field): found by matching brackets back to its opening.
    pub fn struct_closed_at(&self, src: &str, pos: Pos) -> Option<String> {
        let (_, toks) = tokenize(src);
        let key = |p: Pos| (p.line, p.col);
        let close = toks.iter().rposition(|t| t.kind == Kind::Punct(')') && key(t.pos) <= key(pos))?;
        let mut depth = 0i32;
        let mut open = None;
        for i in (0..=close).rev() {
            match toks[i].kind {
                Kind::Punct(')' | ']' | '}') => depth += 1,
                Kind::Punct('(' | '[' | '{') => {
                    depth -= 1;
                    if depth == 0 {
                        open = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let open = open?;
        let start = if open > 0 && toks[open - 1].kind == Kind::Ident { toks[open - 1].pos } else { toks[open].pos };
        self.spots.iter().filter(|(_, s)| s.pos == start).max_by_key(|(p, _)| p.len()).map(|(p, _)| p.clone())
    }

    /// Whether exactly this path is written in the file.
    pub fn has(&self, path: &str) -> bool {
        self.spots.contains_key(path)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Ident,
    Str,
    Other,
    Punct(char),
}

/// A token: its kind, where it starts, and its text as a range of the scanned chars (no copy
/// per token: a 4 MB file of brackets is 4 million tokens).
#[derive(Debug, Clone)]
struct Tok {
    kind: Kind,
    pos: Pos,
    start: usize,
    end: usize,
}

/// Most values recorded by one scan, and most bytes of field paths: a hostile file with
/// millions of nested values is placed as far as these go, and no further.
const MAX_SPOTS: usize = 200_000;
const MAX_PATH_BYTES: usize = 16 * 1024 * 1024;
/// Deeper values are not recorded (the RON parser refuses them anyway).
const MAX_DEPTH: usize = 64;
/// Longest token text kept for a spot (formulas and texts are shorter in any real file).
const MAX_RAW_CHARS: usize = 4096;

struct Cursor {
    chars: Vec<char>,
    i: usize,
    line: usize,
    col: usize,
}

impl Cursor {
    fn at(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).copied()
    }

    fn bump(&mut self) {
        if let Some(c) = self.at(0) {
            self.i += 1;
            if c == '\n' {
                self.line += 1;
                self.col = 1;
            } else {
                self.col += 1;
            }
        }
    }

    fn done(&self) -> bool {
        self.i >= self.chars.len()
    }
}

fn tokenize(src: &str) -> (Vec<char>, Vec<Tok>) {
    let mut c = Cursor { chars: src.chars().collect(), i: 0, line: 1, col: 1 };
    let mut out = Vec::new();
    while let Some(ch) = c.at(0) {
        let pos = Pos { line: c.line, col: c.col };
        let start = c.i;
        if ch.is_whitespace() {
            c.bump();
            continue;
        }
        if ch == '/' && c.at(1) == Some('/') {
            while c.at(0).is_some_and(|x| x != '\n') {
                c.bump();
            }
            continue;
        }
        if ch == '/' && c.at(1) == Some('*') {
            let mut depth = 0usize;
            while !c.done() {
                if c.at(0) == Some('/') && c.at(1) == Some('*') {
                    depth += 1;
                    c.bump();
                    c.bump();
                } else if c.at(0) == Some('*') && c.at(1) == Some('/') {
                    depth -= 1;
                    c.bump();
                    c.bump();
                    if depth == 0 {
                        break;
                    }
                } else {
                    c.bump();
                }
            }
            continue;
        }
        let kind = if ch == '"' {
            c.bump();
            while c.at(0).is_some_and(|x| x != '"') {
                if c.at(0) == Some('\\') {
                    c.bump();
                }
                c.bump();
            }
            c.bump();
            Kind::Str
        } else if ch == 'r' && matches!(c.at(1), Some('"' | '#')) {
            c.bump();
            let mut hashes = 0;
            while c.at(0) == Some('#') {
                hashes += 1;
                c.bump();
            }
            c.bump();
            while !c.done() {
                if c.at(0) == Some('"') && (0..hashes).all(|k| c.at(1 + k) == Some('#')) {
                    for _ in 0..=hashes {
                        c.bump();
                    }
                    break;
                }
                c.bump();
            }
            Kind::Str
        } else if ch.is_alphabetic() || ch == '_' {
            while c.at(0).is_some_and(|x| x.is_alphanumeric() || x == '_') {
                c.bump();
            }
            Kind::Ident
        } else if "()[]{}:,".contains(ch) {
            c.bump();
            Kind::Punct(ch)
        } else {
            while c.at(0).is_some_and(|x| !x.is_whitespace() && !"()[]{}:,\"".contains(x)) {
                c.bump();
            }
            Kind::Other
        };
        out.push(Tok { kind, pos, start, end: c.i });
    }
    (c.chars, out)
}

impl Tok {
    fn text<'c>(&self, chars: &'c [char]) -> &'c [char] {
        &chars[self.start..self.end.min(chars.len())]
    }

    fn is_word(&self, chars: &[char], word: &str) -> bool {
        self.text(chars).iter().copied().eq(word.chars())
    }

    fn raw(&self, chars: &[char]) -> String {
        self.text(chars).iter().take(MAX_RAW_CHARS).collect()
    }
}

struct Scanner<'a> {
    chars: &'a [char],
    toks: &'a [Tok],
    i: usize,
    out: BTreeMap<String, Spot>,
    keys: BTreeMap<(usize, usize), String>,
    depth: usize,
    /// Bytes of paths recorded so far (see [`MAX_PATH_BYTES`]).
    path_bytes: usize,
}

impl Scanner<'_> {
    fn peek(&self, k: usize) -> Option<&Tok> {
        self.toks.get(self.i + k)
    }

    fn is(&self, k: usize, c: char) -> bool {
        self.peek(k).is_some_and(|t| t.kind == Kind::Punct(c))
    }

    fn full(&self) -> bool {
        self.out.len() >= MAX_SPOTS || self.path_bytes >= MAX_PATH_BYTES
    }

    fn value(&mut self, path: String) {
        if self.depth >= MAX_DEPTH {
            // Skip the whole nested value without recording it (the parser refuses it).
            self.skip_value();
            return;
        }
        self.depth += 1;
        if let Some(t) = self.peek(0)
            && !self.full()
            && !self.out.contains_key(&path)
        {
            let spot = Spot { pos: t.pos, raw: t.raw(self.chars) };
            self.path_bytes += path.len();
            self.out.insert(path.clone(), spot);
        }
        match self.peek(0).map(|t| t.kind.clone()) {
            Some(Kind::Ident) if self.is(1, '(') => {
                let transparent = self.peek(0).is_some_and(|t| t.is_word(self.chars, "Some"));
                self.i += 1;
                if transparent {
                    // Point at the wrapped value, not at `Some`.
                    self.out.remove(&path);
                    self.i += 1;
                    self.value(path);
                    self.skip_to_close(')');
                } else {
                    self.group(&path);
                }
            }
            Some(Kind::Punct('(')) => self.group(&path),
            Some(Kind::Punct('[')) => {
                self.i += 1;
                self.elements(&path, ']');
            }
            Some(Kind::Punct('{')) => {
                self.i += 1;
                self.elements(&path, '}');
            }
            Some(_) => self.i += 1,
            None => {}
        }
        self.depth -= 1;
    }

    /// A parenthesised group: a struct (`name: value, ...`) or a tuple.
    fn group(&mut self, path: &str) {
        self.i += 1;
        let is_struct = self.peek(0).is_some_and(|t| t.kind == Kind::Ident) && self.is(1, ':');
        if !is_struct {
            self.elements(path, ')');
            return;
        }
        while let Some(t) = self.peek(0) {
            if t.kind == Kind::Punct(')') {
                self.i += 1;
                return;
            }
            if t.kind == Kind::Ident && self.is(1, ':') {
                let field = t.raw(self.chars);
                let at = (t.pos.line, t.pos.col);
                self.i += 2;
                let child = if path.is_empty() { field } else { format!("{path}.{field}") };
                if !self.full() {
                    self.path_bytes += child.len();
                    self.keys.insert(at, child.clone());
                }
                self.value(child);
            } else {
                self.i += 1;
            }
            if self.is(0, ',') {
                self.i += 1;
            }
        }
    }

    fn elements(&mut self, path: &str, close: char) {
        let mut index = 0;
        while let Some(t) = self.peek(0) {
            if t.kind == Kind::Punct(close) {
                self.i += 1;
                return;
            }
            let before = self.i;
            self.value(format!("{path}[{index}]"));
            index += 1;
            if self.is(0, ':') {
                // A map entry: the value after the key.
                self.i += 1;
                self.value(format!("{path}[{}]", index - 1));
            }
            if self.is(0, ',') {
                self.i += 1;
            }
            if self.i == before {
                self.i += 1;
            }
        }
    }

    /// Steps over one value and everything nested in it, iteratively.
    fn skip_value(&mut self) {
        let mut depth = 0usize;
        while let Some(t) = self.peek(0) {
            match t.kind {
                Kind::Punct('(' | '[' | '{') => depth += 1,
                Kind::Punct(')' | ']' | '}') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                }
                Kind::Punct(',') if depth == 0 => return,
                _ => {}
            }
            self.i += 1;
            if depth == 0 && !self.is(0, '(') {
                return;
            }
        }
    }

    fn skip_to_close(&mut self, close: char) {
        while let Some(t) = self.peek(0) {
            let closing = t.kind == Kind::Punct(close);
            self.i += 1;
            if closing {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_paths() {
        let src = r##"// a comment with ( and [
Scenario(
    format: 1,
    meta: (id: "x", title: "T"),
    injects: [
        (id: "a", effects: []),
        (
            id: "b", /* note */
            effects: [(metric: "trust", value: "1"), (metric: "trsut", value: r#"2"#)],
            at: Some("t1"),
        ),
    ],
)"##;
        let l = Locations::scan(src);
        let spot = l.find("injects[1].effects[1].metric").expect("found");
        assert_eq!(spot.pos, Pos { line: 9, col: 63 });
        assert_eq!(spot.raw, "\"trsut\"");
        assert_eq!(l.find("injects[1].at").expect("found").raw, "\"t1\"");
        assert_eq!(l.find("meta.title").expect("found").pos, Pos { line: 4, col: 28 });
        // A defaulted field falls back to its struct.
        assert_eq!(l.find("injects[0].when").expect("parent").pos, Pos { line: 6, col: 9 });
        assert!(!l.has("injects[0].when"));
    }
}
