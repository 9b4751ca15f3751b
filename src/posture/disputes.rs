//! "I'm sitting fine", remembered: repeated disputes of one problem widen that problem's limit
//! in one setup by a named step, never past a named cap. Each calibration carries its own.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::problem::Problem;

/// Disputes of one problem in one setup before its limit widens by a step: one "I'm sitting
/// fine" may be a moment's judgement; three of the same problem say the limit does not fit.
pub const DISPUTES_PER_STEP: u32 = 3;

/// Each step widens the problem's limit by this share of its default (a forward-head limit of
/// 10 degrees becomes 12.5): enough to quiet a limit set a little too tight, small enough that a
/// real slouch still shows.
pub const DISPUTE_STEP: f32 = 0.25;

/// Disputes never widen a limit past this many times its default (three steps): a slouch far past
/// the default limit still warns whatever was disputed.
pub const DISPUTE_CAP: f32 = 1.75;

/// What disputes did to one problem's limit in one setup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Widening {
    /// Disputes since the last step (or since the start).
    pub disputes: u32,
    /// Steps taken so far.
    pub steps: u32,
    /// When the last step was taken (RFC 3339), for the reason shown in Settings.
    #[serde(default)]
    pub last_step: Option<String>,
}

impl Widening {
    /// How many times its default the limit is now: 1 + steps x [`DISPUTE_STEP`], at most
    /// [`DISPUTE_CAP`].
    ///
    /// ```
    /// use slouchwatch::posture::setups::Widening;
    /// assert_eq!(Widening::default().factor(), 1.0);
    /// assert_eq!(Widening { steps: 2, ..Widening::default() }.factor(), 1.5);
    /// assert_eq!(Widening { steps: 9, ..Widening::default() }.factor(), 1.75);
    /// ```
    pub fn factor(&self) -> f32 {
        (1.0 + self.steps as f32 * DISPUTE_STEP).min(DISPUTE_CAP)
    }

    /// Whether another step would still widen the limit.
    pub fn at_cap(&self) -> bool {
        1.0 + (self.steps + 1) as f32 * DISPUTE_STEP > DISPUTE_CAP + f32::EPSILON
    }

    /// Why the limit is wider, in the words Settings shows.
    pub fn reason(&self) -> String {
        let disputes = self.steps * DISPUTES_PER_STEP;
        format!(
            "{:.0}% wider: you said \"I'm sitting fine\" to {disputes} of its warnings{}",
            (self.factor() - 1.0) * 100.0,
            if self.at_cap() { " (as wide as it goes)" } else { "" }
        )
    }
}

/// The disputes of one setup, by problem.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Disputes(pub BTreeMap<Problem, Widening>);

impl Disputes {
    /// Whether nothing was ever disputed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many times its default `problem`'s limit is (1.0 when never widened).
    pub fn factor(&self, problem: Problem) -> f32 {
        self.0.get(&problem).map_or(1.0, Widening::factor)
    }

    /// Records one "I'm sitting fine" against `problem` at `now` (RFC 3339); returns whether
    /// its limit widened a step.
    pub fn dispute(&mut self, problem: Problem, now: &str) -> bool {
        let widening = self.0.entry(problem).or_default();
        widening.disputes += 1;
        if widening.disputes < DISPUTES_PER_STEP || widening.at_cap() {
            return false;
        }
        widening.disputes = 0;
        widening.steps += 1;
        widening.last_step = Some(now.to_owned());
        true
    }

    /// The problems whose limits are wider, with how.
    pub fn widened(&self) -> impl Iterator<Item = (Problem, &Widening)> {
        self.0.iter().filter(|(_, widening)| widening.steps > 0).map(|(problem, widening)| (*problem, widening))
    }

    /// Back to the default limits (and no disputes counted) for `problem`, or for all.
    pub fn reset(&mut self, problem: Option<Problem>) {
        match problem {
            Some(problem) => {
                self.0.remove(&problem);
            }
            None => self.0.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disputes_widen_one_problem_by_the_step_up_to_the_cap_and_reset() {
        let mut disputes = Disputes::default();
        let widened: Vec<bool> =
            (0..12).map(|_| disputes.dispute(Problem::ForwardHead, "2026-11-30T10:00:00Z")).collect();
        // Every third dispute widens, until the cap: 1.25, 1.5, 1.75, then no further.
        assert_eq!(widened.iter().filter(|w| **w).count(), 3, "{widened:?}");
        assert!(widened[2] && widened[5] && widened[8] && !widened[11]);
        assert_eq!(disputes.factor(Problem::ForwardHead), DISPUTE_CAP);
        assert_eq!(disputes.factor(Problem::RoundedShoulders), 1.0, "only the disputed problem");
        let reason = disputes.0[&Problem::ForwardHead].reason();
        assert!(
            reason.contains("75% wider") && reason.contains("9 of its warnings") && reason.contains("as wide"),
            "{reason}"
        );
        disputes.dispute(Problem::HeadDown, "t");
        assert_eq!(disputes.widened().count(), 1, "one dispute does not widen");
        disputes.reset(Some(Problem::ForwardHead));
        assert_eq!(disputes.factor(Problem::ForwardHead), 1.0);
        assert!(disputes.0.contains_key(&Problem::HeadDown));
        disputes.reset(None);
        assert!(disputes.0.is_empty());
    }
}
