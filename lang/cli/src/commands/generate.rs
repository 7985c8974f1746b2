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
    /// Facts for these policies' `facts` declaration (any program), drawn from its JSON Schema
    /// (`eligo schema`); without it, realistic facts for the standard policies.
    #[arg(long, value_name = "POLICIES")]
    policies: Option<PathBuf>,
}

/// Runs the command; returns the exit status.
pub fn run(args: Args) -> u8 {
    let mut next: Box<dyn FnMut() -> String> = match &args.policies {
        None => {
            let mut g = eligo_generate::Generator::new(args.seed);
            Box::new(move || g.partner())
        }
        Some(path) => {
            let schema = match super::load(Some(path)).map(|p| p.facts_schema()) {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => return crate::report::failure(&e),
                Err(code) => return code,
            };
            let mut g = eligo_generate::SchemaGenerator::new(schema, args.seed);
            Box::new(move || g.document())
        }
    };
    let mut out = match crate::output::Output::to(args.out.as_deref()) {
        Ok(w) => w,
        Err(code) => return code,
    };
    for _ in 0..args.partners {
        if let Err(code) = out.line(&next()) {
            return code;
        }
    }
    out.finish().err().unwrap_or(0)
}
