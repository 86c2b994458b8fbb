#!/usr/bin/env python3
"""What a program pays to build with the client: a program that makes one call, built from
clean, against the same call written by hand with reqwest, serde and tokio, with the same TLS.

    python3 benches/build-time.py [--runs N] [--tls none|rustls|both] [--release]

Each side is a fresh crate in a temporary directory with a target directory of its own; every
run is `cargo clean` then `cargo build` (dependencies included, nothing cached but the
downloaded sources), timed, and the compiled units counted. Runs alternate between the sides.
Writes a Markdown table to stdout. The client's side uses this checkout's `crates/rocketchat`.
"""

import argparse
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

OURS_MAIN = """\
use rocketchat::types::{GroupsKickRequest, Room, User};
use rocketchat::{Client, Credentials};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), rocketchat::Error> {
    let client = Client::new("http://127.0.0.1:3000", Credentials::new("user-id", "token"))?;
    let request = GroupsKickRequest { room: Room::Name("project-x".into()), user: User::Username("bob".into()) };
    if std::env::args().count() > 1 {
        client.groups_kick(&request).await?;
    }
    Ok(())
}
"""

# The same call, as someone would write it with the same crates: a typed body, the auth
# headers, the status checked and the success body decoded.
HAND_MAIN = """\
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct Kick<'a> {
    #[serde(rename = "roomName")]
    room_name: &'a str,
    username: &'a str,
}

#[derive(Deserialize)]
struct Success {
    success: bool,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
    if std::env::args().count() > 1 {
        let body = serde_json::to_vec(&Kick { room_name: "project-x", username: "bob" })?;
        let response = client
            .post("http://127.0.0.1:3000/api/v1/groups.kick")
            .header("X-User-Id", "user-id")
            .header("X-Auth-Token", "token")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if !status.is_success() {
            return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)).into());
        }
        let success: Success = serde_json::from_slice(&bytes)?;
        println!("{}", success.success);
    }
    Ok(())
}
"""


def manifest(name, dependencies):
    return f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\n\n[dependencies]\n{dependencies}\n[workspace]\n'


def sides(tls):
    client = (ROOT / "crates" / "rocketchat").as_posix()
    tokio = 'tokio = { version = "1", features = ["rt", "macros"] }\n'
    if tls == "none":
        ours = f'rocketchat = {{ path = "{client}", default-features = false }}\n'
        reqwest = 'reqwest = { version = "0.13", default-features = false }\n'
        hand_extra = ""
    else:
        ours = f'rocketchat = {{ path = "{client}" }}\n'
        # What the client's `rustls` feature is: rustls with ring, installed as the provider.
        reqwest = 'reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider"] }\n'
        hand_extra = 'rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"] }\n'
    hand = reqwest + hand_extra + 'serde = { version = "1", features = ["derive"] }\nserde_json = "1"\n' + tokio
    hand_main = HAND_MAIN
    if tls != "none":
        hand_main = hand_main.replace(
            "    let client = reqwest::Client::builder()",
            "    let _ = rustls::crypto::ring::default_provider().install_default();\n    let client = reqwest::Client::builder()",
        )
    return [("client", manifest("one_call", ours + tokio), OURS_MAIN), ("by hand", manifest("one_call", hand), hand_main)]


def build(directory, release):
    target = directory / "target"
    env = dict(os.environ, CARGO_TARGET_DIR=str(target), CARGO_INCREMENTAL="0", CARGO_TERM_COLOR="never")
    subprocess.run(["cargo", "clean", "--quiet"], cwd=directory, env=env, check=False)
    command = ["cargo", "build"] + (["--release"] if release else [])
    start = time.perf_counter()
    result = subprocess.run(command, cwd=directory, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {directory}:\n{result.stderr[-2000:]}")
    units = sum(1 for line in result.stderr.splitlines() if line.strip().startswith("Compiling "))
    return elapsed, units


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tls", choices=["none", "rustls", "both"], default="both")
    parser.add_argument("--release", action="store_true")
    args = parser.parse_args()
    variants = ["none", "rustls"] if args.tls == "both" else [args.tls]
    rows = []
    with tempfile.TemporaryDirectory() as temporary:
        for tls in variants:
            crates = []
            for label, cargo_toml, main_rs in sides(tls):
                directory = pathlib.Path(temporary) / tls / label.replace(" ", "-")
                (directory / "src").mkdir(parents=True)
                (directory / "Cargo.toml").write_text(cargo_toml)
                (directory / "src" / "main.rs").write_text(main_rs)
                # Fetch once, so no run waits for the network.
                subprocess.run(["cargo", "fetch", "--quiet"], cwd=directory, check=True)
                crates.append((label, directory))
            times = {label: [] for label, _ in crates}
            units = {}
            for _ in range(args.runs):
                for label, directory in crates:
                    elapsed, count = build(directory, args.release)
                    times[label].append(elapsed)
                    units[label] = count
            ours, hand = (statistics.median(times[label]) for label, _ in crates)
            rows.append((tls, ours, hand, units["client"], units["by hand"]))
    profile = "release" if args.release else "debug"
    print(f"| TLS | client ({profile}) | by hand | ratio | units: client | by hand |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for tls, ours, hand, ours_units, hand_units in rows:
        print(f"| {tls} | {ours:.1f} s | {hand:.1f} s | {ours / hand:.2f} | {ours_units} | {hand_units} |")
    print(f"\nMedians of {args.runs} clean builds per side, alternating; units are the crates cargo compiled.")


if __name__ == "__main__":
    main()
