//! End to end with a real editor: Neovim (0.11 or later, headless: the driver calls the
//! client's methods, `client:request_sync`, which 0.10 does not have) and its built-in language
//! client drive `eligo lsp` over standard input and output on a copy of `tests/lsp/policies/`,
//! whose `broken.elg` has an error (`tests/e2e_lsp/drive.lua` does the editing). Not part of
//! plain `cargo test` (it needs nvim): `bash tests/run-all.sh` runs it after installing Neovim
//! with `.ci/install-editor`. Without nvim it fails, it does not skip.
//!
//!   cargo test --locked -p eligo-cli --test e2e_lsp

mod common;

use common::TempDir;
use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The editor: `$ELIGO_NVIM`, else `nvim` on `PATH`.
fn nvim() -> String {
    std::env::var("ELIGO_NVIM").unwrap_or_else(|_| "nvim".to_string())
}

fn require_nvim() {
    let found = Command::new(nvim()).arg("--version").output();
    match found {
        Ok(o) if o.status.success() => {}
        _ => panic!(
            "`{}` is not installed: these tests need Neovim 0.11 or later (run .ci/install-editor, or set ELIGO_NVIM)",
            nvim()
        ),
    }
}

/// Runs the driver in a headless Neovim; its report.
fn drive() -> Value {
    require_nvim();
    let dir = TempDir::new("e2e-lsp");
    let fixture = common::repo().join("tests/lsp/policies");
    for entry in std::fs::read_dir(&fixture).expect("the fixture") {
        let entry = entry.expect("a fixture file");
        let text = std::fs::read(entry.path()).expect("a fixture file");
        dir.write(&entry.file_name().to_string_lossy(), text);
    }
    let out = dir.path().join("report.json");
    let script = common::repo().join("tests/e2e_lsp/drive.lua");
    let mut child = Command::new(nvim())
        .args(["--headless", "--clean", "-n", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("ELIGO_BIN", common::BIN)
        .env("ELIGO_E2E_DIR", dir.path())
        .env("ELIGO_E2E_OUT", &out)
        .env("XDG_STATE_HOME", dir.path().join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting nvim");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("waiting for nvim").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            panic!("nvim did not finish in 10 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let text = std::fs::read_to_string(&out).unwrap_or_else(|_| {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        panic!("nvim wrote no report: {err}")
    });
    let report: Value = serde_json::from_str(&text).expect("the report is JSON");
    assert_eq!(report["errors"], Value::Null, "steps failed: {report:#}");
    assert_eq!(report["done"], true, "{report:#}");
    report
}

#[test]
fn neovim_drives_the_language_server() {
    let r = drive();
    // Diagnostics arrive at the line and column of the error, with code and help.
    let d = r["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(d.len(), 1, "{r:#}");
    assert_eq!(
        (d[0]["lnum"].as_u64(), d[0]["col"].as_u64()),
        (Some(4), Some(20))
    );
    assert_eq!(d[0]["code"], "E0201");
    assert!(d[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `qualifies`?"));
    assert_eq!(r["cleared"], true, "the fix clears the error");
    // What is left is `eligo check`'s warning, as a warning: no outcome uses `broken`.
    assert_eq!(
        r["after_fix"],
        serde_json::json!([{"code": "E0701", "warning": true}]),
        "{r:#}"
    );
    // Hover: the type and the doc comment.
    let hover = r["hover"].as_str().expect("a hover");
    assert!(hover.contains("rule qualifies: Bool"), "{hover}");
    assert!(hover.contains("Whether the partner qualifies"), "{hover}");
    // Go to definition jumps to the rule in the other file (1-based line, 0-based column).
    assert_eq!(r["definition"]["file"], "rules.elg");
    assert_eq!(r["definition"]["cursor"], serde_json::json!([13, 5]));
    // Completion lists the rule names.
    let labels: Vec<&str> = r["completion"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for rule in ["qualifies", "recent_deployments", "seats", "broken"] {
        assert!(labels.contains(&rule), "{rule} missing: {labels:?}");
    }
    // Formatting applied its edits to the buffer.
    let formatted: Vec<&str> = r["formatted"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        formatted.contains(&"rule broken: Bool = qualifies and customers > 0"),
        "{formatted:?}"
    );
    // Inlay hints show the values for the project file's facts.
    let hints: Vec<(u64, &str)> = r["hints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["line"].as_u64().unwrap(), h["label"].as_str().unwrap()))
        .collect();
    assert!(hints.contains(&(12, "no")), "{hints:?}");
    assert!(hints.contains(&(18, "= no")), "{hints:?}");
    assert!(
        hints.contains(&(8, "security: 40 · data_ai: 15")),
        "{hints:?}"
    );
    assert!(
        hints.contains(&(15, "✗ no (1 more needed: 2 of 3)")),
        "{hints:?}"
    );
}
