//! The warning sound: the desktop sound theme's "dialog-warning", played by the desktop's own
//! player (`canberra-gtk-play` plays the theme's sound by name; otherwise `paplay` or `pw-play`
//! plays the freedesktop theme's file). Played in the background, never waited for.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The sound theme event name played for a warning.
const EVENT: &str = "dialog-warning";
/// The files tried, under `sounds/freedesktop/stereo/` of each data folder, in order.
const THEME_FILES: [&str; 3] = ["dialog-warning.oga", "bell.oga", "message.oga"];

/// Why no sound can be played.
#[derive(Debug, thiserror::Error)]
pub enum SoundError {
    /// No player found.
    #[error("no sound player found (install pulseaudio-utils or gnome-session-canberra)")]
    NoPlayer,
    /// A player, but no sound theme file for it.
    #[error("no sound theme found (install sound-theme-freedesktop)")]
    NoTheme,
    /// The player did not start.
    #[error("{program} did not start: {error}")]
    Start {
        /// The player.
        program: String,
        /// Why.
        error: std::io::Error,
    },
}

/// How the sound is played: a player and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Player {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
}

/// Finds `name` on the PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|folder| folder.join(name)).find(|candidate| candidate.is_file())
}

/// The sound theme's warning file among the data folders (`XDG_DATA_DIRS`, or the usual ones).
fn theme_file() -> Option<PathBuf> {
    let folders = std::env::var("XDG_DATA_DIRS").unwrap_or_else(|_| "/usr/local/share:/usr/share".to_owned());
    folders.split(':').filter(|folder| !folder.is_empty()).find_map(|folder| {
        let stereo = Path::new(folder).join("sounds/freedesktop/stereo");
        THEME_FILES.iter().map(|file| stereo.join(file)).find(|file| file.is_file())
    })
}

/// The player this desktop has for the warning sound.
pub fn sound_player() -> Result<Player, SoundError> {
    if let Some(program) = on_path("canberra-gtk-play") {
        let args = vec![format!("--id={EVENT}"), "--description=slouchwatch warning".to_owned()];
        return Ok(Player { program, args });
    }
    let program = ["paplay", "pw-play"].into_iter().find_map(on_path).ok_or(SoundError::NoPlayer)?;
    let file = theme_file().ok_or(SoundError::NoTheme)?;
    Ok(Player { program, args: vec![file.display().to_string()] })
}

/// Plays the warning sound in the background.
pub fn play_warning() -> Result<(), SoundError> {
    let player = sound_player()?;
    let mut child = Command::new(&player.program)
        .args(&player.args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| SoundError::Start { program: player.program.display().to_string(), error })?;
    // Reaped in the background: a finished player leaves no zombie.
    let _ = std::thread::Builder::new().name("slouchwatch-sound".into()).spawn(move || child.wait());
    Ok(())
}
