//! The test cases policy authors keep beside their policies (`*.test.json`): facts, a date, and
//! the expected values of outcomes and rules (docs/test.md).

use super::error::Error;
use super::evaluate::Facts;
use super::policies::Policies;
use crate::testing;
use chrono::NaiveDate;
use std::path::Path;

pub use crate::testing::{Expect, Mismatch, TestCase, TestFile};

/// Largest test file read, in bytes: the facts' limit, as a test file holds facts.
pub const MAX_TEST_FILE_BYTES: u64 = crate::facts::DEFAULT_MAX_FACTS_BYTES;

/// The text of a test file (`*.test.json`), at most [`MAX_TEST_FILE_BYTES`] long; `name` is
/// shown in the error (E0001).
pub fn read_test_file(path: &Path, name: &str) -> Result<String, Error> {
    crate::driver::read::text_file(path, name, MAX_TEST_FILE_BYTES)
        .map_err(|e| Error::File(super::Diagnostics::one(e)))
}

/// Parses a test file; `name` is shown in the error (E0604).
pub fn parse_test_file(name: &str, text: &str) -> Result<TestFile, Error> {
    testing::parse_test_file(name, text).map_err(|e| Error::Request(super::Diagnostics::one(e)))
}

/// The result of one test case.
#[derive(Debug, Clone)]
pub struct TestRun {
    /// Expectations that did not hold.
    pub mismatches: Vec<Mismatch>,
    /// The rules the case evaluated (their [`super::RuleInfo::id`]), for coverage.
    pub rules_run: Vec<usize>,
    /// The evaluation date.
    pub as_of: NaiveDate,
    /// The case's facts, to explain a mismatch with.
    pub facts: Facts,
    /// How many expectations were checked.
    pub checked: usize,
}

impl Policies {
    /// Runs one test case; a facts file it names is read relative to `dir`.
    pub fn run_test(&self, case: &TestCase, dir: &Path) -> Result<TestRun, Error> {
        let read = |rel: &str| crate::driver::read::facts_file(Some(&dir.join(rel)));
        // A case fails to run on its facts (reading them) or on its date; evaluation errors
        // are mismatches.
        let r = testing::run_case(self.compiled(), case, &read).map_err(|e| {
            if e.code().starts_with("E04") || e.code() == "E0001" {
                Error::facts(e)
            } else {
                Error::request(e)
            }
        })?;
        Ok(TestRun {
            mismatches: r.mismatches,
            rules_run: r.rules_run.into_iter().map(|r| r as usize).collect(),
            as_of: r.as_of,
            facts: Facts::from_inner(r.facts, r.facts_name),
            checked: r.checked,
        })
    }
}

pub use crate::testing::update::Update as ExpectationUpdate;

/// `eligo test --update`: the test file's text with the expected values of `updates` rewritten
/// in place (nothing else in the text changes); `name` is shown in the error when the text does
/// not hold one of them.
pub fn update_test_file(
    name: &str,
    text: &str,
    updates: &[ExpectationUpdate],
) -> Result<String, Error> {
    crate::testing::update::apply(text, updates)
        .map_err(|path| Error::file(name, format!("no expectation at `{path}` to update")))
}

/// A value as a test file writes it on one line (`[1, 2]`, `{"a": 1}`): how `--update` shows
/// the values it changes.
pub fn expectation_text(value: &serde_json::Value) -> String {
    crate::testing::update::inline(value)
}
