//! The language server's latency: diagnostics for the standard policies after an edit (the
//! buffer of one file changed, the folder checked again and its diagnostics made), the target
//! under 50 ms (docs/performance.md).
//!
//!   cargo bench -p eligo-lsp --bench diagnostics

use criterion::{criterion_group, criterion_main, Criterion};

// The allocator of the `eligo` binary, which runs the server.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use eligo_lsp::bench::Editor;
use std::path::PathBuf;

/// The standard policies written to a folder, as an editor finds them.
fn standard_folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eligo-lsp-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (name, _, text) in eligo::Sources::standard().files() {
        let name = name.trim_start_matches("<stdlib>/");
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("a temporary folder");
        std::fs::write(path, text).expect("a temporary file");
    }
    dir
}

fn diagnostics_after_edit(c: &mut Criterion) {
    let dir = standard_folder();
    let path = dir.join("designations.elg");
    let text = std::fs::read_to_string(&path).expect("designations.elg");
    // Two versions of the buffer, as typing alternates them: valid, and with an unknown name.
    let valid = format!("{text}\n# edited\n");
    let broken = text.replacen(
        "known_designations.attained_on",
        "known_designation.attained_on",
        1,
    );
    let mut editor = Editor::new(&dir);
    assert_eq!(editor.edit(&path, &valid), 0, "the standard policies check");
    assert!(editor.edit(&path, &broken) > 0, "the typo is reported");
    let mut group = c.benchmark_group("lsp");
    group.bench_function("diagnostics_after_edit/valid", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            let t = if flip {
                valid.clone()
            } else {
                format!("{valid} ")
            };
            editor.edit(&path, &t)
        })
    });
    group.bench_function("diagnostics_after_edit/with_error", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            let t = if flip {
                broken.clone()
            } else {
                format!("{broken} ")
            };
            editor.edit(&path, &t)
        })
    });
    // Live values (what the inlay hints show) for an example partner, computed again after the
    // edit: every rule without parameters or of one enum parameter, every outcome, and the
    // explanations that give the criteria their values.
    let facts =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/contoso-isv.json");
    let mut live = Editor::new(&dir).with_facts(&facts);
    assert!(live.live_values(&path, &valid) > 0, "the rules have values");
    group.bench_function("live_values_after_edit", |b| {
        let mut flip = false;
        b.iter(|| {
            flip = !flip;
            let t = if flip {
                valid.clone()
            } else {
                format!("{valid} ")
            };
            live.live_values(&path, &t)
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, diagnostics_after_edit);
criterion_main!(benches);
