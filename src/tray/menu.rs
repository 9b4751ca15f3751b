//! The tray's menu over `com.canonical.dbusmenu` (version 3): a flat list of items, its labels
//! following the state (Pause or Resume), each click a [`TrayRequest`].

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use zbus::OwnedVariant;
use zbus::object_server::SignalEmitter;

use super::{RequestSink, TrayRequest};
use crate::control::ControlState;

/// One menu entry: its id, its label (`None`: a separator) and what a click asks for.
type Entry = (i32, Option<&'static str>, Option<TrayRequest>);

/// The entries for a state: Pause or Resume as the state says, and "I'm sitting fine" while a
/// warning stands.
pub fn entries(state: &str) -> Vec<Entry> {
    let paused = state == "paused";
    let mut entries = vec![(1, Some("Open slouchwatch"), Some(TrayRequest::Open))];
    if state == "warning" {
        entries.push((13, Some("I'm sitting fine"), Some(TrayRequest::Dispute)));
    }
    entries.extend([
        (2, None, None),
        if paused {
            (3, Some("Resume"), Some(TrayRequest::Resume))
        } else if state == "yielded" {
            // Given over to a call: taking it back is the user's choice, said as such.
            (3, Some("Use the camera anyway"), Some(TrayRequest::Resume))
        } else {
            (3, Some("Pause"), Some(TrayRequest::Pause))
        },
        (4, Some("Pause for a call (1 h)"), Some(TrayRequest::PauseForCall)),
        (5, Some("Snooze 15 min"), Some(TrayRequest::SnoozeMinutes(15))),
        (6, Some("Snooze 1 h"), Some(TrayRequest::SnoozeMinutes(60))),
        (7, Some("Snooze until tomorrow"), Some(TrayRequest::SnoozeUntilTomorrow)),
        (8, None, None),
        (9, Some("Calibrate..."), Some(TrayRequest::Calibrate)),
        (10, Some("Today's report"), Some(TrayRequest::Report)),
        (11, None, None),
        (12, Some("Quit"), Some(TrayRequest::Quit)),
    ]);
    entries
}

/// A string as a variant (a string holds no file descriptor, so this cannot fail).
fn text(value: &str) -> OwnedVariant {
    OwnedVariant::try_from(zbus::Variant::from(value)).expect("a string converts")
}

fn properties(entry: &Entry) -> HashMap<String, OwnedVariant> {
    let mut properties = HashMap::new();
    match entry.1 {
        Some(label) => {
            properties.insert("label".to_owned(), text(label));
            properties.insert("enabled".to_owned(), OwnedVariant::from(true));
        }
        None => {
            properties.insert("type".to_owned(), text("separator"));
        }
    }
    properties
}

/// A menu node as dbusmenu lays it out: `(id, properties, children)`.
type Node = (i32, HashMap<String, OwnedVariant>, Vec<OwnedVariant>);

/// The served menu.
pub struct Menu {
    state: Arc<ControlState>,
    sink: RequestSink,
    revision: AtomicU32,
}

impl Menu {
    pub fn new(state: Arc<ControlState>, sink: RequestSink) -> Menu {
        Menu { state, sink, revision: AtomicU32::new(1) }
    }

    fn entries(&self) -> Vec<Entry> {
        entries(&self.state.status().state)
    }

    /// Tells hosts the labels changed.
    pub async fn changed(&self, emitter: &SignalEmitter<'_>) -> zbus::Result<()> {
        let revision = self.revision.fetch_add(1, Ordering::Relaxed) + 1;
        emitter.layout_updated(revision, 0).await
    }
}

#[zbus::interface(name = "com.canonical.dbusmenu")]
impl Menu {
    fn get_layout(
        &self,
        parent_id: i32,
        _recursion_depth: i32,
        _property_names: Vec<String>,
    ) -> zbus::fdo::Result<(u32, Node)> {
        let revision = self.revision.load(Ordering::Relaxed);
        let entries = self.entries();
        if parent_id != 0 {
            return match entries.iter().find(|entry| entry.0 == parent_id) {
                Some(entry) => Ok((revision, (entry.0, properties(entry), Vec::new()))),
                None => Err(zbus::fdo::Error::InvalidArgs(format!("no menu item {parent_id}"))),
            };
        }
        let children = entries
            .iter()
            .map(|entry| {
                let node: Node = (entry.0, properties(entry), Vec::new());
                OwnedVariant::try_from(zbus::Variant::from(node))
                    .map_err(|error| zbus::fdo::Error::Failed(error.to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut root = HashMap::new();
        root.insert("children-display".to_owned(), text("submenu"));
        Ok((revision, (0, root, children)))
    }

    fn get_group_properties(
        &self,
        ids: Vec<i32>,
        _property_names: Vec<String>,
    ) -> Vec<(i32, HashMap<String, OwnedVariant>)> {
        self.entries()
            .iter()
            .filter(|entry| ids.is_empty() || ids.contains(&entry.0))
            .map(|entry| (entry.0, properties(entry)))
            .collect()
    }

    fn get_property(&self, id: i32, name: &str) -> zbus::fdo::Result<OwnedVariant> {
        let entries = self.entries();
        let entry = entries
            .iter()
            .find(|entry| entry.0 == id)
            .ok_or_else(|| zbus::fdo::Error::InvalidArgs(format!("no menu item {id}")))?;
        properties(entry)
            .remove(name)
            .ok_or_else(|| zbus::fdo::Error::InvalidArgs(format!("menu item {id} has no {name}")))
    }

    /// A click on an item.
    fn event(&self, id: i32, event_id: &str, _data: OwnedVariant, _timestamp: u32) -> zbus::fdo::Result<()> {
        if event_id != "clicked" {
            return Ok(());
        }
        let entries = self.entries();
        let entry = entries
            .iter()
            .find(|entry| entry.0 == id)
            .ok_or_else(|| zbus::fdo::Error::InvalidArgs(format!("no menu item {id}")))?;
        if let Some(request) = entry.2 {
            self.sink.send(request);
        }
        Ok(())
    }

    fn event_group(&self, events: Vec<(i32, String, OwnedVariant, u32)>) -> Vec<i32> {
        let mut unknown = Vec::new();
        for (id, event_id, data, timestamp) in events {
            if self.event(id, &event_id, data, timestamp).is_err() {
                unknown.push(id);
            }
        }
        unknown
    }

    fn about_to_show(&self, _id: i32) -> bool {
        false
    }

    fn about_to_show_group(&self, _ids: Vec<i32>) -> (Vec<i32>, Vec<i32>) {
        (Vec::new(), Vec::new())
    }

    #[zbus(property)]
    fn version(&self) -> u32 {
        3
    }

    #[zbus(property)]
    fn text_direction(&self) -> String {
        "ltr".into()
    }

    #[zbus(property)]
    fn status(&self) -> String {
        "normal".into()
    }

    #[zbus(property)]
    fn icon_theme_path(&self) -> Vec<String> {
        Vec::new()
    }

    #[zbus(signal)]
    async fn layout_updated(emitter: &SignalEmitter<'_>, revision: u32, parent: i32) -> zbus::Result<()>;
}
