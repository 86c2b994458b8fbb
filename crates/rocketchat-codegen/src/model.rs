//! Stage 2: `openapiv3::OpenAPI` to a plain model of operations and types.
//!
//! Every `$ref` is resolved here and every Rust name is decided here, once; constructs the
//! emitter cannot express are rejected with the JSON pointer of the node. Nothing after this
//! module sees `openapiv3`.

use crate::error::{Error, Location, Pointer};
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, ArrayType, IntegerFormat, MediaType, ObjectType, OpenAPI, Operation as SpecOperation,
    ReferenceOr, RequestBody as SpecRequestBody, Response, Schema, SchemaKind, StatusCode, StringType, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// The whole API as the emitter needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// In the order of the spec's `paths`, then of the methods within a path.
    pub operations: Vec<Operation>,
    /// Sorted by name, so the output does not depend on the order types were reached in.
    pub types: Vec<TypeDef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`, or one derived from the method and path.
    pub id: String,
    /// The client method, snake_case.
    pub method_name: String,
    /// The marker type in the `operations` module, UpperCamelCase.
    pub marker_name: String,
    /// Upper case, as HTTP writes it.
    pub http_method: String,
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// From the `x-permissions` extension; `Some(vec![])` says none are needed.
    pub permissions: Option<Vec<String>>,
    /// From the `x-added-in` extension: the server version that added the endpoint.
    pub added_in: Option<String>,
    pub body: Option<RequestBody>,
    pub output: Output,
    /// Every documented response, success and failure, for the method's docs.
    pub responses: Vec<ResponseDoc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub description: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A JSON body decoded into this type.
    Json(TypeRef),
    /// No body, or one the spec does not describe: the call returns `()`.
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDoc {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub is_success: bool,
    pub description: String,
}

/// A Rust type as a field, argument or return value uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    Bool,
    I32,
    I64,
    F64,
    String,
    /// Any JSON value.
    Json,
    /// A JSON object with any values.
    JsonObject,
    /// A JSON object whose values all have this type.
    Map(Box<TypeRef>),
    Vec(Box<TypeRef>),
    /// A type of the generated `types` module.
    Named(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named fields. `additional` keeps the keys the spec does not name.
    Struct { fields: Vec<Field>, additional: Option<TypeRef> },
    /// A `oneOf` of objects with one key each: exactly one of the keys is sent.
    OneKeyOf { variants: Vec<KeyVariant> },
    /// A string `enum`; the emitted enum keeps unknown values.
    StringEnum { variants: Vec<EnumVariant> },
    /// A named schema that is not an object, such as an array: a type alias.
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub name: String,
    /// The JSON key; `None` for a flattened field, whose own keys appear inline.
    pub wire: Option<String>,
    pub ty: TypeRef,
    /// Absent (or null) is allowed: an `Option`, left out of the JSON when `None`.
    pub optional: bool,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct KeyVariant {
    pub name: String,
    pub wire: String,
    pub ty: TypeRef,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
}

/// Names the client itself uses, which no operation method may take.
const CLIENT_METHODS: &[&str] = &["new", "from_env", "from_transport", "transport", "with_two_factor"];

/// Names the generated `types` module uses unqualified.
const PRELUDE_TYPES: &[&str] = &["String", "Vec", "Option", "Result", "Box", "Some", "None", "Ok", "Err"];

/// The name of the catch-all variant of string enums.
pub const UNKNOWN_VARIANT: &str = "Unknown";

pub fn build(spec: &OpenAPI, file: &str) -> Result<Api, Error> {
    let mut builder = Builder::new(spec, file);
    let operations = builder.operations()?;
    builder.remaining_components()?;
    Ok(Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        operations,
        types: builder.types.into_values().collect(),
    })
}

struct Builder<'a> {
    spec: &'a OpenAPI,
    file: &'a str,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Component key -> Rust name, decided up front so inline names never take them.
    component_names: BTreeMap<String, String>,
    /// Components generated or being generated (a recursive schema meets itself here).
    started: BTreeSet<String>,
}

impl<'a> Builder<'a> {
    fn new(spec: &'a OpenAPI, file: &'a str) -> Self {
        let mut type_names = Scope::default();
        // The generated code names these unqualified; a type called `String` would shadow them.
        PRELUDE_TYPES.iter().for_each(|name| type_names.reserve(name));
        let mut component_names = BTreeMap::new();
        if let Some(components) = &spec.components {
            for key in components.schemas.keys() {
                component_names.insert(key.clone(), type_names.unique(naming::camel(key)));
            }
        }
        Self { spec, file, types: BTreeMap::new(), type_names, component_names, started: BTreeSet::new() }
    }

    fn location(&self, pointer: &Pointer) -> Location {
        Location { file: self.file.to_owned(), pointer: pointer.as_str().to_owned(), line: None }
    }

    fn unsupported(&self, pointer: &Pointer, construct: &str, hint: &str) -> Error {
        Error::Unsupported { location: self.location(pointer), construct: construct.into(), hint: hint.into() }
    }

    fn operations(&mut self) -> Result<Vec<Operation>, Error> {
        let mut method_names = Scope::default();
        CLIENT_METHODS.iter().for_each(|name| method_names.reserve(name));
        let mut marker_names = Scope::default();
        let mut operations = Vec::new();
        let paths = Pointer::root().join("paths");
        for (path, item) in &self.spec.paths.paths {
            let pointer = paths.join(path);
            let ReferenceOr::Item(item) = item else {
                return Err(self.unsupported(&pointer, "a `$ref` path item", "write the path item inline"));
            };
            for (method, operation) in item.iter() {
                let pointer = pointer.join(method);
                let id = operation.operation_id.clone().unwrap_or_else(|| format!("{method} {path}"));
                let method_name = method_names.unique(naming::snake(&id));
                let marker_name = marker_names.unique(naming::camel(&id));
                operations.push(self.operation(operation, &pointer, id, method_name, marker_name, method, path)?);
            }
        }
        Ok(operations)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        operation: &SpecOperation,
        pointer: &Pointer,
        id: String,
        method_name: String,
        marker_name: String,
        http_method: &str,
        path: &str,
    ) -> Result<Operation, Error> {
        if let Some((index, _)) = operation.parameters.iter().enumerate().next() {
            return Err(self.unsupported(
                &pointer.join("parameters").join(index),
                "operation parameters",
                "this version sends credentials from the client and takes everything else in the JSON body",
            ));
        }
        let body = match &operation.request_body {
            Some(body) => Some(self.request_body(body, &pointer.join("requestBody"), &marker_name)?),
            None => None,
        };
        let (output, responses) = self.responses(operation, &pointer.join("responses"), &marker_name)?;
        Ok(Operation {
            id,
            method_name,
            marker_name,
            http_method: http_method.to_ascii_uppercase(),
            path: path.to_owned(),
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            permissions: self.string_list_extension(operation, "x-permissions", pointer)?,
            added_in: match operation.extensions.get("x-added-in") {
                None => None,
                Some(serde_json::Value::String(version)) => Some(version.clone()),
                Some(_) => return Err(self.invalid(&pointer.join("x-added-in"), "`x-added-in` must be a string")),
            },
            body,
            output,
            responses,
        })
    }

    fn invalid(&self, pointer: &Pointer, message: &str) -> Error {
        Error::Invalid { location: self.location(pointer), message: message.into() }
    }

    fn string_list_extension(
        &self,
        operation: &SpecOperation,
        key: &str,
        pointer: &Pointer,
    ) -> Result<Option<Vec<String>>, Error> {
        let Some(value) = operation.extensions.get(key) else { return Ok(None) };
        let list = value.as_array().filter(|items| items.iter().all(serde_json::Value::is_string));
        let list =
            list.ok_or_else(|| self.invalid(&pointer.join(key), &format!("`{key}` must be a list of strings")))?;
        Ok(Some(list.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect()))
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<SpecRequestBody>,
        pointer: &Pointer,
        marker_name: &str,
    ) -> Result<RequestBody, Error> {
        let (body, pointer) = self.resolve(body, pointer, "requestBodies", |c| &c.request_bodies)?;
        let (media_pointer, media) = self.json_media(&body.content, &pointer.join("content"))?;
        let schema =
            media.schema.as_ref().ok_or_else(|| self.invalid(&media_pointer, "the request body has no `schema`"))?;
        let ty = self.type_of(schema, &format!("{marker_name}Request"), &media_pointer.join("schema"))?;
        Ok(RequestBody { ty, description: body.description.clone() })
    }

    /// The one JSON media type of a body; other media types are not supported yet.
    fn json_media<'m>(
        &self,
        content: &'m openapiv3::Content,
        pointer: &Pointer,
    ) -> Result<(Pointer, &'m MediaType), Error> {
        let mut json = content.iter().filter(|(media_type, _)| is_json(media_type));
        match (json.next(), content.len()) {
            (Some((media_type, media)), 1) => Ok((pointer.join(media_type), media)),
            _ => Err(self.unsupported(
                pointer,
                "a body that is not exactly one JSON media type",
                "describe the body as `application/json` only",
            )),
        }
    }

    fn responses(
        &mut self,
        operation: &SpecOperation,
        pointer: &Pointer,
        marker_name: &str,
    ) -> Result<(Output, Vec<ResponseDoc>), Error> {
        let mut output = None;
        let mut docs = Vec::new();
        let statuses =
            operation.responses.responses.iter().map(|(status, response)| (status.to_string(), Some(status), response));
        let default = operation.responses.default.iter().map(|response| ("default".to_owned(), None, response));
        for (status, code, response) in statuses.chain(default) {
            let (response, response_pointer) =
                self.resolve(response, &pointer.join(&status), "responses", |c| &c.responses)?;
            let is_success = code.is_some_and(is_success);
            docs.push(ResponseDoc { status: status.clone(), is_success, description: response.description.clone() });
            if !is_success {
                continue;
            }
            let this = self.success_output(&response, &response_pointer, marker_name)?;
            match &output {
                Some(first) if *first != this => {
                    return Err(self.unsupported(
                        &response_pointer,
                        "several success responses with different bodies",
                        "describe one success response",
                    ));
                }
                _ => output = Some(this),
            }
        }
        Ok((output.unwrap_or(Output::Empty), docs))
    }

    fn success_output(&mut self, response: &Response, pointer: &Pointer, marker_name: &str) -> Result<Output, Error> {
        if response.content.is_empty() {
            return Ok(Output::Empty);
        }
        let (media_pointer, media) = self.json_media(&response.content, &pointer.join("content"))?;
        match &media.schema {
            Some(schema) => Ok(Output::Json(self.type_of(
                schema,
                &format!("{marker_name}Response"),
                &media_pointer.join("schema"),
            )?)),
            None => Ok(Output::Json(TypeRef::Json)),
        }
    }

    /// Follows a `$ref` into `components.<section>`; an inline item is returned as it is.
    fn resolve<T: Clone>(
        &self,
        item: &ReferenceOr<T>,
        pointer: &Pointer,
        section: &str,
        pick: impl Fn(&openapiv3::Components) -> &indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(T, Pointer), Error> {
        let mut item = item.clone();
        let mut pointer = pointer.clone();
        let mut seen = BTreeSet::new();
        loop {
            let reference = match item {
                ReferenceOr::Item(item) => return Ok((item, pointer)),
                ReferenceOr::Reference { reference } => reference,
            };
            let name = self.component_key(&reference, section, &pointer)?;
            if !seen.insert(name.to_owned()) {
                return Err(self.reference_error(&pointer, &reference, "it refers back to itself"));
            }
            let target = self.spec.components.as_ref().and_then(|components| pick(components).get(name));
            let target = target.ok_or_else(|| self.reference_error(&pointer, &reference, "no such component"))?;
            pointer = Pointer::root().join("components").join(section).join(name);
            item = target.clone();
        }
    }

    fn component_key<'r>(&self, reference: &'r str, section: &str, pointer: &Pointer) -> Result<&'r str, Error> {
        let prefix = format!("#/components/{section}/");
        reference.strip_prefix(&prefix).filter(|name| !name.contains('/')).ok_or_else(|| {
            self.reference_error(
                pointer,
                reference,
                &format!("only local references of the form `{prefix}NAME` are supported here"),
            )
        })
    }

    fn reference_error(&self, pointer: &Pointer, reference: &str, reason: &str) -> Error {
        Error::Reference { location: self.location(pointer), reference: reference.into(), reason: reason.into() }
    }

    /// Generates the component schemas no operation reached, except those only error responses
    /// use: the runtime decodes every failure into its own `Error`, so a type for them is noise.
    fn remaining_components(&mut self) -> Result<(), Error> {
        let error_only = self.error_response_components();
        let keys: Vec<String> = self.component_names.keys().cloned().collect();
        for key in keys {
            if !self.started.contains(&key) && !error_only.contains(&key) {
                self.component(&key, &Pointer::root())?;
            }
        }
        Ok(())
    }

    fn error_response_components(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for (_, item) in &self.spec.paths.paths {
            let ReferenceOr::Item(item) = item else { continue };
            for (_, operation) in item.iter() {
                let failures =
                    operation.responses.responses.iter().filter(|(code, _)| !is_success(code)).map(|(_, r)| r);
                for response in failures.chain(operation.responses.default.iter()) {
                    let Ok((response, _)) = self.resolve(response, &Pointer::root(), "responses", |c| &c.responses)
                    else {
                        continue;
                    };
                    for media in response.content.values() {
                        if let Some(ReferenceOr::Reference { reference }) = &media.schema {
                            if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                                names.insert(name.to_owned());
                            }
                        }
                    }
                }
            }
        }
        names
    }

    /// The type of a component schema, generating it the first time it is asked for.
    fn component(&mut self, key: &str, from: &Pointer) -> Result<TypeRef, Error> {
        let reference = format!("#/components/schemas/{key}");
        let Some(name) = self.component_names.get(key).cloned() else {
            return Err(self.reference_error(from, &reference, "no such schema in `components.schemas`"));
        };
        if !self.started.insert(key.to_owned()) {
            return Ok(TypeRef::Named(name));
        }
        let pointer = Pointer::root().join("components").join("schemas").join(key);
        let schema = self.spec.components.as_ref().and_then(|components| components.schemas.get(key)).cloned();
        let schema = match schema {
            Some(ReferenceOr::Item(schema)) => schema,
            Some(ReferenceOr::Reference { reference }) => {
                // A component that is only another name for a component: an alias.
                let target = self.schema_reference(&reference, &pointer)?;
                self.insert_type(TypeDef { name: name.clone(), doc: None, kind: TypeKind::Alias(target) });
                return Ok(TypeRef::Named(name));
            }
            None => return Err(self.reference_error(from, &reference, "no such schema in `components.schemas`")),
        };
        let ty = self.named_type_of(&schema, &name, &pointer)?;
        if ty != TypeRef::Named(name.clone()) {
            let doc = schema.schema_data.description.clone();
            self.insert_type(TypeDef { name: name.clone(), doc, kind: TypeKind::Alias(ty) });
        }
        Ok(TypeRef::Named(name))
    }

    fn schema_reference(&mut self, reference: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        let key = self.component_key(reference, "schemas", pointer)?;
        self.component(key, pointer)
    }

    /// The description of the schema a `$ref` names, to document a field that has none.
    fn referenced_description(&self, reference: &str) -> Option<String> {
        let key = reference.strip_prefix("#/components/schemas/")?;
        match self.spec.components.as_ref()?.schemas.get(key)? {
            ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
            ReferenceOr::Reference { .. } => None,
        }
    }

    fn insert_type(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }

    /// The type of a schema met inline; objects and enums get a type named from `hint`.
    fn type_of(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_reference(reference, pointer),
            ReferenceOr::Item(schema) => {
                let name = self.type_names.unique(naming::camel(hint));
                self.named_type_of(schema, &name, pointer)
            }
        }
    }

    fn boxed_type_of(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_reference(reference, pointer),
            ReferenceOr::Item(schema) => self.type_of(&ReferenceOr::Item(schema.as_ref().clone()), hint, pointer),
        }
    }

    /// The type of `schema`; if it needs a definition of its own, that definition is `name`.
    fn named_type_of(&mut self, schema: &Schema, name: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        let doc = schema.schema_data.description.clone();
        match &schema.schema_kind {
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Integer(integer)) => Ok(match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::F64),
            SchemaKind::Type(Type::String(string)) => self.string_type(string, name, doc, pointer),
            SchemaKind::Type(Type::Array(array)) => self.array_type(array, name, pointer),
            SchemaKind::Type(Type::Object(object)) => self.object_type(object, name, doc, pointer),
            SchemaKind::OneOf { one_of } => self.one_of_type(one_of, name, doc, pointer),
            SchemaKind::AllOf { all_of } => self.all_of_type(all_of, name, doc, pointer),
            SchemaKind::AnyOf { .. } => {
                Err(self.unsupported(pointer, "`anyOf`", "use `oneOf` of objects with one key each, or `allOf`"))
            }
            SchemaKind::Not { .. } => Err(self.unsupported(pointer, "`not`", "describe the allowed shape instead")),
            SchemaKind::Any(any) if any.properties.is_empty() && any.typ.is_none() => Ok(TypeRef::Json),
            SchemaKind::Any(_) => Err(self.unsupported(
                pointer,
                "a schema that mixes keywords of several types",
                "give the schema a `type` and only that type's keywords",
            )),
        }
    }

    fn string_type(
        &mut self,
        string: &StringType,
        name: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        if string.enumeration.is_empty() {
            return Ok(TypeRef::String);
        }
        let mut names = Scope::default();
        names.reserve(UNKNOWN_VARIANT);
        let mut wires = BTreeSet::new();
        let mut variants = Vec::new();
        for (index, value) in string.enumeration.iter().enumerate() {
            let Some(wire) = value else {
                return Err(self.unsupported(
                    &pointer.join("enum").join(index),
                    "`null` in a string enum",
                    "mark the schema `nullable: true` instead",
                ));
            };
            if wires.insert(wire.clone()) {
                variants.push(EnumVariant { name: names.unique(naming::camel(wire)), wire: wire.clone() });
            }
        }
        self.insert_type(TypeDef { name: name.to_owned(), doc, kind: TypeKind::StringEnum { variants } });
        Ok(TypeRef::Named(name.to_owned()))
    }

    fn array_type(&mut self, array: &ArrayType, name: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        let item = match &array.items {
            Some(items) => self.boxed_type_of(items, &format!("{name}Item"), &pointer.join("items"))?,
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    fn object_type(
        &mut self,
        object: &ObjectType,
        name: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let additional = self.additional_properties(object, name, pointer)?;
        if object.properties.is_empty() {
            return Ok(match additional {
                Some(TypeRef::Json) | None => TypeRef::JsonObject,
                Some(values) => TypeRef::Map(Box::new(values)),
            });
        }
        let mut fields = Vec::new();
        let mut names = Scope::default();
        if additional.is_some() {
            names.reserve("additional_properties");
        }
        self.object_fields(object, name, pointer, &mut names, &mut fields)?;
        let additional = additional.map(|values| match values {
            TypeRef::Json => TypeRef::JsonObject,
            values => TypeRef::Map(Box::new(values)),
        });
        self.insert_type(TypeDef { name: name.to_owned(), doc, kind: TypeKind::Struct { fields, additional } });
        Ok(TypeRef::Named(name.to_owned()))
    }

    /// The value type of keys beyond `properties`, or `None` when the object is closed.
    /// An unset `additionalProperties` counts as closed for objects with properties: the
    /// emitted struct still ignores unknown keys when decoding.
    fn additional_properties(
        &mut self,
        object: &ObjectType,
        name: &str,
        pointer: &Pointer,
    ) -> Result<Option<TypeRef>, Error> {
        Ok(match &object.additional_properties {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => {
                Some(self.type_of(schema, &format!("{name}Value"), &pointer.join("additionalProperties"))?)
            }
        })
    }

    fn object_fields(
        &mut self,
        object: &ObjectType,
        name: &str,
        pointer: &Pointer,
        names: &mut Scope,
        fields: &mut Vec<Field>,
    ) -> Result<(), Error> {
        for (wire, property) in &object.properties {
            let property_pointer = pointer.join("properties").join(wire);
            let ty = self.boxed_type_of(property, &format!("{name}{}", naming::camel(wire)), &property_pointer)?;
            let (doc, nullable) = match property {
                ReferenceOr::Item(schema) => (schema.schema_data.description.clone(), schema.schema_data.nullable),
                ReferenceOr::Reference { reference } => (self.referenced_description(reference), false),
            };
            let optional = nullable || !object.required.contains(wire);
            fields.push(Field { name: names.unique(naming::snake(wire)), wire: Some(wire.clone()), ty, optional, doc });
        }
        Ok(())
    }

    fn one_of_type(
        &mut self,
        one_of: &[ReferenceOr<Schema>],
        name: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let mut variants = Vec::new();
        let mut names = Scope::default();
        let mut wires = BTreeSet::new();
        let type_prefix = naming::snake(name);
        for (index, alternative) in one_of.iter().enumerate() {
            let alternative_pointer = pointer.join("oneOf").join(index);
            let single_key = match alternative {
                ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(object)), .. })
                    if object.properties.len() == 1 && object.required.len() == 1 =>
                {
                    object.properties.first().filter(|(key, _)| object.required.contains(key))
                }
                _ => None,
            };
            let Some((wire, property)) = single_key else {
                return Err(self.unsupported(
                    &alternative_pointer,
                    "a `oneOf` alternative that is not an inline object with exactly one required property",
                    "write each alternative as `{type: object, required: [key], properties: {key: ...}}`",
                ));
            };
            if !wires.insert(wire.clone()) {
                return Err(
                    self.invalid(&alternative_pointer, &format!("two `oneOf` alternatives have the key `{wire}`"))
                );
            }
            let property_pointer = alternative_pointer.join("properties").join(wire);
            let ty = self.boxed_type_of(property, &format!("{name}{}", naming::camel(wire)), &property_pointer)?;
            let doc = match property {
                ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            variants.push(KeyVariant {
                name: names.unique(variant_name(&type_prefix, wire)),
                wire: wire.clone(),
                ty,
                doc,
            });
        }
        self.insert_type(TypeDef { name: name.to_owned(), doc, kind: TypeKind::OneKeyOf { variants } });
        Ok(TypeRef::Named(name.to_owned()))
    }

    /// An `allOf` becomes one struct: inline objects give their fields, referenced schemas
    /// become flattened fields named after the schema.
    fn all_of_type(
        &mut self,
        all_of: &[ReferenceOr<Schema>],
        name: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let mut fields = Vec::new();
        let mut names = Scope::default();
        for (index, part) in all_of.iter().enumerate() {
            let part_pointer = pointer.join("allOf").join(index);
            match part {
                ReferenceOr::Reference { reference } => {
                    let ty = self.schema_reference(reference, &part_pointer)?;
                    let part_name = match &ty {
                        TypeRef::Named(part_name) => naming::snake(part_name),
                        _ => "part".to_owned(),
                    };
                    let field_name = names.unique(part_name);
                    let doc = self.referenced_description(reference);
                    fields.push(Field { name: field_name, wire: None, ty, optional: false, doc });
                }
                ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(object)), .. }) => {
                    if self.additional_properties(object, name, &part_pointer)?.is_some() {
                        return Err(self.unsupported(
                            &part_pointer,
                            "`additionalProperties` inside `allOf`",
                            "put it on a component of its own",
                        ));
                    }
                    self.object_fields(object, name, &part_pointer, &mut names, &mut fields)?;
                }
                ReferenceOr::Item(_) => {
                    return Err(self.unsupported(
                        &part_pointer,
                        "an `allOf` part that is neither a `$ref` nor an inline object",
                        "move the part into a component",
                    ));
                }
            }
        }
        self.insert_type(TypeDef { name: name.to_owned(), doc, kind: TypeKind::Struct { fields, additional: None } });
        Ok(TypeRef::Named(name.to_owned()))
    }
}

/// `roomId` in a type `Room` is the variant `Id`: the type already says "room". A key that
/// is one word (`username`) keeps it.
fn variant_name(type_prefix: &str, wire: &str) -> String {
    let snake = naming::snake(wire);
    match snake.strip_prefix(type_prefix).and_then(|rest| rest.strip_prefix('_')) {
        Some(rest) if !rest.is_empty() => naming::camel(rest),
        _ => naming::camel(wire),
    }
}

fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}
