//! Which of the person's setups they are judged in, as they move (pure): the setup in use and
//! its calibration, a switch to a setup they are clearly nearer, "none fits" (asked, never
//! judged), and "I'm sitting fine" counted against the setup in use. [`super::step::Step`]
//! asks it once per judged frame.

use super::{EngineConfig, SourceEvent};
use crate::pose::Pose;
use crate::posture::setups::{SWITCH_MARGIN_SCALES, Setup, SetupBook, SetupTag};
use crate::posture::{Calibration, Problem};

/// The setups and the one in use.
pub struct SetupTracker {
    /// The calibration judged against (the setup in use's, or a lone one).
    calibration: Option<Calibration>,
    /// Every setup of the person's (empty: a lone calibration, or none).
    book: SetupBook,
    /// The camera's name, for picking setups.
    pub(super) camera: Option<String>,
    /// The setup in use (its calibration is `calibration`), if named.
    setup: Option<SetupTag>,
    /// Whether the person sits where none of their setups fits (said once per change).
    no_setup_fits: bool,
    /// Whether the book changed since [`SetupTracker::take_changed`] was last asked.
    changed: bool,
}

/// What following the person did.
#[derive(Debug, Clone, PartialEq)]
pub enum Followed {
    /// Still judged in the setup in use (or there are no setups).
    Stayed,
    /// Switched to another setup, whose calibration is now in use: measure again against it.
    Switched(SourceEvent),
    /// None of the setups fits where the person is: asked, not judged; the event the first time.
    NoneFits(Option<SourceEvent>),
}

impl SetupTracker {
    /// The setup to start in for `config`'s camera (none for another camera's setups).
    pub fn new(config: &EngineConfig) -> SetupTracker {
        let starting = config.setups.starting(config.camera.as_deref());
        let calibration = match starting {
            Some(setup) => Some(setup.calibration.clone()),
            // Setups, but none for this camera: nothing to judge against until one is made.
            None if !config.setups.setups.is_empty() => None,
            None => config.calibration.clone(),
        };
        SetupTracker {
            setup: starting.map(|setup| setup.tag()),
            book: config.setups.clone(),
            camera: config.camera.clone(),
            // Setups, but none for this camera: asked, not judged.
            no_setup_fits: starting.is_none() && !config.setups.setups.is_empty(),
            changed: false,
            calibration,
        }
    }

    /// The calibration judged against.
    pub fn calibration(&self) -> Option<&Calibration> {
        self.calibration.as_ref()
    }

    /// The setup in use, if named.
    pub fn setup(&self) -> Option<&SetupTag> {
        self.setup.as_ref()
    }

    /// Whether the person sits where none of their setups fits.
    pub fn no_setup_fits(&self) -> bool {
        self.no_setup_fits
    }

    /// The setups as they are now (disputes and switches included).
    pub fn book(&self) -> &SetupBook {
        &self.book
    }

    /// Whether the setups changed (a dispute, a switch) since last asked; asking clears it.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// Judges against `calibration` from now on.
    pub fn set_calibration(&mut self, calibration: Calibration) {
        self.calibration = Some(calibration);
    }

    /// Uses `book` from now on: the setup in use again if it is still there (with its new
    /// calibration and limits) and was the one just made or recalibrated, else the one to start
    /// with. Whether a setup's calibration is now in use (nothing measured before carries over).
    pub fn set_setups(&mut self, book: SetupBook) -> bool {
        self.changed = false;
        self.book = book;
        let camera = self.camera.as_deref();
        let current = self
            .setup
            .as_ref()
            .and_then(|tag| self.book.get(&tag.name))
            .filter(|setup| setup.fits_camera(camera))
            // A setup just made or recalibrated is the one to use.
            .filter(|setup| self.book.last_used.as_deref() == Some(setup.name.as_str()));
        match current.or_else(|| self.book.starting(camera)).cloned() {
            Some(setup) => {
                self.switch_to(&setup);
                true
            }
            None => {
                // Setups, but none for this camera (or none left): asked, not judged.
                self.setup = None;
                self.calibration = None;
                self.no_setup_fits = !self.book.setups.is_empty();
                false
            }
        }
    }

    /// Follows the person in `pose`, measured against the setup in use (`stale`: it does not
    /// fit where they are): another setup if they are in it, "none fits" if they are in none.
    pub fn follow(&mut self, pose: &Pose, frame_size: (u32, u32), stale: bool) -> Followed {
        let switch_to = self.better_setup(pose, frame_size, stale);
        if let Some(other) = switch_to {
            // Stood up, sat down, moved to the laptop: that setup.
            self.switch_to(&other);
            self.changed = true;
            self.no_setup_fits = false;
            return Followed::Switched(SourceEvent::SetupChanged { name: other.name, standing: other.standing });
        }
        if stale && !self.book.setups.is_empty() {
            // Not where this setup was calibrated, and in no other: ask rather than judge.
            let newly = !std::mem::replace(&mut self.no_setup_fits, true);
            return Followed::NoneFits(newly.then(|| SourceEvent::NoSetupFits { setups: self.book.names() }));
        }
        if !stale && pose.person_in_view() && self.calibration.is_some() {
            // Judged against the setup in use again.
            self.no_setup_fits = false;
        }
        Followed::Stayed
    }

    /// Counts "I'm sitting fine" against each of `problems` in the setup in use; the problems
    /// whose limit widened a step. Nothing without a calibration.
    pub fn dispute(&mut self, problems: &[Problem], stamp: &str) -> Vec<Problem> {
        let Some(calibration) = self.calibration.as_mut() else { return Vec::new() };
        let widened =
            problems.iter().copied().filter(|problem| calibration.disputes.dispute(*problem, stamp)).collect();
        if let Some(setup) = self.setup.as_ref().and_then(|tag| self.book.get_mut(&tag.name)) {
            setup.calibration.disputes = calibration.disputes.clone();
            self.changed = true;
        }
        widened
    }

    /// The setup to switch to for the person in `pose`: the nearest that fits, when the one in
    /// use is `stale` or another is nearer by [`SWITCH_MARGIN_SCALES`].
    fn better_setup(&self, pose: &Pose, frame_size: (u32, u32), stale: bool) -> Option<Setup> {
        if self.book.setups.is_empty() || !pose.person_in_view() {
            return None;
        }
        let camera = self.camera.as_deref();
        let (nearest, distance) = self.book.nearest(camera, pose, frame_size)?;
        let current = self.setup.as_ref().and_then(|tag| self.book.get(&tag.name));
        if current.is_some_and(|current| current.name == nearest.name) {
            return None;
        }
        let current_distance = current.and_then(|current| SetupBook::distance(current, camera, pose, frame_size));
        match current_distance {
            Some(current_distance) if !stale && distance + SWITCH_MARGIN_SCALES > current_distance => None,
            _ => Some(nearest.clone()),
        }
    }

    fn switch_to(&mut self, setup: &Setup) {
        self.setup = Some(setup.tag());
        self.book.last_used = Some(setup.name.clone());
        self.calibration = Some(setup.calibration.clone());
    }
}
