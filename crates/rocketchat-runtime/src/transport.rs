//! The async transport, and the builder of both transports (`Transport::builder` and
//! `TransportBuilder::build` name each other, so they live together).

use crate::attempt::{Incoming, Outgoing, transport_error};
use crate::config::{
    Config, DEFAULT_MAX_BODY, DEFAULT_MAX_ERROR_BODY, DEFAULT_USER_AGENT, TwoFactor, validate_base_url,
};
use crate::conversation::{Action, Driver, Event};
use crate::env::{self, AUTH_TOKEN_VAR, URL_VAR, USER_ID_VAR};
use crate::error::Error;
use crate::request::Request;
use crate::response::{RawResponse, Response};
use crate::session::Session;
use crate::two_factor::{DEFAULT_MAX_ATTEMPTS, TwoFactorHandler};
use crate::{Call, Credentials, Decode, Operation, Password, RetryPolicy, Secret};
use http::HeaderValue;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
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
        TransportBuilder::new(base_url.into(), Some(credentials))
    }

    /// Starts configuring a transport that has no credentials yet: for the calls that need
    /// none (`GET /api/info`), and to log in with [`Transport::log_in`].
    pub fn anonymous(base_url: impl Into<String>) -> TransportBuilder {
        TransportBuilder::new(base_url.into(), None)
    }

    /// A builder for the server in `ROCKETCHAT_URL`, with the credentials of
    /// [`Credentials::from_env`].
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming each variable that is unset or empty.
    pub fn builder_from_env() -> Result<TransportBuilder, Error> {
        Self::builder_from_lookup(env::process_env)
    }

    /// Like [`Transport::builder_from_env`], reading variables through `lookup`.
    pub fn builder_from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<TransportBuilder, Error> {
        let [url, user_id, auth_token] = env::read([URL_VAR, USER_ID_VAR, AUTH_TOKEN_VAR], lookup)?;
        Ok(Self::builder(url, Credentials::new(user_id, auth_token)))
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

    /// The server's version as `GET /api/info` reported it, once the version check has asked.
    pub fn server_version(&self) -> Option<String> {
        self.config.session.server_version()
    }

    /// Calls operation `O` and decodes its result.
    pub async fn execute<O: Operation>(&self, input: &O::Input) -> Result<O::Output, Error> {
        self.call::<O>(input).await
    }

    /// Like [`Transport::execute`], keeping the status and rate-limit headers of the response.
    pub async fn send<O: Operation>(&self, input: &O::Input) -> Result<Response<O::Output>, Error> {
        self.send_request(O::request(input)?).await?.decoded(|raw| O::Decoder::default().decode(raw))
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
    /// server asks for, within the policy's bounds; with a two-factor handler, a challenge is
    /// answered and the request sent again; after a password login with logging in again on, an
    /// expired token is renewed once. Each call is traced as a `rocketchat.call` span
    /// (operation, status, duration, attempts, rate limit remaining); credentials are never
    /// recorded.
    pub async fn send_request(&self, request: Request) -> Result<RawResponse, Error> {
        let mut driver = Driver::new(&self.config, request);
        let span = driver.span().clone();
        let call = async move {
            let mut event = Event::Start;
            loop {
                event = match driver.next(event) {
                    Action::Send(request) => Event::Response(self.attempt(request).await),
                    Action::Sleep(wait) => {
                        tokio::time::sleep(wait).await;
                        Event::Slept
                    }
                    Action::Ask(challenge) => match &self.config.two_factor_handler {
                        Some(handler) => Event::Answered(handler.answer(&challenge).await),
                        None => Event::Answered(crate::two_factor::Answer::GiveUp),
                    },
                    Action::Finish(result) => return result,
                }
            }
        };
        call.instrument(span).await
    }

    /// Logs in with a user name (or email) and password, answering a two-factor challenge
    /// with the configured handler. Every clone of this transport then acts as that user.
    ///
    /// # Errors
    ///
    /// [`Error::Unauthorized`] for a wrong user or password (the server does not say which),
    /// [`Error::TwoFactor`] when no code was accepted, or any transport error.
    pub async fn log_in(&self, password: &Password) -> Result<Credentials, Error> {
        self.send_request(password.login_request()?).await?;
        self.config.session.logged_in()
    }

    /// Logs in with a resume (login) token, as a reconnecting client does.
    pub async fn log_in_with_token(&self, token: &Secret) -> Result<Credentials, Error> {
        self.send_request(crate::session::resume_request(token)?).await?;
        self.config.session.logged_in()
    }

    /// Logs out: the server invalidates the token the client holds (a personal access token
    /// too: it is deleted), and the client forgets it and any kept login.
    pub async fn log_out(&self) -> Result<(), Error> {
        self.send_request(crate::session::logout_request()).await.map(drop)
    }

    /// The credentials the transport sends, if it has any.
    pub fn credentials(&self) -> Option<Credentials> {
        self.config.session.credentials()
    }

    async fn attempt(&self, request: Request) -> Result<RawResponse, Error> {
        let Outgoing { endpoint, method, url, headers, body } = Outgoing::new(&self.config, request)?;
        let mut request = reqwest::Request::new(method, url);
        *request.headers_mut() = headers;
        *request.body_mut() = Some(reqwest::Body::from(body));
        let mut response = self.http.execute(request).await.map_err(|error| transport_error(error, &endpoint))?;
        let mut incoming = Incoming::new(&self.config, response.status(), std::mem::take(response.headers_mut()));
        while let Some(chunk) = response.chunk().await.map_err(|error| transport_error(error, &endpoint))? {
            if !incoming.push(&chunk)? {
                break;
            }
        }
        incoming.finish()
    }
}

/// Configures a [`Transport`]; see [`Transport::builder`].
#[must_use]
pub struct TransportBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    user_agent: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    http: Option<reqwest::Client>,
    max_body: usize,
    max_error_body: usize,
    retry: Option<RetryPolicy>,
    two_factor_handler: Option<Arc<dyn TwoFactorHandler>>,
    max_two_factor_attempts: u32,
    log_in_again: bool,
    check_server_version: bool,
}

impl fmt::Debug for TransportBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("two_factor_handler", &self.two_factor_handler.is_some())
            .field("log_in_again", &self.log_in_again)
            .field("check_server_version", &self.check_server_version)
            .finish_non_exhaustive()
    }
}

/// The HTTP client of either transport (`reqwest::Client` or `reqwest::blocking::Client`),
/// from a builder's settings. The two reqwest builders have the same methods but no common
/// trait: this writes the settings once, so none can be given to one client and not the other.
macro_rules! http_client {
    ($client:ty, $settings:expr) => {{
        let settings: &TransportBuilder = $settings;
        #[cfg(feature = "rustls")]
        install_crypto_provider();
        <$client>::builder()
            // See `TransportBuilder::build`: a redirect would take the token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .build()
            .map_err(http_client_error)
    }};
}

impl TransportBuilder {
    pub(crate) fn new(base_url: String, credentials: Option<Credentials>) -> Self {
        Self {
            base_url,
            credentials,
            user_agent: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            http: None,
            max_body: DEFAULT_MAX_BODY,
            max_error_body: DEFAULT_MAX_ERROR_BODY,
            retry: None,
            two_factor_handler: None,
            max_two_factor_attempts: DEFAULT_MAX_ATTEMPTS,
            log_in_again: false,
            check_server_version: false,
        }
    }

    /// Answers two-factor challenges with `handler`: when a call (login included) is answered
    /// with `totp-required`, the handler gets the [`Challenge`](crate::two_factor::Challenge)
    /// and the call is sent again with its code; a refused code asks again, up to
    /// [`max_two_factor_attempts`](Self::max_two_factor_attempts) codes. Without a handler the
    /// challenge is returned as an error.
    pub fn two_factor_handler(mut self, handler: impl TwoFactorHandler) -> Self {
        self.two_factor_handler = Some(Arc::new(handler));
        self
    }

    /// How many codes one call offers before failing with `Error::TwoFactor`; defaults to 3.
    pub fn max_two_factor_attempts(mut self, attempts: u32) -> Self {
        self.max_two_factor_attempts = attempts.max(1);
        self
    }

    /// After the transport logged in itself ([`Transport::log_in`], `log_in_with_token`, or the
    /// `login` operation), a call refused with 401 because the token expired or was revoked
    /// repeats that login once and is sent again. Off by default; never for credentials given
    /// to the builder, since there is nothing to log in with.
    pub fn log_in_again_on_expiry(mut self) -> Self {
        self.log_in_again = true;
        self
    }

    /// Before the first call of an operation the spec dates (`x-added-in`, `x-removed-in`),
    /// asks the server its version once (`GET /api/info`) and refuses, without sending, an
    /// operation that version does not have ([`Error::UnsupportedByServer`]). Off by default.
    pub fn check_server_version(mut self) -> Self {
        self.check_server_version = true;
        self
    }

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

    /// How long one attempt may take, body included; defaults to 30 s. With
    /// [`retry_on_rate_limit`](Self::retry_on_rate_limit), a call may take up to
    /// (retries + 1) × this, plus the policy's total wait.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sends requests through this `reqwest::Client`; its own timeouts then apply.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: reqwest's default policy
    /// follows redirects and, on a redirect to another host, forwards the `X-Auth-Token` header
    /// (it only strips `Authorization` and cookies). The default client never follows them.
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
    /// Redirects are not followed: reqwest would send the auth token to the new location and
    /// turn the POST into a GET; a 3xx becomes [`Error::Status`] instead.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] if the base URL is not an absolute `http`/`https` URL without
    /// credentials, query or fragment, or if the user agent is not a valid header value;
    /// [`Error::Config`] if the HTTP client cannot be created.
    pub fn build(self) -> Result<Transport, Error> {
        let config = self.config()?;
        let http = match self.http {
            Some(http) => http,
            None => http_client!(reqwest::Client, &self)?,
        };
        Ok(Transport::from_parts(config, http))
    }

    /// Like [`TransportBuilder::build`], for the blocking transport. A `reqwest::Client` set
    /// with [`TransportBuilder::http_client`] is not used by it.
    ///
    /// # Errors
    ///
    /// As [`TransportBuilder::build`], and [`Error::Config`] when called inside an async
    /// runtime, where a blocking client must not be created.
    #[cfg(feature = "blocking")]
    pub fn build_blocking(self) -> Result<crate::blocking::Transport, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Config(
                "the blocking transport cannot be created inside an async runtime; use the async one".into(),
            ));
        }
        let config = self.config()?;
        let http = http_client!(reqwest::blocking::Client, &self)?;
        Ok(crate::blocking::Transport::from_parts(config, http))
    }

    fn config(&self) -> Result<Config, Error> {
        let base_url = validate_base_url(&self.base_url)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| Error::Config(format!("the user agent {user_agent:?} is not a valid header value")))?;
        let session = Session::new(self.credentials.clone(), self.log_in_again)?;
        let mut config = Config::new(base_url, session, user_agent);
        config.max_body = self.max_body;
        config.max_error_body = self.max_error_body;
        config.retry = self.retry;
        config.two_factor_handler = self.two_factor_handler.clone();
        config.max_two_factor_attempts = self.max_two_factor_attempts;
        config.check_server_version = self.check_server_version;
        config.timeout = self.timeout;
        Ok(config)
    }
}

/// reqwest is built with rustls but no crypto provider (`rustls-no-provider`), and panics
/// without one: ring is installed as the process's provider, unless the program installed
/// its own (aws-lc-rs, say) before.
#[cfg(feature = "rustls")]
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine: one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn http_client_error(error: reqwest::Error) -> Error {
    Error::Config(format!("cannot create the HTTP client: {}", crate::error::with_causes(&error)))
}
