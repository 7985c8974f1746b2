//! The library's stages import only the stages before them (HACKING.md's map), so its module
//! graph has no cycle. Every top-level module of `lang/eligo/src` has a rank below; a `crate::X`
//! path (in a `use` or inline, `use crate::{…}` groups included) must name a module of a lower
//! rank. Comments and `#[cfg(test)]` modules are not read: tests may reach anywhere.
//!
//! A new module needs a rank here: add it where it belongs in the pipeline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The pipeline, earliest first; modules of one rank do not use each other.
const RANKS: &[(&str, u8)] = &[
    ("source", 0),
    ("diag", 1),
    ("syntax", 2),
    ("model", 3),
    ("resolve", 4),
    ("types", 5),
    ("facts", 6),
    ("eval", 7),
    ("driver", 8),
    ("explain", 9),
    ("batch", 9),
    ("testing", 9),
    ("format", 9),
    ("diff", 10),
    ("api", 11),
    ("project", 12),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../eligo/src")
}

fn rank(module: &str) -> Option<u8> {
    RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// The code of a file without comments and without what follows its first `#[cfg(test)]`
/// module.
fn code(text: &str) -> String {
    let test_module = text
        .match_indices("#[cfg(test)]")
        .find(|(i, m)| text[i + m.len()..].trim_start().starts_with("mod "));
    let text = test_module.map_or(text, |(i, _)| &text[..i]);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level names of a `{a::b, c, d::{e, f}}` group's inside.
fn group_names(group: &str) -> Vec<String> {
    let (mut names, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for ch in group.chars() {
        match ch {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 && ch == ',' {
            names.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    names.push(cur);
    names
        .iter()
        .filter_map(|n| {
            let n = n.trim_start();
            let end = n
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(n.len());
            (end > 0).then(|| n[..end].to_string())
        })
        .collect()
}

/// The modules a piece of code names through `crate::`.
fn targets(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        let after = &code[i + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let end = group.find("};").unwrap_or(group.len());
            out.extend(group_names(&group[..end]));
        } else {
            let name = after
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .next()
                .unwrap_or("");
            out.extend(group_names(name));
        }
    }
    out
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a readable folder") {
        let p = entry.expect("an entry").path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Each module and the modules it uses, with a file that uses each.
fn graph() -> BTreeMap<String, BTreeMap<String, PathBuf>> {
    let root = src();
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut graph: BTreeMap<String, BTreeMap<String, PathBuf>> = BTreeMap::new();
    for path in all {
        let rel = path.strip_prefix(&root).expect("under src");
        let first = rel
            .components()
            .next()
            .expect("a path")
            .as_os_str()
            .to_string_lossy()
            .trim_end_matches(".rs")
            .to_string();
        if first == "lib" || first == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a readable file");
        let uses = graph.entry(first.clone()).or_default();
        for t in targets(&code(&text)) {
            if t != first && t != "self" {
                uses.entry(t).or_insert_with(|| rel.to_path_buf());
            }
        }
    }
    graph
}

#[test]
fn every_stage_uses_only_earlier_stages() {
    let graph = graph();
    assert!(graph.len() >= 12, "read only {} modules", graph.len());
    let mut problems = Vec::new();
    for (module, uses) in &graph {
        let Some(mine) = rank(module) else {
            problems.push(format!(
                "`{module}` has no rank in tests/layers.rs: add it where it belongs"
            ));
            continue;
        };
        for (target, file) in uses {
            match rank(target) {
                Some(theirs) if theirs < mine => {}
                Some(_) => problems.push(format!(
                    "`{module}` uses `{target}` ({}), a stage that is not before it",
                    file.display()
                )),
                // `crate::X` where X is no module (a re-exported item): not a stage edge.
                None if !graph.contains_key(target) => {}
                None => problems.push(format!("`{target}` has no rank in tests/layers.rs")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_reader_sees_uses_through_groups_and_paths_but_not_comments() {
    let text = "use crate::{model::Value, diag::{Error, ErrorKind}};\n\
                // crate::eval is only mentioned\n\
                fn f() { crate::types::check(); }\n\
                #[cfg(test)]\nmod tests { use crate::api; }\n";
    let mut t = targets(&code(text));
    t.sort();
    assert_eq!(t, ["diag", "model", "types"]);
}
