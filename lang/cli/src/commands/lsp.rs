//! `eligo lsp`: the language server, on standard input and output (docs/editors.md).

/// The command's arguments.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Talk over standard input and output (the only transport; accepted because language
    /// clients such as VS Code's pass it).
    #[arg(long)]
    stdio: bool,
}

/// Runs the server until the client says `exit`; returns the exit status.
pub fn run(args: Args) -> u8 {
    let _ = args.stdio;
    match eligo_lsp::run_stdio() {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: eligo lsp: {e}");
            1
        }
    }
}
