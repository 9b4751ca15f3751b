//! The command line's side: `slouchwatch status / pause / resume / snooze` call the running
//! monitor over the session bus.

use super::{BUS_NAME, INTERFACE, MonitorStatus, OBJECT_PATH};

/// Why a call did not reach the monitor.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Nothing answers on the bus under the monitor's name.
    #[error("slouchwatch is not running (start it with `slouchwatch` or `slouchwatch run`)")]
    NotRunning,
    /// No session bus to talk on.
    #[error("no session bus to reach slouchwatch on ({0}); is this a desktop session?")]
    NoBus(String),
    /// The running monitor is `slouchwatch run`, which has no window.
    #[error("`slouchwatch run` is monitoring and has no window; stop it (Ctrl-C) to use the window")]
    NoWindow,
    /// The monitor answered with an error.
    #[error("slouchwatch answered: {0}")]
    Refused(String),
}

fn classify(error: zbus::Error) -> ClientError {
    let text = error.to_string();
    if text.contains("NotSupported") {
        ClientError::NoWindow
    } else if text.contains("ServiceUnknown") || text.contains("NameHasNoOwner") || text.contains("was not provided") {
        ClientError::NotRunning
    } else {
        ClientError::Refused(text)
    }
}

/// Calls `method` on the running monitor with `args`, returning its reply's body.
fn call<B>(method: &str, args: &B) -> Result<zbus::Message, ClientError>
where
    B: serde::Serialize + zbus::wire::DynamicType,
{
    zbus::block_on(async {
        let connection = zbus::Connection::session().await.map_err(|error| ClientError::NoBus(error.to_string()))?;
        connection.call_method(Some(BUS_NAME), OBJECT_PATH, Some(INTERFACE), method, args).await.map_err(classify)
    })
}

/// The monitor's status.
pub fn status() -> Result<MonitorStatus, ClientError> {
    let reply = call("Status", &())?;
    let json: String = reply.body().deserialize().map_err(|error| ClientError::Refused(error.to_string()))?;
    serde_json::from_str(&json).map_err(|error| ClientError::Refused(error.to_string()))
}

/// Pauses for `seconds` (0: until resumed).
pub fn pause(seconds: u32) -> Result<(), ClientError> {
    call("Pause", &(seconds,)).map(drop)
}

/// Resumes.
pub fn resume() -> Result<(), ClientError> {
    call("Resume", &()).map(drop)
}

/// No posture warnings for `seconds`.
pub fn snooze(seconds: u32) -> Result<(), ClientError> {
    call("Snooze", &(seconds,)).map(drop)
}

/// "I'm sitting fine" to the running monitor's warning.
pub fn dispute() -> Result<(), ClientError> {
    call("Dispute", &()).map(drop)
}

/// Shows the running monitor's window at `screen`.
pub fn open(screen: super::WindowRequest) -> Result<(), ClientError> {
    call("Open", &(screen.name(),)).map(drop)
}
