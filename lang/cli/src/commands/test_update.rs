//! `eligo test --update`: after a reviewed change, the failing expectations of a test file are
//! rewritten to the values found, the difference shown first (`-` the old expectation, `+` the
//! new). Only the values change in the file (docs/test.md).

use crate::report;
use eligo::{expectation_text, update_test_file, Error, ExpectationUpdate};
use std::path::Path;

/// Shows the updates of one test file (its `text` as the run read it), then writes it; reports
/// a file that cannot be written (exit status 1).
pub fn write(
    file: &Path,
    shown: &str,
    text: &str,
    updates: &[ExpectationUpdate],
) -> Result<(), u8> {
    if updates.is_empty() {
        return Ok(());
    }
    let fail = |e: Error| report::failure(&e);
    let new = update_test_file(shown, text, updates).map_err(fail)?;
    let mut diff = format!("--- {shown}\n+++ {shown} (updated)\n");
    for u in updates {
        let kind = if u.rule { "rules" } else { "outcomes" };
        let key = &u.key;
        diff.push_str(&format!("@@ {} › expect.{kind}\n", u.name));
        diff.push_str(&format!("-  \"{key}\": {}\n", expectation_text(&u.old)));
        diff.push_str(&format!("+  \"{key}\": {}\n", expectation_text(&u.value)));
    }
    report::stdout(&diff);
    std::fs::write(file, new).map_err(|e| fail(Error::file(shown, e.to_string())))?;
    report::stdout(&format!(
        "updated {shown}: {} expectation(s)\n",
        updates.len()
    ));
    Ok(())
}
