//! The catalog: stretches, habits and ergonomic fixes, read from `assets/stretches.toml` (built
//! into the binary) and checked when loaded, so a broken entry is a clear error at start, never a
//! blank card in front of a user.

use serde::{Deserialize, Serialize};

use crate::posture::Problem;

/// The catalog that ships with slouchwatch.
pub const BUILT_IN_CATALOG: &str = include_str!("../../assets/stretches.toml");

/// Folder of the illustrations named by entries, relative to the crate root.
pub const ILLUSTRATIONS_DIR: &str = "assets/illustrations";

/// Shortest and longest hold a stretch may ask for, seconds (heat and routines may run longer).
const STRETCH_HOLD_RANGE_S: std::ops::RangeInclusive<u32> = 3..=60;

/// What kind of help an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A stretch.
    Stretch,
    /// Self-massage.
    Massage,
    /// Heat therapy.
    Heat,
    /// A habit (posture check, walking).
    Habit,
    /// Strengthening exercise.
    Strengthening,
}

/// What an entry helps with: a posture problem, or a broader need. Spelt as the problem's
/// key (`forward_head`) or the need's (`upper_back_tension`) in the catalog and on the command
/// line, so a new problem is a target with no change here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A posture problem the verdict reports.
    Problem(Problem),
    /// A need that is not a problem in a frame.
    Need(Need),
}

/// The needs an entry can help with besides the posture problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Need {
    /// General tension between the shoulder blades.
    UpperBackTension,
    /// Stress held in the shoulders.
    Stress,
    /// Sitting too long.
    SittingLong,
}

impl Need {
    /// Every need.
    pub const ALL: [Need; 3] = [Need::UpperBackTension, Need::Stress, Need::SittingLong];

    /// Its name in the catalog and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Need::UpperBackTension => "upper_back_tension",
            Need::Stress => "stress",
            Need::SittingLong => "sitting_long",
        }
    }
}

impl Target {
    /// Every target: the problems, then the needs.
    pub fn all() -> impl Iterator<Item = Target> {
        Problem::ALL.into_iter().map(Target::Problem).chain(Need::ALL.into_iter().map(Target::Need))
    }

    /// Its name in the catalog and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Target::Problem(problem) => problem.key(),
            Target::Need(need) => need.key(),
        }
    }

    /// The target of this name, if there is one.
    pub fn named(name: &str) -> Option<Target> {
        Target::all().find(|target| target.key() == name)
    }
}

impl From<Problem> for Target {
    fn from(problem: Problem) -> Target {
        Target::Problem(problem)
    }
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Target {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Target, D::Error> {
        let name = String::deserialize(deserializer)?;
        Target::named(&name).ok_or_else(|| {
            let names: Vec<&str> = Target::all().map(Target::key).collect();
            serde::de::Error::custom(format!("unknown target '{name}': use one of {}", names.join(", ")))
        })
    }
}

/// Where an entry can be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// Seated at the desk.
    Desk,
    /// Standing up, anywhere.
    Standing,
    /// Against a wall.
    Wall,
    /// On the floor.
    Floor,
}

impl Place {
    /// The place in a few words ("at the desk").
    pub fn words(self) -> &'static str {
        match self {
            Place::Desk => "at the desk",
            Place::Standing => "standing",
            Place::Wall => "against a wall",
            Place::Floor => "on the floor",
        }
    }
}

/// One stretch, exercise or habit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// Stable identifier (recorded in the history).
    pub id: String,
    /// Display name.
    pub name: String,
    /// What kind of help.
    pub kind: Kind,
    /// What it helps with.
    pub targets: Vec<Target>,
    /// Where it can be done.
    pub places: Vec<Place>,
    /// One sentence.
    pub summary: String,
    /// How to do it.
    pub steps: Vec<String>,
    /// Seconds per hold.
    pub hold_s: u32,
    /// How many holds.
    pub rounds: u32,
    /// Whether each round is done on both sides (the timer doubles the holds).
    #[serde(default)]
    pub both_sides: bool,
    /// A breathing cue.
    pub breathing: String,
    /// Cautions.
    pub cautions: Vec<String>,
    /// File name in [`ILLUSTRATIONS_DIR`].
    pub illustration: String,
}

impl Entry {
    /// Whether it can be done seated at a desk (so it can be suggested as an immediate fix).
    pub fn at_desk(&self) -> bool {
        self.places.contains(&Place::Desk)
    }

    /// Whether it needs the floor and nothing else.
    pub fn floor_only(&self) -> bool {
        self.places.iter().all(|place| *place == Place::Floor)
    }

    /// Total time of the guided routine, seconds (holds only).
    pub fn duration_s(&self) -> u32 {
        self.hold_s * self.rounds * if self.both_sides { 2 } else { 1 }
    }
}

/// A desk change tied to a posture pattern.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErgonomicFix {
    /// Stable identifier.
    pub id: String,
    /// The problem whose persistence calls for this fix.
    pub pattern: Problem,
    /// Short title.
    pub title: String,
    /// What to change.
    pub text: String,
}

/// When to stop self-care and see a professional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeeAProfessional {
    /// The lead-in sentence.
    pub intro: String,
    /// The red flags.
    pub signs: Vec<String>,
}

/// The whole catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Stretches, habits, routines.
    #[serde(rename = "entry")]
    pub entries: Vec<Entry>,
    /// Desk changes.
    #[serde(rename = "ergonomic")]
    pub ergonomic: Vec<ErgonomicFix>,
    /// Red flags.
    pub see_a_professional: SeeAProfessional,
}

/// A catalog that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum CatalogError {
    /// Not valid TOML, or a field of the wrong type or name.
    #[error("the stretch catalog cannot be read: {0}")]
    Syntax(String),
    /// An entry is incomplete or out of range.
    #[error("the stretch catalog entry '{entry}' is incomplete: {problem}")]
    Incomplete {
        /// Which entry.
        entry: String,
        /// What is missing or wrong.
        problem: String,
    },
}

impl Catalog {
    /// The catalog built into slouchwatch.
    pub fn built_in() -> Result<Catalog, CatalogError> {
        Catalog::parse(BUILT_IN_CATALOG)
    }

    /// Parses and checks catalog text.
    pub fn parse(text: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = toml::from_str(text).map_err(|error| CatalogError::Syntax(error.to_string()))?;
        catalog.validate()?;
        Ok(catalog)
    }

    /// Checks that every entry is complete and every id unique.
    pub fn validate(&self) -> Result<(), CatalogError> {
        let mut seen = std::collections::HashSet::new();
        for entry in &self.entries {
            let incomplete =
                |problem: &str| CatalogError::Incomplete { entry: entry.id.clone(), problem: problem.to_owned() };
            if entry.id.trim().is_empty() || !seen.insert(entry.id.as_str()) {
                return Err(incomplete("its id is empty or used twice"));
            }
            if entry.name.trim().is_empty() || entry.summary.trim().is_empty() || entry.breathing.trim().is_empty() {
                return Err(incomplete("name, summary and breathing cue are all needed"));
            }
            if entry.steps.is_empty() || entry.steps.iter().any(|step| step.trim().is_empty()) {
                return Err(incomplete("it needs steps, none of them empty"));
            }
            if entry.targets.is_empty() || entry.places.is_empty() {
                return Err(incomplete("it needs at least one target and one place"));
            }
            if entry.rounds == 0 || entry.hold_s == 0 {
                return Err(incomplete("hold and rounds must be above zero"));
            }
            if entry.kind == Kind::Stretch && !STRETCH_HOLD_RANGE_S.contains(&entry.hold_s) {
                return Err(incomplete("a stretch hold must be 3 to 60 seconds"));
            }
            if !entry.illustration.ends_with(".svg") && !entry.illustration.ends_with(".png") {
                return Err(incomplete("the illustration must be an .svg or .png file"));
            }
        }
        if self.see_a_professional.signs.is_empty() {
            return Err(CatalogError::Incomplete {
                entry: "see_a_professional".into(),
                problem: "the red flags are missing".into(),
            });
        }
        Ok(())
    }

    /// An entry by id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_built_in_catalog_is_complete_and_its_illustrations_exist() {
        let catalog = Catalog::built_in().unwrap();
        assert!(catalog.entries.len() >= 14);
        for entry in &catalog.entries {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(ILLUSTRATIONS_DIR).join(&entry.illustration);
            assert!(path.is_file(), "{}: missing illustration {}", entry.id, path.display());
            let svg = std::fs::read_to_string(&path).unwrap();
            assert!(svg.starts_with("<svg") && svg.contains("</svg>"), "{}", entry.id);
        }
        for id in [
            "chin_tuck",
            "seated_spinal_twist",
            "cat_cow",
            "thread_the_needle",
            "wall_angels",
            "bird_dog",
            "doorway_chest_stretch",
            "upper_trap_stretch",
            "shoulder_rolls",
            "tennis_ball_massage",
            "heat",
            "posture_check",
            "strengthening_routine",
        ] {
            assert!(catalog.entry(id).is_some(), "{id} is missing");
        }
        assert_eq!(catalog.see_a_professional.signs.len(), 4);
    }

    #[test]
    fn stretches_hold_twenty_to_thirty_seconds_where_they_are_held() {
        let catalog = Catalog::built_in().unwrap();
        for id in ["seated_spinal_twist", "thread_the_needle", "doorway_chest_stretch", "upper_trap_stretch"] {
            let hold = catalog.entry(id).unwrap().hold_s;
            assert!((20..=30).contains(&hold), "{id}: {hold}");
        }
        assert_eq!(catalog.entry("heat").unwrap().hold_s, 15 * 60);
    }

    #[test]
    fn every_problem_has_a_desk_fix_and_an_ergonomic_fix() {
        let catalog = Catalog::built_in().unwrap();
        for problem in Problem::ALL {
            let target = Target::from(problem);
            let helping: Vec<&Entry> = catalog.entries.iter().filter(|e| e.targets.contains(&target)).collect();
            assert!(helping.len() >= 2, "{problem:?} has {} suggestions", helping.len());
            assert!(helping.iter().any(|e| e.at_desk()), "{problem:?} has nothing to do at a desk");
            assert!(catalog.ergonomic.iter().any(|fix| fix.pattern == problem), "{problem:?} has no desk change");
        }
    }

    #[test]
    fn broken_catalogs_are_clear_errors() {
        let syntax = Catalog::parse("[[entry]\nid = ").unwrap_err();
        assert!(matches!(syntax, CatalogError::Syntax(_)));
        let text = BUILT_IN_CATALOG.replacen("hold_s = 5\n", "hold_s = 0\n", 1);
        let error = Catalog::parse(&text).unwrap_err();
        assert_eq!(
            error,
            CatalogError::Incomplete {
                entry: "chin_tuck".into(),
                problem: "hold and rounds must be above zero".into()
            }
        );
        let unknown_target = BUILT_IN_CATALOG.replacen("\"forward_head\", \"too_close\"", "\"knees\"", 1);
        assert!(Catalog::parse(&unknown_target).unwrap_err().to_string().contains("knees"));
        let duplicate = format!(
            "{BUILT_IN_CATALOG}\n[[entry]]\nid = \"chin_tuck\"\nname = \"x\"\nkind = \"habit\"\ntargets = [\"stress\"]\nplaces = [\"desk\"]\nsummary = \"x\"\nsteps = [\"x\"]\nhold_s = 5\nrounds = 1\nbreathing = \"x\"\ncautions = []\nillustration = \"x.svg\"\n"
        );
        assert!(Catalog::parse(&duplicate).unwrap_err().to_string().contains("used twice"));
    }
}
