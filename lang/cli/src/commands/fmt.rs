//! `eligo fmt`: the canonical layout of policy files.

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the command; returns the exit status.
pub fn run(_args: Args) -> u8 {
    eprintln!("error: `eligo fmt` is not available in this build yet");
    2
}
