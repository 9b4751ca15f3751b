//! `slouchwatch` / `slouchwatch gui`: the window, or the tray alone with `--background`, and the
//! hand-over between the two.

use std::process::ExitCode;

use chrono::Utc;

use super::{EXIT_ALREADY_MONITORING, GuiArgs, handoff};
use crate::coach::Catalog;

/// `slouchwatch` / `slouchwatch gui`: the window, or the tray alone with `--background`. A
/// running slouchwatch is asked to show its window instead of starting a second one.
pub(super) fn run_gui(args: GuiArgs, verbose: u8) -> anyhow::Result<ExitCode> {
    if args.carry.is_none() {
        let screen = args.screen.map(crate::ui::panels::Screen::request).unwrap_or(crate::control::WindowRequest::Live);
        let asked = if args.background {
            crate::control::client::status().map(drop)
        } else {
            crate::control::client::open(screen)
        };
        match asked {
            Ok(()) => {
                println!(
                    "slouchwatch is already running{}.",
                    if args.background { "" } else { "; its window is open" }
                );
                return Ok(ExitCode::SUCCESS);
            }
            Err(error @ crate::control::client::ClientError::NoWindow) => {
                eprintln!("error: {error}");
                return Ok(ExitCode::from(EXIT_ALREADY_MONITORING));
            }
            // Nothing running (or no bus to ask on): start.
            Err(_) => {}
        }
    }
    #[cfg(windows)]
    crate::win32::leave_own_console();
    let config_dir = args
        .config_dir
        .clone()
        .or_else(crate::files::config_dir)
        .ok_or_else(|| anyhow::anyhow!("no config folder could be found; pass --config-dir"))?;
    let paths = crate::ui::AppPaths {
        settings: Some(config_dir.join(crate::settings::SETTINGS_FILE)),
        calibration: args.calibration.clone().unwrap_or_else(|| config_dir.join(crate::files::CALIBRATION_FILE)),
        data_dir: args.data_dir.clone().or_else(crate::files::data_dir),
        autostart: crate::files::autostart::LoginEntry::for_this_platform(),
    };
    let catalog = Catalog::built_in()?;
    let overrides = crate::ui::EngineOverrides {
        source: args.source.clone(),
        fps: args.fps,
        data_dir: args.data_dir.clone(),
        replay_speed: None,
    };
    let starter = crate::ui::engine_starter(overrides, catalog.clone());
    let carry = args.carry.unwrap_or_default();
    if args.background {
        return run_background(&args, verbose, &paths, starter, carry);
    }
    let mut app = crate::ui::SlouchApp::new(paths, starter, catalog).with_source_override(args.source.clone());
    app.carry_over(carry);
    if let Some(screen) = args.screen {
        app.open_screen(screen);
    }
    let minimised = args.minimised || app.settings().start_minimised;
    let exit = app.exit();
    crate::ui::run_window(app, minimised, args.window_size)?;
    let exit = exit.lock().map(|exit| *exit).unwrap_or_default();
    if let crate::ui::WindowExit::ToTray(carry) = exit {
        handoff::replace_process(&handoff::arguments(&args, verbose, handoff::Next::Background, &carry))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `slouchwatch gui --background`: the engine and the tray icon, no window. Hands over to the
/// window when it is asked for, or at once (minimised) when there is no tray to live in.
fn run_background(
    args: &GuiArgs,
    verbose: u8,
    paths: &crate::ui::AppPaths,
    starter: crate::ui::EngineStarter,
    carry: crate::engine::Carry,
) -> anyhow::Result<ExitCode> {
    use crate::ui::panels::Screen;
    let to_window = |screen: Screen, minimised: bool, carry: &crate::engine::Carry| {
        let mut arguments = handoff::arguments(args, verbose, handoff::Next::Window(screen), carry);
        if minimised {
            arguments.push("--minimised".into());
        }
        handoff::replace_process(&arguments)
    };
    let (requests, received) = std::sync::mpsc::channel();
    // Ctrl-C, SIGTERM and SIGHUP (logging out) quit like the menu's Quit, so the history is saved.
    let quit = requests.clone();
    if let Err(error) = ctrlc::set_handler(move || {
        let _ = quit.send(crate::tray::TrayRequest::Quit);
    }) {
        tracing::warn!("Ctrl-C will not stop cleanly: {error}");
    }
    let tray = match crate::tray::Tray::start(None, crate::tray::RequestSink::new(requests, || {})) {
        Ok(tray) => tray,
        Err(reason) => {
            eprintln!("warning: {reason}; opening the window instead");
            to_window(Screen::Live, true, &carry)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    let (settings, settings_notice) = paths.settings.as_deref().map(crate::settings::load).unwrap_or_default();
    if let Some(notice) = settings_notice {
        eprintln!("warning: {notice}");
    }
    let (setups_file, loaded) = crate::files::setups::load_beside(&paths.calibration);
    if let Some(notice) = loaded.notice {
        eprintln!("note: {notice}");
    }
    let calibrated = !loaded.book.setups.is_empty();
    let engine = match starter(&settings, &loaded.book, Some(&setups_file)) {
        Ok(engine) => engine,
        Err(error) => {
            // The window says what is wrong and offers Retry.
            eprintln!("warning: {error}; opening the window");
            drop(tray);
            to_window(Screen::Live, false, &carry)?;
            return Ok(ExitCode::SUCCESS);
        }
    };
    for command in carry.commands(Utc::now()) {
        engine.send(command);
    }
    let (exit, carry) = crate::tray::background::run(engine, &tray, &received, calibrated);
    drop(tray);
    match exit {
        crate::tray::background::BackgroundExit::Quit => Ok(ExitCode::SUCCESS),
        crate::tray::background::BackgroundExit::OpenWindow(request) => {
            to_window(Screen::from(request), false, &carry)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
