//! The call side: `operations.rs` (markers), `requests.rs` (building requests and decoding
//! responses, shared by both clients), `client.rs` and `blocking.rs`.

use super::{doc_lines_raw, ident, one_line, qualified_type_tokens, rustdoc_markdown};
use crate::model::{Api, BodyMedia, Field, Operation, Output, Param, ParamLocation, PathPiece, TypeKind, TypeRef};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

/// Clippy's limit; methods with more take them anyway, since each is one of the spec's.
const CLIPPY_MAX_ARGUMENTS: usize = 7;

pub(crate) fn output_type(output: &Output) -> TokenStream {
    match output {
        Output::Json(ty) => qualified_type_tokens(ty),
        Output::Text => quote!(String),
        Output::Bytes => quote!(Vec<u8>),
        Output::Empty => quote!(rocketchat_runtime::NoContent),
        Output::ByStatus(name) => {
            let name = ident(name);
            quote!(crate::types::#name)
        }
    }
}

/// How an argument of this type is passed: by value for small scalars, else by reference.
fn argument_type(ty: &TypeRef, required: bool) -> TokenStream {
    let by_reference = match ty {
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 => {
            let ty = qualified_type_tokens(ty);
            return if required { ty } else { quote!(Option<#ty>) };
        }
        TypeRef::String => quote!(&str),
        TypeRef::Vec(item) => {
            let item = qualified_type_tokens(item);
            quote!(&[#item])
        }
        other => {
            let ty = qualified_type_tokens(other);
            quote!(&#ty)
        }
    };
    if required { by_reference } else { quote!(Option<#by_reference>) }
}

fn body_argument(operation: &Operation) -> Option<TokenStream> {
    let body = operation.body.as_ref()?;
    Some(match body.media {
        BodyMedia::Bytes(_) => quote!(&[u8]),
        _ => argument_type(&body.ty, true),
    })
}

/// The method's parameters, as `name: Type` pairs, body last.
fn arguments(operation: &Operation) -> Vec<TokenStream> {
    let mut arguments: Vec<TokenStream> = operation
        .params
        .iter()
        .map(|param| {
            let name = ident(&param.name);
            let ty = argument_type(&param.ty, param.required);
            quote!(#name: #ty)
        })
        .collect();
    if let Some(body) = body_argument(operation) {
        arguments.push(quote!(body: #body));
    }
    arguments
}

fn argument_names(operation: &Operation) -> Vec<Ident> {
    let mut names: Vec<Ident> = operation.params.iter().map(|param| ident(&param.name)).collect();
    if operation.body.is_some() {
        names.push(ident("body"));
    }
    names
}

fn too_many_arguments(operation: &Operation) -> Option<TokenStream> {
    let count = operation.params.len() + usize::from(operation.body.is_some()) + 1;
    (count > CLIPPY_MAX_ARGUMENTS).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// `src/operations.rs`: a marker type per operation that `rocketchat_runtime::Operation` can
/// describe fully (no parameters, JSON in and out).
pub fn operations_module(api: &Api) -> TokenStream {
    let simple: Vec<&Operation> = api.operations.iter().filter(|operation| operation.is_simple()).collect();
    let markers = simple.iter().map(|operation| {
        let marker = ident(&operation.marker_name);
        let id = &operation.id;
        let path = &operation.path;
        let method = format_ident!("{}", operation.http_method);
        let body = match &operation.body {
            Some(body) => qualified_type_tokens(&body.ty),
            None => quote!(()),
        };
        let output = output_type(&operation.output);
        let ignores_body = (operation.output == Output::Empty).then(|| {
            quote!(
                const IGNORES_BODY: bool = true;
            )
        });
        let summary = one_line(operation.summary.as_deref().unwrap_or(id));
        let summary = format!(" `{} {}`: {summary}", operation.http_method, operation.path);
        let method_link = format!(" Called by [`Client::{0}`](crate::Client::{0}).", operation.method_name);
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
                #ignores_body
            }
        }
    });
    let visitor = if simple.is_empty() { quote!(_visitor) } else { quote!(visitor) };
    let visits: Vec<TokenStream> = simple
        .iter()
        .map(|operation| {
            let marker = ident(&operation.marker_name);
            quote!(visitor.visit::<#marker>();)
        })
        .collect();
    quote! {
        //! One marker type per operation without parameters (JSON in, JSON out), for code that
        //! handles operations generically (tests, metrics, middleware).

        #( #markers )*

        /// Calls `visitor.visit::<O>()` for every operation of this module, in the order of the
        /// spec.
        pub fn visit_all(#visitor: &mut impl rocketchat_runtime::OperationVisitor) {
            #( #visits )*
        }

        /// Like [`visit_all`], with the request and response types serializable both ways.
        #[cfg(feature = "roundtrip")]
        pub fn visit_all_round_trip(#visitor: &mut impl rocketchat_runtime::RoundTripVisitor) {
            #( #visits )*
        }
    }
}

/// `src/requests.rs`: per operation, a function that builds its request and one that decodes
/// its success response. Both clients call them, so they cannot drift apart.
pub fn requests_module(api: &Api) -> TokenStream {
    let functions = api.operations.iter().map(|operation| {
        let build = ident(&operation.method_name);
        let decode = format_ident!("{}_output", operation.method_name);
        let arguments = arguments(operation);
        let allow = too_many_arguments(operation);
        let output = output_type(&operation.output);
        let build_body = build_request(api, operation);
        let decode_body = decode_output(&operation.output, api);
        // An empty output does not look at the response.
        let response = if operation.output == Output::Empty { quote!(_response) } else { quote!(response) };
        // JSON outputs are decoded by generic runtime code, compiled where a call is awaited.
        let decoder = (!matches!(operation.output, Output::Json(_))).then(|| {
            quote! {
                pub(crate) fn #decode(#response: rocketchat_runtime::RawResponse) -> Result<#output, Error> {
                    #decode_body
                }
            }
        });
        quote! {
            #allow
            pub(crate) fn #build(#( #arguments ),*) -> Result<Request, Error> {
                #build_body
            }

            #decoder
        }
    });
    quote! {
        //! Building each operation's request and decoding its response, for both clients.

        use rocketchat_runtime::{Error, Request};

        #( #functions )*
    }
}

fn build_request(api: &Api, operation: &Operation) -> TokenStream {
    let id = &operation.id;
    let method = format_ident!("{}", operation.http_method);
    let path = path_expression(api, operation);
    let mut steps = Vec::new();
    for param in operation.params.iter().filter(|param| param.location != ParamLocation::Path) {
        steps.push(param_step(api, param));
    }
    if let Some(body) = &operation.body {
        steps.push(match &body.media {
            BodyMedia::Json => quote!(let request = request.json(body)?;),
            BodyMedia::Form => quote!(let request = request.form(body)?;),
            BodyMedia::Bytes(content_type) => quote!(let request = request.bytes(#content_type, body.to_vec())?;),
            BodyMedia::Multipart => multipart_step(api, &body.ty),
        });
    }
    quote! {
        let request = Request::new(#id, rocketchat_runtime::http::Method::#method, #path);
        #( #steps )*
        Ok(request)
    }
}

/// The path with each parameter percent-encoded into its segment.
fn path_expression(api: &Api, operation: &Operation) -> TokenStream {
    if operation.path_pieces.iter().all(|piece| matches!(piece, PathPiece::Literal(_))) {
        let path = &operation.path;
        return quote!(#path);
    }
    let pieces = operation.path_pieces.iter().map(|piece| match piece {
        PathPiece::Literal(text) => quote!(#text),
        PathPiece::Param(index) => {
            let param = &operation.params[*index];
            let name = ident(&param.name);
            if is_displayable(&param.ty) || is_string_enum(api, &param.ty) {
                quote!(&rocketchat_runtime::path_segment(#name))
            } else {
                quote!(&rocketchat_runtime::path_segment(rocketchat_runtime::json_text(#name)?))
            }
        }
    });
    quote!([#( #pieces ),*].concat())
}

/// Whether values of this type are sent as their `Display` text (else as JSON text).
fn is_displayable(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 | TypeRef::String)
}

fn is_string_enum(api: &Api, ty: &TypeRef) -> bool {
    let TypeRef::Named(name) = ty else { return false };
    matches!(api.type_def(name).map(|def| &def.kind), Some(TypeKind::StringEnum { .. }))
}

fn param_step(api: &Api, param: &Param) -> TokenStream {
    let name = ident(&param.name);
    let wire = match param.location {
        // Header names are case-insensitive; lower case is how HTTP/2 sends them.
        ParamLocation::Header => param.wire.to_ascii_lowercase(),
        _ => param.wire.clone(),
    };
    let add = |value: TokenStream| match (param.location, &param.ty) {
        (ParamLocation::Header, ty) if is_displayable(ty) || is_string_enum(api, ty) => {
            quote!(request.header(#wire, #value)?)
        }
        (ParamLocation::Header, _) => quote!(request.header(#wire, rocketchat_runtime::json_text(#value)?)?),
        (_, ty) if is_displayable(ty) || is_string_enum(api, ty) => quote!(request.query(#wire, #value)),
        (_, TypeRef::Vec(item)) if is_displayable(item) || is_string_enum(api, item) => {
            quote!(request.query_each(#wire, #value))
        }
        _ => quote!(request.query_json(#wire, #value)?),
    };
    if param.required {
        let add = add(quote!(#name));
        quote! { let request = #add; }
    } else {
        let add = add(quote!(value));
        quote! {
            let request = match #name {
                Some(value) => #add,
                None => request,
            };
        }
    }
}

/// Each field of the body struct becomes a part: files as files, scalars as text, anything
/// else as JSON text; flattened fields and extra keys contribute their own keys.
fn multipart_step(api: &Api, ty: &TypeRef) -> TokenStream {
    let kind = match ty {
        TypeRef::Named(name) => api.type_def(name).map(|def| &def.kind),
        _ => None,
    };
    let Some(TypeKind::Struct { fields, additional }) = kind else {
        // The model sends a multipart body that is not a struct as JSON instead.
        return quote!(let request = request.json(body)?;);
    };
    let mut parts: Vec<TokenStream> = fields.iter().map(|field| multipart_part(api, field)).collect();
    if additional.is_some() {
        parts.push(quote!(let form = form.flattened(&body.additional_properties)?;));
    }
    quote! {
        let form = rocketchat_runtime::Multipart::new();
        #( #parts )*
        let request = request.multipart(form);
    }
}

fn multipart_part(api: &Api, field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let Some(wire) = &field.wire else {
        return quote!(let form = form.flattened(&body.#name)?;);
    };
    let add = match &field.ty {
        TypeRef::File => quote!(form.file(#wire, value)),
        ty if is_displayable(ty) || is_string_enum(api, ty) => quote!(form.text(#wire, value)),
        _ => quote!(form.json(#wire, value)?),
    };
    match (field.optional, field.nullable) {
        (false, false) => quote! { let value = &body.#name; let form = #add; },
        (true, true) => quote! {
            let form = match &body.#name {
                Some(Some(value)) => #add,
                _ => form,
            };
        },
        _ => quote! {
            let form = match &body.#name {
                Some(value) => #add,
                None => form,
            };
        },
    }
}

/// The decoded value of a success response, as an expression over `response`.
fn value_expression(output: &Output) -> TokenStream {
    match output {
        Output::Json(_) | Output::ByStatus(_) => quote!(response.json()?),
        Output::Text => quote!(response.text()),
        Output::Bytes => quote!(response.into_bytes()),
        Output::Empty => quote!(rocketchat_runtime::NoContent),
    }
}

fn decode_output(output: &Output, api: &Api) -> TokenStream {
    match output {
        Output::Json(_) => quote!(response.json()),
        Output::ByStatus(name) => {
            let Some(TypeKind::ByStatus { variants }) = api.type_def(name).map(|def| &def.kind) else {
                return quote!(Err(response.undocumented()));
            };
            let enum_name = ident(name);
            // Exact codes first, then the `2XX` range for the rest.
            let mut ordered: Vec<_> = variants.iter().collect();
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
                let value = value_expression(&variant.output);
                quote!(#status => Ok(crate::types::#enum_name::#variant_name(#value)),)
            });
            quote! {
                match response.status.as_u16() {
                    #( #arms )*
                    _ => Err(response.undocumented()),
                }
            }
        }
        other => {
            let value = value_expression(other);
            quote!(Ok(#value))
        }
    }
}

/// `src/client.rs`: the `Client` and one async method per operation.
pub fn client_module(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(|operation| client_method(operation, true));
    quote! {
        //! The client: one method per operation of the spec, returning a call to `.await`.

        use crate::requests;
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

fn client_method(operation: &Operation, asynchronous: bool) -> TokenStream {
    let name = ident(&operation.method_name);
    let decode = format_ident!("{}_output", operation.method_name);
    let output = output_type(&operation.output);
    let deprecated = operation.deprecated.then(|| quote!(#[deprecated]));
    let allow = too_many_arguments(operation);
    let arguments = arguments(operation);
    let names = argument_names(operation);
    let docs = if asynchronous {
        doc_lines_raw(&method_doc(operation))
    } else {
        let summary = one_line(operation.summary.as_deref().unwrap_or(&operation.id));
        let see = format!(
            "`{} {}`. Blocks until the call completes; see [`crate::Client::{}`] for the permissions and failures.",
            operation.http_method, operation.path, operation.method_name
        );
        doc_lines_raw(&format!("{summary}\n\n{see}"))
    };
    let json = matches!(operation.output, Output::Json(_));
    match (asynchronous, json) {
        (true, true) => quote! {
            #( #[doc = #docs] )*
            #deprecated
            #allow
            pub fn #name(&self, #( #arguments ),*) -> rocketchat_runtime::Call<'_, #output> {
                self.transport.call(requests::#name(#( #names ),*), rocketchat_runtime::Json)
            }
        },
        (true, false) => quote! {
            #( #[doc = #docs] )*
            #deprecated
            #allow
            pub fn #name(&self, #( #arguments ),*) -> rocketchat_runtime::Call<'_, #output, rocketchat_runtime::Custom<#output>> {
                self.transport.call(requests::#name(#( #names ),*), rocketchat_runtime::Custom(requests::#decode))
            }
        },
        (false, true) => quote! {
            #( #[doc = #docs] )*
            #deprecated
            #allow
            pub fn #name(&self, #( #arguments ),*) -> Result<#output, Error> {
                self.transport.send_request(requests::#name(#( #names ),*)?)?.json()
            }
        },
        (false, false) => quote! {
            #( #[doc = #docs] )*
            #deprecated
            #allow
            pub fn #name(&self, #( #arguments ),*) -> Result<#output, Error> {
                requests::#decode(self.transport.send_request(requests::#name(#( #names ),*)?)?)
            }
        },
    }
}

/// The method's documentation: what it does, what it takes, what it needs and how it fails.
/// Spec text is made safe for rustdoc; the generator's own text uses intra-doc links.
fn method_doc(operation: &Operation) -> String {
    let mut sections = Vec::new();
    sections.push(rustdoc_markdown(operation.summary.as_deref().unwrap_or(&operation.id)));
    sections.push(format!("`{} {}`", operation.http_method, operation.path));
    if let Some(description) = &operation.description {
        sections.push(rustdoc_markdown(description.trim()));
    }
    if !operation.params.is_empty() || operation.body.as_ref().is_some_and(|body| body.description.is_some()) {
        let mut arguments = String::from("# Arguments\n");
        for param in &operation.params {
            let place = match param.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            };
            let description = param.doc.as_deref().map(|doc| format!(": {}", one_line(doc))).unwrap_or_default();
            arguments.push_str(&format!("\n- `{}` (`{}`, {place}){description}", param.name, param.wire));
        }
        if let Some(description) = operation.body.as_ref().and_then(|body| body.description.as_deref()) {
            arguments.push_str(&format!("\n- `body`: {}", one_line(description)));
        }
        sections.push(arguments);
    }
    match &operation.permissions {
        Some(permissions) if permissions.is_empty() => sections.push("# Permissions\n\nNone required.".into()),
        Some(permissions) => {
            let list: Vec<String> = permissions.iter().map(|p| format!("`{}`", one_line(p))).collect();
            sections.push(format!("# Permissions\n\n{}", list.join(", ")));
        }
        None => {}
    }
    if let Some(version) = &operation.added_in {
        sections.push(format!("Added in Rocket.Chat {}.", one_line(version)));
    }
    let mut errors =
        String::from("# Errors\n\nThe returned call resolves to any [`Error`]. The spec documents these failures:\n");
    let failures: Vec<_> = operation.responses.iter().filter(|response| !response.is_success).collect();
    for response in &failures {
        errors.push_str(&format!("\n- `{}`: {}", response.status, one_line(&response.description)));
    }
    if failures.is_empty() {
        errors = String::from(
            "# Errors\n\nThe returned call resolves to any [`Error`]; the spec documents no failure responses.",
        );
    }
    sections.push(errors);
    sections.join("\n\n")
}

/// `src/blocking.rs`: the same methods, blocking the calling thread (feature `blocking`).
pub fn blocking_module(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(|operation| client_method(operation, false));
    quote! {
        //! A blocking client, for scripts and command-line tools: one method per operation,
        //! like the async [`crate::Client`]. Enabled by the `blocking` feature.

        use crate::requests;
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
