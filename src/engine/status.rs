//! What state monitoring is in, and why: the one rule the window's status line, the tray, the
//! bus and `slouchwatch status` all show (pure). Each maps [`MonitorState`] to its own colours
//! or icons; the words and the state names are said here, once.
//!
//! Only a judged frame that matches the calibration is upright: not calibrated, a picture that
//! cannot be read, a person not seen clearly and a place no setup fits each say so instead.

use chrono::{DateTime, Utc};

use super::Snapshot;
use crate::alerts::AlertState;
use crate::posture::{Posture, Problem};

/// Every value of [`MonitorState::name`], as the bus and `slouchwatch status --json` give it.
pub const STATE_NAMES: [&str; 13] = [
    "starting",
    "upright",
    "slouching",
    "warning",
    "not_judged",
    "not_calibrated",
    "away",
    "paused",
    "yielded",
    "snoozed",
    "disputed",
    "recalibrate",
    "no_camera",
];

/// The state monitoring is in.
#[derive(Debug, Clone, PartialEq)]
pub enum MonitorState {
    /// Nothing has come from the engine yet.
    Starting,
    /// The camera is missing, taken or lost.
    NoCamera {
        /// What the camera's trouble is, in words.
        detail: String,
    },
    /// Paused by the person (or the locked screen).
    Paused {
        /// When the pause ends by itself.
        until: Option<DateTime<Utc>>,
        /// Whether the camera is closed (no frame comes while paused).
        camera_off: bool,
    },
    /// The camera is given over to another program (a video call): paused until it lets go.
    Yielded(super::InUseElsewhere),
    /// The picture cannot be read (dark, washed out, blank): not judged.
    PictureUnclear {
        /// What to do about it.
        advice: &'static str,
    },
    /// Judged, and as calibrated.
    Upright,
    /// Judged, and slouched.
    Slouching {
        /// The problems of the latest judged frame (empty while a slouch is being confirmed
        /// on a frame that judged none).
        problems: Vec<Problem>,
        /// Whether the warning stands.
        warned: bool,
    },
    /// The person sits where none of their setups fits: asked about, not judged.
    NoSetupFits,
    /// A person is seen, but there is no calibration to judge against.
    NotCalibrated,
    /// A person is seen, but not clearly enough to judge.
    NotJudged,
    /// Nobody is seen yet.
    LookingForYou,
    /// The person has left the desk.
    Away,
    /// Warnings are snoozed (posture is still judged and counted).
    Snoozed {
        /// When the snooze ends.
        until: Option<DateTime<Utc>>,
    },
    /// The person moved since calibrating: recalibrate to be judged again.
    Recalibrate,
    /// "I'm sitting fine" was said to this slouch: no warning for it.
    Disputed,
}

impl MonitorState {
    /// The state shown: no camera when the camera has a problem, else what the latest snapshot
    /// says, else starting. While paused nothing is analysed, so the last picture check says
    /// nothing about now.
    pub fn of(camera_problem: Option<&str>, snapshot: Option<&Snapshot>, calibrated: bool) -> MonitorState {
        if let Some(detail) = camera_problem {
            return MonitorState::NoCamera { detail: detail.to_owned() };
        }
        let Some(snapshot) = snapshot else {
            return MonitorState::Starting;
        };
        if let Some(other) = &snapshot.in_use_elsewhere {
            return MonitorState::Yielded(other.clone());
        }
        if let Some(advice) = snapshot.picture.advice()
            && snapshot.alert_state != AlertState::Paused
        {
            return MonitorState::PictureUnclear { advice };
        }
        let problems = || snapshot.assessment.as_ref().map(|a| a.problems.clone()).unwrap_or_default();
        let person = snapshot.pose.as_ref().is_some_and(|pose| pose.person_in_view());
        match snapshot.alert_state {
            AlertState::Good => match snapshot.assessment.as_ref().map(|a| a.posture) {
                Some(Posture::Good) => MonitorState::Upright,
                Some(Posture::Bad) => MonitorState::Slouching { problems: problems(), warned: false },
                _ if snapshot.no_setup_fits => MonitorState::NoSetupFits,
                _ if !calibrated && person => MonitorState::NotCalibrated,
                _ if person => MonitorState::NotJudged,
                _ => MonitorState::LookingForYou,
            },
            AlertState::Slouching => MonitorState::Slouching { problems: problems(), warned: false },
            AlertState::Warning => MonitorState::Slouching { problems: problems(), warned: true },
            AlertState::Away => MonitorState::Away,
            // A closed camera sends no frame, so the snapshot has no picture size.
            AlertState::Paused => {
                MonitorState::Paused { until: snapshot.paused_until, camera_off: snapshot.frame_size == (0, 0) }
            }
            AlertState::Snoozed => MonitorState::Snoozed { until: snapshot.snoozed_until },
            AlertState::Recalibrate if snapshot.no_setup_fits => MonitorState::NoSetupFits,
            AlertState::Recalibrate => MonitorState::Recalibrate,
            AlertState::Disputed => MonitorState::Disputed,
        }
    }

    /// The state's name, one of [`STATE_NAMES`].
    pub fn name(&self) -> &'static str {
        match self {
            MonitorState::Starting => "starting",
            MonitorState::NoCamera { .. } => "no_camera",
            MonitorState::Paused { .. } => "paused",
            MonitorState::Yielded(_) => "yielded",
            MonitorState::PictureUnclear { .. } | MonitorState::NotJudged | MonitorState::LookingForYou => "not_judged",
            MonitorState::Upright => "upright",
            MonitorState::Slouching { warned: false, .. } => "slouching",
            MonitorState::Slouching { warned: true, .. } => "warning",
            MonitorState::NoSetupFits | MonitorState::Recalibrate => "recalibrate",
            MonitorState::NotCalibrated => "not_calibrated",
            MonitorState::Away => "away",
            MonitorState::Snoozed { .. } => "snoozed",
            MonitorState::Disputed => "disputed",
        }
    }

    /// The state in words, as the window, the tray and `slouchwatch status` say it.
    pub fn words(&self) -> String {
        let clock = |until: &Option<DateTime<Utc>>| {
            until
                .map(|until| format!(" until {}", until.with_timezone(&chrono::Local).format("%H:%M")))
                .unwrap_or_default()
        };
        match self {
            MonitorState::Starting => "Starting...".into(),
            MonitorState::NoCamera { detail } => format!("No camera: {detail}"),
            MonitorState::Paused { until, camera_off } => {
                let what = if *camera_off { "the camera is off" } else { "the camera picture is not looked at" };
                format!("Paused{}: {what}", clock(until))
            }
            MonitorState::Yielded(other) => format!("Paused: {}", other.words()),
            MonitorState::PictureUnclear { advice } => capitalised(advice),
            MonitorState::Upright => "Good posture".into(),
            MonitorState::Slouching { problems, .. } if problems.is_empty() => "Slouching".into(),
            MonitorState::Slouching { problems, .. } => {
                let problems: Vec<&str> = problems.iter().map(|problem| problem.words()).collect();
                format!("Slouching: {}", problems.join(", "))
            }
            MonitorState::NoSetupFits => "Not judged: none of your setups fits where you are".into(),
            MonitorState::NotCalibrated => "Not calibrated: posture is not judged yet".into(),
            MonitorState::NotJudged => "Cannot see you clearly: posture is not judged".into(),
            MonitorState::LookingForYou => "Looking for you...".into(),
            MonitorState::Away => "Away".into(),
            MonitorState::Snoozed { until } => format!("Warnings snoozed{}", clock(until)),
            MonitorState::Recalibrate => "You moved since calibrating: recalibrate to be judged again".into(),
            MonitorState::Disputed => "You said you are sitting fine: no warning for this slouch".into(),
        }
    }
}

/// `text` with its first letter in upper case (a message made to follow a colon, said alone).
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::picture::Picture;
    use crate::pose::{KEYPOINT_COUNT, Keypoint, Pose};
    use crate::posture::{Assessment, CameraPlacement};

    fn snapshot(posture: Option<Posture>, problems: Vec<Problem>) -> Snapshot {
        let person = Pose { keypoints: [Keypoint { x: 100.0, y: 100.0, score: 0.9 }; KEYPOINT_COUNT], face: None };
        Snapshot {
            time: Utc::now(),
            frame_size: (640, 480),
            pose: Some(person),
            assessment: posture.map(|posture| Assessment {
                placement: Some(CameraPlacement::Front),
                metrics: Default::default(),
                posture,
                problems,
                excess: 0.0,
                readings: Vec::new(),
                calibration_stale: None,
            }),
            held: false,
            alert_state: AlertState::Good,
            picture: Picture::Usable,
            preview: None,
            today: Default::default(),
            snoozed_until: None,
            paused_until: None,
            setup: None,
            no_setup_fits: false,
            in_use_elsewhere: None,
        }
    }

    #[test]
    fn an_unreadable_picture_says_what_to_do_instead_of_a_verdict() {
        let mut dark = snapshot(Some(Posture::Good), vec![]);
        dark.picture = Picture::TooDark;
        let state = MonitorState::of(None, Some(&dark), true);
        assert_eq!(state.name(), "not_judged");
        assert!(state.words().starts_with("Too dark to see you: turn on a light"), "{}", state.words());
        let paused = Snapshot { alert_state: AlertState::Paused, frame_size: (0, 0), ..dark.clone() };
        assert_eq!(MonitorState::of(None, Some(&paused), true).words(), "Paused: the camera is off");
        let zoom = crate::engine::InUseElsewhere { program: "zoom".into(), uses: crate::engine::OtherUse::Camera };
        let yielded = Snapshot { in_use_elsewhere: Some(zoom), ..paused.clone() };
        let state = MonitorState::of(None, Some(&yielded), true);
        assert_eq!((state.name(), state.words().as_str()), ("yielded", "Paused: the camera is in use by zoom"));
        let lost = MonitorState::of(Some("unplugged"), Some(&dark), true);
        assert_eq!((lost.name(), lost.words().as_str()), ("no_camera", "No camera: unplugged"));
        assert_eq!(MonitorState::of(None, None, true), MonitorState::Starting);
    }

    #[test]
    fn only_a_judged_upright_frame_is_upright() {
        let good = snapshot(Some(Posture::Good), vec![]);
        assert_eq!(MonitorState::of(None, Some(&good), true), MonitorState::Upright);
        assert_eq!(MonitorState::Upright.words(), "Good posture");
        let unjudged = snapshot(Some(Posture::Unknown), vec![]);
        assert_eq!(MonitorState::of(None, Some(&unjudged), false), MonitorState::NotCalibrated);
        assert_eq!(MonitorState::of(None, Some(&unjudged), true), MonitorState::NotJudged);
        let nobody = Snapshot { pose: None, ..unjudged.clone() };
        assert_eq!(MonitorState::of(None, Some(&nobody), false).words(), "Looking for you...");
        // A slouch state with no problem in the latest frame never shows an empty reason.
        let slouching = Snapshot { alert_state: AlertState::Slouching, ..unjudged.clone() };
        assert_eq!(MonitorState::of(None, Some(&slouching), true).words(), "Slouching");
        let warned =
            Snapshot { alert_state: AlertState::Warning, ..snapshot(Some(Posture::Bad), vec![Problem::HeadDown]) };
        let state = MonitorState::of(None, Some(&warned), true);
        assert_eq!((state.name(), state.words().as_str()), ("warning", "Slouching: head down"));
        let until = Utc::now() + chrono::TimeDelta::minutes(30);
        let snoozed = Snapshot { alert_state: AlertState::Snoozed, snoozed_until: Some(until), ..good };
        let expected = format!("Warnings snoozed until {}", until.with_timezone(&chrono::Local).format("%H:%M"));
        assert_eq!(MonitorState::of(None, Some(&snoozed), true).words(), expected);
        // Where no setup fits (or none is for this camera) it is asked, never "not calibrated".
        for state in [AlertState::Good, AlertState::Recalibrate] {
            let unfitted = Snapshot { no_setup_fits: true, alert_state: state, ..unjudged.clone() };
            assert_eq!(MonitorState::of(None, Some(&unfitted), false), MonitorState::NoSetupFits, "{state:?}");
        }
        assert_eq!(MonitorState::NoSetupFits.name(), "recalibrate");
        let disputed = Snapshot { alert_state: AlertState::Disputed, ..warned };
        assert_eq!(MonitorState::of(None, Some(&disputed), true).name(), "disputed");
    }

    #[test]
    fn every_state_has_a_listed_name_and_words() {
        let states = [
            MonitorState::Starting,
            MonitorState::NoCamera { detail: "x".into() },
            MonitorState::Paused { until: None, camera_off: false },
            MonitorState::Yielded(crate::engine::InUseElsewhere {
                program: "zoom".into(),
                uses: crate::engine::OtherUse::Microphone,
            }),
            MonitorState::PictureUnclear { advice: "too dark" },
            MonitorState::Upright,
            MonitorState::Slouching { problems: vec![], warned: false },
            MonitorState::Slouching { problems: vec![], warned: true },
            MonitorState::NoSetupFits,
            MonitorState::NotCalibrated,
            MonitorState::NotJudged,
            MonitorState::LookingForYou,
            MonitorState::Away,
            MonitorState::Snoozed { until: None },
            MonitorState::Recalibrate,
            MonitorState::Disputed,
        ];
        let names: std::collections::BTreeSet<&str> = states.iter().map(MonitorState::name).collect();
        assert_eq!(names, STATE_NAMES.into_iter().collect(), "every name is used and listed");
        assert!(states.iter().all(|state| !state.words().is_empty()));
    }
}
