//! Stage 5: write only the files whose bytes changed, or, in check mode, list them.
//!
//! Everything is generated in memory before this stage runs, so a spec error never leaves
//! half-written output behind.

use rocketchat_codegen::GeneratedFile;
use std::path::{Path, PathBuf};

pub fn stale_files(dir: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|file| dir.join(file.path))
        .zip(files)
        .filter(|(path, file)| std::fs::read(path).ok().as_deref() != Some(file.contents.as_bytes()))
        .map(|(path, _)| path)
        .collect()
}

/// Each changed file is written to a temporary file beside it and renamed over it, so a
/// reader never sees a half-written file.
pub fn write_changed(dir: &Path, files: &[GeneratedFile]) -> std::io::Result<Vec<PathBuf>> {
    let stale = stale_files(dir, files);
    for path in &stale {
        let file = files.iter().find(|file| dir.join(file.path) == *path).map(|file| &file.contents);
        let Some(contents) = file else { continue };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let temporary = path.with_extension("codegen-tmp");
        std::fs::write(&temporary, contents)?;
        std::fs::rename(&temporary, path)?;
    }
    Ok(stale)
}
