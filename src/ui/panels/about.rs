//! The About screen.

use egui::{RichText, Ui};

use super::kit;
use crate::coach::Catalog;
use crate::ui::{AppPaths, theme};

/// What slouchwatch is and is not, when to see a professional, where the data lives, credits.
pub fn about_panel(ui: &mut Ui, catalog: &Catalog, paths: &AppPaths) {
    kit::centred(ui, theme::COLUMN_MAX_WIDTH, |ui| {
        ui.label(RichText::new("About slouchwatch").size(theme::TEXT_DISPLAY).strong());
        ui.label(RichText::new(format!("Version {}", env!("CARGO_PKG_VERSION"))).weak());
        ui.add_space(theme::GRID);
        kit::card(ui, |ui| {
            ui.label(
                "slouchwatch watches your posture through your webcam and suggests what to do about it. \
                 Everything runs on this computer: camera pictures are analysed in memory and never saved or sent; \
                 only numbers are kept.",
            );
            ui.label(
                "slouchwatch is a health-adjacent habit tool, not a medical device. It does not diagnose or treat \
                 anything.",
            );
        });
        ui.add_space(theme::GRID);
        kit::card(ui, |ui| super::see_a_professional(ui, catalog));
        ui.add_space(theme::GRID);
        kit::card(ui, |ui| {
            kit::card_title(ui, "Where your data lives");
            let data =
                paths.data_dir.as_ref().map(|dir| dir.display().to_string()).unwrap_or_else(|| "not kept".into());
            ui.label(format!("History (numbers only): {data}"));
            let setups = crate::files::setups::path_beside(&paths.calibration);
            ui.label(format!("Your setups (calibrations, numbers only): {}", setups.display()));
            if let Some(settings) = &paths.settings {
                ui.label(format!("Settings: {}", settings.display()));
            }
        });
        ui.add_space(theme::GRID);
        kit::card(ui, |ui| {
            kit::card_title(ui, "Credits and licences");
            ui.label(format!("slouchwatch is free software under the {} licence.", env!("CARGO_PKG_LICENSE")));
            ui.label(
                "Pose models: MoveNet SinglePose Lightning and Thunder v4 and the MediaPipe Face Mesh landmarks, by \
                 Google (Apache-2.0), converted to ONNX; run by tract (MIT or Apache-2.0).",
            );
            ui.label(
                "Built with egui and eframe, v4l (the camera on Linux; nokhwa elsewhere), image, libjpeg-turbo \
                 (BSD-style), rusqlite with SQLite (public domain), egui_plot and notify-rust, each under MIT and/or \
                 Apache-2.0 unless said; the stretch illustrations were drawn for slouchwatch.",
            );
            ui.hyperlink_to(
                "MoveNet model card",
                "https://storage.googleapis.com/movenet/MoveNet.SinglePose%20Model%20Card.pdf",
            );
        });
    });
}
