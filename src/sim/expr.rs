//! The formula language of scenarios: parsed and checked at load time, evaluated as bytecode.
//!
//! Formulas are pure arithmetic over the game state: no I/O, no loops, bounded size and
//! depth, and every evaluation runs a fixed number of steps. The grammar is in
//! `docs/scenario-format.md` and mirrored by the parser functions in `expr/parse.rs`.

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

mod parse;
pub use parse::compile;

#[cfg(test)]
mod tests;
