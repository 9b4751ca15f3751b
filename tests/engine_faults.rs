//! Camera faults through the real engine: no webcam exists here, so a scripted source plays the
//! camera (the one fake the project allows), delivering real frames and failing as a camera does.

mod common;

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use common::fixture;
use slouchwatch::engine::{self, EngineConfig, EngineEvent, EngineMessage, SourceEvent};
use slouchwatch::pose::{ModelChoice, PoseEstimator};
use slouchwatch::source::{Frame, FrameSource, SourceError};

/// What the scripted camera does on each read.
enum Step {
    Frame,
    Lost,
    Corrupt,
}

struct ScriptedCamera {
    image: image::RgbImage,
    steps: VecDeque<Step>,
    start: DateTime<Utc>,
    served: i32,
    reconnects: u32,
}

impl FrameSource for ScriptedCamera {
    fn next_frame(&mut self) -> Result<Option<Frame>, SourceError> {
        match self.steps.pop_front() {
            None => Ok(None),
            Some(Step::Frame) => {
                self.served += 1;
                let time = self.start + TimeDelta::milliseconds(500) * self.served;
                Ok(Some(Frame { image: self.image.clone(), time }))
            }
            Some(Step::Lost) => Err(SourceError::CameraLost {
                device: "0: scripted".into(),
                detail: "No such device (os error 19)".into(),
            }),
            Some(Step::Corrupt) => Err(SourceError::BadFrame { detail: "corrupt MJPEG frame".into() }),
        }
    }

    fn is_live(&self) -> bool {
        false
    }

    fn reconnect(&mut self) -> Result<(), SourceError> {
        self.reconnects += 1;
        // The first attempt finds the camera still gone; the second finds it back.
        if self.reconnects == 1 { Err(SourceError::NoCamera) } else { Ok(()) }
    }

    fn describe(&self) -> String {
        "camera 0: scripted".into()
    }
}

#[test]
fn a_camera_lost_mid_run_is_reported_retried_and_resumed() {
    let image = image::open(fixture("astronaut.png")).unwrap().into_rgb8();
    let steps = [Step::Frame, Step::Frame, Step::Corrupt, Step::Frame, Step::Lost, Step::Frame, Step::Frame];
    let camera =
        ScriptedCamera { image, steps: steps.into_iter().collect(), start: Utc::now(), served: 0, reconnects: 0 };
    let estimator = PoseEstimator::load(&ModelChoice::Lightning).unwrap();
    let config = EngineConfig { notifications: false, ..EngineConfig::default() };
    let handle =
        engine::spawn(config, Box::new(move || Ok(Box::new(camera) as Box<dyn FrameSource>)), estimator, None).unwrap();

    let mut events = Vec::new();
    let mut snapshots = 0;
    let mut summary = None;
    for message in handle.messages.iter() {
        match message {
            EngineMessage::Snapshot(_) => snapshots += 1,
            EngineMessage::Event(event) => events.push(event.event),
            EngineMessage::Finished(done) => summary = Some(done),
        }
    }
    let sources: Vec<&SourceEvent> = events
        .iter()
        .filter_map(|event| match event {
            EngineEvent::Source(source) => Some(source),
            EngineEvent::Alert(_) => None,
        })
        .collect();
    assert!(matches!(sources[0], SourceEvent::FrameSkipped { .. }), "{sources:?}");
    assert!(
        matches!(sources[1], SourceEvent::CameraLost { detail } if detail.contains("No such device")),
        "{sources:?}"
    );
    assert!(matches!(sources[2], SourceEvent::CameraBack { .. }), "{sources:?}");
    assert_eq!(sources.len(), 3);
    let summary = summary.unwrap();
    assert_eq!(summary.frames, 5, "monitoring resumed after the camera came back");
    assert_eq!(summary.unreadable, 1);
    assert_eq!(snapshots, 5);
}
