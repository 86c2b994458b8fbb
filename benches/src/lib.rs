//! Inputs for the benchmarks: synthetic specs of any size, and a keep-alive HTTP server.

pub mod server;
pub mod synthetic;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("benches/ lives in the workspace").to_path_buf()
}

/// Rocket.Chat's published spec files, by name, from `../shared/rocketchat-openapi`.
pub fn official_specs() -> Vec<(String, String)> {
    let dir = workspace_root().join("../shared/rocketchat-openapi");
    let mut specs: Vec<(String, String)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|extension| extension == "yaml"))
                .filter_map(|path| {
                    let name = path.file_stem()?.to_string_lossy().into_owned();
                    Some((name, std::fs::read_to_string(&path).ok()?))
                })
                .collect()
        })
        .unwrap_or_default();
    specs.sort();
    specs
}
