//! The part of a call that touches no network, shared by the async and blocking transports:
//! request values to an `http::Request`, and status + headers + bytes to a result.

use crate::error::{ApiError, Error, ErrorType, code_in_message, truncate};
use crate::request::{RawResponse, Request};
use crate::session::{Session, header_value};
use crate::two_factor::TwoFactorHandler;
use crate::{RateLimit, RetryPolicy};
use http::StatusCode;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub(crate) const DEFAULT_USER_AGENT: &str = concat!("rocketchat-rust/", env!("CARGO_PKG_VERSION"));
/// How much of a failing response is kept: enough for any real error body, not enough for a
/// hostile server to exhaust memory.
pub(crate) const DEFAULT_MAX_ERROR_BODY: usize = 64 * 1024;
pub(crate) const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;
/// How much of an undecodable body an error quotes.
const BODY_START: usize = 256;

/// A request's parts, ready for an HTTP client.
pub(crate) struct Prepared {
    pub method: http::Method,
    pub url: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// Everything about a call but the HTTP client that sends it.
#[derive(Clone)]
pub(crate) struct Config {
    /// Without a trailing slash, so that appending `/api/v1/...` keeps any sub-path.
    pub base_url: String,
    /// Shared by every clone of the transport: logging in on one logs in all.
    pub session: Arc<Session>,
    /// `Accept` and `User-Agent`: checked once, when the transport is built.
    pub fixed_headers: HeaderMap,
    pub max_body: usize,
    pub max_error_body: usize,
    pub retry: Option<RetryPolicy>,
    /// A code sent with every call (the static form of two-factor authentication).
    pub two_factor: Option<Arc<TwoFactor>>,
    /// Answers challenges as they come (the conversational form).
    pub two_factor_handler: Option<Arc<dyn TwoFactorHandler>>,
    pub max_two_factor_attempts: u32,
    /// Refuse operations the spec says the server's version lacks.
    pub check_server_version: bool,
    /// How long one attempt may take, body included.
    pub timeout: Duration,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("session", &self.session)
            .field("user_agent", &self.fixed_headers.get(USER_AGENT))
            .field("max_body", &self.max_body)
            .field("max_error_body", &self.max_error_body)
            .field("retry", &self.retry)
            .field("two_factor", &self.two_factor)
            .field("two_factor_handler", &self.two_factor_handler.is_some())
            .field("max_two_factor_attempts", &self.max_two_factor_attempts)
            .field("check_server_version", &self.check_server_version)
            .finish()
    }
}

impl Config {
    pub fn new(base_url: String, session: Session, user_agent: HeaderValue) -> Self {
        let mut fixed_headers = HeaderMap::new();
        fixed_headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        fixed_headers.insert(USER_AGENT, user_agent);
        Self {
            base_url,
            session: Arc::new(session),
            fixed_headers,
            max_body: DEFAULT_MAX_BODY,
            max_error_body: DEFAULT_MAX_ERROR_BODY,
            retry: None,
            two_factor: None,
            two_factor_handler: None,
            max_two_factor_attempts: crate::two_factor::DEFAULT_MAX_ATTEMPTS,
            check_server_version: false,
            timeout: Duration::from_secs(30),
        }
    }

    /// The same configuration, sending `two_factor` with every call.
    pub fn with_two_factor(&self, two_factor: TwoFactor) -> Self {
        Self { two_factor: Some(Arc::new(two_factor)), ..self.clone() }
    }

    /// The HTTP request: the path under the base URL, the query, the credentials, the
    /// request's own headers and its body.
    pub fn build_request(&self, request: Request) -> Result<http::Request<Vec<u8>>, Error> {
        let operation = request.operation;
        let prepared = self.prepare(request)?;
        let mut built = http::Request::builder()
            .method(prepared.method)
            .uri(prepared.url)
            .body(prepared.body)
            .map_err(|error| Error::Config(format!("cannot build the request for {operation}: {error}")))?;
        *built.headers_mut() = prepared.headers;
        Ok(built)
    }

    /// The parts of the request, shared by [`Config::build_request`] and the transports (which
    /// build their client's request type from them directly, parsing the URL only once).
    pub fn prepare(&self, request: Request) -> Result<Prepared, Error> {
        let path = request.path.strip_prefix('/').unwrap_or(&request.path);
        let mut url = String::with_capacity(self.base_url.len() + path.len() + 1);
        url.push_str(&self.base_url);
        url.push('/');
        url.push_str(path);
        if !request.query.is_empty() {
            let query = serde_urlencoded::to_string(&request.query).map_err(|error| Error::Encode(Box::new(error)))?;
            url.push(if url.contains('?') { '&' } else { '?' });
            url.push_str(&query);
        }
        let mut headers = self.fixed_headers.clone();
        if let Some((user_id, auth_token)) = self.session.auth_headers() {
            headers.insert("x-user-id", user_id);
            headers.insert("x-auth-token", auth_token);
        }
        if let Some(two_factor) = &self.two_factor {
            headers.insert("x-2fa-code", sensitive(header_value(&two_factor.code, "two-factor code")?));
            headers.insert("x-2fa-method", header_value(&two_factor.method, "two-factor method")?);
        }
        for (name, value) in request.headers {
            headers.insert(name, value);
        }
        let body = match request.body {
            Some((content_type, bytes)) => {
                // The server reads a JSON body without this header as text and fails confusingly.
                headers.insert(CONTENT_TYPE, content_type);
                bytes
            }
            None => Vec::new(),
        };
        Ok(Prepared { method: request.method, url, headers, body })
    }

    /// How many body bytes to read: a success body over the limit is an error, a failure body
    /// is cut at its (smaller) limit, since only its start is useful.
    pub fn body_limit(&self, status: StatusCode) -> usize {
        if status.is_success() { self.max_body } else { self.max_error_body }
    }

    /// How long to wait before retrying a 429, or `None` to give up. `attempt` counts from 1;
    /// `waited` is the time already spent waiting in this call.
    pub fn retry_wait(&self, error: &Error, attempt: u32, waited: Duration) -> Option<Duration> {
        let policy = self.retry?;
        if attempt > policy.max_retries {
            return None;
        }
        let wait = error.retry_after()?;
        // A hostile message ("wait 18446744073709551615 seconds") must not overflow.
        waited.checked_add(wait).filter(|total| *total <= policy.max_total_wait).map(|_| wait)
    }
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

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

/// A second factor for calls that the server protects with two-factor authentication,
/// sent as the `x-2fa-code` and `x-2fa-method` headers. The code never appears in output.
#[derive(Clone, PartialEq, Eq)]
pub struct TwoFactor {
    code: String,
    method: String,
}

impl TwoFactor {
    /// A code of the given method, such as `totp`, `email` or `password`.
    pub fn new(code: impl Into<String>, method: impl Into<String>) -> Self {
        Self { code: code.into(), method: method.into() }
    }

    /// A code from an authenticator app.
    pub fn totp(code: impl Into<String>) -> Self {
        Self::new(code, "totp")
    }
}

impl fmt::Debug for TwoFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwoFactor").field("code", &"<redacted>").field("method", &self.method).finish()
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
        return Ok(RawResponse { status, headers, body, holds_credentials: false });
    }
    let mut error = ApiError::new(status, String::from_utf8_lossy(&body).into_owned());
    error.rate_limit = RateLimit::from_headers(&headers);
    let failure = serde_json::from_slice::<FailureBody>(&body).ok();
    let has_failure_body = failure.as_ref().is_some_and(|failure| failure.error.is_some() || failure.message.is_some());
    if let Some(failure) = failure {
        error.message = failure.error.or(failure.message);
        error.error_type = failure
            .error_type
            .map(ErrorType::from)
            .or_else(|| error.message.as_deref().and_then(code_in_message).map(ErrorType::from));
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
            true => crate::session::WITHHELD.to_owned(),
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

pub(crate) fn validate_base_url(base_url: &str) -> Result<String, Error> {
    // A URL with `@` may carry a password: such a URL is never quoted back.
    let shown =
        if base_url.contains('@') { "(not shown: it contains `@`)".to_owned() } else { format!("{base_url:?}") };
    let invalid = |why: &str| Error::Config(format!("the base URL {shown} {why}"));
    let url =
        reqwest::Url::parse(base_url.trim()).map_err(|error| invalid(&format!("is not a valid URL ({error})")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("must start with http:// or https://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // The URL is left out of this message: it holds a password.
        return Err(Error::Config(
            "the base URL must not contain a user name or password; pass them as Credentials".into(),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment"));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Method;
    use serde_json::json;

    fn config(base_url: &str) -> Config {
        let session = Session::new(Some(crate::Credentials::new("user-1", "token-1")), false).unwrap();
        let user_agent = HeaderValue::from_static("agent/1");
        Config::new(validate_base_url(base_url).unwrap(), session, user_agent)
    }

    #[test]
    fn requests_carry_method_path_credentials_and_json() {
        let request = config("https://example.com/chat/")
            .build_request(
                Request::new("groups.kick", Method::POST, "/api/v1/groups.kick").json(&json!({"roomId": "R"})).unwrap(),
            )
            .unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri(), "https://example.com/chat/api/v1/groups.kick");
        let headers = request.headers();
        assert_eq!(headers["x-user-id"], "user-1");
        assert_eq!(headers["x-auth-token"], "token-1");
        assert!(headers["x-auth-token"].is_sensitive());
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(headers["user-agent"], "agent/1");
        assert_eq!(request.body(), br#"{"roomId":"R"}"#);
        assert!(!headers.contains_key("x-2fa-code"));
    }

    #[test]
    fn a_token_that_is_not_a_header_value_is_a_config_error_without_the_token() {
        let Err(error) = Session::new(Some(crate::Credentials::new("u", "bad\ntoken")), false) else {
            panic!("an invalid token is refused");
        };
        assert!(matches!(&error, Error::Config(message) if !message.contains("bad")), "{error:?}");
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

    #[test]
    fn base_urls_keep_sub_paths_and_drop_trailing_slashes() {
        assert_eq!(validate_base_url("https://chat.example.com").unwrap(), "https://chat.example.com");
        assert_eq!(validate_base_url("https://example.com/chat/").unwrap(), "https://example.com/chat");
        assert!(validate_base_url("chat.example.com").is_err());
        assert!(validate_base_url("ftp://example.com").is_err());
        assert!(validate_base_url("https://bob:secret@example.com").is_err());
        assert!(validate_base_url("https://example.com/?x=1").is_err());
    }
}
