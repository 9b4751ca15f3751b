//! The report as one self-contained HTML page: inline SVG charts and inline CSS, no scripts and
//! nothing fetched, laid out to print on one A4 or Letter page. The markup is well-formed XML
//! (every element closed), which the tests check with an XML parser.

use std::fmt::Write;

use super::day::{DayReport, MinuteState};
use super::period::{DaySummary, PeriodReport};
use super::{DailyReport, Report, count_words, duration_words, percent};
use crate::posture::Problem;

/// Width of every chart, SVG user units (CSS pixels).
const CHART_WIDTH: f64 = 700.0;
/// Height of the timeline band.
const TIMELINE_HEIGHT: f64 = 28.0;
/// Height of the per-hour and per-day charts.
const BAR_CHART_HEIGHT: f64 = 80.0;
/// Room above bar charts, so the top axis label is not cut.
const TOP_ROOM: f64 = 8.0;
/// Room left of bar charts for the axis labels.
const AXIS_ROOM: f64 = 34.0;
/// Periods up to this many days label every day; longer ones label every seventh.
const WEEK_LABEL_ALL_DAYS: usize = 10;
/// Height of the episodes-per-day chart.
const EPISODE_CHART_HEIGHT: f64 = 32.0;
/// Room under charts for the labels.
const LABEL_ROOM: f64 = 16.0;

const STYLE: &str = r#"
@page { size: auto; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #222; margin: 0 auto;
       max-width: 720px; padding: 12px; font-size: 13px; line-height: 1.35; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 14px; margin: 8px 0 3px; border-bottom: 1px solid #ddd; padding-bottom: 2px; }
.sub { color: #666; margin: 2px 0 8px; }
.figures { display: grid; grid-template-columns: repeat(4, 1fr); gap: 5px; }
.figure { background: #f4f6f8; border-radius: 6px; padding: 3px 8px; }
.figure b { display: block; font-size: 15px; }
.figure span { color: #555; font-size: 11px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; font-size: 11px; color: #444; margin-top: 2px; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px;
          vertical-align: -1px; }
svg { display: block; }
svg text { font-size: 10px; fill: #555; font-family: inherit; }
ul { margin: 4px 0; padding-left: 18px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
td, th { text-align: right; padding: 1px 6px; border-bottom: 1px solid #eee; }
td:first-child, th:first-child { text-align: left; }
.empty { color: #666; font-style: italic; }
footer { margin-top: 12px; color: #777; font-size: 10px; }
@media print { body { padding: 0; font-size: 12px; } h2, svg, .figures { break-inside: avoid; } }
"#;

/// Escapes text for HTML and XML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// Colour of a day's bar: goal met, not met, or too little data.
const GOAL_MET: [u8; 3] = [0x2e, 0x9d, 0x5b];
const GOAL_MISSED: [u8; 3] = [0xe0, 0x85, 0x2e];
const NOT_COUNTED: [u8; 3] = [0xc8, 0xcc, 0xd0];

/// The report as a page.
pub fn render(report: &Report) -> String {
    let (title, body) = match report {
        Report::Day(daily) => (format!("slouchwatch report, {}", daily.day.date), day_body(daily)),
        Report::Week(period) => (format!("slouchwatch report, {} to {}", period.from, period.to), period_body(period)),
        Report::Month(period) => (format!("slouchwatch report, {} to {}", period.from, period.to), period_body(period)),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{}</title>\n\
         <style>{STYLE}</style>\n</head>\n<body>\n{body}<footer>Made by slouchwatch {} from the numbers it keeps on \
         this computer; no pictures are ever stored.</footer>\n</body>\n</html>\n",
        escape(&title),
        env!("CARGO_PKG_VERSION"),
    )
}

fn figure(out: &mut String, value: &str, label: &str) {
    let _ = write!(out, "<div class=\"figure\"><b>{}</b><span>{}</span></div>", escape(value), escape(label));
}

fn legend(out: &mut String, items: &[(String, [u8; 3])]) {
    out.push_str("<div class=\"legend\">");
    for (label, rgb) in items {
        let _ = write!(
            out,
            "<span><span class=\"swatch\" style=\"background:{}\"></span>{}</span>",
            hex(*rgb),
            escape(label)
        );
    }
    out.push_str("</div>\n");
}

fn day_body(daily: &DailyReport) -> String {
    let day = &daily.day;
    let mut out = String::new();
    let _ = writeln!(out, "<h1>Slouch report</h1>\n<p class=\"sub\">{}</p>", day.date.format("%A %-d %B %Y"));
    if !day.has_data {
        out.push_str("<p class=\"empty\">Nothing was recorded on this day: slouchwatch was not running.</p>\n");
    } else {
        day_figures(&mut out, day);
        out.push_str("<h2>The day</h2>\n");
        timeline_svg(&mut out, day);
        let states: Vec<(String, [u8; 3])> = MinuteState::ALL
            .iter()
            .filter(|state| day.timeline.iter().any(|segment| segment.state == **state))
            .map(|state| (state.words().to_owned(), state.rgb()))
            .collect();
        legend(&mut out, &states);
        out.push_str("<h2>Hour by hour (minutes)</h2>\n");
        hours_svg(&mut out, day);
        legend(
            &mut out,
            &[MinuteState::Upright, MinuteState::SLOUCHED, MinuteState::Unclear, MinuteState::Away].map(|state| {
                let label = if state == MinuteState::SLOUCHED { "slouched" } else { state.words() };
                (label.to_owned(), state.rgb())
            }),
        );
        out.push_str("<h2>Slouched by problem</h2>\n");
        problems_svg(&mut out, day);
    }
    out.push_str("<h2>Last 30 days: share of monitored time upright, and slouch episodes</h2>\n");
    trend_svg(&mut out, &daily.last_30_days);
    episodes_svg(&mut out, &daily.last_30_days);
    trend_words(&mut out, "Last 7 days", &daily.last_7_days);
    trend_words(&mut out, "Last 30 days", &daily.last_30_days);
    weeks_table(&mut out, &daily.last_30_days);
    if !day.advice.is_empty() {
        out.push_str("<h2>For the end of the day</h2>\n<ul>\n");
        for line in &day.advice {
            let _ = writeln!(out, "<li><b>{}</b>: {}</li>", escape(&line.name), escape(&line.reason));
        }
        out.push_str("</ul>\n");
    }
    out
}

fn day_figures(out: &mut String, day: &DayReport) {
    out.push_str("<div class=\"figures\">");
    figure(out, &duration_words(day.monitored_s), "monitored");
    figure(out, &percent(day.upright_share), &format!("upright, {}", duration_words(day.upright_s)));
    figure(out, &duration_words(day.slouched_s), "slouched");
    figure(out, &format!("{} / {}", day.episodes, day.warnings), "episodes / warnings");
    figure(
        out,
        &day.longest_upright.as_ref().map(|s| duration_words(s.span_s)).unwrap_or_else(|| "-".into()),
        &day.longest_upright
            .as_ref()
            .map(|s| format!("longest upright {}-{}", s.from, s.to))
            .unwrap_or_else(|| "longest upright".into()),
    );
    figure(
        out,
        &day.worst_hour.as_ref().map(|w| format!("{:02}:00", w.hour)).unwrap_or_else(|| "-".into()),
        &day.worst_hour
            .as_ref()
            .map(|w| format!("worst hour: {} slouched", duration_words(w.slouched_s)))
            .unwrap_or_else(|| "worst hour".into()),
    );
    figure(out, &format!("{} / {}", duration_words(day.away_s), day.breaks), "away / breaks");
    figure(out, &duration_words(day.in_calls_s), "in calls / camera used elsewhere");
    figure(out, &format!("{} of {}", day.break_reminders_followed, day.break_reminders), "reminders followed");
    figure(out, &format!("{}", day.stretches_done), "stretches done");
    let degrees = |value: Option<f64>| value.map(|v| format!("{v:.1}\u{b0}")).unwrap_or_else(|| "-".into());
    figure(out, &degrees(day.mean_head_change_deg), "head forward, average change from upright");
    figure(out, &degrees(day.mean_rounding_change_deg), "shoulders rounded, average change from upright");
    if let Some(slump) = day.mean_slump_change_pct {
        figure(out, &format!("{slump:.0}%"), "slumped: chin nearer the shoulders, average change from upright");
    }
    figure(out, &format!("{}", day.warnings_snoozed), "warnings while snoozed");
    figure(out, &format!("{}", day.warnings_held_back), "warnings held back while presenting");
    figure(out, &format!("{}", day.warnings_disputed), "warnings answered \u{201c}I'm sitting fine\u{201d}");
    figure(
        out,
        &format!("{} / {}", duration_words(day.sitting_s), duration_words(day.standing_s)),
        "sitting / standing",
    );
    out.push_str("</div>\n");
}

fn timeline_svg(out: &mut String, day: &DayReport) {
    let length = day.day_length_min.max(1) as f64;
    let height = TIMELINE_HEIGHT + LABEL_ROOM;
    let _ = write!(
        out,
        "<svg id=\"timeline\" width=\"{CHART_WIDTH}\" height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"timeline of the day\">\
         <rect x=\"0\" y=\"0\" width=\"{CHART_WIDTH}\" height=\"{TIMELINE_HEIGHT}\" fill=\"#f1f1f1\"/>"
    );
    for segment in &day.timeline {
        let x = segment.start_min as f64 / length * CHART_WIDTH;
        let width = ((segment.end_min - segment.start_min) as f64 / length * CHART_WIDTH).max(0.5);
        let _ = write!(
            out,
            "<rect class=\"segment\" x=\"{x:.2}\" y=\"0\" width=\"{width:.2}\" height=\"{TIMELINE_HEIGHT}\" \
             fill=\"{}\"><title>{}-{} {}</title></rect>",
            hex(segment.state.rgb()),
            segment.from,
            segment.to,
            segment.state.words()
        );
    }
    for hour in (0..=24).step_by(3) {
        let x = (hour as f64 * 60.0 / length * CHART_WIDTH).min(CHART_WIDTH - 12.0);
        let _ = write!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{TIMELINE_HEIGHT}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#999\"/>\
             <text x=\"{x:.1}\" y=\"{}\">{hour:02}</text>",
            TIMELINE_HEIGHT + 3.0,
            TIMELINE_HEIGHT + 13.0
        );
    }
    out.push_str("</svg>\n");
}

fn hours_svg(out: &mut String, day: &DayReport) {
    let height = TOP_ROOM + BAR_CHART_HEIGHT + LABEL_ROOM;
    let slot = (CHART_WIDTH - AXIS_ROOM) / 24.0;
    let scale = BAR_CHART_HEIGHT / 3600.0;
    let _ = write!(
        out,
        "<svg id=\"hours\" width=\"{CHART_WIDTH}\" height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"minutes by hour\">\
         <g transform=\"translate(0 {TOP_ROOM})\">"
    );
    for minutes in [0, 30, 60] {
        let y = BAR_CHART_HEIGHT - minutes as f64 * 60.0 * scale;
        let _ = write!(
            out,
            "<line x1=\"{AXIS_ROOM}\" y1=\"{y:.1}\" x2=\"{CHART_WIDTH}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/>\
             <text x=\"0\" y=\"{:.1}\">{minutes}</text>",
            (y + 4.0).min(BAR_CHART_HEIGHT)
        );
    }
    for hour in &day.hours {
        let x = AXIS_ROOM + hour.hour as f64 * slot;
        let mut top = BAR_CHART_HEIGHT;
        for (seconds, state) in [
            (hour.upright_s, MinuteState::Upright),
            (hour.slouched_s, MinuteState::SLOUCHED),
            (hour.unclear_s, MinuteState::Unclear),
            (hour.away_s, MinuteState::Away),
        ] {
            if seconds <= 0.0 {
                continue;
            }
            let bar = seconds * scale;
            top -= bar;
            let _ = write!(
                out,
                "<rect class=\"bar\" x=\"{:.1}\" y=\"{top:.2}\" width=\"{:.1}\" height=\"{bar:.2}\" fill=\"{}\">\
                 <title>{:02}:00 {} {}</title></rect>",
                x + 2.0,
                slot - 4.0,
                hex(state.rgb()),
                hour.hour,
                duration_words(seconds),
                if state == MinuteState::SLOUCHED { "slouched" } else { state.words() }
            );
        }
        if hour.hour % 3 == 0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{}\">{:02}</text>",
                x + 2.0,
                BAR_CHART_HEIGHT + LABEL_ROOM - 3.0,
                hour.hour
            );
        }
    }
    out.push_str("</g></svg>\n");
}

fn problems_svg(out: &mut String, day: &DayReport) {
    const ROW: f64 = 13.0;
    const LABEL_WIDTH: f64 = 130.0;
    let most = Problem::ALL.iter().map(|problem| day.problem_s(*problem)).fold(0.0, f64::max);
    let height = ROW * Problem::ALL.len() as f64;
    let _ = write!(
        out,
        "<svg id=\"problems\" width=\"{CHART_WIDTH}\" height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"slouched time by problem\">"
    );
    for (row, problem) in Problem::ALL.iter().enumerate() {
        let state = MinuteState::from(*problem);
        let seconds = day.problem_s(*problem);
        let y = row as f64 * ROW;
        let width = if most > 0.0 { seconds / most * (CHART_WIDTH - LABEL_WIDTH - 80.0) } else { 0.0 };
        let _ = write!(
            out,
            "<text x=\"0\" y=\"{:.1}\">{}</text><rect class=\"bar\" x=\"{LABEL_WIDTH}\" y=\"{:.1}\" width=\"{width:.1}\" \
             height=\"{:.1}\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y + 10.0,
            state.words(),
            y + 1.5,
            ROW - 3.0,
            hex(state.rgb()),
            LABEL_WIDTH + width + 6.0,
            y + 10.0,
            duration_words(seconds)
        );
    }
    out.push_str("</svg>\n");
}

fn day_bar_colour(day: &DaySummary) -> [u8; 3] {
    match day.met_goal {
        Some(true) => GOAL_MET,
        Some(false) => GOAL_MISSED,
        None => NOT_COUNTED,
    }
}

fn trend_svg(out: &mut String, period: &PeriodReport) {
    let height = TOP_ROOM + BAR_CHART_HEIGHT + LABEL_ROOM;
    let slot = (CHART_WIDTH - AXIS_ROOM) / period.days.len().max(1) as f64;
    let label_every = if period.days.len() <= WEEK_LABEL_ALL_DAYS { 1 } else { 7 };
    let _ = write!(
        out,
        "<svg id=\"trend\" width=\"{CHART_WIDTH}\" height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"share upright per day\">\
         <g transform=\"translate(0 {TOP_ROOM})\">"
    );
    for pct in [0, 50, 100] {
        let y = BAR_CHART_HEIGHT * (1.0 - pct as f64 / 100.0);
        let _ = write!(
            out,
            "<line x1=\"{AXIS_ROOM}\" y1=\"{y:.1}\" x2=\"{CHART_WIDTH}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/>\
             <text x=\"0\" y=\"{:.1}\">{pct}%</text>",
            (y + 8.0).min(BAR_CHART_HEIGHT)
        );
    }
    for (index, day) in period.days.iter().enumerate() {
        let x = AXIS_ROOM + index as f64 * slot;
        if let Some(share) = day.upright_share {
            let bar = (share * BAR_CHART_HEIGHT).max(1.0);
            let _ = write!(
                out,
                "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.2}\" width=\"{:.1}\" height=\"{bar:.2}\" fill=\"{}\">\
                 <title>{} {} upright, {}</title></rect>",
                x + 1.0,
                BAR_CHART_HEIGHT - bar,
                (slot - 2.0).max(1.0),
                hex(day_bar_colour(day)),
                day.date,
                percent(day.upright_share),
                count_words(day.episodes, "episode", "episodes")
            );
        }
        if index % label_every == (period.days.len() - 1) % label_every {
            // The last label ends at the right edge instead of running off it.
            let (anchor_x, anchor) = if index + 1 == period.days.len() { (x + slot, "end") } else { (x, "start") };
            let _ = write!(
                out,
                "<text x=\"{anchor_x:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                BAR_CHART_HEIGHT + LABEL_ROOM - 3.0,
                day.date.format("%d %b")
            );
        }
    }
    let goal_y = BAR_CHART_HEIGHT * (1.0 - period.goal_upright_pct / 100.0);
    let _ = write!(
        out,
        "<line id=\"goal\" x1=\"{AXIS_ROOM}\" y1=\"{goal_y:.1}\" x2=\"{CHART_WIDTH}\" y2=\"{goal_y:.1}\" \
         stroke=\"#333\" stroke-dasharray=\"4 3\"/>"
    );
    out.push_str("</g></svg>\n");
    legend(
        out,
        &[
            (format!("goal met ({:.0}% upright)", period.goal_upright_pct), GOAL_MET),
            ("goal not met".into(), GOAL_MISSED),
            ("under 30 min monitored".into(), NOT_COUNTED),
        ],
    );
}

/// Slouch episodes per day, as small bars with their counts.
fn episodes_svg(out: &mut String, period: &PeriodReport) {
    let slot = (CHART_WIDTH - AXIS_ROOM) / period.days.len().max(1) as f64;
    let most = period.days.iter().map(|day| day.episodes).max().unwrap_or(0).max(1) as f64;
    let height = TOP_ROOM + EPISODE_CHART_HEIGHT + 2.0;
    let _ = write!(
        out,
        "<svg id=\"episodes\" width=\"{CHART_WIDTH}\" height=\"{height}\" viewBox=\"0 0 {CHART_WIDTH} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"slouch episodes per day\">\
         <g transform=\"translate(0 {TOP_ROOM})\">"
    );
    for (index, day) in period.days.iter().enumerate() {
        if day.monitored_s <= 0.0 {
            continue;
        }
        let x = AXIS_ROOM + index as f64 * slot;
        let bar = (day.episodes as f64 / most * (EPISODE_CHART_HEIGHT - 10.0)).max(1.0);
        let _ = write!(
            out,
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.2}\" width=\"{:.1}\" height=\"{bar:.2}\" fill=\"#8a94a0\">\
             <title>{} {}</title></rect>",
            x + 1.0,
            EPISODE_CHART_HEIGHT - bar,
            (slot - 2.0).max(1.0),
            day.date,
            count_words(day.episodes, "episode", "episodes")
        );
        if slot >= 14.0 {
            let _ = write!(
                out,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                x + slot / 2.0,
                EPISODE_CHART_HEIGHT - bar - 2.0,
                day.episodes
            );
        }
    }
    out.push_str("</g></svg>\n");
}

fn trend_words(out: &mut String, label: &str, period: &PeriodReport) {
    let _ = writeln!(
        out,
        "<p><b>{}</b>: {} upright; share upright {}; episodes {}; goal met {} in a row (best {}).</p>",
        escape(label),
        percent(period.upright_share),
        period.upright_trend.words("points"),
        period.episodes_trend.words("episodes"),
        count_words(period.streaks.current_days, "day", "days"),
        count_words(period.streaks.best_days, "day", "days")
    );
}

fn period_body(period: &PeriodReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<h1>Slouch report</h1>\n<p class=\"sub\">{} to {}</p>",
        period.from.format("%-d %B %Y"),
        period.to.format("%-d %B %Y")
    );
    if period.monitored_s <= 0.0 {
        out.push_str("<p class=\"empty\">Nothing was recorded in these days: slouchwatch was not running.</p>\n");
    }
    out.push_str("<div class=\"figures\">");
    figure(&mut out, &duration_words(period.monitored_s), "monitored");
    figure(&mut out, &percent(period.upright_share), "upright");
    figure(&mut out, &format!("{}", period.episodes), "slouch episodes");
    figure(&mut out, &format!("{} / {}", period.streaks.current_days, period.streaks.best_days), "goal streak / best");
    out.push_str("</div>\n<h2>Share of monitored time upright, and slouch episodes</h2>\n");
    trend_svg(&mut out, period);
    episodes_svg(&mut out, period);
    trend_words(&mut out, "Trend", period);
    weeks_table(&mut out, period);
    out.push_str(
        "<h2>Day by day</h2>\n<table>\n<tr><th>Day</th><th>Monitored</th><th>Upright</th><th>Episodes</th>\
         <th>Warnings</th><th>Breaks</th><th>Stretches</th></tr>\n",
    );
    for day in &period.days {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            day.date.format("%a %d %b"),
            duration_words(day.monitored_s),
            percent(day.upright_share),
            day.episodes,
            day.warnings,
            day.breaks,
            day.stretches_done
        );
    }
    out.push_str("</table>\n");
    out
}

/// Sitting and standing over the period, and warnings, disputes and the dispute rate by week.
fn weeks_table(out: &mut String, period: &PeriodReport) {
    let _ = writeln!(
        out,
        "<h2>Sitting and standing, warnings and \u{201c}I'm sitting fine\u{201d}</h2>\n<p>Sitting {}, standing {}; \
         in calls / camera used elsewhere {}.</p>",
        duration_words(period.sitting_s),
        duration_words(period.standing_s),
        duration_words(period.in_calls_s)
    );
    out.push_str(
        "<table id=\"weeks\">\n<tr><th>Week of</th><th>Warnings</th><th>Disputed</th><th>Dispute rate</th></tr>\n",
    );
    for week in &period.weeks {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            week.week_of.format("%a %d %b"),
            week.warnings,
            week.disputed,
            percent(week.dispute_rate)
        );
    }
    out.push_str("</table>\n");
}
