//! Stage 1: YAML text to `openapiv3::OpenAPI`, with located errors.

use crate::error::{Error, Location, Pointer};
use openapiv3::OpenAPI;

pub fn load(text: &str, file: &str) -> Result<OpenAPI, Error> {
    // Most specs load: read them straight from the text. Anything the direct reading is not
    // sure of (every error, and the rare input it does not mirror) goes the checked way below,
    // which decides exactly as it always has, with its messages and pointers.
    if let Some(spec) = direct::load(text) {
        return Ok(spec);
    }
    load_checked(text, file)
}

/// The reference reading: YAML to a `Value`, the checks on it, then the `Value` to `OpenAPI`.
/// Slower (the document is built twice), but it is the one that words every error.
fn load_checked(text: &str, file: &str) -> Result<OpenAPI, Error> {
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
    // openapiv3 reads a number through a JSON value, where `.nan` and `.inf` become null, and
    // then panics (it finds the value readable the second time after failing the first).
    let is_non_finite = |node: &serde_yaml::Value| node.as_f64().is_some_and(|number| !number.is_finite());
    if let [(pointer, number)] = nodes_where(&document, &[], is_non_finite, 1).as_slice() {
        let number = yaml_scalar(number);
        let message =
            format!("`{number}` is not a finite number, and JSON (so a schema) has no such value; write a number");
        return Err(Error::Schema { location: location(pointer), message });
    }
    drop_null_components(&mut document);
    check_path_keys(&document).map_err(|(pointer, message)| Error::Schema { location: location(&pointer), message })?;
    check_response_keys(&document).map_err(|(pointer, key)| Error::Schema {
        location: location(&pointer),
        message: format!(
            "`{key}` is not a response status; use a code such as `200`, a range such as `4XX`, or `default`"
        ),
    })?;

    serde_path_to_error::deserialize(&document).map_err(|error| {
        let pointer = path_to_pointer(error.path());
        let message = error.into_inner().to_string();
        // The path stops where openapiv3 flattens or buffers (paths, responses, `$ref`s). Below
        // `paths`, the part that fails on its own is the place; elsewhere, the value the message
        // quotes, if it is the only one of its kind below.
        let (pointer, message) = match (pointer == "/paths").then(|| failing_part_of_paths(&document)).flatten() {
            Some(failure) => failure,
            None => {
                let quoted = quoted_value(&message).and_then(|quoted| the_only(&document, &pointer, &quoted));
                (quoted.unwrap_or(pointer), message)
            }
        };
        Error::Schema { location: location(&pointer), message: reworded(message) }
    })
}

/// Where under `paths` reading fails, and why. openapiv3 reads `paths` through a buffer (a
/// path item may be a `$ref`), so serde's path ends at `/paths` whatever went wrong below, and
/// its message may be the buffer's (`did not match any variant`): each part is read again here
/// on its own, in the document's order, the parts a mapping holds before the mapping itself (a
/// field is missing only once its whole mapping is read). The first to fail is where reading
/// stopped.
fn failing_part_of_paths(document: &serde_yaml::Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, RequestBody, Response};
    use serde_yaml::Value;
    type Failure = Option<(String, String)>;
    /// A string `$ref` makes a node a reference, whatever else it holds: nothing more is read.
    fn is_reference(node: &Value) -> bool {
        node.get("$ref").is_some_and(Value::is_string)
    }
    /// A null part is an absent one (`get: ~`).
    fn fails_as<T: serde::de::DeserializeOwned>(node: &Value, pointer: &Pointer) -> Failure {
        if is_reference(node) || node.is_null() {
            return None;
        }
        let error = serde_path_to_error::deserialize::<_, T>(node).err()?;
        Some((path_to_pointer_from(pointer.clone(), error.path()), error.into_inner().to_string()))
    }
    fn parameters(list: &Value, pointer: &Pointer) -> Failure {
        let items = list.as_sequence()?;
        items.iter().enumerate().find_map(|(index, item)| fails_as::<Parameter>(item, &pointer.join(index)))
    }
    fn operation(node: &Value, pointer: &Pointer) -> Failure {
        let parts = node.as_mapping().into_iter().flatten().find_map(|(key, value)| match key.as_str()? {
            "parameters" => parameters(value, &pointer.join("parameters")),
            "requestBody" => fails_as::<RequestBody>(value, &pointer.join("requestBody")),
            "responses" => value.as_mapping()?.iter().find_map(|(status, response)| {
                let status = status.as_str().map_or_else(|| yaml_scalar(status), str::to_owned);
                fails_as::<Response>(response, &pointer.join("responses").join(status))
            }),
            _ => None,
        });
        parts.or_else(|| fails_as::<Operation>(node, pointer))
    }
    let paths = Pointer::root().join("paths");
    document.get("paths")?.as_mapping()?.iter().find_map(|(path, item)| {
        let path = path.as_str().filter(|path| path.starts_with('/'))?;
        if is_reference(item) {
            return None;
        }
        let pointer = paths.join(path);
        let parts = item.as_mapping().into_iter().flatten().find_map(|(key, value)| match key.as_str()? {
            "parameters" => parameters(value, &pointer.join("parameters")),
            method if METHODS.contains(&method) => operation(value, &pointer.join(method)),
            _ => None,
        });
        parts.or_else(|| fails_as::<PathItem>(item, &pointer))
    })
}

/// The scalar a serde message quotes: `invalid type: string "maybe", expected a boolean`,
/// ``invalid value: integer `-1`, expected usize``, ``unknown variant `x`, expected ...``.
fn quoted_value(message: &str) -> Option<serde_yaml::Value> {
    let between = |text: &str, quote: char| Some(text.strip_prefix(quote)?.split_once(quote)?.0.to_owned());
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        return between(rest, '`').map(serde_yaml::Value::String);
    }
    let (_, rest) = message.split_once(": ").filter(|(kind, _)| kind.starts_with("invalid"))?;
    if let Some(rest) = rest.strip_prefix("string ") {
        return between(rest, '"').map(serde_yaml::Value::String);
    }
    let rest = ["integer ", "floating point ", "boolean "].iter().find_map(|kind| rest.strip_prefix(kind))?;
    serde_yaml::from_str(&between(rest, '`')?).ok()
}

/// The pointer of the one node at or below `pointer` that equals `value` (a key counts as
/// its entry), if there is exactly one.
fn the_only(document: &serde_yaml::Value, pointer: &str, value: &serde_yaml::Value) -> Option<String> {
    let segments: Vec<String> = Pointer::segments(pointer).collect();
    let mut node = document;
    for segment in &segments {
        node = match node {
            serde_yaml::Value::Sequence(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => node.get(segment.as_str())?,
        };
    }
    match nodes_where(node, &segments, |node| node == value, 2).as_slice() {
        [(only, _)] => Some(only.clone()),
        _ => None,
    }
}

/// The first `limit` nodes at or below `node` (found at the path `segments`) that `wanted`
/// picks, in document order, each with its pointer; a key is found at its entry's pointer.
fn nodes_where<'v>(
    node: &'v serde_yaml::Value,
    segments: &[String],
    wanted: impl Fn(&serde_yaml::Value) -> bool,
    limit: usize,
) -> Vec<(String, &'v serde_yaml::Value)> {
    use std::borrow::Cow;
    use std::ops::ControlFlow;
    type Path<'v> = Vec<Cow<'v, str>>;
    fn walk<'v>(
        node: &'v serde_yaml::Value,
        path: &mut Path<'v>,
        wanted: &dyn Fn(&serde_yaml::Value) -> bool,
        found: &mut dyn FnMut(&Path<'v>, &'v serde_yaml::Value) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if wanted(node) {
            found(path, node)?;
        }
        match node {
            serde_yaml::Value::Mapping(mapping) => {
                for (key, value) in mapping {
                    path.push(key.as_str().map_or_else(|| Cow::Owned(yaml_scalar(key)), Cow::Borrowed));
                    if wanted(key) {
                        found(path, key)?;
                    }
                    walk(value, path, wanted, found)?;
                    path.pop();
                }
            }
            serde_yaml::Value::Sequence(items) => {
                for (index, item) in items.iter().enumerate() {
                    path.push(Cow::Owned(index.to_string()));
                    walk(item, path, wanted, found)?;
                    path.pop();
                }
            }
            serde_yaml::Value::Tagged(tagged) => walk(&tagged.value, path, wanted, found)?,
            _ => {}
        }
        ControlFlow::Continue(())
    }
    let mut nodes = Vec::new();
    let mut path: Path<'v> = segments.iter().map(|segment| Cow::Owned(segment.clone())).collect();
    let _ = walk(node, &mut path, &wanted, &mut |path, node| {
        let pointer = path.iter().fold(Pointer::root(), |pointer, segment| pointer.join(segment));
        nodes.push((pointer.as_str().to_owned(), node));
        if nodes.len() < limit { ControlFlow::Continue(()) } else { ControlFlow::Break(()) }
    });
    nodes
}

/// serde's words for openapiv3's types, in the spec's terms, with what to do where it is clear.
fn reworded(message: String) -> String {
    if let Some((before, object)) = message.split_once("expected struct ") {
        return format!("{before}expected a mapping (an OpenAPI {object} object)");
    }
    if message.starts_with("missing field ") {
        return format!("{message}; add it");
    }
    message
}

/// How many YAML nodes a spec may expand to. The largest official file has 31,000; a spec of
/// 5,000 operations about 300,000. YAML aliases can repeat one large node many times over.
/// (serde_yaml's own limit counts alias uses, not what they repeat: 500 uses of a node of
/// 2,400 pass it.) The direct reading counts as it reads and stops at the limit, so it never
/// builds more; a spec past it is then refused by the checked reading, as before.
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

/// The keys of a path item's operations, in `openapiv3::PathItem`'s order.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The OpenAPI model drops, without a word, a path that does not start with `/` and a method
/// key it does not know (`POST:`): each would lose operations, so each is an error.
fn check_path_keys(document: &serde_yaml::Value) -> Result<(), (String, String)> {
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
                if !is_response_key(&key) {
                    let at = pointer.join(path).join(method).join("responses").join(&key);
                    return Err((at.as_str().to_owned(), key));
                }
            }
        }
    }
    Ok(())
}

/// A status (`200`), a range (`4XX`), `default` or an extension: what a `responses` key may be.
fn is_response_key(key: &str) -> bool {
    let is_status = key.len() == 3
        && key.starts_with(['1', '2', '3', '4', '5'])
        && (key[1..].bytes().all(|b| b.is_ascii_digit()) || key[1..].eq_ignore_ascii_case("XX"));
    is_status || key == "default" || key.starts_with("x-")
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
    let mut place = error.location().map(|at| (at.line(), at.column()));
    // serde_yaml places a duplicate key at the start of its mapping; the duplicate is the place.
    if let Some((line, column)) = place
        && let Some((_, key)) = message.split_once("duplicate entry with key \"")
        && let Some(key) = key.strip_suffix('"')
    {
        place = Some(second_key_line(text, key, line, column).map_or((line, column), |line| (line, column)));
    }
    Error::Yaml {
        location: Location {
            file: file.to_owned(),
            pointer: String::new(),
            line: place.and_then(|(line, _)| u32::try_from(line).ok()),
            column: place.and_then(|(_, column)| u32::try_from(column).ok()),
        },
        message,
    }
}

/// Whether a line's content starts the entry `key`: `key:`, `'key':` or `"key":`, followed
/// by a space or the end of the line.
fn is_key_of(content: &str, key: &str) -> bool {
    let quoted = |quote: char| content.strip_prefix(quote)?.strip_prefix(key)?.strip_prefix(quote);
    let rest = content.strip_prefix(key).or_else(|| quoted('\'')).or_else(|| quoted('"'));
    let value = rest.and_then(|rest| rest.strip_prefix(':'));
    value.is_some_and(|value| value.chars().next().is_none_or(char::is_whitespace))
}

/// The 1-based line of the second `key:` of the block mapping whose first key is at `line`,
/// `column`: the keys of that mapping start at that column, and it ends at a line indented
/// less. `None` for a flow mapping (`{a: 1, a: 2}`), left at the mapping's start.
fn second_key_line(text: &str, key: &str, line: usize, column: usize) -> Option<usize> {
    let indent = column.checked_sub(1)?;
    let mut seen = 0;
    for (index, raw) in text.lines().enumerate().skip(line.checked_sub(1)?) {
        let first = index + 1 == line;
        // The first line may open with `- ` before the mapping's first key.
        let content = if first { raw.get(indent..)? } else { raw };
        let trimmed = content.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let own_indent = if first { indent } else { raw.len() - trimmed.len() };
        if own_indent < indent {
            return None;
        }
        if own_indent == indent && is_key_of(trimmed, key) {
            seen += 1;
            if seen == 2 {
                return Some(index + 1);
            }
        }
    }
    None
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
    path_to_pointer_from(Pointer::root(), path)
}

/// The same, for a path read from the node at `pointer`.
fn path_to_pointer_from(mut pointer: Pointer, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
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

/// The direct reading: from the text into `OpenAPI` in one pass, without the `Value` between.
///
/// It answers `Some` only when the checked reading ([`load_checked`]) would load the same
/// `OpenAPI`; on anything else (an error of any kind, or input it does not mirror, such as YAML
/// tags or keys that are not strings) it answers `None` and the checked reading decides, so
/// every error keeps its exact words and pointer. Two things make that hold:
/// - `Strict` wraps the YAML deserializer so that the text reads as the `Value` would: each
///   scalar is resolved as the `Value` resolves it and handed on through the `Value`'s own
///   deserializer (`description: 123` is a number, not the string "123"); a duplicate key is
///   refused (the `Value` refuses it); and the nodes are counted against [`MAX_NODES`].
/// - Its mirrors (document, components, paths, path item, operation, responses) read the
///   objects whose checks `load_checked` makes, and build the `openapiv3` values as its derived
///   deserializers do (same fields, defaults, `x-` filtering). Responses, request bodies, media
///   types, examples and schemas are mirrored too (`direct/objects.rs`): openapiv3 reads each
///   through an untagged `ReferenceOr` and flattened fields, which buffer every entry, at every
///   level of nesting; the buffering was most of the old cost. The rest (parameters, headers,
///   links, security, ...) is read through `openapiv3`'s own types.
mod direct;

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
        let mut found = None;
        let mut start = 0;
        let mut parent_indent: Option<usize> = None;
        for segment in Pointer::segments(pointer) {
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
                if is_key_of(line.content, &segment) {
                    hit = Some((number, line.indent, number + 1));
                    break;
                }
            }
            if hit.is_none()
                && let Ok(wanted) = segment.parse::<usize>()
            {
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
    use super::{Error, direct, line_of, load, load_checked, quoted_value, reworded};
    use openapiv3::OpenAPI;

    /// The direct reading loads what the checked reading loads, the same value, or leaves the
    /// spec to it; it loads every well-formed spec (else it would only cost time).
    fn same_as_checked(text: &str) -> Option<OpenAPI> {
        let checked = load_checked(text, "t.yaml");
        let direct = direct::load(text);
        if let Some(direct) = &direct {
            let checked = checked.as_ref().unwrap_or_else(|error| panic!("loaded directly, refused: {error}\n{text}"));
            assert_eq!(direct, checked, "{text}");
        }
        direct
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    fn spec(rest: &str) -> String {
        format!("{HEAD}{rest}")
    }

    #[test]
    fn the_direct_reading_loads_every_fixture_as_the_checked_reading_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = vec![root.join("specs/rocketchat.yaml")];
        // Rocket.Chat's published files too, where the checkout has them beside it.
        for dir in ["tests/fixtures/valid", "tests/fixtures/invalid", "../shared/rocketchat-openapi"] {
            let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
            files.extend(entries.map(|entry| entry.unwrap().path()));
        }
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            let direct = same_as_checked(&text);
            let valid = !file.to_string_lossy().contains("invalid");
            // An invalid fixture may load here: it fails in the model, after loading.
            assert!(!valid || direct.is_some(), "{} is left to the checked reading", file.display());
        }
    }

    /// Small corruptions of the valid fixtures (lines doubled, which makes duplicate keys, cut
    /// or dropped; values made null, numbers or flow maps): whatever the direct reading loads,
    /// the checked reading loads the same. A fixed-seed generator keeps every run the same.
    #[test]
    fn the_direct_reading_never_loads_more_or_other_than_the_checked_reading() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/valid");
        let specs: Vec<String> = std::fs::read_dir(root)
            .unwrap()
            .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
            .collect();
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |bound: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % bound.max(1)
        };
        let mut loaded = 0;
        for _ in 0..1500 {
            let mut lines: Vec<String> = specs[next(specs.len())].lines().map(str::to_owned).collect();
            let at = next(lines.len());
            match next(4) {
                0 => lines.insert(at, lines[at].clone()),
                1 => {
                    lines.remove(at);
                }
                2 => {
                    let cut = next(lines[at].len() + 1);
                    lines[at] = lines[at].chars().take(cut).collect();
                }
                _ => {
                    if let Some(colon) = lines[at].find(": ") {
                        const VALUES: [&str; 6] = ["null", "", "12", "true", "{}", "[]"];
                        lines[at] = format!("{}: {}", &lines[at][..colon], VALUES[next(VALUES.len())]);
                    }
                }
            }
            loaded += usize::from(same_as_checked(&lines.join("\n")).is_some());
        }
        // Some corruptions still load directly, so the comparison is made.
        assert!(loaded > 100, "{loaded}");
    }

    #[test]
    fn statuses_as_numbers_ranges_and_default_load() {
        let text = spec(
            "paths:\n  /a:\n    get:\n      responses:\n        200: {description: a}\n        '201': {description: b}\n        4xx: {description: c}\n        default: {description: d}\n",
        );
        let spec = same_as_checked(&text).expect("loads directly");
        let responses = &spec.paths.paths["/a"].as_item().unwrap().get.as_ref().unwrap().responses;
        assert_eq!(responses.responses.len(), 3);
        assert!(responses.default.is_some());
    }

    #[test]
    fn extensions_are_kept_at_every_level() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1', x-i: 1}\nx-top: [1, {a: b}]\npaths:\n  x-paths: {get: {responses: {'200': 1}}}\n  /a:\n    x-item: true\n    get:\n      x-op: 2\n      responses:\n        x-responses: 3\n        '200': {description: a, x-response: 4}\ncomponents:\n  x-components: 5\n  x-dropped: null\n  schemas: null\n  responses:\n    R: {description: r}\n";
        let spec = same_as_checked(text).expect("loads directly");
        assert!(spec.extensions.contains_key("x-top") && spec.info.extensions.contains_key("x-i"));
        assert!(spec.paths.extensions.contains_key("x-paths"));
        let item = spec.paths.paths["/a"].as_item().unwrap();
        assert!(item.extensions.contains_key("x-item"));
        let operation = item.get.as_ref().unwrap();
        assert!(
            operation.extensions.contains_key("x-op") && operation.responses.extensions.contains_key("x-responses")
        );
        let components = spec.components.unwrap();
        assert_eq!(components.extensions.keys().collect::<Vec<_>>(), ["x-components"]);
        assert_eq!(components.responses.len(), 1);
    }

    #[test]
    fn what_the_value_refuses_is_left_to_the_checked_reading() {
        let cases = [
            // A duplicate key deep down; a `Value` refuses it, an `IndexMap` would keep the last.
            "paths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        a: {type: string}\n        a: {type: integer}\n",
            // A number where a string is read.
            "paths:\n  /a:\n    get:\n      summary: 12\n      responses: {'200': {description: a}}\n",
            // A null list inside a path item (openapiv3 reads it from a buffer).
            "paths:\n  /a:\n    parameters:\n    get:\n      responses: {'200': {description: a}}\n",
            // Response keys `check_response_keys` reads inside extensions.
            "paths:\n  /a:\n    x-draft:\n      responses: {ok: 1}\n",
            "paths:\n  x-drafts:\n    get:\n      responses: {ok: 1}\n",
            "paths:\n  /a:\n    get:\n      responses: {ok: {description: a}}\n",
            "paths:\n  /a:\n    GET:\n      responses: {'200': {description: a}}\n",
            "paths:\n  a:\n    get:\n      responses: {'200': {description: a}}\n",
        ];
        for rest in cases {
            let text = spec(rest);
            assert!(load_checked(&text, "t.yaml").is_err(), "{text}");
            assert!(direct::load(&text).is_none(), "{text}");
        }
        // A tag, which the `Value` keeps and its deserializer looks through: it loads, the
        // checked way.
        let tagged = spec("paths: !custom {}\n");
        assert!(load_checked(&tagged, "t.yaml").is_ok() && direct::load(&tagged).is_none());
        assert!(direct::load("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n").is_none());
    }

    #[test]
    fn nulls_aliases_and_path_item_references_load_as_before() {
        let cases = [
            "servers:\ntags:\nsecurity:\npaths:\n",
            "paths:\n  /a:\n    get:\n    put:\n      tags: [a]\n      parameters: &p [{name: q, in: query, schema: {type: string}}]\n      responses: {'200': {description: a}}\n  /b:\n    post:\n      parameters: *p\n      responses: {'200': {description: a}, 200: {description: b}}\n",
            "paths:\n  /a: {summary: s, $ref: '#/x', get: {responses: {}}}\n  /b: {}\n",
            // Every method, out of `PathItem`'s order: each lands in its own slot.
            "paths:\n  /a:\n    trace: {operationId: t, responses: {}}\n    patch: {operationId: pa, responses: {}}\n    head: {operationId: h, responses: {}}\n    options: {operationId: o, responses: {}}\n    delete: {operationId: d, responses: {}}\n    post: {operationId: po, responses: {}}\n    put: {operationId: pu, responses: {}}\n    get: {operationId: g, responses: {}}\n    x-after: 1\n",
        ];
        for rest in cases {
            assert!(same_as_checked(&spec(rest)).is_some(), "{rest}");
        }
    }

    /// A schema (in flow style) where schemas are read: in `components`, in a response, in
    /// a request body, and nested in an object's property and an array's items.
    fn schema_in_every_place(schema: &str) -> Vec<String> {
        let operation = format!(
            "paths:\n  /a:\n    post:\n      requestBody: {{content: {{application/json: {{schema: {schema}}}}}}}\n      responses:\n        '200': {{description: a, content: {{application/json: {{schema: {schema}}}}}}}\n"
        );
        vec![
            spec(&format!("paths: {{}}\ncomponents:\n  schemas:\n    A: {schema}\n")),
            spec(&operation),
            spec(&format!(
                "paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{a: {schema}}}}}\n"
            )),
            spec(&format!("paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: array, items: {schema}}}\n")),
        ]
    }

    /// openapiv3 sorts a schema's keywords into a kind (a typed kind only when `type` names it
    /// and no other kind's keywords are there, else any); the direct reading sorts them alike.
    #[test]
    fn schemas_load_directly_as_the_checked_reading_loads_them() {
        let cases = [
            "{type: string, format: date-time, pattern: '^a', minLength: 1, maxLength: 9, enum: [a, null]}",
            "{type: string, format: uuid}",
            "{type: string, minimum: 1}",
            "{type: string, enum: [a, 1]}",
            "{type: integer, format: int64, minimum: 0, maximum: 10, multipleOf: 2, exclusiveMinimum: true, enum: [1, 2]}",
            "{type: integer, minimum: 1.5}",
            "{type: integer, enum: [1, 2.5]}",
            "{type: integer, maximum: 18446744073709551615}",
            "{type: number, format: float, minimum: -1, maximum: 2.5, multipleOf: 0.5, enum: [1, 2.5, null]}",
            "{type: boolean, enum: [true, null], default: false}",
            "{type: boolean, format: x}",
            "{type: object, properties: {a: {type: string}, b: {$ref: '#/components/schemas/B'}}, required: [a], additionalProperties: false, minProperties: 1, maxProperties: 3}",
            "{type: object, additionalProperties: true}",
            "{type: object, additionalProperties: {type: integer}}",
            "{type: object, additionalProperties: {$ref: '#/components/schemas/B'}}",
            "{type: object, additionalProperties: null, properties: null, required: null}",
            "{type: object, properties: {}, items: {type: string}}",
            "{type: array, items: {type: array, items: {type: string}}, minItems: 1, maxItems: 2, uniqueItems: true}",
            "{type: array, items: null}",
            "{type: array}",
            "{oneOf: [{type: string}, {$ref: '#/components/schemas/B'}], discriminator: {propertyName: kind, mapping: {a: '#/b'}}}",
            "{allOf: [{type: object}, {properties: {a: {}}}]}",
            "{anyOf: [{type: string}, {type: integer}], nullable: true}",
            "{not: {type: string}}",
            "{type: object, oneOf: [{required: [a]}], properties: {a: {}}}",
            "{type: string, oneOf: [{enum: [a]}]}",
            "{allOf: [], oneOf: []}",
            "{type: thing, minimum: 1, maxLength: 2}",
            "{type: null, oneOf: [{}]}",
            "{enum: [null, 1, a, {b: c}]}",
            "{}",
            "{nullable: true, readOnly: true, writeOnly: false, deprecated: true, title: t, description: d, example: {a: [1, null]}, default: [1], externalDocs: {url: 'https://x', x-e: 1}, x-s: {a: b}, unknown: 1}",
            // A reference: a string `$ref` wins over any other key, before or after it.
            "{$ref: '#/components/schemas/B'}",
            "{description: d, $ref: '#/components/schemas/B', type: object}",
            "{type: object, properties: {a: {}}, $ref: '#/components/schemas/B'}",
        ];
        for schema in cases {
            for text in schema_in_every_place(schema) {
                assert!(same_as_checked(&text).is_some(), "{text}");
            }
        }
    }

    #[test]
    fn schemas_the_direct_reading_is_unsure_of_are_left_to_the_checked_reading() {
        let cases = [
            // The derive reads the item when `$ref` is not a string.
            "{$ref: 12, type: string}",
            // Nulls and wrong scalars where openapiv3 wants a value of a kind.
            "{type: object, nullable: null}",
            "{type: string, title: 12}",
            "{type: string, minLength: -1}",
            "{type: string, minLength: 1.5}",
            "{type: 12}",
            "{type: object, properties: {a: null}}",
            "{type: object, properties: [a]}",
            "{type: array, items: [{type: string}]}",
            "{type: object, additionalProperties: 1}",
            "{oneOf: {type: string}}",
            "{oneOf: [null]}",
            "{enum: a}",
            "{required: [a, 1]}",
            "[{type: string}]",
            "12",
            "{$ref: '#/components/schemas/B', type: 12}",
            "{1: a}",
        ];
        for schema in cases {
            for text in schema_in_every_place(schema) {
                assert!(same_as_checked(&text).is_none(), "{text}");
            }
        }
    }

    #[test]
    fn responses_media_types_request_bodies_and_examples_load_directly() {
        let cases = [
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: a\n          headers: {X-A: {schema: {type: string}}}\n          links: {l: {operationId: x}}\n          x-r: 1\n          other: 2\n          content:\n            application/json:\n              schema: null\n              example: {a: 1}\n              examples: {e: {summary: s, description: d, value: [1, {a: null}], x-e: 1}, f: {$ref: '#/components/examples/E'}, g: {externalValue: 'https://x'}}\n              encoding: {a: {contentType: text/plain}}\n              x-m: 2\n            text/plain: {}\n        default: {$ref: '#/components/responses/R'}\n        '404': {$ref: '#/components/responses/R', description: ignored}\n",
            "paths:\n  /a:\n    post:\n      requestBody: {required: true, description: d, x-b: 1, content: {text/plain: {schema: {type: string}}}}\n      responses: {default: null}\n    put:\n      requestBody: {$ref: '#/components/requestBodies/B'}\n      responses: {}\n    patch:\n      requestBody: null\n      responses: {}\n",
            "paths: {}\ncomponents:\n  responses:\n    R: {description: r, content: {application/json: {schema: {type: object}}}}\n    S: {$ref: '#/components/responses/R'}\n  requestBodies:\n    B: {content: {}}\n  examples:\n    E: {value: 1}\n    F: {$ref: '#/components/examples/E'}\n  schemas:\n",
        ];
        for rest in cases {
            assert!(same_as_checked(&spec(rest)).is_some(), "{rest}");
        }
        let left = [
            // A response with no description (and no `$ref`) is none.
            "paths:\n  /a:\n    get:\n      responses: {'200': {content: {}}}\n",
            "paths:\n  /a:\n    get:\n      responses: {'200': null}\n",
            "paths:\n  /a:\n    get:\n      responses: {'200': {description: a, content: null}}\n",
            "paths:\n  /a:\n    get:\n      responses: {'200': {description: a, content: {a/b: null}}}\n",
            "paths:\n  /a:\n    get:\n      responses: {'200': {description: a, headers: null}}\n",
            "paths:\n  /a:\n    get:\n      responses: {'200': {description: a, content: {a/b: {examples: {e: null}}}}}\n",
            "paths:\n  /a:\n    post:\n      requestBody: {required: null}\n      responses: {}\n",
            "paths: {}\ncomponents:\n  responses:\n    R: {$ref: 1, description: r}\n",
        ];
        for rest in left {
            assert!(same_as_checked(&spec(rest)).is_none(), "{rest}");
        }
    }

    /// Each level of objects costs the direct reading stack: deep nesting is left to the
    /// checked reading (which refuses more than serde_yaml's 128 levels anyway).
    #[test]
    fn deeply_nested_schemas_are_left_to_the_checked_reading() {
        let nested = |depth: usize| {
            let schema = "{type: array, items: ".repeat(depth) + "{type: string}" + &"}".repeat(depth);
            spec(&format!("paths: {{}}\ncomponents:\n  schemas:\n    A: {schema}\n"))
        };
        assert!(same_as_checked(&nested(super::direct::MAX_DEPTH - 2)).is_some());
        let deep = nested(super::direct::MAX_DEPTH + 1);
        assert!(load_checked(&deep, "t.yaml").is_ok() && direct::load(&deep).is_none());
    }

    /// The pointer, line and message of the schema error a spec (after `HEAD`) is refused with.
    fn pointer_of(rest: &str) -> (String, Option<u32>, String) {
        match load(&spec(rest), "t.yaml") {
            Err(Error::Schema { location, message }) => (location.pointer, location.line, message),
            other => panic!("{other:?}"),
        }
    }

    /// A value of the wrong type is located at the value, even where openapiv3's flattened and
    /// buffered parts hide the path from serde (in `paths`, under a `$ref`able response).
    #[test]
    fn a_value_of_the_wrong_type_is_located_at_the_value() {
        let (pointer, line, message) =
            pointer_of("paths:\n  /a:\n    get:\n      deprecated: maybe\n      responses: {}\n");
        assert_eq!((pointer.as_str(), line), ("/paths/~1a/get/deprecated", Some(6)), "{message}");
        let (pointer, _, _) =
            pointer_of("paths:\n  /a:\n    get:\n      responses:\n        '200': {description: 7}\n");
        assert_eq!(pointer, "/paths/~1a/get/responses/200/description");
        let (pointer, _, message) =
            pointer_of("paths:\n  /a:\n    get:\n      parameters: [{name: a, in: nowhere}]\n      responses: {}\n");
        assert_eq!(pointer, "/paths/~1a/get/parameters/0/in", "{message}");
        // Two values alike below the path: the first, where reading stopped.
        let (pointer, _, _) = pointer_of(
            "paths:\n  /a:\n    get:\n      deprecated: maybe\n      responses: {}\n    put:\n      deprecated: maybe\n      responses: {}\n",
        );
        assert_eq!(pointer, "/paths/~1a/get/deprecated");
    }

    /// A required field missing below `paths` (whose path serde loses) is located at the
    /// mapping that lacks it, in whichever path it is.
    #[test]
    fn a_missing_field_is_located_at_the_mapping_that_lacks_it() {
        let first = "paths:\n  /first:\n    get:\n      responses: {'200': {description: ok}}\n";
        let cases = [
            ("  /a:\n    get:\n      summary: s\n", "/paths/~1a/get", "missing field `responses`"),
            ("  /a:\n    get:\n      responses: {'200': {}}\n", "/paths/~1a/get/responses/200", "`description`"),
            (
                "  /a:\n    get:\n      parameters: [{in: query}]\n      responses: {}\n",
                "/paths/~1a/get/parameters/0",
                "`name`",
            ),
            ("  /a:\n    parameters: [{in: query}]\n    get: {responses: {}}\n", "/paths/~1a/parameters/0", "`name`"),
            // In the document's order: the path's parameters come before its operation's.
            (
                "  /a:\n    parameters: [{in: query}]\n    get: {parameters: [{in: query}], responses: {}}\n",
                "/paths/~1a/parameters/0",
                "`name`",
            ),
            // A path item with a string `$ref` is a reference: nothing else in it is read.
            ("  /a: {$ref: '#/x', get: {summary: s}}\n  /b:\n    get: {summary: s}\n", "/paths/~1b/get", "`responses`"),
            // Not a string: not a reference, so the response is read and fails.
            ("  /a:\n    get:\n      responses: {'200': {$ref: 1}}\n", "/paths/~1a/get/responses/200", "`description`"),
            // A status written as a number, and a message that was the buffer's before.
            (
                "  /a:\n    get:\n      responses:\n        200: {description: a, headers: {X: {required: maybe}}}\n",
                "/paths/~1a/get/responses/200/headers/X",
                "",
            ),
        ];
        for (rest, expected, missing) in cases {
            let (pointer, line, message) = pointer_of(&format!("{first}{rest}"));
            assert_eq!(pointer, expected, "{message}");
            assert!(message.contains(missing) && line.is_some_and(|line| line >= 7), "{line:?} {message}");
        }
    }

    #[test]
    fn serde_words_for_openapiv3_types_are_the_specs() {
        assert_eq!(
            reworded("invalid type: sequence, expected struct Paths".into()),
            "invalid type: sequence, expected a mapping (an OpenAPI Paths object)"
        );
        assert_eq!(reworded("missing field `info`".into()), "missing field `info`; add it");
        assert_eq!(quoted_value("invalid value: integer `-1`, expected usize"), Some(serde_yaml::Value::from(-1)));
        assert_eq!(
            quoted_value("invalid type: boolean `true`, expected a string"),
            Some(serde_yaml::Value::Bool(true))
        );
        assert_eq!(quoted_value("unknown variant `nowhere`, expected one of `query`"), Some("nowhere".into()));
        assert_eq!(quoted_value("invalid type: sequence, expected a map"), None);
    }

    /// `.nan` and `.inf` are refused by both readings (openapiv3 would panic on them), at the
    /// number.
    #[test]
    fn a_number_that_is_not_finite_is_a_located_error() {
        for rest in [
            "paths: {}\nx-n: .inf\n",
            "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: a\n          content: {a/b: {example: [1, -.inf]}}\n",
        ] {
            let text = spec(rest);
            assert!(direct::load(&text).is_none(), "{text}");
            let Err(Error::Schema { location, message }) = load(&text, "t.yaml") else { panic!("{text}") };
            assert!(message.starts_with("`") && message.contains("is not a finite number"), "{message}");
            assert!(location.pointer == "/x-n" || location.pointer.ends_with("/example/1"), "{}", location.pointer);
        }
    }

    /// A key the message quotes is found too: the one node alike may be a key.
    #[test]
    fn the_node_a_message_quotes_may_be_a_key() {
        let document: serde_yaml::Value = serde_yaml::from_str("a: {b: 404, '404': c}\nd: 404\n").unwrap();
        assert_eq!(super::the_only(&document, "/a", &"404".into()).as_deref(), Some("/a/404"));
        assert_eq!(super::the_only(&document, "", &404.into()), None, "two nodes alike: no place");
        assert_eq!(super::the_only(&document, "/d", &404.into()).as_deref(), Some("/d"));
    }

    /// serde_yaml places a duplicate key at the start of its mapping; the error names the line
    /// of the duplicate, in block mappings at any depth and in a list's items.
    #[test]
    fn a_duplicate_key_is_located_at_the_duplicate() {
        let place = |text: &str| match load(text, "t.yaml") {
            Err(Error::Yaml { location, .. }) => (location.line, location.column),
            other => panic!("{other:?}"),
        };
        assert_eq!(place("openapi: 3.0.3\npaths: {}\n# a comment\n\npaths: {}\n"), (Some(5), Some(1)));
        assert_eq!(
            place("openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\n  title: u\npaths: {}\n"),
            (Some(5), Some(3))
        );
        let item = "openapi: 3.0.3\npaths:\n  /a:\n    get:\n      parameters:\n        - name: a\n          in: query\n          name: b\n";
        assert_eq!(place(item), (Some(8), Some(11)));
        // A flow mapping keeps the place serde_yaml gives.
        assert_eq!(place("openapi: 3.0.3\ninfo: {title: t, title: u}\n"), (Some(2), Some(7)));
    }

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
