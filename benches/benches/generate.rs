//! How fast the generator is: each stage (load, model, emit, format) and the whole run, for
//! the workspace spec and each of Rocket.Chat's published files; and how it scales with the
//! number of operations. `cargo bench -p benchmarks --bench generate`.

use divan::Bencher;
use rocketchat_codegen::{Options, format, load, model};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// The workspace spec first, then the official files.
const SPECS: &[&str] = &[
    "rocketchat",
    "authentication",
    "content-management",
    "integrations",
    "marketplace-apps",
    "messaging",
    "miscellaneous",
    "notifications",
    "omnichannel",
    "rooms",
    "settings",
    "statistics",
    "user-management",
];

fn spec(name: &str) -> &'static str {
    static SPECS: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let specs = SPECS.get_or_init(|| {
        let workspace = std::fs::read_to_string(benchmarks::workspace_root().join("specs/rocketchat.yaml"))
            .expect("read specs/rocketchat.yaml");
        let mut specs = vec![("rocketchat".to_owned(), workspace)];
        specs.extend(benchmarks::official_specs());
        specs
    });
    let found = specs.iter().find(|(spec_name, _)| spec_name == name);
    found
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("no spec {name}: is ../shared/rocketchat-openapi there?"))
}

fn options() -> Options {
    Options::workspace_client()
}

#[divan::bench(args = SPECS)]
fn stage_1_load(bencher: Bencher, name: &str) {
    let text = spec(name);
    bencher.bench(|| load::load(text, name).expect("loads"));
}

#[divan::bench(args = SPECS)]
fn stage_2_model(bencher: Bencher, name: &str) {
    let spec = load::load(spec(name), name).expect("loads");
    // The model takes the spec: each run lowers a copy made beforehand, untimed.
    bencher.with_inputs(|| spec.clone()).bench_values(|spec| model::build(spec, name).expect("builds"));
}

/// Every piece's tokens, on one thread.
#[divan::bench(args = SPECS)]
fn stage_3_emit(bencher: Bencher, name: &str) {
    let api = model::build(load::load(spec(name), name).expect("loads"), name).expect("builds");
    bencher.bench(|| emit_all(&api));
}

/// Emit and format together, on one thread (format takes each piece's tokens when it is
/// ready for them): the format stage is this less [`stage_3_emit`].
#[divan::bench(args = SPECS)]
fn stage_4_emit_and_format(bencher: Bencher, name: &str) {
    let api = model::build(load::load(spec(name), name).expect("loads"), name).expect("builds");
    bencher.bench(|| format_all(&api));
}

fn emit_all(api: &model::Api) {
    let options = options();
    for (_, file) in rocketchat_codegen::emit(api, &options) {
        for piece in &file.pieces {
            divan::black_box(piece.tokens());
        }
    }
}

fn format_all(api: &model::Api) {
    let options = options();
    for (path, file) in rocketchat_codegen::emit(api, &options) {
        divan::black_box(format::rust_file(&file, path, "").expect("formats"));
    }
}

#[divan::bench(args = SPECS)]
fn whole_generation(bencher: Bencher, name: &str) {
    let text = spec(name);
    let options = options();
    bencher.bench(|| rocketchat_codegen::generate(text, &options).expect("generates"));
}

/// Time per run should grow linearly with the number of operations.
#[divan::bench(args = [10, 100, 1000, 5000], sample_count = 10)]
fn scaling_operations(bencher: Bencher, operations: usize) {
    let text = benchmarks::synthetic::spec(operations);
    let options = options();
    bencher.bench(|| rocketchat_codegen::generate(&text, &options).expect("generates"));
}

/// The stages at two sizes, to see which one grows faster than the operations.
mod scaling_by_stage {
    use super::*;

    fn text(operations: usize) -> String {
        benchmarks::synthetic::spec(operations)
    }

    #[divan::bench(args = [100, 1000, 5000], sample_count = 5)]
    fn load(bencher: Bencher, operations: usize) {
        let text = text(operations);
        bencher.bench(|| load::load(&text, "synthetic").expect("loads"));
    }

    #[divan::bench(args = [100, 1000, 5000], sample_count = 5)]
    fn model(bencher: Bencher, operations: usize) {
        let spec = load::load(&text(operations), "synthetic").expect("loads");
        bencher.with_inputs(|| spec.clone()).bench_values(|spec| model::build(spec, "synthetic").expect("builds"));
    }

    #[divan::bench(args = [100, 1000, 5000], sample_count = 5)]
    fn emit(bencher: Bencher, operations: usize) {
        let api =
            model::build(load::load(&text(operations), "synthetic").expect("loads"), "synthetic").expect("builds");
        bencher.bench(|| emit_all(&api));
    }

    #[divan::bench(args = [100, 1000, 5000], sample_count = 5)]
    fn emit_and_format(bencher: Bencher, operations: usize) {
        let api =
            model::build(load::load(&text(operations), "synthetic").expect("loads"), "synthetic").expect("builds");
        bencher.bench(|| format_all(&api));
    }
}
