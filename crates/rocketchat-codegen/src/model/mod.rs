//! Stage 2: `openapiv3::OpenAPI` to a plain model of operations and types.
//!
//! Every `$ref` is resolved here and every Rust name is decided here, once. A construct the
//! emitter cannot express exactly is either rejected with the JSON pointer of the node (when
//! the spec is wrong) or degraded to `serde_json::Value` with a warning (when the spec is
//! valid but beyond this generator), so one odd schema never costs the whole client.
//! Nothing after this module sees `openapiv3`.

mod dedupe;
mod directions;
mod operations;
mod pagination;
mod recursion;
mod rules;
mod type_space;

pub use type_space::ERROR_TYPE;

use crate::error::{Error, Location, Pointer};
use openapiv3::{OpenAPI, ReferenceOr};
use std::collections::BTreeSet;
use std::fmt;

/// The whole API as the emitter needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// In the order of the spec's `paths`, then of the methods within a path.
    pub operations: Vec<Operation>,
    /// Sorted by name, so the output does not depend on the order types were reached in.
    pub types: Vec<TypeDef>,
    /// The enum of the error codes the spec lists (named [`ERROR_TYPE`]), which every client
    /// has, if with no known codes.
    pub error_type: TypeId,
    /// What was generated in a lesser form than the spec asks, and why.
    pub warnings: Vec<Warning>,
}

impl Api {
    /// The runtime's optional features the generated code uses: `pattern` for `pattern`
    /// rules (a regex engine), `form` for form bodies. A client whose spec has neither
    /// compiles neither.
    pub fn runtime_features(&self) -> Vec<&'static str> {
        let has_pattern = self.types.iter().any(|def| match &def.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().any(|field| field.rules.iter().any(|rule| matches!(rule, Rule::Pattern(_))))
            }
            _ => false,
        });
        let has_form = self
            .operations
            .iter()
            .any(|operation| operation.body.as_ref().is_some_and(|body| matches!(body.media, BodyMedia::Form)));
        [(has_form, "form"), (has_pattern, "pattern")]
            .into_iter()
            .filter_map(|(used, name)| used.then_some(name))
            .collect()
    }

    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The type an alias stands for (through any chain of aliases), or the type itself.
    pub fn definition(&self, id: TypeId) -> &TypeDef {
        let mut def = self.type_def(id);
        // Bounded: a cycle of aliases is rejected when the model is built.
        for _ in 0..self.types.len() {
            match &def.kind {
                TypeKind::Alias(TypeRef::Named(target)) => def = self.type_def(*target),
                _ => break,
            }
        }
        def
    }

    /// The Rust name of a generated type.
    pub fn name(&self, id: TypeId) -> &str {
        &self.type_def(id).name
    }

    /// Calls `visit` on every type id the operations and types hold, to renumber them.
    fn for_each_id_mut(&mut self, mut visit: impl FnMut(&mut TypeId)) {
        visit(&mut self.error_type);
        for operation in &mut self.operations {
            operation.for_each_id_mut(&mut visit);
        }
        for def in &mut self.types {
            def.kind.slots_mut().into_iter().for_each(|slot| slot.for_each_id_mut(&mut visit));
        }
    }
}

/// A type of the generated `types` module: its index in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(usize);

impl TypeId {
    pub fn index(self) -> usize {
        self.0
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`, or one derived from the method and path.
    pub id: String,
    /// The client method, snake_case.
    pub method_name: String,
    /// The marker type in the `operations` module, UpperCamelCase.
    pub marker_name: String,
    /// Upper case, as HTTP writes it.
    pub http_method: String,
    /// The path as sent, with `{name}` for each path parameter.
    pub path: String,
    pub path_pieces: Vec<PathPiece>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// From the `x-permissions` extension; `Some(vec![])` says none are needed.
    pub permissions: Option<Vec<String>>,
    /// From the `x-added-in` extension: the server version that added the endpoint.
    pub added_in: Option<String>,
    /// From `x-deprecated-in`: the server version that deprecated it.
    pub deprecated_in: Option<String>,
    /// From `x-removed-in`: the first server version without it.
    pub removed_in: Option<String>,
    /// From `x-session`: what a success does to the client's session.
    pub session: Session,
    /// Path parameters in path order, then query and header parameters in spec order.
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    /// What a call takes as its one argument.
    pub input: Input,
    pub output: Output,
    /// The success body holds a `format: password` value somewhere: the runtime keeps its text
    /// out of errors and `Debug` output.
    pub secret_output: bool,
    /// From the `x-pagination` extension: a list paged by `offset` and `count`.
    pub pagination: Option<Pagination>,
    /// Every documented response, success and failure, for the method's docs.
    pub responses: Vec<ResponseDoc>,
}

/// The one argument of an operation's method.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// Nothing: the method takes no argument.
    None,
    /// The request body alone (an operation without parameters).
    Body,
    /// The generated struct holding every parameter (a field named as [`Param::name`]) and
    /// the body (the field [`Operation::BODY_FIELD`]).
    Params(TypeId),
}

impl Operation {
    /// The field of the parameters struct that holds the body.
    pub const BODY_FIELD: &'static str = "body";
}

/// A list operation: where its items and total are, and which parameters page it.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub item: TypeRef,
    /// Field names from the output to the items (through flattened parts).
    pub items_path: Vec<String>,
    /// Whether the items field may be absent.
    pub items_optional: bool,
    /// Field names from the output to `total`, if the output has one, and whether it may be
    /// absent.
    pub total_path: Option<(Vec<String>, bool)>,
    /// Indexes into [`Operation::params`].
    pub offset_param: usize,
    pub count_param: usize,
    /// How far `offset` moves after a page.
    pub step: PageStep,
    /// The `error` texts of a 400 that the server answers instead of an empty page.
    pub empty_on_errors: Vec<String>,
    /// The async client's method returning a stream of items.
    pub stream_method: String,
    /// The blocking client's method returning an iterator of items.
    pub iter_method: String,
}

/// `x-pagination`'s `step`. The runtime has the same enum, which the emitted code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStep {
    /// `received` (the default): by the items a page brought.
    ItemsReceived,
    /// `requested`: by the `count` asked, for a list the server filters after paging.
    CountRequested,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPiece {
    Literal(String),
    /// The path parameter at this index of [`Operation::params`].
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The argument name, snake_case.
    pub name: String,
    pub wire: String,
    pub location: ParamLocation,
    pub encoding: ParamEncoding,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// The spec's validation keywords for the value.
    pub rules: Vec<Rule>,
}

/// How a parameter's value goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamEncoding {
    /// Its `Display` text: scalars and string enums.
    Text,
    /// JSON text: a parameter with `content: application/json`, and non-scalar path and
    /// header parameters.
    Json,
    /// A query parameter by OpenAPI's `style` and `explode`.
    Styled(QueryStyle),
}

/// OpenAPI's query `style`. The runtime has the same enum, which the emitted code names: the
/// generator does not depend on the runtime (nor the runtime on the generator), so each keeps
/// its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    Form { explode: bool },
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub media: BodyMedia,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyMedia {
    Json,
    /// `application/x-www-form-urlencoded`
    Form,
    /// `multipart/form-data`: the body is a struct, and each field is a part.
    Multipart(Vec<Part>),
    /// Any other media type, sent as bytes with this content type.
    Bytes(String),
}

/// A field of a multipart body, and how it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The field of the body struct.
    pub field: String,
    /// The part's name; `None` for a flattened field, or the extra keys, whose own keys are
    /// parts.
    pub wire: Option<String>,
    pub kind: PartKind,
    pub optional: bool,
    pub nullable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// `format: binary`: a file.
    File,
    /// Scalars and string enums, as their text.
    Text,
    /// `format: password`, as its text.
    Secret,
    /// Anything else, as JSON text.
    Json,
    /// A flattened struct, or the extra keys: each key a part of its own.
    Flattened,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq, Hash)]
pub enum Output {
    /// A JSON body decoded into this type.
    Json(TypeRef),
    /// A `text/*` body.
    Text,
    /// A body of another media type, as bytes.
    Bytes,
    /// No body, or one the spec does not describe: the call returns `NoContent`.
    Empty,
    /// Several success statuses with different bodies: a generated enum by status.
    ByStatus(TypeId),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDoc {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub is_success: bool,
    pub description: String,
}

/// A Rust type as a field, argument or return value uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    Bool,
    I32,
    I64,
    F64,
    String,
    /// `format: password`: a string kept out of `Debug` output (`rocketchat_runtime::Secret`).
    Secret,
    /// `format: binary`: a file in a multipart body, a string of octets elsewhere.
    File,
    /// Any JSON value.
    Json,
    /// A JSON object with any values.
    JsonObject,
    /// A JSON object whose values all have this type.
    Map(Box<TypeRef>),
    Vec(Box<TypeRef>),
    /// A type of the generated `types` module.
    Named(TypeId),
    /// A field that would otherwise make its type infinitely large.
    Boxed(Box<TypeRef>),
    /// A request body of a media type other than JSON, forms and multipart, sent as it is.
    Bytes,
}

impl TypeRef {
    /// The generated type held by value (not inside a `Vec`, map or box), if any.
    pub fn by_value(&self) -> Option<TypeId> {
        match self {
            Self::Named(id) => Some(*id),
            _ => None,
        }
    }

    /// A scalar, sent as its text where JSON is not wanted (parameters, form parts).
    pub fn is_scalar(&self) -> bool {
        matches!(self, Self::Bool | Self::I32 | Self::I64 | Self::F64 | Self::String)
    }

    /// The generated type inside `Vec`, maps and boxes, if any.
    pub fn innermost(&self) -> Option<TypeId> {
        match self {
            Self::Named(id) => Some(*id),
            Self::Vec(inner) | Self::Map(inner) | Self::Boxed(inner) => inner.innermost(),
            _ => None,
        }
    }

    fn for_each_id_mut(&mut self, visit: &mut impl FnMut(&mut TypeId)) {
        match self {
            Self::Named(id) => visit(id),
            Self::Vec(inner) | Self::Map(inner) | Self::Boxed(inner) => inner.for_each_id_mut(visit),
            _ => {}
        }
    }
}

/// A place where a type holds another: a field, the extra keys, a variant, an alias's target,
/// a body by status.
#[derive(Debug, Clone, Copy)]
pub struct Slot<'a> {
    pub ty: &'a TypeRef,
    /// Every value of the owner holds one: a required, non-null field, or an alias's target.
    pub always: bool,
}

impl TypeKind {
    /// Every place that holds a type: the one walk the checks, serde directions and
    /// validation share.
    pub fn slots(&self) -> Vec<Slot<'_>> {
        let sometimes = |ty| Slot { ty, always: false };
        match self {
            Self::Struct { fields, additional } => fields
                .iter()
                .map(|field| Slot { ty: &field.ty, always: !field.optional && !field.nullable })
                .chain(additional.iter().map(sometimes))
                .collect(),
            Self::OneKeyOf { variants } | Self::Untagged { variants } => {
                variants.iter().map(|variant| sometimes(&variant.ty)).collect()
            }
            Self::Alias(target) => vec![Slot { ty: target, always: true }],
            Self::StringEnum { .. } | Self::IntegerEnum { .. } => Vec::new(),
            Self::ByStatus { variants } => variants
                .iter()
                .filter_map(|variant| match &variant.output {
                    Output::Json(ty) => Some(sometimes(ty)),
                    _ => None,
                })
                .collect(),
        }
    }

    /// [`Self::slots`], to change what they hold.
    fn slots_mut(&mut self) -> Vec<&mut TypeRef> {
        match self {
            Self::Struct { fields, additional } => {
                fields.iter_mut().map(|field| &mut field.ty).chain(additional.as_mut()).collect()
            }
            Self::OneKeyOf { variants } | Self::Untagged { variants } => {
                variants.iter_mut().map(|variant| &mut variant.ty).collect()
            }
            Self::Alias(target) => vec![target],
            Self::StringEnum { .. } | Self::IntegerEnum { .. } => Vec::new(),
            Self::ByStatus { variants } => variants
                .iter_mut()
                .filter_map(|variant| match &mut variant.output {
                    Output::Json(ty) => Some(ty),
                    _ => None,
                })
                .collect(),
        }
    }
}

impl Operation {
    fn for_each_id_mut(&mut self, visit: &mut impl FnMut(&mut TypeId)) {
        self.params.iter_mut().for_each(|param| param.ty.for_each_id_mut(visit));
        if let Some(body) = &mut self.body {
            body.ty.for_each_id_mut(visit);
        }
        if let Input::Params(id) = &mut self.input {
            visit(id);
        }
        match &mut self.output {
            Output::Json(ty) => ty.for_each_id_mut(visit),
            Output::ByStatus(id) => visit(id),
            _ => {}
        }
        if let Some(pagination) = &mut self.pagination {
            pagination.item.for_each_id_mut(visit);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// Where in the spec the type comes from, for errors and for telling components apart.
    pub origin: Origin,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Which serde impls the operations need: requests serialize, responses deserialize.
    pub directions: Directions,
    /// Whether the type, or a type it holds, has validation rules: it implements
    /// `rocketchat_runtime::validate::Validate`.
    pub validated: bool,
}

impl TypeDef {
    /// A request struct whose every field may be left out gets `Default` instead of `new`.
    pub fn is_defaultable(&self) -> bool {
        match &self.kind {
            TypeKind::Struct { fields, .. } => {
                self.directions.serialize
                    && fields.iter().all(|field| field.wire.is_some() && (field.optional || field.nullable))
            }
            _ => false,
        }
    }
}

/// Where a generated type comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The JSON pointer of its schema (or of the operation it was made for).
    pub pointer: String,
    /// The key of a component schema; `None` for a type made from an inline schema.
    pub component: Option<String>,
}

impl Origin {
    /// How errors name the type: its component key, or its Rust name.
    fn spec_name<'a>(&'a self, name: &'a str) -> &'a str {
        self.component.as_deref().unwrap_or(name)
    }
}

/// What an operation's success does to the client's session (`x-session`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Session {
    #[default]
    None,
    /// `x-session: login`: the response holds the credentials the client uses from then on.
    LogIn,
    /// `x-session: logout`: the token sent stops working.
    LogOut,
}

/// The serde directions a type is used in. The other direction is still derived behind the
/// generated crate's `roundtrip` feature; deriving only what is used halves the serde code
/// the compiler has to check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Directions {
    pub serialize: bool,
    pub deserialize: bool,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub enum TypeKind {
    /// An object with named fields. `additional` keeps the keys the spec does not name.
    Struct { fields: Vec<Field>, additional: Option<TypeRef> },
    /// A `oneOf` of objects with one key each: exactly one of the keys is sent.
    OneKeyOf { variants: Vec<Variant> },
    /// Any other `oneOf`/`anyOf`: the first alternative the JSON fits.
    Untagged { variants: Vec<Variant> },
    /// A string `enum`; the emitted enum keeps unknown values.
    StringEnum { variants: Vec<EnumVariant> },
    /// An integer `enum` whose values the spec names (`x-enum-varnames`); the emitted enum
    /// keeps unknown values. Without names, an integer `enum` is an `i64` with a rule.
    IntegerEnum { variants: Vec<IntegerVariant> },
    /// A named schema that is not an object, such as an array: a type alias.
    Alias(TypeRef),
    /// The success bodies of an operation with several, by status.
    ByStatus { variants: Vec<StatusVariant> },
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Field {
    pub name: String,
    /// The JSON key; `None` for a flattened field, whose own keys appear inline.
    pub wire: Option<String>,
    pub ty: TypeRef,
    /// May be absent: an `Option`, left out of the JSON when `None`.
    pub optional: bool,
    /// May be `null`. With `optional`, absent and `null` are told apart (`Option<Option<T>>`).
    pub nullable: bool,
    pub doc: Option<String>,
    /// The spec's validation keywords for the value, checked before a request is sent.
    pub rules: Vec<Rule>,
}

/// A validation keyword of the spec.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    MinItems(u64),
    MaxItems(u64),
    UniqueItems,
    MinLength(u64),
    MaxLength(u64),
    Pattern(String),
    Minimum {
        bound: f64,
        exclusive: bool,
    },
    Maximum {
        bound: f64,
        exclusive: bool,
    },
    /// An `enum` of numbers or booleans, whose Rust type is the plain scalar.
    OneOf(Vec<Scalar>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar {
    Integer(i64),
    Number(f64),
    Bool(bool),
}

/// A number as its bits, with the two zeros (which are equal) as one: values that are equal
/// hash alike, as [`Hash`] requires.
fn hash_number(number: f64, state: &mut impl std::hash::Hasher) {
    state.write_u64(if number == 0.0 { 0 } else { number.to_bits() });
}

impl std::hash::Hash for Scalar {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Self::Integer(integer) => integer.hash(state),
            Self::Number(number) => hash_number(*number, state),
            Self::Bool(value) => value.hash(state),
        }
    }
}

impl std::hash::Hash for Rule {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Self::MinItems(count) | Self::MaxItems(count) | Self::MinLength(count) | Self::MaxLength(count) => {
                count.hash(state)
            }
            Self::UniqueItems => {}
            Self::Pattern(pattern) => pattern.hash(state),
            Self::Minimum { bound, exclusive } | Self::Maximum { bound, exclusive } => {
                hash_number(*bound, state);
                exclusive.hash(state);
            }
            Self::OneOf(values) => values.hash(state),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Variant {
    pub name: String,
    /// The key of a [`TypeKind::OneKeyOf`] variant.
    pub wire: Option<String>,
    pub ty: TypeRef,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
    /// From `x-enum-descriptions`.
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IntegerVariant {
    pub name: String,
    pub value: i64,
    /// From `x-enum-descriptions`.
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct StatusVariant {
    pub name: String,
    /// `None` for the `2XX` range: any success status no other variant names.
    pub status: Option<u16>,
    pub output: Output,
    pub description: String,
}

/// Names the client itself uses, which no operation method may take: the constructors and
/// accessors `emit` writes beside the operations (a test there holds the two together).
pub const CLIENT_METHODS: &[&str] = &["new", "from_env", "from_transport", "transport", "with_two_factor"];

/// The field of a struct that keeps the keys the spec does not name.
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// The name of the catch-all variant of string enums.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// A spec can cause a warning per parameter or per value: past this many, they are counted,
/// so that neither memory nor the time to locate them grows with a hostile input.
pub const MAX_WARNINGS: usize = 100;

pub fn build(mut openapi: OpenAPI, file: &str) -> Result<Api, Error> {
    // Each path item is let go once its operations are lowered, so the model grows into the
    // memory the parsed spec gives back instead of beside all of it.
    let paths = std::mem::take(&mut openapi.paths);
    let spec = Spec { openapi: &openapi, file };
    let mut lowering = operations::Lowering::new(&spec, &paths);
    let (operations, paged) = lowering.operations(paths)?;
    let (types, error_type, warnings) = lowering.finish()?;
    let mut api = Api {
        title: spec.openapi.info.title.clone(),
        version: spec.openapi.info.version.clone(),
        description: spec.openapi.info.description.clone(),
        operations,
        types,
        error_type,
        warnings,
    };
    recursion::check_aliases(&api.types, file)?;
    recursion::check_constructible(&api.types, file)?;
    dedupe::merge_identical(&mut api);
    recursion::box_recursive_fields(&mut api.types);
    directions::mark(&mut api);
    rules::mark_validated(&mut api.types);
    sort_by_name(&mut api);
    pagination::resolve(&mut api, paged, file)?;
    operations::decide_parts(&mut api);
    mark_secret_outputs(&mut api);
    Ok(api)
}

/// Marks each operation whose success body can hold a secret, through any types.
fn mark_secret_outputs(api: &mut Api) {
    fn is_secret(ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Secret => true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => is_secret(inner),
            _ => false,
        }
    }
    // From the types holding a secret themselves, out to every type that holds one of them,
    // each type once (types hold each other, recursively too).
    let mut holders: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    let mut holding = vec![false; api.types.len()];
    let mut reached = Vec::new();
    for (index, def) in api.types.iter().enumerate() {
        for slot in def.kind.slots() {
            if is_secret(slot.ty) && !holding[index] {
                holding[index] = true;
                reached.push(index);
            }
            if let Some(held) = slot.ty.innermost() {
                holders[held.0].push(index);
            }
        }
    }
    while let Some(index) = reached.pop() {
        for &holder in &holders[index] {
            if !holding[holder] {
                holding[holder] = true;
                reached.push(holder);
            }
        }
    }
    let holds = |ty: &TypeRef| is_secret(ty) || ty.innermost().is_some_and(|id| holding[id.0]);
    for operation in &mut api.operations {
        operation.secret_output = match &operation.output {
            Output::Json(ty) => holds(ty),
            Output::ByStatus(id) => holding[id.0],
            Output::Text | Output::Bytes | Output::Empty => false,
        };
    }
}

/// Orders the types by name, so the output does not depend on the order they were reached
/// in, and renumbers every reference to them.
fn sort_by_name(api: &mut Api) {
    let mut numbered: Vec<(usize, TypeDef)> = std::mem::take(&mut api.types).into_iter().enumerate().collect();
    numbered.sort_by(|(_, a), (_, b)| a.name.cmp(&b.name));
    let mut new_index = vec![0; numbered.len()];
    for (new, (old, _)) in numbered.iter().enumerate() {
        new_index[*old] = new;
    }
    api.types = numbered.into_iter().map(|(_, def)| def).collect();
    api.for_each_id_mut(|id| id.0 = new_index[id.0]);
}

/// The spec being read, and how to point into it.
struct Spec<'a> {
    openapi: &'a OpenAPI,
    file: &'a str,
}

impl<'a> Spec<'a> {
    fn location(&self, pointer: &Pointer) -> Location {
        Location { file: self.file.to_owned(), pointer: pointer.as_str().to_owned(), line: None, column: None }
    }

    fn unsupported(&self, pointer: &Pointer, construct: &str, hint: &str) -> Error {
        Error::Unsupported { location: self.location(pointer), construct: construct.into(), hint: hint.into() }
    }

    fn invalid(&self, pointer: &Pointer, message: &str) -> Error {
        Error::Invalid { location: self.location(pointer), message: message.into() }
    }

    /// `pointer` is the node that holds the `$ref`; the error points at the `$ref` itself, so
    /// its line is the reference's own.
    fn reference_error(&self, pointer: &Pointer, reference: &str, reason: &str) -> Error {
        let location = self.location(&pointer.join("$ref"));
        Error::Reference { location, reference: reference.into(), reason: reason.into() }
    }

    /// Follows a `$ref` into `components.<section>`; an inline item is returned as it is.
    fn resolve<'r, T: 'a>(
        &self,
        item: &'r ReferenceOr<T>,
        pointer: &Pointer,
        section: &str,
        pick: impl Fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Result<(&'r T, Pointer), Error>
    where
        'a: 'r,
    {
        let mut item = item;
        let mut pointer = pointer.clone();
        let mut seen = BTreeSet::new();
        loop {
            let reference = match item {
                ReferenceOr::Item(item) => return Ok((item, pointer)),
                ReferenceOr::Reference { reference } => reference,
            };
            let in_section = |name: &str| self.openapi.components.as_ref().is_some_and(|c| pick(c).contains_key(name));
            let name = self.component_key(reference, section, &pointer, in_section)?;
            if !seen.insert(name.to_owned()) {
                return Err(self.reference_error(&pointer, reference, "it refers back to itself"));
            }
            let target = self.openapi.components.as_ref().and_then(|components| pick(components).get(name));
            let target = target.ok_or_else(|| {
                let names = self.openapi.components.as_ref().into_iter().flat_map(|components| pick(components).keys());
                let missing = format!(
                    "no such component; define `{name}` under `components.{section}` or fix the name{}",
                    did_you_mean(name, names)
                );
                self.reference_error(&pointer, reference, &missing)
            })?;
            pointer = Pointer::root().join("components").join(section).join(name);
            item = target;
        }
    }

    /// The component name a `$ref` into `components.<section>` names; `in_section` says whether
    /// that section has a name, for the hint when the `$ref` points into another one.
    fn component_key<'r>(
        &self,
        reference: &'r str,
        section: &str,
        pointer: &Pointer,
        in_section: impl Fn(&str) -> bool,
    ) -> Result<&'r str, Error> {
        if !reference.starts_with('#') {
            return Err(self.reference_error(
                pointer,
                reference,
                "references to other files are not supported; copy the target into this file's `components`",
            ));
        }
        let prefix = format!("#/components/{section}/");
        if let Some(name) = reference.strip_prefix(&prefix).filter(|name| !name.contains('/')) {
            return Ok(name);
        }
        // A reference into another section is the likely slip: say which section it must be.
        let other_section = reference.strip_prefix("#/components/").and_then(|rest| rest.split_once('/'));
        let message = match other_section {
            Some((other, name)) if other != section && !name.contains('/') => {
                let hint = if in_section(name) { format!(" (`{prefix}{name}` exists)") } else { String::new() };
                format!("this `$ref` must point into `components.{section}`, not `components.{other}`{hint}")
            }
            _ => format!("only local references of the form `{prefix}NAME` are supported here"),
        };
        Err(self.reference_error(pointer, reference, &message))
    }

    /// A component schema by its key.
    fn schema(&self, key: &str) -> Option<&'_ ReferenceOr<openapiv3::Schema>> {
        self.openapi.components.as_ref()?.schemas.get(key)
    }
}

/// The warnings of one build: the first [`MAX_WARNINGS`], and how many more there were.
#[derive(Debug, Default)]
struct Warnings {
    kept: Vec<Warning>,
    left_out: usize,
}

impl Warnings {
    fn push(&mut self, location: Location, message: String) {
        if self.kept.len() >= MAX_WARNINGS {
            self.left_out += 1;
        } else {
            self.kept.push(Warning { location, message });
        }
    }

    fn finish(mut self, spec: &Spec<'_>) -> Vec<Warning> {
        if self.left_out > 0 {
            let message = format!("{} more warnings like the ones above are not shown", self.left_out);
            self.kept.push(Warning { location: spec.location(&Pointer::root()), message });
        }
        self.kept
    }
}

/// " (did you mean `Member`?)" when one of `names` is a likely misspelling of `name`.
fn did_you_mean<'a>(name: &str, names: impl IntoIterator<Item = &'a String>) -> String {
    // Within a third of the name's length: close enough to be a typo, not just another name
    // (so none for names of one or two letters, where any other is one edit away).
    let limit = name.chars().count() / 3;
    if limit == 0 {
        return String::new();
    }
    let closest = names
        .into_iter()
        .map(|candidate| (strsim::levenshtein(&name.to_lowercase(), &candidate.to_lowercase()), candidate))
        .filter(|(distance, _)| *distance <= limit)
        .min();
    closest.map(|(_, candidate)| format!(" (did you mean `{candidate}`?)")).unwrap_or_default()
}

#[cfg(test)]
mod tests;
