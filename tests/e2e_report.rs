//! `eligo report` in a real browser: headless Chromium (Debian's `chromium`, .ci/install-browser)
//! opens each page from a `file://` URL, and the test reads the DOM it dumps (`scraper`) and
//! compares it with the command line's own answers: every outcome of `eligo eval --format json`
//! is on the partner page with the same value, each score bar holds the metric's points of
//! `eligo explain --format json` (and the total bar the outcome's value), the timeline holds
//! exactly the change dates of `eligo explain --format json`, every citation link leads to its
//! source, and the console shows no uncaught error. The population page is checked against
//! `eligo batch` over `eligo generate --partners 2000`.
//!
//! Declared with `test = false` (Chromium is needed): `bash tests/run-all.sh` runs it, or
//! `cargo test -p eligo-cli --test e2e_report`. Without Chromium it fails, it never skips.
//! `ELIGO_SCREENSHOTS=1` also rewrites the screenshots in docs/report/ (docs/report.md).

mod common;

use rust_decimal::Decimal;
use scraper::{Html, Selector};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// The browser: `$CHROMIUM`, else `chromium` on the PATH.
fn chromium() -> PathBuf {
    let name = std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".into());
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(&name))
            .find(|p| p.is_file())
    });
    match found {
        Some(p) => p,
        None if Path::new(&name).is_file() => PathBuf::from(name),
        None => panic!(
            "Chromium is needed for this test and `{name}` is not on the PATH: run .ci/install-browser (Debian package `chromium`)"
        ),
    }
}

/// Chromium's flags that work here (.ci/README.md): a profile of its own per launch.
fn browser(profile: &Path) -> Command {
    let mut c = Command::new(chromium());
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--virtual-time-budget=5000",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    c.arg(format!("--user-data-dir={}", profile.display()));
    c
}

fn url(page: &Path) -> String {
    format!(
        "file://{}",
        page.canonicalize().expect("the page exists").display()
    )
}

/// The DOM after the page has loaded and its scripts ran; fails on an uncaught error.
fn dom(page: &Path, tmp: &Path) -> Html {
    let profile = tmp.join(format!(
        "profile-dom-{}",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let out = browser(&profile)
        .arg("--dump-dom")
        .arg(url(page))
        .output()
        .expect("chromium runs");
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "chromium failed on {}:\n{log}",
        page.display()
    );
    assert!(
        !log.contains("Uncaught"),
        "a script error on {}:\n{log}",
        page.display()
    );
    let text = String::from_utf8(out.stdout).expect("the DOM is UTF-8");
    assert!(
        text.contains("</html>"),
        "no DOM for {}:\n{log}",
        page.display()
    );
    Html::parse_document(&text)
}

/// A screenshot of the top of the page.
fn screenshot(page: &Path, png: &Path, height: u32, tmp: &Path) {
    let profile = tmp.join(format!(
        "profile-shot-{}",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let out = browser(&profile)
        .arg(format!("--window-size=1280,{height}"))
        .arg(format!("--screenshot={}", png.display()))
        .arg(url(page))
        .output()
        .expect("chromium runs");
    let size = std::fs::metadata(png).map(|m| m.len()).unwrap_or(0);
    assert!(
        out.status.success() && size > 10_000,
        "no screenshot of {} ({size} bytes):\n{}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a selector")
}

fn attr<'a>(e: &scraper::ElementRef<'a>, name: &str) -> &'a str {
    e.value()
        .attr(name)
        .unwrap_or_else(|| panic!("no {name} on {}", e.html()))
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s)
        .unwrap_or_else(|_| panic!("not a number: {s}"))
        .normalize()
}

fn json_of(args: &[&str]) -> Json {
    let run = common::run(args);
    run.exits(0);
    run.json()
}

/// The nodes of a JSON explanation tree, five levels deep at most, that hold metrics.
fn scores<'a>(n: &'a Json, levels: usize, out: &mut Vec<&'a Json>) {
    let children = n["children"].as_array().expect("children");
    if children.iter().any(|c| c["kind"] == "metric") {
        out.push(n);
    } else if levels > 0 {
        for c in children {
            scores(c, levels - 1, out);
        }
    }
}

fn metric_points(s: &Json) -> Vec<(String, Decimal)> {
    s["children"]
        .as_array()
        .expect("children")
        .iter()
        .filter(|c| c["kind"] == "metric")
        .map(|c| {
            (
                c["label"].as_str().unwrap().to_string(),
                dec(&c["value"].to_string()),
            )
        })
        .collect()
}

/// The score an outcome's number is the total of (of two tracks, the one that gives it).
fn score(n: &Json, value: &Json) -> Option<Vec<(String, Decimal)>> {
    let value = dec(&value.as_number()?.to_string());
    let mut all = Vec::new();
    scores(n, 5, &mut all);
    all.iter()
        .map(|s| metric_points(s))
        .find(|m| m.iter().map(|(_, v)| *v).sum::<Decimal>() == value)
}

fn screenshots_wanted() -> bool {
    std::env::var_os("ELIGO_SCREENSHOTS").is_some_and(|v| v == "1")
}

#[test]
fn every_example_has_a_partner_report_that_the_browser_shows_as_the_cli_says() {
    let tmp = common::TempDir::new("e2e-report");
    let mut examples: Vec<PathBuf> = std::fs::read_dir(common::repo().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    examples.sort();
    assert!(examples.len() >= 10, "{examples:?}");
    for example in &examples {
        let name = example.file_stem().unwrap().to_string_lossy().to_string();
        let facts = format!("examples/{name}.json");
        let page = tmp.path().join(format!("{name}.html"));
        let page_arg = page.display().to_string();
        common::run(&["report", "--facts", &facts, "--out", &page_arg]).exits(0);
        let doc = dom(&page, tmp.path());
        let outcomes = json_of(&["eval", "--facts", &facts, "--format", "json"]);
        let explained = json_of(&["explain", "--facts", &facts, "--format", "json"]);
        check_outcomes(&name, &doc, &outcomes);
        check_bars(&name, &doc, &outcomes, &explained);
        check_timeline(&name, &doc, &explained);
        check_links(&name, &doc);
        if screenshots_wanted() {
            let dir = common::repo().join("docs/report");
            std::fs::create_dir_all(&dir).expect("docs/report/");
            screenshot(&page, &dir.join(format!("{name}.png")), 1600, tmp.path());
        }
    }
}

fn check_outcomes(name: &str, doc: &Html, outcomes: &Json) {
    let rows = sel("tr.outcome");
    let shown: BTreeMap<&str, Json> = doc
        .select(&rows)
        .map(|r| {
            let v: Json = serde_json::from_str(attr(&r, "data-value")).expect("data-value is JSON");
            (attr(&r, "data-outcome"), v)
        })
        .collect();
    let expected = outcomes["outcomes"].as_object().expect("outcomes");
    assert_eq!(shown.len(), expected.len(), "{name}: outcomes on the page");
    for (id, v) in expected {
        assert_eq!(shown.get(id.as_str()), Some(v), "{name}: outcome {id}");
        let tree = sel(&format!("details.outcome-tree[data-outcome=\"{id}\"]"));
        assert_eq!(doc.select(&tree).count(), 1, "{name}: the tree of {id}");
    }
}

fn check_bars(name: &str, doc: &Html, outcomes: &Json, explained: &Json) {
    let bars = sel("g.bar");
    let mut by_outcome: BTreeMap<&str, Vec<(&str, Decimal)>> = BTreeMap::new();
    for b in doc.select(&bars) {
        by_outcome
            .entry(attr(&b, "data-outcome"))
            .or_default()
            .push((attr(&b, "data-metric"), dec(attr(&b, "data-value"))));
    }
    let mut scores = 0;
    for o in explained["outcomes"].as_array().expect("outcomes") {
        let id = o["id"].as_str().expect("an id");
        let value = &outcomes["outcomes"][id];
        let Some(metrics) = score(&o["tree"], value) else {
            assert!(
                !by_outcome.contains_key(id),
                "{name}: bars for {id}, which is no score"
            );
            continue;
        };
        scores += 1;
        let shown = by_outcome
            .get(id)
            .unwrap_or_else(|| panic!("{name}: no bars for {id}"));
        let (total, rest) = shown.split_last().expect("bars");
        assert_eq!(total.0, "total", "{name}: {id}: the last bar is the total");
        assert_eq!(
            total.1,
            dec(&value.to_string()),
            "{name}: {id}: total = the outcome"
        );
        let rest: Vec<(String, Decimal)> = rest.iter().map(|(l, v)| (l.to_string(), *v)).collect();
        assert_eq!(rest, metrics, "{name}: {id}: a bar per metric, its points");
    }
    if name == "just-below-70" {
        assert!(scores >= 6, "{name}: {scores} scores");
        let t = sel("g.bar[data-outcome=\"capability_score.data_ai\"][data-metric=\"total\"]");
        let total = doc.select(&t).next().expect("the data_ai total");
        assert_eq!(attr(&total, "data-value"), "69");
        assert_eq!(attr(&total, "data-threshold"), "70");
    }
}

fn check_timeline(name: &str, doc: &Html, explained: &Json) {
    let items = sel("li.change");
    let shown: BTreeSet<(String, String)> = doc
        .select(&items)
        .map(|i| {
            (
                attr(&i, "data-outcome").to_string(),
                attr(&i, "data-date").to_string(),
            )
        })
        .collect();
    let mut expected = BTreeSet::new();
    for o in explained["outcomes"].as_array().expect("outcomes") {
        for c in o["changes"].as_array().expect("changes") {
            expected.insert((
                o["id"].as_str().unwrap().to_string(),
                c["date"].as_str().unwrap().to_string(),
            ));
        }
    }
    assert_eq!(shown, expected, "{name}: the timeline's dates");
    let count = doc.select(&items).count();
    assert_eq!(count, expected.len(), "{name}: one item per change");
}

fn check_links(name: &str, doc: &Html) {
    let ids: BTreeSet<&str> = doc.select(&sel("[id]")).map(|e| attr(&e, "id")).collect();
    let mut cites = 0;
    for a in doc.select(&sel("a[href]")) {
        let href = attr(&a, "href");
        let target = href
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("{name}: a link out: {href}"));
        assert!(ids.contains(target), "{name}: a link to nothing: {href}");
        cites += usize::from(href.starts_with("#src-"));
    }
    assert!(cites > 0, "{name}: no citation links");
    for s in ["script[src]", "link[href]", "img[src]"] {
        assert_eq!(
            doc.select(&sel(s)).count(),
            0,
            "{name}: `{s}` fetches something"
        );
    }
    // Readable without colour: every mark carries its word.
    for m in doc.select(&sel(".met, .unmet")) {
        let text: String = m.text().collect();
        assert!(
            text.contains("met"),
            "{name}: a mark without its word: {text}"
        );
    }
}

#[test]
fn a_population_report_over_2000_generated_partners_counts_what_batch_says() {
    let tmp = common::TempDir::new("e2e-population");
    let facts = tmp.path().join("population.ndjson");
    let outcomes = tmp.path().join("outcomes.ndjson");
    let (f, o) = (facts.display().to_string(), outcomes.display().to_string());
    common::run(&["generate", "--partners", "2000", "--out", &f]).exits(0);
    common::run(&["batch", "--population", &f, "--out", &o]).exits(0);
    let from_facts = tmp.path().join("population.html");
    let from_batch = tmp.path().join("from-batch.html");
    let (pf, pb) = (
        from_facts.display().to_string(),
        from_batch.display().to_string(),
    );
    common::run(&["report", "--population", &f, "--out", &pf]).exits(0);
    common::run(&["report", "--population", &o, "--out", &pb]).exits(0);
    let lines: Vec<Json> = std::fs::read_to_string(&outcomes)
        .expect("the outcomes")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 2000);
    for page in [&from_facts, &from_batch] {
        let doc = dom(page, tmp.path());
        check_population(&doc, &lines);
    }
    if screenshots_wanted() {
        let png = common::repo().join("docs/report/population-2000.png");
        screenshot(&from_facts, &png, 2200, tmp.path());
    }
}

fn check_population(doc: &Html, lines: &[Json]) {
    let count = |id: &str, pred: &dyn Fn(&Json) -> bool| {
        lines
            .iter()
            .filter(|l| pred(&l["outcomes"][id]))
            .count()
            .to_string()
    };
    let rows: Vec<_> = doc.select(&sel("tr.count")).collect();
    assert!(rows.len() > 50, "{} boolean rows", rows.len());
    for r in &rows {
        let id = attr(r, "data-outcome");
        assert_eq!(
            attr(r, "data-true"),
            count(id, &|v| v == &Json::Bool(true)),
            "{id}"
        );
        assert_eq!(
            attr(r, "data-false"),
            count(id, &|v| v == &Json::Bool(false)),
            "{id}"
        );
    }
    let histograms: Vec<_> = doc.select(&sel("svg[data-outcome]")).collect();
    assert!(histograms.len() >= 6, "{} histograms", histograms.len());
    for h in &histograms {
        let id = attr(h, "data-outcome");
        let numbers: Vec<Decimal> = lines
            .iter()
            .filter_map(|l| l["outcomes"][id].as_number().map(|n| dec(&n.to_string())))
            .collect();
        assert_eq!(attr(h, "data-count"), numbers.len().to_string(), "{id}");
        let binned: usize = h
            .select(&sel("g.bin"))
            .map(|b| attr(&b, "data-count").parse::<usize>().unwrap())
            .sum();
        assert_eq!(binned, numbers.len(), "{id}: every value in a bin");
        assert_eq!(
            dec(attr(h, "data-max")),
            *numbers.iter().max().unwrap(),
            "{id}"
        );
        assert_eq!(
            dec(attr(h, "data-min")),
            *numbers.iter().min().unwrap(),
            "{id}"
        );
    }
    // The partners nearest each score threshold: below it, highest first, as batch says.
    let thresholds: Vec<_> = doc.select(&sel("p.threshold")).collect();
    // One per solution area's score (six areas).
    assert_eq!(thresholds.len(), 6, "{} thresholds", thresholds.len());
    for t in &thresholds {
        let id = attr(t, "data-outcome");
        let limit = dec(attr(t, "data-threshold"));
        let mut below: Vec<Decimal> = lines
            .iter()
            .filter_map(|l| l["outcomes"][id].as_number().map(|n| dec(&n.to_string())))
            .filter(|v| *v < limit)
            .collect();
        below.sort_by(|a, b| b.cmp(a));
        let shown: Vec<Decimal> = doc
            .select(&sel(&format!("tr.nearest[data-outcome=\"{id}\"]")))
            .map(|r| dec(attr(&r, "data-value")))
            .collect();
        assert_eq!(
            shown,
            below.iter().take(10).copied().collect::<Vec<_>>(),
            "{id}"
        );
    }
    let enums: Vec<_> = doc.select(&sel("tr.variant")).collect();
    for e in &enums {
        let id = attr(e, "data-outcome");
        let v = attr(e, "data-variant");
        let expected = if v == "none" {
            count(id, &|x| x.is_null())
        } else {
            count(id, &|x| x.as_str() == Some(v))
        };
        assert_eq!(attr(e, "data-count"), expected, "{id} {v}");
    }
}

/// `eligo diff --format html`: the impact page of raising a score threshold from 70 to 75, in the
/// browser, holds for each outcome the count and transitions of `eligo diff --format json`, and
/// for each changed partner the flipped criteria of `--explain`.
#[test]
fn the_impact_page_of_a_diff_shows_what_the_json_diff_says() {
    let tmp = common::TempDir::new("e2e-impact");
    let population = tmp.path().join("population.ndjson").display().to_string();
    common::run(&[
        "generate",
        "--partners",
        "300",
        "--seed",
        "7",
        "--out",
        &population,
    ])
    .exits(0);
    let head = tmp.path().join("score-75");
    common::copy_tree(&common::repo().join("stdlib-policies"), &head);
    let scores = head.join("capability/scores.elg");
    let text = std::fs::read_to_string(&scores).expect("scores.elg");
    let edited = text
        .replace("s.total >= 70", "s.total >= 75")
        .replace("\"at least 70 points\"", "\"at least 75 points\"");
    assert_ne!(edited, text, "the edit applies");
    std::fs::write(&scores, edited).expect("write");
    let head = head.display().to_string();
    let args = |format: &str| {
        vec![
            "diff".to_string(),
            "stdlib-policies".into(),
            head.clone(),
            "--population".into(),
            population.clone(),
            "--explain".into(),
            "--format".into(),
            format.into(),
        ]
    };
    let json_args = args("json");
    let expected = json_of(&json_args.iter().map(String::as_str).collect::<Vec<_>>());
    let html_args = args("html");
    let run = common::run(&html_args.iter().map(String::as_str).collect::<Vec<_>>());
    run.exits(0);
    let page = tmp.path().join("impact.html");
    std::fs::write(&page, &run.stdout).expect("write the page");
    let doc = dom(&page, tmp.path());
    let outcomes = expected["outcomes"].as_object().expect("outcomes");
    assert!(!outcomes.is_empty(), "the change changes something");
    let figures: Vec<_> = doc.select(&sel("figure.impact")).collect();
    assert_eq!(
        figures.len(),
        outcomes.len(),
        "one figure per changed outcome"
    );
    for f in figures {
        let id = attr(&f, "data-outcome");
        let o = &outcomes[id];
        assert_eq!(attr(&f, "data-changed"), o["changed"].to_string(), "{id}");
        let shown: BTreeMap<String, String> = f
            .select(&sel("g.bar"))
            .map(|b| {
                (
                    attr(&b, "data-transition").to_string(),
                    attr(&b, "data-count").to_string(),
                )
            })
            .collect();
        let said: BTreeMap<String, String> = o["transitions"]
            .as_object()
            .expect("transitions")
            .iter()
            .map(|(t, n)| (t.clone(), n.to_string()))
            .collect();
        assert_eq!(shown, said, "{id}");
    }
    let partners: Vec<_> = doc.select(&sel("details.partner")).collect();
    let explained = expected["explained"].as_array().expect("explained");
    assert_eq!(partners.len(), explained.len());
    assert_eq!(
        explained.len() as u64,
        expected["changed_partners"].as_u64().expect("a count")
    );
    let first = partners[0].text().collect::<String>();
    assert!(first.contains("“at least 75 points” = no"), "{first}");
}
