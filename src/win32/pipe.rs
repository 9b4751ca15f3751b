//! A named pipe that answers one line with one line: the server owns the name (a second server
//! of the same name is refused, which is how one monitor at a time is kept: a named mutex says
//! who owns it, as Wine does not enforce the pipe's own first-instance flag) and answers each
//! caller on its own thread in turn; the client asks and reads the answer. Local callers only.

use std::io::{BufRead, Read, Write};
use std::os::windows::io::{FromRawHandle, OwnedHandle};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use windows_sys::Win32::Foundation::{
    ERROR_ACCESS_DENIED, ERROR_ALREADY_EXISTS, ERROR_PIPE_BUSY, ERROR_PIPE_CONNECTED, GetLastError,
    INVALID_HANDLE_VALUE,
};
use windows_sys::Win32::Storage::FileSystem::{FILE_FLAG_FIRST_PIPE_INSTANCE, FlushFileBuffers, PIPE_ACCESS_DUPLEX};
use windows_sys::Win32::System::Pipes::{
    ConnectNamedPipe, CreateNamedPipeW, DisconnectNamedPipe, PIPE_READMODE_BYTE, PIPE_REJECT_REMOTE_CLIENTS,
    PIPE_TYPE_BYTE, PIPE_UNLIMITED_INSTANCES, PIPE_WAIT, WaitNamedPipeW,
};
use windows_sys::Win32::System::Threading::CreateMutexW;

use super::wide;

/// The longest line read either way; a longer one is cut off there (requests are a few words).
const MAX_LINE_BYTES: u64 = 64 * 1024;
/// The pipe's buffers, each way.
const BUFFER_BYTES: u32 = 4096;
/// How long a caller waits for a busy server (all instances answering others).
const BUSY_WAIT: Duration = Duration::from_secs(2);
/// How often a caller tries again after a busy wait.
const BUSY_TRIES: usize = 3;
/// How long a caller waits for the answer before saying the monitor does not answer.
const ANSWER_WAIT: Duration = Duration::from_secs(10);
/// Stopping: how often the server's waiting thread is woken, and the pause between tries.
const STOP_TRIES: usize = 200;
const STOP_PAUSE: Duration = Duration::from_millis(10);

/// Why the pipe does not work.
#[derive(Debug, thiserror::Error)]
pub enum PipeError {
    /// Another process serves this name.
    #[error("another program already answers on {0}")]
    Taken(String),
    /// Nobody serves this name.
    #[error("nothing answers on {0}")]
    NotServed(String),
    /// The pipe failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Claims `name` for this process with a named mutex of this session; refused when another
/// process holds it. The claim lasts as long as the returned handle.
fn claim(name: &str) -> Result<OwnedHandle, PipeError> {
    let mutex = wide(&format!(r"Local\{}", name.replace('\\', "_")));
    // SAFETY: a valid NUL-terminated name; default security.
    let handle = unsafe { CreateMutexW(std::ptr::null(), 0, mutex.as_ptr()) };
    // SAFETY: reads this thread's last error, set by the call above.
    let existed = unsafe { GetLastError() } == ERROR_ALREADY_EXISTS;
    if handle.is_null() {
        return Err(std::io::Error::last_os_error().into());
    }
    // SAFETY: a fresh handle that nothing else owns.
    let handle = unsafe { OwnedHandle::from_raw_handle(handle) };
    if existed { Err(PipeError::Taken(name.to_owned())) } else { Ok(handle) }
}

/// One instance of the pipe, waiting for a caller. `first`: refuse if another process already
/// serves `name`.
fn instance(name: &[u16], shown: &str, first: bool) -> Result<OwnedHandle, PipeError> {
    let open_mode = PIPE_ACCESS_DUPLEX | if first { FILE_FLAG_FIRST_PIPE_INSTANCE } else { 0 };
    // SAFETY: a valid NUL-terminated name; default security (the creator, SYSTEM and
    // administrators may write; nobody else can send a command).
    let handle = unsafe {
        CreateNamedPipeW(
            name.as_ptr(),
            open_mode,
            PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
            PIPE_UNLIMITED_INSTANCES,
            BUFFER_BYTES,
            BUFFER_BYTES,
            0,
            std::ptr::null(),
        )
    };
    if handle == INVALID_HANDLE_VALUE {
        // SAFETY: reads this thread's last error.
        return Err(match unsafe { GetLastError() } {
            ERROR_ACCESS_DENIED if first => PipeError::Taken(shown.to_owned()),
            code => PipeError::Io(std::io::Error::from_raw_os_error(code as i32)),
        });
    }
    // SAFETY: a fresh handle that nothing else owns.
    Ok(unsafe { OwnedHandle::from_raw_handle(handle) })
}

/// Reads one line (without its newline) from `reader`, up to [`MAX_LINE_BYTES`].
fn read_line(reader: impl Read) -> std::io::Result<String> {
    let mut bytes = Vec::new();
    std::io::BufReader::new(reader.take(MAX_LINE_BYTES)).read_until(b'\n', &mut bytes)?;
    Ok(String::from_utf8_lossy(&bytes).trim_end_matches(['\n', '\r']).to_owned())
}

/// A served pipe; dropping it stops answering and frees the name.
pub struct PipeServer {
    name: String,
    /// The claim on the name, released after the thread ends.
    _claim: OwnedHandle,
    stopping: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PipeServer {
    /// Serves `name` (`\\.\pipe\...`) on thread `thread_name`: each caller's line is answered
    /// with `answer`'s line. Fails when another process serves the name.
    pub fn serve(
        name: &str,
        thread_name: &str,
        answer: impl Fn(&str) -> String + Send + Sync + 'static,
    ) -> Result<PipeServer, PipeError> {
        let claim = claim(name)?;
        let wide_name = wide(name);
        let first = instance(&wide_name, name, true)?;
        let stopping = Arc::new(AtomicBool::new(false));
        let (stop, shown) = (stopping.clone(), name.to_owned());
        let thread = std::thread::Builder::new()
            .name(thread_name.into())
            .spawn(move || answer_callers(first, &wide_name, &shown, &stop, Arc::new(answer)))?;
        Ok(PipeServer { name: name.to_owned(), _claim: claim, stopping, thread: Some(thread) })
    }
}

/// The server's thread: waits for a caller on `current`, makes the next instance (so the name
/// is never free), hands the caller to a thread of its own (a caller that never writes or never
/// reads holds up nobody else), and goes on until asked to stop.
fn answer_callers(
    mut current: OwnedHandle,
    name: &[u16],
    shown: &str,
    stopping: &AtomicBool,
    answer: Arc<dyn Fn(&str) -> String + Send + Sync>,
) {
    use std::os::windows::io::AsRawHandle;
    loop {
        // SAFETY: `current` is a pipe instance this thread owns; no overlapped I/O.
        let connected = unsafe { ConnectNamedPipe(current.as_raw_handle(), std::ptr::null_mut()) } != 0
            || std::io::Error::last_os_error().raw_os_error() == Some(ERROR_PIPE_CONNECTED as i32);
        if stopping.load(Ordering::Acquire) {
            return;
        }
        let next = match instance(name, shown, false) {
            Ok(next) => next,
            Err(error) => {
                tracing::warn!("control from outside stopped: {error}");
                return;
            }
        };
        if connected {
            let (pipe, answer) = (std::fs::File::from(current), answer.clone());
            let spawned = std::thread::Builder::new().name("slouchwatch-control-caller".into()).spawn(move || {
                answer_one(pipe, answer.as_ref());
            });
            if let Err(error) = spawned {
                tracing::debug!("a control caller was not answered: {error}");
            }
        }
        current = next;
    }
}

/// Answers the one caller connected to `pipe`, then cuts it off.
fn answer_one(mut pipe: std::fs::File, answer: &(dyn Fn(&str) -> String + Send + Sync)) {
    use std::os::windows::io::AsRawHandle;
    let Ok(mut reply) = read_line(&mut pipe).map(|line| answer(&line)) else { return };
    reply.push('\n');
    let _ = pipe.write_all(reply.as_bytes());
    // SAFETY: the caller reads the whole answer before the instance is cut off.
    unsafe {
        FlushFileBuffers(pipe.as_raw_handle());
        DisconnectNamedPipe(pipe.as_raw_handle());
    }
}

impl Drop for PipeServer {
    fn drop(&mut self) {
        self.stopping.store(true, Ordering::Release);
        let Some(thread) = self.thread.take() else { return };
        // The thread waits for a caller: be one, so it sees the stop; again while the instance it
        // waits on is not made yet (then the name answers "busy"), for a while at most.
        for _ in 0..STOP_TRIES {
            if thread.is_finished() {
                break;
            }
            let _ = std::fs::OpenOptions::new().read(true).write(true).open(&self.name);
            std::thread::sleep(STOP_PAUSE);
        }
        if thread.is_finished() {
            let _ = thread.join();
        } else {
            tracing::warn!("control from outside did not stop in time; its thread is left to end with the program");
        }
    }
}

/// Sends `line` to the server of `name` and returns its one-line answer, waiting for it
/// [`ANSWER_WAIT`] at most (a stuck monitor never hangs the command line).
pub fn ask(name: &str, line: &str) -> Result<String, PipeError> {
    let (name, line) = (name.to_owned(), line.to_owned());
    let (answer_tx, answer) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("slouchwatch-control-ask".into()).spawn(move || {
        let _ = answer_tx.send(exchange(&name, &line));
    })?;
    answer.recv_timeout(ANSWER_WAIT).unwrap_or_else(|_| {
        Err(PipeError::Io(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("no answer within {} s", ANSWER_WAIT.as_secs()),
        )))
    })
}

/// The exchange itself: connects (waiting while the server is busy), writes, reads.
fn exchange(name: &str, line: &str) -> Result<String, PipeError> {
    let mut tries = 0;
    let mut pipe = loop {
        match std::fs::OpenOptions::new().read(true).write(true).open(name) {
            Ok(pipe) => break pipe,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(PipeError::NotServed(name.to_owned()));
            }
            Err(error) if error.raw_os_error() == Some(ERROR_PIPE_BUSY as i32) && tries < BUSY_TRIES => {
                tries += 1;
                // SAFETY: a valid NUL-terminated name.
                unsafe { WaitNamedPipeW(wide(name).as_ptr(), BUSY_WAIT.as_millis() as u32) };
            }
            Err(error) => return Err(error.into()),
        }
    };
    pipe.write_all(format!("{line}\n").as_bytes())?;
    Ok(read_line(&mut pipe)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_name(what: &str) -> String {
        format!(r"\\.\pipe\slouchwatch-test-{what}-{}", std::process::id())
    }

    #[test]
    fn a_line_is_answered_by_the_server_and_the_name_is_its_alone() {
        let name = test_name("answer");
        assert!(matches!(ask(&name, "hello"), Err(PipeError::NotServed(_))));
        let server = PipeServer::serve(&name, "test-pipe", |line| format!("you said {line}")).unwrap();
        assert_eq!(ask(&name, "hello").unwrap(), "you said hello");
        assert_eq!(ask(&name, "again").unwrap(), "you said again", "the next caller is answered too");
        assert!(
            matches!(PipeServer::serve(&name, "test-pipe-2", |_| String::new()), Err(PipeError::Taken(_))),
            "a second server is refused"
        );
        drop(server);
        assert!(matches!(ask(&name, "hello"), Err(PipeError::NotServed(_))), "the name is free again");
        let again = PipeServer::serve(&name, "test-pipe-3", |_| "back".into()).unwrap();
        assert_eq!(ask(&name, "x").unwrap(), "back");
        drop(again);
    }

    #[test]
    fn lines_are_read_up_to_their_newline() {
        assert_eq!(read_line(&b"status\r\nmore"[..]).unwrap(), "status");
        assert_eq!(read_line(&b"no newline"[..]).unwrap(), "no newline");
    }
}
