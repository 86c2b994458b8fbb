//! What a hostile spec can cost: bounded, with the bound said.

use rocketchat_codegen::{Options, generate};

/// One operation with a path of 2,000 undeclared parameters: each is a warning, but past the
/// cap they are counted, not kept (each kept warning holds the path, and is located in the text).
#[test]
fn warnings_are_capped_and_the_rest_counted() {
    let params: String = (0..2_000).map(|index| format!("/{{p{index}}}")).collect();
    let spec = format!(
        // An explicit key (`? ...`): YAML caps implicit keys at 1,024 characters.
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  ? '/a{params}'\n  : get:\n      responses:\n        '200': {{description: OK}}\n"
    );
    let generated = generate(&spec, &Options::workspace_client()).expect("generates");
    assert_eq!(generated.warnings.len(), rocketchat_codegen::model::MAX_WARNINGS + 1);
    let last = generated.warnings.last().unwrap().to_string();
    assert!(last.contains("1900 more warnings like the ones above are not shown"), "{last}");
}

/// YAML aliases repeat a node without repeating its text: a small file can expand to a huge
/// document. Past the limit, generation stops with an error that names it.
#[test]
fn a_document_that_expands_past_the_node_limit_is_refused() {
    // 600 properties, aliased 500 times (4 nodes each): 1.2 million nodes from 25 KB.
    let properties: String = (0..600).map(|index| format!("      p{index}: {{type: string}}\n")).collect();
    let uses: String = (0..500).map(|index| format!("    S{index}: *big\n")).collect();
    let spec = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Big: &big\n      type: object\n      properties:\n{properties}{uses}"
    );
    assert!(spec.len() < 30_000, "{}", spec.len());
    let error = generate(&spec, &Options::workspace_client()).expect_err("refused");
    assert!(error.to_string().contains("more than 1000000 YAML nodes"), "{error}");
}
