//! Stage 1: YAML text to `openapiv3::OpenAPI`, with located errors.

use crate::error::{Error, Location};
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

/// The direct reading: from the text into `OpenAPI` in one pass, without the `Value` between.
///
/// It answers `Some` only when the checked reading ([`load_checked`]) would load the same
/// `OpenAPI`; on anything else (an error of any kind, or input it does not mirror, such as YAML
/// tags or keys that are not strings) it answers `None` and the checked reading decides, so
/// every error keeps its exact words and pointer. Two things make that hold:
/// - [`Strict`] wraps the YAML deserializer so that the text reads as the `Value` would: each
///   scalar is resolved as the `Value` resolves it and handed on through the `Value`'s own
///   deserializer (`description: 123` is a number, not the string "123"); a duplicate key is
///   refused (the `Value` refuses it); and the nodes are counted against [`MAX_NODES`].
/// - The mirrors below (document, components, paths, path item, operation, responses) read the
///   objects whose checks `load_checked` makes, and build the `openapiv3` values as its derived
///   deserializers do (same fields, defaults, `x-` filtering), reading everything else through
///   `openapiv3`'s own types. They use no `#[serde(flatten)]`, which buffers every entry it may
///   take: the buffering was much of the old cost.
mod direct {
    use super::{MAX_NODES, is_openapi_30, is_response_key};
    use openapiv3::{Components, OpenAPI, Operation, PathItem, Paths, ReferenceOr, Responses, StatusCode};
    use serde::Deserialize;
    use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_yaml::Value;
    use std::cell::Cell;
    use std::collections::HashSet;
    use std::fmt;
    use std::hash::{DefaultHasher, Hash, Hasher};

    pub(super) fn load(text: &str) -> Option<OpenAPI> {
        let context = Context::default();
        let document = Strict { de: serde_yaml::Deserializer::from_str(text), context: &context, key: false };
        document.deserialize_map(DocumentVisitor(&context)).ok()
    }

    /// What the whole reading shares.
    #[derive(Default)]
    struct Context {
        /// Nodes read so far, counted as `node_count` counts the `Value`'s (aliases expanded):
        /// the reading stops past [`MAX_NODES`], so it never builds more than the limit allows,
        /// and the checked reading decides, as before (a YAML error further on still comes
        /// first there, so the limit cannot be reported from here).
        nodes: Cell<usize>,
        /// Inside a path item. openapiv3 buffers a path item (it is a `ReferenceOr`) and reads
        /// it from the buffer, where a null is not an empty map or list as it is in a `Value`.
        buffered: Cell<bool>,
        /// The key just read, for the duplicate check of the mapping that holds it.
        key: Cell<Option<u64>>,
    }

    impl Context {
        fn count<E: de::Error>(&self) -> Result<(), E> {
            let nodes = self.nodes.get() + 1;
            self.nodes.set(nodes);
            if nodes > MAX_NODES {
                return Err(E::custom("the node limit"));
            }
            Ok(())
        }
    }

    fn refuse<E: de::Error>(what: &str) -> E {
        E::custom(format_args!("not read directly: {what}"))
    }

    /// What a reader asked of a node; it is answered once the node's kind is known.
    #[derive(Clone, Copy)]
    enum Request {
        Any,
        Bool,
        I8,
        I16,
        I32,
        I64,
        U8,
        U16,
        U32,
        U64,
        F32,
        F64,
        Char,
        Str,
        String,
        Unit,
        UnitStruct(&'static str),
        Seq,
        Tuple(usize),
        TupleStruct(&'static str, usize),
        Map,
        Struct(&'static str, &'static [&'static str]),
        Enum(&'static str, &'static [&'static str]),
        Identifier,
        IgnoredAny,
    }

    impl Request {
        /// Whether a `Value::String` answers it by handing its string to the visitor.
        fn takes_strings(self) -> bool {
            matches!(self, Self::Any | Self::Str | Self::String | Self::Identifier)
        }

        /// Whether a null answers it with an empty map or list (in a `Value`, not in a buffer).
        fn wants_collection(self) -> bool {
            matches!(self, Self::Seq | Self::Tuple(_) | Self::TupleStruct(..) | Self::Map | Self::Struct(..))
        }
    }

    /// A scalar answered exactly as the `Value` holding it would answer.
    fn answer<'de, V: Visitor<'de>>(value: Value, request: Request, visitor: V) -> Result<V::Value, serde_yaml::Error> {
        match request {
            Request::Any => value.deserialize_any(visitor),
            Request::Bool => value.deserialize_bool(visitor),
            Request::I8 => value.deserialize_i8(visitor),
            Request::I16 => value.deserialize_i16(visitor),
            Request::I32 => value.deserialize_i32(visitor),
            Request::I64 => value.deserialize_i64(visitor),
            Request::U8 => value.deserialize_u8(visitor),
            Request::U16 => value.deserialize_u16(visitor),
            Request::U32 => value.deserialize_u32(visitor),
            Request::U64 => value.deserialize_u64(visitor),
            Request::F32 => value.deserialize_f32(visitor),
            Request::F64 => value.deserialize_f64(visitor),
            Request::Char => value.deserialize_char(visitor),
            Request::Str => value.deserialize_str(visitor),
            Request::String => value.deserialize_string(visitor),
            Request::Unit => value.deserialize_unit(visitor),
            Request::UnitStruct(name) => value.deserialize_unit_struct(name, visitor),
            Request::Seq => value.deserialize_seq(visitor),
            Request::Tuple(len) => value.deserialize_tuple(len, visitor),
            Request::TupleStruct(name, len) => value.deserialize_tuple_struct(name, len, visitor),
            Request::Map => value.deserialize_map(visitor),
            Request::Struct(name, fields) => value.deserialize_struct(name, fields, visitor),
            Request::Enum(name, variants) => value.deserialize_enum(name, variants, visitor),
            Request::Identifier => value.deserialize_identifier(visitor),
            Request::IgnoredAny => value.deserialize_ignored_any(visitor),
        }
    }

    /// The YAML deserializer, read with the `Value`'s semantics (see [`direct`](self)).
    struct Strict<'c, D> {
        de: D,
        context: &'c Context,
        /// This node is a mapping key: keep it for the duplicate check.
        key: bool,
    }

    impl<'c, D> Strict<'c, D> {
        fn ask<'de, V: Visitor<'de>>(self, request: Request, visitor: V) -> Result<V::Value, D::Error>
        where
            D: Deserializer<'de>,
        {
            // Every node is read as it is (which serde_yaml resolves as it resolves a `Value`'s),
            // then given to the reader as a `Value` would give it.
            self.de.deserialize_any(Node { visitor, context: self.context, request, key: self.key })
        }
    }

    macro_rules! ask {
        ($($method:ident => $request:ident),* $(,)?) => {$(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.ask(Request::$request, visitor)
            }
        )*};
    }

    impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<'_, D> {
        type Error = D::Error;

        ask! {
            deserialize_any => Any, deserialize_bool => Bool, deserialize_i8 => I8, deserialize_i16 => I16,
            deserialize_i32 => I32, deserialize_i64 => I64, deserialize_u8 => U8, deserialize_u16 => U16,
            deserialize_u32 => U32, deserialize_u64 => U64, deserialize_f32 => F32, deserialize_f64 => F64,
            deserialize_char => Char, deserialize_str => Str, deserialize_string => String,
            deserialize_unit => Unit, deserialize_seq => Seq, deserialize_map => Map,
            deserialize_identifier => Identifier, deserialize_ignored_any => IgnoredAny,
        }

        fn deserialize_bytes<V: Visitor<'de>>(self, _: V) -> Result<V::Value, D::Error> {
            Err(refuse("bytes"))
        }

        fn deserialize_byte_buf<V: Visitor<'de>>(self, _: V) -> Result<V::Value, D::Error> {
            Err(refuse("bytes"))
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            // serde_yaml tells a null as the `Value` does; anything else is read as itself.
            self.de.deserialize_option(Optional { visitor, context: self.context })
        }

        fn deserialize_unit_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.ask(Request::UnitStruct(name), visitor)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            visitor.visit_newtype_struct(self)
        }

        fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
            self.ask(Request::Tuple(len), visitor)
        }

        fn deserialize_tuple_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            len: usize,
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.ask(Request::TupleStruct(name, len), visitor)
        }

        fn deserialize_struct<V: Visitor<'de>>(
            self,
            name: &'static str,
            fields: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.ask(Request::Struct(name, fields), visitor)
        }

        fn deserialize_enum<V: Visitor<'de>>(
            self,
            name: &'static str,
            variants: &'static [&'static str],
            visitor: V,
        ) -> Result<V::Value, D::Error> {
            self.ask(Request::Enum(name, variants), visitor)
        }
    }

    struct Optional<'c, V> {
        visitor: V,
        context: &'c Context,
    }

    impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<'_, V> {
        type Value = V::Value;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            self.visitor.expecting(formatter)
        }

        fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
            self.context.count()?;
            self.visitor.visit_none()
        }

        fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<V::Value, D::Error> {
            self.visitor.visit_some(Strict { de, context: self.context, key: false })
        }
    }

    /// One node, once serde_yaml says what it is.
    struct Node<'c, V> {
        visitor: V,
        context: &'c Context,
        request: Request,
        key: bool,
    }

    impl<'de, V: Visitor<'de>> Node<'_, V> {
        fn string_counted<E: de::Error>(&self, value: &str) -> Result<(), E> {
            self.context.count()?;
            if self.key {
                self.context.key.set(Some(string_key_hash(value)));
            }
            Ok(())
        }

        fn scalar<E: de::Error>(self, value: Value) -> Result<V::Value, E> {
            self.context.count()?;
            if self.key {
                self.context.key.set(Some(key_hash(&value)));
            }
            if self.context.buffered.get() && value.is_null() && self.request.wants_collection() {
                return Err(refuse("a null read from a buffer as a map or list"));
            }
            answer(value, self.request, self.visitor).map_err(E::custom)
        }
    }

    impl<'de, V: Visitor<'de>> Visitor<'de> for Node<'_, V> {
        type Value = V::Value;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            self.visitor.expecting(formatter)
        }

        fn visit_bool<E: de::Error>(self, value: bool) -> Result<V::Value, E> {
            self.scalar(Value::Bool(value))
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<V::Value, E> {
            self.scalar(Value::Number(value.into()))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<V::Value, E> {
            self.scalar(Value::Number(value.into()))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<V::Value, E> {
            self.scalar(Value::Number(value.into()))
        }

        // A string read as a string (most nodes, and every key) goes as it is: the `Value`
        // would hand it on the same way, and copying it into one first cost a tenth of the time.
        fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
            if !self.request.takes_strings() {
                return self.scalar(Value::String(value.to_owned()));
            }
            self.string_counted(value)?;
            self.visitor.visit_str(value)
        }

        fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
            if !self.request.takes_strings() {
                return self.scalar(Value::String(value));
            }
            self.string_counted(&value)?;
            self.visitor.visit_string(value)
        }

        fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
            self.scalar(Value::Null)
        }

        fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
            self.scalar(Value::Null)
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
            self.context.count()?;
            if self.key {
                return Err(refuse("a mapping as a key"));
            }
            match self.request {
                Request::Any | Request::Map | Request::Struct(..) | Request::IgnoredAny => {
                    self.visitor.visit_map(StrictMap { map, context: self.context, keys: Keys::default() })
                }
                _ => Err(refuse("a mapping where something else is read")),
            }
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
            self.context.count()?;
            if self.key {
                return Err(refuse("a list as a key"));
            }
            match self.request {
                Request::Any | Request::Seq | Request::Tuple(_) | Request::TupleStruct(..) | Request::IgnoredAny => {
                    self.visitor.visit_seq(StrictSeq { seq, context: self.context })
                }
                _ => Err(refuse("a list where something else is read")),
            }
        }

        // Not implemented, so refused: tagged nodes (`visit_enum`), which a `Value` keeps apart.
    }

    /// A key, as a hash that keys equal as `Value`s share (`"1"` and `1` are two keys). Two
    /// different keys that share one only send the spec to the checked reading.
    fn key_hash(key: &Value) -> u64 {
        if let Value::String(text) = key {
            return string_key_hash(text);
        }
        let mut hasher = DefaultHasher::new();
        1u8.hash(&mut hasher);
        key.hash(&mut hasher);
        hasher.finish()
    }

    fn string_key_hash(text: &str) -> u64 {
        let mut hasher = DefaultHasher::new();
        0u8.hash(&mut hasher);
        text.hash(&mut hasher);
        hasher.finish()
    }

    /// The keys of one mapping, to refuse a duplicate as the `Value` does.
    #[derive(Default)]
    struct Keys {
        few: Vec<u64>,
        many: Option<HashSet<u64>>,
    }

    impl Keys {
        fn insert(&mut self, key: u64) -> bool {
            if let Some(many) = &mut self.many {
                return many.insert(key);
            }
            if self.few.contains(&key) {
                return false;
            }
            self.few.push(key);
            // A scan is quicker for the few keys of most mappings; not for `paths` or `schemas`.
            if self.few.len() > 16 {
                self.many = Some(self.few.drain(..).collect());
            }
            true
        }
    }

    struct StrictMap<'c, A> {
        map: A,
        context: &'c Context,
        keys: Keys,
    }

    impl<'de, A: MapAccess<'de>> MapAccess<'de> for StrictMap<'_, A> {
        type Error = A::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
            let key = self.map.next_key_seed(Wrap { seed, context: self.context, key: true })?;
            if key.is_some() {
                let value = self.context.key.take().ok_or_else(|| refuse("a key read as an option"))?;
                if !self.keys.insert(value) {
                    return Err(refuse("a duplicate key"));
                }
            }
            Ok(key)
        }

        fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
            self.map.next_value_seed(Wrap { seed, context: self.context, key: false })
        }

        fn size_hint(&self) -> Option<usize> {
            self.map.size_hint()
        }
    }

    struct StrictSeq<'c, A> {
        seq: A,
        context: &'c Context,
    }

    impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for StrictSeq<'_, A> {
        type Error = A::Error;

        fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, A::Error> {
            self.seq.next_element_seed(Wrap { seed, context: self.context, key: false })
        }

        fn size_hint(&self) -> Option<usize> {
            self.seq.size_hint()
        }
    }

    struct Wrap<'c, S> {
        seed: S,
        context: &'c Context,
        key: bool,
    }

    impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Wrap<'_, S> {
        type Value = S::Value;

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<S::Value, D::Error> {
            self.seed.deserialize(Strict { de, context: self.context, key: self.key })
        }
    }

    /// The top level, as `OpenAPI`'s derived deserializer reads it; the version is checked as
    /// `load_checked` checks it.
    struct DocumentVisitor<'c>(&'c Context);

    impl<'de> Visitor<'de> for DocumentVisitor<'_> {
        type Value = OpenAPI;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an OpenAPI document")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OpenAPI, A::Error> {
            let mut spec = OpenAPI::default();
            let (mut version, mut info, mut paths) = (None, None, None);
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "openapi" => version = Some(map.next_value::<String>()?),
                    "info" => info = Some(map.next_value()?),
                    "servers" => spec.servers = map.next_value()?,
                    "paths" => paths = Some(map.next_value_seed(PathsSeed(self.0))?),
                    "components" => spec.components = map.next_value_seed(ComponentsSeed)?,
                    "security" => spec.security = map.next_value()?,
                    "tags" => spec.tags = map.next_value()?,
                    "externalDocs" => spec.external_docs = map.next_value()?,
                    _ if key.starts_with("x-") => {
                        let value = map.next_value()?;
                        spec.extensions.insert(key, value);
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            spec.openapi = version.filter(|version| is_openapi_30(version)).ok_or_else(|| refuse("the version"))?;
            spec.info = info.ok_or_else(|| refuse("no `info`"))?;
            spec.paths = paths.ok_or_else(|| refuse("no `paths`"))?;
            Ok(spec)
        }
    }

    /// `components`, whose null entries mean "none" (`drop_null_components`).
    struct ComponentsSeed;

    impl<'de> DeserializeSeed<'de> for ComponentsSeed {
        type Value = Option<Components>;

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Option<Components>, D::Error> {
            de.deserialize_option(self)
        }
    }

    impl<'de> Visitor<'de> for ComponentsSeed {
        type Value = Option<Components>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("the components")
        }

        fn visit_none<E: de::Error>(self) -> Result<Option<Components>, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Option<Components>, D::Error> {
            de.deserialize_map(ComponentsVisitor).map(Some)
        }
    }

    struct ComponentsVisitor;

    /// One entry of `components`, left at its default when null.
    fn unless_null<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, slot: &mut T) -> Result<(), A::Error> {
        if let Some(value) = map.next_value::<Option<T>>()? {
            *slot = value;
        }
        Ok(())
    }

    impl<'de> Visitor<'de> for ComponentsVisitor {
        type Value = Components;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("the components")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Components, A::Error> {
            let mut components = Components::default();
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "schemas" => unless_null(&mut map, &mut components.schemas)?,
                    "responses" => unless_null(&mut map, &mut components.responses)?,
                    "parameters" => unless_null(&mut map, &mut components.parameters)?,
                    "examples" => unless_null(&mut map, &mut components.examples)?,
                    "requestBodies" => unless_null(&mut map, &mut components.request_bodies)?,
                    "headers" => unless_null(&mut map, &mut components.headers)?,
                    "securitySchemes" => unless_null(&mut map, &mut components.security_schemes)?,
                    "links" => unless_null(&mut map, &mut components.links)?,
                    "callbacks" => unless_null(&mut map, &mut components.callbacks)?,
                    _ if key.starts_with("x-") => {
                        if let Some(value) = map.next_value::<Option<serde_json::Value>>()? {
                            components.extensions.insert(key, value);
                        }
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(components)
        }
    }

    /// `paths`: each key a path (`check_path_keys`) or an extension.
    struct PathsSeed<'c>(&'c Context);

    impl<'de> DeserializeSeed<'de> for PathsSeed<'_> {
        type Value = Paths;

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Paths, D::Error> {
            de.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for PathsSeed<'_> {
        type Value = Paths;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("struct Paths")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Paths, A::Error> {
            let outer = self.0.buffered.replace(true);
            let mut paths = Paths::default();
            while let Some(key) = map.next_key::<String>()? {
                if key.starts_with('/') {
                    let item = map.next_value_seed(PathItemSeed)?;
                    paths.paths.insert(key, item);
                } else if key.starts_with("x-") {
                    let value: serde_json::Value = map.next_value()?;
                    // `check_response_keys` reads every entry of `paths` as a path item.
                    if value.as_object().is_some_and(|item| !item.values().all(responses_are_statuses)) {
                        return Err(refuse("a response key"));
                    }
                    paths.extensions.insert(key, value);
                } else {
                    return Err(refuse("a path without `/`"));
                }
            }
            self.0.buffered.set(outer);
            Ok(paths)
        }
    }

    /// Whether `operation.responses`, if there is such a map, has only keys that may be there.
    fn responses_are_statuses(operation: &serde_json::Value) -> bool {
        match operation.get("responses") {
            Some(serde_json::Value::Object(responses)) => responses.keys().all(|key| is_response_key(key)),
            _ => true,
        }
    }

    /// A path item, read as `ReferenceOr<PathItem>` reads it: a string `$ref` makes it a
    /// reference, whatever else it holds; only the keys `check_path_keys` allows.
    struct PathItemSeed;

    impl<'de> DeserializeSeed<'de> for PathItemSeed {
        type Value = ReferenceOr<PathItem>;

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
            de.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for PathItemSeed {
        type Value = ReferenceOr<PathItem>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("a path item")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut item = PathItem::default();
            let mut reference = None;
            while let Some(key) = map.next_key::<String>()? {
                let operation = match key.as_str() {
                    "get" => &mut item.get,
                    "put" => &mut item.put,
                    "post" => &mut item.post,
                    "delete" => &mut item.delete,
                    "options" => &mut item.options,
                    "head" => &mut item.head,
                    "patch" => &mut item.patch,
                    "trace" => &mut item.trace,
                    "$ref" => {
                        if let Value::String(target) = map.next_value()? {
                            reference = Some(target);
                        }
                        continue;
                    }
                    "summary" => {
                        item.summary = map.next_value()?;
                        continue;
                    }
                    "description" => {
                        item.description = map.next_value()?;
                        continue;
                    }
                    "servers" => {
                        item.servers = map.next_value()?;
                        continue;
                    }
                    "parameters" => {
                        item.parameters = map.next_value()?;
                        continue;
                    }
                    _ if key.starts_with("x-") => {
                        let value: serde_json::Value = map.next_value()?;
                        if !responses_are_statuses(&value) {
                            return Err(refuse("a response key"));
                        }
                        item.extensions.insert(key, value);
                        continue;
                    }
                    _ => return Err(refuse("a key that is not a method or a path item field")),
                };
                *operation = map.next_value_seed(OperationSeed)?;
            }
            Ok(match reference {
                Some(reference) => ReferenceOr::Reference { reference },
                None => ReferenceOr::Item(item),
            })
        }
    }

    /// An operation (or null: none), read as `Operation`'s derived deserializer reads it, with
    /// its `responses` read by [`ResponsesSeed`].
    struct OperationSeed;

    impl<'de> DeserializeSeed<'de> for OperationSeed {
        type Value = Option<Operation>;

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
            de.deserialize_option(self)
        }
    }

    impl<'de> Visitor<'de> for OperationSeed {
        type Value = Option<Operation>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an operation")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
            de.deserialize_map(OperationVisitor).map(Some)
        }
    }

    struct OperationVisitor;

    impl<'de> Visitor<'de> for OperationVisitor {
        type Value = Operation;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("an operation")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Operation, A::Error> {
            let mut operation = Operation::default();
            let mut responses = None;
            while let Some(key) = map.next_key::<String>()? {
                match key.as_str() {
                    "tags" => operation.tags = map.next_value()?,
                    "summary" => operation.summary = map.next_value()?,
                    "description" => operation.description = map.next_value()?,
                    "externalDocs" => operation.external_docs = map.next_value()?,
                    "operationId" => operation.operation_id = map.next_value()?,
                    "parameters" => operation.parameters = map.next_value()?,
                    "requestBody" => operation.request_body = map.next_value()?,
                    "responses" => responses = Some(map.next_value_seed(ResponsesSeed)?),
                    "callbacks" => operation.callbacks = map.next_value()?,
                    "deprecated" => operation.deprecated = map.next_value()?,
                    "security" => operation.security = map.next_value()?,
                    "servers" => operation.servers = map.next_value()?,
                    _ if key.starts_with("x-") => {
                        let value = map.next_value()?;
                        operation.extensions.insert(key, value);
                    }
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            operation.responses = responses.ok_or_else(|| refuse("no `responses`"))?;
            Ok(operation)
        }
    }

    /// `responses`: each key a status, a range, `default` or an extension
    /// (`check_response_keys`); a status written as a number (`200:`) is one too.
    struct ResponsesSeed;

    impl<'de> DeserializeSeed<'de> for ResponsesSeed {
        type Value = Responses;

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Responses, D::Error> {
            de.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for ResponsesSeed {
        type Value = Responses;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            formatter.write_str("the responses")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Responses, A::Error> {
            let mut responses = Responses::default();
            while let Some(key) = map.next_key::<Value>()? {
                let text = match &key {
                    Value::String(text) => text.clone(),
                    Value::Number(number) => number.to_string(),
                    _ => return Err(refuse("a response key that is not a string or a number")),
                };
                if !is_response_key(&text) {
                    return Err(refuse("a response key"));
                }
                if key.is_string() && text == "default" {
                    responses.default = map.next_value()?;
                } else if key.is_string() && text.starts_with("x-") {
                    let value = map.next_value()?;
                    responses.extensions.insert(text, value);
                } else {
                    let status = StatusCode::deserialize(key).map_err(de::Error::custom)?;
                    let response = map.next_value()?;
                    responses.responses.insert(status, response);
                }
            }
            Ok(responses)
        }
    }
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
    use super::{direct, line_of, load_checked};
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
        ];
        for rest in cases {
            assert!(same_as_checked(&spec(rest)).is_some(), "{rest}");
        }
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
