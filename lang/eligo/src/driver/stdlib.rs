//! The standard policies (`stdlib-policies/`), built into the library so that every front end
//! evaluates them without a folder at hand.

use super::{module_name, LoadedSources};
use include_dir::{include_dir, Dir};

static STDLIB: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/../../stdlib-policies");

/// The embedded policy files, in path order, named `<stdlib>/…`.
pub fn standard_sources() -> LoadedSources {
    let mut files = Vec::new();
    collect(&STDLIB, &mut files);
    files.sort();
    LoadedSources { files }
}

fn collect(dir: &Dir<'_>, out: &mut Vec<(String, String, String)>) {
    for f in dir.files() {
        let path = f.path().to_string_lossy().replace('\\', "/");
        if !path.ends_with(".elg") {
            continue;
        }
        if let Some(text) = f.contents_utf8() {
            out.push((
                format!("<stdlib>/{path}"),
                module_name(&path),
                text.to_string(),
            ));
        }
    }
    for d in dir.dirs() {
        collect(d, out);
    }
}
