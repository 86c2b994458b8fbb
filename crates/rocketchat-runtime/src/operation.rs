use crate::{Decode, Error, Request};
use serde::{Serialize, de::DeserializeOwned};

/// What the generated code knows about one operation of the spec. Every operation has a
/// marker type in the generated crate's `operations` module that implements this trait, so
/// code can call, inspect or test operations generically ([`crate::Transport::send`] returns
/// the status and rate-limit headers beside the value of any operation).
pub trait Operation {
    /// The spec's `operationId`, such as `groups.kick`.
    const ID: &'static str;
    const METHOD: http::Method;
    /// The path under the server's base URL, such as `/api/v1/groups.kick`, with `{name}`
    /// for each path parameter.
    const PATH: &'static str;
    /// What a successful call does to the client's session (the spec's `x-session`): a login
    /// gives it credentials, a logout takes them away.
    const SESSION: crate::SessionEffect = crate::SessionEffect::None;
    /// Whether a success body holds a secret (a `format: password` field, such as an
    /// integration's webhook token): its text is then kept out of errors and `Debug` output,
    /// as a login's is.
    const SECRET_OUTPUT: bool = false;
    /// The first server version with the operation (`x-added-in`), if the spec says.
    const ADDED_IN: Option<&'static str> = None;
    /// The first server version without it (`x-removed-in`), if the spec says.
    const REMOVED_IN: Option<&'static str> = None;
    /// What a call takes: the JSON request body for an operation without parameters, the
    /// operation's parameters struct (path, query and header parameters, and the body) for one
    /// with, or `()` for one that takes nothing.
    type Input: ?Sized;
    /// What a successful call returns.
    type Output;
    /// How the success response becomes [`Operation::Output`].
    type Decoder: Decode<Self::Output> + Default + Unpin;
    /// The request for `input`. Values the spec forbids are refused here
    /// ([`Error::InvalidRequest`]), before anything is sent.
    fn request(input: &Self::Input) -> Result<Request, Error>;
}

// Here rather than in request.rs, beside the trait whose constants it reads: a request need
// not know what an operation is.
impl Request {
    /// A request for operation `O` to `path` (its `PATH` with the parameters filled in),
    /// carrying what the spec says about the operation beyond its wire format.
    pub fn of<O: Operation + ?Sized>(path: impl Into<String>) -> Self {
        Self {
            session: O::SESSION,
            secret_output: O::SECRET_OUTPUT,
            added_in: O::ADDED_IN,
            removed_in: O::REMOVED_IN,
            ..Self::new(O::ID, O::METHOD, path)
        }
    }
}

/// Code that runs once per operation type, through the generated `operations::visit_all`.
pub trait OperationVisitor {
    fn visit<O: Operation>(&mut self);
}

/// Like [`OperationVisitor`], for operations whose types also go the other way (the input
/// decoded, the output encoded), as tests and mock servers need: the generated
/// `operations::visit_all_round_trip`, with the generated crate's `roundtrip` feature.
pub trait RoundTripVisitor {
    fn visit<O>(&mut self)
    where
        O: Operation<Input: Serialize + DeserializeOwned + Sized, Output: Serialize + DeserializeOwned>;
}
