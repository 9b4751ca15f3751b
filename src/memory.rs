//! The process's memory footprint. slouchwatch runs all day, so its resident memory is tuned
//! through glibc's allocator settings (elsewhere these are no-ops). Measured on `slouchwatch run`
//! over a short replay (peak RSS; docs/PERFORMANCE.md):
//!
//! - default: 87 MB. glibc gives each thread its own arena; the model is prepared on one thread
//!   and run on another, and each arena keeps its own high-water mark;
//! - one arena ([`MALLOC_ARENAS`]): 78 MB;
//! - and, while a model is prepared, large blocks in their own mappings
//!   ([`LOADING_MMAP_THRESHOLD_BYTES`]), so tract's intermediate copies of the weights go back to
//!   the system when freed: 56 MB. Keeping that setting afterwards would cost a page-fault storm
//!   per frame (+19 ms of system time per 1080p frame), so it is only used while loading.

/// Heap arenas: one is plenty for two busy threads (the engine and the window).
pub const MALLOC_ARENAS: i32 = 1;
/// Blocks from this size up get their own mapping while a model is prepared.
pub const LOADING_MMAP_THRESHOLD_BYTES: i32 = 64 * 1024;
/// The threshold afterwards: frame buffers (1-6 MB) are reused from the heap.
pub const RUNNING_MMAP_THRESHOLD_BYTES: i32 = 32 * 1024 * 1024;

/// Sets the arena count; call first thing in `main`, before other threads start.
pub fn tune_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator parameters.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
    }
}

/// Runs `load` (preparing a model) with large blocks in their own mappings, then returns freed
/// memory to the system.
pub fn while_loading<T>(load: impl FnOnce() -> T) -> T {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt and malloc_trim only change allocator parameters and release free pages.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LOADING_MMAP_THRESHOLD_BYTES);
    }
    let loaded = load();
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: as above.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, RUNNING_MMAP_THRESHOLD_BYTES);
        libc::malloc_trim(0);
    }
    loaded
}

/// Tells the system that `bytes` (part of the program file, e.g. an embedded model already
/// prepared) will not be read again, so its pages leave resident memory (about 9 MB for
/// Lightning). They are read back from the file if ever touched.
pub fn release_file_pages(bytes: &[u8]) {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(1) as usize;
        let start = (bytes.as_ptr() as usize).div_ceil(page) * page;
        let end = (bytes.as_ptr() as usize + bytes.len()) / page * page;
        if end > start {
            // SAFETY: the range lies inside `bytes`, read-only data of this program; MADV_DONTNEED
            // on a private file mapping only drops pages, which are read from the file again if
            // ever used.
            unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED);
            }
        }
    }
    // Elsewhere the pages stay: Windows has no such advice for a program's own image.
    #[cfg(not(target_os = "linux"))]
    let _ = bytes;
}
