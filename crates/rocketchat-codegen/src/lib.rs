//! Turns an OpenAPI 3.0 description of Rocket.Chat's REST API into the source of a typed Rust
//! client crate.
//!
//! The pipeline has one module per stage, with plain data between them:
//! [`load`] (YAML to `openapiv3`), [`model`] (resolved references and decided names),
//! [`emit`](mod@emit) (token streams), [`format`](mod@format) (source text). This crate does no I/O: it takes the
//! spec's text and returns the files' contents; `xtask` reads and writes them.

pub mod emit;
mod error;
pub mod format;
pub mod load;
pub mod model;
mod naming;

pub use error::{Error, Location};

/// What to generate, beyond the spec itself.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name of the generated crate.
    pub crate_name: String,
    /// The spec as the `@generated` header names it (a path relative to the workspace).
    pub spec_name: String,
    /// The command the header tells readers to run.
    pub command: String,
    /// Where the generated crate gets `rocketchat-runtime` from.
    pub runtime: RuntimeDependency,
    /// Whether the crate is a workspace of its own (for output outside this workspace).
    pub standalone: bool,
}

/// The version of `rocketchat-runtime` that generated crates depend on: the one this
/// generator's output is written for (a test checks it against the runtime's manifest).
pub const RUNTIME_VERSION: &str = "0.1.0";

/// How a generated crate depends on `rocketchat-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// A local checkout (relative to the generated crate, or absolute). The version is written
    /// beside it, so the crate still resolves once both are published.
    Path(String),
    /// A git repository, optionally at a revision (a commit, tag or branch name).
    Git { url: String, rev: Option<String> },
    /// A version requirement, for the runtime from crates.io.
    Version(String),
}

impl RuntimeDependency {
    /// The dependency's value in `Cargo.toml`, with `features`. Its default features are off:
    /// the generated crate's own features choose the TLS backend.
    fn to_toml(&self, features: &[&str]) -> String {
        let source = match self {
            Self::Path(path) => format!("version = {}, path = {}", toml_string(RUNTIME_VERSION), toml_string(path)),
            Self::Git { url, rev: None } => format!("git = {}", toml_string(url)),
            Self::Git { url, rev: Some(rev) } => format!("git = {}, rev = {}", toml_string(url), toml_string(rev)),
            Self::Version(requirement) => format!("version = {}", toml_string(requirement)),
        };
        let features = if features.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = features.iter().map(|feature| toml_string(feature)).collect();
            format!(", features = [{}]", quoted.join(", "))
        };
        format!("{{ {source}, default-features = false{features} }}")
    }
}

/// One generated file: its path relative to the crate root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: &'static str,
    pub contents: String,
}

/// The generated crate, and what in it is less than the spec asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub warnings: Vec<model::Warning>,
}

/// Generates the whole client crate from the spec's text.
///
/// Runs on a thread of its own with a large stack: deserializing a deeply nested schema
/// (YAML allows 128 levels) takes more stack per level than a test thread's 2 MiB, and no
/// input may overflow the stack. The stack is reserved, not committed, so it costs little.
pub fn generate(spec_text: &str, options: &Options) -> Result<Generated, Error> {
    const STACK: usize = 256 * 1024 * 1024;
    std::thread::scope(|scope| {
        let worker =
            std::thread::Builder::new().stack_size(STACK).spawn_scoped(scope, || generate_here(spec_text, options));
        match worker {
            Ok(worker) => worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: try on this one.
            Err(_) => generate_here(spec_text, options),
        }
    })
}

fn generate_here(spec_text: &str, options: &Options) -> Result<Generated, Error> {
    // Split into lines once, and only if something needs locating.
    let lines = std::cell::OnceCell::new();
    let with_line = |mut location: Location| {
        if location.line.is_none() {
            let lines = lines.get_or_init(|| load::LineIndex::new(spec_text));
            location.line = lines.line_of(&location.pointer).and_then(|line| u32::try_from(line).ok());
        }
        location
    };
    let spec = load::load(spec_text, &options.spec_name)?;
    // The model takes the parsed spec and lets it go as it is lowered: it owns all it needs.
    let api = model::build(spec, &options.spec_name).map_err(|error| error.map_location(with_line))?;
    let warnings = api.warnings.iter().cloned().map(|mut warning| {
        warning.location = with_line(warning.location);
        warning
    });
    Ok(Generated { warnings: warnings.collect(), files: render(&api, options)? })
}

/// A function that emits one file of the crate.
type EmitFile = for<'a> fn(&'a model::Api, &'a Options) -> emit::RustFile<'a>;

/// The Rust files of the crate, each with the function that emits it.
const RUST_FILES: [(&str, EmitFile); 5] = [
    ("src/lib.rs", |api, options| emit::lib_module(api, &options.crate_name)),
    ("src/client.rs", |api, _| emit::client_module(api)),
    ("src/operations.rs", |api, _| emit::operations_module(api)),
    ("src/types.rs", |api, _| emit::types_module(api)),
    ("src/blocking.rs", |api, _| emit::blocking_module(api)),
];

/// Stage 3: each Rust file of the crate, as pieces that emit their tokens when asked.
pub fn emit<'a>(api: &'a model::Api, options: &'a Options) -> Vec<(&'static str, emit::RustFile<'a>)> {
    RUST_FILES.iter().map(|(path, emit)| (*path, emit(api, options))).collect()
}

/// Stages 3 and 4 for a built model: every file of the crate.
///
/// Emitting and formatting (syn's parse and prettyplease) are the costliest stages, and each
/// piece of a file (an item, or a method) is emitted and formatted on its own: one thread per
/// core takes the next piece of any file until none is left, so the cores share even one large
/// file, and only the pieces in hand are held as tokens and syntax trees. This thread also
/// puts the files together as the pieces come, in order, letting each piece go once copied:
/// a piece held until the end would keep the memory of its thread's allocator arena in use.
pub fn render(api: &model::Api, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    let header = format::header(&options.command, &options.spec_name, "//");
    let files = emit(api, options);
    let pieces: Vec<(&str, &emit::Piece)> =
        files.iter().flat_map(|(path, file)| file.pieces.iter().map(move |piece| (*path, piece))).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take_next = || {
        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        pieces.get(index).map(|piece| (index, piece))
    };
    let (done, finished) = std::sync::mpsc::channel();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut generated = vec![GeneratedFile { path: "Cargo.toml", contents: cargo_toml(api, options) }];
    std::thread::scope(|scope| -> Result<(), Error> {
        // A piece's tokens nest as deep as its types do: the stack is reserved, not used.
        let mut workers = Vec::new();
        for _ in 1..threads {
            let done = done.clone();
            let format_pieces = move || {
                while let Some((index, &(path, piece))) = take_next() {
                    // The receiver is gone only when this thread's output no longer matters.
                    if done.send((index, format::piece(piece, path))).is_err() {
                        return;
                    }
                }
            };
            // A thread that cannot be had is not needed: this one takes every piece left.
            workers.extend(std::thread::Builder::new().stack_size(FORMAT_STACK).spawn_scoped(scope, format_pieces));
        }
        // Dropped on an early return, which stops the other threads at their next piece.
        let finished = finished;
        drop(done);
        let mut files = format::Files::new(files.iter().map(|(path, file)| (*path, file.pieces.len())), &header);
        loop {
            for (index, piece) in finished.try_iter() {
                files.accept(index, piece)?;
            }
            let Some((index, &(path, piece))) = take_next() else { break };
            files.accept(index, format::piece(piece, path))?;
        }
        // The other threads' last pieces; the iteration ends when they have all stopped.
        for (index, piece) in finished {
            files.accept(index, piece)?;
        }
        // A thread that panicked left its piece out: its own panic goes on, not scope's.
        for worker in workers {
            worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
        generated.extend(files.finish().map(|(path, contents)| GeneratedFile { path, contents }));
        Ok(())
    })?;
    Ok(generated)
}

/// The stack of each rendering thread.
const FORMAT_STACK: usize = 64 * 1024 * 1024;

fn cargo_toml(api: &model::Api, options: &Options) -> String {
    let header = format::header(&options.command, &options.spec_name, "#");
    let description = crate_description(&api.title);
    // This workspace's client is published beside the runtime; a crate generated elsewhere is
    // its owner's to publish, so it starts unpublishable rather than publishing by accident.
    let publishing = if options.standalone {
        "publish = false\n".to_owned()
    } else {
        format!("documentation = \"https://docs.rs/{}\"\n", options.crate_name)
    };
    let workspace = if options.standalone { "\n# Not a member of any enclosing workspace.\n[workspace]\n" } else { "" };
    format!(
        r#"{header}
[package]
name = {name}
version = "0.1.0"
description = {description}
edition = "2024"
rust-version = "1.88"
license = "MIT OR Apache-2.0"
keywords = ["rocketchat", "chat", "api", "client", "openapi"]
categories = ["api-bindings", "web-programming::http-client"]
{publishing}
[dependencies]
rocketchat-runtime = {runtime}
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

[dev-dependencies]
# The examples and the documentation's examples run their calls on tokio.
tokio = {{ version = "1", features = ["rt", "macros"] }}

[features]
default = ["rustls"]
# TLS by rustls with the ring crypto provider. Without a TLS feature (`default-features =
# false`), the client speaks plain `http://` only: for a server behind a TLS-terminating proxy,
# and for tests.
rustls = ["rocketchat-runtime/rustls"]
# TLS by the platform's library instead (OpenSSL on Linux, which must be installed to build).
native-tls = ["rocketchat-runtime/native-tls"]
# A blocking client (`blocking::Client`), for scripts and command-line tools.
blocking = ["rocketchat-runtime/blocking"]
# Every type both `Serialize` and `Deserialize` (by default each derives only the direction
# its operations use), for tests, fixtures and mock servers.
roundtrip = []

[package.metadata.docs.rs]
# Not `all-features`: `native-tls` would document nothing more and needs OpenSSL.
features = ["blocking", "roundtrip"]
{workspace}"#,
        name = toml_string(&options.crate_name),
        description = toml_string(&description),
        runtime = options.runtime.to_toml(&api.runtime_features()),
        publishing = publishing,
    )
}

/// "A typed Rust client for the Rooms API": the title, naming an API once whatever its wording.
fn crate_description(title: &str) -> String {
    let title = title.trim();
    let article = if title.to_lowercase().starts_with("the ") { "" } else { "the " };
    let api =
        if title.split_whitespace().last().is_some_and(|word| word.eq_ignore_ascii_case("api")) { "" } else { " API" };
    format!("A typed Rust client for {article}{title}{api}, generated from its OpenAPI spec.")
}

/// A TOML basic string. JSON's escaping is a subset TOML accepts, but JSON leaves DEL and the
/// bidirectional overrides as they are, which TOML (DEL) and rustc's lints (bidi, in the
/// header comment) refuse: those are escaped too.
fn toml_string(value: &str) -> String {
    let json = serde_json::Value::String(value.to_owned()).to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c == '\u{7F}' || format::is_bidi(c) {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// The spec of this workspace, relative to its root.
pub const WORKSPACE_SPEC: &str = "specs/rocketchat.yaml";
/// The generated client crate of this workspace, relative to its root.
pub const WORKSPACE_CLIENT: &str = "crates/rocketchat";

impl Options {
    /// What `cargo xtask codegen` uses to generate [`WORKSPACE_CLIENT`] from [`WORKSPACE_SPEC`].
    pub fn workspace_client() -> Self {
        Self {
            crate_name: "rocketchat".into(),
            spec_name: WORKSPACE_SPEC.into(),
            command: "cargo xtask codegen".into(),
            runtime: RuntimeDependency::Path("../rocketchat-runtime".into()),
            standalone: false,
        }
    }
}
