use super::*;

#[test]
fn warning_messages_are_plain_words() {
    assert_eq!(warning_message(&[Problem::ForwardHead], Some(12.4)), "Your head has drifted about 12 degrees forward.");
    let both = warning_message(&[Problem::RoundedShoulders, Problem::TooClose], None);
    assert_eq!(both, "Your shoulders have rounded forward. You have moved close to the screen.");
}

#[test]
fn an_unreadable_picture_says_what_to_do_instead_of_a_verdict() {
    use crate::engine::picture::Picture;
    let mut snapshot = Snapshot {
        time: chrono::Utc::now(),
        frame_size: (640, 480),
        pose: None,
        assessment: None,
        held: false,
        alert_state: AlertState::Good,
        picture: Picture::TooDark,
        preview: None,
        today: Default::default(),
    };
    let (text, _) = status_text(Some(AlertState::Good), Some(&snapshot), None);
    assert!(text.starts_with("Too dark to see you: turn on a light"), "{text}");
    assert_eq!(status_text(Some(AlertState::Paused), Some(&snapshot), None).0, "Paused");
    snapshot.picture = Picture::Usable;
    assert_eq!(status_text(Some(AlertState::Good), Some(&snapshot), None).0, "Good posture");
    let (lost, _) = status_text(Some(AlertState::Good), Some(&snapshot), Some("unplugged"));
    assert_eq!(lost, "No camera: unplugged");
}
