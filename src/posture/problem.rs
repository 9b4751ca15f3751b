//! The posture problems the verdict can report, and their words: one list every stage names
//! problems by (the verdict, the disputes, the coach's targets, the history's seconds, the
//! report).

use serde::{Deserialize, Serialize};

/// One thing wrong with the posture in a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// The head has drifted forward of the shoulders.
    ForwardHead,
    /// The shoulders have rounded forward.
    RoundedShoulders,
    /// The shoulders are hunched up toward the ears.
    ShouldersRaised,
    /// Leaning to one side.
    Leaning,
    /// Head and shoulders have come toward the screen together.
    TooClose,
    /// The head has been pitched down toward the screen or keyboard ("tech neck").
    HeadDown,
}

impl Problem {
    /// Every problem the verdict can report.
    pub const ALL: [Problem; 6] = [
        Problem::ForwardHead,
        Problem::RoundedShoulders,
        Problem::ShouldersRaised,
        Problem::Leaning,
        Problem::TooClose,
        Problem::HeadDown,
    ];

    /// The problem in a few plain words ("forward head").
    pub fn words(self) -> &'static str {
        match self {
            Problem::ForwardHead => "forward head",
            Problem::RoundedShoulders => "rounded shoulders",
            Problem::ShouldersRaised => "raised shoulders",
            Problem::Leaning => "leaning to one side",
            Problem::TooClose => "too close to the screen",
            Problem::HeadDown => "head down",
        }
    }
}
