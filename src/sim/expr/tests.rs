//! Tests of the formula language: parsing, errors with their place, evaluation.

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
