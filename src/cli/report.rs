//! `slouchwatch report`: the daily report in the terminal, or as a JSON, CSV or HTML file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{Local, NaiveDate};

use crate::coach::Catalog;
use crate::history::{self, HistoryStore};
use crate::report::{self, Format, Period};
use crate::settings;

/// Options of `slouchwatch report`.
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// The local day to report on, YYYY-MM-DD (default: today). With --week or --month, the last
    /// day of the period.
    #[arg(long, value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// The seven days ending today (or --date), one line per day.
    #[arg(long, conflicts_with = "month")]
    pub week: bool,
    /// The thirty days ending today (or --date), one line per day.
    #[arg(long)]
    pub month: bool,
    /// text (a summary), json (every number), csv (one row per minute, or per day for --week and
    /// --month) or html (one page with charts).
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write to this file instead of the terminal.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Folder of the history database (default: the platform data folder).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// Goal: percent of monitored time upright (default: the window's setting, else 75).
    #[arg(long, value_parser = parse_goal)]
    pub goal: Option<f64>,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-20"))
}

fn parse_goal(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(goal) if (1.0..=100.0).contains(&goal) => Ok(goal),
        _ => Err(format!("the goal is a percentage of monitored time upright from 1 to 100, not '{text}'")),
    }
}

/// Runs `slouchwatch report`.
pub fn run(args: &ReportArgs, settings_path: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let data_dir = args
        .data_dir
        .clone()
        .or_else(crate::files::data_dir)
        .ok_or_else(|| anyhow::anyhow!("no data folder could be found; pass --data-dir"))?;
    let database = data_dir.join(history::DATABASE_FILE);
    if !database.exists() {
        anyhow::bail!(
            "there is no history in {} yet: slouchwatch writes it while it monitors (the window, or \
             `slouchwatch run`). If your history is elsewhere, pass --data-dir",
            data_dir.display()
        );
    }
    let (store, notice) = HistoryStore::open(&data_dir)?;
    if let Some(notice) = notice {
        eprintln!("note: {notice}");
    }
    let goal = args.goal.unwrap_or_else(|| {
        settings_path.map(|path| settings::load(&path).0.goal_upright_pct).unwrap_or(report::DEFAULT_GOAL_UPRIGHT_PCT)
    });
    let today = Local::now().date_naive();
    let date = args.date.unwrap_or(today);
    let period = if args.week {
        Period::Week(date)
    } else if args.month {
        Period::Month(date)
    } else {
        Period::Day(date)
    };
    let catalog = Catalog::built_in()?;
    let mut built = report::load(&store, &Local, period, goal, today, &catalog)?;
    // The desk check of the calibration in use, if there is one that reads.
    if let report::Report::Day(daily) = &mut built
        && let Some(calibration) =
            crate::files::default_calibration_path().and_then(|path| crate::files::calibration::load(&path).ok())
    {
        daily.day.add_desk_check(&calibration);
    }
    let text = built.render(args.format);
    match &args.out {
        Some(path) => {
            std::fs::write(path, text).with_context(|| {
                format!("cannot write the report to {} (does the folder exist, is the disk full?)", path.display())
            })?;
            eprintln!("report written to {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}
