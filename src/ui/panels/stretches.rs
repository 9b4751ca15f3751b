//! The stretches: one card per catalog entry (illustration, steps, breathing, cautions, the
//! guided hold timer), the whole catalog, the desk changes and when to see a professional.

use egui::{RichText, Ui};

use super::{UiCommand, kit};
use crate::coach::{Catalog, Entry, HoldTimer, Kind, Place, TimerState};
use crate::ui::theme;

fn place_words(places: &[Place]) -> String {
    places.iter().map(|place| place.words()).collect::<Vec<_>>().join(", ")
}

/// The illustrations, built into the binary so the window needs no asset folder.
macro_rules! illustrations {
    ($($name:literal),* $(,)?) => {
        [$(($name, include_bytes!(concat!("../../../assets/illustrations/", $name)) as &[u8])),*]
    };
}
const ILLUSTRATIONS: [(&str, &[u8]); 15] = illustrations!(
    "posture-check.svg",
    "chin-tuck.svg",
    "doorway-chest-stretch.svg",
    "seated-spinal-twist.svg",
    "seated-cat-cow.svg",
    "cat-cow.svg",
    "thread-the-needle.svg",
    "upper-trap-stretch.svg",
    "shoulder-rolls.svg",
    "wall-angels.svg",
    "bird-dog.svg",
    "tennis-ball-massage.svg",
    "heat.svg",
    "strengthening-routine.svg",
    "walk.svg",
);

/// The drawings' colours in the dark theme: no paper background, a light figure and furniture;
/// the accent stays.
const DARK_COLOURS: [(&str, &str); 3] = [("#f7f5f0", "none"), ("#2b3a4a", "#dde4ec"), ("#9aa7b4", "#7d8a98")];

/// The same drawing recoloured for the dark theme.
pub(super) fn dark_svg(svg: &[u8]) -> Vec<u8> {
    let mut text = String::from_utf8_lossy(svg).into_owned();
    for (light, dark) in DARK_COLOURS {
        text = text.replace(light, dark);
    }
    text.into_bytes()
}

/// An entry's illustration in the theme's colours (the first drawing if its file is unknown).
fn illustration(entry: &Entry, dark: bool) -> egui::ImageSource<'static> {
    static DARK: std::sync::OnceLock<Vec<std::sync::Arc<[u8]>>> = std::sync::OnceLock::new();
    let index = ILLUSTRATIONS.iter().position(|(name, _)| *name == entry.illustration).unwrap_or(0);
    let (name, svg) = ILLUSTRATIONS[index];
    if dark {
        let drawings = DARK.get_or_init(|| ILLUSTRATIONS.iter().map(|(_, svg)| dark_svg(svg).into()).collect());
        egui::ImageSource::Bytes {
            uri: format!("bytes://illustrations/dark/{name}").into(),
            bytes: egui::load::Bytes::Shared(drawings[index].clone()),
        }
    } else {
        egui::ImageSource::Bytes {
            uri: format!("bytes://illustrations/{name}").into(),
            bytes: egui::load::Bytes::Static(svg),
        }
    }
}

/// A duration in the words people use: "20 s", "1 min", "1 min 30 s", "10 min".
pub(super) fn duration_words(seconds: u32) -> String {
    match (seconds / 60, seconds % 60) {
        (0, s) => format!("{s} s"),
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// How much of an entry to do, in words: "hold 20 s each side, 3 rounds", "10 min", "8 rounds
/// of 5 s".
pub(super) fn dose_words(entry: &Entry) -> String {
    let sides = if entry.both_sides { " each side" } else { "" };
    let rounds = match entry.rounds {
        1 => String::new(),
        n => format!(", {n} rounds"),
    };
    match entry.kind {
        // A single long stretch of time is a duration, not a hold.
        _ if entry.rounds == 1 && entry.hold_s >= 60 => format!("{}{sides}", duration_words(entry.hold_s)),
        Kind::Stretch => format!("hold {}{sides}{rounds}", duration_words(entry.hold_s)),
        _ => format!("{}{sides}{rounds}", duration_words(entry.hold_s)),
    }
}

/// Where a stretch's guided timer is, in words.
pub(super) fn timer_words(entry: &Entry, elapsed_s: f64) -> String {
    match HoldTimer::for_entry(entry).at(elapsed_s) {
        TimerState::Hold { round, rounds, side, remaining_s } => {
            let side = if entry.both_sides { format!(", side {side}") } else { String::new() };
            format!("hold, round {round} of {rounds}{side}: {remaining_s:.0} s")
        }
        TimerState::Rest { remaining_s } => format!("rest: {remaining_s:.0} s"),
        TimerState::Done => "finished. Well done!".to_owned(),
    }
}

/// The stretch sheet: the stretch under way in its own sheet over any screen, with a large
/// illustration, a countdown ring and the steps. It stays until finished with, whether or not
/// the warning that suggested it still stands, and ends with one Done (counted in today's
/// report); Stop (Close once finished) or Escape end it without counting.
pub fn stretch_sheet(ctx: &egui::Context, entry: &Entry, elapsed_s: f64, dark: bool) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    let timer = HoldTimer::for_entry(entry);
    let state = timer.at(elapsed_s);
    let width = theme::SHEET_WIDTH.min(ctx.content_rect().width() - 6.0 * theme::GRID);
    let max_height = ctx.content_rect().height() - 8.0 * theme::GRID;
    let (fill, edge) = theme::card_colours(dark);
    let frame = egui::Frame::new()
        .fill(fill)
        .stroke(egui::Stroke::new(1.0, edge))
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(theme::CARD_PADDING);
    let modal = egui::Modal::new(egui::Id::unique("stretch-sheet")).frame(frame).show(ctx, |ui| {
        ui.set_width(width);
        kit::card_title(ui, &entry.name);
        egui::ScrollArea::vertical().max_height(max_height - 14.0 * theme::GRID).show(ui, |ui| {
            let side_by_side = width >= theme::SHEET_ILLUSTRATION_SIZE + theme::COUNTDOWN_RING_SIZE + 4.0 * theme::GRID;
            let drawing = |ui: &mut Ui| {
                ui.add(
                    egui::Image::new(illustration(entry, ui.visuals().dark_mode))
                        .fit_to_exact_size(egui::vec2(theme::SHEET_ILLUSTRATION_SIZE, theme::SHEET_ILLUSTRATION_SIZE)),
                );
            };
            let countdown = |ui: &mut Ui| {
                ui.vertical_centered(|ui| {
                    let progress = (elapsed_s / timer.total_s().max(1.0)) as f32;
                    let colour =
                        if state == TimerState::Done { theme::GOOD } else { theme::accent(ui.visuals().dark_mode) };
                    let words = format!("{:.0}% of the stretch done", 100.0 * progress.min(1.0));
                    let rect = kit::ring(ui, theme::COUNTDOWN_RING_SIZE, Some(progress), None, colour, &words);
                    let middle = match state {
                        TimerState::Hold { remaining_s, .. } | TimerState::Rest { remaining_s } => {
                            format!("{remaining_s:.0} s")
                        }
                        TimerState::Done => "Done".to_owned(),
                    };
                    ui.painter().text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        middle,
                        egui::FontId::proportional(theme::TEXT_DISPLAY),
                        ui.visuals().text_color(),
                    );
                    ui.label(
                        RichText::new(crate::engine::status::capitalised(&timer_words(entry, elapsed_s))).strong(),
                    );
                });
            };
            if side_by_side {
                ui.horizontal_top(|ui| {
                    drawing(ui);
                    ui.vertical(|ui| {
                        ui.add_space(theme::CARD_GAP);
                        countdown(ui);
                    });
                });
            } else {
                ui.vertical_centered(|ui| drawing(ui));
                countdown(ui);
            }
            for (number, step) in entry.steps.iter().enumerate() {
                ui.label(format!("{}. {step}", number + 1));
            }
            ui.label(RichText::new(format!("Breathing: {}", entry.breathing)).weak());
            for caution in &entry.cautions {
                caution_line(ui, caution);
            }
        });
        ui.add_space(theme::GRID);
        ui.horizontal(|ui| {
            if state == TimerState::Done {
                if kit::primary_button(ui, "Done").on_hover_text("Counted in today's report.").clicked() {
                    commands.push(UiCommand::StretchDone(entry.id.clone()));
                }
                if kit::quiet_button(ui, "Close").on_hover_text("End it without counting it.").clicked() {
                    commands.push(UiCommand::StopTimer);
                }
            } else if ui.button("Stop").on_hover_text("End the stretch without counting it.").clicked() {
                commands.push(UiCommand::StopTimer);
            }
        });
    });
    if modal.should_close() && commands.is_empty() {
        commands.push(UiCommand::StopTimer);
    }
    commands
}

/// A caution: a triangle and the words, so it is not told by its colour alone.
fn caution_line(ui: &mut Ui, caution: &str) {
    ui.horizontal_wrapped(|ui| {
        kit::state_icon(ui, kit::StateShape::Caution, theme::SLOUCHING, theme::TEXT_BODY);
        ui.label(format!("Careful: {caution}"));
    });
}

/// A stretch card: illustration, steps, breathing, cautions, and the button that starts it in
/// the stretch sheet (or that it is under way there).
pub fn stretch_card(ui: &mut Ui, entry: &Entry, under_way: bool) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    kit::card(ui, |ui| {
        ui.horizontal(|ui| {
            ui.add(
                egui::Image::new(illustration(entry, ui.visuals().dark_mode))
                    .fit_to_exact_size(egui::vec2(theme::ILLUSTRATION_SIZE, theme::ILLUSTRATION_SIZE)),
            );
            ui.vertical(|ui| {
                kit::card_title(ui, &entry.name);
                ui.label(&entry.summary);
                ui.label(RichText::new(format!("{}; {}", dose_words(entry), place_words(&entry.places))).weak());
            });
        });
        for (number, step) in entry.steps.iter().enumerate() {
            ui.label(format!("{}. {step}", number + 1));
        }
        ui.label(RichText::new(format!("Breathing: {}", entry.breathing)).weak());
        for caution in &entry.cautions {
            caution_line(ui, caution);
        }
        if under_way {
            ui.label(RichText::new("Under way in the stretch sheet.").strong());
        } else if ui.button(format!("Start timer: {}", entry.name)).clicked() {
            commands.push(UiCommand::StartTimer(entry.id.clone()));
        }
    });
    commands
}

/// The whole catalog, each entry with its timer.
pub fn stretches_panel(ui: &mut Ui, catalog: &Catalog, under_way: Option<&str>) -> Vec<UiCommand> {
    kit::centred(ui, theme::CONTENT_MAX_WIDTH, |ui| stretches_column(ui, catalog, under_way))
}

fn stretches_column(ui: &mut Ui, catalog: &Catalog, under_way: Option<&str>) -> Vec<UiCommand> {
    let mut commands = Vec::new();
    ui.label(RichText::new("Stretches and exercises").size(theme::TEXT_DISPLAY).strong());
    ui.label(
        "Each has steps and a timer. slouchwatch suggests the one that fits what it saw; any can be done at any time.",
    );
    ui.add_space(crate::ui::theme::GRID / 2.0);
    // The window's own scroll area scrolls the list: two cards a row when wide, one when narrow.
    let elapsed = |entry: &Entry| under_way == Some(entry.id.as_str());
    if ui.available_width() >= theme::WIDE_LAYOUT_MIN_WIDTH {
        for pair in catalog.entries.chunks(2) {
            ui.columns(2, |columns| {
                // Columns justify what they hold; a card's buttons keep their own width.
                let left = egui::Layout::top_down(egui::Align::LEFT);
                for (column, entry) in columns.iter_mut().zip(pair) {
                    commands.extend(column.with_layout(left, |ui| stretch_card(ui, entry, elapsed(entry))).inner);
                }
            });
            ui.add_space(crate::ui::theme::GRID);
        }
    } else {
        for entry in &catalog.entries {
            commands.extend(stretch_card(ui, entry, elapsed(entry)));
            ui.add_space(crate::ui::theme::GRID);
        }
    }
    kit::card(ui, |ui| {
        kit::card_title(ui, "Desk changes");
        for fix in &catalog.ergonomic {
            ui.label(RichText::new(&fix.title).strong());
            ui.label(&fix.text);
        }
    });
    ui.add_space(theme::GRID);
    kit::card(ui, |ui| see_a_professional(ui, catalog));
    commands
}

/// The red flags.
pub fn see_a_professional(ui: &mut Ui, catalog: &Catalog) {
    ui.label(RichText::new(&catalog.see_a_professional.intro).strong());
    for sign in &catalog.see_a_professional.signs {
        ui.label(format!("- {sign}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doses_are_in_human_units() {
        let catalog = Catalog::built_in().unwrap();
        for entry in &catalog.entries {
            let words = dose_words(entry);
            assert!(!words.contains("(s)") && !words.contains("600 s") && !words.contains("60 s"), "{words}");
        }
        assert_eq!(duration_words(600), "10 min");
        assert_eq!(duration_words(90), "1 min 30 s");
        assert_eq!(duration_words(25), "25 s");
    }

    #[test]
    fn every_entry_has_its_own_drawing_and_a_dark_one_without_the_paper() {
        let catalog = Catalog::built_in().unwrap();
        for entry in &catalog.entries {
            assert!(ILLUSTRATIONS.iter().any(|(name, _)| *name == entry.illustration), "{}", entry.illustration);
        }
        for (name, svg) in ILLUSTRATIONS {
            let dark = String::from_utf8(dark_svg(svg)).unwrap();
            for (light, _) in DARK_COLOURS {
                assert!(!dark.contains(light), "{name} keeps {light} in the dark theme");
            }
            assert!(dark.contains("#dde4ec"), "{name}: the figure is light on dark");
        }
    }
}
