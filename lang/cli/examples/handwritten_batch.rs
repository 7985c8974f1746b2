//! The hand-written baseline of benchmark 5 (docs/performance.md): reads an NDJSON population
//! with serde into typed structs and writes the certified-software-for-Azure outcome of each
//! partner, one thread. `cargo run --release --example handwritten_batch -- POP.ndjson 2024-08-06`
#![forbid(unsafe_code)]

#[path = "../benches/handwritten.rs"]
mod handwritten;

use std::io::{BufRead, BufReader, BufWriter, Write};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(date)) = (args.next(), args.next()) else {
        eprintln!("usage: handwritten_batch POPULATION.ndjson YYYY-MM-DD");
        std::process::exit(2);
    };
    let as_of = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or_else(|e| {
        eprintln!("bad date: {e}");
        std::process::exit(2);
    });
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut line_out = String::new();
    for line in BufReader::new(file).lines() {
        let Ok(line) = line else { break };
        line_out.clear();
        match serde_json::from_str::<handwritten::Facts>(&line) {
            Ok(f) => handwritten::output_line(&f, as_of, &mut line_out),
            Err(e) => line_out.push_str(&format!("{{\"error\":{:?}}}", e.to_string())),
        }
        let _ = writeln!(out, "{line_out}");
    }
}
