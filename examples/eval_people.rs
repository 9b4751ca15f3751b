//! Development check on `../shared/eval/people/` (frontal webcam frames of several people; not
//! part of the project: no licence allows copying them in). Runs the people protocol through the
//! real calibration and analysis code and prints, per person, how many slouched frames were
//! called bad, how many upright frames were called bad, how many were unknown, and by problem.
//! Skips, successfully, when the folder is absent.
//!
//! The protocol (`../shared/eval/people/README.txt`), per person: calibrate on the first
//! [`CALIBRATION_FRAMES`] upright frames in number order that are not FLAG or DUPLICATE rows;
//! judge every upright frame numbered [`SETTLE_FRAMES`] or more after the last calibration frame,
//! and every slouched frame; DUPLICATE rows are never judged.
//!
//! Run: `cargo run --release --example eval_people [-- --frames OUT.tsv] [--dir DIR] [--model thunder] [--size 128] [--no-face]`
//! (`--frames` writes one row per judged frame with its measures, for looking at the misses;
//! `--model` takes the names `analyze --model` takes; `--size` runs the model at another input
//! size, a multiple of 32, for judging a smaller input on the calibrated person's region;
//! `--no-face` runs MoveNet without the face mesh).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use slouchwatch::analyze::{self, AnalysisRecord, PostureOptions};
use slouchwatch::pose::{KeypointName, LoadOptions, ModelChoice, PoseEstimator};
use slouchwatch::posture::metrics::METRIC_NAMES;
use slouchwatch::posture::{PlacementSetting, Posture};

/// Upright frames the protocol calibrates on.
const CALIBRATION_FRAMES: usize = 10;

/// Upright frames right after calibration are not judged: the person is still settling, and the
/// frames are near copies of the calibration ones.
const SETTLE_FRAMES: u32 = 15;

/// One row of `MANIFEST.tsv`.
struct Frame {
    path: PathBuf,
    person: String,
    slouched: bool,
    number: u32,
    flagged: bool,
    duplicate: bool,
}

/// Counts for one person and one label.
#[derive(Default)]
struct Tally {
    judged: usize,
    bad: usize,
    unknown: usize,
    problems: BTreeMap<&'static str, usize>,
    stale: BTreeMap<String, usize>,
}

impl Tally {
    fn add(&mut self, record: &AnalysisRecord) {
        self.judged += 1;
        match record.posture {
            Posture::Bad => self.bad += 1,
            Posture::Unknown => self.unknown += 1,
            Posture::Good => {}
        }
        for problem in &record.problems {
            *self.problems.entry(problem.words()).or_default() += 1;
        }
        if let Some(reason) = record.stale_reason {
            *self.stale.entry(format!("{reason:?}")).or_default() += 1;
        }
    }

    fn line(&self, label: &str) -> String {
        let pct = |n: usize| 100.0 * n as f64 / self.judged.max(1) as f64;
        let mut line = format!(
            "  {label:<9} {:>4} judged  {:>4} bad ({:>5.1}%)  {:>4} unknown ({:>5.1}%)",
            self.judged,
            self.bad,
            pct(self.bad),
            self.unknown,
            pct(self.unknown)
        );
        let problems: Vec<String> = self.problems.iter().map(|(problem, n)| format!("{problem} x{n}")).collect();
        if !problems.is_empty() {
            let _ = write!(line, "  [{}]", problems.join(", "));
        }
        let stale: Vec<String> = self.stale.iter().map(|(reason, n)| format!("{reason} x{n}")).collect();
        if !stale.is_empty() {
            let _ = write!(line, "  stale: {}", stale.join(", "));
        }
        line
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg_after =
        |flag: &str| args.iter().position(|arg| arg == flag).and_then(|i| args.get(i + 1)).map(PathBuf::from);
    let dir = arg_after("--dir").unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/people"));
    let frames_out = arg_after("--frames");
    let manifest = dir.join("MANIFEST.tsv");
    if !manifest.exists() {
        println!("skipped: {} is not here (it lives beside the repository on development machines)", dir.display());
        return Ok(());
    }
    let frames = read_manifest(&dir, &manifest)?;
    let model = match args.iter().position(|arg| arg == "--model").and_then(|i| args.get(i + 1)) {
        Some(name) => name.parse::<ModelChoice>().map_err(|error| anyhow::anyhow!("--model {name}: {error}"))?,
        None => ModelChoice::Lightning,
    };
    let run_size = arg_after("--size").map(|size| size.to_string_lossy().parse::<usize>()).transpose()?;
    println!("model: {model}{}", run_size.map(|size| format!(" at {size} px")).unwrap_or_default());
    // `--no-face`: MoveNet alone, without the face mesh (what the mesh buys).
    let without_face = args.iter().any(|arg| arg == "--no-face");
    if without_face {
        println!("face mesh: off");
    }
    let mut estimator =
        PoseEstimator::load_with(&model, LoadOptions { run_size, without_face, ..LoadOptions::default() })?;
    // `--judge-size N`: calibrate at the model's own size on whole frames, judge at N (on the
    // calibrated person's region, as the monitor looks once calibrated).
    let judge_size = arg_after("--judge-size").map(|size| size.to_string_lossy().parse::<usize>()).transpose()?;
    let mut judge_estimator = match judge_size {
        Some(size) => {
            Some(PoseEstimator::load_with(&model, LoadOptions { run_size: Some(size), ..LoadOptions::default() })?)
        }
        None => None,
    };
    if let Some(size) = judge_size {
        println!("judged at {size} px");
    }
    let mut totals = (Tally::default(), Tally::default());
    let mut rows = String::from("person\tlabel\tframe\tposture\tproblems\tstale");
    for name in METRIC_NAMES {
        let _ = write!(rows, "\t{name}");
    }
    rows.push_str("\tface_read\tchin_y\tface_width_px\teye_y\n");

    let mut people: Vec<&str> = frames.iter().map(|frame| frame.person.as_str()).collect();
    people.sort_unstable();
    people.dedup();
    for person in people {
        let mut upright: Vec<&Frame> = frames.iter().filter(|f| f.person == person && !f.slouched).collect();
        upright.sort_by_key(|frame| frame.number);
        let calibration_frames: Vec<&Frame> =
            upright.iter().copied().filter(|f| !f.flagged && !f.duplicate).take(CALIBRATION_FRAMES).collect();
        let Some(last) = calibration_frames.last().map(|frame| frame.number) else {
            println!("person {person}: no upright frames to calibrate on");
            continue;
        };
        let paths: Vec<PathBuf> = calibration_frames.iter().map(|frame| frame.path.clone()).collect();
        let calibration = analyze::calibrate_images(&mut estimator, &paths, PlacementSetting::Auto)
            .map(|made| made.calibration)
            .map_err(|error| format!("{error:#}"));
        println!("person {person}:");
        let options = match calibration {
            Ok(calibration) => {
                let quality = &calibration.quality;
                println!(
                    "  calibration: {:?} camera, quality {:?}, {} of {} frames kept{}",
                    calibration.placement,
                    quality.grade,
                    quality.frames_used,
                    quality.frames_total,
                    if quality.notes.is_empty() { String::new() } else { format!(" ({})", quality.notes.join("; ")) }
                );
                if let Some(front) = &calibration.front {
                    println!("  front reference: {front:?}");
                }
                let desk = slouchwatch::posture::desk::geometry(&calibration);
                let items = slouchwatch::posture::desk::desk_check(&calibration, &Default::default());
                let found: Vec<String> = items.iter().map(|item| item.finding()).collect();
                println!(
                    "  desk: {desk:?} -> {}",
                    if found.is_empty() { "nothing".to_owned() } else { found.join("; ") }
                );
                PostureOptions { calibration: Some(calibration), ..Default::default() }
            }
            Err(error) => {
                println!("  calibration refused: {error}");
                PostureOptions::default()
            }
        };
        let mut judged_upright = Tally::default();
        let mut judged_slouched = Tally::default();
        let to_judge = frames.iter().filter(|frame| {
            frame.person == person && !frame.duplicate && (frame.slouched || frame.number >= last + SETTLE_FRAMES)
        });
        for frame in to_judge {
            let judge = judge_estimator.as_mut().unwrap_or(&mut estimator);
            let record = analyze::analyze_file(judge, &frame.path, &options)?;
            let tally = if frame.slouched { &mut judged_slouched } else { &mut judged_upright };
            tally.add(&record);
            let total = if frame.slouched { &mut totals.0 } else { &mut totals.1 };
            total.add(&record);
            append_row(&mut rows, frame, &record);
        }
        println!("{}", judged_slouched.line("slouched"));
        println!("{}", judged_upright.line("upright"));
    }
    println!("all people:");
    println!("{}", totals.0.line("slouched"));
    println!("{}", totals.1.line("upright"));
    if let Some(out) = frames_out {
        std::fs::write(&out, rows).with_context(|| format!("writing {}", out.display()))?;
        println!("per-frame rows written to {}", out.display());
    }
    Ok(())
}

fn append_row(rows: &mut String, frame: &Frame, record: &AnalysisRecord) {
    let problems: Vec<&str> = record.problems.iter().map(|problem| problem.words()).collect();
    let label = if frame.slouched { "bad" } else { "good" };
    let stale = record.stale_reason.map(|reason| format!("{reason:?}")).unwrap_or_default();
    let _ = write!(
        rows,
        "{}\t{label}\t{}\t{:?}\t{}\t{stale}",
        frame.person,
        frame.number,
        record.posture,
        problems.join(",")
    );
    for value in record.metrics.to_array() {
        match value {
            Some(value) => {
                let _ = write!(rows, "\t{value:.3}");
            }
            None => rows.push('\t'),
        }
    }
    let face = record.face.as_ref();
    let eyes = (record.keypoints[KeypointName::LeftEye].y + record.keypoints[KeypointName::RightEye].y) / 2.0;
    let _ = writeln!(
        rows,
        "\t{}\t{}\t{}\t{eyes:.1}",
        record.face_read,
        face.map(|face| format!("{:.1}", face.chin.y)).unwrap_or_default(),
        face.map(|face| format!("{:.1}", face.width_px())).unwrap_or_default(),
    );
}

fn read_manifest(dir: &Path, manifest: &Path) -> anyhow::Result<Vec<Frame>> {
    let text = std::fs::read_to_string(manifest).with_context(|| format!("reading {}", manifest.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| {
        header.iter().position(|&column| column == name).with_context(|| format!("no {name} column in the manifest"))
    };
    let (path_col, label_col, person_col, notes_col) =
        (column("path")?, column("label")?, column("person_id")?, column("notes")?);
    let mut frames = Vec::new();
    for line in lines.filter(|line| !line.trim().is_empty()) {
        let cells: Vec<&str> = line.split('\t').collect();
        let cell = |i: usize| cells.get(i).copied().unwrap_or_default();
        let path = cell(path_col);
        let stem = Path::new(path).file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
        let digits = stem.rsplit('_').next().unwrap_or_default();
        let number = digits.parse().with_context(|| format!("{path}: no frame number at the end of the name"))?;
        frames.push(Frame {
            path: dir.join(path),
            person: cell(person_col).to_owned(),
            slouched: cell(label_col) == "bad",
            number,
            flagged: cell(notes_col).contains("FLAG"),
            duplicate: cell(notes_col).contains("DUPLICATE"),
        });
    }
    Ok(frames)
}
