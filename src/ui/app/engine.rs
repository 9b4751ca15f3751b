//! The window's side of the engine: starting it (again after camera trouble or new settings),
//! sending it commands, and taking in what it published since the last frame.

use super::{Screen, SlouchApp, UiCommand, WarningView, bring_forward};
use crate::alerts::AlertEvent;
use crate::engine::{EngineCommand, EngineEvent, EngineMessage, Snapshot, SourceEvent};

impl SlouchApp {
    pub(super) fn start_engine(&mut self) {
        if let Some(engine) = self.engine.take() {
            engine.stop();
        }
        self.watched.finished = false;
        self.watched.camera_problem = None;
        match (self.starter)(&self.settings, &self.setups, Some(&self.setups_file)) {
            Ok(engine) => self.engine = Some(engine),
            Err(error) => self.watched.camera_problem = Some(error.to_string()),
        }
    }

    pub(super) fn send(&self, command: EngineCommand) {
        if let Some(engine) = &self.engine {
            engine.send(command);
        }
    }

    /// Takes in everything the engine published since the last frame.
    pub(super) fn poll_engine(&mut self, ctx: &egui::Context) {
        let mut messages = Vec::new();
        if let Some(engine) = &self.engine {
            while let Ok(message) = engine.messages().try_recv() {
                messages.push(message);
            }
        }
        for message in messages {
            match message {
                EngineMessage::Snapshot(snapshot) => self.take_snapshot(ctx, *snapshot),
                EngineMessage::Event(event) => self.take_event(event.event, event.suggestion.map(|s| s.id)),
                EngineMessage::Calibration(update) => self.take_calibration_update(update),
                EngineMessage::Finished(_) => self.watched.finished = true,
                EngineMessage::ShowWindow(request) => {
                    let now_s = ctx.input(|input| input.time);
                    self.apply(UiCommand::Show(Screen::from(request)), now_s);
                    bring_forward(ctx);
                }
                EngineMessage::Setups(book) => {
                    self.setups = *book;
                    self.follow_setup();
                }
            }
        }
    }

    fn take_snapshot(&mut self, ctx: &egui::Context, snapshot: Snapshot) {
        self.watched.camera_problem = None;
        if let Some(preview) = &snapshot.preview
            && self.watched.texture_time != Some(snapshot.time)
        {
            let image =
                egui::ColorImage::from_rgb([preview.width() as usize, preview.height() as usize], preview.as_raw());
            match &mut self.watched.texture {
                Some(texture) => texture.set(image, egui::TextureOptions::LINEAR),
                None => self.watched.texture = Some(ctx.load_texture("camera", image, egui::TextureOptions::LINEAR)),
            }
            self.watched.texture_time = Some(snapshot.time);
        }
        let switched = self.watched.latest.as_ref().map(|latest| &latest.setup) != Some(&snapshot.setup);
        self.watched.latest = Some(snapshot);
        if switched {
            self.follow_setup();
        }
    }

    fn take_event(&mut self, event: EngineEvent, suggestion: Option<String>) {
        let kind = serde_json::to_value(&event)
            .ok()
            .and_then(|value| value.get("event").and_then(|kind| kind.as_str().map(str::to_owned)))
            .unwrap_or_default();
        self.watched.events.push(kind);
        match event {
            EngineEvent::Alert(AlertEvent::Warning { problems, severity, bad_for_s }) => {
                self.coaching.warning = Some(WarningView {
                    problems,
                    severity,
                    suggestion: suggestion.and_then(|id| self.catalog.entry(&id).cloned()),
                    bad_for_s: bad_for_s as f64,
                    at: chrono::Utc::now(),
                });
                // Settings being changed are not pulled away from: the warning waits on Live.
                if self.screen != Screen::Settings {
                    self.screen = Screen::Live;
                }
            }
            EngineEvent::Alert(AlertEvent::Cleared { .. } | AlertEvent::Away) => {
                // A stretch under way (its sheet) outlives the warning that suggested it.
                self.coaching.warning = None;
            }
            EngineEvent::Source(SourceEvent::CameraLost { detail } | SourceEvent::SourceFailed { detail }) => {
                self.watched.camera_problem = Some(detail);
            }
            EngineEvent::Source(SourceEvent::CameraBack { .. }) => self.watched.camera_problem = None,
            EngineEvent::Source(SourceEvent::HistoryUnavailable { detail }) => {
                self.history_problem = Some(detail.clone());
                self.notice = Some(detail);
            }
            EngineEvent::Source(SourceEvent::HistoryBack)
                if self.notice.is_some() && self.notice == self.history_problem =>
            {
                self.notice = None;
                self.history_problem = None;
            }
            _ => {}
        }
    }

    /// Every event kind the engine sent, in order (shown nowhere; lets tests check what happened).
    pub fn events_seen(&self) -> &[String] {
        &self.watched.events
    }
}
