//! The `imap-mimic` binary: parse the command line, start tracing, run the subcommand.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = imap_mimic::cli::Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_from_env("IMAP_MIMIC_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    match imap_mimic::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
