//! The command line's side: `slouchwatch status / pause / resume / snooze` call the running
//! monitor over the session bus (Linux) or its named pipe (Windows), the same [`Call`]s.

use super::MonitorStatus;
use super::calls::Call;
#[cfg(windows)]
use super::calls::{RefusalKind, Reply};
#[cfg(not(windows))]
use super::{BUS_NAME, INTERFACE, OBJECT_PATH};

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

#[cfg(not(windows))]
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

/// Calls `method` on the running monitor over the session bus with `args`, returning its
/// reply's body.
#[cfg(not(windows))]
fn bus_call<B>(method: &str, args: &B) -> Result<zbus::Message, ClientError>
where
    B: serde::Serialize + zbus::wire::DynamicType,
{
    zbus::block_on(async {
        let connection = zbus::Connection::session().await.map_err(|error| ClientError::NoBus(error.to_string()))?;
        connection.call_method(Some(BUS_NAME), OBJECT_PATH, Some(INTERFACE), method, args).await.map_err(classify)
    })
}

/// Makes `call` to the running monitor over the session bus.
#[cfg(not(windows))]
fn ask(call: Call) -> Result<Option<MonitorStatus>, ClientError> {
    let done = |reply: zbus::Message| {
        drop(reply);
        None
    };
    match call {
        Call::Status => {
            let reply = bus_call("Status", &())?;
            let json: String = reply.body().deserialize().map_err(|error| ClientError::Refused(error.to_string()))?;
            serde_json::from_str(&json).map(Some).map_err(|error| ClientError::Refused(error.to_string()))
        }
        Call::Pause { seconds } => bus_call("Pause", &(seconds,)).map(done),
        Call::Resume => bus_call("Resume", &()).map(done),
        Call::Snooze { seconds } => bus_call("Snooze", &(seconds,)).map(done),
        Call::Unsnooze => bus_call("Unsnooze", &()).map(done),
        Call::Dispute => bus_call("Dispute", &()).map(done),
        Call::Open { screen } => bus_call("Open", &(screen.as_str(),)).map(done),
    }
}

/// Makes `call` to the running monitor over its named pipe (Windows).
#[cfg(windows)]
fn ask(call: Call) -> Result<Option<MonitorStatus>, ClientError> {
    use crate::win32::pipe::{PipeError, ask};
    let line = serde_json::to_string(&call).map_err(|error| ClientError::Refused(error.to_string()))?;
    let reply = match ask(&super::pipe_name(), &line) {
        Ok(reply) => reply,
        Err(PipeError::NotServed(_)) => return Err(ClientError::NotRunning),
        Err(error) => return Err(ClientError::Refused(error.to_string())),
    };
    let reply: Reply = serde_json::from_str(&reply)
        .map_err(|error| ClientError::Refused(format!("an answer that is not a reply ({error})")))?;
    reply.into_answer().map_err(|refusal| match refusal.kind {
        RefusalKind::NotSupported => ClientError::NoWindow,
        _ => ClientError::Refused(refusal.message),
    })
}

/// The monitor's status.
pub fn status() -> Result<MonitorStatus, ClientError> {
    ask(Call::Status)?.ok_or_else(|| ClientError::Refused("no status in the answer".into()))
}

/// Pauses for `seconds` (0: until resumed).
pub fn pause(seconds: u32) -> Result<(), ClientError> {
    ask(Call::Pause { seconds }).map(drop)
}

/// Resumes.
pub fn resume() -> Result<(), ClientError> {
    ask(Call::Resume).map(drop)
}

/// No posture warnings for `seconds`.
pub fn snooze(seconds: u32) -> Result<(), ClientError> {
    ask(Call::Snooze { seconds }).map(drop)
}

/// "I'm sitting fine" to the running monitor's warning.
pub fn dispute() -> Result<(), ClientError> {
    ask(Call::Dispute).map(drop)
}

/// Shows the running monitor's window at `screen`.
pub fn open(screen: super::WindowRequest) -> Result<(), ClientError> {
    ask(Call::Open { screen: screen.name().to_owned() }).map(drop)
}
