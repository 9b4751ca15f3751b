//! The guided hold timer: which round and side is running and how long is left, as a pure
//! function of the time since the user pressed start (the window calls it every frame).

use serde::Serialize;

use super::catalog::Entry;

/// Rest between holds, seconds: enough to let go and set up the next one.
pub const REST_BETWEEN_HOLDS_S: f64 = 5.0;

/// What the timer shows.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "phase", rename_all = "snake_case")]
pub enum TimerState {
    /// Holding: round (1-based) of `rounds`, on `side` (1 or 2; always 1 for one-sided
    /// entries), with `remaining_s` to go.
    Hold {
        /// Current round.
        round: u32,
        /// Total rounds.
        rounds: u32,
        /// Side 1 or 2.
        side: u32,
        /// Seconds left in this hold.
        remaining_s: f64,
    },
    /// Resting before the next hold.
    Rest {
        /// Seconds left.
        remaining_s: f64,
    },
    /// Finished.
    Done,
}

/// A timer for one entry's holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoldTimer {
    hold_s: f64,
    rounds: u32,
    sides: u32,
}

impl HoldTimer {
    /// The timer for `entry`.
    pub fn for_entry(entry: &Entry) -> HoldTimer {
        HoldTimer { hold_s: entry.hold_s as f64, rounds: entry.rounds, sides: if entry.both_sides { 2 } else { 1 } }
    }

    /// Total time including rests, seconds.
    pub fn total_s(&self) -> f64 {
        let holds = (self.rounds * self.sides) as f64;
        holds * self.hold_s + (holds - 1.0).max(0.0) * REST_BETWEEN_HOLDS_S
    }

    /// The state `elapsed_s` seconds after start.
    pub fn at(&self, elapsed_s: f64) -> TimerState {
        let holds = self.rounds * self.sides;
        let cycle = self.hold_s + REST_BETWEEN_HOLDS_S;
        let elapsed = elapsed_s.max(0.0);
        let index = (elapsed / cycle).floor() as u32;
        if index >= holds || elapsed >= self.total_s() {
            return TimerState::Done;
        }
        let into = elapsed - index as f64 * cycle;
        if into < self.hold_s {
            TimerState::Hold {
                round: index / self.sides + 1,
                rounds: self.rounds,
                side: index % self.sides + 1,
                remaining_s: self.hold_s - into,
            }
        } else {
            TimerState::Rest { remaining_s: cycle - into }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coach::Catalog;

    #[test]
    fn a_two_sided_stretch_alternates_sides_with_rests() {
        let catalog = Catalog::built_in().unwrap();
        let twist = catalog.entry("seated_spinal_twist").unwrap();
        let timer = HoldTimer::for_entry(twist);
        assert_eq!(timer.total_s(), 4.0 * 20.0 + 3.0 * REST_BETWEEN_HOLDS_S);
        assert_eq!(timer.at(0.0), TimerState::Hold { round: 1, rounds: 2, side: 1, remaining_s: 20.0 });
        assert_eq!(timer.at(21.0), TimerState::Rest { remaining_s: 4.0 });
        assert_eq!(timer.at(26.0), TimerState::Hold { round: 1, rounds: 2, side: 2, remaining_s: 19.0 });
        assert_eq!(timer.at(50.0), TimerState::Hold { round: 2, rounds: 2, side: 1, remaining_s: 20.0 });
        assert_eq!(timer.at(timer.total_s()), TimerState::Done);
        assert_eq!(timer.at(-3.0), TimerState::Hold { round: 1, rounds: 2, side: 1, remaining_s: 20.0 });
    }

    #[test]
    fn a_single_long_hold_counts_down_then_ends() {
        let catalog = Catalog::built_in().unwrap();
        let timer = HoldTimer::for_entry(catalog.entry("heat").unwrap());
        assert_eq!(timer.total_s(), 900.0);
        assert!(matches!(timer.at(600.0), TimerState::Hold { remaining_s, .. } if remaining_s == 300.0));
        assert_eq!(timer.at(900.0), TimerState::Done);
    }
}
