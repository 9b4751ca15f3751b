//! Who else is using the camera: the other processes that hold its device node open (read from
//! `/proc/PID/fd`, named by `/proc/PID/comm`), and a watch that wakes the moment any process
//! opens the node (inotify `IN_OPEN`), so the camera can be given over before the other program
//! asks the driver for buffers.
//!
//! An I/O edge over the kernel's process table; what to do about another user is the engine's
//! (`engine::yielding`). Linux only: elsewhere nobody is ever found and the watch never wakes.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Another process holding the node open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    /// Its process id.
    pub pid: u32,
    /// Its program name as the kernel has it (`/proc/PID/comm`: "zoom", "chrome", "obs").
    pub program: String,
}

/// The processes other than this one that hold `node` open, by process id. Processes this user
/// may not look into are not seen (a call program runs as the same user as slouchwatch).
pub fn holders(node: &Path) -> Vec<Holder> {
    holders_in(Path::new("/proc"), node, std::process::id())
}

/// [`holders`] over a process table at `proc_root` (tests use a made-up one), leaving out `own_pid`.
pub fn holders_in(proc_root: &Path, node: &Path, own_pid: u32) -> Vec<Holder> {
    // The node as the links in /proc name it: the real path behind a /dev/v4l/by-id link.
    let node = std::fs::canonicalize(node).unwrap_or_else(|_| node.to_owned());
    let Ok(processes) = std::fs::read_dir(proc_root) else {
        return Vec::new();
    };
    let mut found: Vec<Holder> = processes
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| *pid != own_pid)
        .filter(|pid| holds(&proc_root.join(pid.to_string()).join("fd"), &node))
        .map(|pid| Holder { pid, program: program_name(proc_root, pid) })
        .collect();
    found.sort_by_key(|holder| holder.pid);
    found
}

/// Whether a process's open files (its `fd` folder) include `node`.
fn holds(fd_folder: &Path, node: &Path) -> bool {
    let Ok(files) = std::fs::read_dir(fd_folder) else {
        return false;
    };
    files.flatten().any(|file| std::fs::read_link(file.path()).is_ok_and(|target| target == node))
}

/// `/proc/PID/comm`, or "another program" when it cannot be read.
fn program_name(proc_root: &Path, pid: u32) -> String {
    std::fs::read_to_string(proc_root.join(pid.to_string()).join("comm"))
        .map(|name| name.trim().to_owned())
        .ok()
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "another program".to_owned())
}

/// Wakes when any process (this one too) opens a device node.
pub struct OpenWatch {
    node: PathBuf,
    /// The kernel dropped the watch (the node went away: unplugged).
    gone: bool,
    #[cfg(target_os = "linux")]
    inotify: inotify::Inotify,
}

impl OpenWatch {
    /// Watches `node` for opens.
    pub fn new(node: &Path) -> std::io::Result<OpenWatch> {
        #[cfg(target_os = "linux")]
        {
            let inotify = inotify::Inotify::init()?;
            inotify.watches().add(node, inotify::WatchMask::OPEN)?;
            Ok(OpenWatch { node: node.to_owned(), gone: false, inotify })
        }
        #[cfg(not(target_os = "linux"))]
        Ok(OpenWatch { node: node.to_owned(), gone: false })
    }

    /// The node watched.
    pub fn node(&self) -> &Path {
        &self.node
    }

    /// Whether the watch has ended (the node was removed): a new one is needed for the node
    /// that comes back.
    pub fn is_gone(&self) -> bool {
        self.gone
    }

    /// Waits up to `timeout` for an open; true if there was one (or more: they are all taken).
    pub fn opened_within(&mut self, timeout: Duration) -> bool {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let mut poll = libc::pollfd { fd: self.inotify.as_raw_fd(), events: libc::POLLIN, revents: 0 };
            let millis = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
            // SAFETY: one valid pollfd, owned by this frame, for the length given.
            let ready = unsafe { libc::poll(&mut poll, 1, millis) };
            if ready <= 0 {
                return false;
            }
            let mut buffer = [0u8; 1024];
            let mut opened = false;
            while let Ok(events) = self.inotify.read_events(&mut buffer) {
                let mut any = false;
                for event in events {
                    any = true;
                    opened |= event.mask.contains(inotify::EventMask::OPEN);
                    self.gone |= event.mask.contains(inotify::EventMask::IGNORED);
                }
                if !any {
                    break;
                }
            }
            opened
        }
        #[cfg(not(target_os = "linux"))]
        {
            std::thread::sleep(timeout);
            false
        }
    }
}

// The process table and inotify are Linux's.
#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn holders_are_the_other_processes_with_the_node_open_named_by_comm() {
        let dir = tempfile::tempdir().unwrap();
        let node = dir.path().join("video0");
        std::fs::write(&node, b"").unwrap();
        let node = std::fs::canonicalize(&node).unwrap();
        let proc_root = dir.path().join("proc");
        let process = |pid: u32, name: &str, files: &[&Path]| {
            let fd = proc_root.join(pid.to_string()).join("fd");
            std::fs::create_dir_all(&fd).unwrap();
            std::fs::write(proc_root.join(pid.to_string()).join("comm"), format!("{name}\n")).unwrap();
            for (number, file) in files.iter().enumerate() {
                symlink(file, fd.join(number.to_string())).unwrap();
            }
        };
        process(40, "slouchwatch", &[&node]);
        process(77, "zoom", &[Path::new("/dev/null"), &node]);
        process(12, "bash", &[Path::new("/dev/null")]);
        std::fs::create_dir_all(proc_root.join("self")).unwrap();
        let found = holders_in(&proc_root, &node, 40);
        assert_eq!(found, vec![Holder { pid: 77, program: "zoom".into() }]);
        // Named through a by-id link, the node is the same.
        let by_id = dir.path().join("usb-Logitech-video-index0");
        symlink(&node, &by_id).unwrap();
        assert_eq!(holders_in(&proc_root, &by_id, 40).len(), 1);
        assert!(holders_in(&proc_root, &node, 77).iter().any(|holder| holder.program == "slouchwatch"));
    }

    #[test]
    fn this_process_holding_a_file_is_not_another_holder_but_a_child_is() {
        let dir = tempfile::tempdir().unwrap();
        let node = dir.path().join("node");
        std::fs::write(&node, b"").unwrap();
        let _mine = std::fs::File::open(&node).unwrap();
        assert!(holders(&node).is_empty(), "our own open is not another program's");
        let child = std::process::Command::new("sleep").arg("5").stdin(std::fs::File::open(&node).unwrap()).spawn();
        let mut child = child.unwrap();
        let found = holders(&node);
        child.kill().unwrap();
        let _ = child.wait();
        assert_eq!(found.iter().map(|holder| holder.program.as_str()).collect::<Vec<_>>(), ["sleep"]);
    }

    #[test]
    fn the_watch_wakes_on_an_open_and_not_without_one() {
        let dir = tempfile::tempdir().unwrap();
        let node = dir.path().join("node");
        std::fs::write(&node, b"").unwrap();
        let mut watch = OpenWatch::new(&node).unwrap();
        assert!(!watch.opened_within(Duration::from_millis(50)));
        let other = std::fs::File::open(&node).unwrap();
        assert!(watch.opened_within(Duration::from_secs(2)));
        assert!(!watch.opened_within(Duration::from_millis(50)), "each open wakes it once");
        assert!(!watch.is_gone());
        // Unplugged: the watch says it is gone, so a replugged node is watched afresh.
        drop(other);
        std::fs::remove_file(&node).unwrap();
        watch.opened_within(Duration::from_millis(200));
        assert!(watch.is_gone());
    }
}
