//! Property tests: the settings and calibration readers never panic on any input (random text,
//! random bytes, and valid files truncated or with bytes changed); they either read the file or
//! say what is wrong, and a damaged settings file is kept as a backup.

mod common;

use proptest::prelude::*;
use slouchwatch::images::load_rgb;
use slouchwatch::pose::{ModelChoice, PoseEstimator};
use slouchwatch::posture::{self, Calibration, PlacementSetting};
use slouchwatch::settings::{self, SETTINGS_FILE, Settings};

/// A real calibration file's text, from the astronaut photo.
fn valid_calibration() -> String {
    let photo = load_rgb(&common::fixture("astronaut.png")).unwrap();
    let pose = PoseEstimator::load(&ModelChoice::Lightning).unwrap().estimate(&photo).unwrap();
    posture::calibrate(&vec![pose; 10], photo.dimensions(), PlacementSetting::Auto).unwrap().to_json()
}

/// `text` with bytes changed at the given positions, then cut at `keep` bytes.
fn damaged(text: &str, changes: &[(usize, u8)], keep: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for (at, byte) in changes {
        if !bytes.is_empty() {
            let index = at % bytes.len();
            bytes[index] = *byte;
        }
    }
    bytes.truncate(keep.min(bytes.len()));
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn the_calibration_reader_never_panics_on_random_text(text in ".{0,400}") {
        let _ = Calibration::from_json(&text);
    }

    #[test]
    fn the_calibration_reader_never_panics_on_damaged_files(
        changes in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        keep in 0usize..4000,
    ) {
        let text = damaged(&valid_calibration_text(), &changes, keep);
        if let Ok(calibration) = Calibration::from_json(&text) {
            // Whatever was read serialises again.
            let _ = calibration.to_json();
        }
    }

    #[test]
    fn the_settings_reader_never_panics_and_keeps_damaged_files(
        changes in prop::collection::vec((any::<usize>(), any::<u8>()), 0..6),
        keep in 0usize..800,
    ) {
        let valid = serde_json::to_string_pretty(&Settings::default()).unwrap();
        let text = damaged(&valid, &changes, keep);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETTINGS_FILE);
        std::fs::write(&path, &text).unwrap();
        let (_, notice) = settings::load(&path);
        // Loading never changes the file.
        prop_assert_eq!(std::fs::read_to_string(&path).unwrap(), text.clone());
        // A file given up for the defaults is also kept as a backup; a notice that only brings a
        // number into range keeps the rest of the file in use.
        if notice.is_some_and(|notice| notice.contains("the defaults are used")) {
            let backup = std::fs::read_to_string(path.with_extension("json.bak")).unwrap();
            prop_assert_eq!(backup, text);
        }
    }
}

/// The valid calibration text, computed once.
fn valid_calibration_text() -> String {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(valid_calibration).clone()
}

#[test]
fn the_valid_calibration_reads_back() {
    let text = valid_calibration_text();
    assert_eq!(Calibration::from_json(&text).unwrap().to_json(), text);
}
