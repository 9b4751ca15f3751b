//! Where the engine's results go. Each sink is an I/O edge that takes what the pure step
//! decided and never decides anything itself:
//!
//! - [`history`]: minute rows and alert events into the SQLite history, with the pending buffer
//!   that keeps monitoring going while the history cannot be written;
//! - [`notify`]: desktop notifications for warnings and reminders;
//! - [`hooks`]: the user's own command, run on warnings, clears, away, back and break reminders;
//! - [`channel`]: snapshots, events and the final summary to whoever started the engine (the
//!   window, `slouchwatch run`, the tray);
//! - [`status`]: the state of monitoring for the bus interface (a trait; [`crate::control`]
//!   implements it);
//! - [`nudge`]: the glow, dimming or sound while a warning stands (a trait; [`crate::nudge`]
//!   implements it);
//! - [`setups`]: the setups the engine changed, to be saved (a trait; the file is written by
//!   [`crate::settings::SetupsFile`]).

pub mod channel;
pub mod history;
pub mod hooks;
pub mod notify;
pub mod nudge;
pub mod setups;
pub mod status;

pub use channel::ChannelSink;
pub use history::HistorySink;
pub use hooks::HookSink;
pub use notify::DesktopNotifier;
pub use nudge::NudgeSink;
pub use setups::SetupsSink;
pub use status::StatusSink;
