//! Files that hold measurements of a person (the history, the calibration, the settings) are
//! created readable and writable by their owner only (0600, folders 0700, on Unix; on Windows a
//! new folder's access list lets in its owner and the system only, and its files inherit it).
//! Existing folders keep their permissions: a folder passed with `--data-dir` may be shared on
//! purpose.

use std::io;
use std::path::Path;

/// Permissions of a private file.
#[cfg(unix)]
pub const FILE_MODE: u32 = 0o600;
/// Permissions of a private folder slouchwatch creates.
#[cfg(unix)]
pub const FOLDER_MODE: u32 = 0o700;

/// Creates `path` and any missing parents, new ones private.
pub fn create_folder(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, FOLDER_MODE);
    #[cfg(windows)]
    let new = !path.exists();
    builder.create(path)?;
    // Windows: the new folder's access list lets in its owner only, and what is made inside
    // inherits it (the parents slouchwatch made first are inside the profile, private already).
    // A drive without permissions (FAT, some network shares) refuses: the folder is still used.
    #[cfg(windows)]
    if new && let Err(error) = crate::win32::acl::make_private(path) {
        tracing::warn!(
            "{} could not be made private to you ({error}); it keeps its drive's permissions",
            path.display()
        );
    }
    Ok(())
}

/// Creates an empty private file at `path` if nothing is there (SQLite then opens it; its
/// journal files take the database file's permissions).
pub fn create_file_if_missing(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(error),
    }
}

/// Writes `contents` to `path` through a private temporary file renamed into place, so a crash
/// never leaves half a file.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    if let Some(parent) = path.parent().filter(|parent| !parent.as_os_str().is_empty()) {
        create_folder(parent)?;
    }
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = std::path::PathBuf::from(temporary);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    let mut file = options.open(&temporary)?;
    io::Write::write_all(&mut file, contents)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temporary, path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_and_folders_are_the_owners_only() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("a").join("b");
        create_folder(&folder).unwrap();
        assert_eq!((mode(&dir.path().join("a")), mode(&folder)), (FOLDER_MODE, FOLDER_MODE));
        let file = folder.join("history");
        create_file_if_missing(&file).unwrap();
        assert_eq!(mode(&file), FILE_MODE);
        write_atomically(&folder.join("calibration.json"), b"{}").unwrap();
        assert_eq!(mode(&folder.join("calibration.json")), FILE_MODE);
        assert_eq!(std::fs::read(folder.join("calibration.json")).unwrap(), b"{}");
    }
}
