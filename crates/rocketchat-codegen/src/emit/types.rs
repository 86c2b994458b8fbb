//! `src/types.rs`: one Rust type per schema.

use super::{Piece, RustFile, client::output_type, doc_opt, ident, type_tokens};
use crate::model::{
    ADDITIONAL_FIELD, Api, Directions, EnumVariant, Field, IntegerVariant, Output, Rule, Scalar, StatusVariant,
    TypeDef, TypeKind, TypeRef, UNKNOWN_VARIANT, Variant,
};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// `src/types.rs`: every type the operations use.
pub fn types_module(api: &Api) -> RustFile<'_> {
    // A module name cannot clash with a type of the spec: those are all UpperCamelCase.
    let validated = api.types.iter().any(|def| def.validated);
    let head = Piece::items(move || {
        let validate_import = validated.then(|| {
            quote!(
                use rocketchat_runtime::validate;
            )
        });
        quote! {
            //! The request and response types of the API, one per schema of the spec.
            #validate_import
        }
    });
    let items = api.types.iter().enumerate().map(|(index, def)| {
        Piece::items(move || {
            let definition = type_def(api, def);
            let definition = if index == api.error_type.index() { error_type_def(definition) } else { definition };
            // An alias is checked by the impl of what it stands for (a second would conflict).
            let validate = (def.validated && !matches!(def.kind, TypeKind::Alias(_))).then(|| validate_impl(api, def));
            quote! { #definition #validate }
        })
    });
    RustFile { pieces: std::iter::once(head).chain(items).collect() }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let doc = doc_opt(def.doc.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let mut derives = serde_derives(def.directions);
            if def.is_defaultable() {
                derives.extend(quote!(#[derive(Default)]));
            }
            let definition = struct_def(api, doc, &name, fields, additional.as_ref(), derives);
            let needs_new = def.directions.serialize && !def.is_defaultable();
            let constructor = needs_new.then(|| constructor(api, &name, fields, additional.is_some()));
            quote! { #definition #constructor }
        }
        TypeKind::OneKeyOf { variants } => one_key_of_def(api, doc, &name, variants, serde_derives(def.directions)),
        TypeKind::Untagged { variants } => untagged_def(api, doc, &name, variants, serde_derives(def.directions)),
        TypeKind::ByStatus { variants } => by_status_def(api, doc, &name, variants),
        TypeKind::StringEnum { variants } => string_enum_def(doc, &name, variants),
        TypeKind::IntegerEnum { variants } => integer_enum_def(doc, &name, variants),
        TypeKind::Alias(target) => {
            let target = type_tokens(api, target);
            quote! { #doc pub type #name = #target; }
        }
    }
}

/// The derives of a type: the serde directions its operations use, the other one only with
/// the `roundtrip` feature (it costs compile time and most users never need it).
fn serde_derives(directions: Directions) -> TokenStream {
    let mut used = vec![quote!(Debug), quote!(Clone), quote!(PartialEq)];
    let mut optional = Vec::new();
    for (needed, derive) in
        [(directions.serialize, quote!(serde::Serialize)), (directions.deserialize, quote!(serde::Deserialize))]
    {
        if needed { used.push(derive) } else { optional.push(derive) }
    }
    let optional = (!optional.is_empty()).then(|| quote!(#[cfg_attr(feature = "roundtrip", derive(#(#optional),*))]));
    quote! { #[derive(#(#used),*)] #optional }
}

fn struct_def(
    api: &Api,
    doc: TokenStream,
    name: &Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
    derives: TokenStream,
) -> TokenStream {
    let fields = fields.iter().map(|field| field_def(api, field));
    let additional = additional.map(|values| {
        let values = type_tokens(api, values);
        let additional_field = ident(ADDITIONAL_FIELD);
        quote! {
            /// Keys the spec does not name, kept as the server sent them.
            #[serde(flatten)]
            pub #additional_field: #values,
        }
    });
    quote! {
        #doc
        #derives
        pub struct #name {
            #( #fields )*
            #additional
        }
    }
}

fn field_def(api: &Api, field: &Field) -> TokenStream {
    let doc = doc_opt(field.doc.as_deref());
    let name = ident(&field.name);
    let mut ty = type_tokens(api, &field.ty);
    let mut serde = Vec::new();
    match &field.wire {
        Some(wire) if *wire != field.name => serde.push(quote!(rename = #wire)),
        Some(_) => {}
        None => serde.push(quote!(flatten)),
    }
    match (field.optional, field.nullable) {
        // Absent and `null` are told apart: `None`, `Some(None)`, `Some(Some(value))`.
        (true, true) => {
            serde.push(quote!(
                default,
                skip_serializing_if = "Option::is_none",
                with = "rocketchat_runtime::double_option"
            ));
            ty = quote!(Option<Option<#ty>>);
        }
        (true, false) => {
            serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
            ty = quote!(Option<#ty>);
        }
        // Present but maybe `null`: sent as `null` when `None`.
        (false, true) => {
            serde.push(quote!(default));
            ty = quote!(Option<#ty>);
        }
        (false, false) => {}
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! { #doc #serde pub #name: #ty, }
}

fn one_key_of_def(
    api: &Api,
    doc: TokenStream,
    name: &Ident,
    variants: &[Variant],
    derives: TokenStream,
) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let doc = doc_opt(variant.doc.as_deref());
        let variant_name = ident(&variant.name);
        let wire = variant.wire.as_deref().unwrap_or(&variant.name);
        let ty = type_tokens(api, &variant.ty);
        let doc_key = format!(" Sent as `{wire}`.");
        let separator = variant.doc.is_some().then(|| quote!(#[doc = ""]));
        quote! { #doc #separator #[doc = #doc_key] #[serde(rename = #wire)] #variant_name(#ty), }
    });
    quote! {
        #doc
        #derives
        pub enum #name {
            #( #variants )*
        }
    }
}

/// Decodes as the first variant the JSON fits, so the spec's order matters.
fn untagged_def(api: &Api, doc: TokenStream, name: &Ident, variants: &[Variant], derives: TokenStream) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let doc = doc_opt(variant.doc.as_deref());
        let variant_name = ident(&variant.name);
        let ty = type_tokens(api, &variant.ty);
        quote! { #doc #variant_name(#ty), }
    });
    let separator = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    quote! {
        #doc
        #separator
        /// Decoding picks the first variant the JSON fits.
        #derives
        #[serde(untagged)]
        pub enum #name {
            #( #variants )*
        }
    }
}

/// The success bodies of one operation, by status; decoded by the client, not by serde.
fn by_status_def(api: &Api, doc: TokenStream, name: &Ident, status_variants: &[StatusVariant]) -> TokenStream {
    let variants = status_variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = output_type(api, &variant.output);
        let status = variant.status.map_or("2XX".to_owned(), |code| code.to_string());
        let doc = format!(" `{status}`: {}", super::one_line(&variant.description));
        quote! { #[doc = #doc] #variant_name(#ty), }
    });
    // Exact codes first, then the `2XX` range for the rest.
    let mut ordered: Vec<&StatusVariant> = status_variants.iter().collect();
    ordered.sort_by_key(|variant| variant.status.is_none());
    let arms = ordered.into_iter().map(|variant| {
        let status = match variant.status {
            Some(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            // A guard, not `200..=299`: the exact codes above overlap the range.
            None => quote!(_ if response.status.is_success()),
        };
        let variant_name = ident(&variant.name);
        let value = match &variant.output {
            Output::Json(_) | Output::ByStatus(_) => quote!(response.json()?),
            Output::Text => quote!(response.text()),
            Output::Bytes => quote!(response.into_bytes()),
            Output::Empty => quote!(rocketchat_runtime::NoContent),
        };
        quote!(#status => Ok(Self::#variant_name(#value)),)
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
        }

        impl rocketchat_runtime::FromResponse for #name {
            fn from_response(response: rocketchat_runtime::RawResponse) -> Result<Self, rocketchat_runtime::Error> {
                match response.status.as_u16() {
                    #( #arms )*
                    _ => Err(response.undocumented()),
                }
            }
        }
    }
}

/// Clippy's limit on arguments: a type with more required fields is built with a literal.
const MAX_CONSTRUCTOR_ARGUMENTS: usize = 7;

/// `new` taking the required fields, the optional ones `None`: a request can be built without
/// spelling out every optional field, and stays source-compatible when the spec adds one.
fn constructor(api: &Api, name: &Ident, fields: &[Field], has_additional: bool) -> TokenStream {
    let required: Vec<&Field> =
        fields.iter().filter(|field| field.wire.is_none() || !(field.optional || field.nullable)).collect();
    if required.len() > MAX_CONSTRUCTOR_ARGUMENTS {
        return TokenStream::new();
    }
    let arguments = required.iter().map(|field| {
        let field_name = ident(&field.name);
        let ty = type_tokens(api, &field.ty);
        quote!(#field_name: #ty)
    });
    let values = fields.iter().map(|field| {
        let field_name = ident(&field.name);
        if field.wire.is_none() || !(field.optional || field.nullable) {
            quote!(#field_name)
        } else {
            quote!(#field_name: None)
        }
    });
    let additional_field = ident(ADDITIONAL_FIELD);
    let additional = has_additional.then(|| quote!(#additional_field: Default::default(),));
    let doc = if required.len() < fields.len() {
        format!(" A `{name}` with the required fields; the optional ones are `None`.")
    } else {
        format!(" A `{name}` from its fields, all of them required.")
    };
    quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#( #arguments ),*) -> Self {
                Self { #( #values, )* #additional }
            }
        }
    }
}

/// `impl Validate`: each field's rules, then the fields whose types have rules of their own.
fn validate_impl(api: &Api, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let validated = |ty: &TypeRef| ty.innermost().is_some_and(|id| api.type_def(id).validated);
    let body = match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let checks = fields.iter().map(|field| field_checks(field, validated(&field.ty)));
            let additional = additional
                .as_ref()
                .filter(|ty| validated(ty))
                .map(|_| quote!(validate::Validate::validate(&self.additional_properties, at)?;));
            quote! { #( #checks )* #additional Ok(()) }
        }
        TypeKind::OneKeyOf { variants } | TypeKind::Untagged { variants } => {
            let arms = variants.iter().filter(|variant| validated(&variant.ty)).map(|variant| {
                let variant_name = ident(&variant.name);
                quote!(Self::#variant_name(value) => validate::Validate::validate(value, at),)
            });
            quote! {
                match self {
                    #( #arms )*
                    #[allow(unreachable_patterns)]
                    _ => Ok(()),
                }
            }
        }
        _ => quote!(Ok(())),
    };
    quote! {
        impl validate::Validate for #name {
            fn validate(&self, at: &validate::Path<'_>) -> Result<(), validate::Violation> {
                #body
            }
        }
    }
}

fn field_checks(field: &Field, holds_validated: bool) -> TokenStream {
    if field.rules.is_empty() && !holds_validated {
        return TokenStream::new();
    }
    let name = ident(&field.name);
    let Some(wire) = &field.wire else {
        // A flattened part: its keys are this object's own.
        return quote!(validate::Validate::validate(&self.#name, at)?;);
    };
    let rules = field.rules.iter().map(|rule| {
        let check = rule_check(rule);
        quote!(validate::rule(&at, #check)?;)
    });
    let nested = holds_validated.then(|| quote!(validate::Validate::validate(value, &at)?;));
    let value = match (field.optional, field.nullable) {
        (false, false) => quote!(Some(&self.#name)),
        (true, true) => quote!(self.#name.as_ref().and_then(Option::as_ref)),
        _ => quote!(self.#name.as_ref()),
    };
    quote! {
        if let Some(value) = #value {
            let at = at.field(#wire);
            #( #rules )*
            #nested
        }
    }
}

/// A call of the runtime's check for one rule, on `value` (a reference to the field's value).
fn rule_check(rule: &Rule) -> TokenStream {
    let rules = quote!(validate);
    match rule {
        Rule::MinItems(min) => {
            let min = proc_macro2::Literal::u64_unsuffixed(*min);
            quote!(#rules::min_items(value, #min))
        }
        Rule::MaxItems(max) => {
            let max = proc_macro2::Literal::u64_unsuffixed(*max);
            quote!(#rules::max_items(value, #max))
        }
        Rule::UniqueItems => quote!(#rules::unique_items(value)),
        Rule::MinLength(min) => {
            let min = proc_macro2::Literal::u64_unsuffixed(*min);
            quote!(#rules::min_length(value, #min))
        }
        Rule::MaxLength(max) => {
            let max = proc_macro2::Literal::u64_unsuffixed(*max);
            quote!(#rules::max_length(value, #max))
        }
        Rule::Pattern(pattern) => quote!(#rules::pattern(value, #pattern)),
        Rule::Minimum { bound, exclusive } => {
            let bound = proc_macro2::Literal::f64_unsuffixed(*bound);
            quote!(#rules::minimum(*value as f64, #bound, #exclusive))
        }
        Rule::Maximum { bound, exclusive } => {
            let bound = proc_macro2::Literal::f64_unsuffixed(*bound);
            quote!(#rules::maximum(*value as f64, #bound, #exclusive))
        }
        Rule::OneOf(values) => {
            let values = values.iter().map(|value| match value {
                Scalar::Integer(integer) => {
                    let literal = proc_macro2::Literal::i64_unsuffixed(*integer);
                    quote!(#literal)
                }
                Scalar::Number(number) => {
                    let literal = proc_macro2::Literal::f64_unsuffixed(*number);
                    quote!(#literal)
                }
                Scalar::Bool(boolean) => quote!(#boolean),
            });
            quote!(#rules::one_of(value, &[#( #values ),*]))
        }
    }
}

/// The error codes' enum, and how to read one from an error.
fn error_type_def(definition: TokenStream) -> TokenStream {
    let name = ident(crate::model::ERROR_TYPE);
    quote! {
        #definition

        impl #name {
            /// The code of a failed call, if the server sent one (in `errorType`, or in brackets
            /// at the end of its message).
            pub fn of(error: &rocketchat_runtime::Error) -> Option<Self> {
                error.error_type().map(Self::from)
            }
        }
    }
}

/// An integer `enum` with named values: on the wire, the number.
fn integer_enum_def(doc: TokenStream, name: &Ident, variants: &[IntegerVariant]) -> TokenStream {
    let unknown = ident(UNKNOWN_VARIANT);
    let names: Vec<Ident> = variants.iter().map(|variant| ident(&variant.name)).collect();
    let values: Vec<Literal> = variants.iter().map(|variant| Literal::i64_unsuffixed(variant.value)).collect();
    let variant_docs = variants.iter().map(|variant| variant_doc(&variant.value, variant.doc.as_deref()));
    let wire_impls = wire_impls(
        name,
        quote!(std::fmt::Display::fmt(&self.value(), f)),
        quote!(serialize_i64(self.value())),
        quote!(i64),
    );
    quote! {
        #doc
        ///
        /// Values this version does not know are kept in [`Self::Unknown`], so a newer server
        /// never breaks decoding. To match such a value, compare [`Self::value`]: a later
        /// version of the client may know it as a variant of its own.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #( #[doc = #variant_docs] )* #names, )*
            /// A value this version of the client does not know, kept as the server sent it.
            #unknown(i64),
        }

        impl #name {
            /// The value as the server writes it.
            pub fn value(self) -> i64 {
                match self {
                    #( Self::#names => #values, )*
                    Self::#unknown(value) => value,
                }
            }
        }

        // `From` in full: a spec may name a type `From`.
        impl ::core::convert::From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #( #values => Self::#names, )*
                    other => Self::#unknown(other),
                }
            }
        }

        #wire_impls
    }
}

/// A variant's doc: its value on the wire, and what `x-enum-descriptions` says of it.
fn variant_doc(wire: &dyn std::fmt::Display, doc: Option<&str>) -> Vec<super::DocLine> {
    match doc {
        Some(doc) => super::doc_lines(&format!("`{wire}`: {}", doc.trim())),
        None => vec![super::DocLine(format!(" `{wire}`"))],
    }
}

/// An open enum's text and serde forms, all of its wire value: how `Display` writes it, the
/// serializer call that writes it, and the type it is read as (then `From` it).
fn wire_impls(name: &Ident, display: TokenStream, serialize: TokenStream, wire_type: TokenStream) -> TokenStream {
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                #display
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.#serialize
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #wire_type::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn string_enum_def(doc: TokenStream, name: &Ident, variants: &[EnumVariant]) -> TokenStream {
    let unknown = ident(UNKNOWN_VARIANT);
    let names: Vec<Ident> = variants.iter().map(|variant| ident(&variant.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|variant| variant.wire.as_str()).collect();
    let variant_docs = variants.iter().map(|variant| variant_doc(&variant.wire, variant.doc.as_deref()));
    let wire_impls =
        wire_impls(name, quote!(f.write_str(self.as_str())), quote!(serialize_str(self.as_str())), quote!(String));
    // With no known values (an `ErrorType` whose spec lists no codes), every value is
    // unknown: a `match` would have one arm, which clippy rightly calls a `let`.
    let (as_str, from_str, from_string) = if variants.is_empty() {
        (
            quote!(let Self::#unknown(value) = self; value),
            quote!(Self::#unknown(value.to_owned())),
            quote!(Self::#unknown(value)),
        )
    } else {
        (
            quote!(match self {
                #( Self::#names => #wires, )*
                Self::#unknown(value) => value,
            }),
            quote!(match value {
                #( #wires => Self::#names, )*
                other => Self::#unknown(other.to_owned()),
            }),
            quote!(match Self::from(value.as_str()) {
                Self::#unknown(_) => Self::#unknown(value),
                known => known,
            }),
        )
    };
    quote! {
        #doc
        ///
        /// Values this version does not know are kept in [`Self::Unknown`], so a newer server
        /// never breaks decoding. To match such a value, compare [`Self::as_str`]: a later
        /// version of the client may know it as a variant of its own.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #( #[doc = #variant_docs] )* #names, )*
            /// A value this version of the client does not know, kept as the server sent it.
            #unknown(String),
        }

        impl #name {
            /// The value as the server writes it.
            pub fn as_str(&self) -> &str {
                #as_str
            }
        }

        // `From` in full: a spec may name a type `From`.
        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                #from_str
            }
        }

        impl ::core::convert::From<String> for #name {
            fn from(value: String) -> Self {
                #from_string
            }
        }

        #wire_impls
    }
}
