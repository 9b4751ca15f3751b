//! The channel sink: the messages the window or the CLI reads from a running engine. A reader
//! that went away is not an error: the engine goes on (and the history still gets everything).

use std::sync::mpsc::Sender;

use chrono::{DateTime, Utc};

use crate::engine::{CalibrationUpdate, EngineEvent, EngineMessage, Snapshot, SourceEvent, Summary, TimedEvent};

/// Sends [`EngineMessage`]s to the engine's owner.
pub struct ChannelSink {
    out: Sender<EngineMessage>,
}

impl ChannelSink {
    /// A sink sending on `out`.
    pub fn new(out: Sender<EngineMessage>) -> ChannelSink {
        ChannelSink { out }
    }

    /// What the latest frame showed.
    pub fn snapshot(&self, snapshot: Snapshot) {
        let _ = self.out.send(EngineMessage::Snapshot(Box::new(snapshot)));
    }

    /// An alert event with what the coach attached to it.
    pub fn event(&self, event: TimedEvent) {
        let _ = self.out.send(EngineMessage::Event(event));
    }

    /// A source or sink event (also logged).
    pub fn source(&self, time: DateTime<Utc>, event: SourceEvent) {
        tracing::info!(?event, "source event");
        self.event(TimedEvent::plain(time, EngineEvent::Source(event)));
    }

    /// How a calibration is going.
    pub fn calibration(&self, update: CalibrationUpdate) {
        let _ = self.out.send(EngineMessage::Calibration(update));
    }

    /// Someone asked to see the window.
    pub fn show_window(&self, request: crate::engine::WindowRequest) {
        let _ = self.out.send(EngineMessage::ShowWindow(request));
    }

    /// The setups as the engine now has them.
    pub fn setups(&self, book: &crate::posture::setups::SetupBook) {
        let _ = self.out.send(EngineMessage::Setups(Box::new(book.clone())));
    }

    /// The run's totals: the last message.
    pub fn finished(&self, summary: Summary) {
        let _ = self.out.send(EngineMessage::Finished(summary));
    }
}
