//! The status line's colour and today's totals in words. What state monitoring is in, and its
//! words, is [`MonitorState`]'s rule, shared with the tray and the bus.

use egui::Color32;

use super::kit::StateShape;
use crate::engine::Snapshot;
use crate::engine::status::MonitorState;
use crate::ui::theme;

/// The status line for the current state, and its colour: only [`MonitorState::Upright`] is
/// green; not calibrated, not judged and snoozed each say so.
pub fn status_text(snapshot: Option<&Snapshot>, camera_problem: Option<&str>, calibrated: bool) -> (String, Color32) {
    let state = MonitorState::of(camera_problem, snapshot, calibrated);
    (state.words(), status_colour(&state))
}

/// The colour the window draws a state in.
pub fn status_colour(state: &MonitorState) -> Color32 {
    status_look(state).0
}

/// How the window draws a state: its colour and the shape beside it, one rule for both, so no
/// state is told by colour alone. Only [`MonitorState::Upright`] is green.
pub fn status_look(state: &MonitorState) -> (Color32, StateShape) {
    match state {
        MonitorState::Upright => (theme::GOOD, StateShape::Tick),
        MonitorState::Slouching { warned: true, .. } => (theme::WARNING, StateShape::Warning),
        MonitorState::Slouching { warned: false, .. } | MonitorState::NoSetupFits | MonitorState::Recalibrate => {
            (theme::SLOUCHING, StateShape::Caution)
        }
        MonitorState::Paused { .. } | MonitorState::Snoozed { .. } | MonitorState::Yielded { .. } => {
            (theme::NEUTRAL, StateShape::Pause)
        }
        MonitorState::NotCalibrated | MonitorState::NotJudged => (theme::NEUTRAL, StateShape::Question),
        MonitorState::NoCamera { .. } => (theme::NEUTRAL, StateShape::Cross),
        _ => (theme::NEUTRAL, StateShape::Dash),
    }
}

/// Today's totals in words: time upright is only what was judged upright; the rest is said as
/// what it was.
pub fn today_words(today: &crate::engine::DayTotals) -> String {
    let minutes = |seconds: f64| match seconds {
        0.0 => "0 min".to_owned(),
        seconds if seconds < 60.0 => "under 1 min".to_owned(),
        seconds => format!("{} min", (seconds / 60.0).round()),
    };
    let mut text = format!("Today: {} at the desk", minutes(today.monitored_s));
    if today.monitored_s > 0.0 && today.upright_s + today.slouched_s == 0.0 {
        // Nothing judged: no share upright to give, not even 0%.
        text += ", none of it judged yet";
    } else if today.monitored_s > 0.0 {
        let share = 100.0 * today.upright_s / today.monitored_s;
        text +=
            &format!(", {} upright ({share:.0}%), {} slouching", minutes(today.upright_s), minutes(today.slouched_s));
        if today.not_judged_s() >= 30.0 {
            text += &format!(", {} not judged", minutes(today.not_judged_s()));
        }
    }
    if today.in_calls_s >= 30.0 {
        text += &format!(", {} in calls or with the camera lent out", minutes(today.in_calls_s));
    }
    let warnings = match today.warnings {
        0 => "no warnings".to_owned(),
        n => crate::report::count_words(n, "warning", "warnings"),
    };
    format!("{text}; {warnings}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::Problem;

    #[test]
    fn only_upright_is_green_and_a_standing_warning_is_drawn_as_one() {
        assert_eq!(status_colour(&MonitorState::Upright), theme::GOOD);
        for state in [MonitorState::NotCalibrated, MonitorState::NotJudged, MonitorState::Snoozed { until: None }] {
            assert_ne!(status_colour(&state), theme::GOOD, "{state:?}");
        }
        let warned = MonitorState::Slouching { problems: vec![Problem::HeadDown], warned: true };
        assert_eq!(status_colour(&warned), theme::WARNING);
        assert_eq!(status_colour(&MonitorState::NoSetupFits), theme::SLOUCHING);
        assert_eq!(status_text(None, Some("unplugged"), true), ("No camera: unplugged".into(), theme::NEUTRAL));
    }

    /// States a person must tell apart have different shapes, not only different colours.
    #[test]
    fn states_that_differ_have_different_shapes() {
        let shapes = [
            MonitorState::Upright,
            MonitorState::Slouching { problems: vec![Problem::HeadDown], warned: false },
            MonitorState::Slouching { problems: vec![Problem::HeadDown], warned: true },
            MonitorState::NotJudged,
            MonitorState::Snoozed { until: None },
        ]
        .map(|state| status_look(&state).1);
        for (i, a) in shapes.iter().enumerate() {
            for b in &shapes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn today_counts_only_judged_upright_time_as_upright() {
        let today = crate::engine::DayTotals {
            day: None,
            monitored_s: 600.0,
            upright_s: 0.0,
            slouched_s: 0.0,
            warnings: 1,
            in_calls_s: 0.0,
        };
        assert_eq!(today_words(&today), "Today: 10 min at the desk, none of it judged yet; 1 warning");
        let judged = crate::engine::DayTotals { upright_s: 120.0, slouched_s: 60.0, warnings: 2, ..today };
        assert_eq!(
            today_words(&judged),
            "Today: 10 min at the desk, 2 min upright (20%), 1 min slouching, 7 min not judged; 2 warnings"
        );
        assert_eq!(today_words(&Default::default()), "Today: 0 min at the desk; no warnings");
    }
}
