//! slouchwatch: a local webcam posture monitor.
//!
//! The pipeline, one module per stage (docs/ARCHITECTURE.md has the whole picture):
//!
//! ```text
//! source -> pose -> posture -> alerts (+ coach) -> engine sinks: history, notifications, channel
//!                                                     history -> report;  channel -> ui / cli
//! ```
//!
//! - [`source`]: where frames come from: a camera (V4L2 on Linux, nokhwa elsewhere) or a folder replayed as one.
//! - [`pose`]: runs the MoveNet model on an image and returns 17 named keypoints.
//! - [`posture`]: posture measures, calibration, limits and the per-frame verdict (pure).
//! - [`alerts`]: the alert state machine: when to warn, clear, remind (pure, clock passed in).
//! - [`coach`]: the stretch coach: catalog, suggestions, break routines, end-of-day advice (pure).
//! - [`engine`]: the monitoring thread: a pure per-frame step, sinks for its results (the bus
//!   status and the setups file are traits it defines), and calibration from live frames.
//! - [`control`]: the session-bus interface (`slouchwatch status`, the tray) and the lock watch.
//! - [`nudge`]: how a warning reaches the person besides the notification: a glow around the
//!   screen's edge, a dimmed screen, a sound.
//! - [`settings`]: the user's settings file, and the one way settings become an engine's
//!   configuration.
//! - [`session`]: the one way to start monitoring (source, model, history, engine, bus service).
//! - [`tray`]: the tray icon and monitoring with the window closed.
//! - [`history`]: the SQLite history of numbers (never images): schema, lock, writes, reads.
//! - [`report`]: day and period reports from the history (text, HTML, CSV).
//! - [`files`]: where the user's files live, private files, the calibration and setups files.
//! - [`images`]: lists and decodes image files (frames are never written anywhere).
//! - [`memory`]: allocator tuning for a long-running monitor.
//! - [`analyze`]: `slouchwatch analyze` and calibration from image files (the CLI's only).
//! - [`ui`]: the desktop window (eframe/egui), drawing what the engine publishes.
//! - [`cli`]: command-line arguments and dispatch; `main.rs` only calls [`cli::main`].
//! - `win32` (Windows only): hidden windows, named pipes and the registry, for the tray, control
//!   and start at login there.

#![warn(missing_docs)]

pub mod alerts;
pub mod analyze;
pub mod cli;
pub mod coach;
pub mod control;
pub mod engine;
pub mod files;
pub mod history;
pub mod images;
pub mod memory;
pub mod nudge;
pub mod pose;
pub mod posture;
pub mod report;
pub mod session;
pub mod settings;
pub mod source;
pub mod tray;
pub mod ui;
#[cfg(windows)]
pub mod win32;
