//! The calibration wizard's screen, the first-run flow in a centred column: a welcome (what
//! slouchwatch does and that no picture is kept or sent) on the first run, then the position
//! step (a large preview with a head-and-shoulders outline and the framing check), the
//! countdown and capture over the preview, and the result (a quality badge and the desk check as
//! cards) with Start monitoring. The calibration is saved the moment it is measured.

use egui::{RichText, Ui};

use super::{UiCommand, kit};
use crate::engine::Snapshot;
use crate::engine::calibrate::CalibrateError;
use crate::posture::{Calibration, CameraPlacement};
use crate::ui::theme;

/// Where the calibration wizard is.
#[derive(Debug, Default)]
pub enum WizardStep {
    /// Explains what to do.
    #[default]
    Intro,
    /// Counting down to the capture.
    Countdown {
        /// Seconds left.
        remaining_s: f64,
    },
    /// Collecting frames.
    Capturing {
        /// Frames so far.
        frames: usize,
        /// Frames wanted.
        wanted: usize,
    },
    /// Measuring (on a worker thread).
    Computing,
    /// Measured: shown for approval.
    Done(Box<Calibration>),
    /// Could not calibrate.
    Failed(CalibrateError),
}

/// Which setup a calibration is for: its name, and whether it is standing.
#[derive(Debug, Clone, PartialEq)]
pub struct SetupChoice {
    /// The setup's name ("Desk", "Laptop", "Standing").
    pub name: String,
    /// Calibrated standing at a standing desk.
    pub standing: bool,
}

impl Default for SetupChoice {
    fn default() -> Self {
        SetupChoice { name: crate::posture::setups::MIGRATED_SETUP_NAME.to_owned(), standing: false }
    }
}

/// What the wizard shows besides its step.
pub struct WizardView<'a> {
    /// Where it is.
    pub step: &'a WizardStep,
    /// Why there is no camera picture, if there is none.
    pub camera_problem: Option<&'a str>,
    /// The live picture and what it showed, for checking the framing.
    pub picture: Option<(&'a egui::TextureHandle, &'a Snapshot)>,
    /// What to change in the framing (`None`: it is right, or there is no picture).
    pub framing: Option<String>,
    /// The calibration in use.
    pub in_use: Option<&'a Calibration>,
    /// With a first calibration: whether slouchwatch starts at login now, to offer the choice.
    pub offer_start_at_login: Option<bool>,
    /// Which setup this calibration is for.
    pub choice: &'a SetupChoice,
    /// The names of the setups there are.
    pub setup_names: Vec<String>,
    /// Whether the calibration just saved replaced one that can be put back.
    pub can_keep_earlier: bool,
    /// Whether the calibration just measured was written to the setups file.
    pub saved: bool,
    /// The first run (no setup before this calibration): the flow has a welcome step.
    pub first_run: bool,
    /// The welcome has been read ("Get started").
    pub welcomed: bool,
}

/// The calibration wizard.
pub fn calibration_panel(ui: &mut Ui, view: &WizardView) -> Vec<UiCommand> {
    kit::centred(ui, theme::WIZARD_COLUMN_WIDTH, |ui| {
        let mut commands = Vec::new();
        if view.first_run && !view.welcomed && matches!(view.step, WizardStep::Intro) {
            welcome(ui, &mut commands);
            return commands;
        }
        let (number, of) = if view.first_run { (2, 3) } else { (1, 2) };
        let done = matches!(view.step, WizardStep::Done(_) | WizardStep::Failed(_));
        let (label, title) = if done {
            (format!("Step {} of {of}: your result", number + 1), "Your upright posture is measured")
        } else {
            (format!("Step {number} of {of}: sit as you work"), "Calibrate your upright posture")
        };
        ui.label(RichText::new(label).small().weak());
        ui.label(RichText::new(title).size(theme::TEXT_DISPLAY).strong());
        ui.add_space(theme::GRID);
        if let Some(problem) = view.camera_problem {
            kit::card(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    kit::state_icon(ui, kit::StateShape::Cross, theme::NEUTRAL, theme::TEXT_TITLE);
                    ui.label(RichText::new(format!("No camera picture: {problem}")).strong());
                });
                ui.label("Connect the camera, close any other program using it (a video call?), then retry.");
                if kit::primary_button(ui, "Retry").clicked() {
                    commands.push(UiCommand::Retry);
                }
            });
            if matches!(view.step, WizardStep::Countdown { .. } | WizardStep::Capturing { .. }) {
                commands.push(UiCommand::CancelCalibration);
            }
            return commands;
        }
        match view.step {
            WizardStep::Intro => position(ui, view, &mut commands),
            WizardStep::Countdown { remaining_s } => {
                let over = format!("{:.0}", remaining_s.ceil());
                kit::card(ui, |ui| {
                    ui.label(RichText::new(format!("Sit upright... {over}")).size(theme::TEXT_TITLE).strong());
                    preview(ui, view, Some(&over));
                    if ui.button("Cancel").clicked() {
                        commands.push(UiCommand::CancelCalibration);
                    }
                });
            }
            WizardStep::Capturing { frames, wanted } => {
                kit::card(ui, |ui| {
                    ui.label(RichText::new("Hold still...").size(theme::TEXT_TITLE).strong());
                    ui.add(
                        egui::ProgressBar::new(*frames as f32 / (*wanted).max(1) as f32)
                            .text(format!("{frames} of {wanted} pictures")),
                    );
                    preview(ui, view, None);
                    if ui.button("Cancel").clicked() {
                        commands.push(UiCommand::CancelCalibration);
                    }
                });
            }
            WizardStep::Computing => {
                kit::card(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("Measuring...");
                    });
                });
            }
            WizardStep::Done(calibration) => result(ui, view, calibration, &mut commands),
            WizardStep::Failed(error) => {
                kit::card(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        kit::state_icon(ui, kit::StateShape::Caution, theme::WARNING, theme::TEXT_TITLE);
                        ui.label(crate::engine::status::capitalised(&error.to_string()));
                    });
                    if kit::primary_button(ui, "Try again").clicked() {
                        commands.push(UiCommand::RetryCalibration);
                    }
                });
            }
        }
        commands
    })
}

/// The first run's welcome: what slouchwatch does, and how it keeps pictures private.
fn welcome(ui: &mut Ui, commands: &mut Vec<UiCommand>) {
    ui.label(RichText::new("Step 1 of 3: welcome").small().weak());
    ui.label(RichText::new("Welcome to slouchwatch").size(theme::TEXT_DISPLAY).strong());
    ui.add_space(theme::GRID);
    kit::card(ui, |ui| {
        ui.label(
            "slouchwatch watches how you sit through your webcam while you work. You show it your upright posture \
             once; from then on it notices when your head drifts forward or your shoulders round, tells you after a \
             while, suggests a stretch that fits, and keeps a daily report.",
        );
        ui.add_space(theme::GRID);
        ui.horizontal_top(|ui| {
            kit::state_icon(ui, kit::StateShape::Tick, theme::GOOD, theme::TEXT_TITLE);
            ui.add(
                egui::Label::new(
                    RichText::new(
                        "Private by design: every camera picture is looked at in memory and dropped. No picture is \
                         saved or sent anywhere; only numbers (angles and minutes) are kept, on this computer.",
                    )
                    .strong(),
                )
                .wrap(),
            );
        });
        ui.add_space(theme::GRID);
        ui.label(
            RichText::new(
                "A helper for your habits, not a medical device. Numbness or weakness down the arms, pain after an \
                 injury, a fever, or pain that does not ease within a week: see a doctor or a physiotherapist.",
            )
            .small()
            .weak(),
        );
        ui.add_space(theme::GRID);
        if kit::primary_button(ui, "Get started").clicked() {
            commands.push(UiCommand::GetStarted);
        }
    });
}

/// The position step: what to do, which setup, the preview with the outline and the framing
/// check, and Start.
fn position(ui: &mut Ui, view: &WizardView, commands: &mut Vec<UiCommand>) {
    kit::card(ui, |ui| {
        if let Some(calibration) = view.in_use {
            ui.label(RichText::new(in_use_words(calibration)).weak());
        }
        setup_choice(ui, view, commands);
        ui.label("1. Put the camera at the top of your screen (or beside your desk at shoulder height), so it sees your head and both shoulders.");
        ui.label("2. Sit upright as you normally work: back against the chair, feet flat, shoulders relaxed, eyes on the screen.");
        let label = if view.in_use.is_some() { "Recalibrate" } else { "Start" };
        ui.label(format!("3. Press {label}, then hold still for about five seconds while slouchwatch measures."));
        preview(ui, view, None);
        if kit::primary_button(ui, label).clicked() {
            commands.push(UiCommand::StartCalibration);
        }
    });
}

/// The result: the quality badge, where it was saved, the desk check as cards, and Start
/// monitoring (it is saved already), Try again, or the earlier calibration back.
fn result(ui: &mut Ui, view: &WizardView, calibration: &Calibration, commands: &mut Vec<UiCommand>) {
    let quality = &calibration.quality;
    kit::card(ui, |ui| {
        quality_badge(ui, quality.grade);
        let standing = if view.choice.standing { ", standing" } else { "" };
        let name = view.choice.name.trim();
        if view.saved {
            ui.label(format!(
                "Saved as the setup \"{name}\"{standing}: slouchwatch now knows how you sit upright, and from here on \
                 compares your posture with this."
            ));
        } else {
            // The reason (e.g. a full disk) is the notice above; the calibration is in use.
            ui.horizontal_wrapped(|ui| {
                kit::state_icon(ui, kit::StateShape::Caution, theme::WARNING, theme::TEXT_BODY);
                ui.label(format!(
                    "In use for the setup \"{name}\"{standing} until slouchwatch quits, but not saved: free some \
                     space or fix the folder above, then press Try again."
                ));
            });
        }
        for note in &quality.notes {
            ui.label(format!("To do better next time: {note}."));
        }
        ui.label(
            RichText::new(format!(
                "{} of {} pictures used; camera {}.",
                quality.frames_used,
                quality.frames_total,
                placement_words(calibration.placement)
            ))
            .weak(),
        );
        if let Some(mut start_at_login) = view.offer_start_at_login
            && ui
                .checkbox(&mut start_at_login, "Start slouchwatch when I log in")
                .on_hover_text(
                    "It opens minimised and watches from the start of the day. Change it any time in Settings.",
                )
                .changed()
        {
            commands.push(UiCommand::StartAtLogin(start_at_login));
        }
        ui.horizontal_wrapped(|ui| {
            if kit::primary_button(ui, "Start monitoring").clicked() {
                commands.push(UiCommand::Show(super::Screen::Live));
            }
            if ui.button("Try again").on_hover_text("Measure again; this calibration is used meanwhile.").clicked() {
                commands.push(UiCommand::RetryCalibration);
            }
            if view.can_keep_earlier
                && ui
                    .button("Keep the earlier calibration")
                    .on_hover_text("Put back the calibration this one replaced.")
                    .clicked()
            {
                commands.push(UiCommand::KeepEarlierCalibration);
            }
        });
    });
    ui.add_space(theme::GRID);
    desk_check(ui, calibration);
}

/// The calibration's quality as a badge: a sign and the grade in words, on a tinted pill.
fn quality_badge(ui: &mut Ui, grade: crate::posture::calibration::QualityGrade) {
    use crate::posture::calibration::QualityGrade;
    let (shape, colour) = match grade {
        QualityGrade::Good => (kit::StateShape::Tick, theme::GOOD),
        QualityGrade::Fair => (kit::StateShape::Caution, theme::SLOUCHING),
        QualityGrade::Poor => (kit::StateShape::Caution, theme::WARNING),
    };
    let fill = theme::tint(colour, ui.visuals().dark_mode);
    egui::Frame::new().fill(fill).corner_radius(theme::BUTTON_RADIUS).inner_margin(theme::GRID).show(ui, |ui| {
        ui.horizontal(|ui| {
            kit::state_icon(ui, shape, colour, theme::TEXT_TITLE);
            ui.label(RichText::new(format!("Quality: {}", grade.words())).size(theme::TEXT_TITLE).strong());
        });
    });
}

/// The live picture, as large as the column, with the keypoints, a head-and-shoulders outline
/// to sit into, the framing check above it, and `over` (the countdown) large across it.
fn preview(ui: &mut Ui, view: &WizardView, over: Option<&str>) {
    match &view.framing {
        Some(advice) => ui.horizontal_wrapped(|ui| {
            kit::state_icon(ui, kit::StateShape::Caution, theme::SLOUCHING, theme::TEXT_BODY);
            ui.label(advice);
        }),
        None if view.picture.is_some() => ui.horizontal_wrapped(|ui| {
            kit::state_icon(ui, kit::StateShape::Tick, theme::GOOD, theme::TEXT_BODY);
            ui.label("Good framing: head and both shoulders in view.");
        }),
        None => ui.horizontal_wrapped(|ui| {
            ui.spinner();
            ui.label(RichText::new("Waiting for the camera picture...").weak());
        }),
    };
    if let Some((texture, snapshot)) = view.picture {
        let rect = super::live::picture_with_pose(ui, texture, snapshot, theme::WIZARD_IMAGE_MAX_WIDTH);
        outline(ui, rect);
        if let Some(over) = over {
            let painter = ui.painter_at(rect);
            painter.circle_filled(
                rect.center(),
                theme::COUNTDOWN_RING_SIZE / 2.0,
                egui::Color32::from_black_alpha(140),
            );
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                over,
                egui::FontId::proportional(3.0 * theme::TEXT_DISPLAY),
                egui::Color32::WHITE,
            );
        }
    }
}

/// A dashed head-and-shoulders outline over the preview: where a well-framed person sits.
fn outline(ui: &Ui, rect: egui::Rect) {
    let painter = ui.painter_at(rect);
    let stroke = egui::Stroke::new(theme::MARK_WIDTH, theme::OUTLINE);
    let (w, h) = (rect.width(), rect.height());
    let head = egui::pos2(rect.center().x, rect.top() + 0.33 * h);
    let (rx, ry) = (0.12 * w, 0.17 * h);
    let ellipse: Vec<egui::Pos2> = (0..=48)
        .map(|i| {
            let a = i as f32 / 48.0 * std::f32::consts::TAU;
            head + egui::vec2(rx * a.cos(), ry * a.sin())
        })
        .collect();
    painter.extend(egui::Shape::dashed_line(&ellipse, stroke, 8.0, 6.0));
    // Neck down to the shoulders, and the shoulders out to the picture's sides.
    let neck_top = head.y + ry;
    let shoulders_y = rect.top() + 0.72 * h;
    let line = [
        egui::pos2(rect.left() + 0.1 * w, rect.bottom()),
        egui::pos2(rect.left() + 0.14 * w, shoulders_y + 0.06 * h),
        egui::pos2(head.x - 0.16 * w, shoulders_y),
        egui::pos2(head.x - 0.06 * w, neck_top + 0.04 * h),
        egui::pos2(head.x - 0.06 * w, neck_top),
    ];
    painter.extend(egui::Shape::dashed_line(&line, stroke, 8.0, 6.0));
    let mirrored: Vec<egui::Pos2> = line.iter().map(|p| egui::pos2(2.0 * head.x - p.x, p.y)).collect();
    painter.extend(egui::Shape::dashed_line(&mirrored, stroke, 8.0, 6.0));
}

/// The calibration in use, in words: when and how good.
pub fn in_use_words(calibration: &Calibration) -> String {
    let when = calibration
        .created
        .as_deref()
        .and_then(|created| chrono::DateTime::parse_from_rfc3339(created).ok())
        .map(|created| created.with_timezone(&chrono::Local).format("%e %b %Y at %H:%M").to_string())
        .map(|when| format!(" on {}", when.trim()))
        .unwrap_or_default();
    format!(
        "In use: calibrated{when}, quality {}, camera {}. Recalibrate after moving the camera, the chair or the desk.",
        calibration.quality.grade.words(),
        placement_words(calibration.placement)
    )
}

fn placement_words(placement: CameraPlacement) -> &'static str {
    match placement {
        CameraPlacement::Front => "in front of you",
        CameraPlacement::Side => "beside you",
    }
}

/// The desk check after a calibration: each thing to change about the desk as a card, with its
/// reason.
fn desk_check(ui: &mut Ui, calibration: &Calibration) {
    use crate::posture::desk;
    if calibration.placement != crate::posture::CameraPlacement::Front {
        return;
    }
    let items = desk::desk_check(calibration, &desk::DayMeasures::default());
    kit::card_title(ui, "Desk check");
    if items.is_empty() {
        kit::card(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                kit::state_icon(ui, kit::StateShape::Tick, theme::GOOD, theme::TEXT_BODY);
                ui.label("Nothing to change that the camera can see: screen height, distance and centring look right.");
            });
        });
        return;
    }
    for item in &items {
        kit::card(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                kit::state_icon(ui, kit::StateShape::Caution, theme::SLOUCHING, theme::TEXT_BODY);
                ui.label(RichText::new(format!("{}.", item.finding())).strong());
            });
            ui.label(item.change());
        });
        ui.add_space(theme::GRID / 2.0);
    }
    ui.label(
        RichText::new("Distances and angles are estimates from one camera, assumed to sit on the screen you look at.")
            .small()
            .weak(),
    );
}

/// The setup this calibration is for: a name (an existing one recalibrates it), and whether the
/// person stands for it.
fn setup_choice(ui: &mut Ui, view: &WizardView, commands: &mut Vec<UiCommand>) {
    let mut choice = view.choice.clone();
    ui.horizontal_wrapped(|ui| {
        ui.label("Setup:");
        ui.add(egui::TextEdit::singleline(&mut choice.name).desired_width(160.0))
            .on_hover_text("A name for where and how you work: Desk, Laptop, Standing...");
        ui.checkbox(&mut choice.standing, "Standing (a standing desk)");
    });
    let existing = view.setup_names.iter().any(|name| name.eq_ignore_ascii_case(choice.name.trim()));
    if existing {
        ui.label(RichText::new(format!("This recalibrates \"{}\".", choice.name.trim())).weak());
    } else if !view.setup_names.is_empty() {
        ui.label(
            RichText::new(format!(
                "A new setup, beside {}. slouchwatch picks the setup that fits where you are.",
                view.setup_names.join(", ")
            ))
            .weak(),
        );
    }
    if &choice != view.choice {
        commands.push(UiCommand::ChooseSetup(choice));
    }
}
