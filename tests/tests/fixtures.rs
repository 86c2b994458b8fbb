//! The generator's reach: small fixture specs, one per family of constructs, each with a
//! snapshot of its generated code and compiled (with clippy) by this test; invalid specs, each
//! with a snapshot of its error; and Rocket.Chat's own published spec files, generated and
//! compiled (`--ignored`: slow, run by CI).

use rocketchat_codegen::{GeneratedFile, Options, RuntimeDependency};
use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ lives in the workspace").to_path_buf()
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("read {}: {error}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
        .collect();
    files.sort();
    files
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Options for a fixture crate inside the temporary workspace of [`compile_all`].
fn options(spec: &Path) -> Options {
    let runtime = workspace_root().join("crates/rocketchat-runtime");
    Options {
        crate_name: format!("fixture-{}", stem(spec)),
        spec_name: spec.strip_prefix(workspace_root()).unwrap_or(spec).display().to_string(),
        command: "cargo xtask codegen".into(),
        runtime: RuntimeDependency::Path(runtime.canonicalize().unwrap_or(runtime).display().to_string()),
        standalone: false,
    }
}

fn generate(spec: &Path) -> Result<rocketchat_codegen::Generated, rocketchat_codegen::Error> {
    let text = std::fs::read_to_string(spec).unwrap_or_else(|error| panic!("read {}: {error}", spec.display()));
    rocketchat_codegen::generate(&text, &options(spec))
}

/// Writes the crates into one temporary workspace and runs `cargo` over it once: one
/// resolution, one build of the dependencies, every crate checked.
fn compile_all(workspace_name: &str, crates: &[(String, Vec<GeneratedFile>)], subcommand: &[&str]) {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(workspace_name);
    let _ = std::fs::remove_dir_all(&root);
    let mut members = Vec::new();
    for (name, files) in crates {
        for file in files {
            let path = root.join(name).join(file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &file.contents).unwrap();
        }
        members.push(format!("{name:?}"));
    }
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", "));
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    // The workspace's own versions: the dependencies this repository tested, and built once in
    // the target directory that `xtask`'s standalone test shares.
    std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    // A target directory of its own: cargo holds the workspace's while tests run. These crates
    // are compiled once per run, so neither debug info nor incremental caches are worth their
    // disk (gigabytes for the twelve official crates).
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates-target");
    let output = Command::new(env!("CARGO"))
        .args(subcommand)
        .args(["--offline", "--quiet", "--workspace"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("RUSTFLAGS", "-D warnings")
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

fn valid_fixtures() -> Vec<PathBuf> {
    yaml_files(&workspace_root().join("tests/fixtures/valid"))
}

#[test]
fn valid_fixtures_generate_their_snapshots_deterministically() {
    let fixtures = valid_fixtures();
    assert!(fixtures.len() >= 8, "one fixture per family of constructs");
    for spec in fixtures {
        let generated = generate(&spec).unwrap_or_else(|error| panic!("{}: {error}", spec.display()));
        assert_eq!(generate(&spec).unwrap(), generated, "{}: the same bytes on every run", spec.display());
        let mut text = String::new();
        for warning in &generated.warnings {
            text.push_str(&format!("// warning: {warning}\n"));
        }
        for file in generated.files.iter().filter(|file| file.path != "Cargo.toml") {
            text.push_str(&format!("// ---- {} ----\n{}\n", file.path, file.contents));
        }
        insta::assert_snapshot!(format!("valid-{}", stem(&spec)), text);
    }
}

#[test]
fn valid_fixtures_compile_without_clippy_warnings() {
    let crates: Vec<(String, Vec<GeneratedFile>)> = valid_fixtures()
        .iter()
        .map(|spec| (stem(spec), generate(spec).unwrap_or_else(|error| panic!("{error}")).files))
        .collect();
    // Without features, and with those that change the generated code (the blocking client,
    // both serde directions). The TLS features change only the runtime; `native-tls` would
    // need OpenSSL's headers, which CI does not have.
    compile_all("fixture-crates", &crates, &["clippy", "--all-targets"]);
    compile_all("fixture-crates", &crates, &["clippy", "--all-targets", "--features", "blocking,roundtrip"]);
}

#[test]
fn invalid_specs_fail_with_a_located_message() {
    let specs = yaml_files(&workspace_root().join("tests/fixtures/invalid"));
    assert!(specs.len() >= 25, "at least 25 invalid specs, found {}", specs.len());
    for spec in specs {
        let error = match generate(&spec) {
            Ok(_) => panic!("{} should be rejected", spec.display()),
            Err(error) => error.to_string(),
        };
        let name = spec.strip_prefix(workspace_root()).unwrap().display().to_string();
        assert!(error.starts_with(&name), "{name}: the message names the file: {error}");
        insta::assert_snapshot!(format!("invalid-{}", stem(&spec)), error);
    }
}

/// Every file of Rocket.Chat's published spec (`../shared/rocketchat-openapi` beside the
/// repository, or the folder in `ROCKETCHAT_OPENAPI_DIR`) generates a crate with every
/// operation, and all of them compile (`cargo check`) without warnings, pass clippy with the
/// blocking client and both serde directions on, and document without rustdoc warnings.
#[test]
#[ignore = "slow: compiles twelve large crates; CI runs it with --ignored"]
fn official_spec_files_generate_and_compile() {
    let dir = std::env::var_os("ROCKETCHAT_OPENAPI_DIR")
        .map_or_else(|| workspace_root().join("../shared/rocketchat-openapi"), PathBuf::from);
    assert!(
        dir.is_dir(),
        "Rocket.Chat's 12 published spec files are read from {}, which is not a folder: put them there, \
         or set ROCKETCHAT_OPENAPI_DIR to where they are",
        dir.display()
    );
    let specs = yaml_files(&dir);
    assert_eq!(specs.len(), 12);
    let mut crates = Vec::new();
    let mut operations = 0;
    for spec in &specs {
        let generated = generate(spec).unwrap_or_else(|error| panic!("{error}"));
        let client = generated.files.iter().find(|file| file.path == "src/client.rs").unwrap();
        // One method per operation, beside the five constructors and accessors.
        operations += client.contents.matches("pub fn ").count() - 5;
        crates.push((stem(spec), generated.files));
    }
    assert_eq!(operations, 593, "every operation of the 12 files is generated");
    // `check`, not `build`: these library crates instantiate nothing generic, so code
    // generation would find no error that checking does not, and its artifacts are large.
    compile_all("official-crates", &crates, &["check"]);
    compile_all("official-crates", &crates, &["clippy", "--features", "blocking,roundtrip"]);
    // Spec text becomes docs: none of it may make rustdoc warn (broken links, raw HTML, ...).
    compile_all("official-crates", &crates, &["doc", "--no-deps", "--features", "blocking,roundtrip"]);
}

/// Long reference chains, deep inline nesting and many operations: generated without
/// overflowing the stack (references are queued, not followed recursively).
#[test]
fn large_and_deep_specs_generate() {
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: big, version: '1'}\npaths:\n");
    for index in 0..2000 {
        spec.push_str(&format!(
            "  /op{index}:\n    post:\n      operationId: op{index}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Link0'}}\n"
        ));
    }
    spec.push_str("components:\n  schemas:\n");
    for index in 0..5000 {
        spec.push_str(&format!(
            "    Link{index}:\n      type: object\n      properties:\n        next: {{$ref: '#/components/schemas/Link{}'}}\n",
            index + 1
        ));
    }
    spec.push_str("    Link5000:\n      type: object\n      properties:\n        deep:\n");
    let mut indent = String::from("          ");
    for _ in 0..120 {
        spec.push_str(&format!("{indent}type: array\n{indent}items:\n"));
        indent.push_str("  ");
    }
    spec.push_str(&format!("{indent}type: string\n"));
    let options = options(Path::new("big.yaml"));
    let generated = rocketchat_codegen::generate(&spec, &options).unwrap_or_else(|error| panic!("{error}"));
    let types = generated.files.iter().find(|file| file.path == "src/types.rs").unwrap();
    assert_eq!(types.contents.matches("pub struct Link").count(), 5001);
    // One method per operation, beside the five constructors and accessors.
    let client = generated.files.iter().find(|file| file.path == "src/client.rs").unwrap();
    assert_eq!(client.contents.matches("pub fn ").count() - 5, 2000);
}

/// Thousands of small corruptions of real specs (lines dropped, doubled or cut, characters
/// replaced with YAML punctuation): each one generates or fails with an error, never a panic.
/// A fixed-seed generator keeps the run the same every time.
#[test]
fn corrupted_specs_never_panic() {
    let mut specs: Vec<String> = vec![std::fs::read_to_string(workspace_root().join("specs/rocketchat.yaml")).unwrap()];
    specs.extend(valid_fixtures().iter().map(|path| std::fs::read_to_string(path).unwrap()));
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |bound: usize| {
        // xorshift64*: deterministic, good enough to pick places to break.
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % bound.max(1)
    };
    let options = options(Path::new("corrupted.yaml"));
    let mut outcomes = [0usize; 2];
    let rounds: usize = std::env::var("CORRUPTION_ROUNDS").ok().and_then(|n| n.parse().ok()).unwrap_or(2000);
    for _ in 0..rounds {
        let spec = &specs[next(specs.len())];
        let mut lines: Vec<String> = spec.lines().map(str::to_owned).collect();
        for _ in 0..1 + next(3) {
            let at = next(lines.len());
            match next(5) {
                0 => {
                    lines.remove(at);
                }
                1 => {
                    let copy = lines[at].clone();
                    lines.insert(at, copy);
                }
                2 => {
                    let cut = next(lines[at].len() + 1);
                    lines[at] = lines[at].chars().take(cut).collect();
                }
                3 => {
                    let line: Vec<char> = lines[at].chars().collect();
                    if !line.is_empty() {
                        let position = next(line.len());
                        const REPLACEMENTS: [char; 20] = [
                            '{', '}', '[', ']', ':', '-', '\'', '"', ' ', '&', '*', '!', '#', '|', '2', '_', '.', 'é',
                            '²', '$',
                        ];
                        let replacement = REPLACEMENTS[next(REPLACEMENTS.len())];
                        lines[at] = line
                            .iter()
                            .enumerate()
                            .map(|(i, c)| if i == position { replacement } else { *c })
                            .collect();
                    }
                }
                _ => lines.truncate(at),
            }
            if lines.is_empty() {
                break;
            }
        }
        let text = lines.join("\n");
        let result = std::panic::catch_unwind(|| rocketchat_codegen::generate(&text, &options));
        match result {
            Ok(generated) => outcomes[usize::from(generated.is_err())] += 1,
            Err(_) => panic!("the generator panicked on:\n{text}"),
        }
    }
    // Both outcomes occur, so the corruptions are neither all fatal nor all harmless.
    assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
}
