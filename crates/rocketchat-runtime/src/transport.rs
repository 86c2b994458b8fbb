use crate::attempt::{Incoming, Outgoing, transport_error};
use crate::config::{Config, TwoFactor};
use crate::conversation::{Action, Driver, Event};
use crate::env::{self, AUTH_TOKEN_VAR, URL_VAR, USER_ID_VAR};
use crate::error::Error;
use crate::request::Request;
use crate::response::{RawResponse, Response};
use crate::{Call, Credentials, Decode, Operation, Password, Secret, TransportBuilder};
use std::fmt;
use std::sync::Arc;
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
