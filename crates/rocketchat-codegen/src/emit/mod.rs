//! Stage 3: the model to token streams, one function per kind of item.

mod client;
mod markdown;
mod types;

pub use client::{ClientKind, blocking_module, client_module, operations_module};
pub use markdown::rustdoc_markdown;
pub(crate) use markdown::{code_span, one_line};
pub use types::types_module;

use crate::model::{Api, Input, TypeRef};
use crate::naming;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// A Rust file as emit hands it to format: pieces of it, each emitted when format asks for it
/// and formatted on its own.
///
/// A large file is never held whole, as tokens or as a syntax tree (rooms.yaml's `types.rs`
/// has 450 items, and each client one `impl` block with a method per operation), and the
/// pieces of every file are shared out among the cores.
pub struct RustFile<'a> {
    pub pieces: Vec<Piece<'a>>,
}

/// Items of a [`RustFile`], and the closure that emits them.
pub struct Piece<'a> {
    /// The type whose `impl` block the items belong in, for methods: the methods of
    /// consecutive pieces within one type make one block.
    pub within_impl: Option<&'static str>,
    emit: Box<dyn Fn() -> TokenStream + Send + Sync + 'a>,
}

impl<'a> Piece<'a> {
    /// Items at the top level of the file.
    pub fn items(emit: impl Fn() -> TokenStream + Send + Sync + 'a) -> Self {
        Self { within_impl: None, emit: Box::new(emit) }
    }

    /// Associated items of `impl #self_type { .. }`.
    pub fn methods_of(self_type: &'static str, emit: impl Fn() -> TokenStream + Send + Sync + 'a) -> Self {
        Self { within_impl: Some(self_type), emit: Box::new(emit) }
    }

    /// The piece's tokens: its items, or its methods inside their `impl` block.
    pub fn tokens(&self) -> TokenStream {
        let items = (self.emit)();
        match self.within_impl {
            None => items,
            Some(self_type) => impl_block(self_type, items),
        }
    }
}

impl RustFile<'_> {
    /// The whole file's tokens at once (the methods of consecutive pieces in one `impl` block),
    /// as it reads when formatted in one piece.
    pub fn tokens(&self) -> TokenStream {
        let mut file = TokenStream::new();
        let mut index = 0;
        while let Some(piece) = self.pieces.get(index) {
            let Some(self_type) = piece.within_impl else {
                file.extend((piece.emit)());
                index += 1;
                continue;
            };
            let mut methods = TokenStream::new();
            while let Some(piece) = self.pieces.get(index).filter(|piece| piece.within_impl == Some(self_type)) {
                methods.extend((piece.emit)());
                index += 1;
            }
            file.extend(impl_block(self_type, methods));
        }
        file
    }
}

/// `impl #self_type { #items }`.
fn impl_block(self_type: &str, items: TokenStream) -> TokenStream {
    let self_type = ident(self_type);
    quote! { impl #self_type { #items } }
}

/// An identifier, written raw (`r#type`) where the name is a keyword.
pub(crate) fn ident(name: &str) -> Ident {
    if naming::is_keyword(name) { Ident::new_raw(name, Span::call_site()) } else { Ident::new(name, Span::call_site()) }
}

/// `#[doc]` attributes for spec text, made safe for rustdoc (see [`rustdoc_markdown`]).
pub(crate) fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Like [`doc`], for the crate root (`//!`).
fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

pub(crate) fn doc_lines(text: &str) -> Vec<DocLine> {
    doc_lines_raw(&rustdoc_markdown(text))
}

/// Doc lines for text that is already rustdoc markdown, long lines broken so that a doc
/// comment in an `impl` block fits in 100 columns.
pub(crate) fn doc_lines_raw(text: &str) -> Vec<DocLine> {
    let text = markdown::wrapped(text.trim_end(), DOC_WIDTH);
    text.lines().map(|line| DocLine(if line.is_empty() { String::new() } else { format!(" {line}") })).collect()
}

/// The width of a doc comment's text: `    /// ` and this make 100 columns.
const DOC_WIDTH: usize = 92;

/// One line of a doc comment. It is written as a raw string literal where it can be: the
/// formatted `///` line is the same, and the literal costs less to write, and for syn and
/// prettyplease to read (each reads a doc literal's value more than once), than an escaped
/// one. Docs are a third of a generated crate's text.
pub(crate) struct DocLine(pub(crate) String);

impl quote::ToTokens for DocLine {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let line = &self.0;
        // The closing quote must not be followed by as many `#` as the literal opens with.
        let hashes = line.split('"').skip(1).map(|after| after.len() - after.trim_start_matches('#').len()).max();
        let hashes = "#".repeat(hashes.map_or(0, |most| most + 1));
        let raw = format!("r{hashes}\"{line}\"{hashes}").parse::<proc_macro2::Literal>();
        // A character a raw literal may not hold (a bare CR) leaves it escaped.
        tokens.extend([proc_macro2::TokenTree::Literal(raw.unwrap_or_else(|_| proc_macro2::Literal::string(line)))]);
    }
}

pub(crate) fn doc_opt(text: Option<&str>) -> TokenStream {
    text.map(doc).unwrap_or_default()
}

/// A type as the `types` module itself writes it.
pub fn type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    type_tokens_in(api, ty, false)
}

/// A type as other modules write it: generated types by their full path, so that no name in
/// the spec can be shadowed by an item of the module (a marker type, `Client`, ...).
pub(crate) fn qualified_type_tokens(api: &Api, ty: &TypeRef) -> TokenStream {
    type_tokens_in(api, ty, true)
}

fn type_tokens_in(api: &Api, ty: &TypeRef, qualified: bool) -> TokenStream {
    match ty {
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F64 => quote!(f64),
        TypeRef::String => quote!(String),
        TypeRef::File => quote!(rocketchat_runtime::File),
        TypeRef::Secret => quote!(rocketchat_runtime::Secret),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Map(values) => {
            let values = type_tokens_in(api, values, qualified);
            quote!(std::collections::BTreeMap<String, #values>)
        }
        TypeRef::Vec(item) => {
            let item = type_tokens_in(api, item, qualified);
            quote!(Vec<#item>)
        }
        TypeRef::Named(id) => {
            let name = ident(api.name(*id));
            if qualified { quote!(crate::types::#name) } else { quote!(#name) }
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens_in(api, inner, qualified);
            quote!(Box<#inner>)
        }
        TypeRef::Bytes => quote!(Vec<u8>),
    }
}

/// `src/lib.rs`: the crate root.
pub fn lib_module<'a>(api: &'a Api, crate_name: &'a str) -> RustFile<'a> {
    RustFile { pieces: vec![Piece::items(move || crate_root(api, crate_name))] }
}

fn crate_root(api: &Api, crate_name: &str) -> TokenStream {
    let title = format!(" A typed client for the {} (version {}).", one_line(&api.title), one_line(&api.version));
    let example = doc_lines_raw(&crate_example(api, &crate_name.replace('-', "_")));
    let description = api.description.as_deref().map(|text| {
        let text = inner_doc(text);
        quote! { #text #![doc = ""] }
    });
    let operations: Vec<String> = api
        .operations
        .iter()
        .map(|operation| {
            format!(
                "- [`Client::{}`]: `{} {}`{}\n",
                operation.method_name,
                operation.http_method,
                operation.path,
                operation.summary.as_deref().map(|s| format!(" — {}", one_line(s))).unwrap_or_default()
            )
        })
        .collect();
    let operations = doc_lines_raw(&operations.concat());
    let crate_name = crate_name.to_owned();
    let dependency = format!(" {crate_name} = \"0.1\"  # or a git or path dependency");
    quote! {
        #![doc = #title]
        //!
        #( #![doc = #example] )*
        //!
        //! The example needs, in `Cargo.toml`:
        //!
        //! ```toml
        #![doc = #dependency]
        //! tokio = { version = "1", features = ["rt", "macros"] }
        //! ```
        //!
        //! # Beyond the example
        //!
        //! - Configuration: [`Client::from_env`] reads `ROCKETCHAT_URL`, `ROCKETCHAT_USER_ID` and
        //!   `ROCKETCHAT_AUTH_TOKEN`; [`Transport::builder`] sets timeouts, retries on rate limits,
        //!   body limits and the user agent, and [`Client::from_transport`] takes the result.
        //! - Sessions: [`Transport::anonymous`] and [`Transport::log_in`] log in with a user name and
        //!   password ([`Password`]); a handler answers two-factor challenges ([`two_factor`]);
        //!   [`Transport::log_out`] ends the session.
        //! - Lists that page themselves: an operation paged by `offset` and `count` also has a
        //!   `_stream` method (and, with the `blocking` feature, `_iter`) that yields every item.
        //! - Errors: every failure is an [`Error`]; match its variant for the class of failure, or
        //!   read the server's code with [`ErrorType::of`] (the codes the spec lists, and any other
        //!   kept as [`ErrorType::Unknown`]).
        //! - [`Client::transport`] gives the [`Transport`], whose `send` keeps a response's status,
        //!   rate-limit and deprecation headers; each operation has a marker type in [`operations`].
        //! - With the `blocking` feature, `blocking::Client` has the same methods without `async`.
        //! - TLS: rustls with ring by default (feature `rustls`), the platform's library with
        //!   `native-tls`, or none with `default-features = false` (plain `http://` only).
        //! - Tests: the `rocketchat-fake` crate is a stateful fake server to run them against.
        //!
        #description
        //! The operations:
        //!
        #( #![doc = #operations] )*
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
        pub use rocketchat_runtime::Call;
        pub use rocketchat_runtime::Credentials;
        pub use rocketchat_runtime::Deprecation;
        pub use rocketchat_runtime::Endpoint;
        pub use rocketchat_runtime::Error;
        pub use rocketchat_runtime::File;
        pub use rocketchat_runtime::ItemStream;
        #[cfg(feature = "blocking")]
        pub use rocketchat_runtime::Items;
        pub use rocketchat_runtime::NoContent;
        pub use rocketchat_runtime::Password;
        pub use rocketchat_runtime::RateLimit;
        pub use rocketchat_runtime::Response;
        pub use rocketchat_runtime::RetryPolicy;
        pub use rocketchat_runtime::Secret;
        pub use rocketchat_runtime::Transport;
        pub use rocketchat_runtime::TransportBuilder;
        pub use rocketchat_runtime::TwoFactor;
        pub use rocketchat_runtime::http::StatusCode;
        pub use rocketchat_runtime::two_factor;
        pub use rocketchat_runtime::validate::InvalidRequest;
        // After the others, where rustfmt's sorting puts it.
        pub use types::ErrorType;
    }
}

/// The crate documentation's opening example: a client, and one call that needs no input a
/// reader would have to invent (a read where there is one).
fn crate_example(api: &Api, crate_ident: &str) -> String {
    // Named as the operation names it (an alias, maybe), built as what it stands for.
    let defaultable = |id| api.definition(id).is_defaultable().then(|| api.name(id).to_owned());
    let takes_default = |operation: &&crate::model::Operation| match &operation.input {
        Input::None => Some(String::new()),
        Input::Params(id) => defaultable(*id),
        Input::Body => operation.body.as_ref().and_then(|body| body.ty.by_value()).and_then(defaultable),
    };
    let reads = api.operations.iter().filter(|operation| operation.http_method == "GET");
    let call = reads.chain(&api.operations).find_map(|operation| {
        let input = takes_default(&operation)?;
        let argument =
            if input.is_empty() { String::new() } else { format!("&{crate_ident}::types::{input}::default()") };
        Some(format!(
            "    // Each method returns a future: `.await` it for the decoded response or an `Error`.\n    \
             let response = client.{}({argument}).await?;\n    println!(\"{{response:?}}\");\n",
            operation.method_name
        ))
    });
    format!(
        "```no_run\nuse {crate_ident}::{{Client, Credentials, Error}};\n\n\
         #[tokio::main(flavor = \"current_thread\")]\nasync fn main() -> Result<(), Error> {{\n    \
         // A personal access token (or a login token) and the id of its user.\n    \
         let credentials = Credentials::new(\"user-id\", \"token\");\n    \
         let client = Client::new(\"https://chat.example.com\", credentials)?;\n{}    Ok(())\n}}\n```",
        call.unwrap_or_else(|| "    let _ = client;\n".into())
    )
}

#[cfg(test)]
mod tests {
    use super::DocLine;
    use quote::ToTokens;

    /// Whatever quotes and `#` a line holds, its literal reads back as the line.
    #[test]
    fn a_doc_line_literal_reads_back_as_the_line() {
        for line in
            [" plain", "", " a \"quote\"", " \"# and \"## twice", " ends with \"#", " bare\rcr", " tab\tand \\ back"]
        {
            let tokens = DocLine(line.to_owned()).to_token_stream();
            let literal: syn::LitStr = syn::parse2(tokens.clone()).unwrap_or_else(|error| panic!("{line:?}: {error}"));
            assert_eq!(literal.value(), line, "{tokens}");
        }
        assert!(DocLine(" say \"#hi\"#".into()).to_token_stream().to_string().starts_with("r##\""));
    }
}
