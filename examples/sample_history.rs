//! Writes a made-up but realistic history (weekday desk work over many days, and the last day, slouching more in
//! the afternoons and a little less each week) into a data folder, through the history's own API.
//! For trying the report without weeks of monitoring, for the report benchmark, and for the
//! report screenshot script.
//!
//!     cargo run --release --example sample_history -- DATA_DIR [DAYS] [LAST_DATE]
//!
//! The numbers are deterministic (a fixed pseudo-random sequence), so screenshots compare.

use std::path::PathBuf;

use chrono::{DateTime, Datelike, Local, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
use slouchwatch::alerts::Severity;
use slouchwatch::coach::Answer;
use slouchwatch::history::{HistoryStore, MinuteRow};
use slouchwatch::posture::Problem;

/// A small deterministic pseudo-random sequence (xorshift), so runs are repeatable.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes `days` days ending with `last` (local dates); weekends are left empty. Returns the
/// number of minute rows written.
pub fn seed<Tz: TimeZone>(store: &HistoryStore, tz: &Tz, last: NaiveDate, days: u32) -> usize {
    let mut random = Sequence(0x5eed_1234_abcd_9876);
    let mut written = 0;
    for back in (0..days as u64).rev() {
        let Some(date) = last.checked_sub_days(chrono::Days::new(back)) else { continue };
        // Weekends stay empty, except a last day (so "today" always has something to show).
        if back > 0 && matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        // Slouching gets a little rarer as the weeks go by.
        let progress = 1.0 - back as f64 / days.max(1) as f64;
        let at = |hour: u32, minute: u32| -> DateTime<Utc> {
            tz.from_local_datetime(&date.and_hms_opt(hour, minute, 0).expect("valid time"))
                .earliest()
                .expect("no clock change in working hours")
                .with_timezone(&Utc)
        };
        let blocks = [(at(9, 0), 180), (at(13, 0), 120), (at(15, 15), 135)];
        for (block, (start, minutes)) in blocks.into_iter().enumerate() {
            let mut bad_run: Option<(DateTime<Utc>, Problem)> = None;
            for minute in 0..minutes {
                let time = start + TimeDelta::minutes(minute);
                let afternoon = block > 0;
                let slouch_chance = (if afternoon { 0.07 } else { 0.035 }) * (1.1 - 0.5 * progress);
                let roll = random.next();
                let mut row = MinuteRow { minute: time, ..MinuteRow::default() };
                if roll < 0.03 {
                    row.away_s = 60.0;
                } else if roll < 0.03 + slouch_chance || bad_run.is_some() && roll < 0.8 {
                    let problem = bad_run.map(|(_, problem)| problem).unwrap_or(match random.next() {
                        r if r < 0.5 => Problem::ForwardHead,
                        r if r < 0.75 => Problem::RoundedShoulders,
                        r if r < 0.87 => Problem::Leaning,
                        r if r < 0.95 => Problem::ShouldersRaised,
                        _ => Problem::TooClose,
                    });
                    let bad = 40.0 + (random.next() * 20.0).round();
                    row.monitored_s = 60.0;
                    row.bad_s = bad;
                    row.good_s = 60.0 - bad;
                    row.problem_s[problem] = bad;
                    row.head_change_deg_sum = 60.0 * if problem == Problem::ForwardHead { 17.0 } else { 6.0 };
                    row.head_change_weight_s = 60.0;
                    row.rounding_change_deg_sum = 60.0 * if problem == Problem::RoundedShoulders { 24.0 } else { 5.0 };
                    row.rounding_change_weight_s = 60.0;
                    bad_run.get_or_insert((time, problem));
                } else {
                    row.monitored_s = 60.0;
                    if roll > 0.985 {
                        row.unknown_s = 60.0;
                    } else {
                        row.good_s = 60.0;
                    }
                    row.head_change_deg_sum = 60.0 * 3.0;
                    row.head_change_weight_s = 60.0;
                    row.rounding_change_deg_sum = 60.0 * 2.0;
                    row.rounding_change_weight_s = 60.0;
                    if let Some((from, problem)) = bad_run.take() {
                        let warned = time - from >= TimeDelta::minutes(2);
                        let _ = store.add_episode(from, time, &[problem], Severity::Mild, warned);
                        if warned {
                            let _ = store.add_warning(
                                from + TimeDelta::seconds(30),
                                &[problem],
                                Some(Severity::Mild),
                                false,
                            );
                            // About one warning in six is answered "I'm sitting fine".
                            if random.next() < 0.17 {
                                let _ = store.dispute_warning(from + TimeDelta::seconds(40));
                            }
                            let answer = if random.next() < 0.6 { Answer::Done } else { Answer::NotNow };
                            let _ = store.add_answer(from + TimeDelta::seconds(45), "chin_tuck", answer);
                        }
                    }
                }
                // The afternoon's last half hour at a standing desk, in the setup "Standing"; the
                // rest at the "Desk".
                let standing = block == 2 && minute >= minutes - 30;
                if row.monitored_s > 0.0 {
                    row.setup = Some(if standing { "Standing" } else { "Desk" }.to_owned());
                    row.standing_s = if standing { row.monitored_s } else { 0.0 };
                }
                if store.add_minute(&row).is_ok() {
                    written += 1;
                }
            }
            let end = start + TimeDelta::minutes(minutes);
            if block < 2 {
                let _ = store.add_reminder(end - TimeDelta::minutes(5), 45);
                let _ = store.add_break(end, end + TimeDelta::minutes(if block == 0 { 60 } else { 15 }));
            }
        }
        if date.weekday() == Weekday::Mon || date.weekday() == Weekday::Thu {
            let _ = store.add_answer(at(17, 35), "strengthening_routine", Answer::Done);
        }
    }
    written
}

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: sample_history DATA_DIR [DAYS] [LAST_DATE YYYY-MM-DD]");
        std::process::exit(2);
    };
    let days = args.next().and_then(|days| days.parse().ok()).unwrap_or(30);
    let last = args
        .next()
        .and_then(|date| NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok())
        .unwrap_or_else(|| Local::now().date_naive());
    let (store, _) = match HistoryStore::open(&dir) {
        Ok(opened) => opened,
        Err(error) => {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    };
    let rows = seed(&store, &Local, last, days);
    println!("wrote {rows} minute rows over {days} days ending {last} into {}", store.path().display());
}
