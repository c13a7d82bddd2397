use clap::Parser;

fn main() {
    let cli = firstline::cli::Cli::parse();
    std::process::exit(firstline::cli::main_with(cli));
}
