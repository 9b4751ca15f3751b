//! One frame through the engine's decisions, with no I/O: is the picture readable, has the source
//! frozen, did anything move (hold the last analysis) or must the model run, what is the posture
//! (smoothed), what does the alert machine say. [`Step::step`] returns a [`FrameOutcome`] and
//! calls no sink; the worker hands the outcome to the sinks. The model is reached through
//! [`PoseFinder`], so tests script the poses and need no model.

use chrono::{DateTime, TimeDelta, Utc};
use image::RgbImage;

use super::freeze::FreezeWatch;
use super::motion::MotionDetector;
pub use super::outcome::{Disputed, FrameKind, FrameOutcome, PoseFinder};
use super::picture::Picture;
use super::tracking::{Followed, SetupTracker};
use super::{EngineConfig, Snapshot, SourceEvent, summary::DayTotals};
use crate::alerts::{AlertMachine, Observation};
use crate::history::{Activity, FromUpright};
use crate::pose::{Pose, PoseError};
use crate::posture::setups::SetupBook;
use crate::posture::smoothing::SmoothedAssessor;
use crate::posture::{self, Assessment, Calibration, Metrics, Posture, PostureSettings};
use crate::source::Frame;

/// Even a still scene is analysed again after this long, so a slow drift is not missed.
pub const MAX_HOLD_S: i64 = 10;

/// The engine's per-frame state: alert machine, smoothing, motion, the last analysis, and which
/// of the person's setups they are judged in.
pub struct Step {
    /// The setups and the one in use (its calibration is the one judged against).
    tracker: SetupTracker,
    settings: PostureSettings,
    preview: bool,
    alerts: AlertMachine,
    assessor: SmoothedAssessor,
    motion: MotionDetector,
    last_analysis: Option<(DateTime<Utc>, Pose, Assessment)>,
    /// The latest frame's picture check (events are sent when it changes).
    picture: Picture,
    /// A source stuck on one picture.
    freeze: FreezeWatch,
}

impl Step {
    /// A step for `config`'s calibration, posture and alert settings.
    pub fn new(config: &EngineConfig) -> Step {
        Step {
            tracker: SetupTracker::new(config),
            settings: config.posture,
            preview: config.preview,
            alerts: AlertMachine::new(config.alerts),
            assessor: SmoothedAssessor::new(),
            motion: MotionDetector::new(),
            last_analysis: None,
            picture: Picture::Usable,
            freeze: FreezeWatch::default(),
        }
    }

    /// Whether identical frames mean the source is stuck (a camera can freeze; a replay of a
    /// still scene cannot).
    pub fn watch_freezing(&mut self, on: bool) {
        self.freeze.watch(on);
    }

    /// The alert machine, for commands (snooze, resume) and its state.
    pub fn alerts(&mut self) -> &mut AlertMachine {
        &mut self.alerts
    }

    /// Whether monitoring is paused (by the user, or by what holds it).
    pub fn is_paused(&self) -> bool {
        self.alerts.is_paused()
    }

    /// Uses `calibration` from now on; nothing measured against the old one carries over.
    pub fn set_calibration(&mut self, calibration: Calibration) {
        self.tracker.set_calibration(calibration);
        self.measure_afresh();
    }

    /// Forgets what was measured against the calibration before.
    fn measure_afresh(&mut self) {
        self.assessor.reset();
        self.motion.reset();
        self.last_analysis = None;
    }

    /// Whether there is a calibration to judge against.
    pub fn is_calibrated(&self) -> bool {
        self.tracker.calibration().is_some()
    }

    /// The setups as they are now (disputes and switches included).
    pub fn setups(&self) -> &SetupBook {
        self.tracker.book()
    }

    /// Whether the setups changed (a dispute, a switch) since last asked; asking clears it.
    pub fn take_changed_setups(&mut self) -> bool {
        self.tracker.take_changed()
    }

    /// Uses `book` from now on: the setup in use again if it is still there (with its new
    /// calibration and limits), else the one to start with.
    pub fn set_setups(&mut self, book: SetupBook) {
        if self.tracker.set_setups(book) {
            self.measure_afresh();
        }
    }

    /// "I'm sitting fine" at `now`: answers the warning (see [`AlertMachine::dispute`]) and counts
    /// the dispute against each of its problems in the setup in use, widening a limit when the
    /// disputes reach a step. `None` when there was no warning to answer.
    pub fn dispute(&mut self, now: DateTime<Utc>) -> Option<Disputed> {
        let (warned_at, problems) = self.alerts.dispute(now)?;
        let widened = self.tracker.dispute(&problems, &now.to_rfc3339());
        let setup = self.tracker.setup().map(|tag| tag.name.clone());
        Some(Disputed { warned_at, problems, widened, setup })
    }

    /// The source was lost: the next frame is compared with nothing.
    pub fn source_lost(&mut self) {
        self.motion.reset();
        self.freeze.reset();
    }

    /// Decides everything about one frame: skipped while paused or unreadable, else measured
    /// (or the last analysis held), followed into the setup it fits, judged and told to the
    /// alert machine.
    pub fn step(&mut self, frame: Frame, finder: &mut dyn PoseFinder) -> FrameOutcome {
        let now = frame.time;
        if self.alerts.is_paused() {
            let snapshot = Some(self.snapshot(now, Some(frame), None, false));
            return FrameOutcome { activity: Some(Activity::Paused), snapshot, ..FrameOutcome::new(FrameKind::Paused) };
        }
        let (changed, thumbnail) = self.motion.changed(&frame.image);
        let picture = Picture::of_thumbnail(&thumbnail);
        let frozen = self.freeze.frame(now, &thumbnail, frame.sequence, picture);
        let mut source_events: Vec<SourceEvent> = self.note_picture(picture).into_iter().collect();
        if picture != Picture::Usable {
            // Keypoints from such a frame are noise: unknown, never bad, and nothing held over.
            self.motion.reset();
            let unjudged = self.not_judged(frame, FrameKind::Unusable);
            return FrameOutcome { source_events, frozen, ..unjudged };
        }
        let (kind, pose, raw) = match self.measure(&frame.image, thumbnail, changed, now, finder) {
            Ok(measured) => measured,
            Err(error) => {
                source_events.push(SourceEvent::FrameSkipped { detail: error.to_string() });
                return FrameOutcome { source_events, frozen, ..FrameOutcome::new(FrameKind::Unreadable) };
            }
        };
        let seconds = now.timestamp_micros() as f64 / 1e6;
        let calibration = self.tracker.calibration();
        let mut assessment = self.assessor.assess(&pose, raw, seconds, calibration, &self.settings);
        let frame_size = frame.image.dimensions();
        match self.tracker.follow(&pose, frame_size, assessment.calibration_stale.is_some()) {
            Followed::Switched(event) => {
                // Measured again against the setup the person is in now.
                source_events.push(event);
                self.measure_afresh();
                let calibration = self.tracker.calibration();
                let raw = posture::assess(&pose, frame_size, calibration, &self.settings);
                self.last_analysis = Some((now, pose.clone(), raw.clone()));
                assessment = self.assessor.assess(&pose, raw, seconds, calibration, &self.settings);
            }
            Followed::NoneFits(event) => source_events.extend(event),
            Followed::Stayed => {}
        }
        let standing = self.tracker.setup().is_some_and(|tag| tag.standing) && assessment.calibration_stale.is_none();
        self.alerts.set_standing(now, standing && pose.person_in_view());
        let (observation, activity) = self.observe(&pose, &assessment);
        let alert_events = self.alerts.update(now, &observation);
        let snapshot = Some(self.snapshot(now, Some(frame), Some((pose, assessment)), kind == FrameKind::Held));
        FrameOutcome { kind, snapshot, activity: Some(activity), alert_events, source_events, frozen }
    }

    /// The pose and raw measures of a usable frame: the last analysis when nothing moved and it
    /// is recent (the model is skipped; smoothing still advances, as if it had measured the same
    /// again), else the model's.
    fn measure(
        &mut self,
        image: &RgbImage,
        thumbnail: Vec<f32>,
        changed: bool,
        now: DateTime<Utc>,
        finder: &mut dyn PoseFinder,
    ) -> Result<(FrameKind, Pose, Assessment), PoseError> {
        let held =
            self.last_analysis.as_ref().filter(|(at, _, _)| !changed && now - *at < TimeDelta::seconds(MAX_HOLD_S));
        if let Some((_, pose, raw)) = held {
            return Ok((FrameKind::Held, pose.clone(), raw.clone()));
        }
        let (pose, raw) = self.analyse(image, finder)?;
        self.motion.remember(thumbnail);
        self.last_analysis = Some((now, pose.clone(), raw.clone()));
        Ok((FrameKind::Analysed, pose, raw))
    }

    /// What the alert machine is told of a measured frame, and what its time counts as.
    fn observe(&self, pose: &Pose, assessment: &Assessment) -> (Observation, Activity) {
        if !pose.person_in_view() {
            return (Observation::NoPerson, Activity::Away);
        }
        if let Some(reason) = assessment.calibration_stale {
            let activity = Activity::Judged {
                posture: Posture::Unknown,
                problems: vec![],
                metrics: assessment.metrics,
                // A stale calibration is no measure of upright, nor is the person in the setup.
                from_upright: FromUpright::default(),
                setup: None,
            };
            return (Observation::Stale(reason), activity);
        }
        let observation = Observation::Judged {
            posture: assessment.posture,
            problems: assessment.problems.clone(),
            excess: assessment.excess,
        };
        let activity = Activity::Judged {
            posture: assessment.posture,
            problems: assessment.problems.clone(),
            metrics: assessment.metrics,
            from_upright: FromUpright::of(&assessment.metrics, self.tracker.calibration()),
            setup: self.tracker.setup().cloned(),
        };
        (observation, activity)
    }

    /// A frame taken for a calibration: the person is holding still for it, so it is not
    /// judged (time at the desk, posture unknown) and nothing measured before carries over.
    pub fn calibrating(&mut self, frame: Frame) -> FrameOutcome {
        self.not_judged(frame, FrameKind::Calibrating)
    }

    /// A frame at the desk whose posture is not judged: unknown (never bad, never good), the last
    /// analysis and the smoothing forgotten.
    fn not_judged(&mut self, frame: Frame, kind: FrameKind) -> FrameOutcome {
        let now = frame.time;
        self.last_analysis = None;
        self.assessor.reset();
        let unknown = Observation::Judged { posture: Posture::Unknown, problems: vec![], excess: 0.0 };
        FrameOutcome {
            kind,
            activity: Some(Activity::Judged {
                posture: Posture::Unknown,
                problems: vec![],
                metrics: Metrics::default(),
                from_upright: FromUpright::default(),
                setup: self.tracker.setup().cloned(),
            }),
            alert_events: self.alerts.update(now, &unknown),
            source_events: Vec::new(),
            frozen: None,
            snapshot: Some(self.snapshot(now, Some(frame), None, false)),
        }
    }

    /// Runs the model (on the calibrated person's region first) and the posture stage.
    fn analyse(&mut self, image: &RgbImage, finder: &mut dyn PoseFinder) -> Result<(Pose, Assessment), PoseError> {
        let frame_size = image.dimensions();
        let calibration = self.tracker.calibration();
        let region = calibration.and_then(|calibration| calibration.region_for(frame_size));
        let pose = finder.find(image, region)?;
        let assessment = posture::assess(&pose, frame_size, calibration, &self.settings);
        Ok((pose, assessment))
    }

    /// The event telling the person the picture became unreadable, or is fine again.
    fn note_picture(&mut self, picture: Picture) -> Option<SourceEvent> {
        if picture == self.picture {
            return None;
        }
        self.picture = picture;
        Some(match picture.advice() {
            Some(advice) => SourceEvent::PictureUnusable { detail: advice.to_owned() },
            None => SourceEvent::PictureUsable,
        })
    }

    /// What the window is shown for `now`; without a frame (the camera closed for a pause) the
    /// picture size is (0, 0) and there is no picture.
    fn snapshot(
        &self,
        now: DateTime<Utc>,
        frame: Option<Frame>,
        analysis: Option<(Pose, Assessment)>,
        held: bool,
    ) -> Snapshot {
        let frame_size = frame.as_ref().map(|frame| frame.image.dimensions()).unwrap_or((0, 0));
        let preview = frame.filter(|_| self.preview).map(|frame| std::sync::Arc::new(frame.image));
        let (pose, assessment) = match analysis {
            Some((pose, assessment)) => (Some(pose), Some(assessment)),
            None => (None, None),
        };
        Snapshot {
            time: now,
            frame_size,
            pose,
            assessment,
            held,
            alert_state: self.alerts.state(now),
            picture: self.picture,
            preview,
            today: DayTotals::default(),
            snoozed_until: self.alerts.snoozed_until(now),
            paused_until: self.alerts.paused_until(),
            setup: self.tracker.setup().cloned(),
            no_setup_fits: self.tracker.no_setup_fits(),
            in_use_elsewhere: None,
        }
    }

    /// A moment of a pause with the camera closed: no frame, only the time counted (as
    /// `activity`: paused, or given over to another program) and a snapshot that says so (no
    /// picture).
    pub fn paused_tick(&mut self, now: DateTime<Utc>, activity: Activity) -> FrameOutcome {
        FrameOutcome {
            kind: FrameKind::Paused,
            activity: Some(activity),
            alert_events: Vec::new(),
            source_events: Vec::new(),
            frozen: None,
            snapshot: Some(self.snapshot(now, None, None, false)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::AlertEvent;
    use crate::alerts::AlertSettings;
    use crate::engine::picture::FROZEN_AFTER_S;
    use crate::pose::Letterbox;
    use crate::pose::{KEYPOINT_COUNT, Keypoint, KeypointName};
    use crate::posture::PlacementSetting;

    const SIZE: (u32, u32) = (320, 240);

    /// A front-view person at the camera, the head `drop` pixels lower (a forward head, seen
    /// from the front, brings the ears down toward the shoulders) and as wide.
    fn front_pose(drop: f32) -> Pose {
        use KeypointName::*;
        let mut keypoints = [Keypoint { x: 0.0, y: 0.0, score: 0.05 }; KEYPOINT_COUNT];
        for (name, x, y) in [
            (LeftShoulder, 220.0, 200.0),
            (RightShoulder, 100.0, 200.0),
            (LeftEar, 185.0, 120.0 + drop),
            (RightEar, 135.0, 120.0 + drop),
            (LeftEye, 170.0, 115.0 + drop),
            (RightEye, 150.0, 115.0 + drop),
            (Nose, 160.0, 125.0 + drop),
        ] {
            keypoints[name.index()] = Keypoint { x, y, score: 0.9 };
        }
        Pose { keypoints, face: None }
    }

    /// Poses handed out in order; counts how often the "model" ran.
    struct Scripted {
        poses: Vec<Pose>,
        runs: usize,
    }

    impl PoseFinder for Scripted {
        fn find(&mut self, _image: &RgbImage, _region: Option<Letterbox>) -> Result<Pose, PoseError> {
            let pose = self.poses.get(self.runs).or(self.poses.last()).cloned();
            self.runs += 1;
            pose.ok_or(PoseError::BadOutput { len: 0 })
        }
    }

    /// A readable picture; `variant` changes it enough to count as movement.
    fn image(variant: u32) -> RgbImage {
        RgbImage::from_fn(SIZE.0, SIZE.1, |x, y| {
            let value = ((x / 8 + y / 8 + variant * 3) % 8 * 25 + 40) as u8;
            image::Rgb([value, value, value])
        })
    }

    fn frame(second: f64, variant: u32) -> Frame {
        let time = DateTime::from_timestamp(1_800_000_000, 0).unwrap() + TimeDelta::milliseconds((second * 1e3) as i64);
        Frame::new(image(variant), time)
    }

    fn calibrated_step() -> Step {
        let poses: Vec<Pose> = (0..10).map(|_| front_pose(0.0)).collect();
        let calibration = posture::calibrate(&poses, SIZE, PlacementSetting::Auto).unwrap();
        let config = EngineConfig {
            calibration: Some(calibration),
            alerts: AlertSettings { warn_after: TimeDelta::seconds(5), ..AlertSettings::default() },
            ..EngineConfig::default()
        };
        Step::new(&config)
    }

    /// A step judging in a one-setup book ("Desk"), warning after 5 s, with no cooldown.
    fn step_with_setup() -> Step {
        let poses: Vec<Pose> = (0..10).map(|_| front_pose(0.0)).collect();
        let calibration = posture::calibrate(&poses, SIZE, PlacementSetting::Auto).unwrap();
        let config = EngineConfig {
            setups: SetupBook::migrated(calibration),
            alerts: AlertSettings {
                warn_after: TimeDelta::seconds(5),
                cooldown: TimeDelta::zero(),
                clear_after: TimeDelta::seconds(1),
                ..AlertSettings::default()
            },
            ..EngineConfig::default()
        };
        Step::new(&config)
    }

    #[test]
    fn im_sitting_fine_counts_against_the_setup_and_widens_its_limit_after_repeats() {
        use crate::posture::Problem;
        use crate::posture::setups::{DISPUTE_STEP, DISPUTES_PER_STEP};
        let mut step = step_with_setup();
        assert!(step.dispute(frame(0.0, 0).time).is_none(), "no warning, nothing to dispute");
        let mut finder = Scripted { poses: vec![front_pose(0.0)], runs: 0 };
        let mut t = 0.0;
        let mut variant = 0;
        for round in 1..=DISPUTES_PER_STEP {
            // Upright, then a forward head until it warns, then "I'm sitting fine".
            finder.poses = vec![front_pose(0.0)];
            for _ in 0..6 {
                step.step(frame(t, variant), &mut finder);
                (t, variant) = (t + 0.5, variant + 1);
            }
            finder.poses = vec![front_pose(45.0)];
            let mut warned = false;
            while !warned {
                let outcome = step.step(frame(t, variant), &mut finder);
                warned = outcome.alert_events.iter().any(|event| matches!(event, AlertEvent::Warning { .. }));
                (t, variant) = (t + 0.5, variant + 1);
                assert!(t < 200.0, "never warned");
            }
            let disputed = step.dispute(frame(t, 0).time).expect("a warning to answer");
            assert_eq!(disputed.problems, vec![Problem::ForwardHead]);
            assert_eq!(disputed.setup.as_deref(), Some("Desk"));
            let last = round == DISPUTES_PER_STEP;
            assert_eq!(disputed.widened, if last { vec![Problem::ForwardHead] } else { vec![] }, "round {round}");
            assert!(step.take_changed_setups(), "the setups are saved after each dispute");
        }
        let desk = step.setups().get("Desk").unwrap();
        assert_eq!(desk.calibration.disputes.factor(Problem::ForwardHead), 1.0 + DISPUTE_STEP);
        assert_eq!(desk.calibration.disputes.factor(Problem::HeadDown), 1.0);
        // Still judging in the same setup.
        let snapshot = step.step(frame(t, variant), &mut finder).snapshot.unwrap();
        assert_eq!(snapshot.setup.unwrap().name, "Desk");
    }

    #[test]
    fn setups_for_another_camera_are_asked_about_not_judged_with() {
        let mut step = step_with_setup();
        assert!(step.is_calibrated());
        let mut book = step.setups().clone();
        book.setups[0].camera = Some("camera:2".into());
        let mut elsewhere =
            EngineConfig { setups: book.clone(), camera: Some("camera".into()), ..EngineConfig::default() };
        let fresh = Step::new(&elsewhere);
        assert!(!fresh.is_calibrated());
        let mut finder = Scripted { poses: vec![front_pose(0.0)], runs: 0 };
        let mut fresh = fresh;
        let snapshot = fresh.step(frame(0.0, 0), &mut finder).snapshot.unwrap();
        assert!(snapshot.no_setup_fits, "asked, from the first frame");
        assert_ne!(snapshot.assessment.unwrap().posture, Posture::Good);
        // The same when the setups change under a running step (Settings removed or changed them).
        step.tracker.camera = elsewhere.camera.take();
        step.set_setups(book);
        assert!(!step.is_calibrated());
        assert!(step.step(frame(0.5, 1), &mut finder).snapshot.unwrap().no_setup_fits);
    }

    #[test]
    fn a_still_scene_holds_the_last_analysis_and_a_moving_one_runs_the_model() {
        let mut step = calibrated_step();
        let mut finder = Scripted { poses: vec![front_pose(0.0)], runs: 0 };
        let kinds: Vec<FrameKind> = (0..4).map(|i| step.step(frame(i as f64 * 0.5, 0), &mut finder).kind).collect();
        assert_eq!(kinds, [FrameKind::Analysed, FrameKind::Held, FrameKind::Held, FrameKind::Held]);
        assert_eq!(finder.runs, 1);
        assert_eq!(step.step(frame(2.0, 1), &mut finder).kind, FrameKind::Analysed);
        // Past MAX_HOLD_S even a still scene is looked at again.
        assert_eq!(step.step(frame(2.0 + MAX_HOLD_S as f64, 1), &mut finder).kind, FrameKind::Analysed);
    }

    #[test]
    fn a_sustained_forward_head_warns_and_upright_frames_are_good() {
        let mut step = calibrated_step();
        let mut finder = Scripted { poses: vec![front_pose(0.0)], runs: 0 };
        let upright = step.step(frame(0.0, 0), &mut finder);
        let snapshot = upright.snapshot.unwrap();
        assert_eq!(snapshot.assessment.unwrap().posture, Posture::Good);
        assert!(matches!(upright.activity, Some(Activity::Judged { posture: Posture::Good, .. })));

        finder.poses = vec![front_pose(45.0)];
        let mut warned = None;
        for i in 1..30 {
            let outcome = step.step(frame(i as f64 * 0.5, i), &mut finder);
            if outcome.alert_events.iter().any(|event| matches!(event, AlertEvent::Warning { .. })) {
                warned = Some(i as f64 * 0.5);
                break;
            }
        }
        let warned = warned.expect("a forward head held for seconds warns");
        assert!(warned >= 5.0, "not before warn_after: {warned}");
    }

    #[test]
    fn an_unreadable_picture_is_unknown_and_a_model_failure_is_skipped() {
        let mut step = calibrated_step();
        let mut finder = Scripted { poses: vec![], runs: 0 };
        let dark = Frame::new(RgbImage::new(SIZE.0, SIZE.1), frame(0.0, 0).time);
        let outcome = step.step(dark, &mut finder);
        assert_eq!(outcome.kind, FrameKind::Unusable);
        assert_eq!(finder.runs, 0, "the model does not run on a dark picture");
        assert!(matches!(outcome.source_events.as_slice(), [SourceEvent::PictureUnusable { .. }]));
        assert!(matches!(outcome.activity, Some(Activity::Judged { posture: Posture::Unknown, .. })));

        let failed = step.step(frame(0.5, 0), &mut finder);
        assert_eq!(failed.kind, FrameKind::Unreadable);
        assert!(failed.snapshot.is_none() && failed.activity.is_none());
        assert!(failed.source_events.iter().any(|event| matches!(event, SourceEvent::FrameSkipped { .. })));
        assert!(failed.source_events.contains(&SourceEvent::PictureUsable));
    }

    #[test]
    fn a_camera_stuck_on_one_picture_is_noticed_and_paused_frames_are_not_looked_at() {
        let mut step = calibrated_step();
        step.watch_freezing(true);
        let mut finder = Scripted { poses: vec![front_pose(0.0)], runs: 0 };
        let mut frozen_at = None;
        for i in 0..30 {
            if step.step(frame(i as f64, 0), &mut finder).frozen.is_some() {
                frozen_at = Some(i);
                break;
            }
        }
        assert_eq!(frozen_at, Some(FROZEN_AFTER_S as i32 + 1));

        let runs = finder.runs;
        step.alerts().pause(frame(40.0, 0).time);
        let paused = step.step(frame(41.0, 5), &mut finder);
        assert_eq!((paused.kind, finder.runs), (FrameKind::Paused, runs));
        assert_eq!(paused.activity, Some(Activity::Paused));
    }
}
