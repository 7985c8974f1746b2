//! `eligo generate`: a seeded population of partner facts.

use std::path::PathBuf;

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// How many partners.
    #[arg(long, value_name = "N")]
    partners: u64,
    /// The seed: the same seed gives the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Write here instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let mut out = match crate::output::Output::to(args.out.as_deref()) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let mut g = eligo_generate::Generator::new(args.seed);
    for _ in 0..args.partners {
        if let Err(code) = out.line(&g.partner()) {
            return code;
        }
    }
    out.finish().err().unwrap_or(0)
}
