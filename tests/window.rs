//! The window, driven by egui_kittest: the real app state, a real engine replaying real frames
//! through the real model, widgets found by their labels.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{calibrate_on_astronaut, fixture};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use image::{RgbImage, imageops};
use slouchwatch::coach::Catalog;
use slouchwatch::files::autostart::LoginEntry;
use slouchwatch::settings::{self, SETTINGS_FILE, Settings};
use slouchwatch::ui::panels::Screen;
use slouchwatch::ui::{AppPaths, EngineOverrides, SlouchApp, engine_starter};

/// Replays run this many times faster than real time, so tests are quick but the window still
/// sees frames arrive over time.
const REPLAY_SPEED: f64 = 40.0;
/// Longest a test waits for something to appear.
const PATIENCE: Duration = Duration::from_secs(60);

fn write_frames(folder: &Path, sequence: &[(&RgbImage, usize)]) {
    std::fs::create_dir_all(folder).unwrap();
    let mut index = 0;
    for (image, count) in sequence {
        for _ in 0..*count {
            image.save(folder.join(format!("frame_{index:05}.png"))).unwrap();
            index += 1;
        }
    }
}

fn upright() -> RgbImage {
    image::open(fixture("astronaut.png")).unwrap().into_rgb8()
}

/// The same person 30% larger: too close to the screen.
fn too_close() -> RgbImage {
    let upright = upright();
    let (width, height) = upright.dimensions();
    let crop = (width as f32 / 1.3) as u32;
    let offset = (width - crop) / 2;
    let zoomed = imageops::crop_imm(&upright, offset, offset, crop, crop).to_image();
    imageops::resize(&zoomed, width, height, imageops::FilterType::Triangle)
}

fn app(config: &Path, source: Option<PathBuf>) -> SlouchApp {
    let paths = AppPaths {
        settings: Some(config.join(SETTINGS_FILE)),
        calibration: config.join("calibration.json"),
        data_dir: Some(config.join("data")),
        autostart: Some(LoginEntry::Folder(config.join("autostart"))),
    };
    let catalog = Catalog::built_in().unwrap();
    let source = source.map(|path| path.display().to_string());
    let overrides = EngineOverrides {
        source: source.clone(),
        fps: Some(2.0),
        data_dir: Some(config.join("data")),
        replay_speed: Some(REPLAY_SPEED),
    };
    SlouchApp::new(paths, engine_starter(overrides, catalog.clone()), catalog).with_source_override(source)
}

fn harness(app: SlouchApp) -> Harness<'static, SlouchApp> {
    let harness =
        Harness::builder().with_size([760.0, 1400.0]).build_ui_state(|ui, app: &mut SlouchApp| app.show(ui), app);
    egui_extras::install_image_loaders(&harness.ctx);
    harness
}

/// Steps the window until `done` holds, in real time (the engine runs on its own thread).
fn step_until(
    harness: &mut Harness<'static, SlouchApp>,
    what: &str,
    done: impl Fn(&Harness<'static, SlouchApp>) -> bool,
) {
    let started = Instant::now();
    while !done(harness) {
        assert!(
            started.elapsed() < PATIENCE,
            "gave up waiting for {what}; events: {:?}",
            harness.state().events_seen()
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Past the first run's welcome, to the calibration itself.
fn get_started(harness: &mut Harness<'static, SlouchApp>) {
    harness.get_by_label("Get started").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Welcome to slouchwatch").is_none(), "on to calibrating");
}

/// Scrolls the control labelled `label` into view, then clicks it, as a person scrolls to a
/// control before clicking it (a click lands only on what is in view).
fn click_in_view(harness: &mut Harness<'static, SlouchApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    // Scrolling is animated: the control settles where it is clicked.
    harness.run_steps(12);
    harness.get_by_label(label).click();
}

fn quiet_settings(config: &Path, change: impl FnOnce(&mut Settings)) {
    // No notification and no glow: nothing shown outside the window under test.
    let mut settings = Settings { notifications: false, nudge_glow: false, ..Settings::default() };
    change(&mut settings);
    settings::save(&config.join(SETTINGS_FILE), &settings).unwrap();
}

#[test]
fn the_calibration_wizard_completes_and_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 800)]);
    quiet_settings(dir.path(), |_| {});
    let mut harness = harness(app(dir.path(), Some(frames.clone())));
    harness.step();
    assert_eq!(harness.state().screen(), Screen::Calibration, "first start opens the wizard");
    // The first run welcomes: what it does, that no picture is kept or sent.
    assert!(harness.query_by_label("Welcome to slouchwatch").is_some());
    assert!(harness.query_by_label_contains("No picture is saved or sent anywhere").is_some());
    get_started(&mut harness);
    assert!(harness.query_by_label("Step 2 of 3: sit as you work").is_some());
    assert!(harness.query_by_label_contains("3. Press Start,").is_some(), "the step names its button");
    harness.get_by_label("Start").click();
    step_until(&mut harness, "the measured calibration", |h| h.query_by_label("Start monitoring").is_some());
    assert!(harness.query_by_label("Step 3 of 3: your result").is_some());
    assert!(harness.query_by_label_contains("Quality:").is_some());
    assert!(harness.query_by_label("Try again").is_some());
    assert!(harness.query_by_label("Keep the earlier calibration").is_none(), "there was none");
    // Saved the moment it was measured, before any button: nothing to lose by leaving.
    let setups_file = dir.path().join("setups.json");
    let saved = std::fs::read_to_string(&setups_file).expect("saved at once");
    let book = slouchwatch::posture::setups::SetupBook::from_json(&saved).unwrap();
    assert_eq!(book.setups.len(), 1);
    assert_eq!(book.setups[0].name, "Desk");
    assert!(!book.setups[0].standing);
    assert_eq!(book.setups[0].camera.as_deref(), Some(frames.display().to_string().as_str()));
    assert_eq!(book.setups[0].calibration.placement, slouchwatch::posture::CameraPlacement::Front);
    assert!(harness.query_by_label_contains("Saved as the setup \"Desk\"").is_some());
    // The desk check follows the result: the astronaut's camera looks up at her.
    assert!(harness.query_by_label("Desk check").is_some());
    assert!(harness.query_by_label_contains("Screen too low").is_some());
    // The first calibration offers to start at login; taking it writes a valid login entry.
    harness.get_by_label("Start slouchwatch when I log in").click();
    harness.run_steps(2);
    let entry = dir.path().join("autostart").join(slouchwatch::files::autostart::AUTOSTART_FILE);
    assert!(entry.is_file(), "the login entry is written");
    let validated = std::process::Command::new("desktop-file-validate")
        .arg(&entry)
        .output()
        .expect("desktop-file-validate runs (bash scripts/setup-debian.sh installs it)");
    assert!(validated.status.success() && validated.stdout.is_empty(), "{validated:?}");
    assert!(harness.state().settings().start_at_login);
    // Leaving by the Live tab (not the result's button) keeps it: monitoring is calibrated.
    harness.get_by_label("Live").click();
    harness.run_steps(2);
    assert_eq!(harness.state().screen(), Screen::Live);
    assert!(harness.state().calibration().is_some());
    step_until(&mut harness, "a judged verdict", |h| h.query_by_label("Good posture").is_some());
    assert!(harness.query_by_label_contains("Not calibrated").is_none());

    // A recalibration replaces it at once too, and "Keep the earlier calibration" puts it back.
    harness.get_by_label("Calibrate").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("3. Press Recalibrate,").is_some(), "the step names its button");
    harness.get_by_label("Recalibrate").click();
    step_until(&mut harness, "the second calibration", |h| h.query_by_label("Keep the earlier calibration").is_some());
    assert!(harness.query_by_label_contains("Start slouchwatch when I log in").is_none(), "offered once");
    let replaced = std::fs::read_to_string(&setups_file).unwrap();
    assert_ne!(replaced, saved, "the new calibration is saved");
    // Try again measures once more; what can be put back is still the one before both tries.
    harness.get_by_label("Try again").click();
    harness.run_steps(2);
    harness.get_by_label("Recalibrate").click();
    step_until(&mut harness, "the third calibration", |h| h.query_by_label("Keep the earlier calibration").is_some());
    harness.get_by_label("Keep the earlier calibration").click();
    harness.run_steps(2);
    let restored = slouchwatch::posture::setups::SetupBook::from_json(&std::fs::read_to_string(&setups_file).unwrap());
    assert_eq!(
        serde_json::to_value(&restored.unwrap().setups[0].calibration).unwrap(),
        serde_json::to_value(&book.setups[0].calibration).unwrap(),
        "the earlier calibration is back"
    );
    assert!(harness.state().calibration().is_some());

    // A name typed in the wizard's Setup field is the setup calibrated (what `calibrate --setup
    // NAME` tells you to do while the window runs).
    harness.get_by_label("Calibrate").click();
    harness.run_steps(2);
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    harness.run_steps(2);
    for _ in "Desk".chars() {
        harness.key_press(egui::Key::Backspace);
    }
    harness.run_steps(1);
    harness.get_by_role(egui::accesskit::Role::TextInput).type_text("Laptop");
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("A new setup, beside Desk").is_some());
    harness.get_by_label("Recalibrate").click();
    step_until(&mut harness, "the Laptop calibration", |h| h.query_by_label("Start monitoring").is_some());
    assert!(harness.query_by_label_contains("Saved as the setup \"Laptop\"").is_some());
    let book = slouchwatch::posture::setups::SetupBook::from_json(&std::fs::read_to_string(&setups_file).unwrap());
    let names: Vec<String> = book.unwrap().setups.into_iter().map(|setup| setup.name).collect();
    assert_eq!(names, ["Desk", "Laptop"]);

    // Settings turns start-at-login off again and the entry goes.
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    click_in_view(&mut harness, "Start slouchwatch in the tray when I log in");
    harness.run_steps(2);
    assert!(!entry.exists(), "the login entry is removed as the box is unticked");
}

#[test]
fn a_warning_takes_the_status_cards_place_without_moving_the_picture_and_snooze_silences_the_next() {
    let dir = tempfile::tempdir().unwrap();
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    // No cool-down, so only the snooze can keep the second slouch from warning.
    quiet_settings(dir.path(), |settings| settings.cooldown_min = 0);
    let frames = dir.path().join("frames");
    let (upright, too_close) = (upright(), too_close());
    write_frames(&frames, &[(&upright, 10), (&too_close, 80), (&upright, 20), (&too_close, 80), (&upright, 4)]);
    let mut harness = harness(app(dir.path(), Some(frames)));
    step_until(&mut harness, "the status", |h| h.query_by_label("Good posture").is_some());
    let picture_at = harness.get_by_label("Show camera picture").rect();
    let goal = harness.query_by_label("upright today, goal 75%").map(|node| node.rect());
    assert!(goal.is_some(), "today's ring with the goal on the status card");

    step_until(&mut harness, "the warning", |h| h.query_by_label("Time to sit up").is_some());
    assert!(harness.query_by_label("Good posture").is_none(), "the warning is in the status card's place");
    assert!(harness.query_by_label_contains("You have moved close to the screen").is_some());
    assert!(harness.query_by_label_contains("Slouched for ").is_some(), "for how long");
    assert!(harness.query_by_label_contains("Change from your upright posture").is_some(), "the live view stays");
    let moved = harness.get_by_label("Show camera picture").rect();
    assert!((moved.min.y - picture_at.min.y).abs() < 0.5, "the picture stays put: {picture_at:?} then {moved:?}");
    // One primary action: the suggested stretch, by name and length.
    let primary = {
        use egui_kittest::kittest::NodeT;
        harness.get_by_label_contains("Start ").accesskit_node().label().unwrap_or_default()
    };
    assert!(primary.contains(", ") && (primary.ends_with(" s") || primary.ends_with(" min")), "{primary}");
    harness.get_by_label("Snooze").click();
    harness.run_steps(2);
    harness.get_by_label("15 minutes").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Time to sit up").is_none(), "the banner goes away");
    assert!(harness.query_by_label_contains("No posture warnings until").is_some(), "the snooze says until when");

    // The privacy switch hides the picture; monitoring goes on.
    harness.get_by_label("Show camera picture").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Camera picture hidden").is_some());
    assert!(!harness.state().settings().show_camera_image);

    step_until(&mut harness, "the end of the replay", |h| h.state().engine_finished());
    let log = harness.state().events_seen();
    assert_eq!(log.iter().filter(|kind| *kind == "warning").count(), 1, "{log:?}");
    assert!(log.iter().any(|kind| kind == "warning_snoozed"), "the second slouch was snoozed: {log:?}");
    assert!(harness.query_by_label("Time to sit up").is_none());
}

#[test]
fn im_sitting_fine_answers_warnings_widens_that_limit_in_settings_and_resets() {
    use slouchwatch::posture::Problem;
    use slouchwatch::posture::setups::{DISPUTE_STEP, DISPUTES_PER_STEP, SetupBook};
    let dir = tempfile::tempdir().unwrap();
    // A lone calibration from before setups: it becomes the setup "Desk".
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    quiet_settings(dir.path(), |settings| settings.cooldown_min = 0);
    let frames = dir.path().join("frames");
    let (upright, too_close) = (upright(), too_close());
    // Upright long enough to end each slouch (the clear delay is 5 s), then 40 s too close.
    let slouch = [(&upright, 20), (&too_close, 80)];
    let sequence: Vec<(&RgbImage, usize)> =
        slouch.iter().cycle().take(2 * DISPUTES_PER_STEP as usize).copied().chain([(&upright, 400)]).collect();
    write_frames(&frames, &sequence);
    let mut harness = harness(app(dir.path(), Some(frames)));
    assert_eq!(harness.state().setups().setups[0].name, "Desk", "migrated");

    for round in 1..=DISPUTES_PER_STEP {
        step_until(&mut harness, "a warning", |h| h.query_by_label("Time to sit up").is_some());
        harness.get_by_label("I'm sitting fine").click();
        harness.run_steps(2);
        assert!(harness.query_by_label("Time to sit up").is_none(), "round {round}: the banner goes");
        if round == 1 {
            step_until(&mut harness, "the answer in the status", |h| {
                h.query_by_label_contains("You said you are sitting fine").is_some()
            });
        }
    }
    // The third dispute of "too close" in this setup widened its limit a step; Settings says so.
    step_until(&mut harness, "the widened limit", |h| {
        h.state().setups().get("Desk").is_some_and(|desk| desk.calibration.disputes.factor(Problem::TooClose) > 1.0)
    });
    let desk = harness.state().setups().setups[0].clone();
    assert_eq!(desk.calibration.disputes.factor(Problem::TooClose), 1.0 + DISPUTE_STEP);
    assert_eq!(desk.calibration.disputes.factor(Problem::ForwardHead), 1.0, "only the disputed problem");
    let saved = SetupBook::from_json(&std::fs::read_to_string(dir.path().join("setups.json")).unwrap()).unwrap();
    assert_eq!(saved.setups[0].calibration.disputes.factor(Problem::TooClose), 1.0 + DISPUTE_STEP, "saved");
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Too close to the screen limit 25% wider").is_some());
    // Only the warning's problem was disputed, with its own limit and its own reset.
    let widened = desk.calibration.disputes.widened().map(|(problem, _)| problem).collect::<Vec<_>>();
    assert_eq!(widened, [Problem::TooClose]);
    harness.get_all_by_label("Reset limit").last().unwrap().click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Too close to the screen limit").is_none());
    let saved = SetupBook::from_json(&std::fs::read_to_string(dir.path().join("setups.json")).unwrap()).unwrap();
    assert_eq!(saved.setups[0].calibration.disputes.factor(Problem::TooClose), 1.0, "the reset is saved");

    step_until(&mut harness, "the end of the replay", |h| h.state().engine_finished());
    let log = harness.state().events_seen();
    assert_eq!(log.iter().filter(|kind| *kind == "warning_disputed").count(), DISPUTES_PER_STEP as usize, "{log:?}");
    drop(harness);
    let history =
        rusqlite::Connection::open(dir.path().join("data").join(slouchwatch::history::DATABASE_FILE)).unwrap();
    let disputed: i64 =
        history.query_row("SELECT COUNT(*) FROM warnings WHERE disputed = 1", [], |row| row.get(0)).unwrap();
    assert_eq!(disputed, DISPUTES_PER_STEP as i64);
}

#[test]
fn settings_changes_persist_and_reload() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 4)]);
    quiet_settings(dir.path(), |settings| settings.notifications = true);
    let mut harness = harness(app(dir.path(), Some(frames.clone())));
    harness.get_by_label("Settings").click();
    harness.run_steps(2);
    let replayed = format!("This run watches {} (given with --source)", frames.display());
    assert!(harness.query_by_label_contains(&replayed).is_some(), "says a folder is replayed, not the camera");
    click_in_view(&mut harness, "Desktop notifications");
    harness.run_steps(2);
    click_in_view(&mut harness, "Dark theme");
    harness.run_steps(2);
    // Calls and presenting: both on by default, both can be turned off.
    assert!(harness.state().settings().pause_for_calls && harness.state().settings().quiet_while_presenting);
    click_in_view(&mut harness, "Pause while the camera or microphone is in use by another program");
    harness.run_steps(2);
    click_in_view(&mut harness, "Hold warnings back while I present");
    harness.run_steps(2);
    click_in_view(&mut harness, "Play a sound");
    harness.run_steps(2);
    // Try it says what it showed, or why it could not (no X display to glow on, no player).
    click_in_view(&mut harness, "Try it");
    harness.run_steps(3);
    let tried = harness.query_by_label_contains("Shown: ").is_some()
        || harness.query_by_label_contains("could not be shown").is_some()
        || harness.query_by_label_contains("did not play").is_some();
    assert!(tried, "Try it says what came of it");
    // Applied as changed, nothing to save.
    assert!(!harness.state().settings().notifications && harness.state().settings().dark_mode);
    assert!(!harness.state().settings_unsaved());
    let (on_disk, _) = settings::load(&dir.path().join(SETTINGS_FILE));
    assert!(on_disk.dark_mode && on_disk.nudge_sound, "saved at once");
    drop(harness);

    let (saved, notice) = settings::load(&dir.path().join(SETTINGS_FILE));
    assert_eq!(notice, None);
    assert!(!saved.notifications && saved.dark_mode);
    assert!(!saved.pause_for_calls && !saved.quiet_while_presenting);
    assert!(saved.nudge_sound && !saved.nudge_dim);
    let reopened = app(dir.path(), Some(frames));
    assert!(!reopened.settings().notifications && reopened.settings().dark_mode);
}

#[test]
fn without_a_camera_the_window_says_so_and_offers_a_retry() {
    if common::skip_with_a_camera() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    quiet_settings(dir.path(), |_| {});
    let mut harness = harness(app(dir.path(), None));
    step_until(&mut harness, "the no-camera message", |h| h.query_by_label("No camera").is_some());
    assert!(harness.query_by_label_contains("No camera found").is_some(), "why, under it");
    harness.get_by_label("Retry").click();
    step_until(&mut harness, "the no-camera message again", |h| h.query_by_label("No camera").is_some());
}

#[test]
fn the_about_screen_says_it_is_not_a_medical_device_and_when_to_see_someone() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 2)]);
    quiet_settings(dir.path(), |_| {});
    let mut harness = harness(app(dir.path(), Some(frames)));
    harness.get_by_label("About").click();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("not a medical device").is_some());
    assert!(harness.query_by_label_contains("numbness, tingling or weakness").is_some());
    assert!(harness.query_by_label_contains("no better after a week").is_some());
}

#[test]
fn the_report_screen_shows_the_days_numbers_and_charts_and_moves_between_days() {
    use chrono::{Local, TimeDelta, TimeZone};
    use slouchwatch::history::{HistoryStore, MinuteRow};

    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 2)]);
    quiet_settings(dir.path(), |_| {});
    {
        // Today from 09:00 local: 30 minutes upright, then 15 with the head forward.
        let (store, _) = HistoryStore::open(&dir.path().join("data")).unwrap();
        let nine = Local
            .from_local_datetime(&Local::now().date_naive().and_hms_opt(9, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .to_utc();
        for m in 0..45 {
            let mut row = MinuteRow { minute: nine + TimeDelta::minutes(m), monitored_s: 60.0, ..MinuteRow::default() };
            row.head_change_weight_s = 60.0;
            if m < 30 {
                row.good_s = 60.0;
                row.head_change_deg_sum = 60.0 * 5.0;
            } else {
                row.bad_s = 60.0;
                row.problem_s[slouchwatch::posture::Problem::ForwardHead] = 60.0;
                row.head_change_deg_sum = 60.0 * 15.0;
            }
            store.add_minute(&row).unwrap();
        }
    }
    // The desktop's file chooser: a stand-in portal on a private bus, picking a file.
    let bus = common::PrivateBus::start();
    let chosen = dir.path().join("my reports").join("posture today.html");
    let asked = common::portal::serve_file_chooser(&bus.address, Some(chosen.clone()));
    let fallback = dir.path().join("fallback");
    let app = app(dir.path(), Some(frames)).with_report_export(Some(bus.address.clone()), fallback.clone());
    let mut harness = harness(app);
    harness.get_by_label("Report").click();
    // Read off the window's thread: "Reading the history..." until it is in.
    step_until(&mut harness, "the day read", |h| h.query_by_label("Longest upright").is_some());
    harness.run_steps(2);
    // The tiles: upright share against the goal, time watched, warnings, the longest upright
    // stretch; the same numbers as the rest of the day's.
    assert!(harness.query_by_label("67%").is_some(), "the upright tile");
    assert!(harness.query_by_label("30 min upright, goal 75%").is_some());
    assert!(harness.query_by_label("30 min (67%)").is_some(), "upright time and share, agreeing with the tile");
    assert!(harness.query_by_label("45 min").is_some(), "the watched tile");
    assert!(harness.query_by_label("sitting 45 min, standing 0 min").is_some(), "all of it sitting");
    assert!(harness.query_by_label("none held back or disputed").is_some(), "the warnings tile");
    assert!(harness.query_by_label("30 min").is_some() && harness.query_by_label("09:00-09:30").is_some());
    assert!(harness.query_by_label_contains("forward head 15 min").is_some());
    // (30 x 5 + 15 x 15) / 45 degrees of change from upright, against the verdict's limit (the
    // Live screen's scale); no rounding measured.
    assert!(harness.query_by_label_contains("8\u{b0} (warns past").is_some(), "mean forward head change");
    // Once in the hourly chart's legend, once for the rounding that was not measured.
    assert_eq!(harness.query_all_by_label("not judged").count(), 2, "no rounding measured");
    assert!(harness.query_by_label("Last 30 days").is_some());
    click_in_view(&mut harness, "Last 30 days");
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("goal of 75% upright: met 0 days in a row").is_some());
    assert!(harness.query_by_label_contains("A trend shows once 3 days").is_some(), "one day is no trend");

    // Exported where the file chooser said, with a way to open it.
    click_in_view(&mut harness, "Export as HTML...");
    step_until(&mut harness, "the export", |h| h.query_by_label_contains("Saved as").is_some());
    let suggested = format!("slouchwatch-report-{}.html", Local::now().date_naive());
    assert_eq!(*asked.lock().unwrap(), [suggested], "the chooser was offered the day's file name");
    assert!(chosen.is_file(), "saved where the chooser said");
    assert!(std::fs::read_to_string(&chosen).unwrap().contains("<html"), "as a web page");
    assert!(!fallback.exists(), "not in the fallback folder");
    assert!(harness.query_by_label("Open").is_some());
    assert!(harness.query_by_label_contains("No file chooser answered").is_none());

    harness.get_by_label("< Previous day").click();
    // The click is applied after the frame it lands in; the next frame draws the new day.
    harness.run_steps(2);
    // Another day's numbers never stand under this day's heading while it is read.
    assert!(harness.query_by_label("30 min (67%)").is_none(), "today's numbers went with the day");
    step_until(&mut harness, "yesterday read", |h| h.query_by_label("Nothing was recorded on this day.").is_some());
    harness.get_by_label("Today").click();
    step_until(&mut harness, "today read again", |h| h.query_by_label("30 min (67%)").is_some());
}

#[test]
fn without_a_file_chooser_the_report_is_exported_to_the_default_folder_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 2)]);
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    quiet_settings(dir.path(), |_| {});
    // A bus with no portal on it.
    let bus = common::PrivateBus::start();
    let fallback = dir.path().join("Downloads");
    let app = app(dir.path(), Some(frames)).with_report_export(Some(bus.address.clone()), fallback.clone());
    let mut harness = harness(app);
    harness.get_by_label("Report").click();
    step_until(&mut harness, "the day read", |h| {
        h.query_by_label("Export as HTML...").is_some_and(|_| h.query_by_label("Reading the history...").is_none())
    });
    harness.get_by_label("Export as HTML...").click();
    step_until(&mut harness, "the export", |h| h.query_by_label_contains("Saved as").is_some());
    let saved = fallback.join(format!("slouchwatch-report-{}.html", chrono::Local::now().date_naive()));
    assert!(saved.is_file(), "saved in the default folder");
    assert!(harness.query_by_label_contains("No file chooser answered").is_some(), "and says why");
}

#[test]
fn without_a_camera_the_wizard_says_so_within_seconds_and_offers_retry() {
    let dir = tempfile::tempdir().unwrap();
    quiet_settings(dir.path(), |settings| settings.source = "camera:0".into());
    let paths = AppPaths {
        settings: Some(dir.path().join(SETTINGS_FILE)),
        calibration: dir.path().join("calibration.json"),
        data_dir: Some(dir.path().join("data")),
        autostart: Some(LoginEntry::Folder(dir.path().join("autostart"))),
    };
    let catalog = Catalog::built_in().unwrap();
    let overrides = EngineOverrides { data_dir: Some(dir.path().join("data")), ..EngineOverrides::default() };
    let mut harness = harness(SlouchApp::new(paths, engine_starter(overrides, catalog.clone()), catalog));
    harness.step();
    assert_eq!(harness.state().screen(), Screen::Calibration, "first start opens the wizard");
    get_started(&mut harness);
    let started = Instant::now();
    while harness.query_by_label_contains("No camera picture").is_none() {
        assert!(started.elapsed() < Duration::from_secs(5), "no message about the camera within 5 s");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(harness.query_by_label("Retry").is_some());
    assert!(harness.query_by_label("Start").is_none(), "nothing to start without a picture");
}

#[test]
fn calibration_can_be_cancelled_and_uncalibrated_time_is_not_called_good() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 400)]);
    quiet_settings(dir.path(), |_| {});
    let mut harness = harness(app(dir.path(), Some(frames)));
    harness.step();
    get_started(&mut harness);
    step_until(&mut harness, "the framing check", |h| h.query_by_label_contains("Good framing").is_some());
    harness.get_by_label("Start").click();
    step_until(&mut harness, "the countdown", |h| h.query_by_label("Cancel").is_some());
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert!(harness.query_by_label("Start").is_some(), "back to the start");
    assert!(harness.state().calibration().is_none());

    harness.get_by_label("Live").click();
    step_until(&mut harness, "the not-calibrated status", |h| h.query_by_label("Not calibrated").is_some());
    assert!(harness.query_by_label("Posture is not judged yet").is_some(), "why, under it");
    assert!(harness.query_by_label("Good posture").is_none(), "never good without a calibration");
}

#[test]
fn a_capture_that_gets_no_pictures_ends_with_a_reason_instead_of_waiting_for_ever() {
    let dir = tempfile::tempdir().unwrap();
    let frames = dir.path().join("frames");
    // A replay that ends (the camera "stops") before the capture begins.
    write_frames(&frames, &[(&upright(), 6)]);
    quiet_settings(dir.path(), |_| {});
    let mut harness = harness(app(dir.path(), Some(frames)));
    step_until(&mut harness, "the replay's end", |h| h.state().engine_finished());
    get_started(&mut harness);
    harness.get_by_label("Start").click();
    step_until(&mut harness, "the stalled capture's message", |h| {
        h.query_by_label_contains("No usable camera picture came for").is_some()
    });
    assert!(harness.query_by_label("Try again").is_some());
}

#[test]
fn a_stretch_from_the_stretches_screen_plays_in_the_sheet_and_stop_ends_it_uncounted() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = calibrated_upright_window(dir.path());
    harness.get_by_label("Stretches").click();
    harness.run_steps(2);
    harness.get_by_label("Start timer: Chin tuck").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Stop").is_some(), "the sheet, with its timer running");
    assert!(harness.query_by_label_contains("Hold, round 1").is_some());
    assert!(harness.query_by_label("Under way in the stretch sheet.").is_some(), "its card says where it is");
    // As a screen reader presses it (a pointer's click can land while the sheet still fades in).
    harness.get_by_label("Stop").click_accesskit();
    harness.run_steps(3);
    assert!(harness.query_by_label("Stop").is_none(), "the sheet is gone");
    assert!(harness.query_by_label_contains("Well done: ").is_none(), "not counted");
}

/// The interactive widgets of the screen shown that reach past the window's left or right edge
/// (`width` points wide), as "role 'label' at x0..x1".
fn controls_outside(harness: &Harness<'static, SlouchApp>, width: f32) -> Vec<String> {
    use egui::accesskit::Role;
    use egui_kittest::kittest::NodeT;
    const INTERACTIVE: [Role; 9] = [
        Role::Button,
        Role::CheckBox,
        Role::RadioButton,
        Role::Slider,
        Role::TextInput,
        Role::ComboBox,
        Role::Link,
        Role::SpinButton,
        Role::MenuItem,
    ];
    let mut outside = Vec::new();
    let mut seen = 0;
    for node in harness.query_all_by(|node| INTERACTIVE.contains(&node.role())) {
        seen += 1;
        let rect = node.rect();
        // Half a point of slack for rounding.
        if rect.min.x < -0.5 || rect.max.x > width + 0.5 {
            let label = node.accesskit_node().label().unwrap_or_default();
            outside.push(format!(
                "{:?} '{label}' at x {:.0}..{:.0}",
                node.accesskit_node().role(),
                rect.min.x,
                rect.max.x
            ));
        }
    }
    assert!(seen > 0, "no controls found at all");
    outside
}

#[test]
fn every_control_lies_inside_the_window_at_480_800_and_1280_wide() {
    let dir = tempfile::tempdir().unwrap();
    let calibration = dir.path().join("calibration.json");
    calibrate_on_astronaut(&calibration);
    for width in [480.0, 800.0, 1280.0] {
        let config = dir.path().join(format!("w{width}"));
        std::fs::create_dir_all(&config).unwrap();
        std::fs::copy(&calibration, config.join("calibration.json")).unwrap();
        quiet_settings(&config, |_| {});
        let frames = config.join("frames");
        write_frames(&frames, &[(&upright(), 10), (&too_close(), 300)]);
        let mut harness = Harness::builder()
            .with_size([width, 800.0])
            .build_ui_state(|ui, app: &mut SlouchApp| app.show(ui), app(&config, Some(frames)));
        egui_extras::install_image_loaders(&harness.ctx);
        step_until(&mut harness, "the warning", |h| h.query_by_label("Time to sit up").is_some());
        let mut problems: Vec<String> =
            controls_outside(&harness, width).into_iter().map(|p| format!("{width} Live+warning: {p}")).collect();
        // The stretch sheet over it.
        harness.get_by_label_contains("Start ").click();
        harness.run_steps(3);
        problems.extend(controls_outside(&harness, width).into_iter().map(|p| format!("{width} stretch sheet: {p}")));
        harness.get_by_label("Stop").click_accesskit();
        harness.run_steps(3);
        for tab in ["Calibrate", "Stretches", "Report", "Settings", "About", "Live"] {
            harness.get_by_label(tab).click();
            harness.run_steps(4);
            problems.extend(controls_outside(&harness, width).into_iter().map(|p| format!("{width} {tab}: {p}")));
        }
        // The first run's welcome and position step, without a calibration.
        let fresh = dir.path().join(format!("fresh{width}"));
        std::fs::create_dir_all(&fresh).unwrap();
        quiet_settings(&fresh, |_| {});
        let frames = fresh.join("frames");
        write_frames(&frames, &[(&upright(), 50)]);
        let mut first = Harness::builder()
            .with_size([width, 800.0])
            .build_ui_state(|ui, app: &mut SlouchApp| app.show(ui), app(&fresh, Some(frames)));
        first.run_steps(3);
        problems.extend(controls_outside(&first, width).into_iter().map(|p| format!("{width} welcome: {p}")));
        get_started(&mut first);
        problems.extend(controls_outside(&first, width).into_iter().map(|p| format!("{width} position: {p}")));
        assert!(problems.is_empty(), "controls outside the window:\n{}", problems.join("\n"));
    }
}

/// `dbus-send --print-reply` on the bus at `address`; its printed reply.
fn dbus_send(address: &str, args: &[&str]) -> String {
    let output = std::process::Command::new("dbus-send")
        .arg(format!("--bus={address}"))
        .arg("--print-reply")
        .args(args)
        .output()
        .expect("dbus-send runs (bash scripts/setup-debian.sh installs it)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A window with a calibration and quiet settings in `dir`, watching a replay of upright frames.
fn calibrated_upright_window(dir: &Path) -> Harness<'static, SlouchApp> {
    calibrate_on_astronaut(&dir.join("calibration.json"));
    quiet_settings(dir, |_| {});
    let frames = dir.join("frames");
    write_frames(&frames, &[(&upright(), 400)]);
    harness(app(dir, Some(frames)))
}

#[test]
fn the_tray_icon_registers_follows_the_state_and_its_menu_pauses_and_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = calibrated_upright_window(dir.path());

    // Without a tray host the window says why and goes on.
    let private_bus = common::PrivateBus::start();
    let address = private_bus.address.clone();
    let ctx = harness.ctx.clone();
    let refused = harness.state_mut().start_tray(&ctx, Some(&address)).expect_err("no tray host yet").to_string();
    assert!(refused.contains("no tray host"), "{refused}");

    // A panel's registry on the bus.
    let registered = common::tray_host::serve(Some(address.clone()));
    harness.state_mut().start_tray(&ctx, Some(&address)).unwrap();
    let name = registered.lock().unwrap().first().cloned().expect("the item registered with the host");
    assert!(name.starts_with("org.kde.StatusNotifierItem-"), "{name}");

    let tool_tip = || {
        dbus_send(
            &address,
            &[
                &format!("--dest={name}"),
                "/StatusNotifierItem",
                "org.freedesktop.DBus.Properties.Get",
                "string:org.kde.StatusNotifierItem",
                "string:ToolTip",
            ],
        )
    };
    step_until(&mut harness, "an upright verdict", |h| h.query_by_label("Good posture").is_some());
    harness.run_steps(2);
    assert!(tool_tip().contains("\"Good posture\""), "{}", tool_tip());

    // The menu's Pause (item 3) pauses the monitor; the label turns to Resume.
    let click = |id: &str| {
        dbus_send(
            &address,
            &[
                &format!("--dest={name}"),
                "/MenuBar",
                "com.canonical.dbusmenu.Event",
                &format!("int32:{id}"),
                "string:clicked",
                "variant:int32:0",
                "uint32:0",
            ],
        );
    };
    let layout = || {
        dbus_send(
            &address,
            &[
                &format!("--dest={name}"),
                "/MenuBar",
                "com.canonical.dbusmenu.GetLayout",
                "int32:0",
                "int32:-1",
                "array:string:",
            ],
        )
    };
    assert!(layout().contains("\"Pause\"") && layout().contains("\"Snooze 15 min\""), "{}", layout());
    click("3");
    step_until(&mut harness, "the pause", |h| h.query_by_label_contains("Paused").is_some());
    harness.run_steps(2);
    assert!(tool_tip().contains("Paused"), "{}", tool_tip());
    assert!(layout().contains("\"Resume\""), "{}", layout());
    click("3");
    step_until(&mut harness, "monitoring again", |h| h.query_by_label("Good posture").is_some());
    assert!(tool_tip().contains("\"Good posture\""), "{}", tool_tip());
    drop(private_bus);
}

#[test]
fn closing_explains_the_tray_once_then_closes_to_it_carrying_the_pause() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = calibrated_upright_window(dir.path());
    let close = |harness: &mut Harness<'static, SlouchApp>| {
        harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::W);
        harness.run_steps(3);
    };

    // Without a tray, closing is closing: nothing to explain, and monitoring ends.
    let untrayed = tempfile::tempdir().unwrap();
    let mut alone = calibrated_upright_window(untrayed.path());
    assert!(press_command(&mut alone, egui::Key::W), "the window closes");
    assert!(!alone.state().explaining_close());
    assert_eq!(window_exit(&mut alone), slouchwatch::ui::WindowExit::Quit);

    let private_bus = common::PrivateBus::start();
    let _registered = common::tray_host::serve(Some(private_bus.address.clone()));
    let ctx = harness.ctx.clone();
    harness.state_mut().start_tray(&ctx, Some(&private_bus.address)).unwrap();
    step_until(&mut harness, "an upright verdict", |h| h.query_by_label("Good posture").is_some());
    harness.get_by_label("Pause monitoring").click();
    step_until(&mut harness, "the pause", |h| h.query_by_label("Resume").is_some());

    // With one, the first close says that monitoring goes on, and how to quit.
    close(&mut harness);
    assert!(harness.state().explaining_close());
    assert!(harness.query_by_label_contains("its menu opens this window again").is_some());
    harness.get_by_label("Close to the tray").click();
    harness.run_steps(3);
    assert!(!harness.state().explaining_close());
    let (saved, _) = settings::load(&dir.path().join(SETTINGS_FILE));
    assert!(saved.close_to_tray_explained, "explained once, not at every close");

    // The window's engine hands its pause to the tray's.
    let exit = harness.state().exit();
    harness.state_mut().shut_down();
    let carried = slouchwatch::engine::Carry { paused: true, paused_until: None, snoozed_until: None };
    assert_eq!(*exit.lock().unwrap(), slouchwatch::ui::WindowExit::ToTray(carried));
    drop(private_bus);
}

/// Runs `frames` frames the way a desktop runs the window: a close the window asks for (Quit,
/// Ctrl+W, a dialog's button) comes back as the desktop's close request the next frame, and the
/// window closes unless that frame cancels it. Whether it closed.
fn desktop_frames(harness: &mut Harness<'static, SlouchApp>, frames: usize) -> bool {
    let root = egui::ViewportId::ROOT;
    for _ in 0..frames {
        let requested = harness
            .input_mut()
            .viewports
            .get(&root)
            .is_some_and(|viewport| viewport.events.contains(&egui::ViewportEvent::Close));
        harness.step();
        // Any key held for a shortcut is let go after its frame.
        harness.input_mut().events.push(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
        let commands = &harness.output().viewport_output[&root].commands;
        if requested && !commands.contains(&egui::ViewportCommand::CancelClose) {
            return true;
        }
        if commands.contains(&egui::ViewportCommand::Close) {
            harness.input_mut().viewports.entry(root).or_default().events.push(egui::ViewportEvent::Close);
        }
    }
    false
}

/// Presses Ctrl+`key` within one frame (as a desktop delivers it), then runs the desktop's
/// frames; whether the window closed.
fn press_command(harness: &mut Harness<'static, SlouchApp>, key: egui::Key) -> bool {
    let input = harness.input_mut();
    input.events.push(egui::Event::ModifiersChanged(egui::Modifiers::COMMAND));
    for pressed in [true, false] {
        input.events.push(egui::Event::Key {
            key,
            pressed,
            modifiers: egui::Modifiers::COMMAND,
            repeat: false,
            physical_key: None,
        });
    }
    desktop_frames(harness, 6)
}

/// How the window left: quit, or to the tray.
fn window_exit(harness: &mut Harness<'static, SlouchApp>) -> slouchwatch::ui::WindowExit {
    let exit = harness.state().exit();
    harness.state_mut().shut_down();
    *exit.lock().unwrap()
}

/// A calibrated window watching upright frames, with a tray icon on `bus`; `explained`: the
/// first close to the tray has been explained already.
fn window_with_tray(dir: &Path, bus: &common::PrivateBus, explained: bool) -> Harness<'static, SlouchApp> {
    calibrate_on_astronaut(&dir.join("calibration.json"));
    quiet_settings(dir, |settings| settings.close_to_tray_explained = explained);
    let frames = dir.join("frames");
    write_frames(&frames, &[(&upright(), 400)]);
    let mut harness = harness(app(dir, Some(frames)));
    let ctx = harness.ctx.clone();
    harness.state_mut().start_tray(&ctx, Some(&bus.address)).unwrap();
    step_until(&mut harness, "an upright verdict", |h| h.query_by_label("Good posture").is_some());
    harness
}

#[test]
fn quit_from_the_window_ends_monitoring_while_closing_goes_to_the_tray() {
    use slouchwatch::ui::WindowExit;
    let private_bus = common::PrivateBus::start();
    let _registered = common::tray_host::serve(Some(private_bus.address.clone()));

    // Ctrl+Q with a tray to go to, and the close already explained: it quits, it does not hide.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window_with_tray(dir.path(), &private_bus, true);
    assert!(press_command(&mut harness, egui::Key::Q), "the window closes");
    assert_eq!(window_exit(&mut harness), WindowExit::Quit);

    // Ctrl+Q before the close was ever explained: no explanation of the tray, it quits.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window_with_tray(dir.path(), &private_bus, false);
    assert!(press_command(&mut harness, egui::Key::Q), "the window closes");
    assert!(!harness.state().explaining_close());
    assert_eq!(window_exit(&mut harness), WindowExit::Quit);

    // The first close explains the tray: Cancel stays, and its "Quit slouchwatch" quits.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window_with_tray(dir.path(), &private_bus, false);
    assert!(!press_command(&mut harness, egui::Key::W), "the close waits for the explanation");
    assert!(harness.state().explaining_close());
    harness.get_by_label("Cancel").click();
    assert!(!desktop_frames(&mut harness, 6), "Cancel keeps the window");
    assert!(!harness.state().explaining_close());
    step_until(&mut harness, "monitoring on", |h| h.query_by_label("Good posture").is_some());
    assert!(!press_command(&mut harness, egui::Key::W), "asked again: nothing was chosen");
    assert!(harness.state().explaining_close());
    harness.get_by_label("Quit slouchwatch").click();
    assert!(desktop_frames(&mut harness, 6), "the window closes");
    assert_eq!(window_exit(&mut harness), WindowExit::Quit);

    // Ctrl+W, explained: to the tray, monitoring goes on.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window_with_tray(dir.path(), &private_bus, true);
    assert!(press_command(&mut harness, egui::Key::W), "the window closes");
    assert!(matches!(window_exit(&mut harness), WindowExit::ToTray(_)));

    // The close button (the desktop asks), explained: to the tray too.
    let dir = tempfile::tempdir().unwrap();
    let mut harness = window_with_tray(dir.path(), &private_bus, true);
    harness.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
    assert!(desktop_frames(&mut harness, 1), "the window closes");
    assert!(matches!(window_exit(&mut harness), WindowExit::ToTray(_)));
    drop(private_bus);
}

#[test]
fn settings_apply_as_they_change_and_a_field_being_typed_in_is_kept_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = calibrated_upright_window(dir.path());
    harness.get_by_label("Settings").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Changes apply as you make them.").is_some());
    click_in_view(&mut harness, "Dark theme");
    harness.run_steps(3);
    assert!(harness.state().settings().dark_mode && !harness.state().settings_unsaved());
    assert!(harness.query_by_label("Saved.").is_some(), "the outcome is said");
    let (saved, _) = settings::load(&dir.path().join(SETTINGS_FILE));
    assert!(saved.dark_mode, "saved as it changed");

    // Typing in a field is applied when it is left: here by quitting with Ctrl+Q.
    // The command field, the page's one text field.
    let field = || egui::accesskit::Role::TextInput;
    harness.get_by_role(field()).scroll_to_me();
    harness.run_steps(3);
    harness.get_by_role(field()).focus();
    harness.run_steps(2);
    harness.get_by_role(field()).type_text("true");
    harness.run_steps(2);
    assert!(harness.state().settings_unsaved(), "not applied while typing");
    assert!(press_command(&mut harness, egui::Key::Q), "the window closes");
    assert_eq!(window_exit(&mut harness), slouchwatch::ui::WindowExit::Quit);
    let (saved, _) = settings::load(&dir.path().join(SETTINGS_FILE));
    assert_eq!(saved.hook_command, "true", "what was typed is kept");
}

#[test]
fn a_snooze_can_be_ended_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    quiet_settings(dir.path(), |settings| settings.cooldown_min = 0);
    let frames = dir.path().join("frames");
    let (upright, too_close) = (upright(), too_close());
    write_frames(&frames, &[(&upright, 10), (&too_close, 80), (&upright, 20), (&too_close, 80), (&upright, 4)]);
    let mut harness = harness(app(dir.path(), Some(frames)));
    step_until(&mut harness, "the warning", |h| h.query_by_label("Time to sit up").is_some());
    assert!(harness.query_by_label("End snooze").is_none(), "nothing to end");
    harness.get_by_label("Snooze").click();
    harness.run_steps(2);
    harness.get_by_label("15 minutes").click();
    step_until(&mut harness, "the snooze", |h| h.query_by_label("End snooze").is_some());
    harness.get_by_label("End snooze").click();
    step_until(&mut harness, "the end of the snooze", |h| h.query_by_label("End snooze").is_none());
    assert!(harness.query_by_label_contains("Snooze ended: posture warnings are on again").is_some());

    // The next slouch warns again: the snooze is really over.
    step_until(&mut harness, "the end of the replay", |h| h.state().engine_finished());
    let log = harness.state().events_seen();
    assert_eq!(log.iter().filter(|kind| *kind == "warning").count(), 2, "{log:?}");
    assert!(!log.iter().any(|kind| kind == "warning_snoozed"), "{log:?}");
}

#[test]
fn a_stretch_started_from_a_warning_outlives_it_until_finished_with() {
    let dir = tempfile::tempdir().unwrap();
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    quiet_settings(dir.path(), |_| {});
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 10), (&too_close(), 80), (&upright(), 300)]);
    let mut harness = harness(app(dir.path(), Some(frames)));
    step_until(&mut harness, "the warning", |h| h.query_by_label("Time to sit up").is_some());

    // The banner's problems are the bars drawn over their limits, with the same numbers.
    assert!(harness.query_by_label_contains("You have moved close to the screen").is_some());
    let closer = closer_row(&harness);
    assert!(closer.contains("(back under") || over_limit(&closer), "the bar of the warned problem: {closer}");
    // In a narrow window (this one is 760 wide) those bars come before the picture, in sight.
    let row = harness.get_by_label("Closer to the screen").rect();
    let picture = harness.get_by_label("Show camera picture").rect();
    assert!(row.max.y < picture.min.y, "the warned bars above the picture: {row:?} vs {picture:?}");

    // The primary action opens the stretch sheet with its timer running.
    harness.get_by_label_contains("Start ").click();
    harness.run_steps(3);
    assert!(harness.query_by_label("Stop").is_some(), "the sheet's timer runs");
    // Sitting up (the stretch's aim) ends the warning: the sheet stays, timer running.
    step_until(&mut harness, "the warning's end", |h| h.query_by_label("Time to sit up").is_none());
    harness.run_steps(2);
    assert!(harness.query_by_label("Stop").is_some(), "the sheet outlives the warning");
    // Still counting (the chin tuck's 5 s holds may be in a later round or a rest by now).
    let counting =
        harness.query_by_label_contains(", round ").is_some() || harness.query_by_label_contains("Rest: ").is_some();
    assert!(counting, "{:?}", harness.state().events_seen());
    assert!(harness.query_by_label("Done").is_none(), "Done only once it is done");

    // Once the timer has run out, it says so and ends with one Done.
    let now = harness.ctx.input(|input| input.time);
    harness.input_mut().time = Some(now + 3600.0);
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Finished. Well done!").is_some());
    assert!(harness.query_by_label("Stop").is_none(), "nothing left to stop");
    harness.get_by_label("Done").click_accesskit();
    harness.run_steps(3);
    assert!(harness.query_by_label("Done").is_none(), "finished with: the sheet is gone");
    assert!(harness.query_by_label_contains("Finished. Well done!").is_none());
    assert!(harness.query_by_label_contains("Well done: ").is_some(), "counted, and said so");
}

/// The "Closer to the screen" measure's words, e.g. "31% (warns past 15%)": the grid's last row.
fn closer_row(harness: &Harness<'static, SlouchApp>) -> String {
    use egui_kittest::kittest::NodeT;
    harness
        .query_all_by_label_contains("% (")
        .filter_map(|node| node.accesskit_node().value().or_else(|| node.accesskit_node().label()))
        // The last of the rows in percent (shoulders raised is the other).
        .next_back()
        .expect("the closer-to-the-screen row")
}

/// Whether a measure's words ("31% (over the 15% limit)") say its value is past its limit,
/// and the numbers agree.
fn over_limit(words: &str) -> bool {
    let number = |text: &str| text.trim_matches(|c: char| !c.is_ascii_digit()).parse::<f32>().ok();
    let Some((value, rest)) = words.split_once(" (over the ") else { return false };
    matches!((number(value), number(rest)), (Some(value), Some(limit)) if value > limit)
}

#[test]
fn the_end_of_a_replay_is_said_as_such() {
    let dir = tempfile::tempdir().unwrap();
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    quiet_settings(dir.path(), |_| {});
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 6)]);
    let mut harness = harness(app(dir.path(), Some(frames)));
    step_until(&mut harness, "the replay's end", |h| h.state().engine_finished());
    harness.run_steps(2);
    let (headline, why) = slouchwatch::ui::panels::REPLAY_ENDED.split_once(": ").unwrap();
    assert!(harness.query_by_label(headline).is_some(), "said as the state");
    assert!(harness.query_by_label_contains(&why[1..]).is_some(), "with why (capitalised)");
    assert!(harness.query_by_label_contains("Cannot see you clearly").is_none());
}

#[test]
fn the_desktop_portal_file_chooser_is_asked_and_its_answer_taken() {
    use slouchwatch::ui::report::{Chosen, choose_save_file};
    let bus = common::PrivateBus::start();
    let picked = PathBuf::from("/tmp/some folder/report.html");
    let asked = common::portal::serve_file_chooser(&bus.address, Some(picked.clone()));
    let answer = choose_save_file(Some(bus.address.clone()), "day.html".into(), None);
    let chosen = answer.recv_timeout(Duration::from_secs(20)).expect("an answer");
    assert_eq!(chosen, Chosen::File(picked));
    assert_eq!(*asked.lock().unwrap(), ["day.html"]);

    // Cancelled: nothing to save.
    let bus = common::PrivateBus::start();
    common::portal::serve_file_chooser(&bus.address, None);
    let answer = choose_save_file(Some(bus.address.clone()), "day.html".into(), None);
    assert_eq!(answer.recv_timeout(Duration::from_secs(20)).expect("an answer"), Chosen::Cancelled);
}

/// The interactive controls of the screen shown that a screen reader would read without a name.
fn controls_without_names(harness: &Harness<'static, SlouchApp>) -> Vec<String> {
    use egui::accesskit::Role;
    use egui_kittest::kittest::NodeT;
    const NAMED: [Role; 6] =
        [Role::Button, Role::CheckBox, Role::RadioButton, Role::Slider, Role::TextInput, Role::ComboBox];
    harness
        .query_all_by(|node| NAMED.contains(&node.role()))
        .filter(|node| node.accesskit_node().label().is_none_or(|label| label.trim().is_empty()))
        .map(|node| format!("{:?} at {:?}", node.accesskit_node().role(), node.rect()))
        .collect()
}

#[test]
fn every_control_has_a_name_a_screen_reader_reads_and_the_warning_works_from_the_keyboard() {
    use egui_kittest::kittest::NodeT;
    let dir = tempfile::tempdir().unwrap();
    calibrate_on_astronaut(&dir.path().join("calibration.json"));
    quiet_settings(dir.path(), |_| {});
    let frames = dir.path().join("frames");
    write_frames(&frames, &[(&upright(), 10), (&too_close(), 300)]);
    let mut harness = harness(app(dir.path(), Some(frames)));
    step_until(&mut harness, "the status", |h| h.query_by_label("Good posture").is_some());
    // Today's ring says what it shows, with the same share as the today line.
    assert!(harness.query_by_label("upright today, goal 75%").is_some(), "the ring has words");
    step_until(&mut harness, "a share upright", |h| h.query_by_label_contains(" upright (").is_some());
    let today = {
        let node = harness.get_by_label_contains("Today: ");
        let node = node.accesskit_node();
        node.value().or_else(|| node.label()).unwrap_or_default()
    };
    let share =
        today.split_once(" upright (").and_then(|(_, rest)| rest.split_once(')')).map(|(share, _)| share.to_owned());
    let share = share.expect("the today line gives a share");
    assert!(harness.query_by_label(&share).is_some(), "the ring shows {share} too");

    // The warning's primary action, reached with Tab and pressed with Enter, opens the stretch.
    step_until(&mut harness, "the warning", |h| h.query_by_label("Time to sit up").is_some());
    let mut reached = false;
    for _ in 0..40 {
        harness.key_press(egui::Key::Tab);
        harness.run_steps(1);
        let focused = {
            use egui_kittest::kittest::NodeT;
            harness.query_by(|node| node.is_focused()).and_then(|node| node.accesskit_node().label())
        };
        if focused.is_some_and(|label| label.starts_with("Start ")) {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the suggested stretch");
    harness.key_press(egui::Key::Enter);
    harness.run_steps(3);
    assert!(harness.query_by_label("Stop").is_some(), "Enter starts it");
    let mut unnamed: Vec<String> =
        controls_without_names(&harness).into_iter().map(|c| format!("sheet: {c}")).collect();
    harness.key_press(egui::Key::Escape);
    harness.run_steps(3);
    assert!(harness.query_by_label("Stop").is_none(), "Escape ends the stretch");

    for tab in ["Live", "Calibrate", "Stretches", "Report", "Settings", "About"] {
        harness.get_by_label(tab).click();
        harness.run_steps(4);
        unnamed.extend(controls_without_names(&harness).into_iter().map(|c| format!("{tab}: {c}")));
        if tab == "Settings" {
            // A slider is read by its row's label.
            let slider = harness.query_by_role_and_label(egui::accesskit::Role::Slider, "Looks per second");
            assert!(slider.is_some(), "the slider is named by its row");
        }
    }
    assert!(unnamed.is_empty(), "controls without a name:\n{}", unnamed.join("\n"));
}

/// Live for a calibration with the face in it, and for one made before slouchwatch read faces
/// (the same calibration with its face taken out): the first has the "Slumped low" bar; the
/// second has none and says how to get it, and still judges the rest.
#[test]
fn a_calibration_without_the_face_says_how_to_get_slumping_measured() {
    for with_face in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("calibration.json");
        calibrate_on_astronaut(&path);
        if !with_face {
            let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            json["front"].as_object_mut().unwrap().remove("face").expect("a face in the new calibration");
            std::fs::write(&path, json.to_string()).unwrap();
        }
        quiet_settings(dir.path(), |_| {});
        let frames = dir.path().join("frames");
        write_frames(&frames, &[(&upright(), 40)]);
        let mut harness = harness(app(dir.path(), Some(frames)));
        step_until(&mut harness, "a verdict", |h| h.query_all_by_label_contains("(warns past").next().is_some());
        let hint = harness.query_by_label_contains("Slumping low is not measured").is_some();
        let row = harness.query_by_label("Slumped low").is_some();
        assert_eq!((row, hint), (with_face, !with_face), "with the face in the calibration: {with_face}");
        assert!(harness.query_by_label("Head down").is_some(), "the other measures go on");
    }
}
