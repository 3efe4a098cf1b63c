//! How many WebSocket connections the server holds, and for how long: a cap per network
//! (an IPv4 address or an IPv6 /64) and in all, so one client cannot take every place, and
//! time limits so a gone or stalled client does not keep one.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::guessing::network;

/// Connections at once from one network: a room of 100 players behind one office address,
/// each with a laptop and a phone, fits twice over. Loopback is not capped this way: it is
/// this machine, or a reverse proxy in front of the server, through which every player
/// arrives from 127.0.0.1 (the proxy's own limits apply there); the cap in all still does.
pub const PER_NETWORK: u32 = 400;
/// Connections at once in all.
pub const IN_ALL: u32 = 5_000;
/// A client heard from (any frame, a pong included) in none of this long is closed (pinged
/// every third of it).
pub const IDLE_LIMIT: Duration = Duration::from_secs(90);
/// A message the client has not taken within this long ends the connection (a reader that
/// stopped reading; its place and its queue go with it).
pub const SEND_LIMIT: Duration = Duration::from_secs(10);

/// A connection's time limits (`ttx serve --idle-timeout`, `--send-timeout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A client heard from in none of this long is closed; it is pinged every third of it.
    pub idle: Duration,
    /// A frame the client has not taken within this long ends the connection.
    pub send: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self { idle: IDLE_LIMIT, send: SEND_LIMIT }
    }
}

impl Limits {
    /// How often a client is pinged: a third of the idle limit, so a live client answers
    /// two or three pings before it could be taken for gone.
    pub fn ping_every(&self) -> Duration {
        (self.idle / 3).max(Duration::from_millis(100))
    }
}

/// Open connections per network and in all.
#[derive(Debug, Default)]
pub struct Connections {
    by_network: HashMap<IpAddr, u32>,
    in_all: u32,
}

/// One connection's place; dropping it gives the place back.
#[derive(Debug)]
pub struct Place {
    counts: Arc<Mutex<Connections>>,
    network: IpAddr,
}

impl Drop for Place {
    fn drop(&mut self) {
        // A poisoned lock means a panic elsewhere already failed the server's task; the
        // count is then moot.
        if let Ok(mut c) = self.counts.lock() {
            c.release(self.network);
        }
    }
}

impl Connections {
    /// A place for a connection from `ip`, or why not.
    pub fn take(counts: &Arc<Mutex<Self>>, ip: IpAddr) -> Result<Place, &'static str> {
        let network = network(ip);
        let mut c = counts.lock().map_err(|_| "the server is shutting down")?;
        if c.in_all >= IN_ALL {
            return Err("the server holds as many connections as it can: try again in a minute");
        }
        let here = c.by_network.entry(network).or_insert(0);
        if *here >= PER_NETWORK && !network.is_loopback() {
            return Err("too many connections from your network: close some tabs, or try again in a minute");
        }
        *here += 1;
        c.in_all += 1;
        Ok(Place { counts: Arc::clone(counts), network })
    }

    fn release(&mut self, network: IpAddr) {
        if let Some(n) = self.by_network.get_mut(&network) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                self.by_network.remove(&network);
            }
        }
        self.in_all = self.in_all.saturating_sub(1);
    }

    /// Open connections in all.
    pub fn open(&self) -> u32 {
        self.in_all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One network gets at most its share, others still get in, and a place dropped
    /// (a connection gone, or an upgrade that never happened) is free again.
    #[test]
    fn a_network_is_capped_and_places_come_back() {
        let counts = Arc::new(Mutex::new(Connections::default()));
        let office: IpAddr = "192.0.2.7".parse().expect("ip");
        let mut held: Vec<Place> =
            (0..PER_NETWORK).map(|_| Connections::take(&counts, office).expect("a place")).collect();
        let refused = Connections::take(&counts, office).expect_err("the network's share is taken");
        assert!(refused.contains("your network"), "{refused}");
        // The same /64 is the same network.
        let v6a: IpAddr = "2001:db8::1".parse().expect("ip");
        let v6b: IpAddr = "2001:db8::ffff:2".parse().expect("ip");
        let one = Connections::take(&counts, v6a).expect("another network");
        let two = Connections::take(&counts, v6b).expect("the same /64, under its share");
        assert_eq!(counts.lock().expect("lock").by_network.len(), 2);
        held.pop();
        Connections::take(&counts, office).map(|p| held.push(p)).expect("a place came back");
        drop((one, two));
        drop(held);
        let c = counts.lock().expect("lock");
        assert_eq!((c.open(), c.by_network.len()), (0, 0), "every place given back, nothing remembered");
    }

    /// Loopback (this machine, or a reverse proxy) is not capped per network.
    #[test]
    fn loopback_is_capped_only_in_all() {
        let counts = Arc::new(Mutex::new(Connections::default()));
        let here: IpAddr = "127.0.0.1".parse().expect("ip");
        let held: Vec<Place> =
            (0..PER_NETWORK + 10).map(|_| Connections::take(&counts, here).expect("a place")).collect();
        assert_eq!(held.len() as u32, PER_NETWORK + 10);
    }

    /// The server-wide cap holds across networks.
    #[test]
    fn the_server_wide_cap_holds() {
        let counts = Arc::new(Mutex::new(Connections::default()));
        let held: Vec<Place> = (0..IN_ALL)
            .map(|n| Connections::take(&counts, IpAddr::V4((0x0A00_0000 + n / 100).into())).expect("a place"))
            .collect();
        let refused = Connections::take(&counts, "198.51.100.1".parse().expect("ip")).expect_err("full");
        assert!(refused.contains("as many connections"), "{refused}");
        drop(held);
        assert_eq!(counts.lock().expect("lock").open(), 0);
    }
}
