//! The window and the tray hand monitoring to each other by replacing the process: the closed
//! window's process becomes `slouchwatch gui --background` (so the window's memory goes with
//! it) and the tray's becomes `slouchwatch gui --screen ...` when the window is asked for. Only
//! one of them runs an engine at a time; the pause and snooze in force go along as `--carry`.

use std::ffi::OsString;

use super::GuiArgs;
use crate::engine::Carry;
use crate::ui::panels::Screen;

/// Where the process goes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The tray only.
    Background,
    /// The window at this screen.
    Window(Screen),
}

/// The arguments of the next process: the same folders, source and rate as this one, with
/// `carry` to resume from.
pub fn arguments(args: &GuiArgs, verbose: u8, next: Next, carry: &Carry) -> Vec<OsString> {
    let mut out: Vec<OsString> = Vec::new();
    if verbose > 0 {
        out.push(format!("-{}", "v".repeat(verbose.into())).into());
    }
    out.push("gui".into());
    let mut pair = |flag: &str, value: OsString| {
        out.push(flag.into());
        out.push(value);
    };
    if let Some(source) = &args.source {
        pair("--source", source.into());
    }
    if let Some(fps) = args.fps {
        pair("--fps", fps.to_string().into());
    }
    if let Some(calibration) = &args.calibration {
        pair("--calibration", calibration.into());
    }
    if let Some(data_dir) = &args.data_dir {
        pair("--data-dir", data_dir.into());
    }
    if let Some(config_dir) = &args.config_dir {
        pair("--config-dir", config_dir.into());
    }
    match next {
        Next::Background => {}
        Next::Window(screen) => {
            if let Some(name) = clap::ValueEnum::to_possible_value(&screen) {
                pair("--screen", name.get_name().into());
            }
            if let Some([width, height]) = args.window_size {
                pair("--window-size", format!("{width}x{height}").into());
            }
        }
    }
    pair("--carry", serde_json::to_string(carry).unwrap_or_default().into());
    if next == Next::Background {
        out.push("--background".into());
    }
    out
}

/// Replaces this process with `slouchwatch ARGS`; returns only if that failed, with why.
pub fn replace_process(arguments: &[OsString]) -> anyhow::Result<()> {
    let program = std::env::current_exe()?;
    let mut command = std::process::Command::new(&program);
    command.args(arguments);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(anyhow::anyhow!("could not restart {} for the tray: {error}", program.display()))
    }
    #[cfg(not(unix))]
    {
        command.spawn()?;
        Ok(())
    }
}

/// `--carry`'s value.
pub fn parse_carry(text: &str) -> Result<Carry, String> {
    serde_json::from_str(text).map_err(|error| format!("'{text}' is not a carried state: {error}"))
}
