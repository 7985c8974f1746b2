//! Reading files with a size limit: policy files, facts files (or standard input) and facts
//! files named by test cases. A file is refused from its size before it is read; a pipe or a
//! device, which has no size, is read at most one byte past the limit.

use crate::diag::{Error, ErrorKind};
use crate::facts::DEFAULT_MAX_FACTS_BYTES as MAX_FACTS_BYTES;
use crate::syntax::MAX_SOURCE_BYTES;
use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
enum Failure {
    Io(std::io::Error),
    Folder,
    /// Over the limit: the file's size when it was known before reading, else `None` (the
    /// reading stopped one byte past the limit).
    TooLarge(Option<u64>),
}

/// The bytes of a file, or of standard input (`None`), at most `limit` of them.
fn read_limited(path: Option<&Path>, limit: u64) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    match path {
        None => {
            std::io::stdin()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(Failure::Io)?;
        }
        Some(p) => {
            let meta = std::fs::metadata(p).map_err(Failure::Io)?;
            if meta.is_dir() {
                return Err(Failure::Folder);
            }
            if meta.len() > limit {
                return Err(Failure::TooLarge(Some(meta.len())));
            }
            std::fs::File::open(p)
                .map_err(Failure::Io)?
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .map_err(Failure::Io)?;
        }
    }
    match bytes.len() as u64 {
        n if n > limit => Err(Failure::TooLarge(None)),
        _ => Ok(bytes),
    }
}

/// `cannot read PATH: REASON`, with the usual reasons in words.
pub fn cannot_read(path: &str, e: &std::io::Error, missing: &str) -> Error {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => missing.to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    Error::in_file(
        path,
        ErrorKind::CannotRead {
            path: path.to_string(),
            reason,
        },
    )
}

/// The text of a policy file.
pub fn policy_file(p: &Path) -> Result<String, Error> {
    let shown = p.display().to_string();
    let too_large = |size: u64| {
        Error::in_file(
            &shown,
            ErrorKind::SourceTooLarge {
                size: usize::try_from(size).unwrap_or(usize::MAX),
                limit: MAX_SOURCE_BYTES,
            },
        )
    };
    let bytes = read_limited(Some(p), MAX_SOURCE_BYTES as u64).map_err(|f| match f {
        Failure::Io(e) => cannot_read(&shown, &e, "no such file or folder"),
        Failure::Folder => Error::in_file(
            &shown,
            ErrorKind::CannotRead {
                path: shown.clone(),
                reason: "is a folder".into(),
            },
        ),
        Failure::TooLarge(size) => too_large(size.unwrap_or(MAX_SOURCE_BYTES as u64 + 1)),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        Error::in_file(
            &shown,
            ErrorKind::NotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            },
        )
    })
}

/// A facts document: the name it is shown by and its text (without a byte-order mark). `None`
/// reads standard input, shown as `<stdin>`.
pub fn facts_file(path: Option<&Path>) -> Result<(String, String), Error> {
    let stdin = path.is_none();
    let shown = path.map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
    let bytes = read_limited(path, MAX_FACTS_BYTES).map_err(|f| match f {
        Failure::Io(e) if stdin => Error::in_file(
            &shown,
            ErrorKind::CannotRead {
                path: shown.clone(),
                reason: e.to_string(),
            },
        ),
        Failure::Io(e) => cannot_read(&shown, &e, "no such file"),
        Failure::Folder => Error::in_file(
            &shown,
            ErrorKind::CannotRead {
                path: shown.clone(),
                reason: "is a folder, not a facts file".into(),
            },
        ),
        Failure::TooLarge(size) => Error::in_file(
            &shown,
            ErrorKind::FactsTooLarge {
                size,
                limit: MAX_FACTS_BYTES,
            },
        ),
    })?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        Error::in_file(
            &shown,
            ErrorKind::FactsNotUtf8 {
                offset: e.utf8_error().valid_up_to(),
            },
        )
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok((shown, text))
}
