//! How a warning reaches the person besides the notification, as they chose under Settings >
//! How to nudge me: a glow around the screen's edge that grows with the warning's severity, the
//! screen dimmed a little, and a sound from the desktop's sound theme. An I/O edge: it
//! implements the engine's [`NudgeSink`] (the engine decides when; this only shows and hides),
//! and what the desktop cannot do is said once and left out, never stopping monitoring.
//!
//! - `overlay.rs`: the glow and the dimming, as click-through windows on the X server (also
//!   XWayland);
//! - `sound.rs`: the sound, played by the desktop's own player.

mod overlay;
mod sound;

use std::sync::Mutex;

use crate::alerts::Severity;
use crate::engine::sinks::NudgeSink;
pub use overlay::{DIM_NAME, GLOW_NAME, Overlay, OverlayError, glow_width};
pub use sound::{SoundError, sound_player};

/// How long "Try it" shows the chosen nudges.
pub const TRY_IT_S: u64 = 3;

/// Which nudges the person chose (the notification is the engine's own sink).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NudgeChoice {
    /// A glow around the screen's edge.
    pub glow: bool,
    /// The screen dimmed a little.
    pub dim: bool,
    /// A sound from the desktop's sound theme.
    pub sound: bool,
}

impl NudgeChoice {
    /// Whether any is chosen.
    pub fn any(&self) -> bool {
        self.glow || self.dim || self.sound
    }
}

/// What this desktop can do of each nudge: `Err` says why not, in words for Settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NudgeSupport {
    /// The glow (an X server, or XWayland).
    pub glow: Result<(), String>,
    /// Dimming (a compositing desktop as well).
    pub dim: Result<(), String>,
    /// The sound (a sound player and a theme's sound).
    pub sound: Result<(), String>,
}

impl NudgeSupport {
    /// Asks the desktop (connects to the X server once; looks for a sound player).
    pub fn detect() -> NudgeSupport {
        let (glow, dim) = match overlay::probe() {
            Ok(compositing) => {
                let dim = if compositing {
                    Ok(())
                } else {
                    Err("Dimming needs a desktop that blends windows (a compositor); none runs now, so the \
                         glow is used instead."
                        .to_owned())
                };
                (Ok(()), dim)
            }
            Err(error) => {
                let why = format!("{error}; the notification is used instead.");
                (Err(why.clone()), Err(why))
            }
        };
        let sound = sound_player().map(|_| ()).map_err(|error| error.to_string());
        NudgeSupport { glow, dim, sound }
    }
}

/// The chosen nudges, as the engine's [`NudgeSink`]. The overlay (glow, dimming) runs on its own
/// thread, started at the first warning; when it cannot start it is said once in the log and
/// the other nudges go on. Dimming without a compositor falls back to the glow.
#[derive(Debug)]
pub struct ScreenNudger {
    choice: NudgeChoice,
    overlay: Mutex<OverlayState>,
}

#[derive(Debug, Default)]
enum OverlayState {
    /// Not needed yet.
    #[default]
    NotStarted,
    /// Running.
    Running(Overlay),
    /// Could not start: not tried again.
    Unavailable,
}

impl ScreenNudger {
    /// A nudger for `choice`; nothing is opened until the first warning.
    pub fn new(choice: NudgeChoice) -> ScreenNudger {
        ScreenNudger { choice, overlay: Mutex::new(OverlayState::NotStarted) }
    }

    fn with_overlay(&self, act: impl FnOnce(&Overlay)) {
        if !(self.choice.glow || self.choice.dim) {
            return;
        }
        let Ok(mut state) = self.overlay.lock() else { return };
        if let OverlayState::NotStarted = *state {
            *state = match Overlay::start() {
                Ok(overlay) => OverlayState::Running(overlay),
                Err(error) => {
                    tracing::info!("the screen nudge is unavailable ({error}); warnings still notify");
                    OverlayState::Unavailable
                }
            };
        }
        if let OverlayState::Running(overlay) = &*state {
            act(overlay);
        }
    }
}

impl NudgeSink for ScreenNudger {
    fn warn(&self, severity: Severity) {
        let (glow, dim) = (self.choice.glow, self.choice.dim);
        self.with_overlay(|overlay| overlay.show(severity, glow, dim));
        if self.choice.sound
            && let Err(error) = sound::play_warning()
        {
            tracing::warn!("the warning sound did not play: {error}");
        }
    }

    fn clear(&self) {
        self.with_overlay(Overlay::hide);
    }
}

/// "Try it": the chosen nudges for [`TRY_IT_S`] seconds, on a thread of their own (the window
/// goes on meanwhile). Returns what could not be shown, in words.
pub fn try_it(choice: NudgeChoice) -> Vec<String> {
    let mut problems = Vec::new();
    if choice.sound
        && let Err(error) = sound::play_warning()
    {
        problems.push(format!("The sound did not play: {error}."));
    }
    if choice.glow || choice.dim {
        match Overlay::start() {
            Ok(overlay) => {
                overlay.show(Severity::Moderate, choice.glow, choice.dim);
                let spawned = std::thread::Builder::new().name("slouchwatch-try-nudge".into()).spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(TRY_IT_S));
                    drop(overlay);
                });
                if let Err(error) = spawned {
                    problems.push(format!("The glow could not be shown: {error}."));
                }
            }
            Err(error) => problems.push(format!("The glow could not be shown: {error}.")),
        }
    }
    problems
}
