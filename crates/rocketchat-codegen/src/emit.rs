//! Stage 3: the model to token streams, one function per kind of item.

use crate::model::{
    Api, EnumVariant, Field, KeyVariant, Operation, Output, TypeDef, TypeKind, TypeRef, UNKNOWN_VARIANT,
};
use crate::naming;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

/// An identifier, written raw (`r#type`) where the name is a keyword.
fn ident(name: &str) -> Ident {
    if naming::is_keyword(name) { Ident::new_raw(name, Span::call_site()) } else { Ident::new(name, Span::call_site()) }
}

/// `#[doc]` attributes for spec text, made safe for rustdoc (see [`rustdoc_markdown`]).
fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Like [`doc`], for the crate root (`//!`).
fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

fn doc_lines(text: &str) -> Vec<String> {
    doc_lines_raw(&rustdoc_markdown(text))
}

fn doc_opt(text: Option<&str>) -> TokenStream {
    text.map(doc).unwrap_or_default()
}

/// Spec descriptions are CommonMark written for a web page; rustdoc reads `[x]` as an
/// intra-doc link and warns about bare URLs, so brackets that are not links are escaped and
/// bare URLs are wrapped in `<>`. Code spans are left as they are.
pub fn rustdoc_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let chars: Vec<char> = text.chars().collect();
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        if c == '`' {
            in_code = !in_code;
            out.push(c);
        } else if in_code {
            out.push(c);
        } else if c == '[' && !is_markdown_link(&chars[index..]) {
            out.push_str("\\[");
        } else if c == ']' && chars.get(index + 1) != Some(&'(') {
            out.push_str("\\]");
        } else if c == '<' && !is_url_at(&chars, index + 1) {
            // `<name>` would be read as an HTML tag; `<https://...>` is an autolink.
            out.push_str("&lt;");
        } else if starts_bare_url(&chars, index) {
            let end = chars[index..]
                .iter()
                .position(|c| c.is_whitespace() || *c == ')' || *c == '>')
                .map_or(chars.len(), |n| index + n);
            let mut url: String = chars[index..end].iter().collect();
            // A full stop or comma after a URL ends the sentence, not the URL.
            let trailing = url.len() - url.trim_end_matches(['.', ',', ';', ':']).len();
            let rest = url.split_off(url.len() - trailing);
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&rest);
            index = end;
            continue;
        } else {
            out.push(c);
        }
        index += 1;
    }
    out
}

/// Spec text for a place that takes one line, such as a summary after a list marker.
fn one_line(text: &str) -> String {
    rustdoc_markdown(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_markdown_link(chars: &[char]) -> bool {
    let Some(close) = chars.iter().position(|c| *c == ']') else { return false };
    chars.get(close + 1) == Some(&'(')
}

fn starts_bare_url(chars: &[char], index: usize) -> bool {
    let previous = |back: usize| index.checked_sub(back).map(|at| chars[at]);
    let preceded_by_link = previous(1) == Some('<') || (previous(1) == Some('(') && previous(2) == Some(']'));
    !preceded_by_link && is_url_at(chars, index)
}

fn is_url_at(chars: &[char], index: usize) -> bool {
    let rest: String = chars.iter().skip(index).take(8).collect();
    rest.starts_with("https://") || rest.starts_with("http://")
}

/// A type as the `types` module itself writes it.
pub fn type_tokens(ty: &TypeRef) -> TokenStream {
    type_tokens_in(ty, false)
}

/// A type as other modules write it: generated types by their full path, so that no name in
/// the spec can be shadowed by an item of the module (a marker type, `Client`, ...).
fn qualified_type_tokens(ty: &TypeRef) -> TokenStream {
    type_tokens_in(ty, true)
}

fn type_tokens_in(ty: &TypeRef, qualified: bool) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Map(values) => {
            let values = type_tokens_in(values, qualified);
            quote!(std::collections::BTreeMap<String, #values>)
        }
        TypeRef::Vec(item) => {
            let item = type_tokens_in(item, qualified);
            quote!(Vec<#item>)
        }
        TypeRef::Named(name) => {
            let name = ident(name);
            if qualified { quote!(crate::types::#name) } else { quote!(#name) }
        }
    }
}

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
        TypeKind::Struct { fields, additional } => struct_def(doc, &name, fields, additional.as_ref()),
        TypeKind::OneKeyOf { variants } => one_key_of_def(doc, &name, variants),
        TypeKind::StringEnum { variants } => string_enum_def(doc, &name, variants),
        TypeKind::Alias(target) => {
            let target = type_tokens(target);
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn struct_def(doc: TokenStream, name: &Ident, fields: &[Field], additional: Option<&TypeRef>) -> TokenStream {
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
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    if field.optional {
        serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
        ty = quote!(Option<#ty>);
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! { #doc #serde pub #name: #ty, }
}

fn one_key_of_def(doc: TokenStream, name: &Ident, variants: &[KeyVariant]) -> TokenStream {
    let variants = variants.iter().map(|variant| {
        let doc = doc_opt(variant.doc.as_deref());
        let variant_name = ident(&variant.name);
        let wire = &variant.wire;
        let ty = type_tokens(&variant.ty);
        let doc_key = format!(" Sent as `{wire}`.");
        quote! { #doc #[doc = ""] #[doc = #doc_key] #[serde(rename = #wire)] #variant_name(#ty), }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// The Rust type a request body is passed as: by reference, a slice for arrays.
fn body_argument(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Vec(item) => {
            let item = qualified_type_tokens(item);
            quote!(&[#item])
        }
        TypeRef::String => quote!(&str),
        other => {
            let ty = qualified_type_tokens(other);
            quote!(&#ty)
        }
    }
}

fn output_type(output: &Output) -> TokenStream {
    match output {
        Output::Json(ty) => qualified_type_tokens(ty),
        Output::Empty => quote!(rocketchat_runtime::NoContent),
    }
}

/// `src/operations.rs`: a marker type per operation carrying its method, path and types.
pub fn operations_module(api: &Api) -> TokenStream {
    let markers = api.operations.iter().map(|operation| {
        let marker = ident(&operation.marker_name);
        let id = &operation.id;
        let path = &operation.path;
        let method = format_ident!("{}", operation.http_method);
        let body = match &operation.body {
            Some(body) => qualified_type_tokens(&body.ty),
            None => quote!(()),
        };
        let output = output_type(&operation.output);
        let summary = format!(
            " `{} {}`: {}",
            operation.http_method,
            operation.path,
            one_line(operation.summary.as_deref().unwrap_or(id))
        );
        let method_link =
            format!(" Called by [`Client::{}`](crate::Client::{}).", operation.method_name, operation.method_name);
        quote! {
            #[doc = #summary]
            ///
            #[doc = #method_link]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub struct #marker;

            impl rocketchat_runtime::Operation for #marker {
                const ID: &'static str = #id;
                const METHOD: rocketchat_runtime::http::Method = rocketchat_runtime::http::Method::#method;
                const PATH: &'static str = #path;
                type Body = #body;
                type Output = #output;
            }
        }
    });
    let visits = api.operations.iter().map(|operation| {
        let marker = ident(&operation.marker_name);
        quote!(visitor.visit::<#marker>();)
    });
    quote! {
        //! One marker type per operation of the spec, for code that handles operations
        //! generically (tests, metrics, middleware).
        #( #markers )*

        /// Calls `visitor.visit::<O>()` for every operation, in the order of the spec.
        pub fn visit_all(visitor: &mut impl rocketchat_runtime::OperationVisitor) {
            #( #visits )*
        }
    }
}

/// `src/client.rs`: the `Client` and one async method per operation.
pub fn client_module(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(client_method);
    quote! {
        //! The client: one async method per operation of the spec.
        use crate::operations;
        use rocketchat_runtime::{Credentials, Error, Transport, TwoFactor};

        /// A client for the Rocket.Chat REST API.
        ///
        /// Cheap to clone: clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: Transport,
        }

        impl Client {
            /// A client for the server at `base_url` (such as `https://chat.example.com`, or
            /// `https://example.com/chat` for a server installed under a sub-path), with the
            /// default settings of [`Transport::builder`].
            ///
            /// # Errors
            ///
            /// [`Error::Config`] if `base_url` is not an absolute `http` or `https` URL.
            pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, Error> {
                Transport::builder(base_url, credentials).build().map(Self::from_transport)
            }

            /// A client for the server in `ROCKETCHAT_URL`, as the user in
            /// `ROCKETCHAT_USER_ID` with the token in `ROCKETCHAT_AUTH_TOKEN`.
            ///
            /// # Errors
            ///
            /// [`Error::Config`] naming each variable that is unset or empty, or if the URL is
            /// not valid.
            pub fn from_env() -> Result<Self, Error> {
                Transport::builder_from_env()?.build().map(Self::from_transport)
            }

            /// A client over a transport configured with [`Transport::builder`] (timeouts,
            /// retries on 429, body limits, user agent, your own `reqwest::Client`).
            pub fn from_transport(transport: Transport) -> Self {
                Self { transport }
            }

            /// The transport this client sends requests through. Its
            /// [`send`](Transport::send) returns the status and rate-limit headers too.
            pub fn transport(&self) -> &Transport {
                &self.transport
            }

            /// A copy of this client that sends a two-factor code with every call, for calls
            /// the server protects with 2FA.
            pub fn with_two_factor(&self, two_factor: TwoFactor) -> Self {
                Self { transport: self.transport.with_two_factor(two_factor) }
            }

            #( #methods )*
        }
    }
}

fn client_method(operation: &Operation) -> TokenStream {
    let name = ident(&operation.method_name);
    let marker = ident(&operation.marker_name);
    let docs = doc_lines_raw(&method_doc(operation));
    let output = output_type(&operation.output);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    match &operation.body {
        Some(body) => {
            let argument = body_argument(&body.ty);
            quote! {
                #( #[doc = #docs] )*
                #deprecated
                pub async fn #name(&self, body: #argument) -> Result<#output, Error> {
                    self.transport.execute::<operations::#marker, _>(Some(body)).await
                }
            }
        }
        None => quote! {
            #( #[doc = #docs] )*
            #deprecated
            pub async fn #name(&self) -> Result<#output, Error> {
                self.transport.execute::<operations::#marker, ()>(None).await
            }
        },
    }
}

/// Doc lines for text that is already rustdoc markdown.
fn doc_lines_raw(text: &str) -> Vec<String> {
    text.trim_end().lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}

/// The method's documentation: what it does, what it needs, and how it fails. Spec text is
/// made safe for rustdoc; the generator's own text uses intra-doc links.
fn method_doc(operation: &Operation) -> String {
    let mut sections = Vec::new();
    sections.push(rustdoc_markdown(operation.summary.as_deref().unwrap_or(&operation.id)));
    sections.push(format!("`{} {}`", operation.http_method, operation.path));
    if let Some(description) = &operation.description {
        sections.push(rustdoc_markdown(description.trim()));
    }
    match &operation.permissions {
        Some(permissions) if permissions.is_empty() => sections.push("# Permissions\n\nNone required.".into()),
        Some(permissions) => {
            let list: Vec<String> = permissions.iter().map(|p| format!("`{p}`")).collect();
            sections.push(format!("# Permissions\n\n{}", list.join(", ")));
        }
        None => {}
    }
    if let Some(version) = &operation.added_in {
        sections.push(format!("Added in Rocket.Chat {version}."));
    }
    let mut errors = String::from("# Errors\n\nAny [`Error`]. The spec documents these failures:\n");
    let failures = operation.responses.iter().filter(|response| !response.is_success);
    for response in failures {
        let description = rustdoc_markdown(response.description.trim()).replace('\n', " ");
        errors.push_str(&format!("\n- `{}`: {}", response.status, description));
    }
    sections.push(errors);
    sections.join("\n\n")
}

/// `src/blocking.rs`: the same methods, blocking the calling thread (feature `blocking`).
pub fn blocking_module(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(|operation| {
        let name = ident(&operation.method_name);
        let marker = ident(&operation.marker_name);
        let output = output_type(&operation.output);
        let summary = format!(" {}", one_line(operation.summary.as_deref().unwrap_or(&operation.id)));
        let see = format!(
            " `{} {}`. Blocks until the call completes; see [`crate::Client::{}`] for the permissions and failures.",
            operation.http_method, operation.path, operation.method_name
        );
        let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
        let (argument, body) = match &operation.body {
            Some(body) => {
                let argument = body_argument(&body.ty);
                (quote!(, body: #argument), quote!(Some(body)))
            }
            None => (quote!(), quote!(None::<&()>)),
        };
        quote! {
            #[doc = #summary]
            ///
            #[doc = #see]
            #deprecated
            pub fn #name(&self #argument) -> Result<#output, Error> {
                self.transport.execute::<operations::#marker, _>(#body)
            }
        }
    });
    quote! {
        //! A blocking client, for scripts and command-line tools: one method per operation,
        //! like the async [`crate::Client`]. Enabled by the `blocking` feature.

        use crate::operations;
        use rocketchat_runtime::blocking::Transport;
        use rocketchat_runtime::{Credentials, Error, TwoFactor};

        /// A blocking client for the Rocket.Chat REST API. Create and use it outside any async
        /// runtime. Cheap to clone.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: Transport,
        }

        impl Client {
            /// A client for the server at `base_url`, with default settings.
            ///
            /// # Errors
            ///
            /// [`Error::Config`] if `base_url` is not an absolute `http` or `https` URL, or
            /// when called inside an async runtime.
            pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, Error> {
                rocketchat_runtime::Transport::builder(base_url, credentials).build_blocking().map(Self::from_transport)
            }

            /// A client configured from `ROCKETCHAT_URL`, `ROCKETCHAT_USER_ID` and
            /// `ROCKETCHAT_AUTH_TOKEN`.
            ///
            /// # Errors
            ///
            /// [`Error::Config`] naming each variable that is unset or empty.
            pub fn from_env() -> Result<Self, Error> {
                rocketchat_runtime::Transport::builder_from_env()?.build_blocking().map(Self::from_transport)
            }

            /// A client over a transport from
            /// [`TransportBuilder::build_blocking`](rocketchat_runtime::TransportBuilder::build_blocking).
            pub fn from_transport(transport: Transport) -> Self {
                Self { transport }
            }

            /// The transport this client sends requests through.
            pub fn transport(&self) -> &Transport {
                &self.transport
            }

            /// A copy of this client that sends a two-factor code with every call.
            pub fn with_two_factor(&self, two_factor: TwoFactor) -> Self {
                Self { transport: self.transport.with_two_factor(two_factor) }
            }

            #( #methods )*
        }
    }
}

/// `src/lib.rs`: the crate root.
pub fn lib_module(api: &Api) -> TokenStream {
    let title = format!(" A typed client for the {} (version {}).", one_line(&api.title), one_line(&api.version));
    let description = api.description.as_deref().map(inner_doc).unwrap_or_default();
    let operations: Vec<String> = api
        .operations
        .iter()
        .map(|operation| {
            format!(
                " - [`Client::{}`]: `{} {}`{}",
                operation.method_name,
                operation.http_method,
                operation.path,
                operation.summary.as_deref().map(|s| format!(" — {}", one_line(s))).unwrap_or_default()
            )
        })
        .collect();
    quote! {
        #![doc = #title]
        //!
        #description
        //!
        //! The operations:
        //!
        #( #![doc = #operations] )*
        //!
        //! This crate is generated from the spec by `cargo xtask codegen`: change the spec, not
        //! the code.
        #![forbid(unsafe_code)]

        // prettyplease formats the generated modules and `--check` compares its bytes, so
        // rustfmt must leave them alone. (This file is written to be rustfmt-stable.)
        #[cfg(feature = "blocking")]
        #[rustfmt::skip]
        pub mod blocking;
        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod operations;
        #[rustfmt::skip]
        pub mod types;

        pub use client::Client;
        pub use rocketchat_runtime::ApiError;
        pub use rocketchat_runtime::Credentials;
        pub use rocketchat_runtime::Error;
        pub use rocketchat_runtime::ErrorType;
        pub use rocketchat_runtime::NoContent;
        pub use rocketchat_runtime::RateLimit;
        pub use rocketchat_runtime::Response;
        pub use rocketchat_runtime::RetryPolicy;
        pub use rocketchat_runtime::Transport;
        pub use rocketchat_runtime::TransportBuilder;
        pub use rocketchat_runtime::TwoFactor;
    }
}

#[cfg(test)]
mod tests {
    use super::rustdoc_markdown;

    #[test]
    fn doc_text_is_made_safe_for_rustdoc() {
        assert_eq!(rustdoc_markdown("Not allowed [error-not-allowed]"), "Not allowed \\[error-not-allowed\\]");
        assert_eq!(rustdoc_markdown("see [docs](https://x.y) now"), "see [docs](https://x.y) now");
        assert_eq!(rustdoc_markdown("at https://x.y/z."), "at <https://x.y/z>.");
        assert_eq!(rustdoc_markdown("`[kept]` as code"), "`[kept]` as code");
        assert_eq!(rustdoc_markdown("a <name> tag"), "a &lt;name> tag");
        assert_eq!(rustdoc_markdown("see <https://x.y>"), "see <https://x.y>");
        assert_eq!(rustdoc_markdown("(https://x.y)"), "(<https://x.y>)");
    }
}
