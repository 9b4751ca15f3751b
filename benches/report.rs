//! Cost of the daily report over a month of history: 30 days of 500 minute rows (15,000 rows,
//! about eight monitored hours a day) with episodes, warnings, breaks and answers, in a real
//! SQLite file. Times reading and building the day report with its 7- and 30-day trends (what
//! `slouchwatch report` and the window's Report screen do), and rendering each format.
//! Target: well under 100 ms for read + build + render. Run with `cargo bench --bench report`.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use slouchwatch::alerts::Severity;
use slouchwatch::coach::{Answer, Catalog};
use slouchwatch::history::{HistoryStore, MinuteRow};
use slouchwatch::posture::Problem;
use slouchwatch::report::{self, Format, Period, Report};

const DAYS: i64 = 30;
const MINUTES_A_DAY: i64 = 500;

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("valid date")
}

/// Fills `store` with DAYS x MINUTES_A_DAY minute rows from 08:00 UTC each day, a slouched
/// minute every seventh, an episode and a warning for each slouched minute, two breaks a day.
fn seed(store: &HistoryStore) -> usize {
    let mut rows = 0;
    for back in 0..DAYS {
        let date = last_day() - TimeDelta::days(back);
        let start: DateTime<Utc> = date.and_hms_opt(8, 0, 0).expect("valid time").and_utc();
        for m in 0..MINUTES_A_DAY {
            let minute = start + TimeDelta::minutes(m);
            let slouched = m % 7 == 3;
            let mut problem_s = slouchwatch::posture::ProblemSeconds::default();
            problem_s[Problem::ForwardHead] = if slouched { 40.0 } else { 0.0 };
            let row = MinuteRow {
                minute,
                monitored_s: 60.0,
                good_s: if slouched { 20.0 } else { 60.0 },
                bad_s: if slouched { 40.0 } else { 0.0 },
                problem_s,
                head_change_deg_sum: 60.0 * if slouched { 14.0 } else { 4.0 },
                head_change_weight_s: 60.0,
                rounding_change_deg_sum: 60.0 * 3.0,
                rounding_change_weight_s: 60.0,
                ..MinuteRow::default()
            };
            store.add_minute(&row).expect("row written");
            rows += 1;
            if slouched {
                let end = minute + TimeDelta::seconds(40);
                store.add_episode(minute, end, &[Problem::ForwardHead], Severity::Mild, true).expect("episode");
                store.add_warning(minute, &[Problem::ForwardHead], Some(Severity::Mild), false).expect("warning");
                store.add_answer(minute, "chin_tuck", Answer::Done).expect("answer");
            }
        }
        for hour in [3, 6] {
            let at = start + TimeDelta::hours(hour);
            store.add_reminder(at, 45).expect("reminder");
            store.add_break(at + TimeDelta::minutes(2), at + TimeDelta::minutes(12)).expect("break");
        }
    }
    rows
}

fn report(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let (store, _) = HistoryStore::open(dir.path()).expect("history opens");
    let rows = seed(&store);
    assert_eq!(rows, (DAYS * MINUTES_A_DAY) as usize);
    let catalog = Catalog::built_in().expect("catalog loads");
    let zone = FixedOffset::east_opt(3600).expect("valid offset");
    let load = || report::load_day(&store, &zone, last_day(), 75.0, last_day(), &catalog).expect("report loads");

    let mut group = c.benchmark_group("report");
    group.bench_function("read+build day with 7/30-day trends (15k rows)", |b| b.iter(load));
    let daily = Report::Day(load());
    for (name, format) in [("text", Format::Text), ("json", Format::Json), ("csv", Format::Csv), ("html", Format::Html)]
    {
        group.bench_function(format!("render {name}"), |b| b.iter(|| daily.render(format)));
    }
    group.bench_function("read+build+render html", |b| b.iter(|| Report::Day(load()).render(Format::Html)));
    group.bench_function("read+build month", |b| {
        b.iter(|| report::load(&store, &zone, Period::Month(last_day()), 75.0, last_day(), &catalog).expect("loads"))
    });
    group.bench_function("open the history (integrity check)", |b| {
        b.iter(|| HistoryStore::open(dir.path()).expect("history opens"))
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
