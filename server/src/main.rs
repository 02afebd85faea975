//! The `tessera` binary: parses the command line and hands over to the library.

use clap::Parser;
use server::cli::Cli;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    server::cli::run(Cli::parse()).await
}
