//! The window and the tray hand monitoring to each other by replacing the process: the closed
//! window's process becomes `slouchwatch gui --background` (so the window's memory goes with
//! it) and the tray's becomes `slouchwatch gui --screen ...` when the window is asked for. Only
//! one of them runs an engine at a time; the pause and snooze in force go along as `--carry`.

use std::ffi::OsString;

use super::GuiArgs;
use crate::engine::Carry;
use crate::ui::panels::Screen;

/// Windows' `CREATE_NO_WINDOW`: the next process gets no console window.
#[cfg(windows)]
const CREATE_NO_WINDOW: u32 = 0x0800_0000;

/// What Linux appends to `/proc/self/exe` when the running binary's file was replaced.
const DELETED: &str = " (deleted)";

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
            // The live view is where the window opens anyway (or the wizard, before the first
            // calibration): only other screens are named.
            if let Some(name) = clap::ValueEnum::to_possible_value(&screen).filter(|_| screen != Screen::Live) {
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
    // After an upgrade replaced the binary, Linux names the running one "PATH (deleted)":
    // the new one at PATH is started.
    let program = match program.to_str().and_then(|path| path.strip_suffix(DELETED)) {
        Some(path) => std::path::PathBuf::from(path),
        None => program,
    };
    let mut command = std::process::Command::new(&program);
    command.args(arguments);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(anyhow::anyhow!(
            "could not start {} again to move between the window and the tray ({error}); start slouchwatch again",
            program.display()
        ))
    }
    #[cfg(not(unix))]
    {
        // Windows: no console window for the window's or the icon's process.
        #[cfg(windows)]
        std::os::windows::process::CommandExt::creation_flags(&mut command, CREATE_NO_WINDOW);
        command.spawn()?;
        Ok(())
    }
}

/// `--carry`'s value.
pub fn parse_carry(text: &str) -> Result<Carry, String> {
    serde_json::from_str(text).map_err(|error| format!("'{text}' is not a carried state: {error}"))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parsed(arguments: Vec<OsString>) -> (u8, GuiArgs) {
        let cli = Cli::try_parse_from(std::iter::once(OsString::from("slouchwatch")).chain(arguments)).unwrap();
        match cli.command {
            Some(Command::Gui(args)) => (cli.verbose, args),
            other => panic!("not the window: {other:?}"),
        }
    }

    #[test]
    fn the_next_process_gets_the_same_folders_source_and_rate_and_the_carried_state() {
        let args = GuiArgs {
            source: Some("/tmp/frames with space".into()),
            fps: Some(2.5),
            calibration: Some("/tmp/c.json".into()),
            data_dir: Some("/tmp/data".into()),
            config_dir: Some("/tmp/config".into()),
            window_size: Some([900.0, 700.0]),
            ..GuiArgs::default()
        };
        let carry = Carry {
            paused: false,
            paused_until: Some("2026-11-30T12:00:00Z".parse().unwrap()),
            snoozed_until: Some("2026-11-30T13:00:00Z".parse().unwrap()),
        };

        let (verbose, tray) = parsed(arguments(&args, 2, Next::Background, &carry));
        assert_eq!(verbose, 2);
        assert!(tray.background && tray.screen.is_none() && tray.window_size.is_none());
        assert_eq!(tray.carry, Some(carry));
        assert_eq!((tray.source, tray.fps), (args.source.clone(), args.fps));
        assert_eq!((tray.calibration, tray.data_dir), (args.calibration.clone(), args.data_dir.clone()));
        assert_eq!(tray.config_dir, args.config_dir);

        let (_, window) = parsed(arguments(&args, 0, Next::Window(Screen::Calibration), &Carry::default()));
        assert!(!window.background);
        assert_eq!(window.screen, Some(Screen::Calibration));
        assert_eq!(window.window_size, args.window_size);
        assert_eq!(window.carry, Some(Carry::default()), "a window from the tray never asks the tray to open it");
        let (_, live) = parsed(arguments(&args, 0, Next::Window(Screen::Live), &Carry::default()));
        assert_eq!(live.screen, None, "the window picks live, or the wizard when not calibrated");
    }
}
