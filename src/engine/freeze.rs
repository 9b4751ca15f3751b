//! A camera stuck on one picture (pure): some drivers keep handing out the last frame after the
//! device hangs. Identical thumbnails, or a driver's frame counter that does not advance, for
//! [`FROZEN_AFTER_S`] mean the source must be reopened. A replay of a still scene cannot freeze,
//! so only sources that can are watched. A picture too dark or featureless to read (a closed
//! privacy shutter, the lights off) is the same every frame without anything being stuck, so
//! only its frame counter is watched.

use chrono::{DateTime, TimeDelta, Utc};

use super::picture::{FROZEN_AFTER_S, Picture};
use crate::source::SourceError;

/// Watches for identical frames.
#[derive(Debug, Default)]
pub struct FreezeWatch {
    /// Whether identical frames mean a stuck source (see [`crate::source::FrameSource::can_freeze`]).
    on: bool,
    /// The previous readable frame's thumbnail.
    last: Option<Vec<f32>>,
    /// The previous frame's driver counter.
    last_sequence: Option<u64>,
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
        self.last_sequence = None;
        self.since = None;
    }

    /// The frame at `now` with this `thumbnail` (judged as `picture`) and driver counter: an
    /// error once it has not changed for [`FROZEN_AFTER_S`].
    pub fn frame(
        &mut self,
        now: DateTime<Utc>,
        thumbnail: &[f32],
        sequence: Option<u64>,
        picture: Picture,
    ) -> Option<SourceError> {
        if !self.on {
            return None;
        }
        let repeated_frame = sequence.is_some() && sequence == self.last_sequence;
        self.last_sequence = sequence.or(self.last_sequence);
        let readable = picture == Picture::Usable;
        let same_picture = readable && self.last.as_deref() == Some(thumbnail);
        if readable && !same_picture {
            self.last = Some(thumbnail.to_vec());
        }
        if !(repeated_frame || same_picture) {
            self.since = None;
            return None;
        }
        let since = *self.since.get_or_insert(now);
        (now - since >= TimeDelta::seconds(FROZEN_AFTER_S))
            .then_some(SourceError::CameraFrozen { seconds: FROZEN_AFTER_S })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(second: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000 + second, 0).unwrap()
    }

    #[test]
    fn identical_readable_pictures_freeze_dark_ones_do_not() {
        let scene: Vec<f32> = (0..48).map(|i| 60.0 + i as f32).collect();
        let mut watch = FreezeWatch::default();
        watch.watch(true);
        let frozen = (0..=FROZEN_AFTER_S * 2).filter_map(|s| watch.frame(at(s), &scene, None, Picture::Usable)).count();
        assert!(frozen > 0, "the same readable picture for long is a frozen camera");
        // A closed shutter: the same black picture every frame, counter advancing: never frozen.
        let black = vec![0.0; 48];
        let mut shutter = FreezeWatch::default();
        shutter.watch(true);
        for second in 0..120 {
            let sequence = Some(second as u64 * 5);
            assert_eq!(shutter.frame(at(second), &black, sequence, Picture::TooDark), None, "at {second} s");
        }
    }

    #[test]
    fn a_counter_that_does_not_advance_is_frozen_even_in_the_dark() {
        let black = vec![0.0; 48];
        let mut watch = FreezeWatch::default();
        watch.watch(true);
        let frozen: Vec<i64> = (0..=FROZEN_AFTER_S + 1)
            .filter(|&s| watch.frame(at(s), &black, Some(7), Picture::TooDark).is_some())
            .collect();
        assert_eq!(frozen.first(), Some(&(FROZEN_AFTER_S + 1)), "the first repeat starts the clock at 1 s");
        // Watching off (a replay): never.
        let mut replay = FreezeWatch::default();
        assert!((0..60).all(|s| replay.frame(at(s), &black, Some(7), Picture::Usable).is_none()));
    }
}
