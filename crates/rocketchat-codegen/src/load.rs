//! Stage 1: YAML text to `openapiv3::OpenAPI`, with located errors.

use crate::error::{Error, Location};
use openapiv3::OpenAPI;

pub fn load(text: &str, file: &str) -> Result<OpenAPI, Error> {
    let location = |pointer: &str| Location {
        file: file.to_owned(),
        pointer: pointer.to_owned(),
        line: line_of(text, pointer).and_then(|line| u32::try_from(line).ok()),
        column: None,
    };

    let mut document: serde_yaml::Value = serde_yaml::from_str(text).map_err(|error| yaml_error(&error, text, file))?;
    let nodes = node_count(&document);
    if nodes > MAX_NODES {
        return Err(Error::Schema {
            location: location(""),
            message: format!(
                "the document expands to more than {MAX_NODES} YAML nodes ({nodes}, counting what its aliases repeat); \
                 the limit keeps a spec from costing unbounded memory and time"
            ),
        });
    }
    let version = match (document.get("openapi"), document.get("swagger")) {
        (Some(serde_yaml::Value::String(version)), _) => version.clone(),
        (Some(other), _) => return Err(Error::Version { location: location("/openapi"), found: yaml_scalar(other) }),
        (None, Some(swagger)) => {
            let found = format!("swagger {}", yaml_scalar(swagger));
            return Err(Error::Version { location: location("/swagger"), found });
        }
        (None, None) => {
            return Err(Error::Schema {
                location: location(""),
                message: "the `openapi` field is missing; add `openapi: 3.0.3` at the top".into(),
            });
        }
    };
    if !is_openapi_30(&version) {
        return Err(Error::Version { location: location("/openapi"), found: version });
    }
    drop_null_components(&mut document);
    check_path_keys(&document).map_err(|(pointer, message)| Error::Schema { location: location(&pointer), message })?;
    check_response_keys(&document).map_err(|(pointer, key)| Error::Schema {
        location: location(&pointer),
        message: format!(
            "`{key}` is not a response status; use a code such as `200`, a range such as `4XX`, or `default`"
        ),
    })?;

    serde_path_to_error::deserialize(document).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        Error::Schema { location: location(&pointer), message: error.into_inner().to_string() }
    })
}

/// How many YAML nodes a spec may expand to. The largest official file has 31,000; a spec of
/// 5,000 operations about 300,000. YAML aliases can repeat one large node many times over.
pub const MAX_NODES: usize = 1_000_000;

/// The nodes of the expanded document (keys, values, items), counted without recursion.
fn node_count(document: &serde_yaml::Value) -> usize {
    let mut count = 0;
    let mut pending = vec![document];
    while let Some(node) = pending.pop() {
        count += 1;
        match node {
            serde_yaml::Value::Mapping(mapping) => {
                for (key, value) in mapping {
                    pending.push(key);
                    pending.push(value);
                }
            }
            serde_yaml::Value::Sequence(items) => pending.extend(items),
            serde_yaml::Value::Tagged(tagged) => pending.push(&tagged.value),
            _ => {}
        }
        if count > MAX_NODES {
            break;
        }
    }
    count
}

/// `components: {schemas: null}` (or an empty `schemas:`) is common in real specs and means
/// "none"; the OpenAPI model wants a map, so such entries are dropped.
fn drop_null_components(document: &mut serde_yaml::Value) {
    if let Some(serde_yaml::Value::Mapping(components)) = document.get_mut("components") {
        components.retain(|_, value| !value.is_null());
    }
}

/// The OpenAPI model drops, without a word, a path that does not start with `/` and a method
/// key it does not know (`POST:`): each would lose operations, so each is an error.
fn check_path_keys(document: &serde_yaml::Value) -> Result<(), (String, String)> {
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    const PATH_ITEM_KEYS: [&str; 5] = ["$ref", "summary", "description", "servers", "parameters"];
    let Some(serde_yaml::Value::Mapping(paths)) = document.get("paths") else { return Ok(()) };
    let pointer = crate::error::Pointer::root().join("paths");
    for (path, item) in paths {
        let Some(path) = path.as_str() else { continue };
        if path.starts_with("x-") {
            continue;
        }
        if !path.starts_with('/') {
            let message = format!("the path `{path}` does not start with `/`; write `/{path}`");
            return Err((pointer.join(path).as_str().to_owned(), message));
        }
        let serde_yaml::Value::Mapping(item) = item else { continue };
        for key in item.keys().filter_map(serde_yaml::Value::as_str) {
            if METHODS.contains(&key) || PATH_ITEM_KEYS.contains(&key) || key.starts_with("x-") {
                continue;
            }
            let lower = key.to_ascii_lowercase();
            let message = if METHODS.contains(&lower.as_str()) {
                format!("`{key}` is not a method key: OpenAPI method keys are lower case (`{lower}`)")
            } else {
                format!("`{key}` is not an HTTP method or a path item field; its operations would be lost")
            };
            return Err((pointer.join(path).join(key).as_str().to_owned(), message));
        }
    }
    Ok(())
}

/// The OpenAPI model drops response keys it cannot read as a status; a typo such as `ok:`
/// would silently lose a response, so it is an error.
fn check_response_keys(document: &serde_yaml::Value) -> Result<(), (String, String)> {
    let Some(serde_yaml::Value::Mapping(paths)) = document.get("paths") else { return Ok(()) };
    let pointer = crate::error::Pointer::root().join("paths");
    for (path, item) in paths {
        let (Some(path), serde_yaml::Value::Mapping(item)) = (path.as_str(), item) else { continue };
        for (method, operation) in item {
            let Some(method) = method.as_str() else { continue };
            let Some(serde_yaml::Value::Mapping(responses)) = operation.get("responses") else { continue };
            for key in responses.keys() {
                let key = match key {
                    serde_yaml::Value::String(key) => key.clone(),
                    serde_yaml::Value::Number(number) => number.to_string(),
                    other => yaml_scalar(other),
                };
                let is_status = key.len() == 3
                    && key.starts_with(['1', '2', '3', '4', '5'])
                    && (key[1..].bytes().all(|b| b.is_ascii_digit()) || key[1..].eq_ignore_ascii_case("XX"));
                if !is_status && key != "default" && !key.starts_with("x-") {
                    let at = pointer.join(path).join(method).join("responses").join(&key);
                    return Err((at.as_str().to_owned(), key));
                }
            }
        }
    }
    Ok(())
}

fn is_openapi_30(version: &str) -> bool {
    version == "3.0" || version.strip_prefix("3.0.").is_some_and(|patch| patch.chars().all(|c| c.is_ascii_digit()))
}

fn yaml_error(error: &serde_yaml::Error, text: &str, file: &str) -> Error {
    let mut message = strip_location(&error.to_string());
    // The scanner's words for a tab ("found character that cannot start any token") do not say
    // what to fix; the character at the error's position does.
    // (By line and column: the location's index counts characters, not bytes.)
    let at = error
        .location()
        .and_then(|at| text.lines().nth(at.line().checked_sub(1)?)?.chars().nth(at.column().checked_sub(1)?));
    if at == Some('\t') && !message.contains("tab") {
        message.push_str(" (a tab: YAML indents with spaces only)");
    }
    Error::Yaml {
        location: Location {
            file: file.to_owned(),
            pointer: String::new(),
            line: error.location().and_then(|at| u32::try_from(at.line()).ok()),
            column: error.location().and_then(|at| u32::try_from(at.column()).ok()),
        },
        message,
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

/// The 1-based line of the node at `pointer` in block-style YAML, or of the deepest enclosing
/// node found, for errors found after parsing (which keeps no positions). Best effort: flow
/// style (`{a: 1}`) ends the search at the line that holds it.
pub fn line_of(text: &str, pointer: &str) -> Option<usize> {
    LineIndex::new(text).line_of(pointer)
}

/// The lines of a spec, split and measured once, to locate any number of pointers (splitting
/// a large spec again for each warning cost more than the warnings).
pub struct LineIndex<'a> {
    lines: Vec<Option<Line<'a>>>,
}

struct Line<'a> {
    /// Where the marker `- ` is, for sequence items.
    item_indent: Option<usize>,
    /// Where the content starts (after any `- `).
    indent: usize,
    content: &'a str,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let lines = text
            .lines()
            .map(|raw| {
                let trimmed = raw.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    return None;
                }
                let indent = raw.len() - trimmed.len();
                Some(match trimmed.strip_prefix("- ").or_else(|| (trimmed == "-").then_some("")) {
                    Some(rest) => {
                        let rest_trimmed = rest.trim_start();
                        Line {
                            item_indent: Some(indent),
                            indent: indent + 2 + rest.len() - rest_trimmed.len(),
                            content: rest_trimmed,
                        }
                    }
                    None => Line { item_indent: None, indent, content: trimmed },
                })
            })
            .collect();
        Self { lines }
    }

    /// See [`line_of`].
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let lines = &self.lines;
        // `key:`, `'key':` or `"key":`, followed by a space or the end of the line.
        let key_matches = |content: &str, key: &str| {
            let quoted = |quote: char| content.strip_prefix(quote)?.strip_prefix(key)?.strip_prefix(quote);
            let rest = content.strip_prefix(key).or_else(|| quoted('\'')).or_else(|| quoted('"'));
            let value = rest.and_then(|rest| rest.strip_prefix(':'));
            value.is_some_and(|value| value.chars().next().is_none_or(char::is_whitespace))
        };
        let mut found = None;
        let mut start = 0;
        let mut parent_indent: Option<usize> = None;
        for segment in pointer.split('/').skip(1) {
            let segment = segment.replace("~1", "/").replace("~0", "~");
            let inside = |indent: usize| parent_indent.is_none_or(|parent| indent > parent);
            // A mapping key (`'200':` is a key too), else the n-th item of a sequence.
            let mut hit = None;
            let mut level = None;
            for (number, line) in lines.iter().enumerate().skip(start) {
                let Some(line) = line else { continue };
                if !inside(line.indent) {
                    if number > start {
                        break;
                    }
                    continue;
                }
                if *level.get_or_insert(line.indent) != line.indent {
                    continue;
                }
                if key_matches(line.content, &segment) {
                    hit = Some((number, line.indent, number + 1));
                    break;
                }
            }
            if hit.is_none() {
                if let Ok(wanted) = segment.parse::<usize>() {
                    let mut seen = 0;
                    let mut level = None;
                    for (number, line) in lines.iter().enumerate().skip(start) {
                        let Some(line) = line else { continue };
                        if !inside(line.item_indent.unwrap_or(line.indent)) && number > start {
                            break;
                        }
                        let Some(item) = line.item_indent else { continue };
                        if *level.get_or_insert(item) != item {
                            continue;
                        }
                        if seen == wanted {
                            // The item's first key shares its line: search from that line.
                            hit = Some((number, item, number));
                            break;
                        }
                        seen += 1;
                    }
                }
            }
            let Some((number, indent, next_start)) = hit else { return found };
            found = Some(number + 1);
            start = next_start;
            parent_indent = Some(indent);
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::line_of;

    const SPEC: &str = "openapi: 3.0.3\npaths:\n  /a:\n    post:\n      parameters:\n        - name: x\n          in: query\n        - name: y\n          schema:\n            $ref: '#/nope'\n  '/b/{id}':\n    get: {}\n";

    #[test]
    fn pointers_map_to_lines() {
        assert_eq!(line_of(SPEC, "/paths"), Some(2));
        assert_eq!(line_of(SPEC, "/paths/~1a/post"), Some(4));
        assert_eq!(line_of(SPEC, "/paths/~1a/post/parameters/1"), Some(8));
        assert_eq!(line_of(SPEC, "/paths/~1a/post/parameters/1/schema"), Some(9));
        assert_eq!(line_of(SPEC, "/paths/~1b~1{id}/get"), Some(12));
        // Not found: the deepest enclosing node.
        assert_eq!(line_of(SPEC, "/paths/~1a/put"), Some(3));
    }
}
