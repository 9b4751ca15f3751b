//! Reading and writing the setups file (`setups.json`, beside the calibration file): the I/O
//! edge around [`posture::setups::SetupBook`](crate::posture::setups::SetupBook), and the one-time
//! move of an existing single calibration into it.

use std::path::{Path, PathBuf};

use crate::posture::setups::{SetupBook, SetupError};

/// The setups file's name, in the config folder.
pub const SETUPS_FILE: &str = "setups.json";

/// Where a damaged setups file is moved before a new one is written, so nothing is lost.
pub const DAMAGED_SUFFIX: &str = "damaged";

/// The setups file that goes with a calibration file: beside it.
pub fn path_beside(calibration_file: &Path) -> PathBuf {
    calibration_file.with_file_name(SETUPS_FILE)
}

/// Loads the setups kept beside `calibration_file` ([`path_beside`]), taking that calibration in
/// as the first setup while there is no setups file ([`load`]); returns the setups file's path
/// too. The one way the window, the tray, `run` and `calibrate` find the user's setups.
pub fn load_beside(calibration_file: &Path) -> (PathBuf, Loaded) {
    let path = path_beside(calibration_file);
    let loaded = load(&path, calibration_file);
    (path, loaded)
}

/// A setups file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SetupsIoError {
    /// The file exists but could not be read or written.
    #[error("cannot {action} the setups file {path}: {source}")]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The content is not usable.
    #[error("{path}: {source}")]
    Content {
        /// The path.
        path: PathBuf,
        /// What is wrong with it.
        source: SetupError,
    },
}

/// What [`load`] found.
#[derive(Debug)]
pub struct Loaded {
    /// The setups (empty when there are none yet, or the file could not be used).
    pub book: SetupBook,
    /// Said once to the user: a migration, or why the file could not be used.
    pub notice: Option<String>,
}

/// Reads the setups at `path`. Without that file, an existing single calibration at
/// `legacy_calibration` becomes the first setup and is written to `path` (the old file stays,
/// for older versions of slouchwatch). A damaged file is renamed aside (`.damaged`) and said,
/// so the next save does not destroy it.
pub fn load(path: &Path, legacy_calibration: &Path) -> Loaded {
    match std::fs::read_to_string(path) {
        Ok(text) => match SetupBook::from_json(&text) {
            Ok(book) => Loaded { book, notice: None },
            Err(source) => {
                let aside = path.with_extension(format!("json.{DAMAGED_SUFFIX}"));
                let kept = match std::fs::rename(path, &aside) {
                    Ok(()) => format!("it was kept as {}", aside.display()),
                    Err(error) => format!("it could not be moved aside ({error})"),
                };
                let error = SetupsIoError::Content { path: path.to_owned(), source };
                Loaded { book: SetupBook::default(), notice: Some(format!("{error}; {kept}")) }
            }
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => migrate(path, legacy_calibration),
        Err(source) => {
            let error = SetupsIoError::Io { action: "read", path: path.to_owned(), source };
            Loaded { book: SetupBook::default(), notice: Some(error.to_string()) }
        }
    }
}

fn migrate(path: &Path, legacy_calibration: &Path) -> Loaded {
    let calibration = match super::calibration::load(legacy_calibration) {
        Ok(calibration) => calibration,
        Err(super::calibration::CalibrationIoError::Missing { .. }) => {
            return Loaded { book: SetupBook::default(), notice: None };
        }
        Err(error) => return Loaded { book: SetupBook::default(), notice: Some(error.to_string()) },
    };
    let book = SetupBook::migrated(calibration);
    let name = &book.setups[0].name;
    let notice = match save(path, &book) {
        Ok(()) => format!("your calibration is now the setup \"{name}\"; add others (laptop, standing) in Settings"),
        Err(error) => format!("your calibration is used as the setup \"{name}\", but {error}"),
    };
    Loaded { book, notice: Some(notice) }
}

/// Writes the setups atomically (a temporary file renamed over the old one), creating the folder.
pub fn save(path: &Path, book: &SetupBook) -> Result<(), SetupsIoError> {
    super::private::write_atomically(path, (book.to_json() + "\n").as_bytes()).map_err(|source| SetupsIoError::Io {
        action: "write",
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::calibration::tests::front_pose;
    use crate::posture::{PlacementSetting, calibrate};

    fn calibration() -> crate::posture::Calibration {
        calibrate(&[front_pose(0.0, 0.0, 1.0)], (1280, 720), PlacementSetting::Front).unwrap()
    }

    #[test]
    fn an_existing_calibration_file_migrates_to_the_first_setup_once() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = dir.path().join("calibration.json");
        let path = path_beside(&legacy);
        assert_eq!(path, dir.path().join(SETUPS_FILE));
        // Nothing at all: no setups, nothing to say.
        let loaded = load(&path, &legacy);
        assert!(loaded.book.setups.is_empty() && loaded.notice.is_none());

        super::super::calibration::save(&legacy, &calibration()).unwrap();
        let loaded = load(&path, &legacy);
        assert_eq!(loaded.book.setups.len(), 1);
        assert_eq!(loaded.book.setups[0].name, "Desk");
        assert_eq!(loaded.book.setups[0].calibration, calibration());
        assert!(loaded.notice.unwrap().contains("now the setup \"Desk\""));
        assert!(path.exists() && legacy.exists(), "written, and the old file kept");
        // The second time the setups file is read: no migration, no notice.
        let again = load(&path, &legacy);
        assert_eq!(again.book, loaded.book);
        assert!(again.notice.is_none());
    }

    #[test]
    fn a_damaged_setups_file_is_kept_aside_and_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SETUPS_FILE);
        std::fs::write(&path, "{\"version\": 1, \"setups\": [").unwrap();
        let loaded = load(&path, &dir.path().join("calibration.json"));
        assert!(loaded.book.setups.is_empty());
        let notice = loaded.notice.unwrap();
        assert!(
            notice.contains("damaged") && notice.contains("calibrate again") && notice.contains("kept as"),
            "{notice}"
        );
        assert!(dir.path().join("setups.json.damaged").exists());
        assert!(!path.exists());
    }
}
