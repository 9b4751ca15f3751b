//! One local day of history turned into the numbers of the daily report. Pure: the rows come in,
//! already cut to the day by [`super::LocalDay`].

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Timelike, Utc};
use serde::Serialize;

use super::{LocalDay, duration_words};
use crate::coach::{self, Advice, Answer, Catalog, DayFacts, Kind};
use crate::history::{MinuteRow, RangeRows};
use crate::posture::{Problem, ProblemSeconds};

/// A movement-break reminder counts as followed when a break starts within this many minutes of it.
pub const REMINDER_FOLLOW_WINDOW_MIN: i64 = 10;
/// End-of-day advice counts strengthening sessions done in this many days up to the day's end.
pub const STRENGTHENING_WINDOW_DAYS: i64 = 7;

/// What a minute of the timeline shows: the state that took most of its seconds, and for
/// slouched minutes the problem seen longest. Written out in snake case, a slouched minute by
/// its problem (`"forward_head"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MinuteState {
    /// Sitting well.
    Upright,
    /// Slouched, mainly with this problem.
    Slouched(Problem),
    /// At the desk but the posture could not be judged (turned away, poorly lit).
    Unclear,
    /// Away from the desk.
    Away,
    /// Monitoring paused.
    Paused,
    /// The camera given over to another program, or held for a call.
    InCall,
}

impl MinuteState {
    /// Every state, in the order charts stack and legends list them: upright, each problem,
    /// then the states not judged.
    pub const ALL: [MinuteState; Problem::COUNT + 5] = {
        let mut all = [MinuteState::Upright; Problem::COUNT + 5];
        let mut index = 0;
        while index < Problem::COUNT {
            all[index + 1] = MinuteState::Slouched(Problem::ALL[index]);
            index += 1;
        }
        all[Problem::COUNT + 1] = MinuteState::Unclear;
        all[Problem::COUNT + 2] = MinuteState::Away;
        all[Problem::COUNT + 3] = MinuteState::Paused;
        all[Problem::COUNT + 4] = MinuteState::InCall;
        all
    };

    /// Slouched time of any problem, as the hour-by-hour charts draw it (in the first
    /// problem's colour).
    pub const SLOUCHED: MinuteState = MinuteState::Slouched(Problem::ALL[0]);

    /// The state of a minute row (`None` when nothing was recorded in it).
    pub fn of(row: &MinuteRow) -> Option<MinuteState> {
        // Ties go to the earlier candidate: slouching is not hidden by an equal share of good time.
        let candidates = [
            (row.bad_s, None),
            (row.good_s, Some(MinuteState::Upright)),
            (row.away_s, Some(MinuteState::Away)),
            (row.unknown_s, Some(MinuteState::Unclear)),
            (row.paused_s, Some(MinuteState::Paused)),
            (row.yielded_s, Some(MinuteState::InCall)),
        ];
        let mut best: Option<(f64, Option<MinuteState>)> = None;
        for (seconds, state) in candidates {
            if seconds > 0.0 && best.is_none_or(|(most, _)| seconds > most) {
                best = Some((seconds, state));
            }
        }
        let (_, state) = best?;
        Some(state.unwrap_or_else(|| {
            // The problem seen longest; ties go to the earlier one in `Problem::ALL`.
            let mut longest = (Problem::ALL[0], -1.0);
            for (problem, seconds) in row.problem_s.iter() {
                if seconds > longest.1 {
                    longest = (problem, seconds);
                }
            }
            MinuteState::Slouched(longest.0)
        }))
    }

    /// Its name in the JSON and the CSV: the problem's for a slouched minute.
    pub fn key(self) -> &'static str {
        match self {
            MinuteState::Upright => "upright",
            MinuteState::Slouched(problem) => problem.key(),
            MinuteState::Unclear => "unclear",
            MinuteState::Away => "away",
            MinuteState::Paused => "paused",
            MinuteState::InCall => "in_call",
        }
    }

    /// Plain words for legends.
    pub fn words(self) -> &'static str {
        match self {
            MinuteState::Upright => "upright",
            MinuteState::Slouched(problem) => problem.words(),
            MinuteState::Unclear => "not judged",
            MinuteState::Away => "away",
            MinuteState::Paused => "paused",
            MinuteState::InCall => "in calls / camera used elsewhere",
        }
    }

    /// Its colour on charts, shared by the window and the HTML page.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            MinuteState::Upright => [0x2e, 0x9d, 0x5b],
            MinuteState::Slouched(problem) => match problem {
                Problem::ForwardHead => [0xc8, 0x4b, 0x31],
                Problem::RoundedShoulders => [0xe0, 0x85, 0x2e],
                Problem::ShouldersRaised => [0xb0, 0x4f, 0x9a],
                Problem::Leaning => [0x7b, 0x5c, 0xc4],
                Problem::TooClose => [0xb8, 0x8a, 0x10],
                Problem::HeadDown => [0x8c, 0x3b, 0x3b],
                Problem::Slumped => [0x9a, 0x5a, 0x2c],
            },
            MinuteState::Unclear => [0xa8, 0xae, 0xb5],
            MinuteState::Away => [0x9c, 0xc3, 0xe6],
            MinuteState::Paused => [0xd6, 0xd6, 0xd6],
            MinuteState::InCall => [0xc9, 0xbf, 0xe0],
        }
    }

    /// Whether this is one of the slouched states.
    pub fn is_slouched(self) -> bool {
        matches!(self, MinuteState::Slouched(_))
    }
}

impl Serialize for MinuteState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl From<Problem> for MinuteState {
    fn from(problem: Problem) -> MinuteState {
        MinuteState::Slouched(problem)
    }
}

/// A run of timeline minutes in the same state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// Local clock time the run starts, `HH:MM`.
    pub from: String,
    /// Local clock time the run ends, `HH:MM`.
    pub to: String,
    /// Minutes from the local midnight that starts the day (to the start of the run).
    pub start_min: i64,
    /// Minutes from that midnight to the end of the run.
    pub end_min: i64,
    /// The state.
    pub state: MinuteState,
}

/// One local clock hour.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HourRow {
    /// Local clock hour, 0-23.
    pub hour: u32,
    /// Seconds at the desk being watched (upright + slouched + not judged).
    pub monitored_s: f64,
    /// Seconds upright.
    pub upright_s: f64,
    /// Seconds slouched.
    pub slouched_s: f64,
    /// Seconds at the desk that could not be judged.
    pub unclear_s: f64,
    /// Seconds away.
    pub away_s: f64,
    /// Seconds paused.
    pub paused_s: f64,
    /// Seconds the camera was given over to another program (a call).
    pub in_calls_s: f64,
}

impl HourRow {
    fn add(&mut self, row: &MinuteRow) {
        self.monitored_s += row.monitored_s;
        self.upright_s += row.good_s;
        self.slouched_s += row.bad_s;
        self.unclear_s += row.unknown_s;
        self.away_s += row.away_s;
        self.paused_s += row.paused_s;
        self.in_calls_s += row.yielded_s;
    }
}

/// The hour with the most slouched time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstHour {
    /// Local clock hour, 0-23.
    pub hour: u32,
    /// Seconds slouched in it.
    pub slouched_s: f64,
    /// Slouched share of the hour's monitored time, 0-1.
    pub share: f64,
}

/// The longest run of upright minutes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UprightStretch {
    /// Local clock time it began, `HH:MM`.
    pub from: String,
    /// Local clock time it ended, `HH:MM`.
    pub to: String,
    /// Seconds upright within it.
    pub upright_s: f64,
    /// Length from `from` to `to`, seconds: what the clock times say, so the words agree.
    pub span_s: f64,
}

impl UprightStretch {
    /// "10 min (09:00-09:10)": the length the clock times show.
    pub fn words(&self) -> String {
        format!("{} ({}-{})", duration_words(self.span_s), self.from, self.to)
    }
}

/// One line of end-of-day advice, with the name of what to do.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AdviceLine {
    /// `entry` (a stretch, massage, heat or strengthening), `ergonomic` (a desk habit) or `desk`
    /// (the desk check: a change to the desk that the calibration and the day point to).
    pub kind: &'static str,
    /// Catalog id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Why, in plain words.
    pub reason: String,
}

/// The numbers of one local day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayReport {
    /// The local date.
    pub date: NaiveDate,
    /// Whether anything at all was recorded that day.
    pub has_data: bool,
    /// Minutes in the day (1440, or 1380 / 1500 on a clock change).
    pub day_length_min: i64,
    /// Seconds at the desk being watched (upright + slouched + not judged).
    pub monitored_s: f64,
    /// Seconds upright.
    pub upright_s: f64,
    /// Upright share of the monitored time, 0-1 (`None` without monitored time).
    pub upright_share: Option<f64>,
    /// Seconds slouched.
    pub slouched_s: f64,
    /// Seconds at the desk that could not be judged.
    pub unclear_s: f64,
    /// Slouched seconds by problem.
    pub problems: ProblemSeconds,
    /// Slouch episodes that began this day.
    pub episodes: u32,
    /// Warnings shown.
    pub warnings: u32,
    /// Warnings that were due while snoozed.
    pub warnings_snoozed: u32,
    /// Warnings held back while presenting (Do Not Disturb, a fullscreen window); also in
    /// `warnings`.
    pub warnings_held_back: u32,
    /// Warnings shown that the person answered "I'm sitting fine".
    pub warnings_disputed: u32,
    /// Seconds monitored in a standing setup.
    pub standing_s: f64,
    /// Seconds monitored sitting (every monitored second not standing).
    pub sitting_s: f64,
    /// The longest run of upright minutes.
    pub longest_upright: Option<UprightStretch>,
    /// The hour with the most slouched time.
    pub worst_hour: Option<WorstHour>,
    /// Seconds away from the desk while slouchwatch ran.
    pub away_s: f64,
    /// Seconds paused.
    pub paused_s: f64,
    /// Seconds the camera was given over to another program or held for a call: paused time,
    /// counted apart (never upright, never slouched).
    pub in_calls_s: f64,
    /// Breaks taken (away long enough to count).
    pub breaks: u32,
    /// Movement-break reminders given.
    pub break_reminders: u32,
    /// Reminders followed by a break within [`REMINDER_FOLLOW_WINDOW_MIN`] minutes.
    pub break_reminders_followed: u32,
    /// Suggested stretches done.
    pub stretches_done: u32,
    /// Suggested stretches answered "not now".
    pub stretches_declined: u32,
    /// Strengthening sessions done in the seven days up to the end of this day.
    pub strengthening_this_week: u32,
    /// Time-weighted mean of the head's forward change from the calibrated upright posture over
    /// the day, degrees: the live bars' scale (minutes recorded before schema 5 have none).
    pub mean_head_change_deg: Option<f64>,
    /// Time-weighted mean of the shoulders' rounding change from upright, degrees.
    pub mean_rounding_change_deg: Option<f64>,
    /// Time-weighted mean of how much shorter the chin's gap to the shoulders was than upright,
    /// percent (slumped low; only time the face mesh read the face, from schema 8 on).
    pub mean_slump_change_pct: Option<f64>,
    /// The day as runs of minutes in the same state.
    pub timeline: Vec<Segment>,
    /// The 24 local clock hours.
    pub hours: Vec<HourRow>,
    /// The coach's end-of-day advice.
    pub advice: Vec<AdviceLine>,
}

fn clock<Tz: TimeZone>(tz: &Tz, time: DateTime<Utc>) -> String {
    time.with_timezone(tz).naive_local().format("%H:%M").to_string()
}

fn count_in(times: &[DateTime<Utc>], day: &LocalDay) -> u32 {
    times.iter().filter(|time| day.contains(**time)).count() as u32
}

impl DayReport {
    /// Builds the report of `day` from `rows`, which must cover at least the day and the
    /// [`STRENGTHENING_WINDOW_DAYS`] before its end (rows outside the day are ignored, except
    /// answers for the strengthening count).
    pub fn build<Tz: TimeZone>(tz: &Tz, day: &LocalDay, rows: &RangeRows, catalog: &Catalog) -> DayReport {
        let minutes = day.minutes_of(&rows.minutes);
        let mut report = DayReport {
            date: day.date,
            has_data: false,
            day_length_min: (day.end - day.start).num_minutes(),
            monitored_s: 0.0,
            upright_s: 0.0,
            upright_share: None,
            slouched_s: 0.0,
            unclear_s: 0.0,
            problems: ProblemSeconds::default(),
            episodes: rows.episodes.iter().filter(|episode| day.contains(episode.start)).count() as u32,
            warnings: count_in(&rows.warnings, day),
            warnings_snoozed: count_in(&rows.snoozed_warnings, day),
            warnings_held_back: count_in(&rows.held_back_warnings, day),
            warnings_disputed: count_in(&rows.disputed_warnings, day),
            standing_s: 0.0,
            sitting_s: 0.0,
            longest_upright: None,
            worst_hour: None,
            away_s: 0.0,
            paused_s: 0.0,
            in_calls_s: 0.0,
            breaks: rows.breaks.iter().filter(|(start, _)| day.contains(*start)).count() as u32,
            break_reminders: count_in(&rows.reminders, day),
            break_reminders_followed: 0,
            stretches_done: 0,
            stretches_declined: 0,
            strengthening_this_week: 0,
            mean_head_change_deg: None,
            mean_rounding_change_deg: None,
            mean_slump_change_pct: None,
            timeline: Vec::new(),
            hours: (0..24).map(|hour| HourRow { hour, ..HourRow::default() }).collect(),
            advice: Vec::new(),
        };
        let (mut head_sum, mut head_weight, mut rounding_sum, mut rounding_weight) = (0.0, 0.0, 0.0, 0.0);
        let (mut slump_sum, mut slump_weight) = (0.0, 0.0);
        for row in minutes {
            report.monitored_s += row.monitored_s;
            report.upright_s += row.good_s;
            report.slouched_s += row.bad_s;
            report.unclear_s += row.unknown_s;
            report.away_s += row.away_s;
            report.paused_s += row.paused_s;
            report.in_calls_s += row.yielded_s;
            report.standing_s += row.standing_s;
            report.problems.add(&row.problem_s);
            head_sum += row.head_change_deg_sum;
            head_weight += row.head_change_weight_s;
            rounding_sum += row.rounding_change_deg_sum;
            rounding_weight += row.rounding_change_weight_s;
            slump_sum += row.slump_change_pct_sum;
            slump_weight += row.slump_change_weight_s;
            report.hours[row.minute.with_timezone(tz).hour() as usize].add(row);
        }
        report.upright_share = (report.monitored_s > 0.0).then(|| report.upright_s / report.monitored_s);
        report.sitting_s = (report.monitored_s - report.standing_s).max(0.0);
        report.mean_head_change_deg = (head_weight > 0.0).then(|| head_sum / head_weight);
        report.mean_rounding_change_deg = (rounding_weight > 0.0).then(|| rounding_sum / rounding_weight);
        report.mean_slump_change_pct = (slump_weight > 0.0).then(|| slump_sum / slump_weight);
        report.worst_hour = report
            .hours
            .iter()
            .filter(|hour| hour.slouched_s > 0.0)
            // The first of equally bad hours.
            .fold(None::<&HourRow>, |worst, hour| match worst {
                Some(worst) if worst.slouched_s >= hour.slouched_s => Some(worst),
                _ => Some(hour),
            })
            .map(|hour| WorstHour {
                hour: hour.hour,
                slouched_s: hour.slouched_s,
                share: if hour.monitored_s > 0.0 { hour.slouched_s / hour.monitored_s } else { 0.0 },
            });
        report.timeline = timeline(tz, day, minutes);
        report.longest_upright = longest_upright(tz, minutes);

        let follow = TimeDelta::minutes(REMINDER_FOLLOW_WINDOW_MIN);
        report.break_reminders_followed = rows
            .reminders
            .iter()
            .filter(|at| day.contains(**at))
            .filter(|at| rows.breaks.iter().any(|(start, _)| *start >= **at && *start <= **at + follow))
            .count() as u32;
        for answer in rows.answers.iter().filter(|answer| day.contains(answer.at)) {
            match answer.answer {
                Answer::Done => report.stretches_done += 1,
                Answer::NotNow => report.stretches_declined += 1,
            }
        }
        let week_start = day.end - TimeDelta::days(STRENGTHENING_WINDOW_DAYS);
        report.strengthening_this_week = rows
            .answers
            .iter()
            .filter(|answer| answer.at >= week_start && answer.at < day.end && answer.answer == Answer::Done)
            .filter(|answer| catalog.entry(&answer.entry_id).is_some_and(|entry| entry.kind == Kind::Strengthening))
            .count() as u32;

        report.has_data = !minutes.is_empty()
            || report.episodes + report.warnings + report.warnings_snoozed + report.breaks + report.break_reminders > 0
            || report.stretches_done + report.stretches_declined > 0;
        report.advice = advice(catalog, &report);
        report
    }

    /// Adds the desk check of `calibration` (with the day's time spent too close) to the advice,
    /// first: a desk that pulls the person out of shape comes before the stretches that undo it.
    pub fn add_desk_check(&mut self, calibration: &crate::posture::Calibration) {
        use crate::posture::desk;
        let judged_s = self.upright_s + self.slouched_s;
        let day = desk::DayMeasures {
            too_close_share: (judged_s > 0.0).then(|| (self.problem_s(Problem::TooClose) / judged_s) as f32),
        };
        let lines = desk::desk_check(calibration, &day).into_iter().map(|item| AdviceLine {
            kind: "desk",
            id: item.id().to_owned(),
            name: item.finding(),
            reason: item.change().to_owned(),
        });
        self.advice.splice(0..0, lines);
    }

    /// Seconds spent slouched with one problem.
    pub fn problem_s(&self, problem: Problem) -> f64 {
        self.problems[problem]
    }
}

fn timeline<Tz: TimeZone>(tz: &Tz, day: &LocalDay, minutes: &[MinuteRow]) -> Vec<Segment> {
    let mut segments: Vec<Segment> = Vec::new();
    for row in minutes {
        let Some(state) = MinuteState::of(row) else { continue };
        let start_min = (row.minute - day.start).num_minutes();
        match segments.last_mut() {
            Some(last) if last.state == state && last.end_min == start_min => {
                last.end_min += 1;
                last.to = clock(tz, row.minute + TimeDelta::minutes(1));
            }
            _ => segments.push(Segment {
                from: clock(tz, row.minute),
                to: clock(tz, row.minute + TimeDelta::minutes(1)),
                start_min,
                end_min: start_min + 1,
                state,
            }),
        }
    }
    segments
}

fn longest_upright<Tz: TimeZone>(tz: &Tz, minutes: &[MinuteRow]) -> Option<UprightStretch> {
    let mut best: Option<UprightStretch> = None;
    let mut run: Option<(DateTime<Utc>, DateTime<Utc>, f64)> = None;
    let close = |run: Option<(DateTime<Utc>, DateTime<Utc>, f64)>, best: &mut Option<UprightStretch>| {
        if let Some((from, to, seconds)) = run
            && best.as_ref().is_none_or(|best| seconds > best.upright_s)
        {
            *best = Some(UprightStretch {
                from: clock(tz, from),
                to: clock(tz, to),
                upright_s: seconds,
                span_s: (to - from).num_seconds() as f64,
            });
        }
    };
    for row in minutes {
        let upright = MinuteState::of(row) == Some(MinuteState::Upright);
        let next = row.minute + TimeDelta::minutes(1);
        run = match (run, upright) {
            (Some((from, to, seconds)), true) if to == row.minute => Some((from, next, seconds + row.good_s)),
            (previous, true) => {
                close(previous, &mut best);
                Some((row.minute, next, row.good_s))
            }
            (previous, false) => {
                close(previous, &mut best);
                None
            }
        };
    }
    close(run, &mut best);
    best
}

fn advice(catalog: &Catalog, report: &DayReport) -> Vec<AdviceLine> {
    let facts = DayFacts {
        monitored_s: report.monitored_s,
        episodes: report.episodes,
        problem_s: Problem::ALL.iter().map(|problem| (*problem, report.problem_s(*problem))).collect(),
        strengthening_this_week: report.strengthening_this_week,
    };
    coach::end_of_day(catalog, &facts)
        .into_iter()
        .map(|advice| match advice {
            Advice::Entry { id, reason } => AdviceLine {
                kind: "entry",
                name: catalog.entry(&id).map(|entry| entry.name.clone()).unwrap_or_else(|| id.clone()),
                id,
                reason,
            },
            Advice::Ergonomic { id, reason } => AdviceLine {
                kind: "ergonomic",
                name: catalog
                    .ergonomic
                    .iter()
                    .find(|fix| fix.id == id)
                    .map(|fix| fix.title.clone())
                    .unwrap_or_else(|| id.clone()),
                id,
                reason,
            },
        })
        .collect()
}
