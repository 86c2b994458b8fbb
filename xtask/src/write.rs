//! Stage 5: write only the files whose bytes changed, or, in check mode, list them.
//!
//! Everything is generated in memory before this stage runs, so a spec error never leaves
//! half-written output behind; and this stage stages every changed file before replacing any,
//! so a write error does not either.

use rocketchat_codegen::GeneratedFile;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub fn stale_files(dir: &Path, files: &[GeneratedFile]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|file| dir.join(file.path))
        .zip(files)
        .filter(|(path, file)| !holds(path, file.contents.as_bytes()))
        .map(|(path, _)| path)
        .collect()
}

/// Whether the file at `path` holds exactly `contents` (a file that cannot be read does not).
/// Compared a block at a time, so the old file is never held whole beside the new one.
fn holds(path: &Path, contents: &[u8]) -> bool {
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    if file.metadata().map_or(true, |meta| meta.len() != contents.len() as u64) {
        return false;
    }
    let mut block = vec![0; 64 * 1024];
    let mut rest = contents;
    loop {
        match file.read(&mut block) {
            Ok(0) => return rest.is_empty(),
            Ok(read) => match rest.strip_prefix(&block[..read]) {
                Some(after) => rest = after,
                // Different bytes, or the file grew since its length was read.
                None => return false,
            },
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Writes each changed file: first every one to a temporary file of its own beside its
/// destination (created new, so a planted symlink is never followed), then, only when all are
/// staged, each renamed over its destination. An error while staging (the common case: a
/// directory where a file goes, a full disk, no permission) removes every temporary file and
/// leaves the old files untouched; the error names the path. A rename is atomic per file, and
/// one that fails after others succeeded (rare: on Windows, a file held open) leaves those
/// replaced, which the error's path and a rerun set right.
pub fn write_changed(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<PathBuf>, String> {
    refuse_symlinked_dirs(dir, files)?;
    let stale = stale_files(dir, files);
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let remove_staged = |staged: &[(PathBuf, PathBuf)]| {
        for (temporary, _) in staged {
            let _ = std::fs::remove_file(temporary);
        }
    };
    for path in &stale {
        let Some(file) = files.iter().find(|file| dir.join(file.path) == *path) else { continue };
        match stage(path, &file.contents) {
            Ok(temporary) => staged.push((temporary, path.clone())),
            Err(error) => {
                remove_staged(&staged);
                return Err(error);
            }
        }
    }
    for (index, (temporary, path)) in staged.iter().enumerate() {
        if let Err(error) = std::fs::rename(temporary, path) {
            remove_staged(&staged[index..]);
            return Err(format!("cannot replace {}: {error}", path.display()));
        }
    }
    Ok(stale)
}

fn stage(path: &Path, contents: &str) -> Result<PathBuf, String> {
    // Renaming over a directory fails: found now, before any file is replaced.
    if std::fs::symlink_metadata(path).is_ok_and(|meta| meta.is_dir()) {
        return Err(format!("cannot write {}: it is a directory", path.display()));
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    let name = path.file_name().and_then(|name| name.to_str()).unwrap_or("file");
    for attempt in 0..100 {
        let temporary = parent.join(format!(".{name}.{}.{attempt}.codegen-tmp", std::process::id()));
        let created = std::fs::OpenOptions::new().write(true).create_new(true).open(&temporary);
        let mut file = match created {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(format!("cannot write {}: {error}", temporary.display())),
        };
        if let Err(error) = file.write_all(contents.as_bytes()).and_then(|()| file.sync_all()) {
            let _ = std::fs::remove_file(&temporary);
            return Err(format!("cannot write {}: {error}", temporary.display()));
        }
        return Ok(temporary);
    }
    Err(format!("cannot create a temporary file beside {}", path.display()))
}

/// A directory inside the output that is a symlink would take the writes out of it.
fn refuse_symlinked_dirs(dir: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    let mut dirs: Vec<PathBuf> =
        files.iter().filter_map(|file| Path::new(file.path).parent().map(|p| dir.join(p))).collect();
    dirs.sort();
    dirs.dedup();
    for sub in dirs.iter().filter(|sub| *sub != dir) {
        if std::fs::symlink_metadata(sub).is_ok_and(|meta| meta.file_type().is_symlink()) {
            return Err(format!("{} is a symlink; the generated files are not written through it", sub.display()));
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::stage;

    /// A symlink planted where the temporary file would go is never written through: the file
    /// is created new, beside it.
    #[test]
    fn a_planted_symlink_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        std::fs::write(&target, "untouched").unwrap();
        let destination = dir.path().join("src/lib.rs");
        std::fs::create_dir_all(destination.parent().unwrap()).unwrap();
        let planted = dir.path().join(format!("src/.lib.rs.{}.0.codegen-tmp", std::process::id()));
        std::os::unix::fs::symlink(&target, &planted).unwrap();

        let temporary = stage(&destination, "generated").unwrap();
        assert_ne!(temporary, planted);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "untouched");
        assert_eq!(std::fs::read_to_string(&temporary).unwrap(), "generated");
    }
}

#[cfg(test)]
mod comparing {
    use super::holds;

    #[test]
    fn a_file_holds_only_exactly_its_bytes_whatever_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file.rs");
        // Larger than one block, so the last block is compared too.
        let contents: Vec<u8> = (0..200_000u32).map(|n| b'a' + (n % 26) as u8).collect();
        std::fs::write(&path, &contents).unwrap();
        assert!(holds(&path, &contents));

        let mut last_byte_differs = contents.clone();
        *last_byte_differs.last_mut().unwrap() = b'#';
        assert!(!holds(&path, &last_byte_differs));
        assert!(!holds(&path, &contents[..contents.len() - 1]));
        assert!(!holds(&path, &[contents.as_slice(), b"z"].concat()));
        assert!(!holds(&dir.path().join("missing.rs"), b""));
        // A directory where the file goes is not the file.
        assert!(!holds(dir.path(), b""));

        std::fs::write(&path, "").unwrap();
        assert!(holds(&path, b""));
    }
}
