//! Reading the Report screen's days from the history, off the GUI thread: a thread of its own
//! holds a read-only use of the database the engine writes (SQLite's WAL lets both go on at
//! once), reads the day asked for and wakes the window with it. A slow disk or a large history
//! never stalls drawing; the screen says "Reading the history..." meanwhile.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

use chrono::NaiveDate;

use crate::coach::Catalog;
use crate::history::{DATABASE_FILE, HistoryStore};
use crate::report::DailyReport;

/// Why there is no report to show.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    /// slouchwatch found no folder to keep a history in.
    #[error("No history folder was found, so there is no report; start slouchwatch with --data-dir DIR.")]
    NoHistoryFolder,
    /// Nothing was recorded yet.
    #[error("No history yet: the report fills in minute by minute while slouchwatch watches.")]
    NoHistoryYet,
    /// The history could not be opened or read (its own message says what to do).
    #[error("{0}")]
    Unreadable(String),
}

/// One read asked of the reader's thread.
struct Request {
    date: NaiveDate,
    data_dir: Option<PathBuf>,
    goal_upright_pct: f64,
    catalog: Catalog,
    /// Woken when the report is read.
    repaint: Option<egui::Context>,
}

/// A day read, for the date asked.
type Answer = (NaiveDate, Result<Box<DailyReport>, ReadError>);

/// Reads the Report screen's days on its own thread (started at the first read, ended with
/// the window).
#[derive(Default)]
pub struct ReportReader {
    /// UI time (seconds) the report was last asked for.
    pub read_at: Option<f64>,
    thread: Option<(Sender<Request>, Receiver<Answer>)>,
    /// The window, woken when a day is read.
    repaint: Option<egui::Context>,
    /// A day read on the window's thread, when no reader thread could be started.
    read_here: Option<Answer>,
}

impl ReportReader {
    /// Wakes `ctx` whenever a day has been read.
    pub fn wake(&mut self, ctx: &egui::Context) {
        if self.repaint.is_none() {
            self.repaint = Some(ctx.clone());
        }
    }

    /// Asks for `date`'s report from the history in `data_dir`; [`ReportReader::take`] gives it
    /// once read.
    pub fn ask(
        &mut self,
        date: NaiveDate,
        data_dir: Option<&std::path::Path>,
        goal_upright_pct: f64,
        catalog: &Catalog,
        now_s: f64,
    ) {
        self.read_at = Some(now_s);
        let mut request = Request {
            date,
            data_dir: data_dir.map(ToOwned::to_owned),
            goal_upright_pct,
            catalog: catalog.clone(),
            repaint: self.repaint.clone(),
        };
        if let Some((requests, _)) = &self.thread {
            match requests.send(request) {
                Ok(()) => return,
                Err(std::sync::mpsc::SendError(unsent)) => request = unsent,
            }
        }
        // No reader yet, or it stopped: a new one.
        match spawn() {
            Ok((requests, answers)) => {
                let _ = requests.send(request);
                self.thread = Some((requests, answers));
            }
            Err(error) => {
                tracing::warn!("no thread for the report's reader ({error}); reading on the window's thread");
                self.thread = None;
                self.read_here = Some(read(&mut None, &request));
            }
        }
    }

    /// The newest report read since the last call, if any.
    pub fn take(&mut self) -> Option<Answer> {
        if let Some(answer) = self.read_here.take() {
            return Some(answer);
        }
        let (_, answers) = self.thread.as_ref()?;
        answers.try_iter().last()
    }
}

/// Starts the reader's thread.
fn spawn() -> std::io::Result<(Sender<Request>, Receiver<Answer>)> {
    let (requests, asked) = std::sync::mpsc::channel::<Request>();
    let (answer, answers) = std::sync::mpsc::channel();
    std::thread::Builder::new().name("report-reader".into()).spawn(move || {
        let mut store = None;
        while let Ok(mut request) = asked.recv() {
            // Only the newest of the reads waiting matters.
            while let Ok(newer) = asked.try_recv() {
                request = newer;
            }
            if answer.send(read(&mut store, &request)).is_err() {
                break;
            }
            if let Some(ctx) = &request.repaint {
                ctx.request_repaint();
            }
        }
    })?;
    Ok((requests, answers))
}

/// Reads one day, opening the history once and keeping it (afresh after a failure: the file
/// may have been replaced).
fn read(store: &mut Option<HistoryStore>, request: &Request) -> Answer {
    let date = request.date;
    let Some(dir) = &request.data_dir else { return (date, Err(ReadError::NoHistoryFolder)) };
    if !dir.join(DATABASE_FILE).exists() {
        return (date, Err(ReadError::NoHistoryYet));
    }
    if store.is_none() {
        match HistoryStore::open(dir) {
            Ok((opened, _)) => *store = Some(opened),
            Err(error) => return (date, Err(ReadError::Unreadable(error.to_string()))),
        }
    }
    let Some(history) = store.as_ref() else { return (date, Err(ReadError::NoHistoryYet)) };
    let today = chrono::Local::now().date_naive();
    let loaded =
        crate::report::load_day(history, &chrono::Local, date, request.goal_upright_pct, today, &request.catalog)
            .map_err(|error| ReadError::Unreadable(error.to_string()));
    if loaded.is_err() {
        *store = None;
    }
    (date, loaded)
}
