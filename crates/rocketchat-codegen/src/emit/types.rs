//! `src/types.rs`: one Rust type per schema.

use super::{client::output_type, doc_opt, ident, type_tokens};
use crate::model::{
    Api, Directions, EnumVariant, Field, StatusVariant, TypeDef, TypeKind, TypeRef, UNKNOWN_VARIANT, Variant,
};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// `src/types.rs`: every type the operations use.
pub fn types_module(api: &Api) -> TokenStream {
    let items = api.types.iter().map(type_def);
    quote! {
        //! The request and response types of the API, one per schema of the spec.
        #( #items )*
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let doc = doc_opt(def.doc.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct { fields, additional } => {
            struct_def(doc, &name, fields, additional.as_ref(), serde_derives(def.directions))
        }
        TypeKind::OneKeyOf { variants } => one_key_of_def(doc, &name, variants, serde_derives(def.directions)),
        TypeKind::Untagged { variants } => untagged_def(doc, &name, variants, serde_derives(def.directions)),
        TypeKind::ByStatus { variants } => by_status_def(doc, &name, variants),
        TypeKind::StringEnum { variants } => string_enum_def(doc, &name, variants),
        TypeKind::Alias(target) => {
            let target = type_tokens(target);
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
    doc: TokenStream,
    name: &Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
    derives: TokenStream,
) -> TokenStream {
    let fields = fields.iter().map(field);
    let additional = additional.map(|values| {
        let values = type_tokens(values);
        quote! {
            /// Keys the spec does not name, kept as the server sent them.
            #[serde(flatten)]
            pub additional_properties: #values,
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

fn field(field: &Field) -> TokenStream {
    let doc = doc_opt(field.doc.as_deref());
    let name = ident(&field.name);
    let mut ty = type_tokens(&field.ty);
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

fn one_key_of_def(doc: TokenStream, name: &Ident, variants: &[Variant], derives: TokenStream) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let doc = doc_opt(variant.doc.as_deref());
        let variant_name = ident(&variant.name);
        let wire = variant.wire.as_deref().unwrap_or(&variant.name);
        let ty = type_tokens(&variant.ty);
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
fn untagged_def(doc: TokenStream, name: &Ident, variants: &[Variant], derives: TokenStream) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let doc = doc_opt(variant.doc.as_deref());
        let variant_name = ident(&variant.name);
        let ty = type_tokens(&variant.ty);
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
fn by_status_def(doc: TokenStream, name: &Ident, variants: &[StatusVariant]) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = output_type(&variant.output);
        let status = variant.status.map_or("2XX".to_owned(), |code| code.to_string());
        let doc = format!(" `{status}`: {}", super::one_line(&variant.description));
        quote! { #[doc = #doc] #variant_name(#ty), }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
        }
    }
}

fn string_enum_def(doc: TokenStream, name: &Ident, variants: &[EnumVariant]) -> TokenStream {
    let unknown = ident(UNKNOWN_VARIANT);
    let names: Vec<Ident> = variants.iter().map(|variant| ident(&variant.name)).collect();
    let wires: Vec<&str> = variants.iter().map(|variant| variant.wire.as_str()).collect();
    let variant_docs = wires.iter().map(|wire| format!(" `{wire}`"));
    quote! {
        #doc
        ///
        /// Values this version does not know are kept in [`Self::Unknown`], so a newer server
        /// never breaks decoding.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #[doc = #variant_docs] #names, )*
            /// A value this version of the client does not know, kept as the server sent it.
            #unknown(String),
        }

        impl #name {
            /// The value as the server writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#names => #wires, )*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#names, )*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#unknown(_) => Self::#unknown(value),
                    known => known,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
