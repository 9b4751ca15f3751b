//! The capture buffers of an open V4L2 node (memory-mapped streaming I/O), handled here rather
//! than by the `v4l` crate's stream: a read waits at most a given time, a signal (EINTR) is
//! retried quietly, each frame is cut to the bytes the driver filled, the driver's error flag,
//! capture time and sequence number are kept, and closing never panics (the `v4l` stream panics
//! in Drop when STREAMOFF fails, and cannot retry a dequeue after an interruption).

use std::io;
use std::mem;
use std::ptr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use v4l::device::Handle;
use v4l::v4l_sys::{v4l2_buffer, v4l2_requestbuffers};
use v4l::v4l2::{self, vidioc};

/// `V4L2_BUF_TYPE_VIDEO_CAPTURE`.
const BUF_TYPE_VIDEO_CAPTURE: u32 = 1;
/// `V4L2_MEMORY_MMAP`.
const MEMORY_MMAP: u32 = 1;
/// `V4L2_BUF_FLAG_ERROR`: the buffer holds a damaged frame.
const FLAG_ERROR: u32 = 0x0000_0040;
/// `V4L2_BUF_FLAG_TIMESTAMP_MASK` and `_MONOTONIC`: the capture time is on CLOCK_MONOTONIC.
const FLAG_TIMESTAMP_MASK: u32 = 0x0000_e000;
/// See [`FLAG_TIMESTAMP_MASK`].
const FLAG_TIMESTAMP_MONOTONIC: u32 = 0x0000_2000;

/// One frame as dequeued, borrowed from its buffer until the next read.
pub struct Dequeued<'a> {
    /// The bytes the driver filled.
    pub data: &'a [u8],
    /// The driver marked the frame as damaged.
    pub damaged: bool,
    /// How long ago the frame was captured, when the driver's clock says.
    pub age: Option<Duration>,
    /// The driver's frame counter.
    pub sequence: u32,
}

/// The mapped buffers of one streaming node.
pub struct Buffers {
    handle: Arc<Handle>,
    /// Each buffer's mapping: address and length.
    maps: Vec<(*mut u8, usize)>,
    /// The buffer lent out by the last read, queued again at the next.
    lent: Option<u32>,
}

fn buffer_desc(index: u32) -> v4l2_buffer {
    // SAFETY: v4l2_buffer is a plain C struct for which all-zeroes is a valid value.
    v4l2_buffer { index, type_: BUF_TYPE_VIDEO_CAPTURE, memory: MEMORY_MMAP, ..unsafe { mem::zeroed() } }
}

impl Buffers {
    /// Asks the driver for `count` buffers, maps them, queues them all and starts streaming.
    /// EBUSY here means another program is streaming from the node.
    pub fn start(handle: Arc<Handle>, count: u32) -> io::Result<Buffers> {
        let fd = handle.fd();
        // SAFETY: all-zeroes is a valid v4l2_requestbuffers.
        let mut request = v4l2_requestbuffers {
            count,
            type_: BUF_TYPE_VIDEO_CAPTURE,
            memory: MEMORY_MMAP,
            ..unsafe { mem::zeroed() }
        };
        // SAFETY: the ioctl reads and writes a v4l2_requestbuffers, which `request` is.
        unsafe { v4l2::ioctl(fd, vidioc::VIDIOC_REQBUFS, &mut request as *mut _ as *mut std::os::raw::c_void)? };
        let mut buffers = Buffers { handle, maps: Vec::new(), lent: None };
        for index in 0..request.count {
            let mut buffer = buffer_desc(index);
            // SAFETY: QUERYBUF fills a v4l2_buffer; mmap maps the length and offset it gave, on
            // the node's descriptor, and the mapping is undone in Drop.
            unsafe {
                v4l2::ioctl(fd, vidioc::VIDIOC_QUERYBUF, &mut buffer as *mut _ as *mut std::os::raw::c_void)?;
                let length = buffer.length as usize;
                let address = v4l2::mmap(
                    ptr::null_mut(),
                    length,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_SHARED,
                    fd,
                    buffer.m.offset as libc::off_t,
                )?;
                buffers.maps.push((address as *mut u8, length));
            }
        }
        for index in 0..request.count {
            buffers.queue(index)?;
        }
        let mut kind = BUF_TYPE_VIDEO_CAPTURE;
        // SAFETY: STREAMON reads the buffer type, an int.
        unsafe { v4l2::ioctl(fd, vidioc::VIDIOC_STREAMON, &mut kind as *mut _ as *mut std::os::raw::c_void)? };
        Ok(buffers)
    }

    fn queue(&mut self, index: u32) -> io::Result<()> {
        let mut buffer = buffer_desc(index);
        // SAFETY: QBUF reads a v4l2_buffer naming one of our mapped buffers.
        unsafe {
            v4l2::ioctl(self.handle.fd(), vidioc::VIDIOC_QBUF, &mut buffer as *mut _ as *mut std::os::raw::c_void)
        }
    }

    /// The next frame, waiting at most `timeout` (an `io::ErrorKind::TimedOut` error after it).
    pub fn next(&mut self, timeout: Duration) -> io::Result<Dequeued<'_>> {
        if let Some(index) = self.lent.take() {
            self.queue(index)?;
        }
        let deadline = Instant::now() + timeout;
        let buffer = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "no frame from the camera"));
            }
            match self.handle.poll(libc::POLLIN, left.as_millis().clamp(1, i32::MAX as u128) as i32) {
                Ok(0) => continue,
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
            let mut buffer = buffer_desc(0);
            // SAFETY: DQBUF fills a v4l2_buffer.
            let dequeued = unsafe {
                v4l2::ioctl(self.handle.fd(), vidioc::VIDIOC_DQBUF, &mut buffer as *mut _ as *mut std::os::raw::c_void)
            };
            match dequeued {
                Ok(()) => break buffer,
                // Woken with nothing to take (the node is non-blocking), or by a signal.
                Err(error) if matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted) => {
                    continue;
                }
                Err(error) => return Err(error),
            }
        };
        let Some(&(address, length)) = self.maps.get(buffer.index as usize) else {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "the driver returned an unknown buffer"));
        };
        self.lent = Some(buffer.index);
        let used = (buffer.bytesused as usize).min(length);
        // SAFETY: the mapping is `length` bytes long and stays mapped while `self` is borrowed;
        // the driver does not write to a dequeued buffer until it is queued again.
        let data = unsafe { std::slice::from_raw_parts(address as *const u8, used) };
        let age = (buffer.flags & FLAG_TIMESTAMP_MASK == FLAG_TIMESTAMP_MONOTONIC)
            .then(|| age_of(buffer.timestamp.tv_sec as i64, buffer.timestamp.tv_usec as i64))
            .flatten();
        Ok(Dequeued { data, damaged: buffer.flags & FLAG_ERROR != 0, age, sequence: buffer.sequence })
    }
}

/// How long ago a CLOCK_MONOTONIC time was.
fn age_of(seconds: i64, micros: i64) -> Option<Duration> {
    // SAFETY: all-zeroes is a valid timespec, which clock_gettime fills.
    let mut now: libc::timespec = unsafe { mem::zeroed() };
    // SAFETY: clock_gettime writes one timespec.
    if unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) } != 0 {
        return None;
    }
    let now_us = now.tv_sec as i64 * 1_000_000 + now.tv_nsec as i64 / 1_000;
    let then_us = seconds * 1_000_000 + micros;
    u64::try_from(now_us - then_us).ok().map(Duration::from_micros)
}

impl Drop for Buffers {
    fn drop(&mut self) {
        let fd = self.handle.fd();
        let mut kind = BUF_TYPE_VIDEO_CAPTURE;
        // Closing a camera that has gone away fails; nothing more can be done about it, and the
        // descriptor is closed with the device anyway.
        // SAFETY: STREAMOFF reads an int; munmap undoes the mappings made in `start`;
        // REQBUFS with a count of 0 frees the driver's buffers.
        unsafe {
            let _ = v4l2::ioctl(fd, vidioc::VIDIOC_STREAMOFF, &mut kind as *mut _ as *mut std::os::raw::c_void);
            for &(address, length) in &self.maps {
                let _ = v4l2::munmap(address as *mut std::os::raw::c_void, length);
            }
            let mut release =
                v4l2_requestbuffers { count: 0, type_: BUF_TYPE_VIDEO_CAPTURE, memory: MEMORY_MMAP, ..mem::zeroed() };
            let _ = v4l2::ioctl(fd, vidioc::VIDIOC_REQBUFS, &mut release as *mut _ as *mut std::os::raw::c_void);
        }
    }
}
