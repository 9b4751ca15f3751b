//! The window's building blocks, drawn from `ui/theme.rs`: cards, the primary and the quiet
//! button, the state icons (a shape for each kind of state, so colour is never the only sign),
//! rings, a centred column and the rows of a settings group.

use egui::{Color32, RichText, Ui};

use crate::ui::theme;

/// A card: the theme's fill, a thin edge, rounded corners, room inside; as wide as the column.
pub fn card<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> R {
    let dark = ui.visuals().dark_mode;
    let (fill, edge) = theme::card_colours(dark);
    card_with(ui, fill, egui::Stroke::new(1.0, edge), add)
}

/// A card with its own fill and edge (the warning's).
pub fn card_with<R>(ui: &mut Ui, fill: Color32, edge: egui::Stroke, add: impl FnOnce(&mut Ui) -> R) -> R {
    egui::Frame::new()
        .fill(fill)
        .stroke(edge)
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(theme::CARD_PADDING)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            add(ui)
        })
        .inner
}

/// The inner height the top card of Live (the status, or the warning in its place) keeps in a
/// column `column_width` wide (measured outside the card, so both cards share it whatever their
/// edges): the tallest either has been, at least `least`, so that one replacing the other never
/// moves what is below. Call [`top_card_seen`] with the height it took.
pub fn top_card_height(ui: &Ui, column_width: f32, least: f32) -> f32 {
    let id = top_card_id(column_width);
    ui.ctx().data(|data| data.get_temp::<f32>(id)).unwrap_or(0.0).max(least)
}

/// Remembers the inner height the top card of Live took (see [`top_card_height`]).
pub fn top_card_seen(ui: &Ui, column_width: f32, height: f32) {
    let id = top_card_id(column_width);
    ui.ctx().data_mut(|data| {
        let tallest = data.get_temp::<f32>(id).unwrap_or(0.0).max(height);
        data.insert_temp(id, tallest);
    });
}

fn top_card_id(column_width: f32) -> egui::Id {
    // Per column width: text wraps differently in another width.
    egui::Id::unique(("top card height", column_width.round() as i32))
}

/// A card's title.
pub fn card_title(ui: &mut Ui, title: &str) {
    ui.label(RichText::new(title).size(theme::TEXT_TITLE).strong());
}

/// The screen's one primary action: filled with the accent.
pub fn primary_button(ui: &mut Ui, text: impl Into<String>) -> egui::Response {
    let accent = theme::accent(ui.visuals().dark_mode);
    ui.add(
        egui::Button::new(RichText::new(text.into()).color(theme::ON_ACCENT).strong())
            .fill(accent)
            .stroke(egui::Stroke::NONE)
            .min_size(egui::vec2(0.0, theme::PRIMARY_BUTTON_HEIGHT)),
    )
}

/// A quieter action: text in the accent without a button's fill; its frame shows when hovered
/// or focused (so the keyboard's focus ring is seen on it too).
pub fn quiet_button(ui: &mut Ui, text: impl Into<String>) -> egui::Response {
    let link = theme::link(ui.visuals().dark_mode);
    ui.add(egui::Button::new(RichText::new(text.into()).color(link)).frame_when_inactive(false))
}

/// What a state's icon shows, besides its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateShape {
    /// A tick in a circle: upright.
    Tick,
    /// A triangle with a mark: slouching, or a setup question.
    Caution,
    /// A filled triangle: a warning stands.
    Warning,
    /// Two bars: paused, snoozed, lent to a call.
    Pause,
    /// A question mark: not judged, not calibrated.
    Question,
    /// A cross: no camera.
    Cross,
    /// A dash: away, starting.
    Dash,
}

/// Draws a state icon of `size` points in `colour`.
pub fn state_icon(ui: &mut Ui, shape: StateShape, colour: Color32, size: f32) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    let painter = ui.painter_at(rect.expand(2.0));
    let c = rect.center();
    let r = size / 2.0;
    let mark = egui::Stroke::new(size / 10.0, theme::ON_ACCENT);
    match shape {
        StateShape::Warning | StateShape::Caution => {
            let top = egui::pos2(c.x, rect.top() + size * 0.08);
            let left = egui::pos2(rect.left() + size * 0.04, rect.bottom() - size * 0.1);
            let right = egui::pos2(rect.right() - size * 0.04, rect.bottom() - size * 0.1);
            if shape == StateShape::Warning {
                painter.add(egui::Shape::convex_polygon(vec![top, right, left], colour, egui::Stroke::NONE));
                painter.line_segment([egui::pos2(c.x, c.y - r * 0.3), egui::pos2(c.x, c.y + r * 0.25)], mark);
                painter.circle_filled(egui::pos2(c.x, c.y + r * 0.5), size / 18.0, theme::ON_ACCENT);
            } else {
                let stroke = egui::Stroke::new(size / 12.0, colour);
                painter.add(egui::Shape::closed_line(vec![top, right, left], stroke));
                let stroke = egui::Stroke::new(size / 10.0, colour);
                painter.line_segment([egui::pos2(c.x, c.y - r * 0.3), egui::pos2(c.x, c.y + r * 0.25)], stroke);
                painter.circle_filled(egui::pos2(c.x, c.y + r * 0.5), size / 18.0, colour);
            }
        }
        _ => {
            painter.circle_filled(c, r, colour);
            match shape {
                StateShape::Tick => {
                    let points = [
                        egui::pos2(c.x - r * 0.45, c.y + r * 0.02),
                        egui::pos2(c.x - r * 0.1, c.y + r * 0.35),
                        egui::pos2(c.x + r * 0.48, c.y - r * 0.35),
                    ];
                    painter.add(egui::Shape::line(points.to_vec(), mark));
                }
                StateShape::Pause => {
                    for dx in [-0.2, 0.2] {
                        let x = c.x + r * dx;
                        painter.line_segment([egui::pos2(x, c.y - r * 0.4), egui::pos2(x, c.y + r * 0.4)], mark);
                    }
                }
                StateShape::Cross => {
                    let d = r * 0.35;
                    painter.line_segment([egui::pos2(c.x - d, c.y - d), egui::pos2(c.x + d, c.y + d)], mark);
                    painter.line_segment([egui::pos2(c.x - d, c.y + d), egui::pos2(c.x + d, c.y - d)], mark);
                }
                StateShape::Question => {
                    let font = egui::FontId::proportional(size * 0.62);
                    painter.text(c, egui::Align2::CENTER_CENTER, "?", font, theme::ON_ACCENT);
                }
                _ => {
                    painter.line_segment([egui::pos2(c.x - r * 0.4, c.y), egui::pos2(c.x + r * 0.4, c.y)], mark);
                }
            }
        }
    }
    response
}

/// A ring of `size` points: the track, `share` (0 to 1) of it filled from the top clockwise in
/// `colour`, and a mark at `goal` (0 to 1) when given. `words` say what it shows, as its tooltip
/// (a label beside it says it for a screen reader).
pub fn ring(ui: &mut Ui, size: f32, share: Option<f32>, goal: Option<f32>, colour: Color32, words: &str) -> egui::Rect {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(size, size), egui::Sense::hover());
    response.on_hover_text(words);
    let painter = ui.painter();
    let (center, radius) = (rect.center(), size / 2.0 - theme::RING_WIDTH / 2.0);
    let track = ui.visuals().widgets.inactive.bg_fill;
    painter.circle_stroke(center, radius, egui::Stroke::new(theme::RING_WIDTH, track));
    let at = |fraction: f32| {
        let angle = -std::f32::consts::FRAC_PI_2 + fraction * std::f32::consts::TAU;
        center + radius * egui::vec2(angle.cos(), angle.sin())
    };
    if let Some(share) = share.map(|share| share.clamp(0.0, 1.0)).filter(|share| *share > 0.0) {
        let steps = (share * 96.0).ceil().max(2.0) as usize;
        let points: Vec<_> = (0..=steps).map(|step| at(share * step as f32 / steps as f32)).collect();
        painter.add(egui::Shape::line(points, egui::Stroke::new(theme::RING_WIDTH, colour)));
    }
    if let Some(goal) = goal {
        // Across the ring's stroke and out past it, never inside, where it would read as a
        // minus sign before the number.
        let (inner, outer) = (radius - theme::RING_WIDTH / 2.0, radius + 1.5 * theme::RING_WIDTH);
        let angle = -std::f32::consts::FRAC_PI_2 + goal.clamp(0.0, 1.0) * std::f32::consts::TAU;
        let direction = egui::vec2(angle.cos(), angle.sin());
        painter.line_segment(
            [center + inner * direction, center + outer * direction],
            egui::Stroke::new(theme::MARK_WIDTH, ui.visuals().text_color()),
        );
    }
    rect
}

/// A column at most `max_width` wide, centred in the room there is.
pub fn centred<R>(ui: &mut Ui, max_width: f32, add: impl FnOnce(&mut Ui) -> R) -> R {
    let width = ui.available_width().min(max_width);
    let margin = ((ui.available_width() - width) / 2.0).max(0.0);
    ui.horizontal_top(|ui| {
        ui.add_space(margin);
        ui.vertical(|ui| {
            ui.set_width(width);
            add(ui)
        })
        .inner
    })
    .inner
}

/// One row of a settings group: the label (and a help line under it) on the left, the control
/// on the right; in a narrow column, the control goes under the label. The control is given
/// the label's id, to be `labelled_by` it (what a screen reader reads for a slider or a field).
pub fn setting_row<R>(ui: &mut Ui, label: &str, help: Option<&str>, control: impl FnOnce(&mut Ui, egui::Id) -> R) -> R {
    let wide = ui.available_width() >= 2.0 * theme::CONTROL_WIDTH;
    let words = |ui: &mut Ui| {
        let id = ui.label(label).id;
        if let Some(help) = help {
            ui.label(RichText::new(help).small().weak());
        }
        id
    };
    let inner = if wide {
        ui.horizontal_top(|ui| {
            let label_width = ui.available_width() - theme::CONTROL_WIDTH - theme::GRID;
            let id = ui
                .vertical(|ui| {
                    ui.set_width(label_width);
                    words(ui)
                })
                .inner;
            ui.vertical(|ui| {
                ui.set_width(theme::CONTROL_WIDTH);
                control(ui, id)
            })
            .inner
        })
        .inner
    } else {
        let id = words(ui);
        control(ui, id)
    };
    ui.add_space(theme::GRID / 2.0);
    inner
}
