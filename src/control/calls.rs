//! The calls the running monitor answers, whatever carries them (the session bus on Linux, a
//! named pipe on Windows): what each one does to the engine is decided here, once. On the pipe a
//! call is one line of JSON and so is its reply:
//!
//! ```text
//! {"call":"pause","seconds":900}        ->  {"ok":true}
//! {"call":"status"}                     ->  {"ok":true,"status":{...MonitorStatus...}}
//! {"call":"open","screen":"report"}     ->  {"ok":false,"refused":"not_supported","message":"..."}
//! ```

use std::sync::mpsc::Sender;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{ControlState, MonitorStatus, WindowRequest};
use crate::engine::EngineCommand;

/// One call to the running monitor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum Call {
    /// What the monitor sees now.
    Status,
    /// Pause monitoring (the camera is closed) for `seconds`, or until resumed when 0.
    Pause {
        /// How long; 0: until resumed.
        seconds: u32,
    },
    /// Resume monitoring.
    Resume,
    /// No posture warnings for `seconds` (more than 0).
    Snooze {
        /// How long.
        seconds: u32,
    },
    /// End a snooze.
    Unsnooze,
    /// "I'm sitting fine" to the warning standing (or shown in the last minutes).
    Dispute,
    /// Show the window at `screen` (`live`, `calibration` or `report`).
    Open {
        /// The screen's name.
        screen: String,
    },
}

/// Why a call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    /// The call's values are wrong (no such screen, a snooze of 0 s, not a call).
    InvalidArgs,
    /// This monitor cannot do it (`slouchwatch run` has no window).
    NotSupported,
    /// The monitor is stopping.
    Failed,
}

/// A refused call: its kind and what to tell the person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Refusal {
    /// What kind of refusal.
    pub kind: RefusalKind,
    /// Words for the person.
    pub message: String,
}

impl Refusal {
    fn new(kind: RefusalKind, message: impl Into<String>) -> Refusal {
        Refusal { kind, message: message.into() }
    }
}

/// What a call gives back: the status for [`Call::Status`], nothing for the others.
pub type Answer = Result<Option<MonitorStatus>, Refusal>;

/// Answers `call` at `now`: sends its engine command to `commands`, or reads `state`.
pub fn answer(call: &Call, state: &ControlState, commands: &Sender<EngineCommand>, now: DateTime<Utc>) -> Answer {
    let send = |command: EngineCommand| {
        commands.send(command).map(|()| None).map_err(|_| Refusal::new(RefusalKind::Failed, "slouchwatch is stopping"))
    };
    match call {
        Call::Status => Ok(Some(state.status())),
        Call::Pause { seconds: 0 } => send(EngineCommand::Pause),
        Call::Pause { seconds } => send(EngineCommand::PauseUntil(now + TimeDelta::seconds((*seconds).into()))),
        Call::Resume => send(EngineCommand::Resume),
        Call::Snooze { seconds: 0 } => {
            Err(Refusal::new(RefusalKind::InvalidArgs, "snooze for how long? (seconds > 0)"))
        }
        Call::Snooze { seconds } => send(EngineCommand::SnoozeUntil(now + TimeDelta::seconds((*seconds).into()))),
        Call::Unsnooze => send(EngineCommand::Unsnooze),
        Call::Dispute => send(EngineCommand::Dispute),
        Call::Open { screen } => {
            let Some(request) = WindowRequest::from_name(screen) else {
                return Err(Refusal::new(
                    RefusalKind::InvalidArgs,
                    format!("no screen '{screen}': use live, calibration or report"),
                ));
            };
            if !state.has_window() {
                return Err(Refusal::new(
                    RefusalKind::NotSupported,
                    "this monitor (slouchwatch run) has no window; stop it to use the window",
                ));
            }
            send(EngineCommand::ShowWindow(request))
        }
    }
}

/// A reply as one line carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// Whether the call was done.
    pub ok: bool,
    /// The status, for [`Call::Status`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<MonitorStatus>,
    /// Why not, when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<RefusalKind>,
    /// Words for the person, when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl From<Answer> for Reply {
    fn from(answer: Answer) -> Reply {
        match answer {
            Ok(status) => Reply { ok: true, status, refused: None, message: None },
            Err(refusal) => {
                Reply { ok: false, status: None, refused: Some(refusal.kind), message: Some(refusal.message) }
            }
        }
    }
}

impl Reply {
    /// The answer this reply carries.
    pub fn into_answer(self) -> Answer {
        if self.ok {
            Ok(self.status)
        } else {
            Err(Refusal {
                kind: self.refused.unwrap_or(RefusalKind::Failed),
                message: self.message.unwrap_or_else(|| "refused, without a reason".into()),
            })
        }
    }
}

/// Answers one line (a [`Call`] in JSON) with one line (a [`Reply`] in JSON).
pub fn answer_line(line: &str, state: &ControlState, commands: &Sender<EngineCommand>, now: DateTime<Utc>) -> String {
    let answer = match serde_json::from_str::<Call>(line) {
        Ok(call) => answer(&call, state, commands, now),
        Err(error) => Err(Refusal::new(RefusalKind::InvalidArgs, format!("not a call ({error})"))),
    };
    serde_json::to_string(&Reply::from(answer)).unwrap_or_else(|_| r#"{"ok":false}"#.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> DateTime<Utc> {
        "2026-12-07T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn each_call_becomes_its_engine_command() {
        let state = ControlState::new();
        let (commands, sent) = std::sync::mpsc::channel();
        let cases = [
            (Call::Pause { seconds: 0 }, EngineCommand::Pause),
            (Call::Pause { seconds: 60 }, EngineCommand::PauseUntil(at() + TimeDelta::seconds(60))),
            (Call::Resume, EngineCommand::Resume),
            (Call::Snooze { seconds: 900 }, EngineCommand::SnoozeUntil(at() + TimeDelta::minutes(15))),
            (Call::Unsnooze, EngineCommand::Unsnooze),
            (Call::Dispute, EngineCommand::Dispute),
        ];
        for (call, command) in cases {
            assert_eq!(answer(&call, &state, &commands, at()), Ok(None), "{call:?}");
            assert_eq!(format!("{:?}", sent.try_recv().unwrap()), format!("{command:?}"), "{call:?}");
        }
        let snooze = answer(&Call::Snooze { seconds: 0 }, &state, &commands, at());
        assert_eq!(snooze.unwrap_err().kind, RefusalKind::InvalidArgs);
        assert!(sent.try_recv().is_err(), "a refused call sends nothing");
    }

    #[test]
    fn opening_the_window_needs_a_monitor_with_one_and_a_real_screen() {
        let state = ControlState::new();
        let (commands, sent) = std::sync::mpsc::channel();
        let open = |screen: &str| Call::Open { screen: screen.into() };
        assert_eq!(answer(&open("report"), &state, &commands, at()).unwrap_err().kind, RefusalKind::NotSupported);
        state.offer_window();
        assert_eq!(answer(&open("cellar"), &state, &commands, at()).unwrap_err().kind, RefusalKind::InvalidArgs);
        assert_eq!(answer(&open("report"), &state, &commands, at()), Ok(None));
        assert!(matches!(sent.try_recv(), Ok(EngineCommand::ShowWindow(WindowRequest::Report))));
        drop(sent);
        let stopped = answer(&Call::Resume, &state, &commands, at()).unwrap_err();
        assert_eq!((stopped.kind, stopped.message.as_str()), (RefusalKind::Failed, "slouchwatch is stopping"));
    }

    #[test]
    fn a_line_is_answered_with_a_line_that_reads_back_as_the_same_answer() {
        let state = ControlState::new();
        let (commands, _sent) = std::sync::mpsc::channel();
        let status = MonitorStatus { state: "upright".into(), words: "Upright".into(), ..MonitorStatus::default() };
        state.set(status.clone());
        let line = answer_line(r#"{"call":"status"}"#, &state, &commands, at());
        assert!(!line.contains('\n'));
        let reply: Reply = serde_json::from_str(&line).unwrap();
        assert_eq!(reply.into_answer(), Ok(Some(status)));
        let line = answer_line(r#"{"call":"pause","seconds":0}"#, &state, &commands, at());
        assert_eq!(line, r#"{"ok":true}"#);
        let line = answer_line("pause please", &state, &commands, at());
        let refused = serde_json::from_str::<Reply>(&line).unwrap().into_answer().unwrap_err();
        assert_eq!(refused.kind, RefusalKind::InvalidArgs);
        assert!(refused.message.starts_with("not a call"), "{refused}");
        assert_eq!(serde_json::to_string(&Call::Snooze { seconds: 60 }).unwrap(), r#"{"call":"snooze","seconds":60}"#);
    }
}
