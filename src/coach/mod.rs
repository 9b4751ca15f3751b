//! The stretch coach: what to do about what was seen. Each warning comes with the stretch or fix
//! that fits the problem measured, breaks get a routine that fits the time, and the day ends with
//! advice that fits the day.
//!
//! Pure: the catalog is data (`assets/stretches.toml`, built in and checked at load), the rules
//! take plain facts, the hold timer takes elapsed time.
//!
//! - [`catalog`]: the entries, desk changes and red flags, and their checks;
//! - [`rules`]: ranking with rotation, break routines, end-of-day advice;
//! - [`timer`]: the guided hold timer.

pub mod catalog;
pub mod rules;
pub mod timer;

pub use catalog::{Catalog, CatalogError, Entry, ErgonomicFix, Kind, Need, Place, Target};
pub use rules::{Advice, Answer, Coach, DayFacts, Routine, SuggestionContext, break_routine, end_of_day};
pub use timer::{HoldTimer, TimerState};
