//! The daily report against a real SQLite history seeded with known minutes and events: every
//! number of a day, the trends and streaks, the CSV rows, the HTML page, local-day boundaries
//! (including a replayed session over midnight and a clock change), an empty day, and a database
//! written by an older schema version.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, TimeZone, Utc};
use common::{calibrate_on_astronaut, fixture};
use quick_xml::events::Event;
use serde_json::Value;
use slouchwatch::alerts::Severity;
use slouchwatch::coach::{Answer, Catalog};
use slouchwatch::history::{HistoryStore, MinuteRow};
use slouchwatch::posture::Problem;
use slouchwatch::report::{self, Format, MinuteState, Period, Report};

/// The seeded history lives in UTC+1 ("XYZ-1" in POSIX TZ notation, so no tzdata is needed).
const ZONE_OFFSET_S: i32 = 3600;
const POSIX_ZONE: &str = "XYZ-1";

fn zone() -> FixedOffset {
    FixedOffset::east_opt(ZONE_OFFSET_S).unwrap()
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 18).unwrap()
}

/// A local time on `date` as UTC.
fn local(date: NaiveDate, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    zone().from_local_datetime(&date.and_hms_opt(hour, minute, second).unwrap()).unwrap().with_timezone(&Utc)
}

/// One seeded minute: every monitored minute carries forward-head and rounding measures.
fn minute(at: DateTime<Utc>, fill: impl FnOnce(&mut MinuteRow)) -> MinuteRow {
    let mut row = MinuteRow { minute: at, ..MinuteRow::default() };
    fill(&mut row);
    if row.monitored_s > 0.0 {
        row.forward_head_deg_sum += row.monitored_s * 4.0;
        row.forward_head_weight_s += row.monitored_s;
        row.shoulder_rounding_deg_sum += row.monitored_s * 2.0;
        row.shoulder_rounding_weight_s += row.monitored_s;
        // Calibrated minutes: the change from upright, here 10 degrees below the raw measure.
        row.head_change_deg_sum = row.forward_head_deg_sum - 10.0 * row.forward_head_weight_s;
        row.head_change_weight_s = row.forward_head_weight_s;
        row.rounding_change_deg_sum = row.shoulder_rounding_deg_sum - 10.0 * row.shoulder_rounding_weight_s;
        row.rounding_change_weight_s = row.shoulder_rounding_weight_s;
    }
    row
}

fn good(row: &mut MinuteRow) {
    row.monitored_s = 60.0;
    row.good_s = 60.0;
}

/// Seeds the day under test and the days around it (see the expected numbers in
/// `every_number_of_a_day_is_exact`).
fn seed(store: &HistoryStore) {
    let d = day();
    let add = |row: MinuteRow| store.add_minute(&row).unwrap();
    // 09:00-09:09 upright.
    for m in 0..10 {
        add(minute(local(d, 9, m, 0), good));
    }
    // 09:10-09:12 head forward (15 deg); 09:11 also rounded shoulders for half the minute (20 deg).
    for m in 10..13 {
        add(minute(local(d, 9, m, 0), |row| {
            row.monitored_s = 60.0;
            row.bad_s = 60.0;
            row.problem_s[Problem::ForwardHead] = 60.0;
            row.forward_head_deg_sum = 60.0 * 11.0;
            if m == 11 {
                row.problem_s[Problem::RoundedShoulders] = 30.0;
                row.shoulder_rounding_deg_sum = 60.0 * 18.0;
            }
        }));
    }
    for m in 13..15 {
        add(minute(local(d, 9, m, 0), good));
    }
    add(minute(local(d, 9, 15, 0), |row| row.away_s = 60.0));
    // 10:00-10:04: upright, 10 s a minute not judged.
    for m in 0..5 {
        add(minute(local(d, 10, m, 0), |row| {
            row.monitored_s = 60.0;
            row.good_s = 50.0;
            row.unknown_s = 10.0;
        }));
    }
    for m in 5..7 {
        add(minute(local(d, 10, m, 0), |row| {
            row.monitored_s = 60.0;
            row.bad_s = 60.0;
            row.problem_s[Problem::Leaning] = 60.0;
        }));
    }
    add(minute(local(d, 10, 7, 0), |row| row.paused_s = 60.0));

    store.add_episode(local(d, 9, 10, 0), local(d, 9, 13, 0), &[Problem::ForwardHead], Severity::Mild, true).unwrap();
    store.add_episode(local(d, 10, 5, 0), local(d, 10, 7, 0), &[Problem::Leaning], Severity::Mild, false).unwrap();
    store.add_warning(local(d, 9, 10, 30), &[Problem::ForwardHead], Some(Severity::Mild), false).unwrap();
    store.add_warning(local(d, 10, 5, 30), &[Problem::Leaning], None, true).unwrap();
    store.add_reminder(local(d, 9, 14, 0), 45).unwrap();
    store.add_break(local(d, 9, 15, 0), local(d, 9, 17, 0)).unwrap();
    store.add_reminder(local(d, 10, 6, 0), 45).unwrap();
    store.add_answer(local(d, 9, 11, 0), "chin_tuck", Answer::Done).unwrap();
    store.add_answer(local(d, 9, 12, 0), "wall_angels", Answer::NotNow).unwrap();

    // Earlier days: one counted hour each (upright 40, 45, 50 of 60 minutes).
    for (back, upright_minutes) in [(3, 40), (2, 45), (1, 50)] {
        let date = d - TimeDelta::days(back);
        for m in 0..60u32 {
            // The day before ends right at midnight: 23:00-23:59.
            let at = local(date, 23, 0, 0) + TimeDelta::minutes(m as i64);
            add(minute(at, |row| {
                row.monitored_s = 60.0;
                if m < upright_minutes {
                    row.good_s = 60.0;
                } else {
                    row.bad_s = 60.0;
                    row.problem_s[Problem::ForwardHead] = 60.0;
                }
            }));
        }
    }
    // Strengthening three days before counts for the week; eight days before does not.
    store.add_answer(local(d - TimeDelta::days(3), 18, 0, 0), "strengthening_routine", Answer::Done).unwrap();
    store.add_answer(local(d - TimeDelta::days(8), 18, 0, 0), "strengthening_routine", Answer::Done).unwrap();
    // The next day starts at midnight.
    add(minute(local(d + TimeDelta::days(1), 0, 0, 0), good));
}

fn seeded_store(dir: &Path) -> HistoryStore {
    let (store, _) = HistoryStore::open(dir).unwrap();
    seed(&store);
    store
}

fn daily(store: &HistoryStore, date: NaiveDate) -> Box<report::DailyReport> {
    let catalog = Catalog::built_in().unwrap();
    let today = day() + TimeDelta::days(5);
    match report::load(store, &zone(), Period::Day(date), 75.0, today, &catalog).unwrap() {
        Report::Day(daily) => daily,
        other => panic!("not a day report: {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn every_number_of_a_day_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());
    let daily = daily(&store, day());
    let d = &daily.day;
    assert!(d.has_data);
    assert_eq!(d.day_length_min, 1440);
    assert_eq!(d.monitored_s, 1320.0);
    assert_eq!(d.upright_s, 970.0);
    assert!(close(d.upright_share.unwrap(), 970.0 / 1320.0));
    assert_eq!(d.slouched_s, 300.0);
    assert_eq!(d.unclear_s, 50.0);
    assert_eq!(d.away_s, 60.0);
    assert_eq!(d.paused_s, 60.0);
    assert_eq!(d.problem_s(Problem::ForwardHead), 180.0);
    assert_eq!(d.problem_s(Problem::RoundedShoulders), 30.0);
    assert_eq!(d.problem_s(Problem::Leaning), 120.0);
    assert_eq!(d.problem_s(Problem::ShouldersRaised) + d.problem_s(Problem::TooClose), 0.0);
    assert_eq!((d.episodes, d.warnings, d.warnings_snoozed), (2, 1, 1));
    assert_eq!((d.breaks, d.break_reminders, d.break_reminders_followed), (1, 2, 1));
    assert_eq!((d.stretches_done, d.stretches_declined, d.strengthening_this_week), (1, 1, 1));
    // (1320 s x 4 deg + 180 s x 11 deg more) / 1320 s; rounding (1320 x 2 + 60 x 18) / 1320.
    assert!(close(d.mean_head_change_deg.unwrap(), 5.5 - 10.0), "the change from upright, not the raw angle");
    assert!(close(d.mean_rounding_change_deg.unwrap(), 2.0 + 1080.0 / 1320.0 - 10.0));
    let longest = d.longest_upright.as_ref().unwrap();
    assert_eq!((longest.from.as_str(), longest.to.as_str(), longest.upright_s), ("09:00", "09:10", 600.0));
    let worst = d.worst_hour.as_ref().unwrap();
    assert_eq!((worst.hour, worst.slouched_s), (9, 180.0));
    assert!(close(worst.share, 0.2));

    let timeline: Vec<(&str, &str, MinuteState)> =
        d.timeline.iter().map(|s| (s.from.as_str(), s.to.as_str(), s.state)).collect();
    assert_eq!(
        timeline,
        [
            ("09:00", "09:10", MinuteState::Upright),
            ("09:10", "09:13", MinuteState::Slouched(Problem::ForwardHead)),
            ("09:13", "09:15", MinuteState::Upright),
            ("09:15", "09:16", MinuteState::Away),
            ("10:00", "10:05", MinuteState::Upright),
            ("10:05", "10:07", MinuteState::Slouched(Problem::Leaning)),
            ("10:07", "10:08", MinuteState::Paused),
        ]
    );
    assert_eq!((d.timeline[0].start_min, d.timeline[6].end_min), (540, 608));
    assert_eq!(d.hours.len(), 24);
    let nine = &d.hours[9];
    assert_eq!((nine.monitored_s, nine.upright_s, nine.slouched_s, nine.away_s), (900.0, 720.0, 180.0, 60.0));
    let ten = &d.hours[10];
    assert_eq!(
        (ten.monitored_s, ten.upright_s, ten.slouched_s, ten.unclear_s, ten.paused_s),
        (420.0, 250.0, 120.0, 50.0, 60.0)
    );
    assert!(d.hours.iter().filter(|h| h.hour != 9 && h.hour != 10).all(|h| h.monitored_s + h.away_s == 0.0));
    // Two episodes, no raised shoulders, no pattern over 25%: only the strengthening reminder.
    let advice: Vec<(&str, &str)> = d.advice.iter().map(|a| (a.id.as_str(), a.reason.as_str())).collect();
    assert_eq!(advice, [("strengthening_routine", "1 of 3 strengthening sessions this week")]);
}

#[test]
fn trends_and_streaks_follow_the_days() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());
    let daily = daily(&store, day());
    let week = &daily.last_7_days;
    assert_eq!((week.from, week.to), (day() - TimeDelta::days(6), day()));
    assert_eq!(week.days.len(), 7);
    assert_eq!(week.monitored_s, 3.0 * 3600.0 + 1320.0);
    assert_eq!(week.counted_days, 3, "the day under test has 22 minutes: not counted");
    let shares: Vec<Option<f64>> = week.days.iter().map(|day| day.upright_share).collect();
    assert_eq!(shares[..3], [None, None, None]);
    assert!(close(shares[3].unwrap(), 40.0 / 60.0) && close(shares[5].unwrap(), 50.0 / 60.0));
    let met: Vec<Option<bool>> = week.days.iter().map(|day| day.met_goal).collect();
    assert_eq!(met, [None, None, None, Some(false), Some(true), Some(true), None]);
    assert_eq!((week.streaks.current_days, week.streaks.best_days), (2, 2));
    assert_eq!(week.upright_trend.direction, report::Direction::Improving);
    assert!(close(week.upright_trend.change_per_day.unwrap(), 100.0 / 12.0));
    assert_eq!(week.episodes_trend.direction, report::Direction::Steady);
    let month = &daily.last_30_days;
    assert_eq!(month.days.len(), 30);
    assert_eq!(month.monitored_s, week.monitored_s);
}

#[test]
fn an_empty_day_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());
    let empty = daily(&store, day() - TimeDelta::days(10));
    assert!(!empty.day.has_data);
    assert!(empty.day.timeline.is_empty() && empty.day.longest_upright.is_none() && empty.day.worst_hour.is_none());
    assert!(empty.day.advice.is_empty());
    let text = Report::Day(empty).render(Format::Text);
    assert!(text.contains("Nothing was recorded on this day"), "{text}");
}

#[test]
fn the_csv_has_one_row_per_minute_or_per_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());
    let csv = Report::Day(daily(&store, day())).render(Format::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, report::csv::minute_columns());
    // Readers go by position: the columns keep their places, added ones come at the end.
    let expected = "minute_local,minute_utc,state,monitored_s,upright_s,slouched_s,unclear_s,away_s,paused_s,\
                    forward_head_s,rounded_shoulders_s,shoulders_raised_s,leaning_s,too_close_s,\
                    mean_forward_head_deg,mean_shoulder_rounding_deg,head_down_s,mean_head_change_deg,\
                    mean_rounding_change_deg,standing_s,setup,in_calls_s,slumped_s,mean_slump_change_pct";
    assert_eq!(header.join(","), expected);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 24, "one row per stored minute of the day");
    assert_eq!(&rows[0][0], "2026-11-18T09:00:00+01:00");
    assert_eq!(&rows[0][1], "2026-11-18T08:00:00Z");
    assert_eq!(&rows[0][2], "upright");
    assert_eq!(&rows[11][2], "forward_head");
    assert_eq!(rows[11][9].parse::<f64>().unwrap(), 60.0);
    assert_eq!(rows[11][10].parse::<f64>().unwrap(), 30.0);
    assert_eq!(rows[11][14].parse::<f64>().unwrap(), 15.0, "mean forward head of 09:11");
    assert_eq!(rows[11][17].parse::<f64>().unwrap(), 5.0, "its change from upright");
    let away = rows.iter().find(|row| &row[2] == "away").unwrap();
    assert_eq!(&away[14], "", "no measure in an away minute");
    let monitored: f64 = rows.iter().map(|row| row[3].parse::<f64>().unwrap()).sum();
    assert_eq!(monitored, 1320.0);

    let catalog = Catalog::built_in().unwrap();
    let week = report::load(&store, &zone(), Period::Week(day()), 75.0, day(), &catalog).unwrap();
    let csv = week.render(Format::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), report::csv::DAY_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    assert_eq!(&rows[6][0], "2026-11-18");
    assert_eq!(rows[6][1].parse::<f64>().unwrap(), 1320.0);
    assert_eq!(&rows[6][9], "false", "22 minutes do not count");
    assert_eq!((&rows[5][9], &rows[5][10]), ("true", "true"));
    assert_eq!(&rows[0][3], "", "no share on a day without monitoring");
}

/// Counts elements by name inside the element with `id`, parsing the page as XML.
fn count_in_element(html: &str, id: &str, name: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(html);
    let mut depth_inside: Option<usize> = None;
    let mut depth = 0usize;
    let mut found = 0;
    loop {
        match reader.read_event().unwrap_or_else(|error| panic!("the page is not well-formed: {error}")) {
            Event::Start(element) => {
                depth += 1;
                let is_target = element.attributes().flatten().any(|a| a.key.into_inner() == "id" && &*a.value == id);
                if is_target {
                    depth_inside = Some(depth);
                } else if depth_inside.is_some() && element.name().into_inner() == name {
                    found += 1;
                }
            }
            Event::Empty(element) if depth_inside.is_some() && element.name().into_inner() == name => found += 1,
            Event::End(_) => {
                if depth_inside == Some(depth) {
                    depth_inside = None;
                }
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

#[test]
fn the_html_page_parses_and_holds_the_charts() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());
    let html = Report::Day(daily(&store, day())).render(Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    for forbidden in ["<script", "http://", "https://", "<link"] {
        let allowed_namespace = html.matches("http://www.w3.org/2000/svg").count();
        let hits = html.matches(forbidden).count();
        let expected = if forbidden == "http://" { allowed_namespace } else { 0 };
        assert_eq!(hits, expected, "the page fetches nothing: {forbidden}");
    }
    // One rectangle per timeline run (plus the background), one per hour slice, 6 problem bars.
    assert_eq!(count_in_element(&html, "timeline", "rect"), 7 + 1);
    assert_eq!(
        count_in_element(&html, "hours", "rect"),
        3 + 3,
        "09: upright, slouched, away; 10: upright, slouched, not judged"
    );
    assert_eq!(count_in_element(&html, "problems", "rect"), Problem::ALL.len());
    assert_eq!(count_in_element(&html, "trend", "rect"), 4, "four days with monitored time of 30");
    assert_eq!(count_in_element(&html, "trend", "line"), 3 + 1, "grid lines and the goal");
    assert_eq!(count_in_element(&html, "episodes", "rect"), 4, "episodes on each day with monitoring");
    assert!(html.contains("Wednesday 18 November 2026"));
    assert!(html.contains("Strengthening routine"));
}

fn cli(args: &[&str], tz: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slouchwatch")).args(args).env("TZ", tz).output().unwrap()
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
#[cfg_attr(windows, ignore = "Windows takes the time zone from the system, not from TZ")]
fn the_command_line_report_reads_local_days_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    drop(seeded_store(dir.path()));
    let data = dir.path().to_str().unwrap();
    let report = json(&cli(&["report", "--data-dir", data, "--date", "2026-11-18", "--format", "json"], POSIX_ZONE));
    assert_eq!(report["report"], "day");
    assert_eq!(report["day"]["monitored_s"], 1320.0);
    assert_eq!(report["day"]["timeline"][0]["from"], "09:00");
    assert_eq!(report["day"]["problems"]["leaning_s"], 120.0);
    assert_eq!(report["last_7_days"]["streaks"]["best_days"], 2);
    // The same history read nine hours further east: the day before's 23:00-23:59 (UTC+1) is
    // now 08:00-08:59 of the 18th.
    let east = json(&cli(&["report", "--data-dir", data, "--date", "2026-11-18", "--format", "json"], "XYZ-10"));
    assert_eq!(east["day"]["monitored_s"], 1320.0 + 3600.0);
    assert_eq!(east["day"]["timeline"][0]["from"], "08:00");

    let week =
        json(&cli(&["report", "--data-dir", data, "--date", "2026-11-18", "--week", "--format", "json"], POSIX_ZONE));
    assert_eq!(week["report"], "week");
    assert_eq!(week["days"].as_array().unwrap().len(), 7);
    let month =
        json(&cli(&["report", "--data-dir", data, "--date", "2026-11-18", "--month", "--format", "json"], POSIX_ZONE));
    assert_eq!(month["days"].as_array().unwrap().len(), 30);

    let text = cli(&["report", "--data-dir", data, "--date", "2026-11-18"], POSIX_ZONE);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Monitored 22 min: upright 16 min (73%)"), "{text}");
    assert!(text.contains("Longest upright stretch 10 min (09:00-09:10)"), "{text}");
    assert!(text.contains("break reminders followed 1 of 2"), "{text}");

    let out = dir.path().join("report.html");
    let written = cli(
        &["report", "--data-dir", data, "--date", "2026-11-18", "--format", "html", "--out", out.to_str().unwrap()],
        POSIX_ZONE,
    );
    assert!(written.status.success());
    assert!(std::fs::read_to_string(&out).unwrap().contains("id=\"timeline\""));
}

#[test]
fn bad_arguments_and_a_missing_history_get_clear_messages() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("nothing-here");
    let output = cli(&["report", "--data-dir", data.to_str().unwrap()], POSIX_ZONE);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no history") && stderr.contains("--data-dir"), "{stderr}");
    assert!(!data.exists(), "reading a report creates nothing");

    let output = cli(&["report", "--date", "18/11/2026"], POSIX_ZONE);
    assert!(String::from_utf8_lossy(&output.stderr).contains("YYYY-MM-DD"));
    let output = cli(&["report", "--goal", "150"], POSIX_ZONE);
    assert!(String::from_utf8_lossy(&output.stderr).contains("from 1 to 100"));
    let output = cli(&["report", "--week", "--month"], POSIX_ZONE);
    assert!(!output.status.success());
}

#[test]
#[cfg_attr(windows, ignore = "Windows takes the time zone from the system, not from TZ")]
fn a_day_with_a_clock_change_has_23_hours() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = HistoryStore::open(dir.path()).unwrap();
    // Central Europe sprang forward on 2026-03-29 at 02:00 local (01:00 UTC).
    for hour in [0, 1, 3] {
        // 00:00, 01:00 local are UTC+1; 03:00 local is UTC+2.
        let utc_hour = if hour < 2 { hour as i64 - 1 } else { hour as i64 - 2 };
        let at = DateTime::parse_from_rfc3339("2026-03-29T00:00:00Z").unwrap().with_timezone(&Utc)
            + TimeDelta::hours(utc_hour);
        store.add_minute(&minute(at, good)).unwrap();
    }
    drop(store);
    let data = dir.path().to_str().unwrap();
    let report = json(&cli(
        &["report", "--data-dir", data, "--date", "2026-03-29", "--format", "json"],
        "CET-1CEST,M3.5.0,M10.5.0/3",
    ));
    assert_eq!(report["day"]["day_length_min"], 1380);
    assert_eq!(report["day"]["monitored_s"], 180.0);
    let starts: Vec<&str> =
        report["day"]["timeline"].as_array().unwrap().iter().map(|s| s["from"].as_str().unwrap()).collect();
    assert_eq!(starts, ["00:00", "01:00", "03:00"]);
    let hours: Vec<f64> =
        report["day"]["hours"].as_array().unwrap().iter().map(|h| h["monitored_s"].as_f64().unwrap()).collect();
    assert_eq!((hours[0], hours[1], hours[2], hours[3]), (60.0, 60.0, 0.0, 60.0));
}

#[test]
fn a_database_from_schema_version_1_reports_and_is_migrated() {
    let dir = tempfile::tempdir().unwrap();
    {
        // The tables as slouchwatch's first history version wrote them.
        let connection = rusqlite::Connection::open(dir.path().join(slouchwatch::history::DATABASE_FILE)).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE minutes (minute INTEGER PRIMARY KEY, monitored_s REAL NOT NULL DEFAULT 0,
                    good_s REAL NOT NULL DEFAULT 0, bad_s REAL NOT NULL DEFAULT 0, unknown_s REAL NOT NULL DEFAULT 0,
                    away_s REAL NOT NULL DEFAULT 0, paused_s REAL NOT NULL DEFAULT 0,
                    forward_head_s REAL NOT NULL DEFAULT 0, rounded_shoulders_s REAL NOT NULL DEFAULT 0,
                    shoulders_raised_s REAL NOT NULL DEFAULT 0, leaning_s REAL NOT NULL DEFAULT 0,
                    too_close_s REAL NOT NULL DEFAULT 0, forward_head_deg_sum REAL NOT NULL DEFAULT 0,
                    forward_head_weight_s REAL NOT NULL DEFAULT 0, shoulder_rounding_deg_sum REAL NOT NULL DEFAULT 0,
                    shoulder_rounding_weight_s REAL NOT NULL DEFAULT 0);
                 CREATE TABLE episodes (id INTEGER PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL,
                    problems TEXT NOT NULL, peak_severity TEXT NOT NULL, warned INTEGER NOT NULL);
                 CREATE TABLE warnings (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, problems TEXT NOT NULL,
                    severity TEXT NOT NULL, snoozed INTEGER NOT NULL);
                 CREATE TABLE breaks (id INTEGER PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL);
                 CREATE TABLE stretches (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, name TEXT NOT NULL);
                 PRAGMA user_version = 1;",
            )
            .unwrap();
        let nine = local(day(), 9, 0, 0);
        for m in 0..45 {
            let (good_s, bad_s, forward_head_s) = if m < 30 { (60.0, 0.0, 0.0) } else { (0.0, 60.0, 60.0) };
            connection
                .execute(
                    "INSERT INTO minutes (minute, monitored_s, good_s, bad_s, forward_head_s) VALUES (?1, 60, ?2, ?3, ?4)",
                    rusqlite::params![(nine + TimeDelta::minutes(m)).timestamp(), good_s, bad_s, forward_head_s],
                )
                .unwrap();
        }
        connection
            .execute(
                "INSERT INTO stretches (at, name) VALUES (?1, 'chin_tuck')",
                [local(day(), 9, 40, 0).timestamp_millis()],
            )
            .unwrap();
    }
    let data = dir.path().to_str().unwrap();
    let report = json(&cli(&["report", "--data-dir", data, "--date", "2026-11-18", "--format", "json"], POSIX_ZONE));
    let d = &report["day"];
    assert_eq!((d["monitored_s"].as_f64(), d["upright_s"].as_f64()), (Some(2700.0), Some(1800.0)));
    assert_eq!(d["problems"]["forward_head_s"], 900.0);
    assert_eq!(d["stretches_done"], 1, "version 1 stored only stretches that were done");
    assert_eq!(d["break_reminders"], 0);
    assert_eq!(d["longest_upright"]["upright_s"], 1800.0);
    let (store, notice) = HistoryStore::open(dir.path()).unwrap();
    assert!(notice.is_none());
    drop(store);
}

#[test]
#[cfg_attr(windows, ignore = "Windows takes the time zone from the system, not from TZ")]
fn a_replayed_session_over_midnight_falls_into_two_local_days() {
    let dir = tempfile::tempdir().unwrap();
    let calibration = dir.path().join("calibration.json");
    calibrate_on_astronaut(&calibration);
    let frames = dir.path().join("frames");
    std::fs::create_dir_all(&frames).unwrap();
    let upright = image::open(fixture("astronaut.png")).unwrap();
    for index in 0..120 {
        upright.save(frames.join(format!("frame_{index:04}.png"))).unwrap();
    }
    let data = dir.path().join("data");
    let run = cli(
        &[
            "run",
            "--source",
            frames.to_str().unwrap(),
            "--fps",
            "2",
            "--start",
            "2026-11-18T23:59:30+01:00",
            "--calibration",
            calibration.to_str().unwrap(),
            "--data-dir",
            data.to_str().unwrap(),
            "--no-notify",
        ],
        POSIX_ZONE,
    );
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let data = data.to_str().unwrap();
    let before = json(&cli(&["report", "--data-dir", data, "--date", "2026-11-18", "--format", "json"], POSIX_ZONE));
    let after = json(&cli(&["report", "--data-dir", data, "--date", "2026-11-19", "--format", "json"], POSIX_ZONE));
    let seconds = |report: &Value| report["day"]["monitored_s"].as_f64().unwrap();
    assert!((seconds(&before) - 30.0).abs() < 1e-6, "{}", before["day"]);
    assert!((seconds(&after) - 30.0).abs() < 1e-6, "{}", after["day"]);
    assert_eq!(before["day"]["timeline"][0]["from"], "23:59");
    assert_eq!(after["day"]["timeline"][0]["from"], "00:00");
    assert_eq!(before["day"]["upright_s"], before["day"]["monitored_s"]);
}

#[test]
fn sitting_standing_and_disputed_warnings_are_exact_by_day_and_by_week() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = HistoryStore::open(dir.path()).unwrap();
    let d = day();
    // 09:00-09:09 sitting at the desk, 09:10-09:14 standing, one minute half of each.
    for m in 0..10 {
        store
            .add_minute(&minute(local(d, 9, m, 0), |row| {
                good(row);
                row.setup = Some("Desk".into());
            }))
            .unwrap();
    }
    for m in 10..15 {
        store
            .add_minute(&minute(local(d, 9, m, 0), |row| {
                good(row);
                row.standing_s = 60.0;
                row.setup = Some("Standing".into());
            }))
            .unwrap();
    }
    store
        .add_minute(&minute(local(d, 9, 15, 0), |row| {
            good(row);
            row.standing_s = 30.0;
            row.setup = Some("Standing".into());
        }))
        .unwrap();
    // Three warnings that day, the first two answered "I'm sitting fine"; one the week before,
    // not answered; a snoozed one is neither shown nor disputable.
    for (minute_of, disputed) in [(1, true), (3, true), (5, false)] {
        let at = local(d, 9, minute_of, 30);
        store.add_warning(at, &[Problem::ForwardHead], Some(Severity::Mild), false).unwrap();
        if disputed {
            assert!(store.dispute_warning(at + TimeDelta::seconds(20)).unwrap());
        }
    }
    store.add_warning(local(d, 9, 6, 0), &[Problem::ForwardHead], None, true).unwrap();
    let week_before = d - TimeDelta::days(7);
    store.add_warning(local(week_before, 11, 0, 0), &[Problem::HeadDown], Some(Severity::Mild), false).unwrap();
    // A dispute with no warning before it marks nothing.
    assert!(!store.dispute_warning(local(week_before - TimeDelta::days(1), 0, 0, 0)).unwrap());

    let daily = daily(&store, d);
    let today = &daily.day;
    assert!(close(today.monitored_s, 16.0 * 60.0), "{}", today.monitored_s);
    assert!(close(today.standing_s, 5.0 * 60.0 + 30.0));
    assert!(close(today.sitting_s, 10.0 * 60.0 + 30.0));
    assert_eq!((today.warnings, today.warnings_disputed, today.warnings_snoozed), (3, 2, 1));
    let weeks = &daily.last_30_days.weeks;
    let this_week = weeks.iter().find(|week| week.week_of == NaiveDate::from_ymd_opt(2026, 11, 16).unwrap()).unwrap();
    assert_eq!((this_week.warnings, this_week.disputed), (3, 2));
    assert!(close(this_week.dispute_rate.unwrap(), 2.0 / 3.0));
    let before = weeks.iter().find(|week| week.week_of == NaiveDate::from_ymd_opt(2026, 11, 9).unwrap()).unwrap();
    assert_eq!((before.warnings, before.disputed, before.dispute_rate), (1, 0, Some(0.0)));
    assert!(weeks.iter().filter(|week| week.warnings == 0).all(|week| week.dispute_rate.is_none()));
    assert!(close(daily.last_7_days.standing_s, 5.0 * 60.0 + 30.0));

    // The minutes say which setup they were measured in; the text says it all in words.
    let minutes = store.minutes(local(d, 9, 0, 0), local(d, 9, 16, 0)).unwrap();
    assert_eq!(minutes[0].setup.as_deref(), Some("Desk"));
    assert_eq!(minutes[12].setup.as_deref(), Some("Standing"));
    let text = Report::Day(daily.clone()).render(Format::Text);
    assert!(text.contains("Sitting 11 min, standing 6 min"), "{text}");
    assert!(text.contains("warnings 3 (2 answered \"I'm sitting fine\", 1 more while snoozed)"), "{text}");
    assert!(text.contains("week of Mon 2026-11-16: 3 warnings, 2 disputed (67%)"), "{text}");
    let csv = Report::Day(daily).render(Format::Csv);
    let header = csv.lines().next().unwrap();
    assert!(header.ends_with(",standing_s,setup,in_calls_s,slumped_s,mean_slump_change_pct"), "{header}");
    assert!(csv.lines().nth(13).unwrap().ends_with(",60.0,Standing,0.0,0.0,"), "{csv}");
}

#[test]
fn time_in_calls_is_its_own_row_exact_by_minute_day_and_week_and_never_upright() {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = HistoryStore::open(dir.path()).unwrap();
    let d = day();
    // 14:00-14:04 upright; 14:05-14:34 in a call (the camera given over); 14:35 half of each;
    // 14:36 paused by the user.
    for m in 0..5 {
        store.add_minute(&minute(local(d, 14, m, 0), good)).unwrap();
    }
    for m in 5..35 {
        store.add_minute(&minute(local(d, 14, m, 0), |row| row.yielded_s = 60.0)).unwrap();
    }
    store
        .add_minute(&minute(local(d, 14, 35, 0), |row| {
            row.monitored_s = 30.0;
            row.good_s = 30.0;
            row.yielded_s = 30.0;
        }))
        .unwrap();
    store.add_minute(&minute(local(d, 14, 36, 0), |row| row.paused_s = 60.0)).unwrap();

    let daily = daily(&store, d);
    let today = &daily.day;
    assert!(close(today.in_calls_s, 30.0 * 60.0 + 30.0), "{}", today.in_calls_s);
    assert!(close(today.paused_s, 60.0));
    assert!(close(today.monitored_s, 5.0 * 60.0 + 30.0), "time in calls is not watched time");
    assert!(close(today.upright_s, today.monitored_s));
    assert_eq!(today.upright_share, Some(1.0), "nor does it lower the share upright");
    let calls: Vec<_> = today.timeline.iter().filter(|segment| segment.state == MinuteState::InCall).collect();
    assert_eq!(calls.len(), 1, "{:?}", today.timeline);
    assert_eq!((calls[0].from.as_str(), calls[0].to.as_str()), ("14:05", "14:35"));
    assert!(close(today.hours[14].in_calls_s, 30.0 * 60.0 + 30.0));
    assert!(close(daily.last_7_days.in_calls_s, 30.0 * 60.0 + 30.0));

    let text = Report::Day(daily.clone()).render(Format::Text);
    assert!(text.contains("In calls / camera used elsewhere 31 min (not judged)"), "{text}");
    let html = Report::Day(daily.clone()).render(Format::Html);
    assert!(html.contains("in calls / camera used elsewhere"), "the figure and the timeline's legend");
    let json: Value = serde_json::from_str(&Report::Day(daily.clone()).render(Format::Json)).unwrap();
    assert_eq!(json["day"]["in_calls_s"], 1830.0);
    let csv = Report::Day(daily).render(Format::Csv);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let in_calls = reader.headers().unwrap().iter().position(|column| column == "in_calls_s").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 37);
    assert_eq!((&rows[5][2], &rows[5][in_calls]), ("in_call", "60.0"));
    assert_eq!((&rows[35][2], &rows[35][in_calls]), ("upright", "30.0"), "a tie goes to the judged time");
    let week = report::load(&store, &zone(), Period::Week(d), 75.0, d, &Catalog::built_in().unwrap()).unwrap();
    let week_csv = week.render(Format::Csv);
    assert!(week_csv.lines().next().unwrap().ends_with(",in_calls_s"));
    assert!(week_csv.lines().any(|line| line.starts_with("2026-11-18,") && line.ends_with(",1830.0")), "{week_csv}");
    assert!(week.render(Format::Text).contains("in calls / camera used elsewhere 31 min"));
}

#[test]
fn the_desk_check_leads_the_days_advice() {
    let dir = tempfile::tempdir().unwrap();
    let calibration_file = dir.path().join("calibration.json");
    calibrate_on_astronaut(&calibration_file);
    let calibration = slouchwatch::files::calibration::load(&calibration_file).unwrap();
    let store = seeded_store(dir.path());
    let mut daily = daily(&store, day());
    let stretches = daily.day.advice.len();
    daily.day.add_desk_check(&calibration);
    // The astronaut's camera looks up at her: the screen is too low, said first.
    assert_eq!(daily.day.advice[0].kind, "desk");
    assert_eq!(daily.day.advice[0].id, "screen_too_low");
    assert!(daily.day.advice[0].reason.contains("eye"), "{:?}", daily.day.advice[0]);
    assert!(daily.day.advice.len() > stretches);
    assert!(Report::Day(daily).render(Format::Text).contains("Screen too low"));
}

/// A count of one reads in the singular wherever a report prints a count with its noun.
#[test]
fn a_count_of_one_reads_in_the_singular() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded_store(dir.path());
    let catalog = Catalog::built_in().unwrap();
    let today = day() + TimeDelta::days(5);
    let week = |last: NaiveDate| report::load(&store, &zone(), Period::Week(last), 75.0, today, &catalog).unwrap();
    let said_in_plural = |text: &str| {
        [" 1 days", " 1 episodes", " 1 warnings", " 1 breaks", " 1 stretches", "(s)"]
            .into_iter()
            .find(|wrong| text.contains(wrong))
    };

    // The week to the 18th: one warning (the other came while snoozed), one break.
    let text = week(day()).render(Format::Text);
    assert!(text.contains("; 2 episodes, 1 warning, 1 break, "), "{text}");
    assert!(text.contains("week of Mon 2026-11-16: 1 warning, 0 disputed"), "{text}");
    assert_eq!(said_in_plural(&text), None, "{text}");

    // The week to the 16th: two days counted, and only the 16th met the goal.
    let to_16th = week(day() - TimeDelta::days(2));
    let text = to_16th.render(Format::Text);
    assert!(text.contains(" on 2 days: "), "{text}");
    assert!(text.contains("met 1 day in a row (best 1 day)"), "{text}");
    assert!(text.contains(" 0 episodes"), "{text}");
    assert_eq!(said_in_plural(&text), None, "{text}");
    let html = to_16th.render(Format::Html);
    assert!(html.contains("goal met 1 day in a row (best 1 day)"), "{html}");
    assert_eq!(said_in_plural(&html), None, "{html}");

    // A day's trend lines and chart titles: two slouch episodes that day, none the days before.
    let daily = Report::Day(daily(&store, day()));
    let text = daily.render(Format::Text);
    assert!(text.contains("met 2 days in a row (best 2 days)"), "{text}");
    assert_eq!(said_in_plural(&text), None, "{text}");
    let html = daily.render(Format::Html);
    assert!(html.contains("2026-11-18 2 episodes</title>"), "{html}");
    assert_eq!(said_in_plural(&html), None, "{html}");
}
