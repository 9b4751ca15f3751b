//! Presence: away and back, breaks, standing, and the movement-break reminder.

use chrono::{DateTime, Utc};

use super::{AlertEvent, AlertMachine};

impl AlertMachine {
    /// Whether the person is standing at `now` (judged in a standing setup). Standing is not
    /// sitting: no movement-break reminder while it lasts, and standing for a break's length
    /// restarts the sitting clock like a break away from the desk.
    pub fn set_standing(&mut self, now: DateTime<Utc>, standing: bool) {
        if !standing {
            self.standing_since = None;
            return;
        }
        let since = *self.standing_since.get_or_insert(now);
        if now - since >= self.settings.break_min {
            self.sitting_since = Some(now);
            self.last_break_reminder = None;
        }
    }

    /// Nobody in view at `now`: away once it has lasted [`super::AlertSettings::away_after`].
    pub(super) fn no_person(&mut self, now: DateTime<Utc>, events: &mut Vec<AlertEvent>) {
        let since = *self.no_person_since.get_or_insert(now);
        if self.away_since.is_none() && now - since >= self.settings.away_after {
            self.away_since = Some(since);
            self.end_bad_stretch(since, events);
            events.push(AlertEvent::Away);
        }
    }

    /// Somebody in view at `now`: back (a break if away long enough), and the movement-break
    /// reminder once sitting has lasted [`super::AlertSettings::break_interval`].
    pub(super) fn person(&mut self, now: DateTime<Utc>, events: &mut Vec<AlertEvent>) {
        self.no_person_since = None;
        if let Some(away_since) = self.away_since.take() {
            let away_for = now - away_since;
            let was_break = away_for >= self.settings.break_min;
            if was_break {
                self.sitting_since = Some(now);
                self.last_break_reminder = None;
            }
            events.push(AlertEvent::Back { away_for_s: away_for.num_seconds(), was_break });
        }
        let sitting_since = *self.sitting_since.get_or_insert(now);
        let reminded = self.last_break_reminder.unwrap_or(sitting_since);
        let standing = self.standing_since.is_some();
        if now - reminded >= self.settings.break_interval && self.snoozed_until(now).is_none() && !standing {
            self.last_break_reminder = Some(now);
            events.push(AlertEvent::BreakReminder { sitting_for_min: (now - sitting_since).num_minutes() });
        }
    }
}
