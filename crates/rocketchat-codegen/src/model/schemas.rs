//! Schemas to types.

use super::{Builder, Directions, EnumVariant, Field, TypeDef, TypeKind, TypeRef, UNKNOWN_VARIANT, Variant};
use crate::error::{Error, Pointer};
use crate::naming::{self, Scope};
use openapiv3::{
    AdditionalProperties, AnySchema, ArrayType, IntegerFormat, ObjectType, ReferenceOr, Schema, SchemaKind,
    StringFormat, StringType, Type, VariantOrUnknownOrEmpty,
};
use std::collections::BTreeSet;

impl Builder<'_> {
    /// Follows a `$ref` into `components.<section>`; an inline item is returned as it is.
    pub(super) fn resolve<T: Clone>(
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
            let target = target.ok_or_else(|| {
                let names = self.spec.components.as_ref().into_iter().flat_map(|components| pick(components).keys());
                let missing = format!(
                    "no such component; define `{name}` under `components.{section}` or fix the name{}",
                    did_you_mean(name, names)
                );
                self.reference_error(&pointer, &reference, &missing)
            })?;
            pointer = Pointer::root().join("components").join(section).join(name);
            item = target.clone();
        }
    }

    pub(super) fn component_key<'r>(
        &self,
        reference: &'r str,
        section: &str,
        pointer: &Pointer,
    ) -> Result<&'r str, Error> {
        if !reference.starts_with('#') {
            return Err(self.reference_error(
                pointer,
                reference,
                "references to other files are not supported; copy the target into this file's `components`",
            ));
        }
        let prefix = format!("#/components/{section}/");
        reference.strip_prefix(&prefix).filter(|name| !name.contains('/')).ok_or_else(|| {
            self.reference_error(
                pointer,
                reference,
                &format!("only local references of the form `{prefix}NAME` are supported here"),
            )
        })
    }

    /// `pointer` is the node that holds the `$ref`; the error points at the `$ref` itself, so
    /// its line is the reference's own.
    pub(super) fn reference_error(&self, pointer: &Pointer, reference: &str, reason: &str) -> Error {
        let location = self.location(&pointer.join("$ref"));
        Error::Reference { location, reference: reference.into(), reason: reason.into() }
    }

    /// Generates the component schemas no operation reached, except those only error responses
    /// use: the runtime decodes every failure into its own `Error`, so a type for them is noise.
    pub(super) fn remaining_components(&mut self) -> Result<(), Error> {
        let error_only = self.error_response_components();
        let keys: Vec<String> = self.component_names.keys().cloned().collect();
        for key in keys {
            if !error_only.contains(&key) {
                self.component(&key, &Pointer::root())?;
            }
        }
        self.drain_queue()
    }

    fn error_response_components(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for (_, item) in &self.spec.paths.paths {
            let ReferenceOr::Item(item) = item else { continue };
            for (_, operation) in item.iter() {
                let failures =
                    operation.responses.responses.iter().filter(|(code, _)| !super::operations::is_success(code));
                for (_, response) in failures {
                    let found = self.resolve(response, &Pointer::root(), "responses", |c| &c.responses);
                    let Ok((response, _)) = found else { continue };
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

    /// The type of a component schema; the first time, it is queued for generation.
    fn component(&mut self, key: &str, from: &Pointer) -> Result<TypeRef, Error> {
        let Some(name) = self.component_names.get(key).cloned() else {
            let reference = format!("#/components/schemas/{key}");
            let missing = format!(
                "no such schema; define `{key}` under `components.schemas` or fix the name{}",
                did_you_mean(key, self.component_names.keys())
            );
            return Err(self.reference_error(from, &reference, &missing));
        };
        if self.started.insert(key.to_owned()) {
            self.queue.push(key.to_owned());
        }
        Ok(TypeRef::Named(name))
    }

    pub(super) fn generate_component(&mut self, key: &str) -> Result<(), Error> {
        let name = self.component_names[key].clone();
        let pointer = Pointer::root().join("components").join("schemas").join(key);
        let schema = self.spec.components.as_ref().and_then(|components| components.schemas.get(key)).cloned();
        let schema = match schema {
            Some(ReferenceOr::Item(schema)) => schema,
            Some(ReferenceOr::Reference { reference }) => {
                // A component that is only another name for a component: an alias.
                let target = self.schema_reference(&reference, &pointer)?;
                self.insert_type(TypeDef {
                    name,
                    doc: None,
                    kind: TypeKind::Alias(target),
                    directions: Directions::default(),
                    validated: false,
                });
                return Ok(());
            }
            None => return Ok(()),
        };
        let ty = self.named_type_of(&schema, &name, &pointer)?;
        if ty == TypeRef::Named(name.clone()) && !self.types.contains_key(&name) {
            // `allOf: [$ref: itself]` and the like: a name for nothing.
            return Err(self.invalid(
                &pointer,
                &format!("the schema `{key}` is only a reference to itself; give it a type or properties"),
            ));
        }
        if ty != TypeRef::Named(name.clone()) {
            let doc = schema.schema_data.description.clone();
            self.insert_type(TypeDef {
                name,
                doc,
                kind: TypeKind::Alias(ty),
                directions: Directions::default(),
                validated: false,
            });
        }
        Ok(())
    }

    fn schema_reference(&mut self, reference: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        let key = self.component_key(reference, "schemas", pointer)?;
        self.component(key, pointer)
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
        match self.spec.components.as_ref()?.schemas.get(key)? {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The type of a schema met inline; objects and enums get a type named from `hint`.
    pub(super) fn type_of(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
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
            ReferenceOr::Item(schema) => {
                let name = self.type_names.unique(naming::camel(hint));
                self.named_type_of(schema, &name, pointer)
            }
        }
    }

    /// The type of `schema`; if it needs a definition of its own, that definition is `name`.
    fn named_type_of(&mut self, schema: &Schema, name: &str, pointer: &Pointer) -> Result<TypeRef, Error> {
        let doc = schema_doc(schema);
        match &schema.schema_kind {
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Integer(integer)) => Ok(match integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(_)) => Ok(TypeRef::F64),
            SchemaKind::Type(Type::String(string)) => Ok(self.string_type(string, name, doc, pointer)),
            SchemaKind::Type(Type::Array(array)) => self.array_type(array, name, pointer),
            SchemaKind::Type(Type::Object(object)) => self.object_type(object, name, doc, pointer),
            SchemaKind::OneOf { one_of } => self.one_of_type(one_of, name, doc, pointer, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.untagged_type(any_of, name, doc, pointer, "anyOf"),
            SchemaKind::AllOf { all_of } => self.all_of_type(all_of, name, doc, pointer),
            SchemaKind::Not { .. } => {
                self.warn(pointer, "`not` cannot be expressed as a Rust type; using `serde_json::Value`");
                Ok(TypeRef::Json)
            }
            SchemaKind::Any(any) => self.any_type(any, name, doc, pointer),
        }
    }

    /// A schema without `type`: shaped by whichever keywords it has.
    fn any_type(
        &mut self,
        any: &AnySchema,
        name: &str,
        doc: Option<String>,
        pointer: &Pointer,
    ) -> Result<TypeRef, Error> {
        if !any.one_of.is_empty() {
            return self.one_of_type(&any.one_of, name, doc, pointer, "oneOf");
        }
        if !any.any_of.is_empty() {
            return self.untagged_type(&any.any_of, name, doc, pointer, "anyOf");
        }
        if !any.all_of.is_empty() {
            return self.all_of_type(&any.all_of, name, doc, pointer);
        }
        if !any.properties.is_empty() || any.additional_properties.is_some() {
            let object = ObjectType {
                properties: any.properties.clone(),
                required: any.required.clone(),
                additional_properties: any.additional_properties.clone(),
                min_properties: None,
                max_properties: None,
            };
            return self.object_type(&object, name, doc, pointer);
        }
        if let Some(items) = &any.items {
            let item = self.boxed_type_of(items, &format!("{name}Item"), &pointer.join("items"))?;
            return Ok(TypeRef::Vec(Box::new(item)));
        }
        Ok(match any.typ.as_deref() {
            Some("string") => TypeRef::String,
            Some("integer") => TypeRef::I64,
            Some("number") => TypeRef::F64,
            Some("boolean") => TypeRef::Bool,
            Some("array") => TypeRef::Vec(Box::new(TypeRef::Json)),
            Some("object") => TypeRef::JsonObject,
            Some(other) => {
                return Err(self.invalid(
                    &pointer.join("type"),
                    &format!("`type: {other}` is not a JSON Schema type; use one of string, integer, number, boolean, array, object"),
                ));
            }
            None => TypeRef::Json,
        })
    }

    fn string_type(&mut self, string: &StringType, name: &str, doc: Option<String>, pointer: &Pointer) -> TypeRef {
        if string.enumeration.iter().all(Option::is_none) {
            return match string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::File,
                VariantOrUnknownOrEmpty::Item(StringFormat::Password) => TypeRef::Secret,
                _ => TypeRef::String,
            };
        }
        let _ = pointer;
        let mut names = Scope::default();
        names.reserve(UNKNOWN_VARIANT);
        let mut wires = BTreeSet::new();
        // `null` among the values says the schema is nullable, which its fields express.
        let variants: Vec<EnumVariant> = (string.enumeration.iter().flatten())
            .filter(|wire| wires.insert(wire.to_string()))
            .map(|wire| EnumVariant { name: names.unique(naming::camel(wire)), wire: wire.clone() })
            .collect();
        let doc = doc.or_else(|| {
            let values: Vec<String> = variants.iter().map(|variant| format!("`{}`", variant.wire)).collect();
            Some(format!("One of {}.", values.join(", ")))
        });
        self.define(name, doc, TypeKind::StringEnum { variants })
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
        Ok(self.define(name, doc, TypeKind::Struct { fields, additional }))
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
        name: &str,
        doc: Option<String>,
        pointer: &Pointer,
        keyword: &str,
    ) -> Result<TypeRef, Error> {
        let single_keys: Option<Vec<_>> = one_of.iter().map(single_key).collect();
        let Some(single_keys) = single_keys.filter(|keys| {
            let distinct: BTreeSet<_> = keys.iter().map(|(key, _)| key).collect();
            !keys.is_empty() && distinct.len() == keys.len()
        }) else {
            return self.untagged_type(one_of, name, doc, pointer, keyword);
        };
        let mut variants = Vec::new();
        let mut names = Scope::default();
        let type_prefix = naming::snake(name);
        for (index, (wire, property)) in single_keys.into_iter().enumerate() {
            let property_pointer = pointer.join(keyword).join(index).join("properties").join(wire);
            let ty = self.boxed_type_of(property, &format!("{name}{}", naming::camel(wire)), &property_pointer)?;
            let doc = self.describe(property);
            let variant_name = names.unique(variant_name(&type_prefix, wire));
            variants.push(Variant { name: variant_name, wire: Some(wire.clone()), ty, doc });
        }
        Ok(self.define(name, doc, TypeKind::OneKeyOf { variants }))
    }

    /// An enum that decodes as the first alternative the JSON fits, named by alternative.
    fn untagged_type(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        name: &str,
        doc: Option<String>,
        pointer: &Pointer,
        keyword: &str,
    ) -> Result<TypeRef, Error> {
        let mut variants = Vec::new();
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
            let variant = untagged_variant_name(&ty);
            let variant = match variant.strip_prefix(name) {
                Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest,
                _ => &variant,
            };
            variants.push(Variant { name: names.unique(naming::camel(variant)), wire: None, ty, doc });
        }
        if variants.is_empty() {
            return Ok(TypeRef::Json);
        }
        Ok(self.define(name, doc, TypeKind::Untagged { variants }))
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
        // `allOf: [$ref]` is how specs attach a description to a reference: inline, it is the
        // referenced type, the description documenting the field. A component written so
        // stays a type of its own (a request body wrapping a selector, say).
        let is_component = pointer.parent().parent().as_str() == "/components";
        if let ([ReferenceOr::Reference { reference }], false) = (all_of, is_component) {
            return self.schema_reference(reference, &pointer.join("allOf").join(0));
        }
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
                    self.object_fields(object, name, &part_pointer, &mut names, &mut fields)?;
                }
                ReferenceOr::Item(other) => {
                    let ty = self.type_of(
                        &ReferenceOr::Item(other.clone()),
                        &format!("{name}Part{}", index + 1),
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
        Ok(self.define(name, doc, TypeKind::Struct { fields, additional: None }))
    }
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
            Type::Integer(integer) => integer.enumeration.iter().flatten().map(|v| format!("`{v}`")).collect(),
            Type::Number(number) => number.enumeration.iter().flatten().map(|v| format!("`{v}`")).collect(),
            Type::Boolean(boolean) => boolean.enumeration.iter().flatten().map(|v| format!("`{v}`")).collect(),
            _ => Vec::new(),
        };
        if !values.is_empty() {
            notes.push(format!("One of {}.", values.join(", ")));
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

fn untagged_variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Bool => "Bool".into(),
        TypeRef::I32 | TypeRef::I64 => "Integer".into(),
        TypeRef::F64 => "Number".into(),
        TypeRef::String | TypeRef::File | TypeRef::Secret => "String".into(),
        TypeRef::Json => "Value".into(),
        TypeRef::JsonObject | TypeRef::Map(_) => "Object".into(),
        TypeRef::Vec(_) => "List".into(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Boxed(inner) => untagged_variant_name(inner),
        TypeRef::Bytes => "Bytes".into(),
    }
}

/// " (did you mean `Member`?)" when one of `names` is a likely misspelling of `name`.
fn did_you_mean<'a>(name: &str, names: impl IntoIterator<Item = &'a String>) -> String {
    // Within a third of the name's length: close enough to be a typo, not just another name.
    let limit = (name.chars().count() / 3).max(1);
    let closest = names
        .into_iter()
        .map(|candidate| (strsim::levenshtein(&name.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min();
    closest.map(|(_, candidate)| format!(" (did you mean `{candidate}`?)")).unwrap_or_default()
}
