//! Desktop notifications for warnings and reminders, through the system's notification service
//! (`notify-rust`). An I/O edge: a missing service is logged once and never stops monitoring.

use std::sync::mpsc::Sender;

use crate::alerts::AlertEvent;
use crate::engine::EngineCommand;

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

/// The id of the warning notification's "I'm sitting fine" button.
pub const DISPUTE_ACTION: &str = "sitting-fine";

/// Shows desktop notifications; gives up quietly (after one log line) when the system has no
/// notification service. A warning carries an "I'm sitting fine" button where the service
/// supports buttons; pressing it sends [`EngineCommand::Dispute`] back to the engine.
#[derive(Debug, Default)]
pub struct DesktopNotifier {
    unavailable: bool,
    /// Where a pressed button is sent (`None`: no buttons).
    answers: Option<Sender<EngineCommand>>,
    /// Whether the service shows buttons (asked once).
    actions: Option<bool>,
}

/// Whether the desktop's notification service shows buttons (asked once).
#[cfg(all(unix, not(target_os = "macos")))]
fn service_shows_buttons() -> bool {
    notify_rust::get_capabilities().is_ok_and(|caps| caps.iter().any(|cap| cap == "actions"))
}

/// Windows' toasts show buttons (notify-rust makes them with WinRT).
#[cfg(windows)]
fn service_shows_buttons() -> bool {
    true
}

/// On macOS notify-rust sends no buttons: the window and the tray's menu carry "I'm sitting
/// fine" there.
#[cfg(not(any(windows, all(unix, not(target_os = "macos")))))]
fn service_shows_buttons() -> bool {
    false
}

impl DesktopNotifier {
    /// A notifier that will try the system service, sending button presses to `answers`.
    pub fn new(answers: Option<Sender<EngineCommand>>) -> DesktopNotifier {
        DesktopNotifier { answers, ..DesktopNotifier::default() }
    }

    /// Whether the notification service shows buttons ("actions" in its capabilities).
    fn supports_actions(&mut self) -> bool {
        *self.actions.get_or_insert_with(service_shows_buttons)
    }

    /// Shows the notification for `event`, if it has one.
    pub fn notify(&mut self, event: &AlertEvent) {
        if self.unavailable {
            return;
        }
        let Some((title, body)) = notification_text(event) else {
            return;
        };
        let mut notification = notify_rust::Notification::new();
        notification.appname("slouchwatch").summary(&title).body(&body);
        let answers = match event {
            AlertEvent::Warning { .. } if self.answers.is_some() && self.supports_actions() => {
                notification.action(DISPUTE_ACTION, "I'm sitting fine");
                self.answers.clone()
            }
            _ => None,
        };
        match notification.show() {
            Ok(handle) => {
                if let Some(answers) = answers {
                    wait_for_answer(handle, answers);
                }
            }
            Err(error) => {
                tracing::warn!(
                    "desktop notifications are unavailable ({error}); warnings still show in the window and the log"
                );
                self.unavailable = true;
            }
        }
    }
}

/// Waits (on its own thread: the service answers when the notification closes) for the button.
#[cfg(any(windows, all(unix, not(target_os = "macos"))))]
fn wait_for_answer(handle: notify_rust::NotificationHandle, answers: Sender<EngineCommand>) {
    let spawned = std::thread::Builder::new().name("slouchwatch-notification".into()).spawn(move || {
        handle.wait_for_action(|action| {
            if action == DISPUTE_ACTION {
                // The engine may have stopped meanwhile: then there is nothing to answer.
                let _ = answers.send(EngineCommand::Dispute);
            }
        });
    });
    if let Err(error) = spawned {
        tracing::debug!("the notification's button is not listened to: {error}");
    }
}

#[cfg(not(any(windows, all(unix, not(target_os = "macos")))))]
fn wait_for_answer(_handle: notify_rust::NotificationHandle, _answers: Sender<EngineCommand>) {}

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
