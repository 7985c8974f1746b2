//! Policy files of a git revision (`REV:PATH`), read from the repository with the git command
//! line, without checking anything out: `git ls-tree` lists the `.elg` files under the path,
//! `git cat-file --batch` gives their texts in one process.

use eligo::{Error, Sources};
use std::io::Write;
use std::process::{Command, Stdio};

/// The `.elg` files of `REV:PATH` (a folder, or one file) as sources named by their path under
/// it, as a folder's files are. The reason it fails is git's own message, or a symbolic link
/// among the files: its target is not read (a link's blob holds its target's path).
pub fn sources(spec: &str) -> Result<Sources, Error> {
    let cannot = |reason: String| Error::file(spec, reason);
    let kind = git(&["cat-file", "-t", spec], None).map_err(cannot)?;
    let kind = String::from_utf8_lossy(&kind).trim().to_string();
    let files: Vec<Entry> = match kind.as_str() {
        "tree" => entries(spec, true)
            .map_err(cannot)?
            .into_iter()
            .filter(|e| e.kind == "blob" && e.path.ends_with(".elg"))
            .collect(),
        "blob" => {
            // The entry in its folder's listing, for its mode: `HEAD:a/b.elg` in `HEAD:a/`
            // (a file of the index, `:a/b.elg`, has no such folder: its mode is not known).
            let name = spec.rsplit(['/', ':']).next().unwrap_or(spec);
            let folder = &spec[..spec.len() - name.len()];
            let mode = entries(folder, false)
                .ok()
                .and_then(|listed| listed.into_iter().find(|e| e.path == name))
                .map_or_else(String::new, |e| e.mode);
            vec![Entry {
                mode,
                kind: kind.clone(),
                oid: spec.to_string(),
                path: name.to_string(),
            }]
        }
        other => return Err(cannot(format!("is a {other}, not a folder or a file"))),
    };
    if let Some(link) = files.iter().find(|e| e.mode == SYMLINK) {
        return Err(cannot(format!(
            "`{}` is a symbolic link, and links are not followed in a git revision",
            link.path
        )));
    }
    if files.is_empty() {
        return Err(cannot("holds no policy files (`*.elg`)".to_string()));
    }
    let texts = blobs(files.iter().map(|e| e.oid.as_str())).map_err(cannot)?;
    let mut named: Vec<(String, String)> = files.into_iter().map(|e| e.path).zip(texts).collect();
    named.sort();
    Ok(Sources::from_texts(named))
}

/// The mode git gives a symbolic link.
const SYMLINK: &str = "120000";

/// One line of `git ls-tree`.
struct Entry {
    mode: String,
    kind: String,
    oid: String,
    /// The path under the listed tree.
    path: String,
}

/// The entries of a tree (`recursive`: its files at every depth). `--full-tree`: from a
/// subfolder of the repository git would list only the entries under that folder.
fn entries(tree: &str, recursive: bool) -> Result<Vec<Entry>, String> {
    let mut args = vec!["ls-tree", "--full-tree", "-z"];
    if recursive {
        args.push("-r");
    }
    args.push(tree);
    let listing = git(&args, None)?;
    let mut out = Vec::new();
    for line in listing.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let line = String::from_utf8_lossy(line);
        let parsed = line.split_once('\t').and_then(|(meta, path)| {
            let mut meta = meta.split(' ');
            Some(Entry {
                mode: meta.next()?.to_string(),
                kind: meta.next()?.to_string(),
                oid: meta.next()?.to_string(),
                path: path.to_string(),
            })
        });
        out.push(parsed.ok_or_else(|| format!("unexpected `git ls-tree` line `{line}`"))?);
    }
    Ok(out)
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
