use serde::{Deserialize, Deserializer, Serialize, Serializer, de::DeserializeOwned};

/// What the generated code knows about one operation of the spec. Each operation has a
/// marker type in the generated crate's `operations` module that implements this trait.
pub trait Operation {
    /// The spec's `operationId`, such as `groups.kick`.
    const ID: &'static str;
    const METHOD: http::Method;
    /// The path under the server's base URL, such as `/api/v1/groups.kick`.
    const PATH: &'static str;
    /// The JSON request body; `()` when the operation takes none.
    type Body: Serialize;
    /// What a successful call returns.
    type Output: DeserializeOwned;
    /// Whether the success body is dropped unread (an output of [`NoContent`]): servers may
    /// answer such calls with text that is not JSON.
    const IGNORES_BODY: bool = false;
}

/// Code that runs once per operation type, through the generated `operations::visit_all`.
pub trait OperationVisitor {
    fn visit<O: Operation>(&mut self);
}

/// Like [`OperationVisitor`], for operations whose types also go the other way (a request
/// body decoded, a response encoded), as tests and mock servers need: the generated
/// `operations::visit_all_round_trip`, with the generated crate's `roundtrip` feature.
pub trait RoundTripVisitor {
    fn visit<O>(&mut self)
    where
        O: Operation<Body: DeserializeOwned, Output: Serialize>;
}

/// The output of an operation whose success response has no described body: whatever the
/// server sends is accepted and dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct NoContent;

impl<'de> Deserialize<'de> for NoContent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| NoContent)
    }
}

impl Serialize for NoContent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit()
    }
}
