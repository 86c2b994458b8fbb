use super::{MAX_NODES, METHODS, is_openapi_30, is_response_key};
use indexmap::IndexMap;
use objects::{ExampleSeed, MapOf, Nullable, RequestBodySeed, ResponseSeed, SchemaSeed};
use openapiv3::{
    Components, OpenAPI, Operation, Parameter, PathItem, Paths, ReferenceOr, Responses, Server, StatusCode,
};
use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_yaml::Value;
use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

mod objects;

pub(super) fn load(text: &str) -> Option<OpenAPI> {
    let context = Context::default();
    let document = Strict { de: serde_yaml::Deserializer::from_str(text), context: &context, key: false };
    let (mut spec, paths) = document.deserialize_map(DocumentVisitor(&context)).ok()?;
    // serde_yaml's events went with the deserializer: only now are the paths written out as
    // `PathItem`s, so the two are never resident at the same time.
    spec.paths = paths.into_paths();
    Some(spec)
}

/// What the whole reading shares.
#[derive(Default)]
struct Context {
    /// Nodes read so far, counted as `node_count` counts the `Value`'s (aliases expanded):
    /// the reading stops past [`MAX_NODES`], so it never builds more than the limit allows,
    /// and the checked reading decides, as before (a YAML error further on still comes
    /// first there, so the limit cannot be reported from here).
    nodes: Cell<usize>,
    /// Inside a path item, response, request body, example or schema. openapiv3 buffers
    /// each (it is a `ReferenceOr`) and reads it from the buffer, where a null is not an
    /// empty map or list as it is in a `Value`.
    buffered: Cell<bool>,
    /// The key just read, for the duplicate check of the mapping that holds it.
    key: Cell<Option<u64>>,
    /// How many objects (responses, schemas, ...) deep the reading is; see [`MAX_DEPTH`].
    depth: Cell<usize>,
}

/// How deep objects may nest (a schema's `items` in a schema's `items`...) to be read here.
/// Each level costs the object readers tens of kilobytes of stack in a debug build (about
/// what the checked reading spends), and serde_yaml stops only at 128 levels of YAML: past
/// this depth the checked reading decides, which refuses more than 128 levels before it
/// builds anything. 32 levels fit a test thread's 2 MiB; the official Rocket.Chat files
/// nest no mapping deeper than 28, their schemas far less.
pub(super) const MAX_DEPTH: usize = 32;

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

/// A key no field takes: an extension is kept, anything else skipped.
pub(super) fn extension_or_skip<'de, A: MapAccess<'de>>(
    key: String,
    map: &mut A,
    extensions: &mut IndexMap<String, serde_json::Value>,
) -> Result<(), A::Error> {
    if key.starts_with("x-") {
        let value = map.next_value()?;
        extensions.insert(key, value);
    } else {
        map.next_value::<IgnoredAny>()?;
    }
    Ok(())
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

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.ask(Request::UnitStruct(name), visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, D::Error> {
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
        // The checked reading refuses `.nan` and `.inf`, which would be null here.
        if !value.is_finite() {
            return Err(refuse("a number that is not finite"));
        }
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
/// `load_checked` checks it. The paths come apart from the rest, as [`ReadPaths`].
struct DocumentVisitor<'c>(&'c Context);

impl<'de> Visitor<'de> for DocumentVisitor<'_> {
    type Value = (OpenAPI, ReadPaths);

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an OpenAPI document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut spec = OpenAPI::default();
        let (mut version, mut info, mut paths) = (None, None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "openapi" => version = Some(map.next_value::<String>()?),
                "info" => info = Some(map.next_value()?),
                "servers" => spec.servers = map.next_value()?,
                "paths" => paths = Some(map.next_value_seed(PathsSeed(self.0))?),
                "components" => spec.components = map.next_value_seed(ComponentsSeed(self.0))?,
                "security" => spec.security = map.next_value()?,
                "tags" => spec.tags = map.next_value()?,
                "externalDocs" => spec.external_docs = map.next_value()?,
                _ => extension_or_skip(key, &mut map, &mut spec.extensions)?,
            }
        }
        spec.openapi = version.filter(|version| is_openapi_30(version)).ok_or_else(|| refuse("the version"))?;
        spec.info = info.ok_or_else(|| refuse("no `info`"))?;
        let paths = paths.ok_or_else(|| refuse("no `paths`"))?;
        Ok((spec, paths))
    }
}

/// `components`, whose null entries mean "none" (`drop_null_components`).
struct ComponentsSeed<'c>(&'c Context);

impl<'de> DeserializeSeed<'de> for ComponentsSeed<'_> {
    type Value = Option<Components>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Option<Components>, D::Error> {
        de.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for ComponentsSeed<'_> {
    type Value = Option<Components>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("the components")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Components>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Option<Components>, D::Error> {
        de.deserialize_map(ComponentsVisitor(self.0)).map(Some)
    }
}

struct ComponentsVisitor<'c>(&'c Context);

/// One entry of `components`, left at its default when null.
fn unless_null<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: &mut A, slot: &mut T) -> Result<(), A::Error> {
    if let Some(value) = map.next_value::<Option<T>>()? {
        *slot = value;
    }
    Ok(())
}

/// The same, for an entry read by `seed`.
fn unless_null_seed<'de, A: MapAccess<'de>, S: DeserializeSeed<'de>>(
    map: &mut A,
    seed: S,
    slot: &mut S::Value,
) -> Result<(), A::Error> {
    if let Some(value) = map.next_value_seed(Nullable(seed))? {
        *slot = value;
    }
    Ok(())
}

impl<'de> Visitor<'de> for ComponentsVisitor<'_> {
    type Value = Components;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("the components")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Components, A::Error> {
        let mut components = Components::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "schemas" => unless_null_seed(&mut map, MapOf(SchemaSeed::new(self.0)), &mut components.schemas)?,
                "responses" => unless_null_seed(&mut map, MapOf(ResponseSeed::new(self.0)), &mut components.responses)?,
                "parameters" => unless_null(&mut map, &mut components.parameters)?,
                "examples" => unless_null_seed(&mut map, MapOf(ExampleSeed::new(self.0)), &mut components.examples)?,
                "requestBodies" => {
                    unless_null_seed(&mut map, MapOf(RequestBodySeed::new(self.0)), &mut components.request_bodies)?;
                }
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

/// `paths` as read, until serde_yaml's events are dropped. A `PathItem` holds its eight
/// methods inline, 8.7 KB a path however few it has, and a map of them grows by doubling: a
/// spec of 5,000 paths took 63 MB that way, alive beside the events' 53 MB, which made the
/// peak memory of the whole run. Read here, a path holds only the operations it has.
struct ReadPaths {
    paths: Vec<(String, ReferenceOr<ReadPathItem>)>,
    extensions: IndexMap<String, serde_json::Value>,
    /// The map the paths go into, made to measure once they are read. Reserved then, while
    /// the events are still alive, and written after: glibc then maps a large map from the
    /// system and gives it back when the spec is dropped, before rendering (asked for after the
    /// events' large buffer is freed, it comes from a heap that keeps it). Reserved pages are
    /// not resident until written.
    map: IndexMap<String, ReferenceOr<PathItem>>,
}

impl ReadPaths {
    fn into_paths(self) -> Paths {
        let mut paths = self.map;
        for (path, item) in self.paths {
            let item = match item {
                ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
                ReferenceOr::Item(item) => ReferenceOr::Item(item.into_path_item()),
            };
            paths.insert(path, item);
        }
        Paths { paths, extensions: self.extensions }
    }
}

/// A path item with its operations listed by their index in [`METHODS`].
#[derive(Default)]
struct ReadPathItem {
    summary: Option<String>,
    description: Option<String>,
    servers: Vec<Server>,
    parameters: Vec<ReferenceOr<Parameter>>,
    extensions: IndexMap<String, serde_json::Value>,
    operations: Vec<(usize, Box<Operation>)>,
}

impl ReadPathItem {
    fn into_path_item(self) -> PathItem {
        let mut item = PathItem {
            summary: self.summary,
            description: self.description,
            servers: self.servers,
            parameters: self.parameters,
            extensions: self.extensions,
            ..PathItem::default()
        };
        let slots = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for (method, operation) in self.operations {
            *slots[method] = Some(*operation);
        }
        item
    }
}

/// `paths`: each key a path (`check_path_keys`) or an extension.
struct PathsSeed<'c>(&'c Context);

impl<'de> DeserializeSeed<'de> for PathsSeed<'_> {
    type Value = ReadPaths;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<ReadPaths, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PathsSeed<'_> {
    type Value = ReadPaths;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("struct Paths")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ReadPaths, A::Error> {
        let outer = self.0.buffered.replace(true);
        let mut paths = ReadPaths { paths: Vec::new(), extensions: IndexMap::new(), map: IndexMap::new() };
        while let Some(key) = map.next_key::<String>()? {
            if key.starts_with('/') {
                let item = map.next_value_seed(PathItemSeed(self.0))?;
                paths.paths.push((key, item));
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
        paths.map = IndexMap::with_capacity(paths.paths.len());
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
struct PathItemSeed<'c>(&'c Context);

impl<'de> DeserializeSeed<'de> for PathItemSeed<'_> {
    type Value = ReferenceOr<ReadPathItem>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PathItemSeed<'_> {
    type Value = ReferenceOr<ReadPathItem>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a path item")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut item = ReadPathItem::default();
        let mut reference = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "$ref" => {
                    if let Value::String(target) = map.next_value()? {
                        reference = Some(target);
                    }
                }
                "summary" => item.summary = map.next_value()?,
                "description" => item.description = map.next_value()?,
                "servers" => item.servers = map.next_value()?,
                "parameters" => item.parameters = map.next_value()?,
                _ if key.starts_with("x-") => {
                    let value: serde_json::Value = map.next_value()?;
                    if !responses_are_statuses(&value) {
                        return Err(refuse("a response key"));
                    }
                    item.extensions.insert(key, value);
                }
                _ => {
                    let method = METHODS
                        .iter()
                        .position(|method| *method == key)
                        .ok_or_else(|| refuse("a key that is not a method or a path item field"))?;
                    // A null operation is none; a method appears once (duplicate keys are refused).
                    if let Some(operation) = map.next_value_seed(OperationSeed(self.0))? {
                        item.operations.push((method, Box::new(operation)));
                    }
                }
            }
        }
        Ok(match reference {
            Some(reference) => ReferenceOr::Reference { reference },
            None => ReferenceOr::Item(item),
        })
    }
}

/// An operation (or null: none), read as `Operation`'s derived deserializer reads it, with
/// its `responses` read by [`ResponsesSeed`].
struct OperationSeed<'c>(&'c Context);

impl<'de> DeserializeSeed<'de> for OperationSeed<'_> {
    type Value = Option<Operation>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for OperationSeed<'_> {
    type Value = Option<Operation>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an operation")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_map(OperationVisitor(self.0)).map(Some)
    }
}

struct OperationVisitor<'c>(&'c Context);

impl<'de> Visitor<'de> for OperationVisitor<'_> {
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
                "requestBody" => {
                    operation.request_body = map.next_value_seed(Nullable(RequestBodySeed::new(self.0)))?
                }
                "responses" => responses = Some(map.next_value_seed(ResponsesSeed(self.0))?),
                "callbacks" => operation.callbacks = map.next_value()?,
                "deprecated" => operation.deprecated = map.next_value()?,
                "security" => operation.security = map.next_value()?,
                "servers" => operation.servers = map.next_value()?,
                _ => extension_or_skip(key, &mut map, &mut operation.extensions)?,
            }
        }
        operation.responses = responses.ok_or_else(|| refuse("no `responses`"))?;
        // Grown by doubling (serde_yaml gives no length), two parameters would hold room for
        // four: like `MapOf`, made to measure.
        operation.parameters.shrink_to_fit();
        Ok(operation)
    }
}

/// `responses`: each key a status, a range, `default` or an extension
/// (`check_response_keys`); a status written as a number (`200:`) is one too.
struct ResponsesSeed<'c>(&'c Context);

impl<'de> DeserializeSeed<'de> for ResponsesSeed<'_> {
    type Value = Responses;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Responses, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ResponsesSeed<'_> {
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
                responses.default = map.next_value_seed(Nullable(ResponseSeed::new(self.0)))?;
            } else if key.is_string() && text.starts_with("x-") {
                let value = map.next_value()?;
                responses.extensions.insert(text, value);
            } else {
                let status = StatusCode::deserialize(key).map_err(de::Error::custom)?;
                let response = map.next_value_seed(ResponseSeed::new(self.0))?;
                responses.responses.insert(status, response);
            }
        }
        responses.responses.shrink_to_fit();
        Ok(responses)
    }
}
