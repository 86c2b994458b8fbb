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

/// The example value of a parameter: its own `example`, its first `examples`, or its schema's.
fn parameter_example(spec: &Value, parameter: &Value) -> Option<Value> {
    let schema = parameter.get("schema").map(|schema| resolve(spec, schema));
    parameter
        .get("example")
        .or_else(|| parameter.get("examples")?.as_object()?.values().next().map(|e| &resolve(spec, e)["value"]))
        .or_else(|| schema?.get("example"))
        .cloned()
}

/// The parameters of an operation (the path item's and its own), resolved.
fn parameters<'a>(spec: &'a Value, path: &str, method: &str) -> Vec<&'a Value> {
    let item = &spec["paths"][path];
    let own = item[method].get("parameters").and_then(Value::as_array).into_iter().flatten();
    let shared = item.get("parameters").and_then(Value::as_array).into_iter().flatten();
    let mut found: Vec<&Value> = Vec::new();
    for parameter in shared.chain(own).map(|parameter| resolve(spec, parameter)) {
        found.retain(|p: &&Value| !(p["name"] == parameter["name"] && p["in"] == parameter["in"]));
        found.push(parameter);
    }
    found
}

/// What a parameter example puts in the query string, by OpenAPI's default `form` style.
fn query_pairs(name: &str, example: &Value, parameter: &Value) -> Vec<(String, String)> {
    let style = parameter.get("style").and_then(Value::as_str).unwrap_or("form");
    let explode = parameter.get("explode").and_then(Value::as_bool).unwrap_or(true);
    assert!(style == "form" && explode, "{name}: the examples test sends `style: form, explode: true` only");
    let text = |value: &Value| value.as_str().map_or_else(|| value.to_string(), str::to_owned);
    match example {
        Value::Array(items) => items.iter().map(|item| (name.to_owned(), text(item))).collect(),
        Value::Object(properties) => properties.iter().map(|(key, value)| (key.clone(), text(value))).collect(),
        scalar => vec![(name.to_owned(), text(scalar))],
    }
}

/// The inputs an operation's examples make: each request body example with every parameter
/// example (`{"param": example, ..., "body": body}` for operations with parameters), and the
/// request each must put on the wire.
struct Example {
    name: String,
    input: Value,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
}

fn request_examples(spec: &Value, id: &str, path: &str, method: &str, operation: &Value) -> Vec<Example> {
    let bodies = match operation.get("requestBody") {
        Some(body) => {
            let bodies = examples(spec, resolve(spec, body));
            assert!(!bodies.is_empty(), "{id}: give the request body an example");
            bodies.into_iter().map(|(name, body)| (name, Some(body))).collect()
        }
        None => vec![("no body".to_owned(), None)],
    };
    let parameters = parameters(spec, path, method);
    let mut values = serde_json::Map::new();
    let mut wire_path = path.to_owned();
    let mut query = Vec::new();
    let mut headers = Vec::new();
    for parameter in &parameters {
        let name = parameter["name"].as_str().unwrap();
        let place = parameter["in"].as_str().unwrap();
        if place == "header"
            && ["x-auth-token", "x-user-id", "x-2fa-code", "x-2fa-method"].contains(&name.to_ascii_lowercase().as_str())
        {
            continue;
        }
        let Some(example) = parameter_example(spec, parameter) else {
            assert!(
                !parameter["required"].as_bool().unwrap_or(place == "path"),
                "{id}: give the required parameter `{name}` an `example`"
            );
            continue;
        };
        let text = example.as_str().map_or_else(|| example.to_string(), str::to_owned);
        match place {
            "path" => wire_path = wire_path.replace(&format!("{{{name}}}"), &text),
            "query" => query.extend(query_pairs(name, &example, parameter)),
            "header" => headers.push((name.to_ascii_lowercase(), text)),
            _ => continue,
        }
        let key = if place == "header" { name.to_ascii_lowercase() } else { name.to_owned() };
        values.insert(key, example);
    }
    let has_parameters = !values.is_empty() || parameters.iter().any(|p| p["in"] != "cookie");
    bodies
        .into_iter()
        .map(|(name, body)| {
            let input = match (&body, has_parameters) {
                (_, true) => {
                    let mut input = values.clone();
                    if let Some(body) = &body {
                        input.insert("body".into(), body.clone());
                    }
                    Value::Object(input)
                }
                (Some(body), false) => body.clone(),
                (None, false) => Value::Null,
            };
            Example { name, input, path: wire_path.clone(), query: query.clone(), headers: headers.clone(), body }
        })
        .collect()
}

impl RoundTripVisitor for Walker {
    fn visit<O>(&mut self)
    where
        O: Operation<
                Input: serde::Serialize + serde::de::DeserializeOwned + Sized,
                Output: serde::Serialize + serde::de::DeserializeOwned,
            >,
    {
        assert!(self.visited.insert(O::ID.to_owned()), "{} visited twice", O::ID);
        let spec = self.spec.clone();
        let (path, method, operation) = operation(&spec, O::ID);
        assert_eq!(path.split_whitespace().next(), Some(O::PATH));
        assert_eq!(method.to_ascii_uppercase(), O::METHOD.as_str());

        let mut inputs = Vec::new();
        for example in request_examples(&spec, O::ID, path, method, operation) {
            let name = &example.name;
            let input: O::Input = serde_json::from_value(example.input.clone())
                .unwrap_or_else(|error| panic!("{} request example {name} decodes: {error}", O::ID));
            let encoded = serde_json::to_value(&input).unwrap();
            assert_eq!(encoded, example.input, "{} request example {name} round-trips", O::ID);
            if example.body.is_some() {
                self.checked += 1;
            }
            inputs.push((example, input));
        }
        let (_, first_input) = inputs.first().unwrap_or_else(|| panic!("{} has an input", O::ID));

        let responses = operation["responses"].as_object().expect("responses");
        for (status, response) in responses {
            // `default` and ranges name no status a test server could answer with.
            let Ok(status) = status.parse::<u16>() else { continue };
            for (name, example) in examples(&spec, resolve(&spec, response)) {
                let context = format!("{} {status} example {name}", O::ID);
                let result = self.runtime.block_on(async {
                    let server = Server::start(vec![Reply::json(status, &example)]).await;
                    transport(&server).execute::<O>(first_input).await
                });
                check_response::<O>(&context, status, &example, result);
                self.checked += 1;
            }
        }

        // Every request example is sent on the wire as exactly its path, query, headers and JSON.
        for (example, input) in &inputs {
            let context = format!("{} request example {}", O::ID, example.name);
            let recorded = self.runtime.block_on(async {
                let server = Server::start(vec![Reply::json(200, &serde_json::json!({"success": true}))]).await;
                let _ = transport(&server).execute::<O>(input).await;
                server.only_request()
            });
            assert_eq!(recorded.method, O::METHOD.as_str(), "{context}");
            let url = reqwest::Url::parse(&format!("http://host{}", recorded.target)).unwrap();
            assert_eq!(url.path(), example.path, "{context}: path");
            let query: Vec<(String, String)> =
                url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
            assert_eq!(query, example.query, "{context}: query");
            for (name, value) in &example.headers {
                assert_eq!(recorded.header(name), value, "{context}: header {name}");
            }
            match &example.body {
                Some(body) => assert_eq!(&recorded.json(), body, "{context}: body"),
                None => assert!(recorded.body.is_empty(), "{context}: no body"),
            }
        }
    }
}

fn transport(server: &Server) -> rocketchat_runtime::Transport {
    rocketchat_runtime::Transport::builder(server.url(), rocketchat_runtime::Credentials::new("user", "token"))
        .build()
        .unwrap()
}

/// Equal as JSON values: numbers by value (a `1` decoded into an `f64` encodes as `1.0`).
fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b)),
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len() && a.iter().all(|(key, value)| b.get(key).is_some_and(|other| same_json(value, other)))
        }
        _ => left == right,
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
        let encoded = serde_json::to_value(&output).unwrap();
        assert!(same_json(&encoded, example), "{context} round-trips:\n{encoded}\n!=\n{example}");
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
        assert_eq!(error.error_type(), Some(code), "{context}");
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
    assert!(missing.is_empty(), "not walked: {missing:?}; only operations whose input is a slice are left out");

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
fn error_type_knows_every_code_the_spec_lists() {
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

/// A named integer enum goes on the wire as its number, and keeps a number it does not know.
#[test]
fn a_team_type_is_its_number_on_the_wire() {
    use rocketchat::types::{TeamInfo, TeamType, TeamsCreateRequest};
    let request = TeamsCreateRequest::new("platform".into(), TeamType::Private);
    assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"name":"platform","type":1}"#);
    let team = |json: &str| serde_json::from_str::<TeamInfo>(json).unwrap().r#type;
    assert_eq!(team(r#"{"_id": "T1", "type": 0}"#), Some(TeamType::Public));
    assert_eq!(team(r#"{"_id": "T1", "type": 7}"#), Some(TeamType::Unknown(7)));
    assert_eq!(TeamType::Unknown(7).value(), 7);
    assert_eq!(TeamType::Private.to_string(), "1");
}
