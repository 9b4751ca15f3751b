//! Exporting the report through the desktop's file chooser: the XDG desktop portal's
//! `org.freedesktop.portal.FileChooser.SaveFile` (GNOME, KDE and the others each show their
//! own dialog for it, and sandboxed apps get the file they were given), asked on a thread of its
//! own so the window goes on while the chooser is open. Where no portal answers (no session
//! bus, no portal service), the caller saves in the default folder and says so.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use futures_core::Stream;
use zbus::{OwnedVariant, Variant};

/// The portal's bus name and object.
const PORTAL: &str = "org.freedesktop.portal.Desktop";
const PORTAL_PATH: &str = "/org/freedesktop/portal/desktop";
const FILE_CHOOSER: &str = "org.freedesktop.portal.FileChooser";
const REQUEST: &str = "org.freedesktop.portal.Request";

/// What the file chooser answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// Save here.
    File(PathBuf),
    /// The person closed the chooser without choosing.
    Cancelled,
    /// No file chooser answered, and why (in words).
    NoChooser(String),
}

/// Asks the file chooser where to save `name` (starting in `folder`) on a thread of its own;
/// the answer comes on the receiver. `bus`: the session bus's address (`None`: this session's).
pub fn choose_save_file(bus: Option<String>, name: String, folder: Option<PathBuf>) -> Receiver<Chosen> {
    let (answer, receiver) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("slouchwatch-file-chooser".into()).spawn({
        let answer = answer.clone();
        move || {
            let chosen = zbus::block_on(save_file(bus.as_deref(), &name, folder.as_deref()))
                .unwrap_or_else(|error| Chosen::NoChooser(no_chooser_words(&error)));
            let _ = answer.send(chosen);
        }
    });
    if let Err(error) = spawned {
        let _ = answer.send(Chosen::NoChooser(error.to_string()));
    }
    receiver
}

/// Why no chooser answered, in words a person can act on.
fn no_chooser_words(error: &zbus::Error) -> String {
    match error {
        zbus::Error::MethodError(name, _, _)
            if name.as_str().contains("ServiceUnknown")
                || name.as_str().contains("UnknownMethod")
                || name.as_str().contains("UnknownInterface") =>
        {
            "no desktop portal answers (install xdg-desktop-portal and your desktop's portal)".to_owned()
        }
        error => format!("the desktop portal did not answer: {error}"),
    }
}

/// The portal's SaveFile: the request's Response signal is listened for before asking, so a
/// quick answer is not missed.
async fn save_file(bus: Option<&str>, name: &str, folder: Option<&Path>) -> Result<Chosen, zbus::Error> {
    let connection = match bus {
        Some(address) => zbus::connection::Builder::address(address).build().await?,
        None => zbus::Connection::session().await?,
    };
    let unique = connection.unique_name().map(|name| name.as_str().to_owned()).unwrap_or_default();
    let token = format!("slouchwatch_{}", std::process::id());
    let sender = unique.trim_start_matches(':').replace('.', "_");
    let request_path = format!("{PORTAL_PATH}/request/{sender}/{token}");
    let mut responses = responses_at(&connection, &request_path).await?;
    let mut options: HashMap<&str, Variant<'_>> = HashMap::new();
    options.insert("handle_token", Variant::from(token.as_str()));
    options.insert("current_name", Variant::from(name));
    if let Some(folder) = folder {
        // A path as bytes, ending in a NUL, as the portal asks.
        let mut bytes = folder.as_os_str().as_encoded_bytes().to_vec();
        bytes.push(0);
        options.insert("current_folder", Variant::from(bytes));
    }
    let reply = connection
        .call_method(Some(PORTAL), PORTAL_PATH, Some(FILE_CHOOSER), "SaveFile", &("", "Export the report", options))
        .await?;
    // Portals before version 0.9 answer on a request path of their own making: listen there.
    let handle: zbus::OwnedObjectPath = reply.body().deserialize()?;
    if handle.as_str() != request_path {
        responses = responses_at(&connection, handle.as_str()).await?;
    }
    let message = std::future::poll_fn(|context| std::pin::Pin::new(&mut responses).poll_next(context)).await;
    let Some(message) = message.transpose()? else {
        return Ok(Chosen::NoChooser("the desktop portal went away".to_owned()));
    };
    let (code, results): (u32, HashMap<String, OwnedVariant>) = message.body().deserialize()?;
    if code != 0 {
        return Ok(Chosen::Cancelled);
    }
    let uris: Vec<String> =
        results.get("uris").and_then(|uris| Vec::<String>::try_from(uris.clone()).ok()).unwrap_or_default();
    Ok(match uris.first().and_then(|uri| file_uri_path(uri)) {
        Some(path) => Chosen::File(path),
        None => Chosen::NoChooser("the file chooser gave no file to save to".to_owned()),
    })
}

/// The Response signals of the portal request at `path`.
async fn responses_at(connection: &zbus::Connection, path: &str) -> Result<zbus::MessageStream, zbus::Error> {
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(REQUEST)
        .member("Response")
        .path(path)
        .build()?;
    zbus::MessageStream::for_match_rule(rule, connection, None).await
}

/// The path of a `file://` URI (percent-escapes decoded); `None` for any other URI.
pub fn file_uri_path(uri: &str) -> Option<PathBuf> {
    let rest = uri.strip_prefix("file://")?;
    // A host part ("file://localhost/...") is dropped.
    let path = &rest[rest.find('/')?..];
    let mut bytes = Vec::with_capacity(path.len());
    let mut input = path.bytes();
    while let Some(byte) = input.next() {
        if byte == b'%' {
            let high = input.next().and_then(|c| (c as char).to_digit(16))?;
            let low = input.next().and_then(|c| (c as char).to_digit(16))?;
            bytes.push((high * 16 + low) as u8);
        } else {
            bytes.push(byte);
        }
    }
    #[cfg(unix)]
    let name = <std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec(bytes);
    // Elsewhere a path is text: a URI that decodes to anything else names no file here.
    #[cfg(not(unix))]
    let name = std::ffi::OsString::from(String::from_utf8(bytes).ok()?);
    Some(PathBuf::from(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_uris_become_paths_with_escapes_decoded() {
        assert_eq!(
            file_uri_path("file:///home/ana/My%20Reports/day.html"),
            Some(PathBuf::from("/home/ana/My Reports/day.html"))
        );
        assert_eq!(file_uri_path("file://localhost/tmp/x.html"), Some(PathBuf::from("/tmp/x.html")));
        assert_eq!(file_uri_path("https://example.org/x.html"), None);
        assert_eq!(file_uri_path("file:///bad%2"), None);
    }

    /// Without a portal on the bus, the answer says so (and the caller saves in the default
    /// folder): a bus that does not exist stands for a desktop without one here.
    #[test]
    fn no_portal_is_said_as_such() {
        let answer = choose_save_file(Some("unix:path=/nonexistent/bus".to_owned()), "x.html".into(), None);
        match answer.recv_timeout(std::time::Duration::from_secs(10)).unwrap() {
            Chosen::NoChooser(why) => assert!(why.contains("portal"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}
