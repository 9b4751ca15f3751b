//! Where the user's setups go when the engine changes them (a dispute widened a limit, the
//! engine switched to the setup that fits). The engine says what changed; the adapter that
//! knows the file ([`crate::settings::SetupsFile`]) writes it.

use crate::posture::setups::SetupBook;

/// Keeps the setups the engine changed.
pub trait SetupsSink: Send + Sync + std::fmt::Debug {
    /// The whole book as it is now. A failure is the sink's to report (monitoring goes on with
    /// the setups in memory).
    fn setups_changed(&self, book: &SetupBook);
}
