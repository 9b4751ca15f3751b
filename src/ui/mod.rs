//! The desktop window (eframe/egui): live view, warnings with the coach's stretch, the
//! calibration wizard, the stretch catalog and settings. It only draws what the engine thread
//! publishes; capture and inference never run here.
//!
//! - [`app`]: the app state, the update loop, commands applied in one place;
//! - [`panels`]: each screen as a free function returning commands;
//! - [`report`]: the Report screen's panel and charts;
//! - [`theme`]: colours and sizes.

pub mod app;
pub mod panels;
pub mod report;
pub mod theme;

pub use app::{AppPaths, EngineStarter, SlouchApp, WindowExit};

use std::path::PathBuf;

use crate::coach::Catalog;
use crate::engine::EngineConfig;
use crate::session::{self, CameraCheck, SessionSpec};
use crate::settings::EngineParts;
use crate::source::SourceSpec;

/// Where the window's engine gets frames and keeps history; `None` fields follow the settings.
#[derive(Debug, Clone, Default)]
pub struct EngineOverrides {
    /// `--source`, overriding the settings' camera.
    pub source: Option<String>,
    /// `--fps`, overriding the settings' analysis rate.
    pub fps: Option<f64>,
    /// The history folder (`None`: the platform data folder).
    pub data_dir: Option<PathBuf>,
    /// Replay speed for folders (virtual seconds per real second); `None`: real time.
    pub replay_speed: Option<f64>,
}

/// Replays play in real time in the window unless told otherwise, so they look like a camera.
const DEFAULT_REPLAY_SPEED: f64 = 1.0;

/// The engine starter the app uses: the camera or a replay, per settings and overrides, started
/// through [`crate::session`]. The camera is opened on the engine thread and waited for if
/// absent, so the window can say so.
pub fn engine_starter(overrides: EngineOverrides, catalog: Catalog) -> EngineStarter {
    Box::new(move |settings, setups, setups_file| {
        let source = overrides.source.clone().unwrap_or_else(|| settings.source.clone());
        let fps = overrides.fps.unwrap_or(settings.fps);
        let source = match source.parse::<SourceSpec>() {
            Ok(spec) => spec,
            Err(never) => match never {},
        };
        let camera_key = source.camera_key();
        let spec = SessionSpec {
            replay_speed: Some(overrides.replay_speed.unwrap_or(DEFAULT_REPLAY_SPEED)),
            camera_check: CameraCheck::OnEngineThread,
            model: settings.model_choice(),
            data_dir: overrides.data_dir.clone(),
            control: true,
            window: true,
            ..SessionSpec::new(source)
        };
        let parts = EngineParts {
            setups: setups.clone(),
            setups_file: setups_file.map(std::path::Path::to_owned),
            // The window judges with setups only (an old single calibration became the first).
            calibration: None,
            camera: Some(camera_key),
            catalog: Some(catalog.clone()),
            preview: true,
        };
        let config = EngineConfig { fps, ..settings.engine_config(parts) };
        let session = session::start(&spec, config)?;
        for notice in &session.notices {
            tracing::warn!("{notice}");
        }
        Ok(session)
    })
}

/// The application icon at 256 pixels (rendered from `assets/icons/io.github.slouchwatch.svg`).
const WINDOW_ICON_PNG: &[u8] = include_bytes!("../../assets/icons/hicolor/256x256/apps/io.github.slouchwatch.png");

/// Initial window size, points.
pub const WINDOW_SIZE: [f32; 2] = [900.0, 760.0];
/// Smallest window size, points: the narrow layout fits 480 wide.
pub const MIN_WINDOW_SIZE: [f32; 2] = [480.0, 360.0];

/// Opens the window and runs until it is closed: at `size` (points) if given, else where and
/// as large as it was last closed, else [`WINDOW_SIZE`].
pub fn run_window(app: SlouchApp, start_minimised: bool, size: Option<[f32; 2]>) -> Result<(), WindowError> {
    let remembered = app.settings().window;
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("slouchwatch")
        // Matches the launcher entry (io.github.slouchwatch.desktop), so docks group the window
        // under it; on X11 it is the window's class.
        .with_app_id(crate::files::APP_ID)
        .with_inner_size(size.or(remembered.map(|[w, h, _, _]| [w, h])).unwrap_or(WINDOW_SIZE))
        .with_min_inner_size(MIN_WINDOW_SIZE);
    match eframe::icon_data::from_png_bytes(WINDOW_ICON_PNG) {
        Ok(icon) => viewport = viewport.with_icon(icon),
        Err(error) => tracing::warn!("the window's icon could not be read: {error}"),
    }
    if let (None, Some([_, _, x, y])) = (size, remembered) {
        viewport = viewport.with_position([x, y]);
    }
    let options = eframe::NativeOptions { viewport, renderer: eframe::Renderer::Glow, ..Default::default() };
    eframe::run_native(
        "slouchwatch",
        options,
        Box::new(move |creation| {
            let mut app = app;
            egui_extras::install_image_loaders(&creation.egui_ctx);
            // The desktop's scale reaches egui through winit (Xft.dpi on X11, which GNOME's text
            // scaling feeds; the output's scale on Wayland). GNOME's text scaling on Wayland does
            // not, so it is asked for and applied here.
            if let Some(factor) = wayland_text_scale() {
                creation.egui_ctx.set_zoom_factor(factor);
            }
            if let Err(reason) = app.start_tray(&creation.egui_ctx, None) {
                // Said once; the window works as before.
                tracing::warn!("{reason}");
            }
            // Ctrl-C (SIGINT) quits the normal way, so the history is saved.
            let ctx = creation.egui_ctx.clone();
            let quit = app.quit_flag();
            if let Err(error) = ctrlc::set_handler(move || {
                quit.store(true, std::sync::atomic::Ordering::Release);
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                ctx.request_repaint();
            }) {
                tracing::warn!("Ctrl-C will not close the window cleanly: {error}");
            }
            if start_minimised {
                // Monitoring runs on the engine thread, so a minimised window loses nothing.
                creation.egui_ctx.send_viewport_cmd(egui::ViewportCommand::Minimized(true));
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|error| WindowError(error.to_string()))
}

/// GNOME's text scaling factor, on a Wayland session only (on X11 it is in Xft.dpi already):
/// `gsettings get org.gnome.desktop.interface text-scaling-factor`. `None` elsewhere, or at 1.
fn wayland_text_scale() -> Option<f32> {
    if std::env::var("XDG_SESSION_TYPE").ok()? != "wayland" || std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return None;
    }
    let output = std::process::Command::new("gsettings")
        .args(["get", "org.gnome.desktop.interface", "text-scaling-factor"])
        .output()
        .ok()?;
    text_scale(&String::from_utf8_lossy(&output.stdout))
}

/// A text scaling factor as gsettings prints it ("1.25"), within what keeps the window usable;
/// `None` for 1 or anything else.
fn text_scale(printed: &str) -> Option<f32> {
    let factor: f32 = printed.trim().parse().ok()?;
    ((0.5..=3.0).contains(&factor) && (factor - 1.0).abs() > 0.01).then_some(factor)
}

/// The window could not be opened (eframe's error, in words: it cannot cross threads).
#[derive(Debug, thiserror::Error)]
#[error("cannot open the window ({0}); is a display available? `slouchwatch run` monitors without one")]
pub struct WindowError(String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gnome_text_scaling_is_read_within_bounds() {
        assert_eq!(text_scale("1.25\n"), Some(1.25));
        assert_eq!(text_scale("1.0"), None);
        assert_eq!(text_scale("7"), None);
        assert_eq!(text_scale("not a number"), None);
    }
}
