//! Our generator against progenitor, generator against generator: both as libraries in this one
//! process, both formatting with the same prettyplease, timed in interleaved rounds.
//!
//! `benches/compare-progenitor.py` times the two command-line tools instead, and so counts
//! cargo's subcommand dispatch and progenitor's rustfmt subprocess; this is the like-for-like
//! figure. See USAGE, and the legend it prints under the table.

use openapiv3::OpenAPI;
use rocketchat_codegen::{Options, RuntimeDependency};
use std::any::Any;
use std::hint::black_box;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "\
usage: cargo run --release --manifest-path benches/progenitor-compare/Cargo.toml -- [--runs N] [SPEC...]

  --runs N   timed runs of each side per spec, after one warm-up round (default 15)
  SPEC...    the specs to compare (default: specs/rocketchat.yaml and
             ../shared/rocketchat-openapi/*.yaml, relative to the repository's root)";

fn main() -> ExitCode {
    let (runs, specs) = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let root = repository_root();
    let specs = if specs.is_empty() { default_specs(&root) } else { specs };
    let mut rows = Vec::new();
    for spec in specs {
        let spec = spec.canonicalize().unwrap_or(spec);
        // Read once: the comparison is of the generators, not of the disk.
        let text = match std::fs::read_to_string(&spec) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("error: cannot read {}: {error}", spec.display());
                return ExitCode::FAILURE;
            }
        };
        // Relative to the repository where it is in it (our spec), else by file name alone.
        let name = match spec.strip_prefix(&root) {
            Ok(relative) => relative.display().to_string(),
            Err(_) => spec.file_stem().unwrap_or(spec.as_os_str()).to_string_lossy().into_owned(),
        };
        rows.push(compare(&name, &text, runs));
        eprintln!("{name}: done");
    }
    print_table(&rows, runs);
    ExitCode::SUCCESS
}

/// The runs and the specs, or `None` for help.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<(usize, Vec<PathBuf>)>, String> {
    let (mut runs, mut specs) = (15, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let value = args.next().ok_or("`--runs` needs a value")?;
                runs = value.parse().ok().filter(|&runs| runs > 0).ok_or(format!("`--runs {value}`: not a count"))?;
            }
            "-h" | "--help" => return Ok(None),
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            spec => specs.push(PathBuf::from(spec)),
        }
    }
    Ok(Some((runs, specs)))
}

/// This crate lives in `benches/progenitor-compare` of the repository.
fn repository_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest.join("../..").canonicalize().unwrap_or_else(|_| manifest.join("../.."))
}

/// Our own spec, then Rocket.Chat's published files (a sibling checkout), by name.
fn default_specs(root: &Path) -> Vec<PathBuf> {
    let mut official: Vec<PathBuf> = std::fs::read_dir(root.join("../shared/rocketchat-openapi"))
        .map(|dir| dir.filter_map(|entry| Some(entry.ok()?.path())).collect())
        .unwrap_or_default();
    official.retain(|path| path.extension().is_some_and(|extension| extension == "yaml"));
    official.sort();
    let official = official.into_iter().map(|path| path.canonicalize().unwrap_or(path));
    std::iter::once(root.join(rocketchat_codegen::WORKSPACE_SPEC)).chain(official).collect()
}

/// Our side: the whole of `generate`, as `xtask codegen --spec FILE --out DIR` calls it.
fn ours(text: &str, options: &Options) -> Result<usize, String> {
    let generated = rocketchat_codegen::generate(text, options).map_err(|error| error.to_string())?;
    Ok(generated.files.iter().map(|file| file.contents.len()).sum())
}

/// Progenitor's side, as its CLI does it but with prettyplease for rustfmt: the same YAML parse
/// (serde_yaml straight into openapiv3), the generator with default settings (the CLI's
/// defaults: positional interface, merged tags), and our formatter.
fn progenitor(text: &str) -> Result<usize, String> {
    let api = parse(text)?;
    let tokens = progenitor::Generator::new(&progenitor::GenerationSettings::default())
        .generate_tokens(&api)
        .map_err(|error| error.to_string())?;
    let file: syn::File = syn::parse2(tokens).map_err(|error| format!("syn: {error}"))?;
    Ok(prettyplease::unparse(&file).len())
}

/// The floor both pay: YAML text to `openapiv3::OpenAPI`.
fn parse(text: &str) -> Result<OpenAPI, String> {
    serde_yaml::from_str(text).map_err(|error| format!("parse: {error}"))
}

/// What one spec measured. `Err` is why a side could not be timed.
struct Row {
    name: String,
    operations: Option<usize>,
    ours: Result<Samples, String>,
    theirs: Result<Samples, String>,
    parse: Result<Samples, String>,
}

/// Wall and process CPU time of each timed run, in run order (runs of the two sides at the same
/// index are from the same round, so their ratio is paired).
#[derive(Default)]
struct Samples {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

fn compare(name: &str, text: &str, runs: usize) -> Row {
    let options = Options {
        crate_name: "client".into(),
        spec_name: name.into(),
        command: format!("cargo xtask codegen --spec {name} --out client"),
        runtime: RuntimeDependency::Path("../rocketchat-runtime".into()),
        standalone: true,
    };
    let operations = parse(text).ok().map(|api| api.operations().count());
    // One untimed run of each side first: progenitor panics or errors on some specs, and a side
    // that fails is reported, not timed.
    let ours_ok = probe(|| ours(text, &options));
    let theirs_ok = probe(|| progenitor(text));
    let parse_ok = probe(|| parse(text).map(|_| 0));
    let (mut our_samples, mut their_samples, mut parse_samples) =
        (Samples::default(), Samples::default(), Samples::default());
    // Interleaved rounds, so a burst of load from elsewhere on the machine hits both sides alike;
    // which side goes first alternates, so neither always runs on the other's warm caches.
    // Round 0 is a warm-up and is not kept.
    for round in 0..=runs {
        let keep = round > 0;
        let mut time_ours = || {
            if ours_ok.is_ok() {
                our_samples.record(keep, || ours(text, &options).is_ok());
            }
        };
        let mut time_theirs = || {
            if theirs_ok.is_ok() {
                their_samples.record(keep, || progenitor(text).is_ok());
            }
        };
        if round % 2 == 0 {
            time_ours();
            time_theirs();
        } else {
            time_theirs();
            time_ours();
        }
        if parse_ok.is_ok() {
            parse_samples.record(keep, || parse(text).is_ok());
        }
    }
    Row {
        name: name.into(),
        operations,
        ours: ours_ok.map(|()| our_samples),
        theirs: theirs_ok.map(|()| their_samples),
        parse: parse_ok.map(|()| parse_samples),
    }
}

impl Samples {
    /// Times `run` and, if `keep`, records it. A run that fails after its probe succeeded
    /// would mean the inputs changed under us: that is a bug here, not a figure.
    fn record(&mut self, keep: bool, run: impl FnOnce() -> bool) {
        let (wall, cpu) = (Instant::now(), process_cpu_time());
        let succeeded = black_box(run());
        let (wall, cpu) = (wall.elapsed(), process_cpu_time().saturating_sub(cpu));
        assert!(succeeded, "a run failed after its untimed run succeeded");
        if keep {
            self.wall.push(wall);
            self.cpu.push(cpu);
        }
    }
}

/// CPU time of the whole process, its threads included (ours formats files on threads).
fn process_cpu_time() -> Duration {
    let mut time = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime only writes the timespec it is given, which outlives the call.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    Duration::new(time.tv_sec.try_into().unwrap_or(0), time.tv_nsec.try_into().unwrap_or(0))
}

/// Runs one side once, untimed, and says whether it works: `Err` holds the error, or the panic
/// (caught, and its message kept off stderr).
fn probe<T>(run: impl FnOnce() -> Result<T, String>) -> Result<(), String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = catch_unwind(AssertUnwindSafe(run));
    std::panic::set_hook(hook);
    match outcome {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(error)) => Err(format!("error: {}", first_line(&error))),
        Err(panic) => Err(format!("panics: {}", first_line(&panic_message(panic.as_ref())))),
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    let text = panic.downcast_ref::<&str>().copied().or_else(|| panic.downcast_ref::<String>().map(String::as_str));
    text.unwrap_or("(no message)").to_owned()
}

/// The first line of a message, short enough to read in a list.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().chars().take(160).collect()
}

fn print_table(rows: &[Row], runs: usize) {
    println!(
        "| spec | ops | ours ms | progenitor ms | ours/progenitor | parse-only ms | ours/parse | CPU ours/progenitor |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for row in rows {
        let ops = row.operations.map_or("—".to_owned(), |count| count.to_string());
        let paired = |a: &Result<Samples, String>, b: &Result<Samples, String>, cpu: bool| match (a, b) {
            (Ok(a), Ok(b)) if cpu => ratio(&a.cpu, &b.cpu),
            (Ok(a), Ok(b)) => ratio(&a.wall, &b.wall),
            _ => "—".to_owned(),
        };
        println!(
            "| {} | {ops} | {} | {} | {} | {} | {} | {} |",
            row.name,
            millis(&row.ours),
            millis(&row.theirs),
            paired(&row.ours, &row.theirs, false),
            millis(&row.parse),
            paired(&row.ours, &row.parse, false),
            paired(&row.ours, &row.theirs, true),
        );
    }
    println!();
    for row in rows {
        for (side, outcome) in [("ours", &row.ours), ("progenitor", &row.theirs), ("parse-only", &row.parse)] {
            if let Err(why) = outcome {
                println!("- {}, {side} {why}", row.name);
            }
        }
    }
    println!();
    println!(
        "Each cell: median (min–max) of {runs} runs per side, after one warm-up round; the sides run in interleaved \
         rounds, alternating which goes first. Ratios are the median (min–max) of the rounds' paired ratios. Wall time, \
         the spec's text already in memory, nothing written to disk."
    );
    println!(
        "- ours: `rocketchat_codegen::generate` — YAML parse (serde_yaml straight to openapiv3 with the loader's \
         checks), model, emit, and the 5 Rust files parsed by syn and formatted by prettyplease item by item (one \
         thread per core takes the next item), plus Cargo.toml."
    );
    println!(
        "- progenitor {}: serde_yaml to openapiv3 (as its CLI's YAML path), `Generator::new(&GenerationSettings::default())\
         .generate_tokens` (the CLI's defaults), then `syn::parse2::<syn::File>` and `prettyplease::unparse` — the \
         formatter ours uses, where the CLI runs rustfmt. One thread. \"panics\"/\"error\": it does not generate that spec.",
        progenitor_version()
    );
    println!("- parse-only: serde_yaml straight to `openapiv3::OpenAPI`, the floor both sides pay.");
    println!(
        "- CPU ours/progenitor: the same ratio of the process's CPU time (all threads): ours can use both cores of this \
         machine while formatting, progenitor one."
    );
}

/// `12.3 (11.9–14.0)`, or "panics"/"error" (the reason is listed under the table).
fn millis(samples: &Result<Samples, String>) -> String {
    match samples {
        Ok(samples) => {
            let ms: Vec<f64> = samples.wall.iter().map(|time| time.as_secs_f64() * 1e3).collect();
            spread(ms, 1)
        }
        Err(why) => why.split(':').next().unwrap_or_default().to_owned(),
    }
}

/// The median (min–max) of the paired ratios `a[i] / b[i]`.
fn ratio(a: &[Duration], b: &[Duration]) -> String {
    let ratios = a.iter().zip(b).map(|(a, b)| a.as_secs_f64() / b.as_secs_f64().max(1e-9)).collect();
    spread(ratios, 2)
}

fn spread(mut values: Vec<f64>, decimals: usize) -> String {
    values.sort_by(f64::total_cmp);
    let Some((&min, &max)) = values.first().zip(values.last()) else { return "—".to_owned() };
    let middle = values.len() / 2;
    let median = if values.len() % 2 == 1 { values[middle] } else { (values[middle - 1] + values[middle]) / 2.0 };
    format!("{median:.decimals$} ({min:.decimals$}–{max:.decimals$})")
}

/// The version this was built against, from the lock file beside the manifest.
fn progenitor_version() -> &'static str {
    const LOCK: &str = include_str!("../Cargo.lock");
    LOCK.split("[[package]]")
        .find(|package| package.contains("name = \"progenitor\""))
        .and_then(|package| package.lines().find_map(|line| line.strip_prefix("version = \"")))
        .map_or("(version unknown)", |version| version.trim_end_matches('"'))
}
