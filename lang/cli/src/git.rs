//! Policy files of a git revision (`REV:PATH`), read from the repository with the git command
//! line, without checking anything out: `git ls-tree` lists the `.elg` files under the path,
//! `git cat-file --batch` gives their texts in one process.

use eligo::{Error, Sources};
use std::io::Write;
use std::process::{Command, Stdio};

/// The `.elg` files of `REV:PATH` (a folder, or one file) as sources named by their path under
/// it, as a folder's files are. The reason it fails is git's own message.
pub fn sources(spec: &str) -> Result<Sources, Error> {
    let cannot = |reason: String| Error::file(spec, reason);
    let kind = git(&["cat-file", "-t", spec], None).map_err(cannot)?;
    let kind = String::from_utf8_lossy(&kind).trim().to_string();
    let files: Vec<(String, String)> = match kind.as_str() {
        "tree" => {
            let listing = git(&["ls-tree", "-r", "-z", spec], None).map_err(cannot)?;
            let mut files = Vec::new();
            for entry in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
                let entry = String::from_utf8_lossy(entry);
                let Some((meta, path)) = entry.split_once('\t') else {
                    return Err(cannot(format!("unexpected `git ls-tree` line `{entry}`")));
                };
                let mut meta = meta.split(' ');
                let (kind, oid) = (meta.nth(1), meta.next());
                if kind == Some("blob") && path.ends_with(".elg") {
                    files.push((path.to_string(), oid.unwrap_or_default().to_string()));
                }
            }
            files
        }
        "blob" => {
            let name = spec.rsplit(['/', ':']).next().unwrap_or(spec).to_string();
            vec![(name, spec.to_string())]
        }
        other => return Err(cannot(format!("is a {other}, not a folder or a file"))),
    };
    if files.is_empty() {
        return Err(cannot("holds no policy files (`*.elg`)".to_string()));
    }
    let texts = blobs(files.iter().map(|(_, oid)| oid.as_str())).map_err(cannot)?;
    let mut named: Vec<(String, String)> = files.into_iter().map(|(n, _)| n).zip(texts).collect();
    named.sort();
    Ok(Sources::from_texts(named))
}

/// The texts of blobs, in order, from one `git cat-file --batch`.
fn blobs<'a>(names: impl Iterator<Item = &'a str>) -> Result<Vec<String>, String> {
    let mut input = String::new();
    for n in names {
        input.push_str(n);
        input.push('\n');
    }
    let out = git(&["cat-file", "--batch"], Some(input.as_bytes()))?;
    let mut rest = &out[..];
    let mut texts = Vec::new();
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("`git cat-file` ended early")?;
        let header = String::from_utf8_lossy(&rest[..end]).to_string();
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("`git cat-file` said `{header}`"))?;
        let body = rest
            .get(end + 1..end + 1 + size)
            .ok_or("`git cat-file` ended early")?;
        let text = String::from_utf8(body.to_vec())
            .map_err(|_| format!("a policy file is not UTF-8 (`{header}`)"))?;
        texts.push(text);
        rest = rest.get(end + 2 + size..).unwrap_or(&[]);
    }
    Ok(texts)
}

/// Runs git; its standard output, or its first line of error.
fn git(args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut child = Command::new("git")
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        // git answers line by line while it reads: write from another thread so that neither
        // waits on a full pipe.
        let bytes = bytes.to_vec();
        std::thread::spawn(move || stdin.write_all(&bytes));
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("git failed: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().next().unwrap_or("git failed").trim();
        let first = first.trim_start_matches("fatal: ");
        // Diagnostics start in lowercase.
        let mut chars = first.chars();
        Err(chars.next().map_or(String::new(), |c| {
            c.to_lowercase().chain(chars).collect::<String>()
        }))
    }
}
