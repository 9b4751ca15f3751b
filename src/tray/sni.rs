//! The tray icon on Linux and the other free desktops: a StatusNotifierItem on the session bus,
//! with its `com.canonical.dbusmenu` menu ([`super::menu`]), served on the tray's thread.

use std::sync::Arc;

use zbus::OwnedObjectPath;
use zbus::object_server::SignalEmitter;

use super::{RequestSink, TrayError, TrayRequest, icon, menu};
use crate::control::ControlState;

/// The item's object path, as the protocol expects.
const ITEM_PATH: &str = "/StatusNotifierItem";
/// The menu's object path.
const MENU_PATH: &str = "/MenuBar";
/// The tray host's registry.
const WATCHER_NAME: &str = "org.kde.StatusNotifierWatcher";
const WATCHER_PATH: &str = "/StatusNotifierWatcher";

/// One icon picture: width, height and ARGB32 bytes (big-endian), as the protocol sends it.
type Pixmap = (i32, i32, Vec<u8>);
/// A tool tip as the protocol sends it: icon name, icon pictures, title, text.
type ToolTip = (String, Vec<Pixmap>, String, String);

/// The served item.
struct Item {
    state: Arc<ControlState>,
    sink: RequestSink,
}

#[zbus::interface(name = "org.kde.StatusNotifierItem")]
impl Item {
    /// A click on the icon opens the window.
    fn activate(&self, _x: i32, _y: i32) {
        self.sink.send(TrayRequest::Open);
    }

    fn secondary_activate(&self, _x: i32, _y: i32) {}

    fn context_menu(&self, _x: i32, _y: i32) {}

    fn scroll(&self, _delta: i32, _orientation: &str) {}

    #[zbus(property)]
    fn category(&self) -> String {
        "ApplicationStatus".into()
    }

    #[zbus(property)]
    fn id(&self) -> String {
        "slouchwatch".into()
    }

    #[zbus(property)]
    fn title(&self) -> String {
        "slouchwatch".into()
    }

    /// `NeedsAttention` while a warning stands, else `Active`.
    #[zbus(property)]
    fn status(&self) -> String {
        if self.state.status().state == "warning" { "NeedsAttention".into() } else { "Active".into() }
    }

    #[zbus(property)]
    fn window_id(&self) -> i32 {
        0
    }

    #[zbus(property)]
    fn icon_name(&self) -> String {
        String::new()
    }

    /// The icon, drawn in the state's colour.
    #[zbus(property)]
    fn icon_pixmap(&self) -> Vec<Pixmap> {
        icon::pixmaps(&self.state.status().state)
    }

    #[zbus(property)]
    fn attention_icon_pixmap(&self) -> Vec<Pixmap> {
        icon::pixmaps("warning")
    }

    /// Hovering the icon says the state in words.
    #[zbus(property)]
    fn tool_tip(&self) -> ToolTip {
        (String::new(), Vec::new(), "slouchwatch".into(), self.state.status().words)
    }

    #[zbus(property)]
    fn item_is_menu(&self) -> bool {
        false
    }

    #[zbus(property)]
    fn menu(&self) -> OwnedObjectPath {
        OwnedObjectPath::try_from(MENU_PATH).expect("a valid object path")
    }

    #[zbus(signal)]
    async fn new_icon(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn new_tool_tip(emitter: &SignalEmitter<'_>) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn new_status(emitter: &SignalEmitter<'_>, status: &str) -> zbus::Result<()>;
}

pub(super) async fn serve(
    address: Option<String>,
    state: Arc<ControlState>,
    sink: RequestSink,
    ready: std::sync::mpsc::Sender<Result<(), TrayError>>,
) {
    let name = format!("org.kde.StatusNotifierItem-{}-1", std::process::id());
    let builder = match &address {
        Some(address) => zbus::connection::Builder::address(address.as_str()),
        None => zbus::connection::Builder::session(),
    };
    let item = Item { state: state.clone(), sink: sink.clone() };
    let menu = menu::Menu::new(state.clone(), sink);
    let built = builder.name(name.as_str()).serve_at(ITEM_PATH, item).serve_at(MENU_PATH, menu).build().await;
    let connection = match built {
        Ok(connection) => connection,
        Err(error) => {
            let _ = ready.send(Err(TrayError::NoBus(error)));
            return;
        }
    };
    let registered = connection
        .call_method(
            Some(WATCHER_NAME),
            WATCHER_PATH,
            Some(WATCHER_NAME),
            "RegisterStatusNotifierItem",
            &(name.as_str(),),
        )
        .await;
    if let Err(error) = registered {
        let _ = ready.send(Err(TrayError::NoHost(error)));
        return;
    }
    let (Ok(item), Ok(menu)) = (
        connection.object_server().interface::<_, Item>(ITEM_PATH).await,
        connection.object_server().interface::<_, menu::Menu>(MENU_PATH).await,
    ) else {
        let _ = ready.send(Err(TrayError::NotServed));
        return;
    };
    let _ = ready.send(Ok(()));
    let mut shown = state.status();
    loop {
        let listener = state.changed.listen();
        if state.is_stopping() {
            break;
        }
        let now = state.status();
        if now.state != shown.state || now.words != shown.words {
            let emitter = item.signal_emitter();
            let status = if now.state == "warning" { "NeedsAttention" } else { "Active" };
            let sent = async {
                emitter.new_icon().await?;
                emitter.new_tool_tip().await?;
                emitter.new_status(status).await?;
                menu.get().await.changed(menu.signal_emitter()).await
            };
            if let Err(error) = sent.await {
                tracing::debug!("could not update the tray icon: {error}");
            }
            shown = now;
        }
        listener.await;
    }
}
