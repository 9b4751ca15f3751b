//! Command-line interface: the one place errors become exit codes and messages, and the
//! dispatch to each command's file:
//!
//! - [`args`]: the arguments (clap) and their checks;
//! - `analyze.rs`, `calibrate.rs`, `run.rs` (and `cameras`), `gui.rs` (the window and the tray
//!   alone), `report.rs`, `stretches.rs`, `control.rs` (status, pause, ...): one command each;
//! - `handoff.rs`: the window and the tray handing over to each other; `errors.rs`: error words.

mod analyze;
mod args;
mod calibrate;
mod control;
mod errors;
mod gui;
mod handoff;
mod report;
mod run;
mod stretches;

use std::process::ExitCode;

use clap::Parser;

use crate::pose::{ModelChoice, PoseEstimator};
use crate::source::SourceError;
pub use args::{Cli, Command, GuiArgs, RunArgs};

/// Exit code when the camera cannot be used at start.
const EXIT_NO_CAMERA: u8 = 3;
/// Exit code when another slouchwatch already monitors with the same history.
const EXIT_ALREADY_MONITORING: u8 = 4;

/// Entry point called by `main.rs`.
pub fn main() -> ExitCode {
    crate::memory::tune_allocator();
    let cli = Cli::parse();
    init_logging(cli.verbose);
    let result = match cli.command {
        Some(Command::Analyze { paths, json, calibration, placement, model }) => {
            analyze::run_analyze(&paths, json, calibration.as_deref(), placement, &model)
        }
        Some(Command::Calibrate { setup, standing, source, out, placement, model }) => {
            calibrate::command(setup, standing, &source, out, placement, &model)
        }
        Some(Command::Run(args)) => run::run_monitor(&args),
        Some(Command::Setups { remove, reset }) => calibrate::manage_setups(remove.as_deref(), reset.as_deref()),
        Some(Command::Cameras) => run::list_cameras(),
        Some(Command::Stretches { problem, json }) => stretches::show_stretches(problem, json),
        Some(Command::Gui(args)) => gui::run_gui(args, cli.verbose),
        Some(Command::Control(command)) => return control::run(&command),
        Some(Command::Report(args)) => {
            report::run(&args, crate::files::config_dir().map(|dir| dir.join(crate::settings::SETTINGS_FILE)))
        }
        None => gui::run_gui(GuiArgs::default(), cli.verbose),
    };
    result.unwrap_or_else(|error| {
        let hint = error
            .chain()
            .find_map(|cause| cause.downcast_ref::<SourceError>())
            .and_then(SourceError::command_line_hint)
            .map(|hint| format!("; {hint}"))
            .unwrap_or_default();
        eprintln!("error: {}{hint}", errors::error_words(error.as_ref()));
        ExitCode::FAILURE
    })
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    tracing_subscriber::fmt().with_max_level(level).with_writer(std::io::stderr).init();
}

fn load_model(model: &ModelChoice) -> anyhow::Result<PoseEstimator> {
    let started = std::time::Instant::now();
    let estimator = PoseEstimator::load(model)?;
    tracing::debug!(model = %model, seconds = started.elapsed().as_secs_f32(), "pose model loaded");
    Ok(estimator)
}
