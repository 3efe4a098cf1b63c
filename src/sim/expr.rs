//! The formula language of scenarios: parsed and checked at load time, evaluated as bytecode.
//!
//! Formulas are pure arithmetic over the game state: no I/O, no loops, bounded size and
//! depth, and every evaluation runs a fixed number of steps. The grammar is in
//! `docs/scenario-format.md` and mirrored by the parser functions below.

use std::fmt;

/// Longest formula accepted, in bytes.
pub const MAX_LEN: usize = 2_000;
/// Deepest nesting of parentheses, calls and operators.
pub const MAX_DEPTH: usize = 32;
/// Most bytecode instructions in one formula.
pub const MAX_OPS: usize = 256;
/// Deepest value stack at evaluation.
const STACK: usize = 16;

/// A fault in a formula, with the byte offset into the formula text.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaError {
    pub offset: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl FormulaError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        Self { offset, message: message.into(), hint: None }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Resolves the names a formula may use; implemented by the validator.
pub trait Names {
    fn metric(&self, name: &str) -> Option<u16>;
    fn mitigation(&self, name: &str) -> Option<u16>;
    fn inject(&self, name: &str) -> Option<u16>;
    fn option(&self, inject: u16, name: &str) -> Option<u16>;
    fn turn(&self, name: &str) -> Option<u16>;
    /// A "did you mean" for an unknown name of the given kind.
    fn suggest(&self, kind: NameKind, name: &str, inject: Option<u16>) -> Option<String>;
    /// Bounds of a metric, for the static range check.
    fn bounds(&self, metric: u16) -> (f64, f64);
    fn turn_count(&self) -> usize;
}

/// What an identifier names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Metric,
    Mitigation,
    Inject,
    Option,
    Turn,
}

impl NameKind {
    fn noun(self) -> &'static str {
        match self {
            Self::Metric => "metric",
            Self::Mitigation => "mitigation",
            Self::Inject => "inject",
            Self::Option => "option",
            Self::Turn => "turn",
        }
    }
}

/// One bytecode instruction. Values are f64; conditions are true when non-zero.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Ins {
    Const(f64),
    Metric(u16),
    Prev(u16),
    Turn,
    Day,
    Days,
    Active(u16),
    Pending(u16),
    Taken(u16),
    Fired(u16),
    Chose(u16, u16),
    Since(u16),
    Before(u16),
    At(u16),
    Neg,
    Not,
    Bin(Bin),
    Fun1(Fun1),
    Clamp,
    If,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bin {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Min,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fun1 {
    Abs,
    Floor,
    Ceil,
    Round,
    Sqrt,
    Ln,
    Exp,
}

/// A checked, compiled formula.
#[derive(Clone, PartialEq)]
pub struct Formula {
    source: String,
    code: Vec<Ins>,
}

impl fmt::Debug for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Formula({:?})", self.source)
    }
}

/// Where a mitigation stands, as formulas see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum MitStatus {
    Idle,
    Pending,
    Active,
    /// A one-shot mitigation that has taken effect, or a toggle switched off after use.
    Done,
}

/// The game state a formula reads.
#[derive(Debug, Clone, Copy)]
pub struct Ctx<'a> {
    pub metrics: &'a [f64],
    pub prev: &'a [f64],
    /// 0-based turn index.
    pub turn: usize,
    /// Days elapsed before this turn.
    pub day: f64,
    /// Length of this turn in days.
    pub days: f64,
    pub mitigations: &'a [MitStatus],
    /// Whether each mitigation was ever taken.
    pub taken: &'a [bool],
    /// How often each inject fired.
    pub fired: &'a [u32],
    /// The option chosen for each decision inject, if any.
    pub chosen: &'a [Option<u16>],
}

impl Formula {
    /// The formula as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Metrics this formula reads (with `prev(...)` too).
    pub fn metrics_read(&self) -> impl Iterator<Item = u16> + '_ {
        self.code.iter().filter_map(|i| match i {
            Ins::Metric(m) | Ins::Prev(m) => Some(*m),
            _ => None,
        })
    }

    /// Mitigations whose state this formula reads.
    pub fn mitigations_read(&self) -> impl Iterator<Item = u16> + '_ {
        self.code.iter().filter_map(|i| match i {
            Ins::Active(m) | Ins::Pending(m) | Ins::Taken(m) => Some(*m),
            _ => None,
        })
    }

    /// A constant formula's value, if it reads nothing from the game.
    pub fn constant(&self) -> Option<f64> {
        match self.code.as_slice() {
            [Ins::Const(v)] => Some(*v),
            _ => None,
        }
    }

    /// Evaluates the formula. May return a non-finite number (division by zero); callers
    /// decide what to do with it.
    pub fn eval(&self, ctx: &Ctx<'_>) -> f64 {
        let mut stack = [0.0_f64; STACK];
        let mut sp = 0usize;
        for ins in &self.code {
            match *ins {
                Ins::Const(v) => {
                    stack[sp] = v;
                    sp += 1;
                }
                Ins::Metric(m) => {
                    stack[sp] = ctx.metrics[m as usize];
                    sp += 1;
                }
                Ins::Prev(m) => {
                    stack[sp] = ctx.prev[m as usize];
                    sp += 1;
                }
                Ins::Turn => {
                    stack[sp] = (ctx.turn + 1) as f64;
                    sp += 1;
                }
                Ins::Day => {
                    stack[sp] = ctx.day;
                    sp += 1;
                }
                Ins::Days => {
                    stack[sp] = ctx.days;
                    sp += 1;
                }
                Ins::Active(m) => {
                    stack[sp] = flag(ctx.mitigations[m as usize] == MitStatus::Active);
                    sp += 1;
                }
                Ins::Pending(m) => {
                    stack[sp] = flag(ctx.mitigations[m as usize] == MitStatus::Pending);
                    sp += 1;
                }
                Ins::Taken(m) => {
                    stack[sp] = flag(ctx.taken[m as usize]);
                    sp += 1;
                }
                Ins::Fired(i) => {
                    stack[sp] = f64::from(ctx.fired[i as usize]);
                    sp += 1;
                }
                Ins::Chose(i, o) => {
                    stack[sp] = flag(ctx.chosen[i as usize] == Some(o));
                    sp += 1;
                }
                Ins::Since(t) => {
                    stack[sp] = flag(ctx.turn >= t as usize);
                    sp += 1;
                }
                Ins::Before(t) => {
                    stack[sp] = flag(ctx.turn < t as usize);
                    sp += 1;
                }
                Ins::At(t) => {
                    stack[sp] = flag(ctx.turn == t as usize);
                    sp += 1;
                }
                Ins::Neg => stack[sp - 1] = -stack[sp - 1],
                Ins::Not => stack[sp - 1] = flag(stack[sp - 1] == 0.0),
                Ins::Bin(op) => {
                    sp -= 1;
                    stack[sp - 1] = bin(op, stack[sp - 1], stack[sp]);
                }
                Ins::Fun1(f) => stack[sp - 1] = fun1(f, stack[sp - 1]),
                Ins::Clamp => {
                    sp -= 2;
                    let (x, lo, hi) = (stack[sp - 1], stack[sp], stack[sp + 1]);
                    stack[sp - 1] = x.max(lo).min(hi);
                }
                Ins::If => {
                    sp -= 2;
                    let (c, a, b) = (stack[sp - 1], stack[sp], stack[sp + 1]);
                    stack[sp - 1] = if c != 0.0 { a } else { b };
                }
            }
        }
        stack[0]
    }

    /// The range of values the formula can take given the metrics' bounds. Used to warn
    /// about conditions that can never hold.
    pub fn range(&self, names: &dyn Names) -> (f64, f64) {
        let mut stack: Vec<(f64, f64)> = Vec::with_capacity(STACK);
        let turns = names.turn_count().max(1) as f64;
        for ins in &self.code {
            let v = match *ins {
                Ins::Const(v) => (v, v),
                Ins::Metric(m) | Ins::Prev(m) => names.bounds(m),
                Ins::Turn => (1.0, turns),
                Ins::Day | Ins::Days => (0.0, f64::INFINITY),
                Ins::Fired(_) => (0.0, f64::INFINITY),
                Ins::Active(_)
                | Ins::Pending(_)
                | Ins::Taken(_)
                | Ins::Chose(..)
                | Ins::Since(_)
                | Ins::Before(_)
                | Ins::At(_) => (0.0, 1.0),
                Ins::Neg => {
                    let (lo, hi) = pop(&mut stack);
                    (-hi, -lo)
                }
                Ins::Not => {
                    let a = pop(&mut stack);
                    truth(!contains_zero(a), a == (0.0, 0.0))
                }
                Ins::Bin(op) => {
                    let b = pop(&mut stack);
                    let a = pop(&mut stack);
                    bin_range(op, a, b)
                }
                Ins::Fun1(f) => {
                    let (lo, hi) = pop(&mut stack);
                    match f {
                        Fun1::Abs if lo >= 0.0 => (lo, hi),
                        Fun1::Abs if hi <= 0.0 => (-hi, -lo),
                        Fun1::Abs => (0.0, hi.max(-lo)),
                        Fun1::Floor | Fun1::Ceil | Fun1::Round => (lo.floor(), hi.ceil()),
                        Fun1::Sqrt => (lo.max(0.0).sqrt(), hi.max(0.0).sqrt()),
                        Fun1::Ln | Fun1::Exp => (f64::NEG_INFINITY, f64::INFINITY),
                    }
                }
                Ins::Clamp => {
                    let hi = pop(&mut stack);
                    let lo = pop(&mut stack);
                    let x = pop(&mut stack);
                    (x.0.max(lo.0).min(hi.1), x.1.max(lo.0).min(hi.1))
                }
                Ins::If => {
                    let b = pop(&mut stack);
                    let a = pop(&mut stack);
                    let c = pop(&mut stack);
                    if c == (0.0, 0.0) {
                        b
                    } else if !contains_zero(c) {
                        a
                    } else {
                        (a.0.min(b.0), a.1.max(b.1))
                    }
                }
            };
            let v = if v.0.is_nan() || v.1.is_nan() { (f64::NEG_INFINITY, f64::INFINITY) } else { v };
            stack.push(v);
        }
        stack.pop().unwrap_or((f64::NEG_INFINITY, f64::INFINITY))
    }
}

fn pop(stack: &mut Vec<(f64, f64)>) -> (f64, f64) {
    stack.pop().unwrap_or((f64::NEG_INFINITY, f64::INFINITY))
}

fn contains_zero((lo, hi): (f64, f64)) -> bool {
    lo <= 0.0 && hi >= 0.0
}

/// The range of a truth value: always true, always false, or either.
fn truth(always: bool, never: bool) -> (f64, f64) {
    if always {
        (1.0, 1.0)
    } else if never {
        (0.0, 0.0)
    } else {
        (0.0, 1.0)
    }
}

fn bin_range(op: Bin, a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let full = (f64::NEG_INFINITY, f64::INFINITY);
    let corners = |f: fn(f64, f64) -> f64| {
        let c = [f(a.0, b.0), f(a.0, b.1), f(a.1, b.0), f(a.1, b.1)];
        if c.iter().any(|v| v.is_nan()) {
            return full;
        }
        (c.iter().copied().fold(f64::INFINITY, f64::min), c.iter().copied().fold(f64::NEG_INFINITY, f64::max))
    };
    match op {
        Bin::Add => (a.0 + b.0, a.1 + b.1),
        Bin::Sub => (a.0 - b.1, a.1 - b.0),
        Bin::Mul => corners(|x, y| x * y),
        Bin::Div if contains_zero(b) => full,
        Bin::Div => corners(|x, y| x / y),
        Bin::Rem | Bin::Pow => full,
        Bin::Lt => truth(a.1 < b.0, a.0 >= b.1),
        Bin::Le => truth(a.1 <= b.0, a.0 > b.1),
        Bin::Gt => truth(a.0 > b.1, a.1 <= b.0),
        Bin::Ge => truth(a.0 >= b.1, a.1 < b.0),
        Bin::Eq => truth(a.0 == a.1 && b.0 == b.1 && a.0 == b.0, a.1 < b.0 || b.1 < a.0),
        Bin::Ne => truth(a.1 < b.0 || b.1 < a.0, a.0 == a.1 && b.0 == b.1 && a.0 == b.0),
        Bin::And => truth(!contains_zero(a) && !contains_zero(b), a == (0.0, 0.0) || b == (0.0, 0.0)),
        Bin::Or => truth(!contains_zero(a) || !contains_zero(b), a == (0.0, 0.0) && b == (0.0, 0.0)),
        Bin::Min => (a.0.min(b.0), a.1.min(b.1)),
        Bin::Max => (a.0.max(b.0), a.1.max(b.1)),
    }
}

#[inline]
fn flag(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

#[inline]
fn bin(op: Bin, a: f64, b: f64) -> f64 {
    match op {
        Bin::Add => a + b,
        Bin::Sub => a - b,
        Bin::Mul => a * b,
        Bin::Div => a / b,
        Bin::Rem => a % b,
        Bin::Pow => libm::pow(a, b),
        Bin::Lt => flag(a < b),
        Bin::Le => flag(a <= b),
        Bin::Gt => flag(a > b),
        Bin::Ge => flag(a >= b),
        Bin::Eq => flag(a == b),
        Bin::Ne => flag(a != b),
        Bin::And => flag(a != 0.0 && b != 0.0),
        Bin::Or => flag(a != 0.0 || b != 0.0),
        Bin::Min => a.min(b),
        Bin::Max => a.max(b),
    }
}

#[inline]
fn fun1(f: Fun1, x: f64) -> f64 {
    match f {
        Fun1::Abs => x.abs(),
        Fun1::Floor => x.floor(),
        Fun1::Ceil => x.ceil(),
        Fun1::Round => x.round(),
        Fun1::Sqrt => x.sqrt(),
        Fun1::Ln => libm::log(x),
        Fun1::Exp => libm::exp(x),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    struct T;
    impl Names for T {
        fn metric(&self, n: &str) -> Option<u16> {
            ["trust", "load", "victims"].iter().position(|x| *x == n).map(|i| i as u16)
        }
        fn mitigation(&self, n: &str) -> Option<u16> {
            ["pause_topups"].iter().position(|x| *x == n).map(|i| i as u16)
        }
        fn inject(&self, n: &str) -> Option<u16> {
            ["presser"].iter().position(|x| *x == n).map(|i| i as u16)
        }
        fn option(&self, _i: u16, n: &str) -> Option<u16> {
            ["ceo", "cto"].iter().position(|x| *x == n).map(|i| i as u16)
        }
        fn turn(&self, n: &str) -> Option<u16> {
            ["t0", "t1", "t2"].iter().position(|x| *x == n).map(|i| i as u16)
        }
        fn suggest(&self, _k: NameKind, n: &str, _i: Option<u16>) -> Option<String> {
            (n == "trsut").then(|| "trust".to_owned())
        }
        fn bounds(&self, m: u16) -> (f64, f64) {
            if m == 0 { (0.0, 100.0) } else { (0.0, f64::INFINITY) }
        }
        fn turn_count(&self) -> usize {
            3
        }
    }

    fn ev(src: &str) -> f64 {
        let f = compile(src, &T).expect("compiles");
        let st = [MitStatus::Active];
        let ctx = Ctx {
            metrics: &[50.0, 2.0, 10.0],
            prev: &[40.0, 1.0, 0.0],
            turn: 1,
            day: 3.0,
            days: 2.0,
            mitigations: &st,
            taken: &[true],
            fired: &[1],
            chosen: &[Some(1)],
        };
        f.eval(&ctx)
    }

    #[test]
    fn arithmetic_and_precedence() {
        assert_eq!(ev("1 + 2 * 3"), 7.0);
        assert_eq!(ev("(1 + 2) * 3"), 9.0);
        assert_eq!(ev("2 ^ 3 ^ 2"), 512.0);
        assert_eq!(ev("-2 ^ 2"), -4.0);
        assert_eq!(ev("10 % 4"), 2.0);
        assert_eq!(ev("1_000 * 1e3"), 1_000_000.0);
        assert_eq!(ev("trust - prev(trust)"), 10.0);
    }

    #[test]
    fn logic_and_functions() {
        assert_eq!(ev("trust > 40 && load < 3"), 1.0);
        assert_eq!(ev("trust > 60 or not active(pause_topups)"), 0.0);
        assert_eq!(ev("if(victims >= 10, 5, 6)"), 5.0);
        assert_eq!(ev("min(3, load, 9)"), 2.0);
        assert_eq!(ev("max(3, load, 9)"), 9.0);
        assert_eq!(ev("clamp(trust, 0, 20)"), 20.0);
        assert_eq!(ev("chose(presser, cto) + fired(presser) + taken(pause_topups)"), 3.0);
        assert_eq!(ev("since(t1) + before(t1) + at(t1) + turn + day + days"), 1.0 + 0.0 + 1.0 + 2.0 + 3.0 + 2.0);
    }

    #[test]
    fn constants_fold() {
        let f = compile("2 * 3 + 4", &T).expect("compiles");
        assert_eq!(f.constant(), Some(10.0));
        assert_eq!(compile("1 / 0", &T).expect("compiles").constant(), None);
    }

    #[test]
    fn errors_point_at_the_fault() {
        let e = compile("trsut + 1", &T).expect_err("unknown");
        assert_eq!(e.offset, 0);
        assert_eq!(e.hint.as_deref(), Some("did you mean `trust`?"));
        let e = compile("trust + ", &T).expect_err("dangling");
        assert_eq!(e.offset, 8);
        let e = compile("(trust + 1", &T).expect_err("unclosed");
        assert!(e.message.contains("expected `)`"), "{e:?}");
        let e = compile("trust = 3", &T).expect_err("assignment");
        assert_eq!(e.hint.as_deref(), Some("compare with `==`"));
        let e = compile("active(pause)", &T).expect_err("unknown mitigation");
        assert_eq!(e.offset, 7);
        let e = compile("1 < trust < 3", &T).expect_err("chained");
        assert!(e.message.contains("chained"));
        let e = compile("sqr(2)", &T).expect_err("unknown fn");
        assert_eq!(e.hint.as_deref(), Some("did you mean `sqrt`?"));
        assert!(compile("min(1)", &T).is_err());
        assert!(compile("chose(presser, cfo)", &T).is_err());
    }

    #[test]
    fn limits_hold() {
        let deep = format!("{}1{}", "(".repeat(100), ")".repeat(100));
        assert!(compile(&deep, &T).expect_err("deep").message.contains("nested"));
        let long = "1+".repeat(MAX_LEN);
        assert!(compile(&long, &T).is_err());
        let many = vec!["trust"; 200].join(" + ");
        assert!(compile(&many, &T).expect_err("too many").message.contains("complex"));
        let neg = "-".repeat(1000) + "1";
        assert!(compile(&neg, &T).is_err());
        assert!(compile("1e999", &T).is_err());
    }

    #[test]
    fn ranges_find_impossible_conditions() {
        let r = |s: &str| compile(s, &T).expect("compiles").range(&T);
        assert_eq!(r("trust > 150"), (0.0, 0.0));
        assert_eq!(r("trust >= 0"), (1.0, 1.0));
        assert_eq!(r("trust > 50"), (0.0, 1.0));
        assert_eq!(r("trust > 50 && trust < 20"), (0.0, 1.0));
        assert_eq!(r("victims < 0"), (0.0, 0.0));
        assert_eq!(r("turn > 3"), (0.0, 0.0));
        assert!(["since", "before", "at"].iter().all(|f| compile(&format!("{f}(t1)"), &T).is_ok()));
    }
}
