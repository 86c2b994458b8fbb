//! A mutation fuzzer for the generator that runs on stable Rust: it mutates the official spec
//! files, the fixtures and the project's spec (bytes, lines and YAML-shaped tokens), feeds each
//! result to `rocketchat_codegen::generate`, and stops at the first panic, saving the input.
//!
//! ```sh
//! cargo run --release -p benchmarks --bin fuzz-generate -- --runs 2000        # a few seconds
//! cargo run --release -p benchmarks --bin fuzz-generate -- --seconds 900 --seed 7
//! ```
//!
//! A generator error is a pass (a broken spec must give one); only a panic or a hang fails.
//! Each input is generated on its own thread with a time limit, so a hang is found too. The
//! run is reproducible from its `--seed`.

use rocketchat_codegen::{Options, generate};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// Inserted by the token mutation: the constructs that stress a YAML and OpenAPI reader.
const TOKENS: &[&str] = &[
    "$ref: '#/components/schemas/A'",
    "&a",
    "*a",
    "{",
    "}",
    "[",
    "]",
    ": ",
    "- ",
    "\t",
    "\n",
    "'",
    "\"",
    "\u{202E}",
    "\r",
    "```rust\n",
    "~~~\n",
    "    ",
    "x-pagination: {items: x}",
    "format: password",
    "enum: [a, A, a_]",
    "oneOf: [{type: string}, {type: integer}]",
    "allOf: []",
    "nullable: true",
    "additionalProperties: true",
    "type: array",
    "in: path",
    "{id}",
    "..",
    "POST:",
    "required: [x]",
    "minItems: 1",
    "pattern: '['",
    "default",
    "null",
    "~",
    "!!binary",
    "<<: *a",
    "9999999999999999999999",
    ".nan",
    "-.inf",
    "minimum: .inf",
    "enum: [0, 1]",
    "x-enum-varnames: [A, B]",
    "type: integer",
    "x-pagination: {items: x, step: requested}",
    "x-pagination: {items: x, empty-on-errors: [a, 1]}",
    "x-session: login",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*: enough to pick mutations; no crate needed.
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
}

fn mutate(seed: &str, rng: &mut Rng) -> String {
    let mut text = seed.to_owned();
    for _ in 0..1 + rng.below(4) {
        let at = floor_char_boundary(&text, rng.below(text.len() + 1));
        match rng.below(6) {
            0 => text.insert_str(at, TOKENS[rng.below(TOKENS.len())]),
            1 => {
                let end = floor_char_boundary(&text, (at + rng.below(64)).min(text.len()));
                text.replace_range(at..end, "");
            }
            2 => {
                let end = floor_char_boundary(&text, (at + rng.below(256)).min(text.len()));
                let copy = text[at..end].to_owned();
                let to = floor_char_boundary(&text, rng.below(text.len() + 1));
                text.insert_str(to, &copy);
            }
            3 => {
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.len() > 2 {
                    let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
                    lines.swap(a, b);
                }
                text = lines.join("\n");
            }
            4 => {
                // A line's indentation changed by one level, the commonest real YAML mistake.
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                if !lines.is_empty() {
                    let index = rng.below(lines.len());
                    if rng.below(2) == 0 {
                        lines[index].insert_str(0, "  ");
                    } else if lines[index].starts_with("  ") {
                        lines[index].replace_range(0..2, "");
                    }
                }
                text = lines.join("\n");
            }
            _ => text = replace_char(&text, at, rng),
        }
    }
    text
}

/// One character replaced by an ASCII character picked at random.
fn replace_char(text: &str, at: usize, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..at]);
    out.push(char::from(32 + rng.below(95) as u8));
    let rest = &text[at..];
    out.push_str(rest.char_indices().nth(1).map_or("", |(index, _)| &rest[index..]));
    out
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn seeds(root: &Path) -> Vec<(PathBuf, String)> {
    let mut paths = vec![root.join("specs/rocketchat.yaml")];
    for dir in ["tests/fixtures/valid", "tests/fixtures/invalid", "../shared/rocketchat-openapi"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            let mut found: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
            found.sort();
            paths.extend(found.into_iter().filter(|path| path.extension().is_some_and(|ext| ext == "yaml")));
        }
    }
    paths.into_iter().filter_map(|path| std::fs::read_to_string(&path).ok().map(|text| (path, text))).collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter().position(|arg| arg == flag).and_then(|at| args.get(at + 1)).and_then(|v| v.parse::<u64>().ok())
    };
    let runs = value("--runs").unwrap_or(if args.iter().any(|arg| arg == "--seconds") { u64::MAX } else { 1000 });
    let budget = value("--seconds").map(Duration::from_secs);
    let seed = value("--seed").unwrap_or(0x5EED);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = seeds(&root);
    if corpus.is_empty() {
        eprintln!("no seed files found under {}", root.display());
        return ExitCode::FAILURE;
    }
    // A panic is reported by this program, not printed by the default hook for each thread.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let options = Options::workspace_client();
    let mut errors = 0u64;
    let mut run = 0u64;
    while run < runs && budget.is_none_or(|budget| started.elapsed() < budget) {
        run += 1;
        let (path, text) = &corpus[rng.below(corpus.len())];
        let input = mutate(text, &mut rng);
        let (sender, receiver) = std::sync::mpsc::channel();
        let worker_input = input.clone();
        let worker_options = options.clone();
        std::thread::spawn(move || {
            let outcome = std::panic::catch_unwind(|| generate(&worker_input, &worker_options).is_err());
            let _ = sender.send(outcome);
        });
        let verdict = match receiver.recv_timeout(Duration::from_secs(20)) {
            Ok(Ok(failed)) => {
                errors += u64::from(failed);
                continue;
            }
            Ok(Err(_)) => "panicked",
            Err(_) => "did not finish within 20 s",
        };
        let saved = root.join("target").join(format!("fuzz-failure-{seed}-{run}.yaml"));
        let _ = std::fs::write(&saved, &input);
        eprintln!(
            "run {run}: generate {verdict} on a mutation of {}; input saved to {}",
            path.display(),
            saved.display()
        );
        return ExitCode::FAILURE;
    }
    eprintln!(
        "{run} inputs from {} seed files in {:.0?}: no panic, no hang ({errors} refused with an error, as a broken spec should be)",
        corpus.len(),
        started.elapsed()
    );
    ExitCode::SUCCESS
}
