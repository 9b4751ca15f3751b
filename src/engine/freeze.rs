//! A camera stuck on one picture (pure): some drivers keep handing out the last frame after the
//! device hangs. Identical thumbnails for [`FROZEN_AFTER_S`] mean the source must be reopened.
//! A replay of a still scene cannot freeze, so only sources that can are watched.

use chrono::{DateTime, TimeDelta, Utc};

use super::picture::FROZEN_AFTER_S;
use crate::source::SourceError;

/// Watches for identical frames.
#[derive(Debug, Default)]
pub struct FreezeWatch {
    /// Whether identical frames mean a stuck source (see [`crate::source::FrameSource::can_freeze`]).
    on: bool,
    /// The previous frame's thumbnail.
    last: Option<Vec<f32>>,
    /// Since when frames have been identical to it.
    since: Option<DateTime<Utc>>,
}

impl FreezeWatch {
    /// Watches (or not) from now on.
    pub fn watch(&mut self, on: bool) {
        self.on = on;
    }

    /// Forgets the last picture (the source was lost or reopened).
    pub fn reset(&mut self) {
        self.last = None;
        self.since = None;
    }

    /// The frame at `now` with this `thumbnail`: an error once the picture has not changed for
    /// [`FROZEN_AFTER_S`].
    pub fn frame(&mut self, now: DateTime<Utc>, thumbnail: &[f32]) -> Option<SourceError> {
        if !self.on {
            return None;
        }
        if self.last.as_deref() == Some(thumbnail) {
            let since = *self.since.get_or_insert(now);
            if now - since >= TimeDelta::seconds(FROZEN_AFTER_S) {
                return Some(SourceError::CameraFrozen { seconds: FROZEN_AFTER_S });
            }
        } else {
            self.last = Some(thumbnail.to_vec());
            self.since = None;
        }
        None
    }
}
