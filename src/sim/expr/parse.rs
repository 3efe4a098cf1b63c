//! The formula parser: a lexer, then recursive descent straight to bytecode, with the
//! scenario's names resolved and every limit (length, depth, operations, stack) checked.

use super::{
    Bin, Formula, FormulaError, Fun1, Ins, MAX_DEPTH, MAX_LEN, MAX_OPS, NameKind, Names, STACK, bin, flag, fun1,
};

// ---------------------------------------------------------------------------------------
// Lexer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Sym(&'static str),
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    at: usize,
}

const SYMBOLS: [&str; 20] =
    ["<=", ">=", "==", "!=", "&&", "||", "<", ">", "+", "-", "*", "/", "%", "^", "!", "(", ")", ",", ".", "="];

fn lex(src: &str) -> Result<Vec<Token>, FormulaError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)) {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'_' || bytes[i] == b'.') {
                i += 1;
            }
            if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
                i += 1;
                if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
                    i += 1;
                }
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let text: String = src[start..i].chars().filter(|&c| c != '_').collect();
            let value: f64 =
                text.parse().map_err(|_| FormulaError::new(start, format!("`{}` is not a number", &src[start..i])))?;
            if !value.is_finite() {
                return Err(FormulaError::new(start, "number too large").hint("numbers must be below 1.8e308"));
            }
            out.push(Token { tok: Tok::Num(value), at: start });
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            out.push(Token { tok: Tok::Ident(src[start..i].to_owned()), at: start });
        } else {
            let rest = &src[i..];
            let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
                let ch = rest.chars().next().unwrap_or('?');
                return Err(FormulaError::new(i, format!("unexpected character `{ch}`"))
                    .hint("formulas use numbers, names, + - * / % ^, comparisons, && || ! and function calls"));
            };
            if *sym == "=" {
                return Err(FormulaError::new(i, "`=` is not an operator").hint("compare with `==`"));
            }
            out.push(Token { tok: Tok::Sym(sym), at: i });
            i += sym.len();
        }
    }
    out.push(Token { tok: Tok::End, at: src.len() });
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Parser: recursive descent straight to bytecode.
//
// expr    := or
// or      := and ( ("||" | "or") and )*
// and     := cmp ( ("&&" | "and") cmp )*
// cmp     := sum ( ("<" | "<=" | ">" | ">=" | "==" | "!=") sum )?
// sum     := product ( ("+" | "-") product )*
// product := unary ( ("*" | "/" | "%") unary )*
// unary   := ("-" | "!" | "not") unary | power
// power   := atom ( "^" unary )?
// atom    := number | "true" | "false" | name | call | "(" expr ")"
// call    := name "(" [ expr ( "," expr )* ] ")"

struct Parser<'a> {
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
    code: Vec<Ins>,
    names: &'a dyn Names,
}

/// Parses and checks a formula against the scenario's names.
pub fn compile(src: &str, names: &dyn Names) -> Result<Formula, FormulaError> {
    if src.len() > MAX_LEN {
        return Err(FormulaError::new(0, format!("formula is {} bytes long; the limit is {MAX_LEN}", src.len()))
            .hint("split it across several dynamics or metrics"));
    }
    if src.trim().is_empty() {
        return Err(FormulaError::new(0, "empty formula").hint("write a number, e.g. \"0\""));
    }
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0, depth: 0, code: Vec::new(), names };
    p.expr()?;
    let t = p.peek().clone();
    if t.tok != Tok::End {
        return Err(FormulaError::new(t.at, format!("unexpected {}", describe(&t.tok)))
            .hint("an operator may be missing between two values"));
    }
    if p.code.len() > MAX_OPS {
        return Err(FormulaError::new(
            0,
            format!("formula too complex ({} steps; the limit is {MAX_OPS})", p.code.len()),
        ));
    }
    check_stack(&p.code).map_err(|()| FormulaError::new(0, "formula too deeply nested"))?;
    let code = fold(p.code);
    Ok(Formula { source: src.to_owned(), code })
}

fn check_stack(code: &[Ins]) -> Result<(), ()> {
    let mut sp: i32 = 0;
    for ins in code {
        sp += match ins {
            Ins::Neg | Ins::Not | Ins::Fun1(_) => 0,
            Ins::Bin(_) => -1,
            Ins::Clamp | Ins::If => -2,
            _ => 1,
        };
        if sp > STACK as i32 || sp < 1 {
            return Err(());
        }
    }
    if sp == 1 { Ok(()) } else { Err(()) }
}

/// Folds constant sub-expressions, so `2 * 3 + x` costs what `6 + x` costs.
fn fold(code: Vec<Ins>) -> Vec<Ins> {
    let mut out: Vec<Ins> = Vec::with_capacity(code.len());
    for ins in code {
        let n = out.len();
        let consts = |k: usize| -> Option<Vec<f64>> {
            if n < k {
                return None;
            }
            out[n - k..].iter().map(|i| if let Ins::Const(v) = i { Some(*v) } else { None }).collect()
        };
        let folded = match ins {
            Ins::Neg => consts(1).map(|v| (1, -v[0])),
            Ins::Not => consts(1).map(|v| (1, flag(v[0] == 0.0))),
            Ins::Fun1(f) => consts(1).map(|v| (1, fun1(f, v[0]))),
            Ins::Bin(op) => consts(2).map(|v| (2, bin(op, v[0], v[1]))),
            Ins::Clamp => consts(3).map(|v| (3, v[0].max(v[1]).min(v[2]))),
            Ins::If => consts(3).map(|v| (3, if v[0] != 0.0 { v[1] } else { v[2] })),
            _ => None,
        };
        match folded {
            Some((k, v)) if v.is_finite() => {
                out.truncate(n - k);
                out.push(Ins::Const(v));
            }
            _ => out.push(ins),
        }
    }
    out
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(v) => format!("number `{v}`"),
        Tok::Ident(s) => format!("name `{s}`"),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::End => "end of formula".to_owned(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.toks[self.pos.min(self.toks.len() - 1)]
    }

    fn next(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if self.peek().tok == Tok::Sym(leak(s)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(&self.peek().tok, Tok::Ident(x) if x == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FormulaError::new(self.peek().at, format!("formula nested deeper than {MAX_DEPTH} levels"))
                .hint("simplify it or move parts into separate metrics"));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<(), FormulaError> {
        self.enter()?;
        self.and()?;
        while self.eat_sym("||") || self.eat_word("or") {
            self.and()?;
            self.code.push(Ins::Bin(Bin::Or));
        }
        self.depth -= 1;
        Ok(())
    }

    fn and(&mut self) -> Result<(), FormulaError> {
        self.cmp()?;
        while self.eat_sym("&&") || self.eat_word("and") {
            self.cmp()?;
            self.code.push(Ins::Bin(Bin::And));
        }
        Ok(())
    }

    fn cmp(&mut self) -> Result<(), FormulaError> {
        self.sum()?;
        let ops = [("<=", Bin::Le), (">=", Bin::Ge), ("==", Bin::Eq), ("!=", Bin::Ne), ("<", Bin::Lt), (">", Bin::Gt)];
        for (s, op) in ops {
            if self.eat_sym(s) {
                self.sum()?;
                self.code.push(Ins::Bin(op));
                let t = self.peek().clone();
                if let Tok::Sym(s2) = t.tok
                    && ops.iter().any(|(o, _)| *o == s2)
                {
                    return Err(FormulaError::new(t.at, "comparisons cannot be chained").hint("write `a < b && b < c`"));
                }
                break;
            }
        }
        Ok(())
    }

    fn sum(&mut self) -> Result<(), FormulaError> {
        self.product()?;
        loop {
            if self.eat_sym("+") {
                self.product()?;
                self.code.push(Ins::Bin(Bin::Add));
            } else if self.eat_sym("-") {
                self.product()?;
                self.code.push(Ins::Bin(Bin::Sub));
            } else {
                return Ok(());
            }
        }
    }

    fn product(&mut self) -> Result<(), FormulaError> {
        self.unary()?;
        loop {
            let op = if self.eat_sym("*") {
                Bin::Mul
            } else if self.eat_sym("/") {
                Bin::Div
            } else if self.eat_sym("%") {
                Bin::Rem
            } else {
                return Ok(());
            };
            self.unary()?;
            self.code.push(Ins::Bin(op));
        }
    }

    fn unary(&mut self) -> Result<(), FormulaError> {
        self.enter()?;
        if self.eat_sym("-") {
            self.unary()?;
            self.code.push(Ins::Neg);
        } else if self.eat_sym("!") || self.eat_word("not") {
            self.unary()?;
            self.code.push(Ins::Not);
        } else {
            self.atom()?;
            if self.eat_sym("^") {
                self.unary()?;
                self.code.push(Ins::Bin(Bin::Pow));
            }
        }
        self.depth -= 1;
        Ok(())
    }

    fn atom(&mut self) -> Result<(), FormulaError> {
        let t = self.next();
        match t.tok {
            Tok::Num(v) => self.code.push(Ins::Const(v)),
            Tok::Sym("(") => {
                self.expr()?;
                self.close(t.at)?;
            }
            Tok::Ident(name) => {
                if self.peek().tok == Tok::Sym("(") {
                    self.next();
                    self.call(&name, t.at)?;
                } else {
                    self.variable(&name, t.at)?;
                }
            }
            Tok::End => {
                return Err(FormulaError::new(t.at, "formula ends too early").hint("a value is missing at the end"));
            }
            other => {
                return Err(FormulaError::new(t.at, format!("expected a value, found {}", describe(&other))));
            }
        }
        Ok(())
    }

    fn close(&mut self, open_at: usize) -> Result<(), FormulaError> {
        if self.eat_sym(")") {
            return Ok(());
        }
        let t = self.peek().clone();
        Err(FormulaError::new(t.at, format!("expected `)`, found {}", describe(&t.tok)))
            .hint(format!("the `(` at character {} is not closed", open_at + 1)))
    }

    fn variable(&mut self, name: &str, at: usize) -> Result<(), FormulaError> {
        let ins = match name {
            "true" => Ins::Const(1.0),
            "false" => Ins::Const(0.0),
            "turn" => Ins::Turn,
            "day" => Ins::Day,
            "days" => Ins::Days,
            _ => match self.names.metric(name) {
                Some(m) => Ins::Metric(m),
                None => {
                    let mut err = FormulaError::new(at, format!("unknown metric `{name}`"));
                    if let Some(s) = self.names.suggest(NameKind::Metric, name, None) {
                        err = err.hint(format!("did you mean `{s}`?"));
                    } else if self.names.mitigation(name).is_some() {
                        err = err.hint(format!("`{name}` is a mitigation: write `active({name})`"));
                    } else if FUNCTIONS.iter().any(|(f, _)| *f == name) {
                        err = err.hint(format!("`{name}` is a function: write `{name}(...)`"));
                    } else {
                        err = err.hint("names a formula can use: metric ids, `turn`, `day`, `days`");
                    }
                    return Err(err);
                }
            },
        };
        self.code.push(ins);
        Ok(())
    }

    /// A bare name argument (`active(pause_topups)`), resolved to an index.
    fn name_arg(&mut self, kind: NameKind, inject: Option<u16>) -> Result<u16, FormulaError> {
        let t = self.next();
        let Tok::Ident(name) = t.tok else {
            return Err(FormulaError::new(t.at, format!("expected a {} id, found {}", kind.noun(), describe(&t.tok))));
        };
        let found = match kind {
            NameKind::Metric => self.names.metric(&name),
            NameKind::Mitigation => self.names.mitigation(&name),
            NameKind::Inject => self.names.inject(&name),
            NameKind::Turn => self.names.turn(&name),
            NameKind::Option => inject.and_then(|i| self.names.option(i, &name)),
        };
        found.ok_or_else(|| {
            let err = FormulaError::new(t.at, format!("unknown {} `{name}`", kind.noun()));
            match self.names.suggest(kind, &name, inject) {
                Some(s) => err.hint(format!("did you mean `{s}`?")),
                None => err,
            }
        })
    }

    fn call(&mut self, name: &str, at: usize) -> Result<(), FormulaError> {
        let arity = FUNCTIONS.iter().find(|(f, _)| *f == name).map(|(_, a)| *a);
        let Some(arity) = arity else {
            let known: Vec<&str> = FUNCTIONS.iter().map(|(f, _)| *f).collect();
            let best = known
                .iter()
                .map(|k| (strsim::jaro_winkler(k, name), *k))
                .filter(|(s, _)| *s > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0));
            let err = FormulaError::new(at, format!("unknown function `{name}`"));
            return Err(match best {
                Some((_, k)) => err.hint(format!("did you mean `{k}`?")),
                None => err.hint(format!("functions: {}", known.join(", "))),
            });
        };
        let simple_ref = |kind, make: fn(u16) -> Ins| (kind, make);
        let by_name = match name {
            "active" => Some(simple_ref(NameKind::Mitigation, Ins::Active as fn(u16) -> Ins)),
            "pending" => Some(simple_ref(NameKind::Mitigation, Ins::Pending)),
            "taken" => Some(simple_ref(NameKind::Mitigation, Ins::Taken)),
            "fired" => Some(simple_ref(NameKind::Inject, Ins::Fired)),
            "since" => Some(simple_ref(NameKind::Turn, Ins::Since)),
            "before" => Some(simple_ref(NameKind::Turn, Ins::Before)),
            "at" => Some(simple_ref(NameKind::Turn, Ins::At)),
            "prev" => Some(simple_ref(NameKind::Metric, Ins::Prev)),
            _ => None,
        };
        if let Some((kind, make)) = by_name {
            let idx = self.name_arg(kind, None)?;
            self.code.push(make(idx));
            return self.close(at + name.len());
        }
        if name == "chose" {
            let inject = self.name_arg(NameKind::Inject, None)?;
            self.expect_comma(name)?;
            let option = self.name_arg(NameKind::Option, Some(inject))?;
            self.code.push(Ins::Chose(inject, option));
            return self.close(at + name.len());
        }
        let mut count = 0;
        if self.peek().tok != Tok::Sym(")") {
            loop {
                self.expr()?;
                count += 1;
                if !self.eat_sym(",") {
                    break;
                }
            }
        }
        self.close(at + name.len())?;
        let ok = match arity {
            Arity::Exactly(n) => count == n,
            Arity::AtLeast(n) => count >= n,
        };
        if !ok {
            let want = match arity {
                Arity::Exactly(n) => format!("{n}"),
                Arity::AtLeast(n) => format!("at least {n}"),
            };
            return Err(FormulaError::new(at, format!("`{name}` takes {want} argument(s), found {count}")));
        }
        match name {
            "min" | "max" => {
                let op = if name == "min" { Bin::Min } else { Bin::Max };
                for _ in 1..count {
                    self.code.push(Ins::Bin(op));
                }
            }
            "clamp" => self.code.push(Ins::Clamp),
            "if" => self.code.push(Ins::If),
            "abs" => self.code.push(Ins::Fun1(Fun1::Abs)),
            "floor" => self.code.push(Ins::Fun1(Fun1::Floor)),
            "ceil" => self.code.push(Ins::Fun1(Fun1::Ceil)),
            "round" => self.code.push(Ins::Fun1(Fun1::Round)),
            "sqrt" => self.code.push(Ins::Fun1(Fun1::Sqrt)),
            "ln" => self.code.push(Ins::Fun1(Fun1::Ln)),
            "exp" => self.code.push(Ins::Fun1(Fun1::Exp)),
            _ => {}
        }
        Ok(())
    }

    fn expect_comma(&mut self, fun: &str) -> Result<(), FormulaError> {
        if self.eat_sym(",") {
            return Ok(());
        }
        let t = self.peek().clone();
        Err(FormulaError::new(t.at, format!("expected `,` in `{fun}(...)`, found {}", describe(&t.tok)))
            .hint("write `chose(decision_id, option_id)`"))
    }
}

fn leak(s: &str) -> &'static str {
    SYMBOLS.iter().find(|x| **x == s).copied().unwrap_or("")
}

#[derive(Debug, Clone, Copy)]
enum Arity {
    Exactly(usize),
    AtLeast(usize),
}

/// Every function a formula may call, with its argument count.
const FUNCTIONS: [(&str, Arity); 20] = [
    ("min", Arity::AtLeast(2)),
    ("max", Arity::AtLeast(2)),
    ("clamp", Arity::Exactly(3)),
    ("if", Arity::Exactly(3)),
    ("abs", Arity::Exactly(1)),
    ("floor", Arity::Exactly(1)),
    ("ceil", Arity::Exactly(1)),
    ("round", Arity::Exactly(1)),
    ("sqrt", Arity::Exactly(1)),
    ("ln", Arity::Exactly(1)),
    ("exp", Arity::Exactly(1)),
    ("active", Arity::Exactly(1)),
    ("pending", Arity::Exactly(1)),
    ("taken", Arity::Exactly(1)),
    ("fired", Arity::Exactly(1)),
    ("chose", Arity::Exactly(2)),
    ("since", Arity::Exactly(1)),
    ("before", Arity::Exactly(1)),
    ("at", Arity::Exactly(1)),
    ("prev", Arity::Exactly(1)),
];
