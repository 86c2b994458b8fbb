//! The generated client crate: a snapshot of its public API, that the checked-in copy is
//! current, and that generation is deterministic.

use rocketchat_codegen::{GeneratedFile, Options, WORKSPACE_CLIENT, WORKSPACE_SPEC, model};
use std::path::{Path, PathBuf};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ lives in the workspace").to_path_buf()
}

fn generate() -> Vec<GeneratedFile> {
    let spec = std::fs::read_to_string(workspace_root().join(WORKSPACE_SPEC)).expect("read the spec");
    let generated =
        rocketchat_codegen::generate(&spec, &Options::workspace_client()).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(generated.warnings, [], "the workspace spec generates without warnings");
    generated.files
}

/// The public API the spec gives users, as a compact text: every method with its HTTP method
/// and path, every type with its fields and variants. Adding an endpoint shows up here as a
/// short diff of what users gain; the generated files themselves are guarded by
/// `checked_in_client_is_current`.
#[test]
fn public_api_matches_its_snapshot() {
    let text = std::fs::read_to_string(workspace_root().join(WORKSPACE_SPEC)).expect("read the spec");
    let spec = rocketchat_codegen::load::load(&text, WORKSPACE_SPEC).unwrap_or_else(|error| panic!("{error}"));
    let api = rocketchat_codegen::model::build(spec, WORKSPACE_SPEC).unwrap_or_else(|error| panic!("{error}"));
    insta::assert_snapshot!("public_api", public_api(&api));
}

fn public_api(api: &model::Api) -> String {
    let mut out = String::from("# Client methods\n");
    for operation in &api.operations {
        let argument = match &operation.input {
            model::Input::None => String::new(),
            model::Input::Body => {
                format!("body: &{}", operation.body.as_ref().map_or("?".into(), |body| rust(api, &body.ty)))
            }
            model::Input::Params(id) => format!("params: &{}", api.name(*id)),
        };
        let output = match &operation.output {
            model::Output::Json(ty) => rust(api, ty),
            model::Output::Text => "String".into(),
            model::Output::Bytes => "Vec<u8>".into(),
            model::Output::Empty => "NoContent".into(),
            model::Output::ByStatus(id) => api.name(*id).to_owned(),
        };
        out.push_str(&format!("\n{} {} ({})\n", operation.http_method, operation.path, operation.id));
        out.push_str(&format!("    fn {}({argument}) -> {output}\n", operation.method_name));
        if let Some(pagination) = &operation.pagination {
            let item = rust(api, &pagination.item);
            out.push_str(&format!("    fn {}({argument}) -> ItemStream<{item}>\n", pagination.stream_method));
            out.push_str(&format!("    fn {}({argument}) -> Items<{item}>  (blocking)\n", pagination.iter_method));
        }
    }
    out.push_str("\n# Types\n");
    for def in &api.types {
        out.push('\n');
        match &def.kind {
            model::TypeKind::Struct { fields, additional } => {
                out.push_str(&format!("struct {}\n", def.name));
                for field in fields {
                    let ty = match (field.optional, field.nullable) {
                        (true, true) => format!("Option<Option<{}>>", rust(api, &field.ty)),
                        (true, false) | (false, true) => format!("Option<{}>", rust(api, &field.ty)),
                        (false, false) => rust(api, &field.ty),
                    };
                    let wire = field.wire.as_deref().map_or("flattened".to_owned(), |wire| format!("\"{wire}\""));
                    let rules = if field.rules.is_empty() { String::new() } else { format!(" {:?}", field.rules) };
                    out.push_str(&format!("    {}: {ty}  {wire}{rules}\n", field.name));
                }
                if let Some(values) = additional {
                    out.push_str(&format!("    additional_properties: {}\n", rust(api, values)));
                }
            }
            model::TypeKind::OneKeyOf { variants } | model::TypeKind::Untagged { variants } => {
                out.push_str(&format!("enum {}\n", def.name));
                for variant in variants {
                    let wire = variant.wire.as_deref().map(|wire| format!("  \"{wire}\"")).unwrap_or_default();
                    out.push_str(&format!("    {}({}){wire}\n", variant.name, rust(api, &variant.ty)));
                }
            }
            model::TypeKind::StringEnum { variants } => {
                let values: Vec<&str> = variants.iter().map(|variant| variant.wire.as_str()).collect();
                out.push_str(&format!("enum {}: {} | Unknown(String)\n", def.name, values.join(" | ")));
            }
            model::TypeKind::IntegerEnum { variants } => {
                let values: Vec<String> =
                    variants.iter().map(|variant| format!("{} = {}", variant.name, variant.value)).collect();
                out.push_str(&format!("enum {}: {} | Unknown(i64)\n", def.name, values.join(" | ")));
            }
            model::TypeKind::Alias(target) => out.push_str(&format!("type {} = {}\n", def.name, rust(api, target))),
            model::TypeKind::ByStatus { variants } => {
                let statuses: Vec<&str> = variants.iter().map(|variant| variant.name.as_str()).collect();
                out.push_str(&format!("enum {} by status: {}\n", def.name, statuses.join(" | ")));
            }
        }
    }
    out
}

fn rust(api: &model::Api, ty: &model::TypeRef) -> String {
    use model::TypeRef;
    match ty {
        TypeRef::Bool => "bool".into(),
        TypeRef::I32 => "i32".into(),
        TypeRef::I64 => "i64".into(),
        TypeRef::F64 => "f64".into(),
        TypeRef::String => "String".into(),
        TypeRef::Secret => "Secret".into(),
        TypeRef::File => "File".into(),
        TypeRef::Bytes => "Vec<u8>".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::JsonObject => "Map<String, Value>".into(),
        TypeRef::Map(values) => format!("BTreeMap<String, {}>", rust(api, values)),
        TypeRef::Vec(item) => format!("Vec<{}>", rust(api, item)),
        TypeRef::Named(id) => api.name(*id).to_owned(),
        TypeRef::Boxed(inner) => format!("Box<{}>", rust(api, inner)),
    }
}

#[test]
fn the_crate_has_the_files_it_should() {
    let paths: Vec<&str> = generate().iter().map(|file| file.path).collect();
    assert_eq!(
        paths,
        ["Cargo.toml", "src/lib.rs", "src/client.rs", "src/operations.rs", "src/types.rs", "src/blocking.rs"]
    );
}

/// The same check as `cargo xtask codegen --check`, so plain `cargo test` catches a spec
/// edited without regenerating.
#[test]
fn checked_in_client_is_current() {
    let client = workspace_root().join(WORKSPACE_CLIENT);
    let stale: Vec<&str> = generate()
        .iter()
        .filter(|file| std::fs::read(client.join(file.path)).ok().as_deref() != Some(file.contents.as_bytes()))
        .map(|file| file.path)
        .collect();
    assert!(stale.is_empty(), "{WORKSPACE_CLIENT} is out of date ({stale:?}); run `cargo xtask codegen`");
}

#[test]
fn generation_is_deterministic() {
    assert_eq!(generate(), generate());
}

#[test]
fn every_generated_file_says_it_is_generated() {
    for file in generate() {
        let first_line = file.contents.lines().next().unwrap_or_default();
        assert!(first_line.contains("@generated by `cargo xtask codegen`"), "{}: {first_line}", file.path);
    }
}

/// Generated crates ask for the runtime by version too (so they resolve once published): the
/// version the generator writes must be the runtime's own.
#[test]
fn generated_crates_ask_for_the_runtime_version_that_exists() {
    let manifest = std::fs::read_to_string(workspace_root().join("crates/rocketchat-runtime/Cargo.toml")).unwrap();
    let version = manifest.lines().find_map(|line| line.strip_prefix("version = ")).unwrap().trim_matches('"');
    assert_eq!(version, rocketchat_codegen::RUNTIME_VERSION);
}

/// The conventions of "Adding an endpoint": every operation of the project's spec names the
/// server code it was checked against (`x-source`), when it came (`x-added-in`), its
/// permissions, and says what it does; one that needs a login documents the 401.
#[test]
fn every_operation_says_where_it_was_checked() {
    let text = std::fs::read_to_string(workspace_root().join(rocketchat_codegen::WORKSPACE_SPEC)).unwrap();
    let spec: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let mut lacking = Vec::new();
    for (path, item) in spec["paths"].as_mapping().unwrap() {
        for (method, operation) in item.as_mapping().unwrap() {
            let id = operation["operationId"].as_str().unwrap_or_default().to_owned();
            let path = path.as_str().unwrap_or_default();
            for key in ["summary", "description", "x-source", "x-added-in", "x-permissions"] {
                if operation.get(key).is_none() {
                    lacking.push(format!("{} {path} ({id}): no `{key}`", method.as_str().unwrap_or_default()));
                }
            }
            let public = operation.get("security").and_then(serde_yaml::Value::as_sequence).is_some_and(Vec::is_empty);
            if !public && operation["responses"].get("401").is_none() {
                lacking.push(format!("{path} ({id}): needs a login but documents no 401"));
            }
        }
    }
    assert!(lacking.is_empty(), "{}", lacking.join("\n"));
}
