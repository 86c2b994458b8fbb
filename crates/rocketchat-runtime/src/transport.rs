use crate::error::{ApiError, Error, ErrorType, code_in_message, truncate};
use crate::retry::wait_in_message;
use crate::{Credentials, Operation, RateLimit, RetryPolicy};
use http::StatusCode;
use http::header::{ACCEPT, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};
use tracing::Instrument;

const DEFAULT_USER_AGENT: &str = concat!("rocketchat-rust/", env!("CARGO_PKG_VERSION"));
/// How much of a failing response is kept: enough for any real error body, not enough for a
/// hostile server to exhaust memory.
const DEFAULT_MAX_ERROR_BODY: usize = 64 * 1024;
const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;
/// How much of an undecodable body an error quotes.
const BODY_START: usize = 256;

/// Sends requests to one Rocket.Chat server as one user. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
    /// Set only on the copies [`Transport::with_two_factor`] makes.
    two_factor: Option<Arc<TwoFactor>>,
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
}

struct Inner {
    /// Without a trailing slash, so that appending `/api/v1/...` keeps any sub-path.
    base_url: String,
    credentials: Credentials,
    user_agent: HeaderValue,
    http: reqwest::Client,
    max_body: usize,
    max_error_body: usize,
    retry: Option<RetryPolicy>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("user_agent", &self.inner.user_agent)
            .field("max_body", &self.inner.max_body)
            .field("max_error_body", &self.inner.max_error_body)
            .field("retry", &self.inner.retry)
            .field("two_factor", &self.two_factor)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Starts configuring a transport for the server at `base_url`.
    pub fn builder(base_url: impl Into<String>, credentials: Credentials) -> TransportBuilder {
        TransportBuilder {
            base_url: base_url.into(),
            credentials,
            user_agent: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            http: None,
            max_body: DEFAULT_MAX_BODY,
            max_error_body: DEFAULT_MAX_ERROR_BODY,
            retry: None,
        }
    }

    /// A copy that sends `two_factor` with every call; the original is unchanged.
    pub fn with_two_factor(&self, two_factor: TwoFactor) -> Self {
        Self { inner: self.inner.clone(), two_factor: Some(Arc::new(two_factor)) }
    }

    /// The server's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The HTTP request for operation `O`: its method and path under the base URL, the
    /// credentials, and `body` as JSON. Touches no network.
    pub fn build_request<O: Operation, B: Serialize + ?Sized>(
        &self,
        body: Option<&B>,
    ) -> Result<http::Request<Vec<u8>>, Error> {
        let path = O::PATH.strip_prefix('/').unwrap_or(O::PATH);
        let url = format!("{}/{path}", self.inner.base_url);
        let mut request = http::Request::builder().method(O::METHOD).uri(url).header(ACCEPT, "application/json");
        let headers = request.headers_mut().ok_or_else(|| Error::Config(format!("invalid URL for {}", O::ID)))?;
        headers.insert("x-user-id", header_value(self.inner.credentials.user_id(), "user id")?);
        headers.insert("x-auth-token", sensitive(header_value(self.inner.credentials.auth_token(), "auth token")?));
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        if let Some(two_factor) = &self.two_factor {
            headers.insert("x-2fa-code", sensitive(header_value(&two_factor.code, "two-factor code")?));
            headers.insert("x-2fa-method", header_value(&two_factor.method, "two-factor method")?);
        }
        let bytes = match body {
            Some(body) => {
                // The server reads a body without this header as text and fails confusingly.
                headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                serde_json::to_vec(body).map_err(Error::Encode)?
            }
            None => Vec::new(),
        };
        request.body(bytes).map_err(|error| Error::Config(format!("cannot build the request for {}: {error}", O::ID)))
    }

    /// Calls operation `O` and decodes its result.
    pub async fn execute<O: Operation, B: Serialize + ?Sized>(&self, body: Option<&B>) -> Result<O::Output, Error> {
        self.send::<O, B>(body).await.map(|response| response.value)
    }

    /// Like [`Transport::execute`], keeping the status and rate-limit headers of the response.
    ///
    /// With a [`RetryPolicy`] set, a 429 is retried after the wait the server asks for, within
    /// the policy's bounds. Each call is traced as a `rocketchat.call` span (operation, status,
    /// duration, attempts, rate limit remaining); credentials are never recorded.
    pub async fn send<O: Operation, B: Serialize + ?Sized>(
        &self,
        body: Option<&B>,
    ) -> Result<Response<O::Output>, Error> {
        let span = tracing::info_span!(
            "rocketchat.call",
            operation = O::ID,
            status = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            attempts = tracing::field::Empty,
            rate_limit_remaining = tracing::field::Empty,
        );
        let call = async {
            let started = Instant::now();
            let mut waited = Duration::ZERO;
            let mut attempt = 0;
            loop {
                attempt += 1;
                let result = self.attempt::<O, B>(body).await;
                let span = tracing::Span::current();
                span.record("attempts", attempt);
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                let (status, rate_limit) = match &result {
                    Ok(response) => (Some(response.status), response.rate_limit),
                    Err(error) => (error.status(), error.rate_limit().copied()),
                };
                if let Some(status) = status {
                    span.record("status", status.as_u16());
                }
                if let Some(remaining) = rate_limit.and_then(|rate_limit| rate_limit.remaining) {
                    span.record("rate_limit_remaining", remaining);
                }
                let Err(Error::RateLimited(limited)) = &result else { return result };
                let Some(wait) = self.retry_wait(limited, attempt, waited) else { return result };
                tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limited; retrying");
                tokio::time::sleep(wait).await;
                waited += wait;
            }
        };
        call.instrument(span).await
    }

    /// How long to wait before retrying a 429, or `None` to give up.
    fn retry_wait(&self, limited: &ApiError, attempt: u32, waited: Duration) -> Option<Duration> {
        let policy = self.inner.retry?;
        if attempt > policy.max_retries {
            return None;
        }
        let wait = match limited.rate_limit.and_then(|rate_limit| rate_limit.wait_from(SystemTime::now())) {
            Some(wait) => wait,
            None => limited.message.as_deref().and_then(wait_in_message)?,
        };
        (waited + wait <= policy.max_total_wait).then_some(wait)
    }

    async fn attempt<O: Operation, B: Serialize + ?Sized>(
        &self,
        body: Option<&B>,
    ) -> Result<Response<O::Output>, Error> {
        let request = self.build_request::<O, B>(body)?;
        let request = reqwest::Request::try_from(request).map_err(transport_error)?;
        let mut response = self.inner.http.execute(request).await.map_err(transport_error)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let body = self.read_body(response, status).await?;
        let value = decode_response(status, &headers, &body)?;
        Ok(Response { value, status, rate_limit: RateLimit::from_headers(&headers) })
    }

    /// Reads the body up to the limit: a success body over the limit is an error, a failure
    /// body is cut at its (smaller) limit, since only its start is useful.
    async fn read_body(&self, mut response: reqwest::Response, status: StatusCode) -> Result<Vec<u8>, Error> {
        let limit = if status.is_success() { self.inner.max_body } else { self.inner.max_error_body };
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport_error)? {
            if body.len() + chunk.len() > limit {
                if status.is_success() {
                    return Err(Error::BodyTooLarge { status, limit });
                }
                body.extend_from_slice(&chunk[..limit - body.len()]);
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }
}

fn header_value(value: &str, what: &str) -> Result<HeaderValue, Error> {
    // The value itself is left out of the message: it may be the token.
    HeaderValue::from_str(value)
        .map_err(|_| Error::Config(format!("the {what} contains characters not allowed in an HTTP header")))
}

fn sensitive(mut value: HeaderValue) -> HeaderValue {
    value.set_sensitive(true);
    value
}

fn transport_error(error: reqwest::Error) -> Error {
    if error.is_timeout() { Error::Timeout } else { Error::Transport(error.without_url()) }
}

/// Turns a response into the operation's output or a typed error. Touches no network.
///
/// A success status decodes the body as `T` (an empty body as JSON `null`); a failing status
/// becomes the [`Error`] variant for its class, with the server's message and code.
pub fn decode_response<T: DeserializeOwned>(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Result<T, Error> {
    if status.is_success() {
        let json: &[u8] = if body.iter().all(u8::is_ascii_whitespace) { b"null" } else { body };
        return serde_json::from_slice(json).map_err(|source| Error::Decode {
            status,
            body_start: truncate(&String::from_utf8_lossy(body), BODY_START).to_owned(),
            source,
        });
    }
    let mut error = ApiError::new(status, String::from_utf8_lossy(body).into_owned());
    error.rate_limit = RateLimit::from_headers(headers);
    let failure = serde_json::from_slice::<FailureBody>(body).ok();
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

/// Every failure shape Rocket.Chat sends: `{success, error, errorType, details}` and the
/// older `{status, message}` of 401s.
#[derive(serde::Deserialize)]
struct FailureBody {
    error: Option<String>,
    message: Option<String>,
    #[serde(rename = "errorType")]
    error_type: Option<String>,
    details: Option<serde_json::Value>,
}

/// Configures a [`Transport`]; see [`Transport::builder`].
#[derive(Debug)]
#[must_use]
pub struct TransportBuilder {
    base_url: String,
    credentials: Credentials,
    user_agent: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
    max_body: usize,
    max_error_body: usize,
    retry: Option<RetryPolicy>,
}

impl TransportBuilder {
    /// Retries calls answered with 429 (rate limited) as `policy` says. Off by default.
    pub fn retry_on_rate_limit(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The `User-Agent` header; defaults to `rocketchat-rust/<version>`.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// How long to wait for a connection; defaults to 10 s.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long a whole call may take, body included; defaults to 30 s.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends requests through this `reqwest::Client` (its own timeouts then apply).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// The largest success body accepted, in bytes; defaults to 16 MiB.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// How much of a failing response's body is kept, in bytes; defaults to 64 KiB.
    pub fn max_error_body_size(mut self, bytes: usize) -> Self {
        self.max_error_body = bytes;
        self
    }

    /// Checks the configuration and builds the transport.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the base URL is not an absolute `http`/`https` URL without
    /// credentials, query or fragment, or if the user agent is not a valid header value;
    /// [`Error::Transport`] if the HTTP client cannot be created.
    pub fn build(self) -> Result<Transport, Error> {
        let base_url = validate_base_url(&self.base_url)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| Error::Config(format!("the user agent {user_agent:?} is not a valid header value")))?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout)
                .build()
                .map_err(Error::Transport)?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                base_url,
                credentials: self.credentials,
                user_agent,
                http,
                max_body: self.max_body,
                max_error_body: self.max_error_body,
                retry: self.retry,
            }),
            two_factor: None,
        })
    }
}

fn validate_base_url(base_url: &str) -> Result<String, Error> {
    let invalid = |why: &str| Error::Config(format!("the base URL {base_url:?} {why}"));
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
