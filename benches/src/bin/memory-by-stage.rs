//! Where the generator's memory goes, stage by stage: the bytes allocated and not yet freed
//! after each stage, and the most held at once during it.
//!
//! ```sh
//! cargo run --release -p benchmarks --bin synthetic-spec -- 5000 > /tmp/5000.yaml
//! cargo run --release -p benchmarks --bin memory-by-stage -- /tmp/5000.yaml
//! ```
//!
//! It counts what the program asks of the allocator, the spec's text included, so the
//! figures are the heap the stages need: without the allocator's own overhead, but with
//! capacity reserved and never written, which the kernel does not count in the resident set
//! (`/usr/bin/time -f %M` measures that, and is the figure BENCHMARKS.md's targets use). The
//! last column is that resident set's peak so far, read from `/proc/self/status` (Linux), to
//! tell which stage sets it. The stages run on one thread here, as `generate` runs loading
//! and the model.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting the bytes held now and the most held since the last mark.
struct Counting;

static HELD: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let held = HELD.fetch_add(bytes, Ordering::Relaxed) + bytes;
    MOST.fetch_max(held, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    HELD.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; the counters only read
// the sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's guarantees for `alloc` are passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        shrank(layout.size());
        // SAFETY: the caller's guarantees for `dealloc` are passed on.
        unsafe { System.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            grew(new_size - layout.size());
        } else {
            shrank(layout.size() - new_size);
        }
        // SAFETY: the caller's guarantees for `realloc` are passed on.
        unsafe { System.realloc(pointer, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn megabytes(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

/// The process's peak resident set so far (`VmHWM`), where the kernel reports it.
fn resident_peak() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find_map(|line| line.strip_prefix("VmHWM:"))?;
    let kilobytes: usize = line.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kilobytes * 1024)
}

/// Prints what is held after a stage and the most held during it, as a multiple of the input,
/// and the peak resident set so far.
fn mark(stage: &str, input: usize) {
    let held = HELD.load(Ordering::Relaxed);
    let most = MOST.swap(held, Ordering::Relaxed);
    let times = |bytes: usize| format!("{:.1} MB ({:.1}x)", megabytes(bytes), bytes as f64 / input as f64);
    let resident = resident_peak().map_or_else(|| "unknown".to_owned(), times);
    say(&format!("| {stage} | {} | {} | {resident} |", times(held), times(most)));
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: memory-by-stage SPEC.yaml");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::from(2);
        }
    };
    let input = text.len();
    say(&format!("{path}: {:.2} MB\n", megabytes(input)));
    say("| stage | held after it | most held during it | resident peak so far |\n| --- | ---: | ---: | ---: |");
    mark("the text", input);
    let outcome = (|| {
        let spec = rocketchat_codegen::load::load(&text, &path)?;
        mark("load: the parsed spec", input);
        // openapiv3 keeps all eight methods of a path inline, used or not, in the map's
        // entries: what the map holds is its capacity, not its length.
        let item = std::mem::size_of::<openapiv3::ReferenceOr<openapiv3::PathItem>>();
        let paths = &spec.paths.paths;
        let (used, held) = (paths.len() * item, paths.capacity() * item);
        say(&format!(
            "| (of which the paths' items, used / allocated) | {:.1} / {:.1} MB | | |",
            megabytes(used),
            megabytes(held)
        ));
        // The model lets each path item go once lowered, and the rest of the spec at its end.
        let api = rocketchat_codegen::model::build(spec, &path)?;
        mark("model, taking the parsed spec", input);
        let files = rocketchat_codegen::render(&api, &rocketchat_codegen::Options::workspace_client())?;
        mark("render: the files' text", input);
        drop((files, api));
        // What serde_yaml holds to read the text at all: every event of the document, in a
        // list it walks (the same for any type it reads into).
        let _: serde::de::IgnoredAny = serde_yaml::from_str(&text)?;
        mark("serde_yaml's events alone, read into nothing", input);
        Ok::<(), Box<dyn std::error::Error>>(())
    })();
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}

/// A line of the report; a closed stdout (`| head`) ends the report, not the program.
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}
