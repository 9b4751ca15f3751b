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
    /// Slumped low in the chair: the chin has sunk toward the shoulders, even with the head
    /// level (seen from the front with the face read).
    Slumped,
}

impl Problem {
    /// Every problem the verdict can report.
    pub const ALL: [Problem; 7] = [
        Problem::ForwardHead,
        Problem::RoundedShoulders,
        Problem::ShouldersRaised,
        Problem::Leaning,
        Problem::TooClose,
        Problem::HeadDown,
        Problem::Slumped,
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
            Problem::Slumped => "slumped low",
        }
    }
}

impl Problem {
    /// How many problems there are.
    pub const COUNT: usize = Problem::ALL.len();

    /// The problem's name in files, the history's columns and the command line
    /// (`forward_head`), as its JSON spells it.
    pub fn key(self) -> &'static str {
        match self {
            Problem::ForwardHead => "forward_head",
            Problem::RoundedShoulders => "rounded_shoulders",
            Problem::ShouldersRaised => "shoulders_raised",
            Problem::Leaning => "leaning",
            Problem::TooClose => "too_close",
            Problem::HeadDown => "head_down",
            Problem::Slumped => "slumped",
        }
    }

    /// The name of its seconds wherever they are stored or written out (`forward_head_s`: the
    /// history's column, the report's JSON and CSV).
    pub fn seconds_key(self) -> String {
        format!("{}_s", self.key())
    }

    /// Its place in [`Problem::ALL`].
    fn index(self) -> usize {
        self as usize
    }
}

/// Seconds slouched by problem, one number per [`Problem`]. A slouched second can show more
/// than one problem, so these can add up to more than the slouched time. Written out as
/// `{"forward_head_s": 12.0, ...}`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ProblemSeconds([f64; Problem::COUNT]);

impl ProblemSeconds {
    /// Adds `other`'s seconds, problem by problem.
    pub fn add(&mut self, other: &ProblemSeconds) {
        for problem in Problem::ALL {
            self[problem] += other[problem];
        }
    }

    /// Each problem with its seconds, in [`Problem::ALL`]'s order.
    pub fn iter(&self) -> impl Iterator<Item = (Problem, f64)> + '_ {
        Problem::ALL.into_iter().map(|problem| (problem, self[problem]))
    }
}

impl std::ops::Index<Problem> for ProblemSeconds {
    type Output = f64;
    fn index(&self, problem: Problem) -> &f64 {
        &self.0[problem.index()]
    }
}

impl std::ops::IndexMut<Problem> for ProblemSeconds {
    fn index_mut(&mut self, problem: Problem) -> &mut f64 {
        &mut self.0[problem.index()]
    }
}

impl Serialize for ProblemSeconds {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Problem::COUNT))?;
        for (problem, seconds) in self.iter() {
            map.serialize_entry(&problem.seconds_key(), &seconds)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ProblemSeconds {
    /// From a map of `{problem}_s` keys; a problem missing (a file from before it existed) has
    /// 0 seconds, and other keys are left alone (it may be flattened into a larger record).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ProblemSeconds, D::Error> {
        struct Seconds;
        impl<'de> serde::de::Visitor<'de> for Seconds {
            type Value = ProblemSeconds;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("seconds by problem (forward_head_s, ...)")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<ProblemSeconds, M::Error> {
                let mut seconds = ProblemSeconds::default();
                while let Some(key) = map.next_key::<String>()? {
                    match Problem::ALL.into_iter().find(|problem| problem.seconds_key() == key) {
                        Some(problem) => seconds[problem] = map.next_value()?,
                        None => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(seconds)
            }
        }
        deserializer.deserialize_map(Seconds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_json_names_and_seconds_round_trip_by_problem() {
        for problem in Problem::ALL {
            assert_eq!(serde_json::to_value(problem).unwrap(), problem.key(), "{problem:?}");
            assert_eq!(Problem::ALL[problem.index()], problem);
        }
        let mut seconds = ProblemSeconds::default();
        seconds[Problem::HeadDown] = 12.5;
        seconds.add(&seconds.clone());
        assert_eq!(seconds[Problem::HeadDown], 25.0);
        let json = serde_json::to_value(seconds).unwrap();
        assert_eq!(json["head_down_s"], 25.0);
        assert_eq!(json["forward_head_s"], 0.0);
        assert_eq!(json.as_object().unwrap().len(), Problem::COUNT);
        // A record from before a problem existed, with other fields beside.
        let old: ProblemSeconds = serde_json::from_str(r#"{"leaning_s": 3.0, "good_s": 9.0}"#).unwrap();
        assert_eq!((old[Problem::Leaning], old[Problem::HeadDown]), (3.0, 0.0));
        assert_eq!(serde_json::from_value::<ProblemSeconds>(json).unwrap(), seconds);
    }
}
