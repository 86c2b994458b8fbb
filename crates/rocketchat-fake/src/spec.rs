//! What the fake reads from `specs/rocketchat.yaml` at start: how each operation's parameters
//! arrive (so a query string becomes the generated input type), whether it needs a login, and
//! the example it answers with when the fake does not model it.

use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The spec the client was generated from, built into the fake.
const SPEC: &str = include_str!("../../../specs/rocketchat.yaml");

#[derive(Debug, Clone)]
pub struct OperationSpec {
    pub params: Vec<ParamSpec>,
    pub has_body: bool,
    /// `security: []`: answered without credentials.
    pub public: bool,
    /// The first example of the first success response, with its status.
    pub example: Option<(u16, Value)>,
}

#[derive(Debug, Clone)]
pub struct ParamSpec {
    pub name: String,
    pub location: Location,
    pub kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
}

/// How a parameter's text becomes JSON for the generated parameters struct.
#[derive(Debug, Clone)]
pub enum Kind {
    Text,
    Integer,
    Number,
    Boolean,
    /// Repeated keys (`status[]=a&status[]=b`).
    Array,
    /// An object sent exploded: each of these property names is a query key of its own.
    Exploded(Vec<String>),
    /// JSON text (`content: application/json`, or an object not exploded).
    Json,
}

/// Every operation of the spec, by `operationId`. Parsed once per process (tens of
/// milliseconds), so that starting a fake for each test costs well under one.
pub fn operations() -> Result<HashMap<String, OperationSpec>, String> {
    static PARSED: std::sync::OnceLock<Result<HashMap<String, OperationSpec>, String>> = std::sync::OnceLock::new();
    PARSED.get_or_init(parse).clone()
}

fn parse() -> Result<HashMap<String, OperationSpec>, String> {
    let spec: OpenAPI =
        serde_yaml::from_str(SPEC).map_err(|error| format!("the built-in spec does not load: {error}"))?;
    let mut operations = HashMap::new();
    for (_, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else { continue };
        for (_, operation) in item.iter() {
            let Some(id) = &operation.operation_id else { continue };
            let params = item
                .parameters
                .iter()
                .chain(&operation.parameters)
                .filter_map(|parameter| resolve_parameter(&spec, parameter))
                .map(|parameter| param_spec(&spec, parameter))
                .collect();
            let public = operation.security.as_ref().is_some_and(Vec::is_empty);
            let example = operation.responses.responses.iter().find_map(|(status, response)| {
                let status = match status {
                    openapiv3::StatusCode::Code(code) if (200..300).contains(code) => *code,
                    _ => return None,
                };
                let response = resolve_response(&spec, response)?;
                let media = response.content.get("application/json")?;
                let example = media.example.clone().or_else(|| {
                    media.examples.values().find_map(|example| match example {
                        ReferenceOr::Item(example) => example.value.clone(),
                        ReferenceOr::Reference { .. } => None,
                    })
                })?;
                Some((status, example))
            });
            let has_body = operation.request_body.is_some();
            operations.insert(id.clone(), OperationSpec { params, has_body, public, example });
        }
    }
    Ok(operations)
}

/// Follows `$ref`s into `components.<section>` (`pick` chooses the section's map); `None`
/// for a reference that does not resolve (the generator has refused such a spec already).
fn resolve<'a, T>(
    spec: &'a OpenAPI,
    item: &'a ReferenceOr<T>,
    section: &str,
    pick: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
) -> Option<&'a T> {
    let mut item = item;
    // A chain of references longer than the section is a cycle.
    for _ in 0..=spec.components.as_ref().map_or(0, |components| pick(components).len()) {
        match item {
            ReferenceOr::Item(resolved) => return Some(resolved),
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix(&format!("#/components/{section}/"))?;
                item = pick(spec.components.as_ref()?).get(name)?;
            }
        }
    }
    None
}

fn resolve_parameter<'a>(spec: &'a OpenAPI, parameter: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
    resolve(spec, parameter, "parameters", |components| &components.parameters)
}

fn resolve_response<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<openapiv3::Response>,
) -> Option<&'a openapiv3::Response> {
    resolve(spec, response, "responses", |components| &components.responses)
}

fn resolve_schema<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    resolve(spec, schema, "schemas", |components| &components.schemas)
}

fn param_spec(spec: &OpenAPI, parameter: &Parameter) -> ParamSpec {
    let data = parameter.parameter_data_ref();
    let location = match parameter {
        Parameter::Path { .. } => Location::Path,
        Parameter::Header { .. } => Location::Header,
        _ => Location::Query,
    };
    let kind = match &data.format {
        ParameterSchemaOrContent::Content(_) => Kind::Json,
        ParameterSchemaOrContent::Schema(schema) => match resolve_schema(spec, schema) {
            Some(schema) => schema_kind(spec, schema, data.explode.unwrap_or(true)),
            None => Kind::Text,
        },
    };
    ParamSpec { name: data.name.clone(), location, kind }
}

fn schema_kind(spec: &OpenAPI, schema: &Schema, explode: bool) -> Kind {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(_)) => Kind::Integer,
        SchemaKind::Type(Type::Number(_)) => Kind::Number,
        SchemaKind::Type(Type::Boolean(_)) => Kind::Boolean,
        SchemaKind::Type(Type::Array(_)) => Kind::Array,
        SchemaKind::Type(Type::String(_)) => Kind::Text,
        _ if explode => Kind::Exploded(property_names(spec, schema)),
        _ => Kind::Json,
    }
}

/// The property names of an object schema, through `oneOf`/`anyOf`/`allOf` (a room selector is
/// `oneOf: [{roomId}, {roomName}]`).
fn property_names(spec: &OpenAPI, schema: &Schema) -> Vec<String> {
    let mut names = Vec::new();
    let mut add_all = |schemas: &[ReferenceOr<Schema>]| {
        for schema in schemas.iter().filter_map(|schema| resolve_schema(spec, schema)) {
            for name in property_names(spec, schema) {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => return object.properties.keys().cloned().collect(),
        SchemaKind::OneOf { one_of } => add_all(one_of),
        SchemaKind::AnyOf { any_of } => add_all(any_of),
        SchemaKind::AllOf { all_of } => add_all(all_of),
        SchemaKind::Any(any) => {
            add_all(&any.one_of);
            add_all(&any.any_of);
            add_all(&any.all_of);
            let own: Vec<String> = any.properties.keys().cloned().collect();
            for name in own {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        _ => {}
    }
    names
}

/// The JSON a generated parameters struct deserializes from: each parameter under its name,
/// typed as the spec says, and the body under `body`.
pub fn input_json(
    operation: &OperationSpec,
    path_values: &HashMap<String, String>,
    query: &[(String, String)],
    headers: &http::HeaderMap,
    body: Value,
) -> Result<Value, String> {
    if operation.params.is_empty() {
        return Ok(if operation.has_body { body } else { Value::Null });
    }
    let mut input = Map::new();
    for param in &operation.params {
        let texts: Vec<&str> = match param.location {
            Location::Path => path_values.get(&param.name).map(String::as_str).into_iter().collect(),
            Location::Header => {
                headers.get_all(param.name.as_str()).iter().filter_map(|value| value.to_str().ok()).collect()
            }
            Location::Query => {
                query.iter().filter(|(key, _)| *key == param.name).map(|(_, value)| value.as_str()).collect()
            }
        };
        let value = match &param.kind {
            Kind::Exploded(keys) => {
                let object: Map<String, Value> = query
                    .iter()
                    .filter(|(key, _)| keys.contains(key))
                    .map(|(key, value)| (key.clone(), Value::String(value.clone())))
                    .collect();
                if object.is_empty() {
                    continue;
                }
                Value::Object(object)
            }
            Kind::Array if !texts.is_empty() => {
                Value::Array(texts.iter().map(|text| Value::String((*text).into())).collect())
            }
            _ => match texts.first() {
                None => continue,
                Some(text) => typed(&param.kind, &param.name, text)?,
            },
        };
        input.insert(param.name.clone(), value);
    }
    if operation.has_body {
        input.insert("body".into(), body);
    }
    Ok(Value::Object(input))
}

fn typed(kind: &Kind, name: &str, text: &str) -> Result<Value, String> {
    let invalid = |what: &str| format!("must be {what} [{name}]");
    Ok(match kind {
        Kind::Integer => Value::from(text.parse::<i64>().map_err(|_| invalid("integer"))?),
        Kind::Number => Value::from(text.parse::<f64>().map_err(|_| invalid("number"))?),
        Kind::Boolean => Value::Bool(text.parse().map_err(|_| invalid("boolean"))?),
        Kind::Json => serde_json::from_str(text).map_err(|_| invalid("JSON"))?,
        _ => Value::String(text.to_owned()),
    })
}
