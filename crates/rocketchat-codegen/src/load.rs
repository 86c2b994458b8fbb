//! Stage 1: YAML text to `openapiv3::OpenAPI`, with located errors.

use crate::error::{Error, Location};
use openapiv3::OpenAPI;

/// Only the version keys, read first so that a Swagger 2.0 or OpenAPI 3.1 file gets a plain
/// "wrong version" error instead of whatever field the 3.0 model trips over first.
#[derive(serde::Deserialize)]
struct VersionProbe {
    openapi: Option<serde_yaml::Value>,
    swagger: Option<serde_yaml::Value>,
}

pub fn load(text: &str, file: &str) -> Result<OpenAPI, Error> {
    let location = |pointer: String, line: Option<usize>| Location { file: file.to_owned(), pointer, line };

    let probe: VersionProbe = serde_yaml::from_str(text).map_err(|error| yaml_error(&error, file))?;
    let version = match (&probe.openapi, &probe.swagger) {
        (Some(serde_yaml::Value::String(version)), _) => version.clone(),
        (Some(other), _) => {
            return Err(Error::Version { location: location("/openapi".into(), None), found: yaml_scalar(other) });
        }
        (None, Some(swagger)) => {
            return Err(Error::Version {
                location: location("/swagger".into(), None),
                found: format!("swagger {}", yaml_scalar(swagger)),
            });
        }
        (None, None) => {
            return Err(Error::Schema {
                location: location(String::new(), None),
                message: "the `openapi` field is missing; add `openapi: 3.0.3` at the top".into(),
            });
        }
    };
    if !is_openapi_30(&version) {
        return Err(Error::Version { location: location("/openapi".into(), None), found: version });
    }

    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        let inner = error.into_inner();
        let line = inner.location().map(|at| at.line());
        Error::Schema { location: location(pointer, line), message: strip_location(&inner.to_string()) }
    })
}

fn is_openapi_30(version: &str) -> bool {
    version == "3.0" || version.strip_prefix("3.0.").is_some_and(|patch| patch.chars().all(|c| c.is_ascii_digit()))
}

fn yaml_error(error: &serde_yaml::Error, file: &str) -> Error {
    Error::Yaml {
        location: Location {
            file: file.to_owned(),
            pointer: String::new(),
            line: error.location().map(|at| at.line()),
        },
        message: strip_location(&error.to_string()),
    }
}

fn yaml_scalar(value: &serde_yaml::Value) -> String {
    if let serde_yaml::Value::String(text) = value {
        return text.clone();
    }
    serde_yaml::to_string(value).map(|text| text.trim().to_owned()).unwrap_or_else(|_| "?".into())
}

/// serde_yaml appends " at line L column C" to its messages; the location is reported apart.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// serde_path_to_error writes `paths./x.post`; a JSON pointer is `/paths/~1x/post`.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = crate::error::Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.join(index),
            Segment::Map { key } => pointer.join(key),
            Segment::Enum { variant } => pointer.join(variant),
            Segment::Unknown => pointer.join("?"),
        };
    }
    pointer.as_str().to_owned()
}
