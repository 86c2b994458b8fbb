//! The `cargo xtask codegen` contract: exit codes, `--check`, `--out`, and that a failed run
//! writes nothing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask")).args(args).output().expect("run xtask")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn workspace_spec() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/rocketchat.yaml")
}

#[test]
fn check_passes_on_the_checked_in_client() {
    let output = xtask(&["codegen", "--check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn bad_usage_exits_2_with_the_usage() {
    for args in [&[][..], &["codegen", "--frobnicate"], &["codegen", "--spec", "x.yaml"], &["build"]] {
        let output = xtask(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(stderr(&output).contains("usage: cargo xtask codegen"), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn out_writes_a_crate_and_check_finds_a_stale_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("my-client");
    let spec = workspace_spec();
    let args = ["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let output = xtask(&args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"my-client\"") && manifest.contains("[workspace]"), "{manifest}");
    assert!(manifest.contains("--spec") && manifest.contains("--out"), "the header names the command: {manifest}");

    let mut check = args.to_vec();
    check.push("--check");
    assert_eq!(xtask(&check).status.code(), Some(0));

    std::fs::write(out.join("src/types.rs"), "// edited by hand\n").unwrap();
    let output = xtask(&check);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("src/types.rs"), "{}", stderr(&output));
    assert!(stderr(&output).contains("without --check"), "{}", stderr(&output));
}

#[test]
fn a_broken_spec_exits_1_with_a_location_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let cases = [
        ("not: [valid", "not valid YAML"),
        ("swagger: '2.0'\n", "swagger 2.0"),
        ("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", "3.1.0"),
        (
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {/x: {post: {responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Gone'}}}}}}}}\n",
            "#/components/schemas/Gone",
        ),
        ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: []\n", "#/paths"),
        ("openapi: 3.0.3\ninfo: {title: 5, version: '1'}\npaths: {}\n", "#/info/title"),
    ];
    for (index, (text, expected)) in cases.iter().enumerate() {
        let spec = dir.path().join(format!("spec{index}.yaml"));
        std::fs::write(&spec, text).unwrap();
        let output = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(1), "{text}: {message}");
        assert!(message.contains(spec.file_name().unwrap().to_str().unwrap()), "names the file: {message}");
        assert!(message.contains(expected), "{text}: {message}");
        assert!(!out.exists(), "a failed run wrote {}", out.display());
    }
}

#[test]
fn an_invalid_name_is_bad_usage() {
    let dir = tempfile::tempdir().unwrap();
    let spec = workspace_spec();
    let out = dir.path().join("x");
    let output =
        xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--name", "9 lives"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a valid package name"), "{}", stderr(&output));
    assert!(!out.exists());
}

#[test]
fn a_spec_that_is_not_utf8_exits_1_naming_the_offset() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("latin1.yaml");
    std::fs::write(&spec, b"openapi: 3.0.3\ninfo: {title: caf\xe9, version: '1'}\npaths: {}\n").unwrap();
    let out = dir.path().join("out");
    let output = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("latin1.yaml:2: the file is not valid UTF-8 (first bad byte at offset 32)"),
        "{}",
        stderr(&output)
    );
    assert!(!out.exists());
}

#[cfg(unix)]
#[test]
fn an_argument_that_is_not_utf8_is_bad_usage() {
    use std::os::unix::ffi::OsStrExt;
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args([std::ffi::OsStr::new("codegen"), std::ffi::OsStr::new("--spec"), std::ffi::OsStr::from_bytes(b"\xff")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
}

#[test]
fn a_missing_spec_file_exits_1() {
    let output = xtask(&["codegen", "--spec", "/nonexistent/spec.yaml", "--out", "/nonexistent/out"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot read /nonexistent/spec.yaml"), "{}", stderr(&output));
}

/// The `--out` crate compiles on its own, outside this workspace, without warnings.
#[test]
fn an_out_crate_compiles_outside_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("standalone-client");
    let spec = workspace_spec();
    let output = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The workspace's versions, so that the dependencies built for the fixture crates (same
    // target directory, same flags) serve here too.
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock"), out.join("Cargo.lock")).unwrap();
    // A target directory apart from the workspace's, which cargo holds while tests run; a
    // library compiled once needs neither debug info nor incremental caches on disk.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-crates-target");
    let check = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("run cargo");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

#[test]
fn help_prints_the_usage_and_exits_0() {
    for args in [&["--help"][..], &["-h"], &["codegen", "--help"]] {
        let output = xtask(args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("usage: cargo xtask codegen") && stdout.contains("--runtime"), "{args:?}: {stdout}");
    }
}

#[test]
fn a_run_says_what_it_wrote_then_that_nothing_changed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let spec = workspace_spec();
    let args = ["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()];
    let first = stderr(&xtask(&args));
    assert!(first.contains("6 files written to"), "{first}");
    let second = stderr(&xtask(&args));
    assert!(second.contains("is up to date (6 files)") && !second.contains("wrote"), "{second}");
}

#[test]
fn runtime_chooses_how_the_crate_depends_on_the_runtime() {
    let dir = tempfile::tempdir().unwrap();
    let spec = workspace_spec();
    let cases = [
        (
            "git=https://example.com/rocketchat-rs.git#v0.1.0",
            r#"{ git = "https://example.com/rocketchat-rs.git", rev = "v0.1.0", default-features = false }"#,
        ),
        (
            "git=https://example.com/rocketchat-rs.git",
            r#"{ git = "https://example.com/rocketchat-rs.git", default-features = false }"#,
        ),
        ("version=0.1", r#"{ version = "0.1", default-features = false }"#),
    ];
    for (index, (runtime, expected)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("client{index}"));
        let args = ["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--runtime", runtime];
        let output = xtask(&args);
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
        assert!(manifest.contains(&format!("rocketchat-runtime = {expected}\n")), "{runtime}: {manifest}");
        assert!(manifest.contains(&format!("--runtime {runtime}")), "the header repeats the option: {manifest}");
        let mut check = args.to_vec();
        check.push("--check");
        assert_eq!(xtask(&check).status.code(), Some(0), "--check with the same --runtime is current");
    }

    // A path is written relative to the crate, with the version beside it for publishing.
    let runtime = dir.path().join("vendor/rocketchat-runtime");
    let out = dir.path().join("nested/client");
    let runtime_arg = format!("path={}", runtime.display());
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--runtime",
        &runtime_arg,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(
            r#"rocketchat-runtime = { version = "0.1.0", path = "../../vendor/rocketchat-runtime", default-features = false }"#
        ),
        "{manifest}"
    );

    for bad in ["ftp=x", "git=", "version", "git=https://x#"] {
        let output =
            xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap(), "--runtime", bad]);
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(stderr(&output).contains("is not one of path=DIR"), "{bad}: {}", stderr(&output));
    }
}

#[test]
fn out_must_name_a_directory_of_its_own() {
    let spec = workspace_spec();
    for out in ["..", ".", "/", "a/.."] {
        let output = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out]);
        assert_eq!(output.status.code(), Some(2), "--out {out}");
        assert!(stderr(&output).contains("names no directory of its own"), "{}", stderr(&output));
    }
}

/// A file that cannot be written fails the run before any file is replaced: the old crate
/// stays whole, no temporary file is left, and the error names the path.
#[test]
fn a_failed_write_replaces_nothing_and_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let spec = workspace_spec();
    let args = ["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()];
    assert_eq!(xtask(&args).status.code(), Some(0));
    for file in ["Cargo.toml", "src/lib.rs", "src/client.rs", "src/operations.rs", "src/blocking.rs"] {
        std::fs::write(out.join(file), "// old\n").unwrap();
    }
    std::fs::remove_file(out.join("src/types.rs")).unwrap();
    std::fs::create_dir(out.join("src/types.rs")).unwrap();

    let output = xtask(&args);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("src/types.rs"), "names the path: {}", stderr(&output));
    for file in ["Cargo.toml", "src/lib.rs", "src/client.rs", "src/operations.rs", "src/blocking.rs"] {
        assert_eq!(std::fs::read_to_string(out.join(file)).unwrap(), "// old\n", "{file} was replaced");
    }
    let leftovers: Vec<_> =
        walk(&out).into_iter().filter(|path| path.to_string_lossy().contains("codegen-tmp")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() && !path.is_symlink() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}

#[cfg(unix)]
#[test]
fn a_symlinked_directory_inside_out_is_not_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let out = dir.path().join("client");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("src")).unwrap();
    let spec = workspace_spec();
    let output = xtask(&["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is a symlink"), "{}", stderr(&output));
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0, "nothing written through the link");
}

#[cfg(unix)]
#[test]
fn a_closed_stderr_is_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    let spec = workspace_spec();
    let mut child = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--spec", spec.to_str().unwrap(), "--out", out.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "the run completes; writing to a closed stderr is no reason to fail");
}
