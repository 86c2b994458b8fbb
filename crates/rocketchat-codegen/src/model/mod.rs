//! Stage 2: `openapiv3::OpenAPI` to a plain model of operations and types.
//!
//! Every `$ref` is resolved here and every Rust name is decided here, once. A construct the
//! emitter cannot express exactly is either rejected with the JSON pointer of the node (when
//! the spec is wrong) or degraded to `serde_json::Value` with a warning (when the spec is
//! valid but beyond this generator), so one odd schema never costs the whole client.
//! Nothing after this module sees `openapiv3`.

mod directions;
mod operations;
mod pagination;
mod recursion;
mod rules;
mod schemas;

pub(crate) use rules::named_in;

use crate::error::{Error, Location, Pointer};
use crate::naming::{self, Scope};
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, BTreeSet};
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
    /// What was generated in a lesser form than the spec asks, and why.
    pub warnings: Vec<Warning>,
}

impl Api {
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types.binary_search_by(|def| def.name.as_str().cmp(name)).ok().map(|index| &self.types[index])
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
    /// The generated struct of this name, holding every parameter (a field named as
    /// [`Param::name`]) and the body (the field [`Operation::BODY_FIELD`]).
    Params(String),
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
    /// The async client's method returning a stream of items.
    pub stream_method: String,
    /// The blocking client's method returning an iterator of items.
    pub iter_method: String,
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
    /// `multipart/form-data`; the body type is a struct whose fields become parts.
    Multipart,
    /// Any other media type, sent as bytes with this content type.
    Bytes(String),
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// A JSON body decoded into this type.
    Json(TypeRef),
    /// A `text/*` body.
    Text,
    /// A body of another media type, as bytes.
    Bytes,
    /// No body, or one the spec does not describe: the call returns `NoContent`.
    Empty,
    /// Several success statuses with different bodies: the generated enum of this name.
    ByStatus(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseDoc {
    /// `200`, `4XX` or `default`.
    pub status: String,
    pub is_success: bool,
    pub description: String,
}

/// A Rust type as a field, argument or return value uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    Named(String),
    /// A field that would otherwise make its type infinitely large.
    Boxed(Box<TypeRef>),
    /// A request body of a media type other than JSON, forms and multipart, sent as it is.
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
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

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with named fields. `additional` keeps the keys the spec does not name.
    Struct { fields: Vec<Field>, additional: Option<TypeRef> },
    /// A `oneOf` of objects with one key each: exactly one of the keys is sent.
    OneKeyOf { variants: Vec<Variant> },
    /// Any other `oneOf`/`anyOf`: the first alternative the JSON fits.
    Untagged { variants: Vec<Variant> },
    /// A string `enum`; the emitted enum keeps unknown values.
    StringEnum { variants: Vec<EnumVariant> },
    /// A named schema that is not an object, such as an array: a type alias.
    Alias(TypeRef),
    /// The success bodies of an operation with several, by status.
    ByStatus { variants: Vec<StatusVariant> },
}

#[derive(Debug, Clone, PartialEq)]
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

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    /// The key of a [`TypeKind::OneKeyOf`] variant.
    pub wire: Option<String>,
    pub ty: TypeRef,
    pub doc: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    pub name: String,
    pub wire: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub name: String,
    /// `None` for the `2XX` range: any success status no other variant names.
    pub status: Option<u16>,
    pub output: Output,
    pub description: String,
}

/// Names the client itself uses, which no operation method may take.
const CLIENT_METHODS: &[&str] = &["new", "from_env", "from_transport", "transport", "with_two_factor"];

/// Names the generated `types` module uses unqualified.
const PRELUDE_TYPES: &[&str] = &["String", "Vec", "Option", "Result", "Box", "Some", "None", "Ok", "Err"];

/// The name of the catch-all variant of string enums.
pub const UNKNOWN_VARIANT: &str = "Unknown";

pub fn build(spec: &OpenAPI, file: &str) -> Result<Api, Error> {
    let mut builder = Builder::new(spec, file);
    let (operations, paged) = builder.operations()?;
    builder.remaining_components()?;
    if builder.warnings_left_out > 0 {
        let message = format!("{} more warnings like the ones above are not shown", builder.warnings_left_out);
        let location = builder.location(&Pointer::root());
        builder.warnings.push(Warning { location, message });
    }
    let mut types: Vec<TypeDef> = builder.types.into_values().collect();
    recursion::check_aliases(&types, file)?;
    recursion::check_constructible(&types, file)?;
    recursion::box_recursive_fields(&mut types);
    directions::mark(&mut types, &operations);
    rules::mark_validated(&mut types);
    let mut api = Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec.info.description.clone(),
        operations,
        types,
        warnings: builder.warnings,
    };
    pagination::resolve(&mut api, paged, file)?;
    Ok(api)
}

struct Builder<'a> {
    spec: &'a OpenAPI,
    file: &'a str,
    types: BTreeMap<String, TypeDef>,
    type_names: Scope,
    /// Component key -> Rust name, decided up front so inline names never take them.
    component_names: BTreeMap<String, String>,
    /// Components generated or queued; a `$ref` only queues, so no chain of references can
    /// deepen the stack.
    started: BTreeSet<String>,
    queue: Vec<String>,
    warnings: Vec<Warning>,
    /// Warnings past [`MAX_WARNINGS`], counted rather than kept.
    warnings_left_out: usize,
}

/// A spec can cause a warning per parameter or per value: past this many, they are counted,
/// so that neither memory nor the time to locate them grows with a hostile input.
pub const MAX_WARNINGS: usize = 100;

impl<'a> Builder<'a> {
    fn new(spec: &'a OpenAPI, file: &'a str) -> Self {
        let mut type_names = Scope::default();
        // The generated code names these unqualified; a type called `String` would shadow them.
        PRELUDE_TYPES.iter().for_each(|name| type_names.reserve(name));
        let mut component_names = BTreeMap::new();
        if let Some(components) = &spec.components {
            for key in components.schemas.keys() {
                component_names.insert(key.clone(), type_names.unique(naming::camel(key)));
            }
        }
        Self {
            spec,
            file,
            types: BTreeMap::new(),
            type_names,
            component_names,
            started: BTreeSet::new(),
            queue: Vec::new(),
            warnings: Vec::new(),
            warnings_left_out: 0,
        }
    }

    fn location(&self, pointer: &Pointer) -> Location {
        Location { file: self.file.to_owned(), pointer: pointer.as_str().to_owned(), line: None, column: None }
    }

    fn unsupported(&self, pointer: &Pointer, construct: &str, hint: &str) -> Error {
        Error::Unsupported { location: self.location(pointer), construct: construct.into(), hint: hint.into() }
    }

    fn invalid(&self, pointer: &Pointer, message: &str) -> Error {
        Error::Invalid { location: self.location(pointer), message: message.into() }
    }

    fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        if self.warnings.len() >= MAX_WARNINGS {
            self.warnings_left_out += 1;
            return;
        }
        self.warnings.push(Warning { location: self.location(pointer), message: message.into() });
    }

    fn insert_type(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }

    /// Adds the type `name` (its serde directions are decided once all types are known).
    fn define(&mut self, name: &str, doc: Option<String>, kind: TypeKind) -> TypeRef {
        self.insert_type(TypeDef {
            name: name.to_owned(),
            doc,
            kind,
            directions: Directions::default(),
            validated: false,
        });
        TypeRef::Named(name.to_owned())
    }

    /// Generates queued components until none is left.
    fn drain_queue(&mut self) -> Result<(), Error> {
        while let Some(key) = self.queue.pop() {
            self.generate_component(&key)?;
        }
        Ok(())
    }
}
