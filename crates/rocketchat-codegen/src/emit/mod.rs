//! Stage 3: the model to token streams, one function per kind of item.

mod client;
mod types;

pub use client::{ClientKind, blocking_module, client_module, operations_module};
pub use types::types_module;

use crate::model::{Api, Input, TypeRef};
use crate::naming;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

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

pub(crate) fn doc_lines(text: &str) -> Vec<String> {
    doc_lines_raw(&rustdoc_markdown(text))
}

/// Doc lines for text that is already rustdoc markdown.
pub(crate) fn doc_lines_raw(text: &str) -> Vec<String> {
    text.trim_end().lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") }).collect()
}

pub(crate) fn doc_opt(text: Option<&str>) -> TokenStream {
    text.map(doc).unwrap_or_default()
}

/// Spec descriptions are CommonMark written for a web page, and nothing in them may run as
/// code: every code block (fenced with backticks or tildes, whatever its label, or indented)
/// becomes a `text` block, since rustdoc compiles and runs unlabelled, `rust` and
/// `should_panic` blocks as doctests. Control and bidirectional-override characters are
/// escaped (rustc rejects a bare CR in a doc comment and denies bidi overrides). In prose,
/// rustdoc reads `[x]` as an intra-doc link and warns about bare URLs, so brackets that are
/// not links are escaped, bare URLs are wrapped in `<>`, and links other than http(s) and
/// relative ones (`javascript:`) keep their text only. Code spans are left as they are.
pub fn rustdoc_markdown(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut prose_start = 0;
    for (range, code, fenced) in code_blocks(&text) {
        // The block's line starts with its container's indentation (a list item's), and for
        // an indented block four more spaces; the fence goes at the container's.
        let line_start = text[..range.start].rfind('\n').map_or(0, |at| at + 1).max(prose_start);
        let prefix = &text[line_start..range.start];
        let indent = if !prefix.trim().is_empty() {
            ""
        } else if fenced {
            prefix
        } else {
            prefix.get(..prefix.len().saturating_sub(4)).unwrap_or_default()
        };
        out.push_str(&prose_markdown(&text[prose_start..line_start]));
        if !prefix.trim().is_empty() {
            out.push_str(prefix);
        }
        let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest_run.max(2) + 1);
        out.push_str(indent);
        out.push_str(&fence);
        out.push_str("text\n");
        for line in code.lines() {
            out.push_str(indent);
            out.push_str(line);
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str(&fence);
        if text[..range.end].ends_with('\n') {
            out.push('\n');
        }
        prose_start = range.end;
    }
    out.push_str(&prose_markdown(&text[prose_start..]));
    out
}

/// The code blocks of CommonMark text: where each is, its content, and whether it is fenced
/// (else indented).
fn code_blocks(text: &str) -> Vec<(std::ops::Range<usize>, String, bool)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let mut open: Option<(std::ops::Range<usize>, String, bool)> = None;
    for (event, range) in Parser::new(text).into_offset_iter() {
        match (event, &mut open) {
            (Event::Start(Tag::CodeBlock(kind)), None) => {
                open = Some((range, String::new(), matches!(kind, CodeBlockKind::Fenced(_))));
            }
            (Event::Text(code), Some((_, content, _))) => content.push_str(&code),
            (Event::End(TagEnd::CodeBlock), Some(_)) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// Text with CR line ends made LF, and other control characters and the bidirectional
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069) written as escapes.
pub(crate) fn visible(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    crate::format::escape_chars(&text, crate::format::needs_escape)
}

/// The inline fixes for prose (no code blocks in it).
fn prose_markdown(text: &str) -> String {
    let text = &normalize_blocks(text);
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
        } else if c == '[' && is_markdown_link(&chars[index..]) && !is_safe_link(&chars[index..]) {
            // `[text](javascript:...)`: the text stays, the link goes.
            let close = chars[index..].iter().position(|c| *c == ']').map_or(index, |n| index + n);
            let end = link_end(&chars, close + 1);
            let label: String = chars[index + 1..close].iter().collect();
            out.push_str(&label.replace('[', "\\[").replace(']', "\\]"));
            index = end + 1;
            continue;
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

/// The index of the `)` that closes the link target opened at `open` (CommonMark allows
/// balanced parentheses inside it), or the last index.
fn link_end(chars: &[char], open: usize) -> usize {
    let mut depth = 0;
    for (index, c) in chars.iter().enumerate().skip(open) {
        match c {
            '(' => depth += 1,
            ')' if depth <= 1 => return index,
            ')' => depth -= 1,
            _ => {}
        }
    }
    chars.len().saturating_sub(1)
}

/// Whether the target of the link `[text](target)` at the start of `chars` is http(s) or
/// relative (no scheme at all).
fn is_safe_link(chars: &[char]) -> bool {
    let Some(close) = chars.iter().position(|c| *c == ']') else { return true };
    let target: String = chars[close + 2..].iter().take_while(|c| **c != ')').collect();
    let target = target.trim().to_ascii_lowercase();
    // A scheme is letters (then letters, digits, `+`, `-`, `.`) before a single `:`; an
    // intra-doc path (`crate::Client::x`) has none.
    let scheme = target.split_once(':').filter(|(scheme, rest)| {
        !rest.starts_with(':')
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    matches!(scheme.map(|(scheme, _)| scheme), None | Some("http" | "https"))
}

/// Block-level fixes for prose: a line that follows a list item without indentation is meant
/// as a new paragraph, and gets the blank line Markdown (and clippy's
/// `doc_lazy_continuation`) wants.
fn normalize_blocks(text: &str) -> String {
    let is_list_item = |line: &str| {
        let line = line.trim_start();
        line.starts_with("- ")
            || line.starts_with("* ")
            || line
                .split_once(". ")
                .is_some_and(|(number, _)| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
    };
    let mut in_list = false;
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.trim().is_empty() {
            in_list = false;
        } else if is_list_item(line) {
            in_list = true;
        } else if in_list && trimmed.len() == line.len() {
            out.push('\n');
            in_list = false;
        }
        out.push_str(line);
    }
    out
}

/// Spec text for a place that takes one line, such as a summary after a list marker.
pub(crate) fn one_line(text: &str) -> String {
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
pub fn lib_module(api: &Api, crate_name: &str) -> TokenStream {
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
                " - [`Client::{}`]: `{} {}`{}",
                operation.method_name,
                operation.http_method,
                operation.path,
                operation.summary.as_deref().map(|s| format!(" — {}", one_line(s))).unwrap_or_default()
            )
        })
        .collect();
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
    let defaultable = |id| Some(api.type_def(id)).filter(|def| def.is_defaultable()).map(|def| def.name.clone());
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
    use super::rustdoc_markdown;

    /// Nothing from a spec may become a doctest: whatever the fence, label or indentation.
    #[test]
    fn no_code_block_runs_as_a_doctest() {
        let cases = [
            (
                "```rust\nstd::fs::write(\"x\", \"\").unwrap();\n```\n",
                "```text\nstd::fs::write(\"x\", \"\").unwrap();\n```\n",
            ),
            ("```should_panic\npanic!()\n```", "```text\npanic!()\n```"),
            ("~~~\n{\"a\": 1}\n~~~\n", "```text\n{\"a\": 1}\n```\n"),
            ("Before:\n\n    let x = 1;\n\nAfter.", "Before:\n\n```text\nlet x = 1;\n```\n\nAfter."),
            ("```text\nhas ``` inside\n```", "````text\nhas ``` inside\n````"),
            ("- item\n\n  ```\n  code\n  ```\n", "- item\n\n  ```text\n  code\n  ```\n"),
        ];
        for (spec, doc) in cases {
            assert_eq!(rustdoc_markdown(spec), doc, "{spec:?}");
        }
    }

    #[test]
    fn control_characters_bidi_overrides_and_script_links_are_neutralized() {
        assert_eq!(rustdoc_markdown("a\rb\r\nc"), "a\nb\nc");
        assert_eq!(rustdoc_markdown("x\u{202E}y\u{1b}[31m"), "x\\u{202e}y\\u{1b}\\[31m");
        assert_eq!(rustdoc_markdown("[click](javascript:alert(1)) now"), "click now");
        assert_eq!(rustdoc_markdown("[x](JavaScript:void(0))"), "x");
        assert_eq!(rustdoc_markdown("[`a`](crate::Client::a)"), "[`a`](crate::Client::a)");
        assert_eq!(
            rustdoc_markdown("[docs](https://x.y) and [here](./a.md)"),
            "[docs](https://x.y) and [here](./a.md)"
        );
    }

    #[test]
    fn doc_text_is_made_safe_for_rustdoc() {
        assert_eq!(rustdoc_markdown("Not allowed [error-not-allowed]"), "Not allowed \\[error-not-allowed\\]");
        assert_eq!(rustdoc_markdown("see [docs](https://x.y) now"), "see [docs](https://x.y) now");
        assert_eq!(rustdoc_markdown("at https://x.y/z."), "at <https://x.y/z>.");
        assert_eq!(rustdoc_markdown("`[kept]` as code"), "`[kept]` as code");
        assert_eq!(rustdoc_markdown("a <name> tag"), "a &lt;name> tag");
        assert_eq!(rustdoc_markdown("see <https://x.y>"), "see <https://x.y>");
        assert_eq!(rustdoc_markdown("(https://x.y)"), "(<https://x.y>)");
        assert_eq!(rustdoc_markdown("e.g.\n```\n{\"a\": [1]}\n```\n"), "e.g.\n```text\n{\"a\": [1]}\n```\n");
        assert_eq!(rustdoc_markdown("```json\n[x]\n```"), "```text\n[x]\n```");
        assert_eq!(rustdoc_markdown("- a\n- b\nThen this.\n"), "- a\n- b\n\nThen this.\n");
        assert_eq!(rustdoc_markdown("- a\n  more of a\n"), "- a\n  more of a\n");
    }
}
