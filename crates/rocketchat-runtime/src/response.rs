//! What a call gets back: the success response before and after decoding, and the typed error
//! a failing one becomes. Touches no network: both transports share it, and so can tests.

use crate::RateLimit;
use crate::error::{ApiError, Error, code_in_message, truncate};
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// How much of an undecodable body an error quotes.
const BODY_START: usize = 256;
/// What an error quotes instead of a body that holds secrets.
pub(crate) const WITHHELD: &str = "<withheld: the body holds credentials>";

/// A success response, before its body is decoded: the generated code decodes it as the
/// spec says (JSON, text, bytes), by status where several are documented.
#[derive(Clone)]
#[non_exhaustive]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// A login response (its body holds a token), or one whose operation says its body holds
    /// a secret: neither errors nor `Debug` quote it.
    pub(crate) holds_secrets: bool,
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = self.shown_text();
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &body)
            .finish()
    }
}

impl RawResponse {
    /// The rate-limit headers, where the server sent them.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The body as JSON of type `T` (an empty body as `null`).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        decode_json(self.status, &self.body, self.holds_secrets)
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as it came.
    pub fn into_bytes(self) -> Vec<u8> {
        self.body
    }

    /// The value `decode` makes of the response, with what the response said besides its body.
    pub(crate) fn decoded<T>(self, decode: impl FnOnce(Self) -> Result<T, Error>) -> Result<Response<T>, Error> {
        let (status, rate_limit) = (self.status, self.rate_limit());
        let deprecation = Deprecation::from_headers(&self.headers);
        Ok(Response { value: decode(self)?, status, rate_limit, deprecation })
    }

    /// The body as text where it may be shown: withheld when it holds a secret.
    fn shown_text(&self) -> String {
        if self.holds_secrets { WITHHELD.to_owned() } else { self.text() }
    }

    /// The error for a success status the spec does not describe.
    pub fn undocumented(self) -> Error {
        let mut error = ApiError::new(self.status, self.shown_text());
        error.rate_limit = self.rate_limit();
        Error::Status(Box::new(error))
    }
}

/// A decoded success, with what the response said besides its body.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Response<T> {
    pub value: T,
    pub status: StatusCode,
    /// The rate-limit headers, where the server sent them.
    pub rate_limit: Option<RateLimit>,
    /// The server's notice that the endpoint (or a parameter) is deprecated.
    pub deprecation: Option<Deprecation>,
}

/// The `x-deprecation-*` headers a server adds to a deprecated endpoint's responses
/// (`writeDeprecationHeader` in apps/meteor/server/lib/deprecationWarningLogger.ts).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Deprecation {
    /// `endpoint-deprecation`, `parameter-deprecation` or `invalid-usage`.
    pub kind: String,
    /// Such as `The endpoint "/api/v1/channels.images" is deprecated and will be removed on
    /// version 9.0.0 ( Please use the alternative(s): /v1/rooms.images)`.
    pub message: String,
    /// The version that removes it, such as `9.0.0`.
    pub version: Option<String>,
}

impl Deprecation {
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
        let (kind, message) = (text("x-deprecation-type"), text("x-deprecation-message"));
        if kind.is_none() && message.is_none() {
            return None;
        }
        Some(Self {
            kind: kind.unwrap_or_default(),
            message: message.unwrap_or_default(),
            version: text("x-deprecation-version"),
        })
    }
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

/// Turns a response into the operation's output or a typed error. Touches no network.
///
/// A success status decodes the body as `T` (an empty body as JSON `null`); a failing status
/// becomes the [`Error`] variant for its class, with the server's message and code.
pub fn decode_response<T: DeserializeOwned>(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response<T>, Error> {
    if !status.is_success() {
        // Failures are rare: copying their parts is fine.
        classify_response(status, headers.clone(), body.to_vec())?;
    }
    Ok(Response {
        value: decode_json(status, body, false)?,
        status,
        rate_limit: RateLimit::from_headers(headers),
        deprecation: Deprecation::from_headers(headers),
    })
}

/// A success status gives the response back for decoding; a failing one becomes the
/// [`Error`] variant for its class, with the server's message and code. Touches no network.
pub fn classify_response(status: StatusCode, headers: HeaderMap, body: Vec<u8>) -> Result<RawResponse, Error> {
    if status.is_success() {
        return Ok(RawResponse { status, headers, body, holds_secrets: false });
    }
    let mut error = ApiError::new(status, String::from_utf8_lossy(&body).into_owned());
    error.rate_limit = RateLimit::from_headers(&headers);
    let failure = serde_json::from_slice::<FailureBody>(&body).ok();
    let has_failure_body = failure.as_ref().is_some_and(|failure| failure.error.is_some() || failure.message.is_some());
    if let Some(failure) = failure {
        error.message = failure.error.or(failure.message);
        error.error_type =
            failure.error_type.or_else(|| error.message.as_deref().and_then(code_in_message).map(str::to_owned));
        error.details = failure.details;
    }
    let error = Box::new(error);
    Err(match status.as_u16() {
        401 => Error::Unauthorized(error),
        403 => Error::Forbidden(error),
        429 => Error::RateLimited(error),
        _ if has_failure_body => Error::Api(error),
        _ => Error::Status(error),
    })
}

/// A success body as JSON of type `T`; an empty body is read as `null`.
pub(crate) fn decode_json<T: DeserializeOwned>(status: StatusCode, body: &[u8], secret: bool) -> Result<T, Error> {
    let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
    serde_json::from_slice(json).map_err(|source| Error::Decode {
        status,
        body_start: match secret {
            true => WITHHELD.to_owned(),
            false => truncate(&String::from_utf8_lossy(body), BODY_START).to_owned(),
        },
        source,
    })
}

/// Every failure shape Rocket.Chat sends: `{success, error, errorType, details}` and the
/// older `{status, message}` of 401s. Fields of the wrong type count as absent.
#[derive(serde::Deserialize)]
struct FailureBody {
    #[serde(default, deserialize_with = "lenient")]
    error: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    message: Option<String>,
    #[serde(default, rename = "errorType", deserialize_with = "lenient")]
    error_type: Option<String>,
    details: Option<serde_json::Value>,
}

fn lenient<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
    Ok(value.as_str().map(str::to_owned))
}

/// Keeps at most `limit` bytes of `body`, or fails for a success body over the limit.
pub(crate) fn cap_body(body: &mut Vec<u8>, chunk: &[u8], status: StatusCode, limit: usize) -> Result<bool, Error> {
    if body.len() + chunk.len() <= limit {
        body.extend_from_slice(chunk);
        return Ok(true);
    }
    if status.is_success() {
        return Err(Error::BodyTooLarge { status, limit });
    }
    body.extend_from_slice(&chunk[..limit - body.len()]);
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A body that holds a secret stays out of every error made of it: one that does not
    /// decode, and one whose status the spec does not describe.
    #[test]
    fn a_secret_body_is_withheld_from_errors() {
        let secret = || RawResponse {
            status: StatusCode::ACCEPTED,
            headers: HeaderMap::new(),
            body: br#"{"token": "s3cr3t"}"#.to_vec(),
            holds_secrets: true,
        };
        let Error::Status(error) = secret().undocumented() else { panic!("a status error") };
        assert_eq!(error.body, WITHHELD);
        let error = secret().json::<Vec<String>>().unwrap_err();
        assert!(!format!("{error:?} {error}").contains("s3cr3t"), "{error:?}");
        assert!(!format!("{:?}", secret()).contains("s3cr3t"));
    }

    #[test]
    fn responses_decode_without_a_network() {
        let ok =
            decode_response::<serde_json::Value>(StatusCode::OK, &HeaderMap::new(), b"{\"success\":true}").unwrap();
        assert_eq!(ok.value, json!({"success": true}));
        let empty = decode_response::<crate::NoContent>(StatusCode::NO_CONTENT, &HeaderMap::new(), b"").unwrap();
        assert_eq!(empty.status, StatusCode::NO_CONTENT);
        let error =
            decode_response::<serde_json::Value>(StatusCode::BAD_REQUEST, &HeaderMap::new(), br#"{"error": 5}"#)
                .unwrap_err();
        assert!(matches!(error, Error::Status(_)), "{error:?}");
    }

    #[test]
    fn bodies_are_capped_by_status() {
        let mut body = Vec::new();
        assert!(!cap_body(&mut body, &[b'x'; 20], StatusCode::BAD_GATEWAY, 10).unwrap());
        assert_eq!(body.len(), 10);
        let error = cap_body(&mut Vec::new(), &[b'x'; 20], StatusCode::OK, 10).unwrap_err();
        assert!(matches!(error, Error::BodyTooLarge { limit: 10, .. }));
    }
}
