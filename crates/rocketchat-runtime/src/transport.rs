use crate::core::{Config, Response, TwoFactor, cap_body, classify_response};
use crate::error::{Endpoint, Error};
use crate::request::{RawResponse, Request};
use crate::{Call, Credentials, Decode, Operation, TransportBuilder};
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tracing::Instrument;

/// Sends requests to one Rocket.Chat server as one user. Cheap to clone: clones share one
/// connection pool.
#[derive(Clone)]
pub struct Transport {
    config: Arc<Config>,
    http: reqwest::Client,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Transport {
    /// Starts configuring a transport for the server at `base_url`.
    pub fn builder(base_url: impl Into<String>, credentials: Credentials) -> TransportBuilder {
        TransportBuilder::new(base_url.into(), credentials)
    }

    pub(crate) fn from_parts(config: Config, http: reqwest::Client) -> Self {
        Self { config: Arc::new(config), http }
    }

    /// A copy that sends `two_factor` with every call; the original is unchanged.
    pub fn with_two_factor(&self, two_factor: TwoFactor) -> Self {
        Self { config: Arc::new(self.config.with_two_factor(two_factor)), http: self.http.clone() }
    }

    /// The server's base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The HTTP request that calling operation `O` with `input` sends: its method and path
    /// under the base URL, its parameters, the credentials and its body. Touches no network.
    pub fn build_request<O: Operation>(&self, input: &O::Input) -> Result<http::Request<Vec<u8>>, Error> {
        self.config.build_request(O::request(input)?)
    }

    /// Calls operation `O` and decodes its result.
    pub async fn execute<O: Operation>(&self, input: &O::Input) -> Result<O::Output, Error> {
        self.call::<O>(input).await
    }

    /// Like [`Transport::execute`], keeping the status and rate-limit headers of the response.
    pub async fn send<O: Operation>(&self, input: &O::Input) -> Result<Response<O::Output>, Error> {
        let raw = self.send_request(O::request(input)?).await?;
        let (status, rate_limit) = (raw.status, raw.rate_limit());
        Ok(Response { value: O::Decoder::default().decode(raw)?, status, rate_limit })
    }

    /// The call of operation `O` with `input`, as the generated methods return it. A request
    /// that could not be built (or that the spec forbids) fails when the call is awaited.
    pub fn call<O: Operation>(&self, input: &O::Input) -> Call<'_, O::Output, O::Decoder> {
        Call::new(self.sending(O::request(input)), O::Decoder::default())
    }

    pub(crate) fn sending(&self, request: Result<Request, Error>) -> crate::call::Sending<'_> {
        match request {
            Ok(request) => Box::pin(self.send_request(request)),
            Err(error) => Box::pin(std::future::ready(Err(error))),
        }
    }

    /// Sends any request and returns its success response undecoded, or the error.
    ///
    /// With a [`RetryPolicy`](crate::RetryPolicy) set, a 429 is retried after the wait the
    /// server asks for, within the policy's bounds. Each call is traced as a `rocketchat.call`
    /// span (operation, status, duration, attempts, rate limit remaining); credentials are
    /// never recorded.
    pub async fn send_request(&self, mut request: Request) -> Result<RawResponse, Error> {
        let span = call_span(request.operation);
        let recorder = span.clone();
        let call = async move {
            let span = recorder;
            let started = Instant::now();
            let mut waited = Duration::ZERO;
            let mut attempt = 0;
            loop {
                attempt += 1;
                let result = self.attempt(self.config.next_attempt(&mut request)).await;
                record_attempt(&span, &result, attempt, started);
                let Err(error) = &result else { return result };
                let Some(wait) = self.config.retry_wait(error, attempt, waited) else { return result };
                tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limited; retrying");
                tokio::time::sleep(wait).await;
                waited += wait;
            }
        };
        call.instrument(span).await
    }

    async fn attempt(&self, request: Request) -> Result<RawResponse, Error> {
        let operation = request.operation;
        let mut prepared = self.config.prepare(request)?;
        let endpoint = Endpoint::new(operation, prepared.method.clone(), &prepared.url);
        let url = reqwest::Url::parse(&prepared.url)
            .map_err(|error| Error::Config(format!("the request URL is not valid ({error})")))?;
        let mut request = reqwest::Request::new(prepared.method.clone(), url);
        *request.headers_mut() = std::mem::take(&mut prepared.headers);
        *request.body_mut() = Some(reqwest::Body::from(std::mem::take(&mut prepared.body)));
        let mut response = self.http.execute(request).await.map_err(|error| transport_error(error, &endpoint))?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let limit = self.config.body_limit(status);
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|error| transport_error(error, &endpoint))? {
            if !cap_body(&mut body, &chunk, status, limit)? {
                break;
            }
        }
        classify_response(status, headers, body)
    }
}

/// The span of one call; its fields are filled in by [`record_attempt`].
pub(crate) fn call_span(operation: &'static str) -> tracing::Span {
    tracing::info_span!(
        "rocketchat.call",
        operation,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        attempts = tracing::field::Empty,
        rate_limit_remaining = tracing::field::Empty,
    )
}

pub(crate) fn record_attempt(
    span: &tracing::Span,
    result: &Result<RawResponse, Error>,
    attempt: u32,
    started: Instant,
) {
    // Nobody listens: skip reading headers for fields no one will see.
    if span.is_disabled() {
        return;
    }
    span.record("attempts", attempt);
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    let (status, rate_limit) = match result {
        Ok(response) => (Some(response.status), response.rate_limit()),
        Err(error) => (error.status(), error.rate_limit().copied()),
    };
    if let Some(status) = status {
        span.record("status", status.as_u16());
    }
    if let Some(remaining) = rate_limit.and_then(|rate_limit| rate_limit.remaining) {
        span.record("rate_limit_remaining", remaining);
    }
}

pub(crate) fn transport_error(error: reqwest::Error, endpoint: &Endpoint) -> Error {
    let endpoint = Box::new(endpoint.clone());
    if error.is_timeout() {
        Error::Timeout { endpoint }
    } else {
        Error::Transport { endpoint, source: error.without_url() }
    }
}
