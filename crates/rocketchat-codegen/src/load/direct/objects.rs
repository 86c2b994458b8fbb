//! Responses, request bodies, media types, examples and schemas, read straight from the text.
//!
//! openapiv3 reads each of these (but the media type) as a `ReferenceOr`, an untagged enum:
//! serde buffers the whole object into its `Content`, then tries a `Reference`, then the item,
//! and a schema's two flattened halves buffer their entries once more, at every level of
//! nesting. That buffering was most of the reading's cost. The readers here build the same
//! values in one pass: every key is read as the item's field, and a string `$ref` turns the
//! object into a reference when the map ends, whatever else it held (as the untagged enum
//! tries the reference first).
//!
//! They read inside `buffered` (see [`Context`]), since openapiv3 reads these objects from
//! its buffer, where a null is not an empty map or list; and they give up where the derive
//! would fail or where mirroring it is not worth the code (a `$ref` that is not a string:
//! the derive then reads the item instead; an object where a boolean or list is read).

use super::{Context, MAX_DEPTH, extension_or_skip, refuse};
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, BooleanType, Example, IntegerType, MediaType, NumberType, ObjectType,
    ReferenceOr, RequestBody, Response, Schema, SchemaData, SchemaKind, StringType, Type,
};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Number;
use serde_yaml::Value;
use std::fmt;
use std::marker::PhantomData;

/// The fields of an object, read one key at a time as its derived deserializer reads them.
pub(super) trait Fields<'de>: Default {
    type Item;
    const NAME: &'static str;

    /// Reads the value of `key` into the object; a key the object has no field for is kept
    /// as an extension (`x-`) or skipped, as the derive does.
    fn read<A: MapAccess<'de>>(&mut self, key: String, map: &mut A, context: &Context) -> Result<(), A::Error>;

    /// The object, once its map has ended.
    fn finish<E: de::Error>(self) -> Result<Self::Item, E>;
}

/// An object read as `ReferenceOr<F::Item>` reads it from openapiv3's buffer.
pub(super) struct RefOr<'c, F> {
    context: &'c Context,
    fields: PhantomData<F>,
}

impl<'c, F> RefOr<'c, F> {
    pub(super) fn new(context: &'c Context) -> Self {
        Self { context, fields: PhantomData }
    }
}

impl<F> Clone for RefOr<'_, F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for RefOr<'_, F> {}

impl<'de, F: Fields<'de>> DeserializeSeed<'de> for RefOr<'_, F> {
    type Value = ReferenceOr<F::Item>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        // As the buffer is read: a null, a scalar or a list is no object (a list can be read
        // as a struct, but not here).
        de.deserialize_any(self)
    }
}

impl<'de, F: Fields<'de>> Visitor<'de> for RefOr<'_, F> {
    type Value = ReferenceOr<F::Item>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "a {} or a reference", F::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let depth = self.context.depth.get() + 1;
        if depth > MAX_DEPTH {
            return Err(refuse("objects nested too deep"));
        }
        self.context.depth.set(depth);
        let outer = self.context.buffered.replace(true);
        let mut fields = F::default();
        let mut reference = None;
        let read = (|| {
            while let Some(key) = map.next_key::<String>()? {
                if key == "$ref" {
                    let Value::String(target) = map.next_value()? else {
                        return Err(refuse("a `$ref` that is not a string"));
                    };
                    reference = Some(target);
                } else {
                    fields.read(key, &mut map, self.context)?;
                }
            }
            Ok(())
        })();
        self.context.buffered.set(outer);
        self.context.depth.set(depth - 1);
        read?;
        match reference {
            Some(reference) => Ok(ReferenceOr::Reference { reference }),
            None => fields.finish().map(ReferenceOr::Item),
        }
    }
}

/// An object that cannot be a reference (a media type): every key is read as its field.
struct Plain<'c, F> {
    context: &'c Context,
    fields: PhantomData<F>,
}

impl<F> Clone for Plain<'_, F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<F> Copy for Plain<'_, F> {}

impl<'de, F: Fields<'de>> DeserializeSeed<'de> for Plain<'_, F> {
    type Value = F::Item;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<F::Item, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de, F: Fields<'de>> Visitor<'de> for Plain<'_, F> {
    type Value = F::Item;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "a {}", F::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<F::Item, A::Error> {
        let mut fields = F::default();
        while let Some(key) = map.next_key::<String>()? {
            fields.read(key, &mut map, self.context)?;
        }
        fields.finish()
    }
}

/// An optional value: a null is none (as an `Option` field reads it).
pub(super) struct Nullable<S>(pub(super) S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_option(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Nullable<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an optional value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize(de).map(Some)
    }
}

/// A map of names to values that `S` reads (`IndexMap<String, _>`, in the text's order).
#[derive(Clone, Copy)]
pub(super) struct MapOf<S>(pub(super) S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for MapOf<S> {
    type Value = indexmap::IndexMap<String, S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for MapOf<S> {
    type Value = indexmap::IndexMap<String, S::Value>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = indexmap::IndexMap::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.0)?;
            entries.insert(key, value);
        }
        // Grown by doubling, a map of one media type or property would hold room for four
        // (openapiv3's buffer knows the length, so its maps are made to measure).
        entries.shrink_to_fit();
        Ok(entries)
    }
}

/// A list of values that `S` reads.
#[derive(Clone, Copy)]
struct ListOf<S>(S);

impl<'de, S: DeserializeSeed<'de> + Copy> DeserializeSeed<'de> for ListOf<S> {
    type Value = Vec<S::Value>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Copy> Visitor<'de> for ListOf<S> {
    type Value = Vec<S::Value>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self.0)? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(items)
    }
}

/// A schema or reference, boxed as `properties`, `items` and `not` hold it.
#[derive(Clone, Copy)]
struct Boxed<'c>(SchemaSeed<'c>);

impl<'de> DeserializeSeed<'de> for Boxed<'_> {
    type Value = ReferenceOr<Box<Schema>>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        Ok(match self.0.deserialize(de)? {
            ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference },
            ReferenceOr::Item(schema) => ReferenceOr::Item(Box::new(schema)),
        })
    }
}

pub(super) type ResponseSeed<'c> = RefOr<'c, ResponseFields>;
pub(super) type RequestBodySeed<'c> = RefOr<'c, RequestBodyFields>;
pub(super) type ExampleSeed<'c> = RefOr<'c, ExampleFields>;
pub(super) type SchemaSeed<'c> = RefOr<'c, SchemaFields>;

fn media_types(context: &Context) -> MapOf<Plain<'_, MediaTypeFields>> {
    MapOf(Plain { context, fields: PhantomData })
}

#[derive(Default)]
pub(super) struct ResponseFields {
    response: Response,
    /// Required: a response without one is no response (the derive fails).
    description: Option<String>,
}

impl<'de> Fields<'de> for ResponseFields {
    type Item = Response;
    const NAME: &'static str = "response";

    fn read<A: MapAccess<'de>>(&mut self, key: String, map: &mut A, context: &Context) -> Result<(), A::Error> {
        let response = &mut self.response;
        match key.as_str() {
            "description" => self.description = Some(map.next_value()?),
            "headers" => response.headers = map.next_value()?,
            "content" => response.content = map.next_value_seed(media_types(context))?,
            "links" => response.links = map.next_value()?,
            _ => extension_or_skip(key, map, &mut response.extensions)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self) -> Result<Response, E> {
        let description = self.description.ok_or_else(|| refuse("a response without a description"))?;
        Ok(Response { description, ..self.response })
    }
}

#[derive(Default)]
pub(super) struct RequestBodyFields(RequestBody);

impl<'de> Fields<'de> for RequestBodyFields {
    type Item = RequestBody;
    const NAME: &'static str = "request body";

    fn read<A: MapAccess<'de>>(&mut self, key: String, map: &mut A, context: &Context) -> Result<(), A::Error> {
        let body = &mut self.0;
        match key.as_str() {
            "description" => body.description = map.next_value()?,
            "content" => body.content = map.next_value_seed(media_types(context))?,
            "required" => body.required = map.next_value()?,
            _ => extension_or_skip(key, map, &mut body.extensions)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self) -> Result<RequestBody, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
pub(super) struct MediaTypeFields(MediaType);

impl<'de> Fields<'de> for MediaTypeFields {
    type Item = MediaType;
    const NAME: &'static str = "media type";

    fn read<A: MapAccess<'de>>(&mut self, key: String, map: &mut A, context: &Context) -> Result<(), A::Error> {
        let media = &mut self.0;
        match key.as_str() {
            "schema" => media.schema = map.next_value_seed(Nullable(SchemaSeed::new(context)))?,
            "example" => media.example = map.next_value()?,
            "examples" => media.examples = map.next_value_seed(MapOf(ExampleSeed::new(context)))?,
            "encoding" => media.encoding = map.next_value()?,
            _ => extension_or_skip(key, map, &mut media.extensions)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self) -> Result<MediaType, E> {
        Ok(self.0)
    }
}

#[derive(Default)]
pub(super) struct ExampleFields(Example);

impl<'de> Fields<'de> for ExampleFields {
    type Item = Example;
    const NAME: &'static str = "example";

    fn read<A: MapAccess<'de>>(&mut self, key: String, map: &mut A, _: &Context) -> Result<(), A::Error> {
        let example = &mut self.0;
        match key.as_str() {
            "summary" => example.summary = map.next_value()?,
            "description" => example.description = map.next_value()?,
            "value" => example.value = map.next_value()?,
            "externalValue" => example.external_value = map.next_value()?,
            _ => extension_or_skip(key, map, &mut example.extensions)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self) -> Result<Example, E> {
        Ok(self.0)
    }
}

/// A schema: `SchemaData`'s fields as they are, and the keywords that decide its kind kept
/// apart until the map ends, when they are sorted as openapiv3's `SchemaKind` sorts them.
#[derive(Default)]
pub(super) struct SchemaFields {
    data: SchemaData,
    keywords: Keywords,
}

impl<'de> Fields<'de> for SchemaFields {
    type Item = Schema;
    const NAME: &'static str = "schema";

    fn read<A: MapAccess<'de>>(&mut self, key: String, map: &mut A, context: &Context) -> Result<(), A::Error> {
        let (data, keywords) = (&mut self.data, &mut self.keywords);
        let schema = SchemaSeed::new(context);
        match key.as_str() {
            "nullable" => data.nullable = map.next_value()?,
            "readOnly" => data.read_only = map.next_value()?,
            "writeOnly" => data.write_only = map.next_value()?,
            "deprecated" => data.deprecated = map.next_value()?,
            "externalDocs" => data.external_docs = map.next_value()?,
            "example" => data.example = map.next_value()?,
            "title" => data.title = map.next_value()?,
            "description" => data.description = map.next_value()?,
            "discriminator" => data.discriminator = map.next_value()?,
            "default" => data.default = map.next_value()?,
            "type" => keywords.typ = map.next_value()?,
            "pattern" => keywords.pattern = map.next_value()?,
            "multipleOf" => keywords.multiple_of = map.next_value()?,
            "exclusiveMinimum" => keywords.exclusive_minimum = map.next_value()?,
            "exclusiveMaximum" => keywords.exclusive_maximum = map.next_value()?,
            "minimum" => keywords.minimum = map.next_value()?,
            "maximum" => keywords.maximum = map.next_value()?,
            "properties" => keywords.properties = map.next_value_seed(Nullable(MapOf(Boxed(schema))))?,
            "required" => keywords.required = map.next_value()?,
            "additionalProperties" => {
                keywords.additional_properties = map.next_value_seed(Nullable(AdditionalPropertiesSeed(schema)))?;
            }
            "minProperties" => keywords.min_properties = map.next_value()?,
            "maxProperties" => keywords.max_properties = map.next_value()?,
            "items" => keywords.items = map.next_value_seed(Nullable(Boxed(schema)))?,
            "minItems" => keywords.min_items = map.next_value()?,
            "maxItems" => keywords.max_items = map.next_value()?,
            "uniqueItems" => keywords.unique_items = map.next_value()?,
            "enum" => keywords.enumeration = map.next_value()?,
            "format" => keywords.format = map.next_value()?,
            "minLength" => keywords.min_length = map.next_value()?,
            "maxLength" => keywords.max_length = map.next_value()?,
            "oneOf" => keywords.one_of = map.next_value_seed(Nullable(ListOf(schema)))?,
            "allOf" => keywords.all_of = map.next_value_seed(Nullable(ListOf(schema)))?,
            "anyOf" => keywords.any_of = map.next_value_seed(Nullable(ListOf(schema)))?,
            "not" => keywords.not = map.next_value_seed(Nullable(schema))?.map(Box::new),
            _ => extension_or_skip(key, map, &mut data.extensions)?,
        }
        Ok(())
    }

    fn finish<E: de::Error>(self) -> Result<Schema, E> {
        Ok(Schema { schema_data: self.data, schema_kind: self.keywords.into_kind()? })
    }
}

/// `additionalProperties`: `true`/`false`, or a schema (the untagged enum tries them in turn).
#[derive(Clone, Copy)]
struct AdditionalPropertiesSeed<'c>(SchemaSeed<'c>);

impl<'de> DeserializeSeed<'de> for AdditionalPropertiesSeed<'_> {
    type Value = AdditionalProperties;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Self::Value, D::Error> {
        de.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AdditionalPropertiesSeed<'_> {
    type Value = AdditionalProperties;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a boolean or a schema")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Ok(AdditionalProperties::Any(value))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map).map(|schema| AdditionalProperties::Schema(Box::new(schema)))
    }
}

/// The keywords openapiv3 reads into its private `RawAnySchema` to choose a `SchemaKind`:
/// each is `None` when absent or null.
#[derive(Default)]
struct Keywords {
    typ: Option<String>,
    pattern: Option<String>,
    multiple_of: Option<Number>,
    exclusive_minimum: Option<bool>,
    exclusive_maximum: Option<bool>,
    minimum: Option<Number>,
    maximum: Option<Number>,
    properties: Option<indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: Option<Vec<String>>,
    additional_properties: Option<AdditionalProperties>,
    min_properties: Option<usize>,
    max_properties: Option<usize>,
    items: Option<ReferenceOr<Box<Schema>>>,
    min_items: Option<usize>,
    max_items: Option<usize>,
    unique_items: Option<bool>,
    enumeration: Option<Vec<serde_json::Value>>,
    format: Option<String>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    one_of: Option<Vec<ReferenceOr<Schema>>>,
    all_of: Option<Vec<ReferenceOr<Schema>>>,
    any_of: Option<Vec<ReferenceOr<Schema>>>,
    not: Option<Box<ReferenceOr<Schema>>>,
}

// One bit for each keyword present, to say "these and no others" as openapiv3's match does.
const TYPE: u32 = 1 << 0;
const PATTERN: u32 = 1 << 1;
const MULTIPLE_OF: u32 = 1 << 2;
const EXCLUSIVE_MINIMUM: u32 = 1 << 3;
const EXCLUSIVE_MAXIMUM: u32 = 1 << 4;
const MINIMUM: u32 = 1 << 5;
const MAXIMUM: u32 = 1 << 6;
const PROPERTIES: u32 = 1 << 7;
const REQUIRED: u32 = 1 << 8;
const ADDITIONAL_PROPERTIES: u32 = 1 << 9;
const MIN_PROPERTIES: u32 = 1 << 10;
const MAX_PROPERTIES: u32 = 1 << 11;
const ITEMS: u32 = 1 << 12;
const MIN_ITEMS: u32 = 1 << 13;
const MAX_ITEMS: u32 = 1 << 14;
const UNIQUE_ITEMS: u32 = 1 << 15;
const ENUM: u32 = 1 << 16;
const FORMAT: u32 = 1 << 17;
const MIN_LENGTH: u32 = 1 << 18;
const MAX_LENGTH: u32 = 1 << 19;
const ONE_OF: u32 = 1 << 20;
const ALL_OF: u32 = 1 << 21;
const ANY_OF: u32 = 1 << 22;
const NOT: u32 = 1 << 23;

/// The keywords each typed kind allows besides `type` (the same for numbers and integers).
const STRING_KEYWORDS: u32 = TYPE | PATTERN | ENUM | FORMAT | MIN_LENGTH | MAX_LENGTH;
const NUMBER_KEYWORDS: u32 =
    TYPE | MULTIPLE_OF | EXCLUSIVE_MINIMUM | EXCLUSIVE_MAXIMUM | MINIMUM | MAXIMUM | ENUM | FORMAT;
const BOOLEAN_KEYWORDS: u32 = TYPE | ENUM;
const OBJECT_KEYWORDS: u32 = TYPE | PROPERTIES | REQUIRED | ADDITIONAL_PROPERTIES | MIN_PROPERTIES | MAX_PROPERTIES;
const ARRAY_KEYWORDS: u32 = TYPE | ITEMS | MIN_ITEMS | MAX_ITEMS | UNIQUE_ITEMS;

/// Which `SchemaKind` the keywords make, in the order openapiv3 tries them.
enum Shape {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    OneOf,
    AllOf,
    AnyOf,
    Not,
    Any,
}

impl Keywords {
    fn present(&self) -> u32 {
        [
            (self.typ.is_some(), TYPE),
            (self.pattern.is_some(), PATTERN),
            (self.multiple_of.is_some(), MULTIPLE_OF),
            (self.exclusive_minimum.is_some(), EXCLUSIVE_MINIMUM),
            (self.exclusive_maximum.is_some(), EXCLUSIVE_MAXIMUM),
            (self.minimum.is_some(), MINIMUM),
            (self.maximum.is_some(), MAXIMUM),
            (self.properties.is_some(), PROPERTIES),
            (self.required.is_some(), REQUIRED),
            (self.additional_properties.is_some(), ADDITIONAL_PROPERTIES),
            (self.min_properties.is_some(), MIN_PROPERTIES),
            (self.max_properties.is_some(), MAX_PROPERTIES),
            (self.items.is_some(), ITEMS),
            (self.min_items.is_some(), MIN_ITEMS),
            (self.max_items.is_some(), MAX_ITEMS),
            (self.unique_items.is_some(), UNIQUE_ITEMS),
            (self.enumeration.is_some(), ENUM),
            (self.format.is_some(), FORMAT),
            (self.min_length.is_some(), MIN_LENGTH),
            (self.max_length.is_some(), MAX_LENGTH),
            (self.one_of.is_some(), ONE_OF),
            (self.all_of.is_some(), ALL_OF),
            (self.any_of.is_some(), ANY_OF),
            (self.not.is_some(), NOT),
        ]
        .into_iter()
        .filter(|(present, _)| *present)
        .fold(0, |bits, (_, bit)| bits | bit)
    }

    /// openapiv3's choice: a typed kind when `type` names one and only its keywords are
    /// there (and an `enum` holds only its values or nulls), one of the combinators when it
    /// is alone, else any.
    fn shape(&self) -> Shape {
        let present = self.present();
        let only = |allowed: u32| present & !allowed == 0;
        let enum_of = |is: fn(&serde_json::Value) -> bool| {
            self.enumeration.as_ref().is_none_or(|values| values.iter().all(|value| value.is_null() || is(value)))
        };
        let integral = [&self.multiple_of, &self.minimum, &self.maximum]
            .into_iter()
            .all(|number| number.as_ref().is_none_or(Number::is_i64));
        match self.typ.as_deref() {
            Some("string") if only(STRING_KEYWORDS) && enum_of(serde_json::Value::is_string) => Shape::String,
            Some("number") if only(NUMBER_KEYWORDS) && enum_of(serde_json::Value::is_number) => Shape::Number,
            Some("integer") if only(NUMBER_KEYWORDS) && enum_of(serde_json::Value::is_i64) && integral => {
                Shape::Integer
            }
            Some("boolean") if only(BOOLEAN_KEYWORDS) && enum_of(serde_json::Value::is_boolean) => Shape::Boolean,
            Some("object") if only(OBJECT_KEYWORDS) => Shape::Object,
            Some("array") if only(ARRAY_KEYWORDS) => Shape::Array,
            _ if present == ONE_OF => Shape::OneOf,
            _ if present == ALL_OF => Shape::AllOf,
            _ if present == ANY_OF => Shape::AnyOf,
            _ if present == NOT => Shape::Not,
            _ => Shape::Any,
        }
    }

    fn into_kind<E: de::Error>(self) -> Result<SchemaKind, E> {
        Ok(match self.shape() {
            Shape::String => SchemaKind::Type(Type::String(StringType {
                format: self.format.into(),
                pattern: self.pattern,
                enumeration: enumeration(self.enumeration, |value| value.as_str().map(String::from))?,
                min_length: self.min_length,
                max_length: self.max_length,
            })),
            Shape::Number => SchemaKind::Type(Type::Number(NumberType {
                format: self.format.into(),
                multiple_of: float(self.multiple_of)?,
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: float(self.minimum)?,
                maximum: float(self.maximum)?,
                enumeration: enumeration(self.enumeration, serde_json::Value::as_f64)?,
            })),
            Shape::Integer => SchemaKind::Type(Type::Integer(IntegerType {
                format: self.format.into(),
                multiple_of: integer(self.multiple_of)?,
                exclusive_minimum: self.exclusive_minimum.unwrap_or_default(),
                exclusive_maximum: self.exclusive_maximum.unwrap_or_default(),
                minimum: integer(self.minimum)?,
                maximum: integer(self.maximum)?,
                enumeration: enumeration(self.enumeration, serde_json::Value::as_i64)?,
            })),
            Shape::Boolean => SchemaKind::Type(Type::Boolean(BooleanType {
                enumeration: enumeration(self.enumeration, serde_json::Value::as_bool)?,
            })),
            Shape::Object => SchemaKind::Type(Type::Object(ObjectType {
                properties: self.properties.unwrap_or_default(),
                required: self.required.unwrap_or_default(),
                additional_properties: self.additional_properties,
                min_properties: self.min_properties,
                max_properties: self.max_properties,
            })),
            Shape::Array => SchemaKind::Type(Type::Array(ArrayType {
                items: self.items,
                min_items: self.min_items,
                max_items: self.max_items,
                unique_items: self.unique_items.unwrap_or_default(),
            })),
            Shape::OneOf => SchemaKind::OneOf { one_of: self.one_of.unwrap_or_default() },
            Shape::AllOf => SchemaKind::AllOf { all_of: self.all_of.unwrap_or_default() },
            Shape::AnyOf => SchemaKind::AnyOf { any_of: self.any_of.unwrap_or_default() },
            Shape::Not => SchemaKind::Not { not: self.not.ok_or_else(|| refuse("no `not`"))? },
            Shape::Any => SchemaKind::Any(AnySchema {
                typ: self.typ,
                pattern: self.pattern,
                multiple_of: float(self.multiple_of)?,
                exclusive_minimum: self.exclusive_minimum,
                exclusive_maximum: self.exclusive_maximum,
                minimum: float(self.minimum)?,
                maximum: float(self.maximum)?,
                properties: self.properties.unwrap_or_default(),
                required: self.required.unwrap_or_default(),
                additional_properties: self.additional_properties,
                min_properties: self.min_properties,
                max_properties: self.max_properties,
                items: self.items,
                min_items: self.min_items,
                max_items: self.max_items,
                unique_items: self.unique_items,
                enumeration: self.enumeration.unwrap_or_default(),
                format: self.format,
                min_length: self.min_length,
                max_length: self.max_length,
                one_of: self.one_of.unwrap_or_default(),
                all_of: self.all_of.unwrap_or_default(),
                any_of: self.any_of.unwrap_or_default(),
                not: self.not,
            }),
        })
    }
}

// openapiv3 unwraps these conversions after checking they hold; here a failure gives up.

fn float<E: de::Error>(number: Option<Number>) -> Result<Option<f64>, E> {
    number.map(|number| number.as_f64().ok_or_else(|| refuse("a number"))).transpose()
}

fn integer<E: de::Error>(number: Option<Number>) -> Result<Option<i64>, E> {
    number.map(|number| number.as_i64().ok_or_else(|| refuse("an integer"))).transpose()
}

/// An `enum` of a typed kind: each value converted, a null kept as `None`.
fn enumeration<T, E: de::Error>(
    values: Option<Vec<serde_json::Value>>,
    convert: impl Fn(&serde_json::Value) -> Option<T>,
) -> Result<Vec<Option<T>>, E> {
    values
        .unwrap_or_default()
        .iter()
        .map(|value| match value {
            serde_json::Value::Null => Ok(None),
            value => convert(value).map(Some).ok_or_else(|| refuse("an enum value")),
        })
        .collect()
}
