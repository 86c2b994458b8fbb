//! Prints a synthetic spec: `cargo run -p benchmarks --bin synthetic-spec -- 1000 > spec.yaml`.

fn main() -> std::process::ExitCode {
    match std::env::args().nth(1).and_then(|count| count.parse::<usize>().ok()) {
        Some(count) => {
            print!("{}", benchmarks::synthetic::spec(count));
            std::process::ExitCode::SUCCESS
        }
        None => {
            eprintln!("usage: synthetic-spec OPERATIONS");
            std::process::ExitCode::from(2)
        }
    }
}
