//! A stand-in desktop portal's file chooser (`org.freedesktop.portal.FileChooser`), answering
//! SaveFile as a person would who picks the file `answer` (or cancels, with `None`): it replies
//! with the request's path, then sends the request's Response signal a moment later.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

struct FileChooser {
    answer: Option<PathBuf>,
    /// The file names it was asked to suggest.
    asked: Arc<Mutex<Vec<String>>>,
}

#[zbus::interface(name = "org.freedesktop.portal.FileChooser")]
impl FileChooser {
    fn save_file(
        &self,
        #[zbus(header)] header: zbus::message::Header<'_>,
        #[zbus(connection)] connection: &zbus::Connection,
        _parent_window: &str,
        _title: &str,
        options: HashMap<String, zbus::OwnedVariant>,
    ) -> zbus::OwnedObjectPath {
        let text =
            |key: &str| options.get(key).and_then(|value| String::try_from(value.clone()).ok()).unwrap_or_default();
        self.asked.lock().unwrap().push(text("current_name"));
        let sender = header.sender().map(|sender| sender.as_str().to_owned()).unwrap_or_default();
        let path = format!(
            "/org/freedesktop/portal/desktop/request/{}/{}",
            sender.trim_start_matches(':').replace('.', "_"),
            text("handle_token")
        );
        let (connection, answer, reply_path) = (connection.clone(), self.answer.clone(), path.clone());
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(200));
            let mut results: HashMap<&str, zbus::Variant<'_>> = HashMap::new();
            let code: u32 = match &answer {
                Some(file) => {
                    let uri = format!("file://{}", file.display().to_string().replace(' ', "%20"));
                    results.insert("uris", zbus::Variant::from(vec![uri]));
                    0
                }
                None => 1,
            };
            zbus::block_on(async move {
                connection
                    .emit_signal(
                        Some(sender.as_str()),
                        reply_path.as_str(),
                        "org.freedesktop.portal.Request",
                        "Response",
                        &(code, results),
                    )
                    .await
                    .expect("the Response signal is sent");
            });
        });
        zbus::OwnedObjectPath::try_from(path).unwrap()
    }
}

/// Serves the file chooser on the bus at `address`, answering every SaveFile with `answer` (a
/// file, or `None` to cancel); returns the file names it was asked to suggest, as they come.
pub fn serve_file_chooser(address: &str, answer: Option<PathBuf>) -> Arc<Mutex<Vec<String>>> {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let chooser = FileChooser { answer, asked: asked.clone() };
    let (ready_tx, ready) = std::sync::mpsc::channel();
    let address = address.to_owned();
    std::thread::spawn(move || {
        zbus::block_on(async move {
            let _connection = zbus::connection::Builder::address(address.as_str())
                .name("org.freedesktop.portal.Desktop")
                .serve_at("/org/freedesktop/portal/desktop", chooser)
                .build()
                .await
                .expect("the portal takes its name on the bus");
            ready_tx.send(()).unwrap();
            std::future::pending::<()>().await;
        })
    });
    ready.recv().expect("the portal started");
    asked
}
