//! A seeded bot that plays random legal moves: fuzzing, tests, benchmarks and the balancer.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::sim::play::game::{Game, UNIT};
use crate::sim::scenario::{Action, InjectIdx};

/// A seeded bot that takes random legal actions, for tests and the balancer.
#[derive(Debug, Clone)]
pub struct RandomBot {
    rng: ChaCha8Rng,
    /// Chance of taking one more action each time it considers one.
    pub eagerness: f64,
}

impl RandomBot {
    pub fn new(seed: u64) -> Self {
        Self { rng: ChaCha8Rng::seed_from_u64(seed ^ 0x9E37_79B9_7F4A_7C15), eagerness: 0.5 }
    }

    fn uniform(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 * UNIT
    }

    /// Takes this turn's actions (answering every due decision), without ending the turn.
    pub fn act(&mut self, game: &mut Game) {
        let due: Vec<InjectIdx> = game.due_decisions().map(|(i, _)| i).collect();
        for i in due {
            let n = game.scenario().injects[i.ix()].options.len() as u64;
            let o = (self.rng.next_u64() % n.max(1)) as u16;
            let _ = game.act(Action::Choose(i, o));
        }
        while self.uniform() < self.eagerness {
            let legal: Vec<Action> =
                game.legal_actions().into_iter().filter(|a| !matches!(a, Action::Choose(..))).collect();
            if legal.is_empty() {
                break;
            }
            let a = legal[(self.rng.next_u64() % legal.len() as u64) as usize];
            let _ = game.act(a);
        }
    }

    /// Plays a whole game.
    pub fn play(&mut self, game: &mut Game) {
        while !game.is_finished() {
            self.act(game);
            game.end_turn();
        }
    }
}
