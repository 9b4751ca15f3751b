//! The typed rows the queries return.

use chrono::{DateTime, Utc};

use super::MinuteRow;
use crate::coach::Answer;
use crate::posture::Problem;

/// Everything the history holds for a time range (see [`HistoryStore::range`](super::HistoryStore::range)).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RangeRows {
    /// Minute rows, in order.
    pub minutes: Vec<MinuteRow>,
    /// Slouch episodes that started in the range.
    pub episodes: Vec<EpisodeRow>,
    /// Warnings shown.
    pub warnings: Vec<DateTime<Utc>>,
    /// Warnings that were due but snoozed.
    pub snoozed_warnings: Vec<DateTime<Utc>>,
    /// Warnings held back while the desktop asked for quiet (also in `warnings`).
    pub held_back_warnings: Vec<DateTime<Utc>>,
    /// Warnings shown that the person answered "I'm sitting fine" (also in `warnings`).
    pub disputed_warnings: Vec<DateTime<Utc>>,
    /// Breaks (start, end) that started in the range.
    pub breaks: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Movement-break reminders.
    pub reminders: Vec<DateTime<Utc>>,
    /// Answers to suggestions.
    pub answers: Vec<AnswerRow>,
}

/// A stored answer to a suggested entry.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRow {
    /// When.
    pub at: DateTime<Utc>,
    /// The catalog entry.
    pub entry_id: String,
    /// Done or not now.
    pub answer: Answer,
}

/// A stored slouch episode.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeRow {
    /// When the bad posture began.
    pub start: DateTime<Utc>,
    /// When it ended.
    pub end: DateTime<Utc>,
    /// The problems seen.
    pub problems: Vec<Problem>,
    /// `mild`, `moderate` or `strong`.
    pub peak_severity: String,
    /// Whether a warning was shown.
    pub warned: bool,
}

/// The event tables of the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HistoryTable {
    /// Slouch episodes.
    Episodes,
    /// Warnings.
    Warnings,
    /// Breaks.
    Breaks,
    /// Answers to suggested stretches.
    Stretches,
    /// Movement-break reminders.
    Reminders,
}

impl HistoryTable {
    pub(super) fn name_and_time_column(self) -> (&'static str, &'static str) {
        match self {
            HistoryTable::Episodes => ("episodes", "start"),
            HistoryTable::Warnings => ("warnings", "at"),
            HistoryTable::Breaks => ("breaks", "start"),
            HistoryTable::Stretches => ("stretches", "at"),
            HistoryTable::Reminders => ("reminders", "at"),
        }
    }
}
