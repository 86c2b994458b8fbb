//! The call side: `operations.rs` (a marker type per operation, which builds its request),
//! `client.rs` and `blocking.rs` (one method per operation, from one renderer).

use super::{Piece, RustFile, code_span, doc_lines_raw, ident, one_line, qualified_type_tokens, rustdoc_markdown};
use crate::model::{
    Api, BodyMedia, Input, Operation, Output, PageStep, Param, ParamEncoding, ParamLocation, Part, PartKind, PathPiece,
    QueryStyle, Session, TypeRef,
};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

pub(crate) fn output_type(api: &Api, output: &Output) -> TokenStream {
    match output {
        Output::Json(ty) => qualified_type_tokens(api, ty),
        Output::Text => quote!(String),
        Output::Bytes => quote!(Vec<u8>),
        Output::Empty => quote!(rocketchat_runtime::NoContent),
        Output::ByStatus(id) => qualified_type_tokens(api, &TypeRef::Named(*id)),
    }
}

/// The runtime's decoder for an output.
fn decoder(output: &Output) -> TokenStream {
    match output {
        Output::Json(_) => quote!(rocketchat_runtime::Json),
        Output::Text => quote!(rocketchat_runtime::Text),
        Output::Bytes => quote!(rocketchat_runtime::Bytes),
        Output::Empty => quote!(rocketchat_runtime::Ignore),
        Output::ByStatus(_) => quote!(rocketchat_runtime::ByStatus),
    }
}

/// The operation's input type, as `Operation::Input` names it: list and byte bodies as
/// slices, so a method never takes `&Vec<T>`.
fn input_type(api: &Api, operation: &Operation) -> TokenStream {
    match (&operation.input, &operation.body) {
        (Input::Params(id), _) => qualified_type_tokens(api, &TypeRef::Named(*id)),
        (Input::Body, Some(body)) => match &body.ty {
            TypeRef::Bytes => quote!([u8]),
            TypeRef::Vec(item) => {
                let item = qualified_type_tokens(api, item);
                quote!([#item])
            }
            ty => qualified_type_tokens(api, ty),
        },
        _ => quote!(()),
    }
}

/// Whether the input is a sized, owned type (not a slice): only those can be decoded from
/// JSON by generic code such as the examples test.
fn input_is_sized(operation: &Operation) -> bool {
    !matches!((&operation.input, &operation.body), (Input::Body, Some(body)) if matches!(body.ty, TypeRef::Bytes | TypeRef::Vec(_)))
}

/// The name of the method's argument.
fn input_name(operation: &Operation) -> Ident {
    match operation.input {
        Input::None => ident("_input"),
        Input::Body => ident("body"),
        Input::Params(_) => ident("params"),
    }
}

fn is_validated(api: &Api, ty: &TypeRef) -> bool {
    ty.innermost().is_some_and(|id| api.type_def(id).validated)
}

/// `src/operations.rs`: a marker type per operation implementing
/// `rocketchat_runtime::Operation` (and `Paginated` for lists); its `request` builds the
/// request both clients send.
pub fn operations_module(api: &Api) -> RustFile<'_> {
    let head = Piece::items(|| {
        quote! {
            //! One marker type per operation, for code that handles operations generically (tests,
            //! metrics, middleware, [`Transport::send`](rocketchat_runtime::Transport::send) to
            //! read the status and rate-limit headers of any call).

            use rocketchat_runtime::{Error, Request};
        }
    });
    let markers = api.operations.iter().map(|operation| Piece::items(move || marker(api, operation)));
    let visits = Piece::items(move || visit_all(api));
    RustFile { pieces: std::iter::once(head).chain(markers).chain([visits]).collect() }
}

/// The functions that visit every operation.
fn visit_all(api: &Api) -> TokenStream {
    let visitor = if api.operations.is_empty() { quote!(_visitor) } else { quote!(visitor) };
    let visits = api.operations.iter().map(|operation| {
        let marker = ident(&operation.marker_name);
        quote!(visitor.visit::<#marker>();)
    });
    // By-status outputs are decoded by status, not by serde.
    let round_trips: Vec<&Operation> = api
        .operations
        .iter()
        .filter(|operation| input_is_sized(operation) && !matches!(operation.output, Output::ByStatus(_)))
        .collect();
    let round_trip_visitor = if round_trips.is_empty() { quote!(_visitor) } else { quote!(visitor) };
    let round_trips = round_trips.iter().map(|operation| {
        let marker = ident(&operation.marker_name);
        quote!(visitor.visit::<#marker>();)
    });
    quote! {
        /// Calls `visitor.visit::<O>()` for every operation of this module, in the order of the
        /// spec.
        pub fn visit_all(#visitor: &mut impl rocketchat_runtime::OperationVisitor) {
            #( #visits )*
        }

        /// Like [`visit_all`], with the inputs and outputs serializable both ways (operations
        /// whose input is a slice, or whose output differs by status, are left out).
        #[cfg(feature = "roundtrip")]
        pub fn visit_all_round_trip(#round_trip_visitor: &mut impl rocketchat_runtime::RoundTripVisitor) {
            #( #round_trips )*
        }
    }
}

fn marker(api: &Api, operation: &Operation) -> TokenStream {
    let marker = ident(&operation.marker_name);
    let id = &operation.id;
    let path = &operation.path;
    let method = format_ident!("{}", operation.http_method);
    let input = input_type(api, operation);
    let output = output_type(api, &operation.output);
    let decoder = decoder(&operation.output);
    let summary = one_line(operation.summary.as_deref().unwrap_or(id));
    let summary = format!(" `{} {}`: {summary}", operation.http_method, operation.path);
    let method_link = format!(" Called by [`Client::{0}`](crate::Client::{0}).", operation.method_name);
    let build = build_request(api, operation);
    let input_name = input_name(operation);
    let paginated = operation.pagination.as_ref().map(|_| paginated_impl(api, operation));
    let session = match operation.session {
        Session::None => None,
        Session::LogIn => Some(quote!(
            const SESSION: rocketchat_runtime::SessionEffect = rocketchat_runtime::SessionEffect::LogIn;
        )),
        Session::LogOut => Some(quote!(
            const SESSION: rocketchat_runtime::SessionEffect = rocketchat_runtime::SessionEffect::LogOut;
        )),
    };
    let secret_output = operation.secret_output.then(|| {
        quote!(
            const SECRET_OUTPUT: bool = true;
        )
    });
    let added_in =
        operation.added_in.as_ref().map(|version| quote!(const ADDED_IN: Option<&'static str> = Some(#version);));
    let removed_in =
        operation.removed_in.as_ref().map(|version| quote!(const REMOVED_IN: Option<&'static str> = Some(#version);));
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
            #session
            #secret_output
            #added_in
            #removed_in
            type Input = #input;
            type Output = #output;
            type Decoder = #decoder;

            fn request(#input_name: &Self::Input) -> Result<Request, Error> {
                #build
            }
        }

        #paginated
    }
}

fn build_request(api: &Api, operation: &Operation) -> TokenStream {
    let input = input_name(operation);
    let validated = match (&operation.input, &operation.body) {
        (Input::Params(id), _) => api.type_def(*id).validated,
        (Input::Body, Some(body)) => !matches!(body.ty, TypeRef::Vec(_)) && is_validated(api, &body.ty),
        _ => false,
    };
    let check = validated.then(|| quote!(rocketchat_runtime::validate::check(Self::ID, #input)?;));
    let path = path_expression(operation);
    let steps: Vec<TokenStream> =
        operation.params.iter().filter(|param| param.location != ParamLocation::Path).map(param_step).collect();
    let body = operation.body.as_ref().map(|body| {
        let value = match operation.input {
            Input::Params(_) => {
                let field = ident(Operation::BODY_FIELD);
                quote!(&params.#field)
            }
            _ => quote!(body),
        };
        match &body.media {
            BodyMedia::Json => quote!(let request = request.json(#value)?;),
            BodyMedia::Form => quote!(let request = request.form(#value)?;),
            BodyMedia::Bytes(content_type) => quote!(let request = request.bytes(#content_type, #value.to_vec())?;),
            BodyMedia::Multipart(parts) => {
                // The parts read `body`: bind it when the body is a field of the parameters.
                let bind = matches!(operation.input, Input::Params(_)).then(|| quote!(let body = #value;));
                let parts = parts.iter().map(multipart_part);
                quote! {
                    #bind
                    let form = rocketchat_runtime::Multipart::new();
                    #( #parts )*
                    let request = request.multipart(form);
                }
            }
        }
    });
    quote! {
        #check
        let request = Request::of::<Self>(#path);
        #( #steps )*
        #body
        Ok(request)
    }
}

/// The path with each parameter percent-encoded into its segment.
fn path_expression(operation: &Operation) -> TokenStream {
    if operation.path_pieces.iter().all(|piece| matches!(piece, PathPiece::Literal(_))) {
        return quote!(Self::PATH);
    }
    let pieces = operation.path_pieces.iter().map(|piece| match piece {
        PathPiece::Literal(text) => quote!(#text),
        PathPiece::Param(index) => {
            let param = &operation.params[*index];
            let name = ident(&param.name);
            let value = param_value(param);
            match param.encoding {
                ParamEncoding::Text => quote!(&rocketchat_runtime::path_segment(#value)),
                _ => quote!(&rocketchat_runtime::path_segment(rocketchat_runtime::json_text(&params.#name)?)),
            }
        }
    });
    quote!([#( #pieces ),*].concat())
}

/// A parameter's value as an argument: scalars that are `Copy` by value, the rest borrowed.
fn param_value(param: &Param) -> TokenStream {
    let name = ident(&param.name);
    match param.ty {
        TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::F64 if param.required => quote!(params.#name),
        _ => quote!(&params.#name),
    }
}

/// One line per parameter; optional ones are left out when `None`.
fn param_step(param: &Param) -> TokenStream {
    let name = ident(&param.name);
    let wire = &param.wire;
    let value = param_value(param);
    let optional = !param.required;
    let add = match (param.location, param.encoding) {
        (ParamLocation::Header, ParamEncoding::Text) if optional => {
            quote!(request.header_opt(#wire, params.#name.as_ref())?)
        }
        (ParamLocation::Header, ParamEncoding::Text) => quote!(request.header(#wire, #value)?),
        (ParamLocation::Header, _) => quote!(request.header_json(#wire, #value)?),
        (_, ParamEncoding::Text) if optional => quote!(request.query_opt(#wire, params.#name.as_ref())),
        (_, ParamEncoding::Text) => quote!(request.query(#wire, #value)),
        (_, ParamEncoding::Json) => quote!(request.query_json(#wire, #value)?),
        (_, ParamEncoding::Styled(style)) => {
            let style = query_style(style);
            quote!(request.query_styled(#wire, #value, #style)?)
        }
    };
    quote! { let request = #add; }
}

fn query_style(style: QueryStyle) -> TokenStream {
    match style {
        QueryStyle::Form { explode } => quote!(rocketchat_runtime::QueryStyle::Form { explode: #explode }),
        QueryStyle::SpaceDelimited => quote!(rocketchat_runtime::QueryStyle::SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(rocketchat_runtime::QueryStyle::PipeDelimited),
        QueryStyle::DeepObject => quote!(rocketchat_runtime::QueryStyle::DeepObject),
    }
}

/// `impl Paginated`: which fields page the input, where the items and the total are.
fn paginated_impl(api: &Api, operation: &Operation) -> TokenStream {
    let Some(pagination) = &operation.pagination else { return TokenStream::new() };
    let marker = ident(&operation.marker_name);
    let item = qualified_type_tokens(api, &pagination.item);
    let offset = &operation.params[pagination.offset_param];
    let count = &operation.params[pagination.count_param];
    let requested = |param: &Param| {
        let name = ident(&param.name);
        match (param.required, &param.ty) {
            (false, TypeRef::I64) => quote!(params.#name),
            (false, _) => quote!(params.#name.map(i64::from)),
            (true, TypeRef::I64) => quote!(Some(params.#name)),
            (true, _) => quote!(Some(i64::from(params.#name))),
        }
    };
    let set = |param: &Param, value: Ident| {
        let name = ident(&param.name);
        let converted = quote!(#value.try_into().unwrap_or(i64::MAX));
        let converted = match &param.ty {
            TypeRef::I32 => quote!(#value.try_into().unwrap_or(i32::MAX)),
            _ => converted,
        };
        if param.required { quote!(page.#name = #converted;) } else { quote!(page.#name = Some(#converted);) }
    };
    let (requested_offset, requested_count) = (requested(offset), requested(count));
    let (set_offset, set_count) = (set(offset, ident("offset")), set(count, ident("count")));
    let path = |names: &[String]| {
        let names = names.iter().map(|name| ident(name));
        quote!(output #( .#names )*)
    };
    let items = path(&pagination.items_path);
    let items = if pagination.items_optional { quote!(#items.unwrap_or_default()) } else { items };
    let total = match &pagination.total_path {
        Some((names, false)) => {
            let total = path(names);
            quote!(u64::try_from(#total).ok())
        }
        Some((names, true)) => {
            let total = path(names);
            quote!(#total.and_then(|total| u64::try_from(total).ok()))
        }
        None => quote!(None),
    };
    let step = match pagination.step {
        PageStep::ItemsReceived => None,
        PageStep::CountRequested => Some(quote!(
            const STEP: rocketchat_runtime::PageStep = rocketchat_runtime::PageStep::CountRequested;
        )),
    };
    let empty_on_errors = (!pagination.empty_on_errors.is_empty()).then(|| {
        let messages = &pagination.empty_on_errors;
        quote!(const EMPTY_ON_ERRORS: &'static [&'static str] = &[#(#messages),*];)
    });
    quote! {
        impl rocketchat_runtime::Paginated for #marker {
            type Item = #item;
            #step
            #empty_on_errors

            fn requested(params: &Self::Input) -> (Option<i64>, Option<i64>) {
                (#requested_offset, #requested_count)
            }

            fn page(params: &Self::Input, offset: u64, count: u64) -> Self::Input {
                let mut page = params.clone();
                #set_offset
                #set_count
                page
            }

            fn into_page(output: Self::Output) -> rocketchat_runtime::Page<Self::Item> {
                rocketchat_runtime::Page { total: #total, items: #items }
            }
        }
    }
}

/// One part as the model decided: files as files, text as text, the rest as JSON text;
/// flattened fields and extra keys contribute their own keys.
fn multipart_part(part: &Part) -> TokenStream {
    let name = ident(&part.field);
    let wire = part.wire.as_deref().unwrap_or_default();
    let add = match part.kind {
        PartKind::Flattened => return quote!(let form = form.flattened(&body.#name)?;),
        PartKind::File => quote!(form.file(#wire, value)),
        PartKind::Secret => quote!(form.text(#wire, value.expose())),
        PartKind::Text => quote!(form.text(#wire, value)),
        PartKind::Json => quote!(form.json(#wire, value)?),
    };
    match (part.optional, part.nullable) {
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

/// The two clients: the same methods, returning a call to `.await` or blocking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Async,
    Blocking,
}

/// `src/client.rs`: the async `Client`.
pub fn client_module(api: &Api) -> RustFile<'_> {
    client(api, ClientKind::Async)
}

/// `src/blocking.rs`: the blocking `Client` (feature `blocking`).
pub fn blocking_module(api: &Api) -> RustFile<'_> {
    client(api, ClientKind::Blocking)
}

fn client(api: &Api, kind: ClientKind) -> RustFile<'_> {
    let head = Piece::items(move || client_struct(kind));
    let constructors = Piece::methods_of("Client", move || constructors(kind));
    let methods =
        api.operations.iter().map(|operation| Piece::methods_of("Client", move || client_method(api, operation, kind)));
    RustFile { pieces: [head, constructors].into_iter().chain(methods).collect() }
}

/// The module's docs and imports, and the `Client` struct.
fn client_struct(kind: ClientKind) -> TokenStream {
    let (module_doc, transport, struct_doc) = match kind {
        ClientKind::Async => (
            quote! {
                //! The client: one method per operation of the spec, each returning a
                //! [`Call`](rocketchat_runtime::Call), a `Future` to `.await`.
            },
            quote!(rocketchat_runtime::Transport),
            "A client for the Rocket.Chat REST API.\n\nCheap to clone: clones share one connection pool.",
        ),
        ClientKind::Blocking => (
            quote! {
                //! A blocking client, for scripts and command-line tools: one method per operation,
                //! like the async [`crate::Client`]. Enabled by the `blocking` feature.
            },
            quote!(rocketchat_runtime::blocking::Transport),
            "A blocking client for the Rocket.Chat REST API. Create and use it outside any async\nruntime. Cheap to clone.",
        ),
    };
    let struct_doc = doc_lines_raw(struct_doc);
    quote! {
        #module_doc

        use crate::operations;
        use rocketchat_runtime::{Credentials, Error, TwoFactor};

        #( #[doc = #struct_doc] )*
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: #transport,
        }
    }
}

/// The client's methods of its own: constructors and accessors.
fn constructors(kind: ClientKind) -> TokenStream {
    let (transport, build) = match kind {
        ClientKind::Async => (quote!(rocketchat_runtime::Transport), quote!(build)),
        ClientKind::Blocking => (quote!(rocketchat_runtime::blocking::Transport), quote!(build_blocking)),
    };
    let (new_errors, from_transport_doc) = match kind {
        ClientKind::Async => (
            "[`Error::Config`] if `base_url` is not an absolute `http` or `https` URL.",
            "A client over a transport configured with\n[`Transport::builder`](rocketchat_runtime::Transport::builder) (timeouts, retries on 429,\nbody limits, user agent, your own `reqwest::Client`).",
        ),
        ClientKind::Blocking => (
            "[`Error::Config`] if `base_url` is not an absolute `http` or `https` URL, or\nwhen called inside an async runtime.",
            "A client over a transport from\n[`TransportBuilder::build_blocking`](rocketchat_runtime::TransportBuilder::build_blocking).",
        ),
    };
    let new_errors = doc_lines_raw(new_errors);
    let from_transport_doc = doc_lines_raw(from_transport_doc);
    quote! {
        /// A client for the server at `base_url` (such as `https://chat.example.com`, or
        /// `https://example.com/chat` for a server installed under a sub-path), with the
        /// default settings of [`Transport::builder`](rocketchat_runtime::Transport::builder).
        ///
        /// # Errors
        ///
        #( #[doc = #new_errors] )*
        pub fn new(base_url: &str, credentials: Credentials) -> Result<Self, Error> {
            rocketchat_runtime::Transport::builder(base_url, credentials).#build().map(Self::from_transport)
        }

        /// A client for the server in `ROCKETCHAT_URL`, as the user in
        /// `ROCKETCHAT_USER_ID` with the token in `ROCKETCHAT_AUTH_TOKEN`.
        ///
        /// # Errors
        ///
        /// [`Error::Config`] naming each variable that is unset or empty, or if the URL is
        /// not valid.
        pub fn from_env() -> Result<Self, Error> {
            rocketchat_runtime::Transport::builder_from_env()?.#build().map(Self::from_transport)
        }

        #( #[doc = #from_transport_doc] )*
        pub fn from_transport(transport: #transport) -> Self {
            Self { transport }
        }

        /// The transport this client sends requests through. Its `send::<O>` returns the
        /// status and rate-limit headers of any operation `O` of [`crate::operations`] too.
        pub fn transport(&self) -> &#transport {
            &self.transport
        }

        /// A copy of this client that sends a two-factor code with every call, for calls
        /// the server protects with 2FA.
        pub fn with_two_factor(&self, two_factor: TwoFactor) -> Self {
            Self { transport: self.transport.with_two_factor(two_factor) }
        }
    }
}

fn client_method(api: &Api, operation: &Operation, kind: ClientKind) -> TokenStream {
    let name = ident(&operation.method_name);
    let marker = ident(&operation.marker_name);
    let output = output_type(api, &operation.output);
    let deprecated = match (&operation.deprecated_in, &operation.removed_in) {
        (Some(since), Some(removed)) => {
            let note = format!("removed in Rocket.Chat {removed}");
            Some(quote!(#[deprecated(since = #since, note = #note)]))
        }
        (Some(since), None) => Some(quote!(#[deprecated(since = #since)])),
        (None, _) if operation.deprecated => Some(quote!(#[deprecated])),
        (None, _) => None,
    };
    let input = input_type(api, operation);
    let (argument, passed) = match operation.input {
        Input::None => (None, quote!(&())),
        _ => {
            let input_name = input_name(operation);
            (Some(quote!(#input_name: &#input)), quote!(#input_name))
        }
    };
    let docs = match kind {
        ClientKind::Async => doc_lines_raw(&method_doc(api, operation)),
        ClientKind::Blocking => {
            let summary = one_line(operation.summary.as_deref().unwrap_or(&operation.id));
            let see = format!(
                "`{} {}`. Blocks until the call completes; see [`crate::Client::{}`] for the permissions and failures.",
                operation.http_method, operation.path, operation.method_name
            );
            doc_lines_raw(&format!("{summary}\n\n{see}"))
        }
    };
    let method = match kind {
        ClientKind::Async => {
            let decoder = match operation.output {
                Output::Json(_) => None,
                _ => {
                    let decoder = decoder(&operation.output);
                    Some(quote!(, #decoder))
                }
            };
            quote! {
                pub fn #name(&self, #argument) -> rocketchat_runtime::Call<'_, #output #decoder> {
                    self.transport.call::<operations::#marker>(#passed)
                }
            }
        }
        ClientKind::Blocking => quote! {
            pub fn #name(&self, #argument) -> Result<#output, Error> {
                self.transport.execute::<operations::#marker>(#passed)
            }
        },
    };
    let paged = operation.pagination.as_ref().map(|pagination| {
        let argument = argument.clone();
        let (method_name, returns, constructor) = match kind {
            ClientKind::Async => (
                ident(&pagination.stream_method),
                quote!(rocketchat_runtime::ItemStream<'_, operations::#marker>),
                quote!(rocketchat_runtime::ItemStream::new),
            ),
            ClientKind::Blocking => (
                ident(&pagination.iter_method),
                quote!(rocketchat_runtime::Items<'_, operations::#marker>),
                quote!(rocketchat_runtime::Items::new),
            ),
        };
        let what = match kind {
            ClientKind::Async => "A stream of",
            ClientKind::Blocking => "An iterator over",
        };
        let stops = match pagination.step {
            PageStep::ItemsReceived => "It stops at the `total` the server reports or at an empty page",
            PageStep::CountRequested => {
                "The server drops items after paging, so a short page is not the end: `offset` moves by \
                 the `count` asked. It stops at the `total` the server reports"
            }
        };
        let mut doc = format!(
            "{what} every item of [`Client::{0}`](Self::{0}), fetched page after page from the `offset` and \
             `count` of `params` (`count` is the page size; default {1}). {stops}, and can be cut short with \
             `.limit(n)`.",
            operation.method_name, 50
        );
        if !pagination.empty_on_errors.is_empty() {
            let texts: Vec<String> = pagination.empty_on_errors.iter().map(|text| code_span(text)).collect();
            doc.push_str(&format!(
                "\n\nThe server answers a 400 instead of an empty page, and that ends the list too, without an \
                 error: a 400 whose `error` is {}.",
                texts.join(" or ")
            ));
        }
        let doc = doc_lines_raw(&doc);
        quote! {
            #( #[doc = #doc] )*
            #deprecated
            pub fn #method_name(&self, #argument) -> #returns {
                #constructor(&self.transport, #passed)
            }
        }
    });
    quote! {
        #( #[doc = #docs] )*
        #deprecated
        #method
        #paged
    }
}

/// The method's documentation: what it does, what it takes, what it needs and how it fails.
/// Spec text is made safe for rustdoc; the generator's own text uses intra-doc links.
fn method_doc(api: &Api, operation: &Operation) -> String {
    let mut sections = Vec::new();
    sections.push(rustdoc_markdown(operation.summary.as_deref().unwrap_or(&operation.id)));
    sections.push(format!("`{} {}`", operation.http_method, operation.path));
    if let Some(description) = &operation.description {
        sections.push(rustdoc_markdown(description.trim()));
    }
    if let Input::Params(id) = operation.input {
        let params_type = api.name(id);
        let mut arguments = format!("# Parameters\n\nThe fields of [`{params_type}`](crate::types::{params_type}):\n");
        for param in &operation.params {
            let place = match param.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            };
            let description = param.doc.as_deref().map(|doc| format!(": {}", one_line(doc))).unwrap_or_default();
            arguments.push_str(&format!("\n- `{}` (`{}`, {place}){description}", param.name, param.wire));
        }
        if operation.body.is_some() {
            let description = operation.body.as_ref().and_then(|body| body.description.as_deref());
            let description = description.map(|doc| format!(": {}", one_line(doc))).unwrap_or_default();
            arguments.push_str(&format!("\n- `{}`: the request body{description}", Operation::BODY_FIELD));
        }
        sections.push(arguments);
    } else if let Some(description) = operation.body.as_ref().and_then(|body| body.description.as_deref()) {
        sections.push(format!("# Arguments\n\n- `body`: {}", one_line(description)));
    }
    match &operation.permissions {
        Some(permissions) if permissions.is_empty() => sections.push("# Permissions\n\nNone required.".into()),
        Some(permissions) => {
            let list: Vec<String> = permissions.iter().map(|p| format!("`{}`", one_line(p))).collect();
            sections.push(format!("# Permissions\n\n{}", list.join(", ")));
        }
        None => {}
    }
    let dates = [
        operation.added_in.as_ref().map(|version| format!("Added in Rocket.Chat {}.", one_line(version))),
        operation.deprecated_in.as_ref().map(|version| format!("Deprecated since {}.", one_line(version))),
        operation.removed_in.as_ref().map(|version| format!("Removed in {}.", one_line(version))),
    ];
    let dates: Vec<String> = dates.into_iter().flatten().collect();
    if !dates.is_empty() {
        sections.push(dates.join(" "));
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

#[cfg(test)]
mod tests {
    use crate::model::CLIENT_METHODS;

    /// The model keeps operation methods off the names the client's own methods have: the
    /// list it keeps must be the methods rendered here.
    #[test]
    fn the_model_knows_every_method_the_client_has_of_its_own() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let spec = crate::load::load(spec, "t.yaml").unwrap_or_else(|error| panic!("{error}"));
        let api = crate::model::build(spec, "t.yaml").unwrap_or_else(|error| panic!("{error}"));
        for client in [super::client_module(&api), super::blocking_module(&api)] {
            let source = client.tokens().to_string();
            let methods: Vec<&str> = source
                .split("pub fn ")
                .skip(1)
                .filter_map(|rest| rest.split(|c: char| !c.is_alphanumeric() && c != '_').next())
                .collect();
            assert_eq!(methods, CLIENT_METHODS);
        }
    }
}
