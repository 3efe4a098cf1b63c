//! The house rules, read from the source tree: no file under `src/` over 600 lines, no
//! circle between modules, no front end, server or database in the engine (its code, not
//! its comments), no `Result<_, String>` (errors are typed) and no serialisation error
//! turned into an empty text with `unwrap_or_default()`. `TTX_HOUSE_GRAPH=1 cargo test
//! --test house -- --nocapture` prints the module graphs.
//!
//! The module graph is built from the text of every file of the library (`src/main.rs`
//! is its own crate): `use crate::…`, `use super::…`, `use self::…`, relative
//! `use child::…` lines (with their `{…}` groups) and inline `crate::a::b::` / `super::a::`
//! paths, outside comments and outside a file's `#[cfg(test)]` module (tests may use
//! anything). A path to an item re-exported with `pub use` is followed to where the item
//! lives; a path up to a module's own ancestors (where it is declared: `use super::Server`
//! in `serve/ws.rs`) is not an edge.
//!
//! Circles are looked for at two grains. Folders: the top-level modules (`app`, `serve`,
//! `cli`, `i18n`, `protocol`, `files`) and the engine's folders and top-level files
//! (`sim::play`, `sim::scenario`). Files: each top-level module's files
//! (`serve::ws`, `cli::error`, `app::session`) and the engine's (`sim::play::game`); a file's
//! own sub-files are part of it, so the parts of `app::session` (a type spread over
//! sub-files that share its records) may name each other, and nothing finer is checked.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Longest file, in lines (tests in the file count).
const MAX_LINES: usize = 600;

/// Files allowed over [`MAX_LINES`] for now, each with why; remove an entry when its file
/// is split (the test fails on an entry whose file is short enough). None today.
const OVER_ALLOWED: &[&str] = &[];

/// Words the engine never mentions: it runs headless, with no front end, server or database.
const FORBIDDEN_IN_SIM: &[&str] = &["bevy", "egui", "axum", "rusqlite", "crate::app", "crate::serve", "crate::cli"];

/// `Result<_, String>` allowed under `src/`, as (file, why); the test fails on an entry
/// whose file has none. None today: errors are typed, so callers branch on them.
const STRING_ERRORS_ALLOWED: &[(&str, &str)] = &[];

/// What the screens (`src/app/screens/`) never name: they draw the engine's typed views
/// (`sim::present`), not the game or the raw scenario.
const SCREENS_NEVER: &[&str] = &["Game", "Scenario", ".game()", ".scenario()"];

/// Screens allowed one of [`SCREENS_NEVER`], as (file, word, why).
const SCREENS_ALLOWED: &[(&str, &str, &str)] = &[(
    "src/app/screens/mod.rs",
    ".game()",
    "the dispatcher hands the session's game (and each team's replica) to the engine's view builders",
)];

/// Serialisers whose error must not be swallowed: `to_string(` with an argument is serde's
/// (`.to_string()` is `Display`, which cannot fail).
const SERIALISERS: &[&str] = &["to_ron(", "to_json(", "to_string_pretty(", "to_string(&", "to_string(self"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir).expect("read dir").map(|e| e.expect("dir entry").path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root()).expect("under the root").to_string_lossy().replace('\\', "/")
}

/// Files under `src/` over [`MAX_LINES`] and not allowed, with their length.
fn over_long(files: &[(String, String)]) -> Vec<String> {
    files
        .iter()
        .filter(|(path, _)| path.starts_with("src/"))
        .map(|(path, text)| (path, text.lines().count()))
        .filter(|(path, n)| *n > MAX_LINES && !OVER_ALLOWED.contains(&path.as_str()))
        .map(|(path, n)| format!("{path}: {n} lines"))
        .collect()
}

/// The module path of a file of the library: `src/sim/play/game.rs` → `["sim", "play",
/// "game"]`, `src/serve/mod.rs` → `["serve"]`, `src/lib.rs` → `[]`.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.strip_prefix("src/").expect("under src");
    let rel = rel.strip_suffix(".rs").expect(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_owned).collect();
    if parts.last().is_some_and(|p| p == "mod" || (p == "lib" && parts.len() == 1)) {
        parts.pop();
    }
    parts
}

/// The code of a file without comments (line comments, doc comments, block comments) and,
/// unless `tests`, without its `#[cfg(test)]` module at the end.
fn code_of(text: &str, tests: bool) -> String {
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    let mut in_block = false;
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if !tests
            && t.starts_with("#[cfg(test)]")
            && lines.peek().is_some_and(|l| l.trim_start().starts_with("mod tests"))
        {
            break;
        }
        if in_block {
            if line.contains("*/") {
                in_block = false;
            }
            continue;
        }
        if t.starts_with("/*") {
            in_block = !line.contains("*/");
            continue;
        }
        let code = match line.find("//") {
            // `//` inside a string ("https://…") is rare in the engine; a line comment is not.
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// Expands a `use` tree (`a::{b, c::{d, e}}`) into its paths.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else { return vec![tree] };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').expect("closing brace")];
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts.into_iter().filter(|p| !p.is_empty()).flat_map(|p| expand(&format!("{prefix}{p}"))).collect()
}

/// A `use` tree without its renames (`a::b as c` → `a::b`).
fn without_renames(tree: &str) -> String {
    let words: Vec<&str> = tree.split_whitespace().collect();
    let mut out = String::new();
    let mut skip = 0;
    for (i, w) in words.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            // Keep what follows the new name: `as c,` or `as c}`.
            out.push_str(w.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_'));
            continue;
        }
        if *w == "as" && i > 0 {
            skip = 1;
            continue;
        }
        out.push_str(w);
    }
    out
}

/// Every path a file's code names, as written (`use` trees expanded; ` as x` dropped).
fn paths_in(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    // `use` statements (at the start of a line), possibly over several lines.
    let mut from = 0;
    while let Some(i) = code[from..].find("use ") {
        let at = from + i;
        from = at + 4;
        let line_start = code[..at].rfind('\n').map_or(0, |n| n + 1);
        let lead = code[line_start..at].trim();
        if !(lead.is_empty() || lead == "pub" || (lead.starts_with("pub(") && lead.ends_with(')'))) {
            continue;
        }
        let Some(end) = code[from..].find(';') else { break };
        paths.extend(expand(&without_renames(&code[from..from + end])));
    }
    // Inline paths: `crate::sim::a::b`, `super::a`, `super::super::a`.
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(i) = code[from..].find(start) {
            let at = from + i;
            from = at + start.len();
            if at > 0 && (code[..at].ends_with("::") || code[..at].ends_with('$')) {
                continue; // `super::super::…` is read from its first `super`; `$crate` is a macro's.
            }
            let path: String =
                code[at..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            paths.push(path.trim_end_matches(':').to_owned());
        }
    }
    paths
}

/// The library's modules and what each re-exports (`pub use`): item name → its full path.
struct Tree {
    modules: BTreeSet<Vec<String>>,
    reexports: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
}

impl Tree {
    /// Turns a path as written in module `at` into an absolute path from the crate's root,
    /// or `None` for paths outside the crate (`std::…`, `bevy::…`).
    fn absolute(&self, at: &[String], path: &str) -> Option<Vec<String>> {
        let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        let (mut base, mut i) = match segs.first() {
            Some(&"crate") => (Vec::new(), 1),
            Some(&"super") | Some(&"self") => (at.to_vec(), 0),
            Some(first) => {
                let mut child = at.to_vec();
                child.push((*first).to_owned());
                if self.modules.contains(&child) { (at.to_vec(), 0) } else { return None }
            }
            None => return None,
        };
        while let Some(&s) = segs.get(i) {
            match s {
                "super" => {
                    base.pop()?;
                }
                "self" => {}
                _ => break,
            }
            i += 1;
        }
        base.extend(segs[i..].iter().map(|s| (*s).to_owned()));
        Some(base)
    }

    /// The module an absolute path names or lives in, following re-exports.
    fn module(&self, path: &[String], hops: usize) -> Vec<String> {
        let mut len = path.len();
        while len > 0 && !self.modules.contains(&path[..len]) {
            len -= 1;
        }
        let module = path[..len].to_vec();
        if let Some(item) = path.get(len)
            && hops < 8
            && let Some(target) = self.reexports.get(&module).and_then(|r| r.get(item))
        {
            return self.module(target, hops + 1);
        }
        module
    }
}

/// How finely the module graph is drawn: each module is drawn as its ancestor at a depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grain {
    /// The crate's top-level modules (`app`, `serve`, `cli`, `i18n`, `protocol`, `files`),
    /// the engine as its folders and top-level files (`sim::play`, `sim::scenario`).
    Folders,
    /// Files: the top-level modules by their files (`serve::ws`, `app::session`), the
    /// engine by its files (`sim::play::game`); a file's own sub-files are part of it.
    Files,
}

impl Grain {
    /// The node `module` is drawn as: `sim::…` cut to 2 or 3 segments, the rest to 1 or 2
    /// (`crate` is the root).
    fn node(self, module: &[String]) -> String {
        let engine = module.first().is_some_and(|m| m == "sim");
        let depth = match self {
            Grain::Folders => 1 + usize::from(engine),
            Grain::Files => 2 + usize::from(engine),
        };
        let cut = &module[..module.len().min(depth)];
        if cut.is_empty() { "crate".to_owned() } else { cut.join("::") }
    }
}

/// The library's module graph at `grain`. An edge is a path one module names to another
/// (following re-exports to where the item lives); a module's own ancestors are where it is
/// declared, so a path up to them is not an edge.
fn graph(files: &[(String, String)], grain: Grain) -> BTreeMap<String, BTreeSet<String>> {
    let modules: Vec<(Vec<String>, String)> = files
        .iter()
        .filter(|(p, _)| p.starts_with("src/") && p != "src/main.rs")
        .filter(|(p, _)| !p.ends_with("/tests.rs"))
        .map(|(p, text)| (module_of(p), code_of(text, false)))
        .collect();
    let mut tree = Tree { modules: modules.iter().map(|(m, _)| m.clone()).collect(), reexports: BTreeMap::new() };
    for (m, code) in &modules {
        let mut map = BTreeMap::new();
        for line in code.split(';') {
            let line = line.trim();
            let Some(rest) = line.strip_prefix("pub use ").or_else(|| line.strip_prefix("pub(crate) use ")) else {
                continue;
            };
            for p in expand(rest) {
                if let Some(abs) = tree.absolute(m, &p)
                    && let Some(name) = abs.last()
                {
                    map.insert(name.clone(), abs);
                }
            }
        }
        tree.reexports.insert(m.clone(), map);
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, code) in &modules {
        let from = grain.node(m);
        let targets = edges.entry(from.clone()).or_default();
        for p in paths_in(code) {
            let Some(abs) = tree.absolute(m, &p) else { continue };
            let target = tree.module(&abs, 0);
            let ancestor = target.len() < m.len() && m.starts_with(&target);
            let to = grain.node(&target);
            if to != from && !ancestor {
                targets.insert(to);
            }
        }
    }
    edges
}

/// Every circle in `graph`, each as its nodes in order, starting from its smallest.
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut BTreeSet<Vec<String>>,
    ) {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            let min = c.iter().enumerate().min_by_key(|(_, s)| (*s).clone()).map_or(0, |(i, _)| i);
            c.rotate_left(min);
            found.insert(c);
            return;
        }
        if done.contains(n) {
            return;
        }
        stack.push(n.to_owned());
        for next in graph.get(n).into_iter().flatten() {
            visit(next, graph, stack, done, found);
        }
        stack.pop();
        done.insert(n.to_owned());
    }
    let mut found = BTreeSet::new();
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        visit(n, graph, &mut Vec::new(), &mut done, &mut found);
    }
    found.into_iter().collect()
}

fn sources() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    rust_files(&root().join("src"), &mut paths);
    paths.into_iter().map(|p| (relative(&p), fs::read_to_string(&p).expect("read source"))).collect()
}

#[test]
fn no_file_under_src_is_over_600_lines() {
    let files = sources();
    let over = over_long(&files);
    assert!(over.is_empty(), "files over {MAX_LINES} lines (split them along a seam):\n{}", over.join("\n"));
    // The allow-list only shrinks: an entry whose file is short again must go.
    for allowed in OVER_ALLOWED {
        let n = files.iter().find(|(p, _)| p == allowed).map_or(0, |(_, t)| t.lines().count());
        assert!(n > MAX_LINES, "{allowed} is {n} lines now: remove it from OVER_ALLOWED");
    }
}

#[test]
fn no_circle_between_modules() {
    let files = sources();
    for (grain, what) in [(Grain::Folders, "folders"), (Grain::Files, "files")] {
        let g = graph(&files, grain);
        for top in ["app", "serve", "cli", "i18n", "protocol", "sim::play", "sim::author"] {
            assert!(
                g.keys().any(|n| n == top || n.starts_with(&format!("{top}::"))),
                "{top} not found among the {what}: {g:?}"
            );
        }
        if std::env::var_os("TTX_HOUSE_GRAPH").is_some() {
            println!("{what}: {g:#?}");
        }
        let found = circles(&g);
        let text: Vec<String> =
            found.iter().map(|c| format!("{} → {}", c.join(" → "), c.first().expect("a node"))).collect();
        assert!(found.is_empty(), "circles between the {what}:\n{}", text.join("\n"));
    }
}

/// Every `Result<…, String>` in the code (not comments) of the files under `src/`, as
/// `file:line: text`.
fn string_errors(files: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("src/")) {
        for (n, line) in code_of(text, true).lines().enumerate() {
            let hit = line.match_indices("Result<").any(|(i, _)| {
                error_type(&line[i + "Result<".len()..]).is_some_and(|e| e == "String" || e.ends_with("::String"))
            });
            if hit {
                found.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    found
}

/// The error type of a `Result<T, E>` whose `<` was just read: `E`, the last argument at the
/// top level (`->` in a function type is not a closing `>`); None if the line ends first.
fn error_type(args: &str) -> Option<&str> {
    let (mut depth, mut last_comma, mut prev) = (0usize, None, ' ');
    for (i, c) in args.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            '>' if prev != '-' => {
                if depth == 0 {
                    return last_comma.map(|k| args[k + 1..i].trim());
                }
                depth -= 1;
            }
            ',' if depth == 0 => last_comma = Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

/// Every `unwrap_or_default()` whose expression (back to the last `;`, `{` or `}`) calls a
/// serialiser, in the files under `src/`.
fn swallowed_serialisation(files: &[(String, String)]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("src/")) {
        let code = code_of(text, true);
        for (at, _) in code.match_indices("unwrap_or_default()") {
            let start = code[..at].rfind([';', '{', '}']).map_or(0, |i| i + 1);
            let expr = &code[start..at];
            if let Some(s) = SERIALISERS.iter().find(|s| expr.contains(*s)) {
                let line = code[..at].matches('\n').count() + 1;
                found.push(format!("{path}:{line}: `{s}…unwrap_or_default()`: {}", expr.trim()));
            }
        }
    }
    found
}

#[test]
fn errors_are_typed_and_serialisation_errors_are_not_swallowed() {
    let files = sources();
    let allowed = |hit: &String| STRING_ERRORS_ALLOWED.iter().any(|(f, _)| hit.starts_with(&format!("{f}:")));
    let strings: Vec<String> = string_errors(&files).into_iter().filter(|h| !allowed(h)).collect();
    assert!(
        strings.is_empty(),
        "`Result<_, String>` under src/ (give it a typed error callers can branch on, or allow it with a reason):\n{}",
        strings.join("\n")
    );
    for (file, why) in STRING_ERRORS_ALLOWED {
        assert!(
            string_errors(&files).iter().any(|h| h.starts_with(&format!("{file}:"))),
            "{file} ({why}) has no `Result<_, String>` now: remove it from STRING_ERRORS_ALLOWED"
        );
    }
    let swallowed = swallowed_serialisation(&files);
    assert!(swallowed.is_empty(), "a serialisation error turned into an empty text:\n{}", swallowed.join("\n"));
}

/// The two readers themselves, on lines written for them: each finds what it must and
/// nothing in comments, `Display`'s `to_string()` or another error type.
#[test]
fn the_error_readers_find_string_errors_and_swallowed_serialisation() {
    let file = |text: &str| vec![("src/sim/x.rs".to_owned(), text.to_owned())];
    let bad = "fn a() -> Result<Vec<u8>, String> { todo() }\nfn b() -> Result<(), std::string::String>;\nlet c: Result<Box<dyn Fn(u8) -> u8>, String>;\n";
    assert_eq!(string_errors(&file(bad)).len(), 3, "{:?}", string_errors(&file(bad)));
    let fine = "// Result<(), String>\nfn a() -> Result<String, Error>;\nfn b() -> Result<(), Strings>;\n";
    assert!(string_errors(&file(fine)).is_empty(), "{:?}", string_errors(&file(fine)));
    let swallowing = "let a = save.to_ron().unwrap_or_default();\nlet b = serde_json::to_string(&v)\n    .ok()\n    .unwrap_or_default();\n";
    assert_eq!(swallowed_serialisation(&file(swallowing)).len(), 2, "{:?}", swallowed_serialisation(&file(swallowing)));
    let fine = "let a = save.to_ron()?;\nlet b = x.map(|v| v.to_string()).unwrap_or_default();\n// to_ron().unwrap_or_default()\n";
    assert!(swallowed_serialisation(&file(fine)).is_empty(), "{:?}", swallowed_serialisation(&file(fine)));
}

/// Where the screens name what [`SCREENS_NEVER`] lists: `file: word: line`. A type counts
/// as a whole word in a path the file names (`use crate::sim::{Game, …}`,
/// `crate::sim::Scenario`); a method as written.
fn screens_reading_the_game(files: &[(String, String)]) -> Vec<(String, &'static str, String)> {
    let mut found = Vec::new();
    for (path, text) in files.iter().filter(|(p, _)| p.starts_with("src/app/screens/")) {
        let code = code_of(text, false);
        for p in paths_in(&code) {
            let last = p.rsplit("::").next().unwrap_or_default();
            if let Some(word) = SCREENS_NEVER.iter().find(|w| **w == last) {
                found.push((path.clone(), *word, p.clone()));
            }
        }
        for line in code.lines() {
            for word in SCREENS_NEVER.iter().filter(|w| w.starts_with('.') && line.contains(**w)) {
                found.push((path.clone(), *word, line.trim().to_owned()));
            }
        }
    }
    found
}

#[test]
fn screens_draw_the_engines_views_not_the_game() {
    let files = sources();
    let found = screens_reading_the_game(&files);
    let not_allowed: Vec<String> = found
        .iter()
        .filter(|(f, w, _)| !SCREENS_ALLOWED.iter().any(|(af, aw, _)| af == f && aw == w))
        .map(|(f, w, l)| format!("{f}: `{w}`: {l}"))
        .collect();
    assert!(
        not_allowed.is_empty(),
        "screens read the game or the raw scenario (give them a view from sim::present):\n{}",
        not_allowed.join("\n")
    );
    for (file, word, why) in SCREENS_ALLOWED {
        assert!(
            found.iter().any(|(f, w, _)| f == file && w == word),
            "{file} no longer uses `{word}` ({why}): remove it from SCREENS_ALLOWED"
        );
    }
    // The reader itself, on planted lines.
    let planted = vec![(
        "src/app/screens/x.rs".to_owned(),
        "use crate::sim::{Game, present::view};\nfn f(g: &Game) -> usize {\n    g.scenario().turns.len()\n}\n"
            .to_owned(),
    )];
    let words: Vec<&str> = screens_reading_the_game(&planted).iter().map(|(_, w, _)| *w).collect();
    assert_eq!(words, vec!["Game", ".scenario()"]);
}

#[test]
fn the_engine_knows_no_front_end_server_or_database() {
    let mut found = Vec::new();
    for (path, text) in sources().iter().filter(|(p, _)| p.starts_with("src/sim/")) {
        for line in code_of(text, true).lines() {
            let lower = line.to_lowercase();
            for word in FORBIDDEN_IN_SIM.iter().filter(|w| lower.contains(*w)) {
                found.push(format!("{path}: `{word}`: {}", line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "the engine must stay headless (code, not comments):\n{}", found.join("\n"));
}

/// The graph reader itself: circles written in the test's own words are found, through a
/// `use` group, a `super::` path, a re-export and an inline `crate::` path; a child's path up
/// to its parent and a comment are not edges.
#[test]
fn the_circle_finder_finds_a_circle() {
    let files: Vec<(String, String)> = [
        ("src/lib.rs", "pub mod app;\npub mod serve;\npub mod sim;\n"),
        ("src/sim/mod.rs", "pub mod a;\npub mod b;\npub use b::thing::Item;\n"),
        ("src/sim/a.rs", "pub mod x;\n"),
        ("src/sim/a/x.rs", "use crate::sim::{Item, a::y};\n"),
        ("src/sim/a/y.rs", "// use crate::sim::b::thing;\nfn f() {}\n"),
        ("src/sim/b.rs", "pub mod thing;\n"),
        ("src/sim/b/thing.rs", "pub struct Item;\nfn f() { super::super::a::x::g() }\n"),
        ("src/app/mod.rs", "mod screen;\npub struct Settings;\n"),
        ("src/app/screen.rs", "use super::Settings;\nuse crate::serve::Server;\npub struct Session;\n"),
        ("src/serve/mod.rs", "pub struct Server;\nfn f() -> crate::app::screen::Session {\n    todo!()\n}\n"),
    ]
    .map(|(p, t)| (p.to_owned(), t.to_owned()))
    .into();
    let names = |c: &[&str]| c.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let by_file = circles(&graph(&files, Grain::Files));
    assert_eq!(by_file, vec![names(&["app::screen", "serve"]), names(&["sim::a::x", "sim::b::thing"])]);
    let folders = circles(&graph(&files, Grain::Folders));
    assert_eq!(folders, vec![names(&["app", "serve"]), names(&["sim::a", "sim::b"])]);
    // Without the back references, no circle (a comment does not count).
    let mut fixed = files.clone();
    fixed[6].1 = "pub struct Item;\n".to_owned();
    fixed[9].1 = "pub struct Server;\n".to_owned();
    assert!(circles(&graph(&fixed, Grain::Files)).is_empty());
    assert!(circles(&graph(&fixed, Grain::Folders)).is_empty());
}
