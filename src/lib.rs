//! slouchwatch: a local webcam posture monitor.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! image file / camera -> pose -> (posture -> alerts -> history -> report -> window: later stages)
//! ```
//!
//! - [`pose`]: runs the MoveNet model on an image and returns 17 named keypoints.
//! - [`posture`]: posture measures, calibration and the per-frame verdict (pure).
//! - [`alerts`]: the alert state machine: when to warn, clear, remind (pure, clock passed in).
//! - [`coach`]: the stretch coach: catalog, suggestions, break routines, end-of-day advice (pure).
//! - [`images`]: lists and decodes image files (frames are never written anywhere).
//! - [`calibration_file`]: reads and writes the calibration JSON file.
//! - [`analyze`]: the `slouchwatch analyze` command: images on disk in, one record per image out.
//! - [`ui`]: the desktop window (eframe/egui), drawing what the engine publishes.
//! - [`cli`]: command-line arguments and dispatch; `main.rs` only calls [`cli::main`].

#![warn(missing_docs)]

pub mod alerts;
pub mod analyze;
pub mod cli;
pub mod coach;
pub mod engine;
pub mod files;
pub mod history;
pub mod images;
pub mod memory;
pub mod pose;
pub mod posture;
pub mod report;
pub mod source;
pub mod ui;
