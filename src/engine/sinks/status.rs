//! The state of monitoring, for whoever shows it outside the engine's channel (the bus
//! interface that the tray, panel applets and `slouchwatch status` read). The engine defines
//! what such a sink is told; the adapter above it ([`crate::control`]) implements it.

use crate::engine::Snapshot;

/// Told the state after every analysed frame, and when the camera is lost.
pub trait StatusSink: Send + Sync + std::fmt::Debug {
    /// The latest snapshot, and whether there is a calibration to judge against.
    fn snapshot(&self, snapshot: &Snapshot, calibrated: bool);
    /// The camera was lost (or cannot be opened): `detail` says why.
    fn camera_lost(&self, detail: &str);
    /// The engine stopped: nothing more will be said.
    fn finished(&self);
}
