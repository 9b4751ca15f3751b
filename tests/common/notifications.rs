//! A stand-in notification service (`org.freedesktop.Notifications`) that shows buttons: it
//! records each notification and presses the first one's button whose key it was told to
//! press, as a person would, half a second after showing it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use zbus::object_server::SignalEmitter;

/// One notification as the service received it: its summary and its actions (key, label, ...).
pub type Shown = (String, Vec<String>);

struct Service {
    shown: Arc<Mutex<Vec<Shown>>>,
    press: String,
    pressed: bool,
    /// Do Not Disturb, as the `Inhibited` property says it (set by the test).
    inhibited: Arc<std::sync::atomic::AtomicBool>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Service {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["actions".to_owned(), "body".to_owned()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        ("stand-in".to_owned(), "slouchwatch tests".to_owned(), "1".to_owned(), "1.2".to_owned())
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        #[zbus(signal_emitter)] emitter: SignalEmitter<'_>,
        _app_name: &str,
        _replaces_id: u32,
        _app_icon: &str,
        summary: &str,
        _body: &str,
        actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut shown = self.shown.lock().unwrap();
        shown.push((summary.to_owned(), actions.clone()));
        let id = shown.len() as u32;
        if !self.pressed && actions.iter().step_by(2).any(|key| *key == self.press) {
            self.pressed = true;
            let (emitter, key) = (emitter.into_owned(), self.press.clone());
            std::thread::spawn(move || {
                std::thread::sleep(std::time::Duration::from_millis(500));
                zbus::block_on(async move {
                    let _ = Service::action_invoked(&emitter, id, &key).await;
                    let _ = Service::notification_closed(&emitter, id, 2).await;
                });
            });
        }
        id
    }

    fn close_notification(&self, _id: u32) {}

    #[zbus(property)]
    fn inhibited(&self) -> bool {
        self.inhibited.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[zbus(signal)]
    async fn action_invoked(emitter: &SignalEmitter<'_>, id: u32, action_key: &str) -> zbus::Result<()>;

    #[zbus(signal)]
    async fn notification_closed(emitter: &SignalEmitter<'_>, id: u32, reason: u32) -> zbus::Result<()>;
}

/// Serves the notification service on the bus at `address`, pressing the button `press` of the
/// first notification that has it; returns what it showed, as it comes.
pub fn serve(address: &str, press: &str) -> Arc<Mutex<Vec<Shown>>> {
    serve_with_do_not_disturb(address, press, Arc::default())
}

/// [`serve`], with Do Not Disturb on while `inhibited` is set.
pub fn serve_with_do_not_disturb(
    address: &str,
    press: &str,
    inhibited: Arc<std::sync::atomic::AtomicBool>,
) -> Arc<Mutex<Vec<Shown>>> {
    let shown = Arc::new(Mutex::new(Vec::new()));
    let service = Service { shown: shown.clone(), press: press.to_owned(), pressed: false, inhibited };
    let (ready_tx, ready) = std::sync::mpsc::channel();
    let address = address.to_owned();
    std::thread::spawn(move || {
        zbus::block_on(async move {
            let _connection = zbus::connection::Builder::address(address.as_str())
                .name("org.freedesktop.Notifications")
                .serve_at("/org/freedesktop/Notifications", service)
                .build()
                .await
                .expect("the notification service takes its name on the bus");
            ready_tx.send(()).unwrap();
            std::future::pending::<()>().await;
        })
    });
    ready.recv().expect("the notification service started");
    shown
}
