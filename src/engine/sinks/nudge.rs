//! The nudge beside the notification (a glow around the screen's edge, a dimmed screen, a
//! sound): a trait the engine calls and an adapter above it implements (`crate::nudge`), so
//! the engine never touches the display or the sound system itself.

use crate::alerts::Severity;

/// Nudges the person while a warning stands. The engine calls [`NudgeSink::warn`] when a
/// warning is shown (never while the desktop asks for quiet) and [`NudgeSink::clear`] once it no
/// longer stands (cleared, answered, snoozed, paused, given over to a call, quiet, stopped).
pub trait NudgeSink: Send + Sync + std::fmt::Debug {
    /// A warning is shown at this severity (again, when it grows).
    fn warn(&self, severity: Severity);
    /// No warning stands any more.
    fn clear(&self);
}
