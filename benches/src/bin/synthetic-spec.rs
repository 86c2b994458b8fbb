//! Prints a synthetic spec: `cargo run -p benchmarks --bin synthetic-spec -- 1000 > spec.yaml`.

fn main() -> std::process::ExitCode {
    match std::env::args().nth(1).and_then(|count| count.parse::<usize>().ok()) {
        Some(count) => {
            // A closed stdout (`| head`) is the reader's choice, not a failure to panic over.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), benchmarks::synthetic::spec(count).as_bytes());
            std::process::ExitCode::SUCCESS
        }
        None => {
            eprintln!("usage: synthetic-spec OPERATIONS");
            std::process::ExitCode::from(2)
        }
    }
}
