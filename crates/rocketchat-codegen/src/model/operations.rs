//! Paths and operations to client methods.

use super::pagination::Pending;
use super::type_space::TypeSpace;
use super::{
    BodyMedia, CLIENT_METHODS, Field, Input, Operation, Output, PageStep, Param, ParamEncoding, ParamLocation,
    PathPiece, QueryStyle, RequestBody, ResponseDoc, Session, Spec, StatusVariant, TypeDef, TypeKind, TypeRef, Warning,
    rules,
};
use crate::error::{Error, Pointer};
use crate::naming::{self, Scope};
use openapiv3::{
    Content, Operation as SpecOperation, Parameter, ParameterSchemaOrContent, Paths, ReferenceOr,
    RequestBody as SpecRequestBody, Response, StatusCode,
};
use std::collections::HashMap;

/// Headers that carry the client's own credentials (and second factor): never arguments.
const CLIENT_HEADERS: &[&str] = &["x-auth-token", "x-user-id", "x-2fa-code", "x-2fa-method"];

/// The `x-` keys of an operation that this generator reads (README, "Spec extensions").
const OPERATION_EXTENSIONS: &[&str] =
    &["x-permissions", "x-added-in", "x-deprecated-in", "x-removed-in", "x-session", "x-pagination", "x-source"];

/// Operation lowering: the spec's paths to operations, asking the type space for the type of
/// every schema they hold.
pub(super) struct Lowering<'a> {
    spec: &'a Spec<'a>,
    types: TypeSpace<'a>,
}

impl<'a> Lowering<'a> {
    /// Lowering of `paths`, whose failure responses decide the error codes and which
    /// components only errors use.
    pub(super) fn new(spec: &'a Spec<'a>, paths: &Paths) -> Self {
        Self { spec, types: TypeSpace::new(spec, paths) }
    }

    /// The types, once every operation is lowered, the error codes' enum among them, and
    /// the warnings of both.
    pub(super) fn finish(mut self) -> Result<(Vec<TypeDef>, super::TypeId, Vec<Warning>), Error> {
        let error_type = self.types.define_error_type()?;
        let (types, warnings) = self.types.finish()?;
        Ok((types, error_type, warnings))
    }

    /// Every operation, and the `x-pagination` of those that have it (resolved once every type
    /// is known).
    pub(super) fn operations(&mut self, paths: Paths) -> Result<(Vec<Operation>, Vec<Pending>), Error> {
        let mut method_names = Scope::default();
        CLIENT_METHODS.iter().for_each(|name| method_names.reserve(name));
        let mut marker_names = Scope::default();
        let mut operations = Vec::new();
        let mut paged = Vec::new();
        // Each id names an operation to its marker type, to `Operation::ID` and to the fake's
        // routes, so two operations under one id would be told apart by order alone.
        let mut ids: HashMap<String, String> = HashMap::new();
        let paths_pointer = Pointer::root().join("paths");
        for (path_key, item) in paths.paths {
            let pointer = paths_pointer.join(&path_key);
            let ReferenceOr::Item(item) = item else {
                return Err(self.spec.unsupported(&pointer, "a `$ref` path item", "write the path item inline"));
            };
            for (method, operation) in item.iter() {
                let pointer = pointer.join(method);
                let place = format!("{method} {path_key}");
                let id = operation.operation_id.clone().unwrap_or_else(|| place.clone());
                if let Some(first) = ids.insert(id.clone(), place) {
                    return Err(match operation.operation_id {
                        Some(_) => self.spec.invalid(
                            &pointer.join("operationId"),
                            &format!(
                                "`operationId: {id}` is also the id of `{first}`; OpenAPI requires each operation's \
                                 id to be unique: rename one"
                            ),
                        ),
                        // No key to point at: the operation itself, and where its id came from.
                        None => self.spec.invalid(
                            &pointer,
                            &format!(
                                "this operation has no `operationId`, so its id is its method and path, `{id}`, which \
                                 is also the id of `{first}`; give this operation an `operationId`"
                            ),
                        ),
                    });
                }
                let method_name = method_names.unique(naming::snake(&id));
                if let Some(PaginationExtension { items, step, empty_on_errors }) =
                    self.pagination_extension(operation, &pointer)?
                {
                    paged.push(Pending {
                        operation: operations.len(),
                        items,
                        step,
                        empty_on_errors,
                        pointer: pointer.join("x-pagination"),
                        stream_method: method_names.unique(format!("{method_name}_stream")),
                        iter_method: method_names.unique(format!("{method_name}_iter")),
                    });
                }
                let names = (method_name, marker_names.unique(naming::camel(&id)));
                let shared = &item.parameters;
                let built = self.operation(operation, shared, &pointer, id, names, method, &path_key)?;
                operations.push(built);
                self.types.drain_queue()?;
            }
        }
        Ok((operations, paged))
    }

    /// `x-pagination: {items: members}`: the name of the output's field holding the items, how
    /// far a page moves the offset (`step: received`, the default, or `requested`), and the
    /// failure messages that mean an empty page (`empty-on-errors`).
    fn pagination_extension(
        &self,
        operation: &SpecOperation,
        pointer: &Pointer,
    ) -> Result<Option<PaginationExtension>, Error> {
        let Some(value) = operation.extensions.get("x-pagination") else { return Ok(None) };
        let pointer = pointer.join("x-pagination");
        let items = value.get("items").and_then(serde_json::Value::as_str);
        let message = "`x-pagination` must be an object naming the output's items field, such as `{items: members}`";
        let items = items.ok_or_else(|| self.spec.invalid(&pointer, message))?;
        // A misspelt key would silently turn its behaviour off.
        const KEYS: [&str; 3] = ["items", "step", "empty-on-errors"];
        if let Some(key) =
            value.as_object().into_iter().flat_map(|keys| keys.keys()).find(|key| !KEYS.contains(&key.as_str()))
        {
            let message =
                format!("`{key}` is not an `x-pagination` key; the keys are `items`, `step` and `empty-on-errors`");
            return Err(self.spec.invalid(&pointer.join(key), &message));
        }
        let step = match value.get("step") {
            None => PageStep::ItemsReceived,
            Some(step) if step == "received" => PageStep::ItemsReceived,
            Some(step) if step == "requested" => PageStep::CountRequested,
            Some(step) => {
                let step = step.as_str().map_or_else(|| step.to_string(), str::to_owned);
                let message = format!(
                    "`step: {step}` is not one of `received` (move the offset by the items a page brought) or \
                     `requested` (by the count asked, for a list the server filters after paging)"
                );
                return Err(self.spec.invalid(&pointer.join("step"), &message));
            }
        };
        let empty_on_errors = match value.get("empty-on-errors") {
            None => Vec::new(),
            Some(messages) => {
                let messages = messages.as_array().and_then(|messages| {
                    messages.iter().map(|message| message.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()
                });
                let message = "`empty-on-errors` must be a list of the failure messages (the `error` text of a 400) \
                               that the server answers instead of an empty page";
                messages.ok_or_else(|| self.spec.invalid(&pointer.join("empty-on-errors"), message))?
            }
        };
        Ok(Some(PaginationExtension { items: items.to_owned(), step, empty_on_errors }))
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        operation: &SpecOperation,
        shared_parameters: &[ReferenceOr<Parameter>],
        pointer: &Pointer,
        id: String,
        (method_name, marker_name): (String, String),
        http_method: &str,
        path_key: &str,
    ) -> Result<Operation, Error> {
        self.warn_of_misspelt_extensions(operation, pointer);
        let (path, params, path_pieces) =
            self.parameters(operation, shared_parameters, pointer, path_key, &marker_name)?;
        let body = match &operation.request_body {
            Some(body) => Some(self.request_body(body, &pointer.join("requestBody"), &marker_name)?),
            None => None,
        };
        let (output, responses) =
            self.responses(operation, &pointer.join("responses"), (&marker_name, &method_name))?;
        let input = self.input(&params, body.as_ref(), pointer, (&marker_name, &method_name));
        Ok(Operation {
            id,
            method_name,
            marker_name,
            http_method: http_method.to_ascii_uppercase(),
            path,
            path_pieces,
            summary: operation.summary.clone(),
            description: operation.description.clone(),
            deprecated: operation.deprecated,
            permissions: self.string_list_extension(operation, "x-permissions", pointer)?,
            added_in: self.string_extension(operation, "x-added-in", pointer)?,
            deprecated_in: self.string_extension(operation, "x-deprecated-in", pointer)?,
            removed_in: self.string_extension(operation, "x-removed-in", pointer)?,
            session: match self.string_extension(operation, "x-session", pointer)?.as_deref() {
                None => Session::None,
                Some("login") => Session::LogIn,
                Some("logout") => Session::LogOut,
                Some(other) => {
                    let message = format!("`x-session: {other}` is not one of `login`, `logout`");
                    return Err(self.spec.invalid(&pointer.join("x-session"), &message));
                }
            },
            params,
            body,
            input,
            output,
            // Known once every type is: `mark_secret_outputs`.
            secret_output: false,
            pagination: None,
            responses,
        })
    }

    /// An operation with parameters takes one struct holding them and the body, so a call
    /// names what it passes; one without takes its body, or nothing.
    fn input(
        &mut self,
        params: &[Param],
        body: Option<&RequestBody>,
        pointer: &Pointer,
        (marker_name, method_name): (&str, &str),
    ) -> Input {
        if params.is_empty() {
            return if body.is_some() { Input::Body } else { Input::None };
        }
        let mut fields: Vec<Field> = params
            .iter()
            .map(|param| Field {
                name: param.name.clone(),
                wire: Some(param.wire.clone()),
                ty: param.ty.clone(),
                optional: !param.required,
                nullable: false,
                doc: param.doc.clone(),
                rules: param.rules.clone(),
            })
            .collect();
        if let Some(body) = body {
            fields.push(Field {
                name: Operation::BODY_FIELD.into(),
                wire: Some(Operation::BODY_FIELD.into()),
                ty: body.ty.clone(),
                optional: false,
                nullable: false,
                doc: Some(body.description.clone().unwrap_or_else(|| "The request body.".into())),
                rules: Vec::new(),
            });
        }
        let doc = format!("The parameters of [`Client::{method_name}`](crate::Client::{method_name}).");
        let kind = TypeKind::Struct { fields, additional: None };
        Input::Params(self.types.define_inline(format!("{marker_name}Params"), pointer, doc, kind))
    }

    /// An extension whose value is a string (a version, say), if present.
    fn string_extension(
        &self,
        operation: &SpecOperation,
        key: &str,
        pointer: &Pointer,
    ) -> Result<Option<String>, Error> {
        match operation.extensions.get(key) {
            None => Ok(None),
            Some(serde_json::Value::String(value)) => Ok(Some(value.clone())),
            // YAML reads `x-added-in: 6.10` as the number 6.1.
            Some(serde_json::Value::Number(number)) => {
                let message = format!("`{key}` must be a string, and YAML read `{number}` as a number; quote it");
                Err(self.spec.invalid(&pointer.join(key), &message))
            }
            Some(_) => Err(self.spec.invalid(&pointer.join(key), &format!("`{key}` must be a string"))),
        }
    }

    /// A warning for each `x-` key of the operation that is one letter or two off one of
    /// ours (`x-paginaton`): OpenAPI allows any `x-` key, so a misspelt one would silently
    /// take away what it was meant to add (the paging methods, the permissions in the docs).
    fn warn_of_misspelt_extensions(&mut self, operation: &SpecOperation, pointer: &Pointer) {
        for key in operation.extensions.keys() {
            if OPERATION_EXTENSIONS.contains(&key.as_str()) {
                continue;
            }
            let name = key.trim_start_matches("x-");
            let closest = OPERATION_EXTENSIONS
                .iter()
                .map(|known| (strsim::osa_distance(name, known.trim_start_matches("x-")), known))
                // Two edits would turn `x-version` into `x-session` and `x-removed-at` into
                // `x-removed-in`: only the two long names are looked for two edits away.
                .filter(|(distance, known)| {
                    *distance <= if matches!(**known, "x-permissions" | "x-pagination") { 2 } else { 1 }
                })
                .min();
            if let Some((_, known)) = closest {
                let message = format!(
                    "`{key}` is not an extension this generator reads (did you mean `{known}`?); it is ignored"
                );
                self.types.warn(&pointer.join(key), message);
            }
        }
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
            list.ok_or_else(|| self.spec.invalid(&pointer.join(key), &format!("`{key}` must be a list of strings")))?;
        Ok(Some(list.iter().filter_map(|item| item.as_str().map(str::to_owned)).collect()))
    }

    /// The wire path, the parameters (path ones first, in path order) and the path's pieces.
    ///
    /// Path keys are taken as real specs write them: `/login - with Facebook` is the path
    /// `/login` (the rest only tells variants apart), and Express-style `:rid` segments are
    /// the parameter `{rid}`.
    fn parameters(
        &mut self,
        operation: &SpecOperation,
        shared: &[ReferenceOr<Parameter>],
        pointer: &Pointer,
        path_key: &str,
        marker_name: &str,
    ) -> Result<(String, Vec<Param>, Vec<PathPiece>), Error> {
        let mut declared: Vec<(&Parameter, Pointer)> = Vec::new();
        let shared_pointer = pointer.parent().join("parameters");
        let all = (shared.iter().enumerate().map(|(index, p)| (p, shared_pointer.join(index)))).chain(
            operation.parameters.iter().enumerate().map(|(index, p)| (p, pointer.join("parameters").join(index))),
        );
        for (parameter, parameter_pointer) in all {
            let (parameter, parameter_pointer) =
                self.spec.resolve(parameter, &parameter_pointer, "parameters", |c| &c.parameters)?;
            let data = parameter.parameter_data_ref();
            // An operation's parameter replaces the path item's of the same name and place.
            declared.retain(|(existing, _)| {
                let existing_data = existing.parameter_data_ref();
                !(existing_data.name == data.name
                    && std::mem::discriminant(*existing) == std::mem::discriminant(parameter))
            });
            declared.push((parameter, parameter_pointer));
        }

        let wire_path = path_key.split_whitespace().next().unwrap_or_default();
        let mut names = Scope::default();
        // The parameters struct holds the body under this name.
        names.reserve(Operation::BODY_FIELD);
        let mut params = Vec::new();
        let mut pieces = Vec::new();
        let mut path = String::new();
        for (index, segment) in wire_path.split('/').enumerate() {
            if index > 0 {
                path.push('/');
                push_literal(&mut pieces, "/");
            }
            // `:rid` is a whole segment; `{id}` may sit inside one (`{id}.json`).
            let express = segment.strip_prefix(':').filter(|name| !name.is_empty());
            let mut rest = segment;
            loop {
                let template = rest.find('{').and_then(|open| Some((open, open + rest[open..].find('}')?)));
                let (before, parameter_name, after) = match (express, template) {
                    (Some(name), _) => ("", name, ""),
                    (None, Some((open, close))) => (&rest[..open], &rest[open + 1..close], &rest[close + 1..]),
                    (None, None) => {
                        path.push_str(rest);
                        push_literal(&mut pieces, rest);
                        break;
                    }
                };
                path.push_str(&format!("{before}{{{parameter_name}}}"));
                push_literal(&mut pieces, before);
                let param = self.path_param(&mut declared, parameter_name, pointer, marker_name, &mut names)?;
                pieces.push(PathPiece::Param(params.len()));
                params.push(param);
                if express.is_some() {
                    break;
                }
                rest = after;
            }
        }
        for (parameter, parameter_pointer) in declared {
            let location = match &parameter {
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Path { parameter_data, .. } => {
                    self.types.warn(
                        &parameter_pointer,
                        format!("the path parameter `{}` is not in the path; it is ignored", parameter_data.name),
                    );
                    continue;
                }
                Parameter::Cookie { parameter_data, .. } => {
                    self.types.warn(
                        &parameter_pointer,
                        format!(
                            "the cookie parameter `{}` is ignored: the client sends no cookies",
                            parameter_data.name
                        ),
                    );
                    continue;
                }
            };
            let wire = &parameter.parameter_data_ref().name;
            if location == ParamLocation::Header && CLIENT_HEADERS.contains(&wire.to_ascii_lowercase().as_str()) {
                continue; // The client's credentials (or `with_two_factor`) supply it.
            }
            if location == ParamLocation::Header && !is_header_name(wire) {
                return Err(self
                    .spec
                    .invalid(&parameter_pointer.join("name"), &format!("`{wire}` is not a valid HTTP header name")));
            }
            params.push(self.param(parameter, location, &parameter_pointer, marker_name, &mut names)?);
        }
        Ok((path, params, pieces))
    }

    /// The declared path parameter of this name, or a required string when the spec forgot
    /// to declare it.
    fn path_param(
        &mut self,
        declared: &mut Vec<(&Parameter, Pointer)>,
        parameter_name: &str,
        pointer: &Pointer,
        marker_name: &str,
        names: &mut Scope,
    ) -> Result<Param, Error> {
        let found = declared
            .iter()
            .position(|(p, _)| matches!(p, Parameter::Path { .. }) && p.parameter_data_ref().name == parameter_name);
        if let Some(position) = found {
            let (parameter, parameter_pointer) = declared.remove(position);
            return self.param(parameter, ParamLocation::Path, &parameter_pointer, marker_name, names);
        }
        self.types.warn(
            pointer,
            format!("the path parameter `{parameter_name}` is not declared; it is taken as a required string"),
        );
        Ok(Param {
            name: names.unique(naming::snake(parameter_name)),
            wire: parameter_name.to_owned(),
            location: ParamLocation::Path,
            encoding: ParamEncoding::Text,
            ty: TypeRef::String,
            required: true,
            doc: None,
            rules: Vec::new(),
        })
    }

    fn param(
        &mut self,
        parameter: &Parameter,
        location: ParamLocation,
        pointer: &Pointer,
        marker_name: &str,
        names: &mut Scope,
    ) -> Result<Param, Error> {
        let data = parameter.parameter_data_ref();
        let hint = format!("{marker_name}{}", naming::camel(&data.name));
        let (ty, rules) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let rules = match schema {
                    ReferenceOr::Item(schema) => rules::of_schema(schema),
                    ReferenceOr::Reference { .. } => Vec::new(),
                };
                (self.types.type_of(schema, &hint, &pointer.join("schema"))?, rules)
            }
            ParameterSchemaOrContent::Content(_) => (TypeRef::Json, Vec::new()),
        };
        // A parameter is text on the wire, where `Secret` (which has no `Display`) cannot go.
        let ty = if ty == TypeRef::Secret { TypeRef::String } else { ty };
        let is_text = self.types.is_text(&ty);
        let encoding = match (parameter, &data.format) {
            (_, ParameterSchemaOrContent::Content(_)) => ParamEncoding::Json,
            _ if is_text => ParamEncoding::Text,
            (Parameter::Query { style, .. }, _) => ParamEncoding::Styled(match style {
                // OpenAPI: `explode` defaults to true for `form` only.
                openapiv3::QueryStyle::Form => QueryStyle::Form { explode: data.explode.unwrap_or(true) },
                openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
            }),
            _ => ParamEncoding::Json,
        };
        // Header names are case-insensitive; lower case is how HTTP/2 sends them.
        let wire = if location == ParamLocation::Header { data.name.to_ascii_lowercase() } else { data.name.clone() };
        let required = data.required || location == ParamLocation::Path;
        Ok(Param {
            name: names.unique(naming::snake(&data.name)),
            wire,
            location,
            encoding,
            ty,
            required,
            doc: data.description.clone(),
            rules,
        })
    }

    fn request_body(
        &mut self,
        body: &ReferenceOr<SpecRequestBody>,
        pointer: &Pointer,
        marker_name: &str,
    ) -> Result<RequestBody, Error> {
        let (body, pointer) = self.spec.resolve(body, pointer, "requestBodies", |c| &c.request_bodies)?;
        let content_pointer = pointer.join("content");
        let Some((media_type, media)) = pick_request_media(&body.content) else {
            return Err(self.spec.invalid(&content_pointer, "the request body has no media type"));
        };
        let media_pointer = content_pointer.join(media_type);
        let media_kind = match essence(media_type).as_str() {
            kind if is_json(kind) => BodyMedia::Json,
            "application/x-www-form-urlencoded" => BodyMedia::Form,
            // The parts are decided once every type is known (see `parts`).
            "multipart/form-data" => BodyMedia::Multipart(Vec::new()),
            _ => BodyMedia::Bytes(media_type.clone()),
        };
        let ty = match (&media_kind, &media.schema) {
            (BodyMedia::Bytes(_), _) => TypeRef::Vec(Box::new(TypeRef::I64)), // replaced below
            (_, Some(schema)) => {
                self.types.type_of(schema, &format!("{marker_name}Request"), &media_pointer.join("schema"))?
            }
            (_, None) => TypeRef::JsonObject,
        };
        let (media_kind, ty) = match media_kind {
            BodyMedia::Bytes(content_type) => (BodyMedia::Bytes(content_type), TypeRef::Bytes),
            // A multipart body must be a struct to become parts; anything else is sent as JSON text.
            BodyMedia::Multipart(_) | BodyMedia::Form if !self.types.is_struct(&ty) => {
                self.types.warn(&media_pointer, "a form body that is not an object is sent as JSON");
                (BodyMedia::Json, ty)
            }
            other => (other, ty),
        };
        Ok(RequestBody { ty, media: media_kind, description: body.description.clone() })
    }

    fn responses(
        &mut self,
        operation: &SpecOperation,
        pointer: &Pointer,
        (marker_name, method_name): (&str, &str),
    ) -> Result<(Output, Vec<ResponseDoc>), Error> {
        let mut successes: Vec<(StatusKey, Output, String)> = Vec::new();
        let success_count = operation.responses.responses.keys().filter(|code| is_success(code)).count();
        let mut docs = Vec::new();
        let statuses =
            operation.responses.responses.iter().map(|(status, response)| (status.to_string(), Some(status), response));
        let default = operation.responses.default.iter().map(|response| ("default".to_owned(), None, response));
        for (status, code, response) in statuses.chain(default) {
            let (response, response_pointer) =
                self.spec.resolve(response, &pointer.join(&status), "responses", |c| &c.responses)?;
            let is_success = code.is_some_and(is_success);
            docs.push(ResponseDoc { status: status.clone(), is_success, description: response.description.clone() });
            if !is_success {
                continue;
            }
            let key = match code {
                Some(StatusCode::Code(code)) => StatusKey::Code(*code),
                _ => StatusKey::Success,
            };
            // With several success statuses each body is named by its status.
            let hint = if success_count > 1 {
                format!("{marker_name}Response{status}")
            } else {
                format!("{marker_name}Response")
            };
            let output = self.success_output(response, &response_pointer, &hint)?;
            successes.push((key, output, response.description.clone()));
        }
        Ok((self.combine_outputs(successes, pointer, marker_name, method_name), docs))
    }

    /// One output when every success status has the same body, else an enum by status.
    fn combine_outputs(
        &mut self,
        successes: Vec<(StatusKey, Output, String)>,
        pointer: &Pointer,
        marker_name: &str,
        method_name: &str,
    ) -> Output {
        let first = match successes.first() {
            None => return Output::Empty,
            Some((_, first, _)) => first.clone(),
        };
        if successes.iter().all(|(_, output, _)| *output == first) {
            return first;
        }
        let variants = successes
            .into_iter()
            .map(|(key, output, description)| {
                let (name, status) = match key {
                    StatusKey::Code(code) => (format!("Status{code}"), Some(code)),
                    StatusKey::Success => ("Status2XX".to_owned(), None),
                };
                StatusVariant { name, status, output, description }
            })
            .collect();
        let doc = format!(
            "The success responses of [`Client::{method_name}`](crate::Client::{method_name}), which differ by status."
        );
        let kind = TypeKind::ByStatus { variants };
        Output::ByStatus(self.types.define_inline(format!("{marker_name}Response"), pointer, doc, kind))
    }

    fn success_output(&mut self, response: &Response, pointer: &Pointer, hint: &str) -> Result<Output, Error> {
        let Some((media_type, media)) = pick_response_media(&response.content) else { return Ok(Output::Empty) };
        let essence = essence(media_type);
        if is_json(&essence) {
            let media_pointer = pointer.join("content").join(media_type);
            return Ok(match &media.schema {
                Some(schema) => Output::Json(self.types.type_of(schema, hint, &media_pointer.join("schema"))?),
                None => Output::Json(TypeRef::Json),
            });
        }
        Ok(if essence.starts_with("text/") { Output::Text } else { Output::Bytes })
    }
}

/// A success status: a code, or the `2XX` range.
enum StatusKey {
    Code(u16),
    Success,
}

fn push_literal(pieces: &mut Vec<PathPiece>, text: &str) {
    if text.is_empty() {
        return;
    }
    match pieces.last_mut() {
        Some(PathPiece::Literal(literal)) => literal.push_str(text),
        _ => pieces.push(PathPiece::Literal(text.to_owned())),
    }
}

/// JSON first, then forms, then the first listed.
fn pick_request_media(content: &Content) -> Option<(&String, &openapiv3::MediaType)> {
    let rank = |media_type: &str| match essence(media_type).as_str() {
        kind if is_json(kind) => 0,
        "application/x-www-form-urlencoded" => 1,
        "multipart/form-data" => 2,
        _ => 3,
    };
    content.iter().min_by_key(|(media_type, _)| rank(media_type))
}

/// JSON first, then text, then the first listed.
fn pick_response_media(content: &Content) -> Option<(&String, &openapiv3::MediaType)> {
    let rank = |media_type: &str| {
        let essence = essence(media_type);
        if is_json(&essence) {
            0
        } else if essence.starts_with("text/") {
            1
        } else {
            2
        }
    };
    content.iter().min_by_key(|(media_type, _)| rank(media_type))
}

pub(super) fn is_success(status: &StatusCode) -> bool {
    match status {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    }
}

fn essence(media_type: &str) -> String {
    media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
}

/// An HTTP header name (RFC 9110 token).
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The parts of each multipart body, once the body structs and their field types are known.
pub(super) fn decide_parts(api: &mut super::Api) {
    for index in 0..api.operations.len() {
        let Some(body) = &api.operations[index].body else { continue };
        let BodyMedia::Multipart(_) = body.media else { continue };
        let kind = body.ty.by_value().map(|id| &api.definition(id).kind);
        // The lowering sends a body that is not a struct as JSON, so this is a struct.
        let Some(TypeKind::Struct { fields, additional }) = kind else { continue };
        // Through aliases: a field's enum may be an alias of one defined once (`TrueOrFalse`).
        let is_text = |ty: &TypeRef| match ty {
            TypeRef::Named(id) => {
                matches!(api.definition(*id).kind, TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. })
            }
            ty => ty.is_scalar(),
        };
        let mut parts: Vec<super::Part> = fields
            .iter()
            .map(|field| super::Part {
                field: field.name.clone(),
                wire: field.wire.clone(),
                kind: match &field.ty {
                    _ if field.wire.is_none() => super::PartKind::Flattened,
                    TypeRef::File => super::PartKind::File,
                    TypeRef::Secret => super::PartKind::Secret,
                    ty if is_text(ty) => super::PartKind::Text,
                    _ => super::PartKind::Json,
                },
                optional: field.optional,
                nullable: field.nullable,
            })
            .collect();
        if additional.is_some() {
            parts.push(super::Part {
                field: super::ADDITIONAL_FIELD.into(),
                wire: None,
                kind: super::PartKind::Flattened,
                optional: false,
                nullable: false,
            });
        }
        if let Some(body) = &mut api.operations[index].body {
            body.media = BodyMedia::Multipart(parts);
        }
    }
}

/// An operation's `x-pagination` as written.
struct PaginationExtension {
    items: String,
    step: PageStep,
    empty_on_errors: Vec<String>,
}
