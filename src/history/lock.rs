//! The monitoring lock: one slouchwatch at a time writes a history folder. The lock is an
//! advisory lock (`flock` on Linux, `LockFileEx` on Windows) on a file in the folder that holds
//! the owner's process id; it ends when the process does, however it ends.

use std::path::{Path, PathBuf};

/// File in the data folder that the monitoring slouchwatch holds locked; it holds its process id.
pub const LOCK_FILE: &str = "monitor.lock";

/// Another slouchwatch is already monitoring with this history.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "another slouchwatch{} is already monitoring with the history in {folder}: only one may write it. \
     Close the other one first (or use it), or pass --data-dir for a separate history",
    pid.map(|pid| format!(" (process {pid})")).unwrap_or_default()
)]
pub struct AlreadyMonitoring {
    /// The data folder.
    pub folder: PathBuf,
    /// The other process, if it could be read.
    pub pid: Option<u32>,
}

/// Takes the monitoring lock of `data_dir`. `Ok(None)` when no lock file can be made (the
/// folder is not writable: there will be no history to protect either).
pub(super) fn lock_for_monitoring(data_dir: &Path) -> Result<Option<std::fs::File>, AlreadyMonitoring> {
    use std::io::{Read, Seek, Write};
    if crate::files::private::create_folder(data_dir).is_err() {
        return Ok(None);
    }
    let path = data_dir.join(LOCK_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, crate::files::private::FILE_MODE);
    let Ok(mut file) = options.open(&path) else {
        return Ok(None);
    };
    // `flock` on Linux, `LockFileEx` on Windows: the lock ends when the file is closed.
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            // Windows keeps a locked file from being read: then the process is not named.
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            return Err(AlreadyMonitoring { folder: data_dir.to_owned(), pid: text.trim().parse().ok() });
        }
        Err(std::fs::TryLockError::Error(_)) => return Ok(None),
    }
    let _ = file.set_len(0);
    let _ = file.rewind();
    let _ = writeln!(file, "{}", std::process::id());
    Ok(Some(file))
}
