//! `eligo test`: test cases kept next to policies.

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the command; returns the exit status.
pub fn run(_args: Args) -> u8 {
    eprintln!("error: `eligo test` is not available in this build yet");
    2
}
