//! Reading and writing the calibration file: the I/O edge around
//! [`posture::Calibration`](crate::posture::Calibration)'s JSON.

use std::path::{Path, PathBuf};

use crate::posture::{Calibration, CalibrationFileError};

/// A calibration file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationIoError {
    /// No file at the path.
    #[error("no calibration file at {path}: run `slouchwatch calibrate` first, or check the path")]
    Missing {
        /// The path.
        path: PathBuf,
    },
    /// The file exists but could not be read or written.
    #[error("cannot {action} calibration file {path}: {source}")]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The content is not a usable calibration.
    #[error("{path}: {source}")]
    Content {
        /// The path.
        path: PathBuf,
        /// What is wrong with it.
        source: CalibrationFileError,
    },
}

/// Reads a calibration file.
pub fn load(path: &Path) -> Result<Calibration, CalibrationIoError> {
    let text = std::fs::read_to_string(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => CalibrationIoError::Missing { path: path.to_owned() },
        _ => CalibrationIoError::Io { action: "read", path: path.to_owned(), source },
    })?;
    Calibration::from_json(&text).map_err(|source| CalibrationIoError::Content { path: path.to_owned(), source })
}

/// Writes a calibration file, creating its folder. Writes a temporary file and renames it over
/// the old one, so a full disk or a crash never leaves half a calibration behind.
pub fn save(path: &Path, calibration: &Calibration) -> Result<(), CalibrationIoError> {
    let io_error = |source| CalibrationIoError::Io { action: "write", path: path.to_owned(), source };
    crate::files::private::write_atomically(path, (calibration.to_json() + "\n").as_bytes()).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::posture::CalibrationFileError;

    #[test]
    fn missing_and_damaged_files_are_named_errors() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.json");
        let error = load(&missing).unwrap_err();
        assert!(matches!(error, CalibrationIoError::Missing { .. }));
        assert!(error.to_string().contains("slouchwatch calibrate"));

        let damaged = dir.path().join("damaged.json");
        std::fs::write(&damaged, "{\"version\": 1, \"placement\": ").unwrap();
        let error = load(&damaged).unwrap_err();
        assert!(matches!(error, CalibrationIoError::Content { source: CalibrationFileError::Corrupt { .. }, .. }));
        assert!(error.to_string().contains("damaged.json") && error.to_string().contains("calibrate again"));
    }
}
