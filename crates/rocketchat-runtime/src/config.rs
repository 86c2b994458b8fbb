//! A transport's configuration, checked once when it is built and shared by the async and
//! blocking transports: the base URL, the limits, retries, two-factor settings, and the
//! headers every request gets on its way to an `http::Request`.

use crate::RetryPolicy;
use crate::error::Error;
use crate::request::{Request, header_value};
use crate::session::Session;
use crate::two_factor::TwoFactorHandler;
use http::StatusCode;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub(crate) const DEFAULT_USER_AGENT: &str = concat!("rocketchat-rust/", env!("CARGO_PKG_VERSION"));
/// How much of a failing response is kept: enough for any real error body, not enough for a
/// hostile server to exhaust memory.
pub(crate) const DEFAULT_MAX_ERROR_BODY: usize = 64 * 1024;
pub(crate) const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

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
            url.push(if url.contains('?') { '&' } else { '?' });
            let start = url.len();
            form_urlencoded::Serializer::for_suffix(&mut url, start).extend_pairs(&request.query).finish();
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
    if url.scheme() == "https" && !cfg!(any(feature = "rustls", feature = "native-tls")) {
        return Err(invalid(
            "is https, but this build has no TLS: enable the `rustls` (default) or `native-tls` feature",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without a TLS feature, an `https` server is refused up front with the way out, not
    /// at the first call (`.ci/run` runs this without default features too).
    #[test]
    fn https_needs_a_tls_feature() {
        let https = validate_base_url("https://chat.example.com/");
        if cfg!(any(feature = "rustls", feature = "native-tls")) {
            assert_eq!(https.unwrap(), "https://chat.example.com");
        } else {
            let message = https.unwrap_err().to_string();
            assert!(message.contains("this build has no TLS") && message.contains("`rustls`"), "{message}");
        }
        assert_eq!(validate_base_url("http://chat.example.com/").unwrap(), "http://chat.example.com");
    }
    use http::Method;
    use serde_json::json;

    fn config(base_url: &str) -> Config {
        let session = Session::new(Some(crate::Credentials::new("user-1", "token-1")), false).unwrap();
        let user_agent = HeaderValue::from_static("agent/1");
        Config::new(validate_base_url(base_url).unwrap(), session, user_agent)
    }

    #[test]
    fn requests_carry_method_path_credentials_and_json() {
        let request = config("http://example.com/chat/")
            .build_request(
                Request::new("groups.kick", Method::POST, "/api/v1/groups.kick").json(&json!({"roomId": "R"})).unwrap(),
            )
            .unwrap();
        assert_eq!(request.method(), Method::POST);
        assert_eq!(request.uri(), "http://example.com/chat/api/v1/groups.kick");
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
    fn query_strings_are_form_encoded_in_order() {
        let request = Request::new("x", Method::GET, "/api/v1/x").query("q", "a b&c=d/é").query("count", 50);
        let request = config("http://example.com/chat").build_request(request).unwrap();
        assert_eq!(request.uri(), "http://example.com/chat/api/v1/x?q=a+b%26c%3Dd%2F%C3%A9&count=50");
    }

    #[cfg(feature = "form")]
    #[test]
    fn form_bodies_are_form_encoded_in_field_order() {
        #[derive(serde::Serialize)]
        struct Body {
            name: &'static str,
            count: u32,
            skipped: Option<bool>,
        }
        let body = Body { name: "a b&c", count: 2, skipped: None };
        let request = Request::new("x", Method::POST, "/api/v1/x").form(&body).unwrap();
        let request = config("http://example.com").build_request(request).unwrap();
        assert_eq!(request.headers()["content-type"], "application/x-www-form-urlencoded");
        assert_eq!(request.body(), b"name=a+b%26c&count=2");
    }

    #[test]
    fn a_token_that_is_not_a_header_value_is_a_config_error_without_the_token() {
        let Err(error) = Session::new(Some(crate::Credentials::new("u", "bad\ntoken")), false) else {
            panic!("an invalid token is refused");
        };
        assert!(matches!(&error, Error::Config(message) if !message.contains("bad")), "{error:?}");
    }

    #[test]
    fn base_urls_keep_sub_paths_and_drop_trailing_slashes() {
        // http: these rules hold whatever the scheme, with or without a TLS feature.
        assert_eq!(validate_base_url("http://chat.example.com").unwrap(), "http://chat.example.com");
        assert_eq!(validate_base_url("http://example.com/chat/").unwrap(), "http://example.com/chat");
        assert!(validate_base_url("chat.example.com").is_err());
        assert!(validate_base_url("ftp://example.com").is_err());
        assert!(validate_base_url("http://bob:secret@example.com").is_err());
        assert!(validate_base_url("http://example.com/?x=1").is_err());
    }
}
