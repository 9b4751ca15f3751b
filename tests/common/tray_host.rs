//! A stand-in tray host: the registry (`org.kde.StatusNotifierWatcher`) a panel serves, which
//! only records who registered. Used by the window tests and, as `examples/tray_host`, by
//! `scripts/smoke-window.sh`.

use std::sync::{Arc, Mutex};

/// The registry.
struct Watcher {
    registered: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    fn register_status_notifier_item(&self, service: &str) {
        self.registered.lock().unwrap().push(service.to_owned());
    }

    fn register_status_notifier_host(&self, _service: &str) {}

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

/// Serves the registry on the bus at `address` (`None`: the session bus) from a thread of its
/// own, once it holds the name; returns the names registered so far, as they come.
pub fn serve(address: Option<String>) -> Arc<Mutex<Vec<String>>> {
    let registered = Arc::new(Mutex::new(Vec::new()));
    let watcher = Watcher { registered: registered.clone() };
    let (ready_tx, ready) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        zbus::block_on(async move {
            let builder = match &address {
                Some(address) => zbus::connection::Builder::address(address.as_str()),
                None => zbus::connection::Builder::session(),
            };
            let _connection = builder
                .name("org.kde.StatusNotifierWatcher")
                .serve_at("/StatusNotifierWatcher", watcher)
                .build()
                .await
                .expect("the tray host takes its name on the bus");
            ready_tx.send(()).unwrap();
            std::future::pending::<()>().await;
        })
    });
    ready.recv().expect("the tray host started");
    registered
}
