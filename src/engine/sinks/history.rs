//! The history sink: turns "this activity held from one frame to the next" into minute rows and
//! writes them, with the alert events that belong in the history. When the history cannot be
//! written (full disk, a lock, a removed folder) monitoring goes on: rows wait in memory (up to
//! [`MAX_PENDING_MINUTES`]) and are written when it works again; the person is told once when
//! it stops working and once when it is back.

use chrono::{DateTime, TimeDelta, Utc};

use crate::alerts::AlertEvent;
use crate::coach::Answer;
use crate::engine::SourceEvent;
use crate::history::{Activity, HistoryStore, MinuteAccumulator, MinuteRow};

/// Minute rows kept in memory while the history cannot be written (a day).
pub const MAX_PENDING_MINUTES: usize = 24 * 60;

/// Minute accounting and history writes. Every method that writes returns the events to tell
/// (history unavailable, history back) through `events`.
pub struct HistorySink {
    store: Option<HistoryStore>,
    minutes: MinuteAccumulator,
    pending: Vec<MinuteRow>,
    warned: bool,
    /// Time and activity of the previous frame: it accounts for the time up to the next frame.
    previous: Option<(DateTime<Utc>, Activity)>,
}

impl HistorySink {
    /// A sink writing to `store` (`None`: rows are only counted, never written).
    pub fn new(store: Option<HistoryStore>) -> HistorySink {
        HistorySink { store, minutes: MinuteAccumulator::new(), pending: Vec::new(), warned: false, previous: None }
    }

    /// The store, for reading (the coach's recent answers, today's earlier minutes).
    pub fn store(&self) -> Option<&HistoryStore> {
        self.store.as_ref()
    }

    /// Attributes the time since the previous frame to the previous frame's activity, and
    /// remembers this frame's. Returns the minutes this completed (written or waiting).
    pub fn account(&mut self, now: DateTime<Utc>, activity: Activity, events: &mut Vec<SourceEvent>) -> Vec<MinuteRow> {
        let rows = match self.previous.take() {
            Some((from, previous)) => self.minutes.record(from, now, &previous),
            None => Vec::new(),
        };
        self.previous = Some((now, activity));
        self.save(&rows, events);
        rows
    }

    /// Forgets the previous frame: the time until the next frame is not monitored (the camera
    /// was lost).
    pub fn forget_previous(&mut self) {
        self.previous = None;
    }

    /// Accounts the last frame's time, up to `interval` after it. Returns when that ends and the
    /// minutes completed.
    pub fn close_last(
        &mut self,
        interval: TimeDelta,
        events: &mut Vec<SourceEvent>,
    ) -> Option<(DateTime<Utc>, Vec<MinuteRow>)> {
        let (from, activity) = self.previous.take()?;
        let to = from + interval;
        let rows = self.minutes.record(from, to, &activity);
        self.save(&rows, events);
        Some((to, rows))
    }

    /// Writes the minute in progress (at the end) and returns it.
    pub fn flush(&mut self, events: &mut Vec<SourceEvent>) -> Option<MinuteRow> {
        let last = self.minutes.flush()?;
        self.save(std::slice::from_ref(&last), events);
        Some(last)
    }

    /// The minute in progress (for live totals).
    pub fn current_minute(&self) -> Option<&MinuteRow> {
        self.minutes.current()
    }

    /// Writes an alert event, if it belongs in the history.
    pub fn record_alert(&mut self, now: DateTime<Utc>, event: &AlertEvent, events: &mut Vec<SourceEvent>) {
        let Some(store) = &self.store else {
            return;
        };
        let result = match event {
            AlertEvent::Warning { problems, severity, .. } => store.add_warning(now, problems, Some(*severity), false),
            AlertEvent::WarningSnoozed { problems } => store.add_warning(now, problems, None, true),
            AlertEvent::EpisodeEnded { start, end, problems, peak, warned } => {
                store.add_episode(*start, *end, problems, *peak, *warned)
            }
            AlertEvent::Back { away_for_s, was_break: true } => {
                store.add_break(now - TimeDelta::seconds(*away_for_s), now)
            }
            AlertEvent::BreakReminder { sitting_for_min } => store.add_reminder(now, *sitting_for_min),
            _ => Ok(()),
        };
        if let Err(error) = result {
            self.failed(error.to_string(), events);
        }
    }

    /// Marks the warning given at `warned_at` as held back (the desktop asked for quiet).
    pub fn record_held_back(&mut self, warned_at: DateTime<Utc>, events: &mut Vec<SourceEvent>) {
        let Some(store) = &self.store else {
            return;
        };
        if let Err(error) = store.hold_back_warning(warned_at) {
            self.failed(error.to_string(), events);
        }
    }

    /// Marks the warning shown at `warned_at` as disputed ("I'm sitting fine").
    pub fn record_dispute(&mut self, warned_at: DateTime<Utc>, events: &mut Vec<SourceEvent>) {
        let Some(store) = &self.store else {
            return;
        };
        if let Err(error) = store.dispute_warning(warned_at) {
            self.failed(error.to_string(), events);
        }
    }

    /// Writes the person's answer to a suggested stretch.
    pub fn record_answer(&mut self, now: DateTime<Utc>, entry_id: &str, answer: Answer, events: &mut Vec<SourceEvent>) {
        if let Some(store) = &self.store
            && let Err(error) = store.add_answer(now, entry_id, answer)
        {
            self.failed(error.to_string(), events);
        }
    }

    fn save(&mut self, rows: &[MinuteRow], events: &mut Vec<SourceEvent>) {
        if rows.is_empty() && self.pending.is_empty() {
            return;
        }
        self.pending.extend_from_slice(rows);
        let Some(store) = &self.store else {
            self.trim_pending();
            return;
        };
        let mut failure = None;
        let mut saved = 0;
        for row in &self.pending {
            match store.add_minute(row) {
                Ok(()) => saved += 1,
                Err(error) => {
                    failure = Some(error.to_string());
                    break;
                }
            }
        }
        self.pending.drain(..saved);
        match failure {
            Some(detail) => self.failed(detail, events),
            None if self.warned => {
                // Said again if writing fails again later.
                self.warned = false;
                events.push(SourceEvent::HistoryBack);
            }
            None => {}
        }
        self.trim_pending();
    }

    fn trim_pending(&mut self) {
        if self.pending.len() > MAX_PENDING_MINUTES {
            let excess = self.pending.len() - MAX_PENDING_MINUTES;
            self.pending.drain(..excess);
        }
    }

    fn failed(&mut self, detail: String, events: &mut Vec<SourceEvent>) {
        if !self.warned {
            self.warned = true;
            events.push(SourceEvent::HistoryUnavailable { detail });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::{Metrics, Posture};

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn good() -> Activity {
        Activity::Judged {
            posture: Posture::Good,
            problems: vec![],
            metrics: Metrics::default(),
            from_upright: crate::history::FromUpright::default(),
            setup: None,
        }
    }

    #[test]
    fn frames_account_for_the_time_until_the_next_and_rows_come_per_minute() {
        let mut sink = HistorySink::new(None);
        let mut events = Vec::new();
        let mut rows = Vec::new();
        for second in 0..=70 {
            rows.extend(sink.account(at(second), good(), &mut events));
        }
        assert_eq!(rows.len(), 1, "one whole minute");
        assert_eq!(rows[0].good_s, 60.0);
        assert_eq!(sink.current_minute().map(|row| row.good_s), Some(10.0));
        let (end, last) = sink.close_last(TimeDelta::seconds(1), &mut events).unwrap();
        assert_eq!((end, last.len()), (at(71), 0));
        assert_eq!(sink.flush(&mut events).map(|row| row.good_s), Some(11.0));
        assert!(events.is_empty(), "no store, nothing to fail: {events:?}");
    }

    #[test]
    fn time_after_a_lost_camera_is_not_counted() {
        let mut sink = HistorySink::new(None);
        let mut events = Vec::new();
        sink.account(at(0), good(), &mut events);
        sink.forget_previous();
        sink.account(at(3), good(), &mut events);
        sink.account(at(4), good(), &mut events);
        assert_eq!(sink.current_minute().map(|row| row.good_s), Some(1.0));
    }

    #[test]
    fn rows_wait_while_the_history_cannot_be_written_and_are_written_when_it_can() {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = HistoryStore::open(dir.path()).unwrap();
        let mut sink = HistorySink::new(Some(store));
        let mut events = Vec::new();
        // Make writes fail: a read-only connection cannot insert.
        sink.store.as_ref().unwrap().set_read_only_for_tests(true);
        for second in (0..=150).step_by(2) {
            sink.account(at(second), good(), &mut events);
        }
        assert_eq!(sink.pending.len(), 2, "two whole minutes wait");
        assert!(matches!(events.as_slice(), [SourceEvent::HistoryUnavailable { .. }]), "told once: {events:?}");
        sink.store.as_ref().unwrap().set_read_only_for_tests(false);
        sink.account(at(200), good(), &mut events);
        assert!(sink.pending.is_empty());
        assert_eq!(events.last(), Some(&SourceEvent::HistoryBack));
        // The two minutes that waited are written; the third is still in progress.
        let stored = sink.store().unwrap().minutes(at(0), at(300)).unwrap();
        assert_eq!(stored.len(), 2);
        assert_eq!(stored[1].good_s, 60.0);
    }
}
