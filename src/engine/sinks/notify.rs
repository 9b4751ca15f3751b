//! Desktop notifications for warnings and reminders, through the system's notification service
//! (`notify-rust`). An I/O edge: a missing service is logged once and never stops monitoring.

use crate::alerts::AlertEvent;

/// Title and body of the notification for an event, or `None` for events that only go to
/// the history and the window.
pub fn notification_text(event: &AlertEvent) -> Option<(String, String)> {
    match event {
        AlertEvent::Warning { problems, .. } => {
            let words: Vec<&str> = problems.iter().map(|problem| problem.words()).collect();
            Some((
                "Time to sit up".to_owned(),
                format!(
                    "slouchwatch has seen {} for a while. Roll your shoulders back and bring your head over them.",
                    words.join(" and ")
                ),
            ))
        }
        AlertEvent::BreakReminder { sitting_for_min } => Some((
            "Time for a movement break".to_owned(),
            format!("You have been sitting for {sitting_for_min} minutes. Stand up, walk a little, stretch."),
        )),
        AlertEvent::Recalibrate { reason } => Some((
            "Please recalibrate".to_owned(),
            format!("Posture warnings are paused because {reason}. Sit upright and calibrate again."),
        )),
        _ => None,
    }
}

/// Shows desktop notifications; gives up quietly (after one log line) when the system has no
/// notification service.
#[derive(Debug, Default)]
pub struct DesktopNotifier {
    unavailable: bool,
}

impl DesktopNotifier {
    /// A notifier that will try the system service.
    pub fn new() -> DesktopNotifier {
        DesktopNotifier::default()
    }

    /// Shows the notification for `event`, if it has one.
    pub fn notify(&mut self, event: &AlertEvent) {
        if self.unavailable {
            return;
        }
        let Some((title, body)) = notification_text(event) else {
            return;
        };
        let shown = notify_rust::Notification::new().appname("slouchwatch").summary(&title).body(&body).show();
        if let Err(error) = shown {
            tracing::warn!(
                "desktop notifications are unavailable ({error}); warnings still show in the window and the log"
            );
            self.unavailable = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::Severity;
    use crate::posture::{Problem, StaleReason};

    #[test]
    fn warnings_and_reminders_have_plain_texts_others_none() {
        let warning = AlertEvent::Warning {
            problems: vec![Problem::ForwardHead, Problem::RoundedShoulders],
            severity: Severity::Mild,
            bad_for_s: 30,
        };
        let (title, body) = notification_text(&warning).unwrap();
        assert_eq!(title, "Time to sit up");
        assert!(body.contains("forward head and rounded shoulders"), "{body}");
        let (_, body) = notification_text(&AlertEvent::BreakReminder { sitting_for_min: 45 }).unwrap();
        assert!(body.contains("45 minutes"));
        assert!(notification_text(&AlertEvent::Recalibrate { reason: StaleReason::Moved }).is_some());
        assert!(notification_text(&AlertEvent::Away).is_none());
    }
}
