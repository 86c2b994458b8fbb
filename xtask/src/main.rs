//! `cargo xtask codegen`: regenerate the client crate from the spec. See `usage()`.

mod write;

use rocketchat_codegen::{Options, RuntimeDependency};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask codegen [--check] [--spec FILE --out DIR [--name NAME] [--runtime DEP]]

  (no options)     regenerate crates/rocketchat from specs/rocketchat.yaml
  --check          write nothing; exit 1 if the generated files are not current
  --spec FILE      generate from FILE instead (requires --out)
  --out DIR        write a complete, standalone crate into DIR
  --name NAME      the crate's package name (default: derived from DIR)
  --runtime DEP    where the crate gets rocketchat-runtime from:
                     path=DIR          a checkout (default: this one's, by a relative path)
                     git=URL[#REV]     a git repository, at a commit, tag or branch
                     version=REQ       crates.io, such as version=0.1
  -h, --help       print this help

exit codes: 0 success, 1 spec or check error, 2 bad usage";

const COMMAND: &str = "cargo xtask codegen";

struct Args {
    check: bool,
    spec: Option<PathBuf>,
    out: Option<PathBuf>,
    name: Option<String>,
    /// `--runtime`, as given (it goes into the generated header's command).
    runtime: Option<String>,
}

/// What the command line asks for.
enum Command {
    Help,
    Codegen(Args),
}

fn main() -> ExitCode {
    let args: Result<Vec<String>, _> = std::env::args_os().skip(1).map(|arg| arg.into_string()).collect();
    let args =
        match args.map_err(|arg| format!("the argument {arg:?} is not valid UTF-8")).and_then(|args| parse_args(&args))
        {
            Ok(Command::Codegen(args)) => args,
            Ok(Command::Help) => {
                let _ = writeln!(std::io::stdout(), "{USAGE}");
                return ExitCode::SUCCESS;
            }
            Err(message) => {
                say(&format!("error: {message}\n\n{USAGE}"));
                return ExitCode::from(2);
            }
        };
    match codegen(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            say(&format!("error: {message}"));
            ExitCode::from(1)
        }
    }
}

/// A line on stderr. A closed stderr (`... 2>&1 | head -c100`) is not a reason to panic, as
/// `eprintln!` would: the run goes on, and its exit code still says how it went.
fn say(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

fn parse_args(args: &[String]) -> Result<Command, String> {
    let mut rest = args.iter();
    match rest.next().map(String::as_str) {
        Some("codegen") => {}
        Some("--help" | "-h" | "help") => return Ok(Command::Help),
        None => return Err("a task is required".into()),
        Some(other) => return Err(format!("unknown task `{other}`")),
    }
    let mut parsed = Args { check: false, spec: None, out: None, name: None, runtime: None };
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| rest.next().cloned().ok_or_else(|| format!("`{flag}` needs a value"));
        match arg.as_str() {
            "--check" => parsed.check = true,
            "--spec" => parsed.spec = Some(value("--spec")?.into()),
            "--out" => parsed.out = Some(value("--out")?.into()),
            "--name" => parsed.name = Some(value("--name")?),
            "--runtime" => {
                let runtime = value("--runtime")?;
                runtime_dependency(&runtime)?;
                parsed.runtime = Some(runtime);
            }
            "--help" | "-h" => return Ok(Command::Help),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if parsed.spec.is_some() != parsed.out.is_some() {
        return Err("`--spec` and `--out` go together".into());
    }
    if parsed.name.is_some() && parsed.out.is_none() {
        return Err("`--name` goes with `--spec` and `--out`".into());
    }
    if let Some(out) = &parsed.out
        && matches!(
            out.components().next_back(),
            Some(std::path::Component::ParentDir | std::path::Component::CurDir | std::path::Component::RootDir) | None
        )
    {
        let out = out.display();
        return Err(format!(
            "`--out {out}` names no directory of its own; name one for the crate, such as `--out my-client`"
        ));
    }
    if parsed.runtime.is_some() && parsed.out.is_none() {
        return Err("`--runtime` goes with `--spec` and `--out`".into());
    }
    if let Some(name) = &parsed.name {
        valid_crate_name(name)?;
    }
    Ok(Command::Codegen(parsed))
}

/// `path=DIR`, `git=URL[#REV]` or `version=REQ`.
fn runtime_dependency(value: &str) -> Result<RuntimeDependency, String> {
    let nonempty = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
    let dependency = match value.split_once('=') {
        Some(("path", path)) => nonempty(path).map(RuntimeDependency::Path),
        Some(("git", git)) => match git.split_once('#') {
            Some((url, rev)) => {
                nonempty(url).zip(nonempty(rev)).map(|(url, rev)| RuntimeDependency::Git { url, rev: Some(rev) })
            }
            None => nonempty(git).map(|url| RuntimeDependency::Git { url, rev: None }),
        },
        Some(("version", requirement)) => nonempty(requirement).map(RuntimeDependency::Version),
        _ => None,
    };
    dependency.ok_or_else(|| format!("`--runtime {value}` is not one of path=DIR, git=URL[#REV], version=REQ"))
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

fn codegen(args: &Args) -> Result<(), String> {
    let root = workspace_root();
    let (spec_path, spec_name, out_dir, options) = match (&args.spec, &args.out) {
        (Some(spec), Some(out)) => {
            let name = match &args.name {
                Some(name) => name.clone(),
                None => crate_name_from_dir(out)?,
            };
            let mut command = format!("{COMMAND} --spec {} --out {}", spec.display(), out.display());
            if let Some(name) = &args.name {
                command.push_str(&format!(" --name {name}"));
            }
            if let Some(runtime) = &args.runtime {
                command.push_str(&format!(" --runtime {runtime}"));
            }
            let runtime = match args.runtime.as_deref().map(runtime_dependency).transpose()? {
                Some(RuntimeDependency::Path(path)) => {
                    RuntimeDependency::Path(runtime_path_from(out, Path::new(&path)))
                }
                Some(other) => other,
                None => RuntimeDependency::Path(runtime_path_from(out, &root.join("crates/rocketchat-runtime"))),
            };
            let options =
                Options { crate_name: name, spec_name: spec.display().to_string(), command, runtime, standalone: true };
            (spec.clone(), spec.display().to_string(), out.clone(), options)
        }
        _ => {
            let options = Options::workspace_client();
            let spec = root.join(rocketchat_codegen::WORKSPACE_SPEC);
            (spec, options.spec_name.clone(), root.join(rocketchat_codegen::WORKSPACE_CLIENT), options)
        }
    };
    let bytes = std::fs::read(&spec_path).map_err(|error| format!("cannot read {spec_name}: {error}"))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let line = error.as_bytes()[..offset].iter().filter(|byte| **byte == b'\n').count() + 1;
        format!("{spec_name}:{line}: the file is not valid UTF-8 (first bad byte at offset {offset}); save it as UTF-8")
    })?;
    let generated = rocketchat_codegen::generate(&text, &options).map_err(|error| error.to_string())?;
    for warning in &generated.warnings {
        say(&format!("warning: {warning}"));
    }
    let files = generated.files;
    if args.check {
        let stale = write::stale_files(&out_dir, &files);
        if stale.is_empty() {
            return Ok(());
        }
        let list: Vec<String> = stale.iter().map(|path| format!("  {}", path.display())).collect();
        let fix =
            if args.spec.is_some() { "run the same command without --check" } else { "run `cargo xtask codegen`" };
        return Err(format!("the generated files are out of date:\n{}\nto update them, {fix}", list.join("\n")));
    }
    let written = write::write_changed(&out_dir, &files)?;
    for path in &written {
        say(&format!("wrote {}", path.display()));
    }
    let summary = match written.len() {
        0 => format!("{} is up to date ({} files)", out_dir.display(), files.len()),
        1 => format!("1 file written to {}", out_dir.display()),
        count => format!("{count} files written to {}", out_dir.display()),
    };
    say(&summary);
    Ok(())
}

/// The runtime dependency's path as seen from `out`: relative where both are on one tree, so
/// the output does not depend on where this checkout lives.
fn runtime_path_from(out: &Path, runtime: &Path) -> String {
    // Lexically normalised, so `--out ../client` counts the `..`.
    let absolute = |path: &Path| {
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let mut normal = PathBuf::new();
        for part in path.components() {
            match part {
                std::path::Component::ParentDir => {
                    normal.pop();
                }
                std::path::Component::CurDir => {}
                other => normal.push(other),
            }
        }
        normal
    };
    let (out, runtime) = (absolute(out), absolute(runtime));
    let out_parts: Vec<_> = out.components().collect();
    let runtime_parts: Vec<_> = runtime.components().collect();
    let common = out_parts.iter().zip(&runtime_parts).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return runtime.display().to_string();
    }
    let mut relative = PathBuf::new();
    out_parts[common..].iter().for_each(|_| relative.push(".."));
    runtime_parts[common..].iter().for_each(|part| relative.push(part));
    relative.to_string_lossy().replace('\\', "/")
}

fn valid_crate_name(name: &str) -> Result<String, String> {
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(name.to_owned())
    } else {
        Err(format!("`{name}` is not a valid package name (letters, digits, `-`, `_`; a letter first)"))
    }
}

/// A package name from the output directory's name: `out/my-client` -> `my-client`.
fn crate_name_from_dir(dir: &Path) -> Result<String, String> {
    let base = dir.file_name().and_then(|name| name.to_str()).unwrap_or_default();
    let name: String = base
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let name = name.trim_matches('-').to_owned();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("cannot derive a crate name from {}; give one with --name", dir.display()));
    }
    Ok(name)
}
