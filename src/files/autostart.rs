//! Start at login: an XDG autostart entry (`$XDG_CONFIG_HOME/autostart/`) on Linux, the user's
//! `Run` registry key on Windows (the value the installer's "Start at login" box writes), each
//! opening slouchwatch in the tray when the person logs in.

use std::path::{Path, PathBuf};

/// The entry's file name (the application's reverse-DNS id).
pub const AUTOSTART_FILE: &str = "io.github.slouchwatch.desktop";
/// The user's registry key of programs started at login (Windows), under `HKEY_CURRENT_USER`.
pub const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";
/// slouchwatch's value in [`RUN_KEY`], the name the installer uses too.
pub const RUN_VALUE: &str = "slouchwatch";

/// Where start at login is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginEntry {
    /// An XDG autostart folder, holding [`AUTOSTART_FILE`].
    Folder(PathBuf),
    /// A value of the user's [`RUN_KEY`] (Windows).
    RunKey(String),
}

impl std::fmt::Display for LoginEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoginEntry::Folder(dir) => write!(f, "{}", dir.display()),
            LoginEntry::RunKey(name) => write!(f, "HKEY_CURRENT_USER\\{RUN_KEY} ({name})"),
        }
    }
}

impl LoginEntry {
    /// This platform's place: the autostart folder (`$XDG_CONFIG_HOME/autostart`, else
    /// `~/.config/autostart`), or the Run key on Windows. `None` elsewhere (the setting is not
    /// offered there).
    pub fn for_this_platform() -> Option<LoginEntry> {
        if cfg!(windows) {
            Some(LoginEntry::RunKey(RUN_VALUE.into()))
        } else if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd")) {
            directories::BaseDirs::new().map(|dirs| LoginEntry::Folder(dirs.config_dir().join("autostart")))
        } else {
            None
        }
    }

    /// Adds (`on`) or removes the entry that starts `program` in the tray. Removing one that is
    /// not there is not an error.
    pub fn set(&self, on: bool, program: &Path) -> std::io::Result<()> {
        match self {
            LoginEntry::Folder(dir) => set_start_at_login(dir, on, program),
            LoginEntry::RunKey(name) => set_run_value(name, on, program),
        }
    }

    /// Whether the entry is there.
    pub fn is_on(&self) -> bool {
        match self {
            LoginEntry::Folder(dir) => starts_at_login(dir),
            LoginEntry::RunKey(name) => run_value(name).is_some(),
        }
    }
}

/// The Run key's value for `program`: the program quoted, opening in the tray.
pub fn run_command(program: &Path) -> String {
    format!("\"{}\" gui --background", program.display())
}

#[cfg(windows)]
fn set_run_value(name: &str, on: bool, program: &Path) -> std::io::Result<()> {
    if on {
        crate::win32::registry::write(RUN_KEY, name, &run_command(program))
    } else {
        crate::win32::registry::remove(RUN_KEY, name)
    }
}

#[cfg(windows)]
fn run_value(name: &str) -> Option<String> {
    crate::win32::registry::read(RUN_KEY, name).ok().flatten()
}

#[cfg(not(windows))]
fn set_run_value(_name: &str, _on: bool, _program: &Path) -> std::io::Result<()> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "the Run key is Windows' own"))
}

#[cfg(not(windows))]
fn run_value(_name: &str) -> Option<String> {
    None
}

/// `path` quoted for a desktop entry's `Exec` key: in double quotes with `"`, `` ` ``, `$` and
/// `\` escaped, then every `\` doubled again, as the entry is itself an escaped string.
fn exec_quoted(path: &Path) -> String {
    let mut quoted = String::from("\"");
    for c in path.display().to_string().chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted.replace('\\', "\\\\")
}

/// The entry that starts `program` in the tray at login (minimised where there is no tray).
pub fn desktop_entry(program: &Path) -> String {
    format!(
        "[Desktop Entry]\n\
         Type=Application\n\
         Name=slouchwatch\n\
         Comment=Watches your posture through the webcam and warns when you slouch\n\
         Exec={} gui --background\n\
         Icon={}\n\
         Terminal=false\n\
         Categories=Utility;\n\
         X-GNOME-Autostart-enabled=true\n",
        exec_quoted(program),
        super::APP_ID
    )
}

/// Adds (`on`) or removes the login entry in `dir` for `program`. Removing one that is not
/// there is not an error.
pub fn set_start_at_login(dir: &Path, on: bool, program: &Path) -> std::io::Result<()> {
    let file = dir.join(AUTOSTART_FILE);
    if on {
        std::fs::create_dir_all(dir)?;
        std::fs::write(file, desktop_entry(program))
    } else {
        match std::fs::remove_file(file) {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }
}

/// Whether the login entry exists in `dir`.
pub fn starts_at_login(dir: &Path) -> bool {
    dir.join(AUTOSTART_FILE).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_key_value_quotes_the_program_and_opens_the_tray() {
        assert_eq!(
            run_command(Path::new(r"C:\Users\A B\AppData\Local\Programs\slouchwatch\slouchwatch.exe")),
            r#""C:\Users\A B\AppData\Local\Programs\slouchwatch\slouchwatch.exe" gui --background"#
        );
    }

    #[test]
    fn a_folder_entry_is_added_and_removed_and_says_where_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let entry = LoginEntry::Folder(dir.path().join("autostart"));
        assert!(!entry.is_on());
        entry.set(true, Path::new("/usr/bin/slouchwatch")).unwrap();
        assert!(entry.is_on());
        entry.set(false, Path::new("/usr/bin/slouchwatch")).unwrap();
        assert!(!entry.is_on());
        entry.set(false, Path::new("/usr/bin/slouchwatch")).unwrap();
        assert_eq!(entry.to_string(), dir.path().join("autostart").display().to_string());
        assert_eq!(
            LoginEntry::RunKey("slouchwatch".into()).to_string(),
            r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run (slouchwatch)"
        );
    }

    /// The Run key for real (Windows): on, read back as the installer writes it, off.
    #[cfg(windows)]
    #[test]
    fn the_run_key_value_is_written_and_removed() {
        let entry = LoginEntry::RunKey(format!("slouchwatch-test-{}", std::process::id()));
        let program = Path::new(r"C:\Programs\slouchwatch\slouchwatch.exe");
        assert!(!entry.is_on());
        entry.set(true, program).unwrap();
        assert!(entry.is_on());
        let LoginEntry::RunKey(name) = &entry else { unreachable!() };
        assert_eq!(run_value(name).as_deref(), Some(r#""C:\Programs\slouchwatch\slouchwatch.exe" gui --background"#));
        entry.set(false, program).unwrap();
        assert!(!entry.is_on());
    }

    #[test]
    fn awkward_paths_are_quoted_for_the_exec_line() {
        assert_eq!(exec_quoted(Path::new("/usr/bin/slouchwatch")), "\"/usr/bin/slouchwatch\"");
        assert_eq!(exec_quoted(Path::new("/home/a b/$x")), "\"/home/a b/\\\\$x\"");
    }
}
