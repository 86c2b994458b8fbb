#!/usr/bin/env python3
"""Our generator against progenitor, side by side, on the same inputs.

    python3 benches/compare-progenitor.py [--runs N] [--skip-compile]

For specs/rocketchat.yaml and each of Rocket.Chat's published files that progenitor accepts,
reports: generation time (median of N runs of each CLI), lines of generated Rust, and the time to
compile each generated crate alone (its dependencies built beforehand), with our/progenitor
ratios. Generation is timed as CLI runs (including cargo's dispatch and progenitor's rustfmt
subprocess); benches/progenitor-compare times the two generators as libraries in one process.
Needs `cargo-progenitor` on PATH (`cargo install cargo-progenitor`); without it, it
says so and reports our side only. Writes a Markdown table to stdout.
"""

import argparse
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
OFFICIAL = ROOT.parent / "shared" / "rocketchat-openapi"


def run(command, cwd=None, env=None):
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def timed(command, runs, cwd=None):
    """Median wall time of `runs` runs, or None if the command fails."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = run(command, cwd=cwd)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            return None, (result.stderr or result.stdout).strip().splitlines()[-1:] or ["failed"]
        times.append(elapsed)
    return statistics.median(times), None


def rust_lines(directory):
    total = 0
    for path in pathlib.Path(directory).rglob("*.rs"):
        if "target" in path.parts:
            continue
        total += sum(1 for line in path.read_text(errors="replace").splitlines() if line.strip())
    return total


def compile_time(crate_dir, target_dir, runs):
    """Build once for the dependencies, then time a clean, non-incremental build of the crate
    alone (`cargo clean -p` keeps the dependencies)."""
    env = dict(os.environ, CARGO_TARGET_DIR=str(target_dir), CARGO_INCREMENTAL="0")
    first = run(["cargo", "build", "--quiet"], cwd=crate_dir, env=env)
    if first.returncode != 0:
        return None
    times = []
    for _ in range(runs):
        run(["cargo", "clean", "--quiet", "-p", "client"], cwd=crate_dir, env=env)
        start = time.perf_counter()
        result = run(["cargo", "build", "--quiet"], cwd=crate_dir, env=env)
        if result.returncode != 0:
            return None
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def ratio(ours, theirs):
    if ours is None or theirs is None or theirs == 0:
        return "—"
    return f"{ours / theirs:.2f}"


def seconds(value):
    return "—" if value is None else f"{value:.3f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-compile", action="store_true")
    args = parser.parse_args()

    build = run(["cargo", "build", "--release", "--quiet", "-p", "xtask"], cwd=ROOT)
    if build.returncode != 0:
        sys.exit(f"building xtask failed:\n{build.stderr}")
    xtask = ROOT / "target" / "release" / "xtask"
    progenitor = shutil.which("cargo-progenitor")
    if progenitor is None:
        print("cargo-progenitor is not installed (`cargo install cargo-progenitor`): reporting our generator only.\n",
              file=sys.stderr)

    specs = [ROOT / "specs" / "rocketchat.yaml"] + sorted(OFFICIAL.glob("*.yaml"))
    work = pathlib.Path(tempfile.mkdtemp(prefix="compare-progenitor-"))
    rows = []
    for spec in specs:
        name = spec.stem
        ours_dir = work / "ours" / name
        ours_time, ours_error = timed([str(xtask), "codegen", "--spec", str(spec), "--out", str(ours_dir), "--name", "client"],
                                      args.runs)
        theirs_time, theirs_error, theirs_dir = None, None, work / "progenitor" / name
        if progenitor:
            theirs_time, theirs_error = timed(["cargo", "progenitor", "-i", str(spec), "-o", str(theirs_dir), "-n", "client",
                                               "-v", "0.1.0"], args.runs)
        row = {
            "name": name,
            "ours_time": ours_time,
            "theirs_time": theirs_time,
            "theirs_error": theirs_error,
            "ours_lines": rust_lines(ours_dir) if ours_time is not None else None,
            "theirs_lines": rust_lines(theirs_dir) if theirs_time is not None else None,
            "ours_compile": None,
            "theirs_compile": None,
        }
        if not args.skip_compile and ours_time is not None and (theirs_time is not None or not progenitor):
            row["ours_compile"] = compile_time(ours_dir, work / "ours-target", max(1, args.runs // 2))
            if theirs_time is not None:
                row["theirs_compile"] = compile_time(theirs_dir, work / "progenitor-target", max(1, args.runs // 2))
        rows.append(row)
        print(f"{name}: done", file=sys.stderr)

    print("Generation here is the CLI (includes cargo dispatch and rustfmt subprocess); generator against generator,"
          " in one process with one formatter: `cargo run --release --manifest-path benches/progenitor-compare/Cargo.toml`.\n")
    print("| spec | generate, CLI (includes cargo dispatch and rustfmt subprocess): ours | progenitor | ratio | lines: ours | progenitor | ratio | compile: ours | progenitor | ratio |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        theirs = seconds(row["theirs_time"]) if row["theirs_error"] is None else f"fails: {row['theirs_error'][0][:60]}"
        print(f"| {row['name']} | {seconds(row['ours_time'])} | {theirs} | {ratio(row['ours_time'], row['theirs_time'])} "
              f"| {row['ours_lines'] or '—'} | {row['theirs_lines'] or '—'} | {ratio(row['ours_lines'], row['theirs_lines'])} "
              f"| {seconds(row['ours_compile'])} | {seconds(row['theirs_compile'])} "
              f"| {ratio(row['ours_compile'], row['theirs_compile'])} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
