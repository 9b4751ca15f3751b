//! Who is recording from a microphone: the sound server's capture streams of other programs,
//! asked with `pactl` (PulseAudio's client, which speaks to PipeWire through pipewire-pulse as
//! well), and a subscription that says when those streams change, so nothing is asked while
//! nothing happens.
//!
//! Why `pactl` rather than a library: the sound server's protocol is all we need of it, and
//! `pactl` is installed wherever PulseAudio or pipewire-pulse is (Debian's `pulseaudio-utils`);
//! binding libpulse would add a C library to the build for two read-only queries. slouchwatch
//! itself never records sound, so every capture stream is another program's.
//!
//! An I/O edge; the parsing ([`recorders_in`]) is pure.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};

/// The sound server's client.
pub const PACTL: &str = "pactl";

/// Why the microphones cannot be watched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MicrophoneError {
    /// `pactl` is not installed.
    #[error(
        "microphone use cannot be seen: `pactl` is not installed (Debian: apt install pulseaudio-utils); \
         calls are still noticed when they open the camera"
    )]
    NoPactl,
    /// No sound server answered (none running, or another kind).
    #[error("microphone use cannot be seen: no PulseAudio or PipeWire sound server answered ({detail})")]
    NoServer {
        /// What pactl said.
        detail: String,
    },
    /// The server answered something we do not read.
    #[error("microphone use cannot be seen: the sound server's answer was not understood ({detail})")]
    Unreadable {
        /// What was wrong.
        detail: String,
    },
}

/// The programs recording from a microphone now (not from a monitor of what is played, not a
/// level meter, not a paused stream), by name, each once.
pub fn recorders() -> Result<Vec<String>, MicrophoneError> {
    let sources = pactl(&["-f", "json", "list", "short", "sources"])?;
    let outputs = pactl(&["-f", "json", "list", "source-outputs"])?;
    recorders_in(&sources, &outputs)
}

fn pactl(arguments: &[&str]) -> Result<String, MicrophoneError> {
    let output = Command::new(PACTL).args(arguments).stdin(Stdio::null()).output().map_err(not_started)?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        return Err(MicrophoneError::NoServer { detail: said });
    }
    String::from_utf8(output.stdout).map_err(|error| MicrophoneError::Unreadable { detail: error.to_string() })
}

/// Why `pactl` could not be started.
fn not_started(error: std::io::Error) -> MicrophoneError {
    match error.kind() {
        std::io::ErrorKind::NotFound => MicrophoneError::NoPactl,
        _ => MicrophoneError::NoServer { detail: error.to_string() },
    }
}

/// [`recorders`] from `pactl -f json list short sources` and `pactl -f json list source-outputs`.
pub fn recorders_in(sources_json: &str, outputs_json: &str) -> Result<Vec<String>, MicrophoneError> {
    let unreadable = |error: serde_json::Error| MicrophoneError::Unreadable { detail: error.to_string() };
    let sources: Vec<serde_json::Value> = serde_json::from_str(sources_json).map_err(unreadable)?;
    let outputs: Vec<serde_json::Value> = serde_json::from_str(outputs_json).map_err(unreadable)?;
    // A monitor source plays back what the speakers play: recording it is not a microphone.
    let monitors: Vec<u64> = sources
        .iter()
        .filter(|source| source["name"].as_str().is_some_and(|name| name.ends_with(".monitor")))
        .filter_map(|source| source["index"].as_u64())
        .collect();
    let mut programs: Vec<String> = outputs
        .iter()
        .filter(|output| !output["corked"].as_bool().unwrap_or(false))
        .filter(|output| !output["source"].as_u64().is_some_and(|source| monitors.contains(&source)))
        // Volume meters (pavucontrol, a desktop's sound indicator) read levels, not sound.
        .filter(|output| output["resample_method"].as_str() != Some("peaks"))
        .map(|output| {
            let properties = &output["properties"];
            properties["application.process.binary"]
                .as_str()
                .or_else(|| properties["application.name"].as_str())
                .unwrap_or("another program")
                .to_owned()
        })
        .collect();
    programs.sort();
    programs.dedup();
    Ok(programs)
}

/// `pactl subscribe`, kept running: says when capture streams came or went.
pub struct Subscription {
    child: Child,
    changes: Receiver<()>,
}

impl Subscription {
    /// Starts listening to the sound server.
    pub fn start() -> Result<Subscription, MicrophoneError> {
        let mut child = Command::new(PACTL)
            .arg("subscribe")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(not_started)?;
        let stdout = child.stdout.take().ok_or(MicrophoneError::NoServer { detail: "no output".into() })?;
        let (tell, changes) = mpsc::channel();
        std::thread::Builder::new()
            .name("microphone-events".into())
            .spawn(move || {
                // "Event 'new' on source-output #12": only capture streams matter.
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if line.contains("source-output") && tell.send(()).is_err() {
                        return;
                    }
                }
            })
            .map_err(|error| MicrophoneError::NoServer { detail: error.to_string() })?;
        Ok(Subscription { child, changes })
    }

    /// Whether capture streams changed since the last call (all news taken at once).
    pub fn changed(&mut self) -> bool {
        let mut changed = false;
        while self.changes.try_recv().is_ok() {
            changed = true;
        }
        changed
    }

    /// Whether `pactl subscribe` is still running (a sound server restart ends it).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Recorded from PulseAudio 16.1 (`pactl -f json`), trimmed to the fields read.
    const SOURCES: &str = r#"[{"index":0,"name":"alsa_output.pci-0000_00_1f.3.analog-stereo.monitor","state":"SUSPENDED"},
        {"index":1,"name":"alsa_input.pci-0000_00_1f.3.analog-stereo","state":"RUNNING"}]"#;

    fn output(source: u64, corked: bool, resample: &str, binary: Option<&str>, name: &str) -> String {
        let binary = binary.map(|binary| format!(r#""application.process.binary":"{binary}","#)).unwrap_or_default();
        format!(
            r#"{{"index":3,"source":{source},"corked":{corked},"resample_method":"{resample}",
                "properties":{{{binary}"application.name":"{name}"}}}}"#
        )
    }

    #[test]
    fn a_call_recording_the_microphone_is_found_and_meters_monitors_and_paused_streams_are_not() {
        let outputs = format!(
            "[{},{},{},{},{}]",
            output(1, false, "", Some("zoom"), "ZOOM VoiceEngine"),
            output(1, false, "", Some("zoom"), "ZOOM VoiceEngine"),
            output(0, false, "", Some("obs"), "OBS"),
            output(1, false, "peaks", Some("pavucontrol"), "PulseAudio Volume Control"),
            output(1, true, "", Some("audacity"), "Audacity"),
        );
        assert_eq!(recorders_in(SOURCES, &outputs).unwrap(), ["zoom"]);
        let browser = format!("[{}]", output(1, false, "", None, "Firefox"));
        assert_eq!(recorders_in(SOURCES, &browser).unwrap(), ["Firefox"]);
        assert!(recorders_in(SOURCES, "[]").unwrap().is_empty());
        assert!(matches!(recorders_in("not json", "[]"), Err(MicrophoneError::Unreadable { .. })));
    }
}
