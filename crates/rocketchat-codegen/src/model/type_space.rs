//! The type space: schemas to types. Operations ask it for the type of each schema they
//! meet; it names, defines and numbers the types, and generates the components they refer to.

use super::{
    EnumVariant, Field, IntegerVariant, Origin, Spec, TypeDef, TypeId, TypeKind, TypeRef, UNKNOWN_VARIANT, Variant,
    Warnings, rules,
};
use crate::error::{Error, Pointer};
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, IntegerFormat, IntegerType, ObjectType, Paths, ReferenceOr, Response,
    Schema, SchemaData, SchemaKind, StringFormat, StringType, Type, VariantOrUnknownOrEmpty,
};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

pub(super) struct TypeSpace<'a> {
    spec: &'a Spec<'a>,
    /// Indexed by [`TypeId`]. A component's entry is made when it is first referred to, its
    /// definition when it is generated.
    entries: Vec<Entry>,
    names: Scope,
    /// Component key -> Rust name, decided up front so inline names never take them. Only
    /// the components that will be generated are named.
    component_names: BTreeMap<String, String>,
    component_ids: BTreeMap<String, TypeId>,
    /// Components referred to but not generated yet: a `$ref` only queues, so no chain of
    /// references can deepen the stack.
    queue: Vec<(String, TypeId)>,
    /// The `errorType` schema of each failure body and where it is, read before the paths
    /// are let go; an error in finding them is reported once the operations are lowered.
    error_types: Result<Vec<(Schema, Pointer)>, Error>,
    pub(super) warnings: Warnings,
}

struct Entry {
    name: String,
    origin: Origin,
    definition: Option<(Option<String>, TypeKind)>,
}

/// What a schema's type, if it needs a definition, is defined as.
#[derive(Debug, Clone)]
pub(super) enum Target {
    /// The component of this id, named up front.
    Component(TypeId),
    /// A type of its own, named this (or with a number after, if the name is taken) when it
    /// is defined.
    Inline(String),
}

/// The name of the generated enum of error codes.
pub const ERROR_TYPE: &str = "ErrorType";

/// Names the generated `types` module uses unqualified: a type called `String` would shadow
/// them.
const PRELUDE_TYPES: &[&str] = &["String", "Vec", "Option", "Result", "Box", "Some", "None", "Ok", "Err"];

impl<'a> TypeSpace<'a> {
    pub(super) fn new(spec: &'a Spec<'a>, paths: &Paths) -> Self {
        let mut names = Scope::default();
        PRELUDE_TYPES.iter().chain([&ERROR_TYPE]).for_each(|name| names.reserve(name));
        let error_only = error_response_components(spec, paths);
        let mut component_names = BTreeMap::new();
        if let Some(components) = &spec.openapi.components {
            for key in components.schemas.keys().filter(|key| !error_only.contains(*key)) {
                component_names.insert(key.clone(), names.unique(naming::camel(key)));
            }
        }
        let mut space = Self {
            spec,
            entries: Vec::new(),
            names,
            component_names,
            component_ids: BTreeMap::new(),
            queue: Vec::new(),
            error_types: Ok(Vec::new()),
            warnings: Warnings::default(),
        };
        space.error_types = space.failure_error_types(paths);
        space
    }

    pub(super) fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(self.spec.location(pointer), message.into());
    }

    /// The Rust name of a type, defined or still queued.
    pub(super) fn name(&self, id: TypeId) -> &str {
        &self.entries[id.0].name
    }

    /// The kind of a type; `None` while it is a queued component.
    fn kind(&self, id: TypeId) -> Option<&TypeKind> {
        self.entries[id.0].definition.as_ref().map(|(_, kind)| kind)
    }

    /// Defines a type and returns its id.
    fn define(&mut self, target: &Target, pointer: &Pointer, doc: Option<String>, kind: TypeKind) -> TypeId {
        let id = match target {
            Target::Component(id) => *id,
            Target::Inline(name) => {
                let name = self.names.unique(name.clone());
                let origin = Origin { pointer: pointer.as_str().to_owned(), component: None };
                self.entries.push(Entry { name, origin, definition: None });
                TypeId(self.entries.len() - 1)
            }
        };
        self.entries[id.0].definition = Some((doc, kind));
        id
    }

    /// A type made for an operation (its parameters, its outputs by status), named `name`.
    pub(super) fn define_inline(&mut self, name: String, pointer: &Pointer, doc: String, kind: TypeKind) -> TypeId {
        self.define(&Target::Inline(name), pointer, Some(doc), kind)
    }

    fn target_name<'t>(&'t self, target: &'t Target) -> &'t str {
        match target {
            Target::Component(id) => self.name(*id),
            Target::Inline(name) => name,
        }
    }

    /// Generates the component schemas no operation reached (but those only error responses
    /// use), then every one still queued, and hands over the types in id order.
    pub(super) fn finish(mut self) -> Result<(Vec<TypeDef>, Vec<super::Warning>), Error> {
        let keys: Vec<String> = self.component_names.keys().cloned().collect();
        for key in keys {
            self.component(&key, &Pointer::root())?;
        }
        self.drain_queue()?;
        let types = self.entries.into_iter().map(|entry| {
            // Every queued component was generated above, or an error returned.
            let (doc, kind) = entry.definition.unwrap_or((None, TypeKind::Alias(TypeRef::Json)));
            TypeDef {
                name: entry.name,
                origin: entry.origin,
                doc,
                kind,
                directions: Default::default(),
                validated: false,
            }
        });
        Ok((types.collect(), self.warnings.finish(self.spec)))
    }

    /// Generates queued components until none is left.
    pub(super) fn drain_queue(&mut self) -> Result<(), Error> {
        while let Some((key, id)) = self.queue.pop() {
            self.generate_component(&key, id)?;
        }
        Ok(())
    }

    /// The type of a component schema; the first time, it is queued for generation.
    fn component(&mut self, key: &str, from: &Pointer) -> Result<TypeRef, Error> {
        if let Some(id) = self.component_ids.get(key) {
            return Ok(TypeRef::Named(*id));
        }
        if self.spec.schema(key).is_none() {
            let reference = format!("#/components/schemas/{key}");
            let keys = self.spec.openapi.components.iter().flat_map(|components| components.schemas.keys());
            let missing = format!(
                "no such schema; define `{key}` under `components.schemas` or fix the name{}",
                super::did_you_mean(key, keys)
            );
            return Err(self.spec.reference_error(from, &reference, &missing));
        }
        // A component only error responses use is named when something else needs it.
        let name = match self.component_names.get(key) {
            Some(name) => name.clone(),
            None => self.names.unique(naming::camel(key)),
        };
        let pointer = Pointer::root().join("components").join("schemas").join(key);
        let origin = Origin { pointer: pointer.as_str().to_owned(), component: Some(key.to_owned()) };
        self.entries.push(Entry { name, origin, definition: None });
        let id = TypeId(self.entries.len() - 1);
        self.component_ids.insert(key.to_owned(), id);
        self.queue.push((key.to_owned(), id));
        Ok(TypeRef::Named(id))
    }

    fn generate_component(&mut self, key: &str, id: TypeId) -> Result<(), Error> {
        let pointer = Pointer::root().join("components").join("schemas").join(key);
        let schema = match self.spec.schema(key) {
            Some(ReferenceOr::Item(schema)) => schema,
            Some(ReferenceOr::Reference { reference }) => {
                // A component that is only another name for a component: an alias.
                let target = self.schema_reference(reference, &pointer)?;
                self.define(&Target::Component(id), &pointer, None, TypeKind::Alias(target));
                return Ok(());
            }
            None => return Ok(()),
        };
        let ty = self.named_type_of(schema, &Target::Component(id), &pointer)?;
        if ty == TypeRef::Named(id) && self.kind(id).is_none() {
            // `allOf: [$ref: itself]` and the like: a name for nothing.
            return Err(self.spec.invalid(
                &pointer,
                &format!("the schema `{key}` is only a reference to itself; give it a type or properties"),
            ));
        }
        if ty != TypeRef::Named(id) {
            let doc = schema.schema_data.description.clone();
            self.define(&Target::Component(id), &pointer, doc, TypeKind::Alias(ty));
        }
        Ok(())
    }

    fn schema_reference(&mut self, reference: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        let key = self.spec.component_key(reference, "schemas", pointer, |name| self.spec.schema(name).is_some())?;
        self.component(key, pointer)
    }

    /// Whether values of this type go on the wire as text: scalars and enums (also those of
    /// components not generated yet).
    pub(super) fn is_text(&self, ty: &TypeRef) -> bool {
        match ty {
            _ if ty.is_scalar() => true,
            TypeRef::Named(id) => match self.kind(*id) {
                Some(kind) => matches!(kind, TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. }),
                None => self.queued_schema(*id).is_some_and(|schema| {
                    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty())
                        || rules::is_named_integer_enum(schema)
                }),
            },
            _ => false,
        }
    }

    /// Whether the type is a struct (also a component not generated yet).
    pub(super) fn is_struct(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(id) = ty else { return false };
        match self.kind(*id) {
            Some(kind) => matches!(kind, TypeKind::Struct { .. }),
            None => matches!(self.queued_schema(*id).map(|schema| &schema.schema_kind),
                Some(SchemaKind::Type(Type::Object(object))) if !object.properties.is_empty()),
        }
    }

    /// The schema of a component still queued, when an operation needs its shape first.
    fn queued_schema(&self, id: TypeId) -> Option<&Schema> {
        match self.spec.schema(self.entries[id.0].origin.component.as_deref()?)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The description of an inline schema (with its notes), or of the schema a `$ref` names.
    fn describe<S: std::borrow::Borrow<Schema>>(&self, item: &ReferenceOr<S>) -> Option<String> {
        match item {
            ReferenceOr::Item(schema) => schema_doc(schema.borrow()),
            ReferenceOr::Reference { reference } => self.referenced_description(reference),
        }
    }

    /// The description of the schema a `$ref` names, to document a field that has none.
    fn referenced_description(&self, reference: &str) -> Option<String> {
        self.referenced_schema(reference)?.schema_data.description.clone()
    }

    fn referenced_schema(&self, reference: &str) -> Option<&Schema> {
        let key = reference.strip_prefix("#/components/schemas/")?;
        match self.spec.schema(key)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The type of a schema met inline; objects and enums get a type named from `hint`.
    pub(super) fn type_of<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_reference(reference, pointer),
            ReferenceOr::Item(schema) => {
                self.named_type_of(schema.borrow(), &Target::Inline(naming::camel(hint)), pointer)
            }
        }
    }

    /// The type of `schema`; if it needs a definition of its own, that definition is `target`.
    fn named_type_of(&mut self, schema: &Schema, target: &Target, pointer: &Pointer) -> Result<TypeRef, Error> {
        let doc = schema_doc(schema);
        match &schema.schema_kind {
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Integer(integer)) if rules::is_named_integer_enum(schema) => {
                self.integer_enum(integer, &schema.schema_data, target, doc, pointer)
            }
            SchemaKind::Type(Type::Integer(integer)) => Ok(match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::F64),
            SchemaKind::Type(Type::String(string)) => {
                self.string_type(string, &schema.schema_data, target, doc, pointer)
            }
            SchemaKind::Type(Type::Array(array)) => self.array_type(array, target, pointer),
            SchemaKind::Type(Type::Object(object)) => self.object_type(object, target, doc, pointer),
            SchemaKind::OneOf { one_of } => self.one_of_type(one_of, target, doc, pointer, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.untagged_type(any_of, target, doc, pointer, "anyOf"),
            SchemaKind::AllOf { all_of } => self.all_of_type(all_of, target, doc, pointer),
            SchemaKind::Not { .. } => {
                self.warn(pointer, "`not` cannot be expressed as a Rust type; using `serde_json::Value`");
                Ok(TypeRef::Json)
            }
            SchemaKind::Any(any) => self.any_type(any, target, doc, pointer),
        }
    }

    /// A schema without `type`: shaped by whichever keywords it has.
    fn any_type(
        &mut self,
        any: &AnySchema,
        target: &Target,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        if !any.one_of.is_empty() {
            return self.one_of_type(&any.one_of, target, doc, pointer, "oneOf");
        }
        if !any.any_of.is_empty() {
            return self.untagged_type(&any.any_of, target, doc, pointer, "anyOf");
        }
        if !any.all_of.is_empty() {
            return self.all_of_type(&any.all_of, target, doc, pointer);
        }
        if !any.properties.is_empty() || any.additional_properties.is_some() {
            let object = ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                additional_properties: any.additional_properties.clone(),
                min_properties: None,
                max_properties: None,
            };
            return self.object_type(&object, target, doc, pointer);
        }
        if let Some(items) = &any.items {
            let hint = format!("{}Item", self.target_name(target));
            let item = self.type_of(items, &hint, &pointer.join("items"))?;
            return Ok(TypeRef::Vec(Box::new(item)));
        }
        // A `type` that reaches here did not parse as that type: say what contradicts it.
        if let Some(typ) = any.typ.as_deref()
            && let Some((index, value)) = any.enumeration.iter().enumerate().find(|(_, value)| !fits(typ, value))
        {
            return Err(self.spec.invalid(
                    &pointer.join("enum").join(index),
                    &format!("`type: {typ}` but `enum` holds `{value}`, which is not of that type; make every value a {typ}, or change the type"),
                ));
        }
        Ok(match any.typ.as_deref() {
            Some("string") => TypeRef::String,
            Some("integer") => TypeRef::I64,
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => TypeRef::Vec(Box::new(TypeRef::Json)),
            Some("object") => TypeRef::JsonObject,
            Some(other) => {
                return Err(self.spec.invalid(
                    &pointer.join("type"),
                    &format!("`type: {other}` is not a JSON Schema type; use one of string, integer, number, boolean, array, object"),
                ));
            }
            None => TypeRef::Json,
        })
    }

    fn string_type(
        &mut self,
        string: &StringType,
        data: &SchemaData,
        target: &Target,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        if string.enumeration.iter().all(Option::is_none) {
            return Ok(match string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::File,
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => TypeRef::Secret,
                _ => TypeRef::String,
            });
        }
        let variants = self.enum_variants(string, data, pointer)?;
        let doc = doc.or_else(|| Some(one_of(variants.iter().map(|variant| &variant.wire))));
        Ok(TypeRef::Named(self.define(target, pointer, doc, TypeKind::StringEnum { variants })))
    }

    /// An integer `enum` whose values `x-enum-varnames` names (and `x-enum-descriptions`
    /// documents): an enum of its own, as a string `enum` is.
    fn integer_enum(
        &mut self,
        integer: &IntegerType,
        data: &SchemaData,
        target: &Target,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let values: Vec<i64> = integer.enumeration.iter().flatten().copied().collect();
        let variants: Vec<IntegerVariant> = self
            .named_values(values, data, pointer)?
            .into_iter()
            .map(|(name, value, doc)| IntegerVariant { name, value, doc })
            .collect();
        let doc = doc.or_else(|| Some(one_of(variants.iter().map(|variant| variant.value))));
        Ok(TypeRef::Named(self.define(target, pointer, doc, TypeKind::IntegerEnum { variants })))
    }

    /// The values of a string `enum`, named after themselves or, where the spec names them,
    /// by `x-enum-varnames`, and documented by `x-enum-descriptions` (the extensions other
    /// generators read too). `null` among the values says the schema is nullable, which its
    /// fields express.
    fn enum_variants(
        &self,
        string: &StringType,
        data: &SchemaData,
        pointer: &Pointer,
    ) -> Result<Vec<EnumVariant>, Error> {
        let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
        let named = self.named_values(values, data, pointer)?;
        Ok(named.into_iter().map(|(name, wire, doc)| EnumVariant { name, wire, doc }).collect())
    }

    /// The values of an `enum`, each once, with its variant's name (from `x-enum-varnames`,
    /// else the value itself) and doc (from `x-enum-descriptions`).
    fn named_values<W: Ord + Clone + std::fmt::Display>(
        &self,
        values: Vec<W>,
        data: &SchemaData,
        pointer: &Pointer,
    ) -> Result<Vec<(String, W, Option<String>)>, Error> {
        let names = self.enum_extension(data, "x-enum-varnames", values.len(), pointer)?;
        let descriptions = self.enum_extension(data, "x-enum-descriptions", values.len(), pointer)?;
        let mut scope = Scope::default();
        scope.reserve(UNKNOWN_VARIANT);
        let mut seen = BTreeSet::new();
        let mut named = Vec::new();
        for (index, value) in values.into_iter().enumerate() {
            if !seen.insert(value.clone()) {
                continue;
            }
            let name = names.as_ref().map_or_else(|| value.to_string(), |names| names[index].to_owned());
            let doc =
                descriptions.as_ref().map(|descriptions| descriptions[index].to_owned()).filter(|doc| !doc.is_empty());
            named.push((scope.unique(naming::camel(&name)), value, doc));
        }
        Ok(named)
    }

    /// An extension that holds a string per `enum` value, if the schema has it.
    fn enum_extension<'d>(
        &self,
        data: &'d SchemaData,
        key: &str,
        count: usize,
        pointer: &Pointer,
    ) -> Result<Option<Vec<&'d str>>, Error> {
        let Some(value) = data.extensions.get(key) else { return Ok(None) };
        let list: Option<Vec<&str>> =
            value.as_array().and_then(|items| items.iter().map(serde_json::Value::as_str).collect());
        match list {
            Some(list) if list.len() == count => Ok(Some(list)),
            _ => Err(self.spec.invalid(
                &pointer.join(key),
                &format!("`{key}` must be a list of strings, one for each of the {count} non-null `enum` values, in their order"),
            )),
        }
    }

    /// The error codes the spec lists: the `enum` of the `errorType` property of its failure
    /// bodies, in the order met. They become the `ErrorType` enum, so a new code is a spec
    /// edit.
    pub(super) fn define_error_type(&mut self) -> Result<TypeId, Error> {
        let mut variants: Vec<EnumVariant> = Vec::new();
        let mut origin = None;
        for (schema, pointer) in std::mem::replace(&mut self.error_types, Ok(Vec::new()))? {
            let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else { continue };
            for variant in self.enum_variants(string, &schema.schema_data, &pointer)? {
                if variants.iter().all(|known| known.wire != variant.wire) {
                    variants.push(variant);
                }
            }
            origin.get_or_insert(pointer);
        }
        // Names from different schemas may meet: each is unique in the one enum.
        let mut scope = Scope::default();
        scope.reserve(UNKNOWN_VARIANT);
        variants.iter_mut().for_each(|variant| variant.name = scope.unique(std::mem::take(&mut variant.name)));
        let doc = "A Rocket.Chat error code (`errorType`): the codes the spec lists.";
        let id = TypeId(self.entries.len());
        let pointer = origin.unwrap_or_else(Pointer::root);
        let origin = Origin { pointer: pointer.as_str().to_owned(), component: None };
        let definition = Some((Some(doc.to_owned()), TypeKind::StringEnum { variants }));
        self.entries.push(Entry { name: ERROR_TYPE.to_owned(), origin, definition });
        Ok(id)
    }

    /// The `errorType` schema of each failure body, and where it is.
    fn failure_error_types(&self, paths: &Paths) -> Result<Vec<(Schema, Pointer)>, Error> {
        let mut found: Vec<(Schema, Pointer)> = Vec::new();
        for (pointer, response) in failure_responses(paths) {
            let (response, pointer) = self.spec.resolve(response, &pointer, "responses", |c| &c.responses)?;
            for (media_type, media) in &response.content {
                let Some(schema) = &media.schema else { continue };
                let pointer = pointer.join("content").join(media_type).join("schema");
                let (body, pointer) = self.spec.resolve(schema, &pointer, "schemas", |c| &c.schemas)?;
                let SchemaKind::Type(Type::Object(object)) = &body.schema_kind else { continue };
                let Some(error_type) = object.properties.get("errorType") else { continue };
                let pointer = pointer.join("properties").join("errorType");
                let error_type = match error_type {
                    ReferenceOr::Item(schema) => (**schema).clone(),
                    ReferenceOr::Reference { reference } => {
                        let reference = ReferenceOr::Reference { reference: reference.clone() };
                        self.spec.resolve(&reference, &pointer, "schemas", |c| &c.schemas)?.0.clone()
                    }
                };
                if found.iter().all(|(_, known)| *known != pointer) {
                    found.push((error_type, pointer));
                }
            }
        }
        Ok(found)
    }

    fn array_type(&mut self, array: &ArrayType, target: &Target, pointer: &Pointer) -> Result<TypeRef, Error> {
        let item = match &array.items {
            Some(items) => {
                let hint = format!("{}Item", self.target_name(target));
                self.type_of(items, &hint, &pointer.join("items"))?
            }
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    fn object_type(
        &mut self,
        object: &ObjectType,
        target: &Target,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        let additional = self.additional_properties(object, target, pointer)?;
        if object.properties.is_empty() {
            return Ok(match additional {
                Some(TypeRef::Json) | None => TypeRef::JsonObject,
                Some(values) => TypeRef::Map(Box::new(values)),
            });
        }
        let mut fields = Vec::new();
        let mut names = Scope::default();
        if additional.is_some() {
            names.reserve(super::ADDITIONAL_FIELD);
        } else {
            // With other keys allowed, a required one need not be a property: valid, if rare.
            for (index, name) in object.required.iter().enumerate() {
                if !object.properties.contains_key(name) {
                    let hint = super::did_you_mean(name, object.properties.keys());
                    let message = format!(
                        "`required` names `{name}`, which is not one of this object's `properties`{hint}: it \
                         makes no field required"
                    );
                    self.warn(&pointer.join("required").join(index), message);
                }
            }
        }
        self.object_fields(object, target, pointer, &mut names, &mut fields)?;
        let additional = additional.map(|values| match values {
            TypeRef::Json => TypeRef::JsonObject,
            values => TypeRef::Map(Box::new(values)),
        });
        Ok(TypeRef::Named(self.define(target, pointer, doc, TypeKind::Struct { fields, additional })))
    }

    /// The value type of keys beyond `properties`, or `None` when the object is closed.
    /// An unset `additionalProperties` counts as closed for objects with properties: the
    /// emitted struct still ignores unknown keys when decoding.
    fn additional_properties(
        &mut self,
        object: &ObjectType,
        target: &Target,
        pointer: &Pointer,
    ) -> Result<Option<TypeRef>, Error> {
        Ok(match &object.additional_properties {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            Some(AdditionalProperties::Schema(schema)) => {
                let hint = format!("{}Value", self.target_name(target));
                Some(self.type_of(schema, &hint, &pointer.join("additionalProperties"))?)
            }
        })
    }

    fn object_fields(
        &mut self,
        object: &ObjectType,
        target: &Target,
        pointer: &Pointer,
        names: &mut Scope,
        fields: &mut Vec<Field>,
    ) -> Result<(), Error> {
        for (wire, property) in &object.properties {
            let property_pointer = pointer.join("properties").join(wire);
            let hint = format!("{}{}", self.target_name(target), naming::camel(wire));
            let ty = self.type_of(property, &hint, &property_pointer)?;
            let (doc, nullable) = match property {
                ReferenceOr::Item(schema) => (schema_doc(schema), is_nullable(schema)),
                ReferenceOr::Reference { reference } => {
                    (self.referenced_description(reference), self.referenced_schema(reference).is_some_and(is_nullable))
                }
            };
            let optional = !object.required.contains(wire);
            let rules = match property {
                ReferenceOr::Item(schema) => super::rules::of_schema(schema),
                ReferenceOr::Reference { .. } => Vec::new(),
            };
            fields.push(Field {
                name: names.unique(naming::snake(wire)),
                wire: Some(wire.clone()),
                ty,
                optional,
                nullable,
                doc,
                rules,
            });
        }
        Ok(())
    }

    /// A `oneOf` of objects with one required key each becomes an enum sent as exactly one of
    /// the keys; any other `oneOf` is untagged.
    fn one_of_type(
        &mut self,
        one_of: &[ReferenceOr<Schema>],
        target: &Target,
        doc: Option<String>,
        pointer: &Pointer,
        keyword: &str,
    ) -> Result<TypeRef, Error> {
        let single_keys: Option<Vec<_>> = one_of.iter().map(single_key).collect();
        let Some(single_keys) = single_keys.filter(|keys| {
            let distinct: BTreeSet<_> = keys.iter().map(|(key, _)| key).collect();
            !keys.is_empty() && distinct.len() == keys.len()
        }) else {
            return self.untagged_type(one_of, target, doc, pointer, keyword);
        };
        let mut variants = Vec::new();
        let mut names = Scope::default();
        let name = self.target_name(target).to_owned();
        let type_prefix = naming::snake(&name);
        for (index, (wire, property)) in single_keys.into_iter().enumerate() {
            let property_pointer = pointer.join(keyword).join(index).join("properties").join(wire);
            let ty = self.type_of(property, &format!("{name}{}", naming::camel(wire)), &property_pointer)?;
            let doc = self.describe(property);
            let variant_name = names.unique(variant_name(&type_prefix, wire));
            variants.push(Variant { name: variant_name, wire: Some(wire.clone()), ty, doc });
        }
        Ok(TypeRef::Named(self.define(target, pointer, doc, TypeKind::OneKeyOf { variants })))
    }

    /// What an untagged variant holding `ty` is called: the type's name, or its kind.
    fn variant_name_for(&self, ty: &TypeRef) -> String {
        match ty {
            TypeRef::Bool => "Bool".into(),
            TypeRef::I32 | TypeRef::I64 => "Integer".into(),
            TypeRef::F64 => "Number".into(),
            TypeRef::String | TypeRef::File | TypeRef::Secret => "String".into(),
            TypeRef::Json => "Value".into(),
            TypeRef::JsonObject | TypeRef::Map(_) => "Object".into(),
            TypeRef::Vec(_) => "List".into(),
            TypeRef::Named(id) => self.name(*id).to_owned(),
            TypeRef::Boxed(inner) => self.variant_name_for(inner),
            TypeRef::Bytes => "Bytes".into(),
        }
    }

    /// An enum that decodes as the first alternative the JSON fits, named by alternative.
    fn untagged_type(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        target: &Target,
        doc: Option<String>,
        pointer: &Pointer,
        keyword: &str,
    ) -> Result<TypeRef, Error> {
        let mut variants = Vec::new();
        let name = self.target_name(target).to_owned();
        let mut names = Scope::default();
        let mut seen = Vec::new();
        for (index, alternative) in alternatives.iter().enumerate() {
            let alternative_pointer = pointer.join(keyword).join(index);
            let ty = self.type_of(alternative, &format!("{name}Variant{}", index + 1), &alternative_pointer)?;
            if seen.contains(&ty) {
                continue; // The same Rust type twice: the second could never be chosen.
            }
            seen.push(ty.clone());
            let doc = self.describe(alternative);
            // `ShapeVariant2`, an inline alternative of `Shape`, is the variant `Variant2`; a
            // rest that would not start a type name (`Event2` in `Event`) keeps the whole name.
            let variant = self.variant_name_for(&ty);
            let variant = match variant.strip_prefix(&name) {
                Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest,
                _ => &variant,
            };
            variants.push(Variant { name: names.unique(naming::camel(variant)), wire: None, ty, doc });
        }
        if variants.is_empty() {
            return Ok(TypeRef::Json);
        }
        Ok(TypeRef::Named(self.define(target, pointer, doc, TypeKind::Untagged { variants })))
    }

    /// An `allOf` becomes one struct: inline objects give their fields, referenced schemas
    /// become flattened fields named after the schema.
    fn all_of_type(
        &mut self,
        all_of: &[ReferenceOr<Schema>],
        target: &Target,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        // `allOf: [$ref]` is how specs attach a description to a reference: inline, it is the
        // referenced type, the description documenting the field. A component written so
        // stays a type of its own (a request body wrapping a selector, say).
        let is_component = matches!(target, Target::Component(_));
        if let ([ReferenceOr::Reference { reference }], false) = (all_of, is_component) {
            return self.schema_reference(reference, &pointer.join("allOf").join(0));
        }
        let mut fields = Vec::new();
        let mut names = Scope::default();
        // `- required: [name]`: the names a part makes required among the other parts' properties.
        let mut required_elsewhere = Vec::new();
        for (index, part) in all_of.iter().enumerate() {
            let part_pointer = pointer.join("allOf").join(index);
            if let Some(required) = only_required(part) {
                let named = required.iter().enumerate();
                required_elsewhere.extend(named.map(|(index, name)| (name, part_pointer.join("required").join(index))));
                continue;
            }
            match part {
                ReferenceOr::Reference { reference } => {
                    let ty = self.schema_reference(reference, &part_pointer)?;
                    let part_name = match &ty {
                        TypeRef::Named(id) => naming::snake(self.name(*id)),
                        _ => "part".to_owned(),
                    };
                    let field_name = names.unique(part_name);
                    let doc = self.referenced_description(reference);
                    fields.push(Field {
                        name: field_name,
                        wire: None,
                        ty,
                        optional: false,
                        nullable: false,
                        doc,
                        rules: Vec::new(),
                    });
                }
                ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(object)), .. }) => {
                    if object.additional_properties.is_some() && object.properties.is_empty() {
                        continue; // An open map adds nothing a struct that ignores unknown keys lacks.
                    }
                    self.object_fields(object, target, &part_pointer, &mut names, &mut fields)?;
                    // A part may require what another part declares.
                    let elsewhere =
                        object.required.iter().enumerate().filter(|(_, name)| !object.properties.contains_key(*name));
                    required_elsewhere
                        .extend(elsewhere.map(|(index, name)| (name, part_pointer.join("required").join(index))));
                }
                ReferenceOr::Item(other) => {
                    let ty = self.type_of(
                        &ReferenceOr::Item(other.clone()),
                        &format!("{}Part{}", self.target_name(target), index + 1),
                        &part_pointer,
                    )?;
                    if !matches!(ty, TypeRef::Named(_)) {
                        self.warn(&part_pointer, "an `allOf` part that is not an object is ignored");
                        continue;
                    }
                    let field_name = names.unique(format!("part_{}", index + 1));
                    fields.push(Field {
                        name: field_name,
                        wire: None,
                        ty,
                        optional: false,
                        nullable: false,
                        doc: None,
                        rules: Vec::new(),
                    });
                }
            }
        }
        for (name, name_pointer) in required_elsewhere {
            if let Some(field) = fields.iter_mut().find(|field| field.wire.as_deref() == Some(name.as_str())) {
                field.optional = false;
                continue;
            }
            // A referenced part's type is shared, and keeps its own `required`: naming its
            // property here is common and harmless. Naming nobody's is most likely a typo.
            let declared_by_a_reference = all_of.iter().any(|part| match part {
                ReferenceOr::Reference { reference } => {
                    match self.referenced_schema(reference).map(|schema| &schema.schema_kind) {
                        Some(SchemaKind::Type(Type::Object(object))) => object.properties.contains_key(name),
                        // A composition or a chain of references: it may declare it.
                        _ => true,
                    }
                }
                ReferenceOr::Item(_) => false,
            });
            if !declared_by_a_reference {
                let message = format!(
                    "`required` names `{name}`, which no part of this `allOf` has among its `properties`: it makes \
                     no field required"
                );
                self.warn(&name_pointer, message);
            }
        }
        Ok(TypeRef::Named(self.define(target, pointer, doc, TypeKind::Struct { fields, additional: None })))
    }
}

/// The `required` list of an untyped `allOf` part that says nothing else (`- required: [name]`).
/// With `type: object`, the part is an object without properties, whose `required` the object
/// parts' handling takes.
fn only_required(part: &ReferenceOr<Schema>) -> Option<&[String]> {
    let ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(any), .. }) = part else { return None };
    let nothing_else = AnySchema { required: any.required.clone(), ..AnySchema::default() } == *any;
    (nothing_else && !any.required.is_empty()).then_some(any.required.as_slice())
}

/// Whether an `enum` value is of the schema's `type` (`null` fits any: it says nullable).
fn fits(typ: &str, value: &serde_json::Value) -> bool {
    let of_type = match typ {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => true,
    };
    of_type || value.is_null()
}

/// The key and schema of an inline object with exactly one property, which is required.
fn single_key(alternative: &ReferenceOr<Schema>) -> Option<(&String, &ReferenceOr<Box<Schema>>)> {
    match alternative {
        ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::Object(object)), .. })
            if object.properties.len() == 1 && object.required.len() == 1 =>
        {
            object.properties.first().filter(|(key, _)| object.required.contains(key))
        }
        _ => None,
    }
}

/// "One of `a`, `b`.": the values a type allows, for its doc.
fn one_of<V: std::fmt::Display>(values: impl IntoIterator<Item = V>) -> String {
    let values: Vec<String> = values.into_iter().map(|value| format!("`{value}`")).collect();
    format!("One of {}.", values.join(", "))
}

/// A schema's description, with what else the spec says about its values.
fn schema_doc(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let mut notes = Vec::new();
    if let SchemaKind::Type(kind) = &schema.schema_kind {
        let format = match kind {
            Type::String(string) => format_name(&string.format),
            _ => None,
        };
        if let Some(format) = format {
            notes.push(format!("Format: `{format}`."));
        }
        let values: Vec<String> = match kind {
            // A named integer enum lists its values on its variants.
            Type::Integer(_) if rules::is_named_integer_enum(schema) => Vec::new(),
            Type::Integer(integer) => integer.enumeration.iter().flatten().map(i64::to_string).collect(),
            Type::Number(number) => number.enumeration.iter().flatten().map(f64::to_string).collect(),
            Type::Boolean(boolean) => boolean.enumeration.iter().flatten().map(bool::to_string).collect(),
            _ => Vec::new(),
        };
        if !values.is_empty() {
            notes.push(one_of(values));
        }
    }
    if let Some(default) = &data.default {
        notes.push(format!("Default: `{default}`."));
    }
    if data.read_only {
        notes.push("Read-only: sent by the server, ignored in requests.".into());
    }
    match (&data.description, notes.is_empty()) {
        (description, true) => description.clone(),
        (Some(description), false) => Some(format!("{}\n\n{}", description.trim_end(), notes.join(" "))),
        (None, false) => Some(notes.join(" ")),
    }
}

fn format_name(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) => Some("password".into()),
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => None,
        VariantOrUnknownOrEmpty::Unknown(format) => Some(format.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

/// `nullable: true`, or `null` among the `enum` values.
fn is_nullable(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Integer(integer)) => integer.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Number(number)) => number.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Boolean(boolean)) => boolean.enumeration.iter().any(Option::is_none),
            _ => false,
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

/// The component schemas only error responses use: the runtime decodes every failure into
/// its own `Error`, so a type for them is noise.
fn error_response_components(spec: &Spec<'_>, paths: &Paths) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    // Not `default` responses: what they hold may be a success's too.
    let failures = failure_responses(paths).into_iter();
    for (pointer, response) in failures.filter(|(pointer, _)| !pointer.as_str().ends_with("/default")) {
        let Ok((response, _)) = spec.resolve(response, &pointer, "responses", |c| &c.responses) else { continue };
        for media in response.content.values() {
            if let Some(ReferenceOr::Reference { reference }) = &media.schema
                && let Some(key) = reference.strip_prefix("#/components/schemas/")
            {
                keys.insert(key.to_owned());
            }
        }
    }
    keys
}

/// Every failure response of every operation (4XX, 5XX, `default`...), with the pointer of
/// the operation's entry for it.
fn failure_responses(paths: &Paths) -> Vec<(Pointer, &ReferenceOr<Response>)> {
    let mut found = Vec::new();
    for (path, item) in &paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, operation) in item.iter() {
            let responses = Pointer::root().join("paths").join(path).join(method).join("responses");
            for (code, response) in &operation.responses.responses {
                if !super::operations::is_success(code) {
                    found.push((responses.join(code), response));
                }
            }
            found.extend(operation.responses.default.iter().map(|response| (responses.join("default"), response)));
        }
    }
    found
}
