use clap::Parser;

fn main() {
    #[cfg(feature = "game")]
    let _ = firstline::game::STARTED.set(std::time::Instant::now());
    let cli = firstline::cli::Cli::parse();
    std::process::exit(firstline::cli::main_with(cli));
}
