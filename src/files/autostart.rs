//! Start at login: an XDG autostart entry (`$XDG_CONFIG_HOME/autostart/`) that opens slouchwatch
//! in the tray when the desktop session starts. Other platforms have no entry yet.

use std::path::{Path, PathBuf};

/// The entry's file name (the application's reverse-DNS id).
pub const AUTOSTART_FILE: &str = "io.github.slouchwatch.desktop";

/// The autostart folder: `$XDG_CONFIG_HOME/autostart`, else `~/.config/autostart`. `None` on
/// platforms without XDG autostart (the setting is not offered there).
pub fn autostart_dir() -> Option<PathBuf> {
    if cfg!(any(target_os = "linux", target_os = "freebsd", target_os = "openbsd", target_os = "netbsd")) {
        directories::BaseDirs::new().map(|dirs| dirs.config_dir().join("autostart"))
    } else {
        None
    }
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
    fn awkward_paths_are_quoted_for_the_exec_line() {
        assert_eq!(exec_quoted(Path::new("/usr/bin/slouchwatch")), "\"/usr/bin/slouchwatch\"");
        assert_eq!(exec_quoted(Path::new("/home/a b/$x")), "\"/home/a b/\\\\$x\"");
    }
}
