//! Slowing down anyone who guesses teams' short codes, without ever refusing a right one.
//!
//! A team's code is 40 random bits; guessing one is only a matter of how many tries a
//! second the server answers. Each network (an IPv4 address, or an IPv6 /64, which one
//! household or attacker holds whole) may miss `ADDRESS_BURST` times at once; past that
//! its attempts are answered one by one, `ADDRESS_PER_SECOND` a second, however many it
//! sends in parallel. The whole server likewise answers at most `SERVER_PER_SECOND`
//! attempts a second once `SERVER_BURST` misses have been spent, so many addresses do not
//! multiply the rate. An attempt is only ever *delayed*: a right code from a slowed network
//! still gets in when its turn comes, and is refused only when that turn is more than
//! `MAX_WAIT_MS` away (a flood is on). Full-length tokens (the join links, 128 bits) are
//! never slowed: nobody guesses those.
//!
//! A room of 50 players behind one office address, each making a few typos, spends about
//! 150 misses: within one network's burst and refill, so nobody waits more than seconds.
//! The memory is bounded (`ADDRESSES` networks; when it is full the quietest is forgotten,
//! never a newcomer refused).

use std::collections::HashMap;
use std::net::IpAddr;

/// Misses one network may make before its attempts are spaced out.
pub const ADDRESS_BURST: f64 = 120.0;
/// Attempts a second a slowed network is answered.
pub const ADDRESS_PER_SECOND: f64 = 2.0;
/// Misses the whole server allows before every code attempt is spaced out.
pub const SERVER_BURST: f64 = 600.0;
/// Attempts a second the whole server answers while slowed.
pub const SERVER_PER_SECOND: f64 = 10.0;
/// The longest an attempt waits for its turn; beyond that it is refused ("try again").
pub const MAX_WAIT_MS: i64 = 30_000;
/// Networks remembered at once.
pub const ADDRESSES: usize = 10_000;

/// Misses still allowed at once (below one: in debt, attempts queue), refilled over time.
#[derive(Debug, Clone, Copy)]
struct Bucket {
    level: f64,
    at_ms: i64,
    /// When the next queued attempt may be answered.
    queue_ms: i64,
}

impl Bucket {
    fn full(burst: f64, now_ms: i64) -> Self {
        Self { level: burst, at_ms: now_ms, queue_ms: now_ms }
    }

    fn refill(&mut self, now_ms: i64, burst: f64, per_second: f64) {
        let elapsed = (now_ms - self.at_ms).max(0) as f64 / 1000.0;
        self.level = (self.level + elapsed * per_second).min(burst);
        self.at_ms = self.at_ms.max(now_ms);
    }

    /// When an attempt arriving now may be answered: at once while a miss is in hand;
    /// in debt, behind the attempts already queued (one per `1 / per_second`).
    fn slot(&self, now_ms: i64) -> i64 {
        if self.level >= 1.0 { now_ms } else { self.queue_ms.max(now_ms) }
    }

    /// Takes the slot an attempt was given: while in debt, the next one queues behind it.
    fn take(&mut self, slot_ms: i64, per_second: f64) {
        if self.level < 1.0 {
            self.queue_ms = slot_ms + (1000.0 / per_second) as i64;
        }
    }

    fn idle(&self, burst: f64, now_ms: i64, per_second: f64) -> bool {
        let mut b = *self;
        b.refill(now_ms, burst, per_second);
        b.level >= burst && b.queue_ms <= now_ms
    }
}

/// A plain rate limit (creating sessions): `burst` at once, then `per_second`; past it a
/// request is refused with the time until the next one may come. Costs nothing per caller.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    bucket: Bucket,
    burst: f64,
    per_second: f64,
}

impl Rate {
    pub fn new(burst: f64, per_second: f64) -> Self {
        Self { bucket: Bucket::full(burst, 0), burst, per_second }
    }

    /// Takes one request's share, or says in how many milliseconds one will be available.
    pub fn take(&mut self, now_ms: i64) -> Result<(), i64> {
        if self.bucket.at_ms == 0 {
            self.bucket.at_ms = now_ms;
        }
        self.bucket.refill(now_ms, self.burst, self.per_second);
        if self.bucket.level >= 1.0 {
            self.bucket.level -= 1.0;
            Ok(())
        } else {
            Err((((1.0 - self.bucket.level) / self.per_second) * 1000.0).ceil() as i64)
        }
    }
}

/// What the limiter says about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Look it up after waiting this long (0: at once).
    After(i64),
    /// Its turn is too far away: refused, to be tried again later.
    Refused,
}

/// The networks that missed lately, and the whole server's budget.
#[derive(Debug)]
pub struct Guessing {
    networks: HashMap<IpAddr, Bucket>,
    server: Bucket,
}

impl Default for Guessing {
    fn default() -> Self {
        Self { networks: HashMap::new(), server: Bucket::full(SERVER_BURST, 0) }
    }
}

/// Whether `text` is a full-length token (32 hex digits): never slowed.
pub fn token_shaped(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The network an address belongs to: itself for IPv4, its /64 for IPv6.
pub fn network(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(bits.into())
        }
        v4 => v4,
    }
}

impl Guessing {
    /// When an attempt with `text` from `ip` may be looked up; reserves its place.
    pub fn admit(&mut self, text: &str, ip: IpAddr, now_ms: i64) -> Admission {
        if token_shaped(text) {
            return Admission::After(0);
        }
        self.server.refill(now_ms, SERVER_BURST, SERVER_PER_SECOND);
        let key = network(ip);
        let mut own = self.networks.get(&key).copied().unwrap_or_else(|| Bucket::full(ADDRESS_BURST, now_ms));
        own.refill(now_ms, ADDRESS_BURST, ADDRESS_PER_SECOND);
        let slot = own.slot(now_ms).max(self.server.slot(now_ms));
        if slot - now_ms > MAX_WAIT_MS {
            return Admission::Refused;
        }
        own.take(slot, ADDRESS_PER_SECOND);
        self.server.take(slot, SERVER_PER_SECOND);
        if self.networks.contains_key(&key) {
            self.networks.insert(key, own);
        }
        Admission::After(slot - now_ms)
    }

    /// `ip` missed (a wrong code or link). Returns true when this miss used up its
    /// network's burst (worth one log line).
    pub fn missed(&mut self, text: &str, ip: IpAddr, now_ms: i64) -> bool {
        if token_shaped(text) {
            return false;
        }
        self.server.refill(now_ms, SERVER_BURST, SERVER_PER_SECOND);
        self.server.level -= 1.0;
        let key = network(ip);
        if !self.networks.contains_key(&key) && self.networks.len() >= ADDRESSES {
            self.forget_one(now_ms);
        }
        let own = self.networks.entry(key).or_insert_with(|| Bucket::full(ADDRESS_BURST, now_ms));
        own.refill(now_ms, ADDRESS_BURST, ADDRESS_PER_SECOND);
        let before = own.level;
        own.level -= 1.0;
        before >= 1.0 && own.level < 1.0
    }

    /// Makes room for one network: every idle one goes; if none is idle, the one quiet
    /// longest.
    fn forget_one(&mut self, now_ms: i64) {
        self.networks.retain(|_, b| !b.idle(ADDRESS_BURST, now_ms, ADDRESS_PER_SECOND));
        if self.networks.len() >= ADDRESSES
            && let Some(oldest) = self.networks.iter().min_by_key(|(_, b)| b.at_ms).map(|(k, _)| *k)
        {
            self.networks.remove(&oldest);
        }
    }

    /// Networks remembered now.
    pub fn remembered(&self) -> usize {
        self.networks.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("an address")
    }

    /// Misses within the burst are answered at once; past it, attempts from the network
    /// are spaced at its rate, parallel or not; a quiet minute refills it.
    #[test]
    fn a_network_is_slowed_past_its_burst_and_recovers() {
        let mut g = Guessing::default();
        let a = ip("192.0.2.7");
        for n in 0..ADDRESS_BURST as usize {
            assert_eq!(g.admit("ZZZZZZZZ", a, 0), Admission::After(0), "attempt {n}");
            g.missed("ZZZZZZZZ", a, 0);
        }
        // Ten attempts at once now: answered half a second apart.
        let waits: Vec<i64> = (0..10)
            .map(|_| match g.admit("ZZZZZZZZ", a, 0) {
                Admission::After(ms) => ms,
                Admission::Refused => panic!("refused within the wait"),
            })
            .collect();
        assert!(waits.windows(2).all(|w| w[1] - w[0] == 500), "{waits:?}");
        assert_eq!(waits[9], 4_500);
        // Another network is not slowed by it.
        assert_eq!(g.admit("ZZZZZZZZ", ip("198.51.100.1"), 0), Admission::After(0));
        // A full token never waits.
        assert_eq!(g.admit(&"ab".repeat(16), a, 0), Admission::After(0));
        // A minute later, the network is back to its burst.
        assert_eq!(g.admit("ZZZZZZZZ", a, 120_000), Admission::After(0));
    }

    /// A flood from one network: once its queue is 30 s long, attempts are refused rather
    /// than queued for ever; the wait never exceeds the limit.
    #[test]
    fn a_flood_is_refused_beyond_the_longest_wait() {
        let mut g = Guessing::default();
        let a = ip("192.0.2.7");
        let mut refused = 0;
        for _ in 0..1_000 {
            match g.admit("ZZZZZZZZ", a, 0) {
                Admission::After(ms) => {
                    assert!(ms <= MAX_WAIT_MS);
                    g.missed("ZZZZZZZZ", a, 0);
                }
                Admission::Refused => refused += 1,
            }
        }
        assert!(refused > 0);
        let answered = 1_000 - refused;
        // The burst, then 30 s at two a second.
        assert!(answered <= ADDRESS_BURST as usize + 61, "{answered}");
    }

    /// Many addresses do not multiply the rate: past the server's burst, attempts from
    /// fresh addresses wait their turn too. IPv6 addresses of one /64 are one network.
    #[test]
    fn many_addresses_share_the_server_budget_and_a_64_is_one_network() {
        let mut g = Guessing::default();
        for n in 0..SERVER_BURST as u32 {
            let a = IpAddr::V4((0x0A00_0000 + n).into());
            assert_eq!(g.admit("ZZZZZZZZ", a, 0), Admission::After(0));
            g.missed("ZZZZZZZZ", a, 0);
        }
        let fresh: Vec<Admission> = (0..3).map(|k| g.admit("ZZZZZZZZ", ip(&format!("203.0.113.{k}")), 0)).collect();
        assert_eq!(fresh, [Admission::After(0), Admission::After(100), Admission::After(200)], "fresh addresses queue");
        assert_eq!(network(ip("2001:db8:1:2:aaaa::1")), network(ip("2001:db8:1:2:bbbb::2")));
        assert_ne!(network(ip("2001:db8:1:2::1")), network(ip("2001:db8:1:3::1")));
        assert_eq!(network(ip("::ffff:192.0.2.7")), ip("192.0.2.7"));
    }

    /// The memory stays bounded and a newcomer is never turned away for it.
    #[test]
    fn a_rate_allows_its_burst_then_one_per_interval() {
        let mut rate = Rate::new(3.0, 0.5);
        let t = 1_000_000;
        for _ in 0..3 {
            assert_eq!(rate.take(t), Ok(()));
        }
        assert_eq!(rate.take(t), Err(2_000), "the next in two seconds");
        assert_eq!(rate.take(t + 1_000), Err(1_000));
        assert_eq!(rate.take(t + 2_000), Ok(()));
        assert!(rate.take(t + 2_000).is_err());
        // A long quiet refills the burst, no more.
        for _ in 0..3 {
            assert_eq!(rate.take(t + 60_000), Ok(()));
        }
        assert!(rate.take(t + 60_000).is_err());
    }

    #[test]
    fn memory_is_bounded_and_newcomers_are_remembered() {
        let mut g = Guessing::default();
        for n in 0..(ADDRESSES as u32 + 500) {
            let a = IpAddr::V4((0x0A00_0000 + n).into());
            // Spread over time so the server's own budget stays in hand.
            let now = i64::from(n) * 200;
            assert!(matches!(g.admit("ZZZZZZZZ", a, now), Admission::After(_)));
            g.missed("ZZZZZZZZ", a, now);
        }
        assert!(g.remembered() <= ADDRESSES, "{}", g.remembered());
        let newest = IpAddr::V4((0x0A00_0000 + ADDRESSES as u32 + 499).into());
        assert!(g.networks.contains_key(&newest), "the newest network is remembered");
        // None idle (30 misses each take 15 s to refill; these span 10 s): the quietest
        // goes, the newcomer stays.
        let mut g = Guessing::default();
        for n in 0..(ADDRESSES as u32 + 10) {
            for _ in 0..30 {
                g.missed("ZZZZZZZZ", IpAddr::V4((0x0B00_0000 + n).into()), i64::from(n));
            }
        }
        assert_eq!(g.remembered(), ADDRESSES);
        assert!(g.networks.contains_key(&IpAddr::V4((0x0B00_0000 + ADDRESSES as u32 + 9).into())));
        assert!(!g.networks.contains_key(&IpAddr::V4(0x0B00_0000.into())), "the quietest is forgotten");
    }
}
