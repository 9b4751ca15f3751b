//! Setups: named calibrations ("Desk", "Laptop", "Standing"), each for one camera and one place
//! in front of it, and which of them fits the person the camera sees now. A person who moves
//! from the laptop to the desk, or stands up at a standing desk, is judged against the setup
//! they are in, and when none fits the monitor asks instead of judging.
//!
//! Each setup keeps its own record of "I'm sitting fine" ([`super::disputes`], re-exported here).
//!
//! Pure: the book of setups goes in and out as values or JSON text; `files::setups` reads and
//! writes it.

use serde::{Deserialize, Serialize};

use super::calibration::{Calibration, anchor_of};
pub use super::disputes::{DISPUTE_CAP, DISPUTE_STEP, DISPUTES_PER_STEP, Disputes, Widening};
use crate::pose::Pose;

/// Version of the setups JSON this build writes and reads.
pub const SETUPS_VERSION: u32 = 1;

/// The name an existing single calibration gets when it becomes the first setup.
pub const MIGRATED_SETUP_NAME: &str = "Desk";

/// Another setup replaces the one in use, while that one still fits, only when the person is
/// nearer to it by this many body scales: sitting down from a standing setup reads as sinking
/// low in it (which is judged, not a new place), so the nearer sitting setup must win; between
/// two close setups the margin keeps the choice from flickering.
pub const SWITCH_MARGIN_SCALES: f32 = 0.5;

/// Longest setup name, characters (it is shown in the tray menu and the report).
pub const MAX_SETUP_NAME_CHARS: usize = 40;

/// One named calibration: where and how the person works in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    /// The user's name for it ("Desk", "Laptop", "Standing").
    pub name: String,
    /// The camera it was calibrated with (its name as the system gives it), if known; a setup
    /// without one fits any camera.
    #[serde(default)]
    pub camera: Option<String>,
    /// Calibrated standing (a standing desk): time in it counts as standing, a break from sitting.
    #[serde(default)]
    pub standing: bool,
    /// The neutral posture, and the disputes' widened limits.
    pub calibration: Calibration,
}

impl Setup {
    /// Whether this setup can be the one in use with `camera` (`None`: unknown camera).
    pub fn fits_camera(&self, camera: Option<&str>) -> bool {
        match (self.camera.as_deref(), camera) {
            (Some(mine), Some(now)) => mine == now,
            _ => true,
        }
    }

    /// The short tag the history and the window carry.
    pub fn tag(&self) -> SetupTag {
        SetupTag { name: self.name.clone(), standing: self.standing }
    }
}

/// Which setup a measure was taken in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupTag {
    /// Its name.
    pub name: String,
    /// Whether it is a standing setup.
    pub standing: bool,
}

/// Every setup of the user's, and the one used last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SetupBook {
    /// File format version ([`SETUPS_VERSION`]).
    pub version: u32,
    /// The setups, in the order they were made.
    pub setups: Vec<Setup>,
    /// The name of the setup in use when monitoring last stopped.
    #[serde(default)]
    pub last_used: Option<String>,
}

impl Default for SetupBook {
    fn default() -> Self {
        SetupBook { version: SETUPS_VERSION, setups: Vec::new(), last_used: None }
    }
}

/// Why a setup name or a setups file cannot be used.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum SetupError {
    /// Not valid setups JSON.
    #[error("the setups file is damaged ({reason}); calibrate again to replace it")]
    Corrupt {
        /// What the parser said.
        reason: String,
    },
    /// Written by a newer slouchwatch.
    #[error(
        "the setups file has version {found}, but this slouchwatch reads version {SETUPS_VERSION}; update \
         slouchwatch or calibrate again"
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
    },
    /// An empty or overlong name.
    #[error("a setup needs a name of 1 to {MAX_SETUP_NAME_CHARS} characters (e.g. \"Desk\", \"Laptop\", \"Standing\")")]
    BadName,
    /// No setup of that name.
    #[error("there is no setup called \"{name}\"; the setups are: {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names there are.
        known: String,
    },
}

/// A setup name as typed, trimmed; an error when empty or too long.
pub fn clean_name(name: &str) -> Result<String, SetupError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_SETUP_NAME_CHARS {
        return Err(SetupError::BadName);
    }
    Ok(name.to_owned())
}

impl SetupBook {
    /// The book an existing single calibration becomes: one setup, [`MIGRATED_SETUP_NAME`], for
    /// any camera (the old file did not say which).
    pub fn migrated(calibration: Calibration) -> SetupBook {
        let setup = Setup { name: MIGRATED_SETUP_NAME.to_owned(), camera: None, standing: false, calibration };
        SetupBook { last_used: Some(setup.name.clone()), setups: vec![setup], ..SetupBook::default() }
    }

    /// The setup called `name` (names compare without case).
    pub fn get(&self, name: &str) -> Option<&Setup> {
        self.setups.iter().find(|setup| setup.name.eq_ignore_ascii_case(name))
    }

    /// The setup called `name`, for changing it.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut Setup> {
        self.setups.iter_mut().find(|setup| setup.name.eq_ignore_ascii_case(name))
    }

    /// The setup called `name`, or an error listing the names there are.
    pub fn require(&self, name: &str) -> Result<&Setup, SetupError> {
        self.get(name).ok_or_else(|| SetupError::Unknown { name: name.to_owned(), known: self.names() })
    }

    /// The names, comma-separated ("none" when empty).
    pub fn names(&self) -> String {
        if self.setups.is_empty() {
            return "none".into();
        }
        self.setups.iter().map(|setup| setup.name.as_str()).collect::<Vec<_>>().join(", ")
    }

    /// Adds `setup`, or replaces the one of the same name. A recalibrated setup keeps what its
    /// disputes taught (the person said those limits were too tight for them; Settings resets).
    pub fn put(&mut self, mut setup: Setup) {
        self.last_used = Some(setup.name.clone());
        match self.get_mut(&setup.name) {
            Some(old) => {
                setup.calibration.disputes = std::mem::take(&mut old.calibration.disputes);
                *old = setup;
            }
            None => self.setups.push(setup),
        }
    }

    /// Removes the setup called `name`; whether there was one.
    pub fn remove(&mut self, name: &str) -> bool {
        let before = self.setups.len();
        self.setups.retain(|setup| !setup.name.eq_ignore_ascii_case(name));
        if self.last_used.as_deref().is_some_and(|last| last.eq_ignore_ascii_case(name)) {
            self.last_used = None;
        }
        self.setups.len() != before
    }

    /// The setup to start with on `camera`: the one used last if it fits the camera, else the
    /// first sitting one that does, else any that does.
    pub fn starting(&self, camera: Option<&str>) -> Option<&Setup> {
        let fits = |setup: &&Setup| setup.fits_camera(camera);
        self.last_used
            .as_deref()
            .and_then(|name| self.get(name))
            .filter(fits)
            .or_else(|| self.setups.iter().filter(fits).find(|setup| !setup.standing))
            .or_else(|| self.setups.iter().find(fits))
    }

    /// How far the person in `pose` is from where `setup` was calibrated, in body scales (the
    /// anchor's shift plus the log of its size change), or `None` when the setup does not fit:
    /// another camera, a pose too unclear to place, or its calibration stale for the pose.
    pub fn distance(setup: &Setup, camera: Option<&str>, pose: &Pose, frame_size: (u32, u32)) -> Option<f32> {
        let calibration = &setup.calibration;
        if !setup.fits_camera(camera) || calibration.staleness(pose, frame_size).is_some() {
            return None;
        }
        let anchor = anchor_of(pose, calibration.placement)?;
        let reference = calibration.anchor;
        let shift = anchor.position.distance(reference.position) / reference.scale_px.max(1.0);
        let size = (anchor.scale_px.max(1.0) / reference.scale_px.max(1.0)).ln().abs();
        Some(shift + size)
    }

    /// The setup that fits the person in `pose` on `camera`: among those that fit at all
    /// ([`SetupBook::distance`]), the nearest, with its distance. `None` when none fits.
    pub fn nearest(&self, camera: Option<&str>, pose: &Pose, frame_size: (u32, u32)) -> Option<(&Setup, f32)> {
        self.setups
            .iter()
            .filter_map(|setup| Some((setup, SetupBook::distance(setup, camera, pose, frame_size)?)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// [`SetupBook::nearest`] without the distance.
    pub fn matching(&self, camera: Option<&str>, pose: &Pose, frame_size: (u32, u32)) -> Option<&Setup> {
        self.nearest(camera, pose, frame_size).map(|(setup, _)| setup)
    }

    /// The book as pretty JSON.
    pub fn to_json(&self) -> String {
        // Plain numbers, strings and enums: serialising cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads setups JSON, refusing damaged files and newer versions (and the calibrations inside
    /// of a version this build does not read).
    pub fn from_json(text: &str) -> Result<SetupBook, SetupError> {
        #[derive(Deserialize)]
        struct VersionOnly {
            version: u32,
        }
        let corrupt = |error: serde_json::Error| SetupError::Corrupt { reason: error.to_string() };
        let version = serde_json::from_str::<VersionOnly>(text).map_err(corrupt)?.version;
        if version != SETUPS_VERSION {
            return Err(SetupError::UnsupportedVersion { found: version });
        }
        let book: SetupBook = serde_json::from_str(text).map_err(corrupt)?;
        if let Some(setup) =
            book.setups.iter().find(|setup| setup.calibration.version != super::calibration::CALIBRATION_VERSION)
        {
            return Err(SetupError::Corrupt {
                reason: format!("setup \"{}\" has a calibration of version {}", setup.name, setup.calibration.version),
            });
        }
        Ok(book)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pose::{KEYPOINT_COUNT, Keypoint, KeypointName};
    use crate::posture::{PlacementSetting, Problem, calibrate};

    const FRAME: (u32, u32) = (1280, 720);

    /// A front-view person with the shoulders' midpoint at (x, y) and `width` px across.
    fn person(x: f32, y: f32, width: f32) -> Pose {
        use KeypointName::*;
        let mut keypoints = [Keypoint { x: 0.0, y: 0.0, score: 0.05 }; KEYPOINT_COUNT];
        let s = width / 400.0;
        for (name, dx, dy) in [
            (LeftShoulder, 200.0, 0.0),
            (RightShoulder, -200.0, 0.0),
            (LeftEar, 80.0, -200.0),
            (RightEar, -80.0, -200.0),
            (LeftEye, 30.0, -210.0),
            (RightEye, -30.0, -210.0),
            (Nose, 0.0, -190.0),
        ] {
            keypoints[name.index()] = Keypoint { x: x + dx * s, y: y + dy * s, score: 0.9 };
        }
        Pose { keypoints, face: None }
    }

    fn setup(name: &str, camera: Option<&str>, standing: bool, pose: Pose) -> Setup {
        let calibration = calibrate(&vec![pose; 10], FRAME, PlacementSetting::Front).unwrap();
        Setup { name: name.into(), camera: camera.map(str::to_owned), standing, calibration }
    }

    /// Sitting at the desk low in the picture; standing puts the shoulders high and smaller.
    fn book() -> SetupBook {
        let mut book = SetupBook::default();
        book.put(setup("Desk", Some("Logitech"), false, person(640.0, 560.0, 400.0)));
        book.put(setup("Standing", Some("Logitech"), true, person(640.0, 300.0, 300.0)));
        book.put(setup("Laptop", Some("Integrated"), false, person(640.0, 600.0, 500.0)));
        book
    }

    #[test]
    fn the_setup_is_picked_by_camera_and_by_where_the_person_is() {
        let book = book();
        let at_desk = person(650.0, 565.0, 410.0);
        assert_eq!(book.matching(Some("Logitech"), &at_desk, FRAME).unwrap().name, "Desk");
        let standing = person(630.0, 310.0, 290.0);
        assert_eq!(book.matching(Some("Logitech"), &standing, FRAME).unwrap().name, "Standing");
        // The laptop's camera: only the laptop setup is for it.
        let at_laptop = person(640.0, 600.0, 500.0);
        assert_eq!(book.matching(Some("Integrated"), &at_laptop, FRAME).unwrap().name, "Laptop");
        // Sitting far to one side fits no setup: the monitor asks instead of judging.
        assert!(book.matching(Some("Logitech"), &person(1050.0, 560.0, 400.0), FRAME).is_none());
        // Another camera than any setup's: none fits.
        assert!(book.matching(Some("USB camera"), &at_desk, FRAME).is_none());
        // An unclear pose cannot be placed.
        let mut unclear = at_desk.clone();
        unclear.keypoints.iter_mut().for_each(|keypoint| keypoint.score = 0.1);
        assert!(book.matching(Some("Logitech"), &unclear, FRAME).is_none());
    }

    #[test]
    fn the_starting_setup_is_the_last_used_one_that_fits_the_camera() {
        let mut book = book();
        assert_eq!(book.last_used.as_deref(), Some("Laptop"));
        assert_eq!(book.starting(Some("Integrated")).unwrap().name, "Laptop");
        // The last used is for another camera: the first sitting setup of this one.
        assert_eq!(book.starting(Some("Logitech")).unwrap().name, "Desk");
        assert!(book.remove("desk"));
        assert_eq!(book.starting(Some("Logitech")).unwrap().name, "Standing");
        assert!(!book.remove("Desk"));
    }

    #[test]
    fn recalibrating_a_setup_keeps_its_disputes_and_names_compare_without_case() {
        let mut book = book();
        book.get_mut("Desk")
            .unwrap()
            .calibration
            .disputes
            .0
            .insert(Problem::HeadDown, Widening { steps: 1, disputes: 0, last_step: None });
        book.put(setup("desk", Some("Logitech"), false, person(640.0, 540.0, 420.0)));
        assert_eq!(book.setups.len(), 3);
        assert_eq!(book.get("DESK").unwrap().calibration.disputes.factor(Problem::HeadDown), 1.25);
        assert_eq!(clean_name("  Standing desk "), Ok("Standing desk".to_owned()));
        assert_eq!(clean_name("   "), Err(SetupError::BadName));
        let error = book.require("Sofa").unwrap_err().to_string();
        assert!(error.contains("Sofa") && error.contains("Standing"), "{error}");
    }

    #[test]
    fn a_single_calibration_migrates_and_the_json_round_trips() {
        let desk = setup("x", None, false, person(640.0, 560.0, 400.0));
        let book = SetupBook::migrated(desk.calibration.clone());
        assert_eq!(book.setups[0].name, MIGRATED_SETUP_NAME);
        assert_eq!(book.starting(Some("any camera")).unwrap().calibration, desk.calibration);
        let json = book.to_json();
        assert_eq!(SetupBook::from_json(&json).unwrap(), book);
        assert!(matches!(SetupBook::from_json(&json[..json.len() / 2]), Err(SetupError::Corrupt { .. })));
        let future = json.replacen("\"version\": 1", "\"version\": 7", 1);
        assert_eq!(SetupBook::from_json(&future), Err(SetupError::UnsupportedVersion { found: 7 }));
    }
}
