//! Every example in the spec, request and response, goes through the generated types and over
//! loopback HTTP. The test walks the spec, so a new example is tested without new test code.
//!
//! - A request example decodes into the operation's body type, encodes back to the same JSON,
//!   and is sent on the wire as exactly that JSON.
//! - A success example served by the test server decodes into the operation's output type,
//!   which encodes back to the same JSON (unknown fields included).
//! - A failure example becomes an `Error` with the example's status, message, code and details.

use rocketchat_runtime::{Operation, RoundTripVisitor};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use workspace_tests::{Reply, Server};

struct Walker {
    spec: Value,
    runtime: tokio::runtime::Runtime,
    visited: BTreeSet<String>,
    checked: usize,
}

/// Follows a local `$ref` (`#/components/...`) to what it names.
fn resolve<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local reference");
            resolve(spec, spec.pointer(pointer).unwrap_or_else(|| panic!("{reference} resolves")))
        }
        None => node,
    }
}

/// The example values of a `content.application/json` node, with their names.
fn examples(spec: &Value, content_owner: &Value) -> Vec<(String, Value)> {
    let Some(media) = content_owner.pointer("/content/application~1json") else { return Vec::new() };
    let mut found: Vec<(String, Value)> = media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, example)| (name.clone(), resolve(spec, example)["value"].clone()))
        .collect();
    if let Some(example) = media.get("example") {
        found.push(("example".into(), example.clone()));
    }
    found
}

fn operation<'a>(spec: &'a Value, id: &str) -> (&'a str, &'a str, &'a Value) {
    let paths = spec["paths"].as_object().expect("paths");
    paths
        .iter()
        .flat_map(|(path, item)| item.as_object().into_iter().flatten().map(move |(method, op)| (path, method, op)))
        .find(|(_, _, op)| op["operationId"] == id)
        .map(|(path, method, op)| (path.as_str(), method.as_str(), op))
        .unwrap_or_else(|| panic!("operation {id} is in the spec"))
}

impl RoundTripVisitor for Walker {
    fn visit<O>(&mut self)
    where
        O: Operation<Body: serde::de::DeserializeOwned, Output: serde::Serialize>,
    {
        assert!(self.visited.insert(O::ID.to_owned()), "{} visited twice", O::ID);
        let spec = self.spec.clone();
        let (path, method, operation) = operation(&spec, O::ID);
        assert_eq!((path, method.to_ascii_uppercase().as_str()), (O::PATH, O::METHOD.as_str()));

        let request_examples = operation.get("requestBody").map(|body| examples(&spec, resolve(&spec, body)));
        let request_examples = request_examples.unwrap_or_default();
        let mut bodies = Vec::new();
        for (name, example) in &request_examples {
            let body: O::Body = serde_json::from_value(example.clone())
                .unwrap_or_else(|error| panic!("{} request example {name} decodes: {error}", O::ID));
            let encoded = serde_json::to_value(&body).unwrap();
            assert_eq!(&encoded, example, "{} request example {name} round-trips", O::ID);
            bodies.push((name, body));
            self.checked += 1;
        }
        let (_, first_body) = bodies.first().unwrap_or_else(|| panic!("{} has a request example", O::ID));

        let responses = operation["responses"].as_object().expect("responses");
        for (status, response) in responses {
            // `default` and ranges name no status a test server could answer with.
            let Ok(status) = status.parse::<u16>() else { continue };
            for (name, example) in examples(&spec, resolve(&spec, response)) {
                let context = format!("{} {status} example {name}", O::ID);
                let result = self.runtime.block_on(async {
                    let server = Server::start(vec![Reply::json(status, &example)]).await;
                    let transport = rocketchat_runtime::Transport::builder(
                        server.url(),
                        rocketchat_runtime::Credentials::new("user", "token"),
                    )
                    .build()
                    .unwrap();
                    transport.execute::<O, O::Body>(Some(first_body)).await
                });
                check_response::<O>(&context, status, &example, result);
                self.checked += 1;
            }
        }

        // Every request example is sent on the wire as exactly its JSON.
        for (name, body) in &bodies {
            let recorded = self.runtime.block_on(async {
                let server = Server::start(vec![Reply::json(200, &serde_json::json!({"success": true}))]).await;
                let transport = rocketchat_runtime::Transport::builder(
                    server.url(),
                    rocketchat_runtime::Credentials::new("user", "token"),
                )
                .build()
                .unwrap();
                let _ = transport.execute::<O, O::Body>(Some(body)).await;
                server.only_request()
            });
            let sent: Value = serde_json::from_slice(&recorded.body).unwrap();
            let example = &request_examples.iter().find(|(n, _)| n == *name).unwrap().1;
            assert_eq!(&sent, example, "{} request example {name} on the wire", O::ID);
        }
    }
}

fn check_response<O: Operation<Output: serde::Serialize>>(
    context: &str,
    status: u16,
    example: &Value,
    result: Result<O::Output, rocketchat_runtime::Error>,
) {
    if (200..300).contains(&status) {
        let output = result.unwrap_or_else(|error| panic!("{context} decodes: {error}"));
        assert_eq!(&serde_json::to_value(&output).unwrap(), example, "{context} round-trips");
        return;
    }
    let error = match result {
        Ok(_) => panic!("{context} is an error"),
        Err(error) => error,
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{context}: {error:?}");
    let expected_message = example.get("error").or_else(|| example.get("message")).and_then(Value::as_str);
    assert_eq!(error.message(), expected_message, "{context}");
    if let Some(code) = example.get("errorType").and_then(Value::as_str) {
        assert_eq!(error.error_type().map(|t| t.as_str()), Some(code), "{context}");
    }
    let details = error.api_error().and_then(|api| api.details.as_ref());
    assert_eq!(details, example.get("details"), "{context}");
}

#[test]
fn every_spec_example_round_trips_through_the_generated_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/rocketchat.yaml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut walker = Walker { spec: spec.clone(), runtime, visited: BTreeSet::new(), checked: 0 };
    rocketchat::operations::visit_all_round_trip(&mut walker);

    let ids: BTreeSet<String> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|operation| operation["operationId"].as_str().map(str::to_owned))
        .collect();
    let missing: Vec<&String> = ids.difference(&walker.visited).collect();
    assert!(
        missing.is_empty(),
        "not walked: {missing:?}. This test covers operations without parameters that send and \
         receive JSON (those with a marker in `operations`); give the others a test of their own"
    );

    // Counted independently of the walk, so examples skipped by a bug fail the test.
    let all_examples: usize = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .map(|operation| {
            let request = operation.get("requestBody").map_or(0, |body| examples(&spec, resolve(&spec, body)).len());
            let responses: usize = operation["responses"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(status, _)| status.parse::<u16>().is_ok())
                .map(|(_, response)| examples(&spec, resolve(&spec, response)).len())
                .sum();
            request + responses
        })
        .sum();
    assert_eq!(walker.checked, all_examples);
    assert!(all_examples >= 25, "the spec has {all_examples} examples");
}

#[test]
fn the_runtime_knows_every_error_type_the_spec_lists() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/rocketchat.yaml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let codes = spec.pointer("/components/schemas/Failure/properties/errorType/enum").and_then(Value::as_array);
    let codes = codes.expect("the spec lists the error types");
    assert!(codes.len() >= 12);
    for code in codes {
        let code = code.as_str().unwrap();
        let known = rocketchat::ErrorType::from(code);
        assert!(!matches!(known, rocketchat::ErrorType::Unknown(_)), "ErrorType does not know {code}");
        assert_eq!(known.as_str(), code);
    }
}
