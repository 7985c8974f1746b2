//! Reading files with a size limit: policy files, facts files (or standard input), facts files
//! named by test cases, and other text files (test files, the project file). A file is refused
//! from its size before it is read; a pipe or a device, which has no size, is read at most one
//! byte past the limit.

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

/// `cannot read PATH: REASON` (E0001) with a reason of eligo's own.
fn cannot(path: &str, reason: impl Into<String>) -> Error {
    Error::in_file(
        path,
        ErrorKind::CannotRead {
            path: path.to_string(),
            reason: reason.into(),
        },
    )
}

/// The text of a file of at most `limit` bytes (a test file, the project file), shown as
/// `shown`; every failure is `cannot read PATH: REASON` (E0001).
pub fn text_file(path: &Path, shown: &str, limit: u64) -> Result<String, Error> {
    let bytes = read_limited(Some(path), limit).map_err(|f| match f {
        Failure::Io(e) => cannot_read(shown, &e, "no such file"),
        Failure::Folder => cannot(shown, "is a folder"),
        Failure::TooLarge(_) => cannot(shown, format!("larger than {limit} bytes")),
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        cannot(shown, format!("not UTF-8 (at byte {at})"))
    })
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
        Failure::Folder => cannot(&shown, "is a folder"),
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
        Failure::Io(e) if stdin => cannot(&shown, e.to_string()),
        Failure::Io(e) => cannot_read(&shown, &e, "no such file"),
        Failure::Folder => cannot(&shown, "is a folder, not a facts file"),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder for one test, under the system's temporary folder.
    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("eligo-read-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir
    }

    fn message(e: &Error) -> String {
        format!("{}: {e}", e.code())
    }

    #[test]
    fn a_text_file_over_the_limit_is_refused_from_its_size() {
        let dir = scratch("large");
        let path = dir.join("big.test.json");
        // Sparse: the size says a gigabyte, nothing is written or read.
        let file = std::fs::File::create(&path).expect("a file");
        file.set_len(1 << 30).expect("a size");
        let e = text_file(&path, "big.test.json", 1024).expect_err("too large");
        assert_eq!(
            message(&e),
            "E0001: cannot read `big.test.json`: larger than 1024 bytes"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_text_file_without_size_stops_one_byte_past_the_limit() {
        // `/dev/zero` has no size and never ends.
        let e = text_file(Path::new("/dev/zero"), "/dev/zero", 1024).expect_err("too large");
        assert_eq!(
            message(&e),
            "E0001: cannot read `/dev/zero`: larger than 1024 bytes"
        );
    }

    #[test]
    fn a_text_file_that_is_a_folder_missing_or_not_utf8_is_named() {
        let dir = scratch("reasons");
        let bad = dir.join("bad.json");
        std::fs::write(&bad, b"ab\xffcd").expect("a file");
        let reason = |p: &Path| message(&text_file(p, "f", 1024).expect_err("refused"));
        assert_eq!(reason(&dir), "E0001: cannot read `f`: is a folder");
        assert_eq!(
            reason(&dir.join("none")),
            "E0001: cannot read `f`: no such file"
        );
        assert_eq!(
            reason(&bad),
            "E0001: cannot read `f`: not UTF-8 (at byte 2)"
        );
        std::fs::write(&bad, "{}").expect("a file");
        assert_eq!(text_file(&bad, "f", 2).expect("at the limit"), "{}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
