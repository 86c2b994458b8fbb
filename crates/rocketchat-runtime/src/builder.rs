use crate::config::{Config, DEFAULT_MAX_BODY, DEFAULT_MAX_ERROR_BODY, DEFAULT_USER_AGENT, validate_base_url};
use crate::session::Session;
use crate::two_factor::{DEFAULT_MAX_ATTEMPTS, TwoFactorHandler};
use crate::{Credentials, Error, RetryPolicy, Transport};
use http::HeaderValue;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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
fn install_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Losing a race with another thread installing one is fine: one is installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

fn http_client_error(error: reqwest::Error) -> Error {
    Error::Config(format!("cannot create the HTTP client: {}", crate::error::with_causes(&error)))
}
