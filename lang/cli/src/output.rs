//! Everything a command writes as its result goes through here: standard output, or an `--out`
//! file. A failed write is never lost: it is a diagnostic (`cannot write …`, E0006) and exit
//! status one. A closed pipe (`eligo … | head`) is what a reader that has seen enough does: the
//! command ends quietly, with status 0 (docs/cli.md, "Output errors").
//!
//! An `--out` file is written under a temporary name in the same folder and renamed into place
//! once complete, so that an interrupted or failed run never leaves a half file under the name
//! (the file keeps its previous contents, if it had any). Only a regular file is replaced so: a
//! device, a pipe or a socket (`--out /dev/null`, `--out /dev/stdout`, a FIFO) is written in
//! place, and a symbolic link's target is replaced, not the link. (A rename over `/dev/null` run
//! as root once turned the device into a regular file on a CI host, and every later reader of
//! `/dev/null` read what had been written there.)

use crate::report;
use std::io::{BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};

/// How standard output is named in diagnostics.
const STDOUT: &str = "standard output";

/// A command's result stream.
pub struct Output {
    writer: BufWriter<Box<dyn Write>>,
    /// What the diagnostic names (the path given, or `standard output`).
    shown: String,
    /// An `--out` file: the temporary file written, and where it goes once complete.
    rename: Option<(PathBuf, PathBuf)>,
}

impl Output {
    /// Standard output.
    pub fn stdout() -> Output {
        Output {
            writer: BufWriter::with_capacity(1 << 16, Box::new(std::io::stdout())),
            shown: STDOUT.into(),
            rename: None,
        }
    }

    /// `--out PATH` (standard output without it, or for `-`): a temporary file next to PATH.
    /// Reports a file that cannot be created (exit status 1).
    pub fn to(path: Option<&Path>) -> Result<Output, u8> {
        let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
            return Ok(Output::stdout());
        };
        let shown = path.display().to_string();
        let fail = |e: std::io::Error| report::failure(&eligo::Error::write(&shown, describe(&e)));
        let target = match Target::of(path) {
            Target::InPlace => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(fail)?;
                return Ok(Output {
                    writer: BufWriter::with_capacity(1 << 20, Box::new(file)),
                    shown,
                    rename: None,
                });
            }
            Target::Replace(target) => target,
        };
        let temp = temporary_name(&target);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
            .map_err(fail)?;
        Ok(Output {
            writer: BufWriter::with_capacity(1 << 20, Box::new(file)),
            shown,
            rename: Some((temp, target)),
        })
    }

    /// Writes text; an error ends the command with the status given.
    pub fn write(&mut self, text: &str) -> Result<(), u8> {
        self.writer
            .write_all(text.as_bytes())
            .map_err(|e| self.failed(&e))
    }

    /// Writes a line.
    pub fn line(&mut self, text: &str) -> Result<(), u8> {
        self.write(text)?;
        self.write("\n")
    }

    /// Flushes everything; an `--out` file is synced and renamed into place.
    pub fn finish(mut self) -> Result<(), u8> {
        if let Err(e) = self.writer.flush() {
            return Err(self.failed(&e));
        }
        let Some((temp, path)) = self.rename.take() else {
            return Ok(());
        };
        if let Err(e) = std::fs::rename(&temp, &path) {
            self.rename = Some((temp, path));
            return Err(self.failed(&e));
        }
        Ok(())
    }

    /// The status a write error ends the command with, after its diagnostic (none for a closed
    /// pipe on standard output).
    fn failed(&mut self, e: &std::io::Error) -> u8 {
        let to_file = self
            .rename
            .take()
            .map(|(temp, _)| std::fs::remove_file(temp));
        if e.kind() == ErrorKind::BrokenPipe && to_file.is_none() {
            return 0;
        }
        report::failure(&eligo::Error::write(&self.shown, describe(e)))
    }
}

impl Drop for Output {
    /// A run that stops early (an error, a refused line) leaves no temporary file behind.
    fn drop(&mut self) {
        if let Some((temp, _)) = self.rename.take() {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// Writes a command's whole result on standard output.
pub fn print(text: &str) -> Result<(), u8> {
    let mut out = Output::stdout();
    out.write(text)?;
    out.finish()
}

/// `.NAME.eligo-PID.tmp` in the folder of `path`: on the same file system, so the final rename
/// is atomic.
/// How an `--out` path is written.
pub enum Target {
    /// Something that is not a regular file (a device, a pipe, a socket): opened and written.
    InPlace,
    /// A regular file, or a name not yet taken: written beside this path and renamed onto it
    /// (a symbolic link's target, so that the link stays a link).
    Replace(PathBuf),
}

impl Target {
    pub fn of(path: &Path) -> Target {
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() && !m.is_dir() => Target::InPlace,
            Ok(_) => Target::Replace(std::fs::canonicalize(path).unwrap_or_else(|_| path.into())),
            Err(_) => Target::Replace(path.into()),
        }
    }
}

fn temporary_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.eligo-{}.tmp", std::process::id()))
}

/// An I/O error in the diagnostics' words: lowercase, without the OS error number.
fn describe(e: &std::io::Error) -> String {
    let text = match e.kind() {
        ErrorKind::StorageFull => "no space left on device".to_string(),
        ErrorKind::BrokenPipe => "the reader closed the pipe".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::NotFound => "no such folder".to_string(),
        _ => e.to_string(),
    };
    let text = match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => text,
    }
}
