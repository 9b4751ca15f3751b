//! `slouchwatch status / pause / resume / snooze`: talk to the running monitor (the window or
//! `run`) over the session bus ([`crate::control`]).

use std::process::ExitCode;

use chrono::TimeDelta;

use crate::control::client::{self, ClientError};
use crate::control::parse_duration;

/// Exit code when no monitor is running (or there is no session bus to reach it on).
pub const EXIT_NOT_RUNNING: u8 = 5;

/// The control commands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ControlCommand {
    /// Say what the running monitor sees now (exit code 5 when none is running).
    Status {
        /// Print JSON instead of a line of text.
        #[arg(long)]
        json: bool,
    },
    /// Pause monitoring in the running monitor (the camera is closed).
    Pause {
        /// For how long (15m, 1h, 1h30m); without it, until `slouchwatch resume`.
        #[arg(long = "for", value_parser = parse_duration)]
        duration: Option<TimeDelta>,
    },
    /// Resume monitoring in the running monitor.
    Resume,
    /// Answer the running monitor's warning "I'm sitting fine": after a few of the same problem
    /// its limit widens a step for the setup in use (`slouchwatch setups` shows it).
    Fine,
    /// No posture warnings from the running monitor for a while.
    Snooze {
        /// For how long: 15m, 1h, 1h30m, 90s.
        #[arg(value_parser = parse_duration)]
        duration: TimeDelta,
    },
}

fn seconds(duration: TimeDelta) -> u32 {
    duration.num_seconds().clamp(1, u32::MAX.into()) as u32
}

/// Runs one control command.
pub fn run(command: &ControlCommand) -> ExitCode {
    let result = match command {
        ControlCommand::Status { json } => client::status().map(|status| {
            if *json {
                println!("{}", serde_json::to_string(&status).unwrap_or_default());
            } else {
                println!("{}", status.words);
            }
        }),
        ControlCommand::Pause { duration } => {
            client::pause(duration.map(seconds).unwrap_or(0)).map(|()| match duration {
                Some(duration) => println!("Paused for {} min; the camera is off.", duration.num_minutes().max(1)),
                None => println!("Paused until `slouchwatch resume`; the camera is off."),
            })
        }
        ControlCommand::Resume => client::resume().map(|()| println!("Monitoring again.")),
        ControlCommand::Fine => {
            client::dispute().map(|()| println!("Noted: the warning is answered \"I'm sitting fine\"."))
        }
        ControlCommand::Snooze { duration } => client::snooze(seconds(*duration))
            .map(|()| println!("No posture warnings for {} min.", duration.num_minutes().max(1))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error @ (ClientError::NotRunning | ClientError::NoBus(_))) => {
            eprintln!("error: {error}");
            ExitCode::from(EXIT_NOT_RUNNING)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
