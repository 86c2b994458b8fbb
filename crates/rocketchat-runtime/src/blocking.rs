//! A blocking transport, for scripts and CLIs: the same requests, decoding, limits, retries
//! and tracing as the async [`crate::Transport`], over `reqwest::blocking`.

use crate::attempt::{Incoming, Outgoing, transport_error};
use crate::config::{Config, TwoFactor};
use crate::conversation::{Action, Driver, Event};
use crate::request::Request;
use crate::response::{RawResponse, Response};
use crate::two_factor::{Answer, Challenge};
use crate::{Credentials, Decode, Endpoint, Error, Operation, Password, Secret};
use std::fmt;
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

/// Sends requests to one Rocket.Chat server as one user, blocking the calling thread.
/// Build it with [`TransportBuilder::build_blocking`](crate::TransportBuilder::build_blocking),
/// outside any async runtime. Cheap to clone.
#[derive(Clone)]
pub struct Transport {
    config: Arc<Config>,
    http: reqwest::blocking::Client,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("blocking::Transport").field("config", &self.config).finish_non_exhaustive()
    }
}

impl Transport {
    pub(crate) fn from_parts(config: Config, http: reqwest::blocking::Client) -> Self {
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

    /// Calls operation `O` and decodes its result.
    pub fn execute<O: Operation>(&self, input: &O::Input) -> Result<O::Output, Error> {
        self.send::<O>(input).map(|response| response.value)
    }

    /// Like [`Transport::execute`], keeping the status and rate-limit headers of the response.
    pub fn send<O: Operation>(&self, input: &O::Input) -> Result<Response<O::Output>, Error> {
        self.send_request(O::request(input)?)?.decoded(|raw| O::Decoder::default().decode(raw))
    }

    /// Sends any request and returns its success response undecoded, or the error; retries,
    /// two-factor challenges, logging in again and tracing as in the async transport.
    pub fn send_request(&self, request: Request) -> Result<RawResponse, Error> {
        let mut driver = Driver::new(&self.config, request);
        let span = driver.span().clone();
        let _entered = span.enter();
        let mut event = Event::Start;
        loop {
            event = match driver.next(event) {
                Action::Send(request) => Event::Response(self.attempt(request)),
                Action::Sleep(wait) => {
                    std::thread::sleep(wait);
                    Event::Slept
                }
                Action::Ask(challenge) => Event::Answered(self.ask(&challenge)?),
                Action::Finish(result) => return result,
            }
        }
    }

    /// The handler's answer, its future run to completion on this thread.
    fn ask(&self, challenge: &Challenge) -> Result<Answer, Error> {
        let Some(handler) = &self.config.two_factor_handler else { return Ok(Answer::GiveUp) };
        // A handler may await timers or I/O of its own.
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| Error::Config(format!("cannot run the two-factor handler: {error}")))?;
        Ok(runtime.block_on(handler.answer(challenge)))
    }

    /// Logs in with a user name (or email) and password; see the async
    /// [`Transport::log_in`](crate::Transport::log_in).
    pub fn log_in(&self, password: &Password) -> Result<Credentials, Error> {
        self.send_request(password.login_request()?)?;
        self.config.session.logged_in()
    }

    /// Logs in with a resume (login) token.
    pub fn log_in_with_token(&self, token: &Secret) -> Result<Credentials, Error> {
        self.send_request(crate::session::resume_request(token)?)?;
        self.config.session.logged_in()
    }

    /// Logs out; see the async [`Transport::log_out`](crate::Transport::log_out).
    pub fn log_out(&self) -> Result<(), Error> {
        self.send_request(crate::session::logout_request()).map(drop)
    }

    /// The credentials the transport sends, if it has any.
    pub fn credentials(&self) -> Option<Credentials> {
        self.config.session.credentials()
    }

    /// The server's version as `GET /api/info` reported it, once the version check has asked.
    pub fn server_version(&self) -> Option<String> {
        self.config.session.server_version()
    }

    fn attempt(&self, request: Request) -> Result<RawResponse, Error> {
        // reqwest's blocking timeout holds for each read, not the whole body: a server that
        // trickles a byte at a time would never time out. The deadline covers it all.
        let deadline = Instant::now() + self.config.timeout;
        let Outgoing { endpoint, method, url, headers, body } = Outgoing::new(&self.config, request)?;
        let mut request = reqwest::blocking::Request::new(method, url);
        *request.headers_mut() = headers;
        *request.body_mut() = Some(reqwest::blocking::Body::from(body));
        let mut response = self.http.execute(request).map_err(|error| transport_error(error, &endpoint))?;
        let mut incoming = Incoming::new(&self.config, response.status(), std::mem::take(response.headers_mut()));
        let mut chunk = vec![0; 64 * 1024];
        loop {
            if Instant::now() >= deadline {
                return Err(Error::Timeout { endpoint: Box::new(endpoint) });
            }
            let read = response.read(&mut chunk).map_err(|error| read_error(error, &endpoint))?;
            if read == 0 || !incoming.push(&chunk[..read])? {
                break;
            }
        }
        incoming.finish()
    }
}

/// `reqwest::blocking` reports body errors as `io::Error`, usually around a `reqwest::Error`.
fn read_error(error: std::io::Error, endpoint: &Endpoint) -> Error {
    if error.get_ref().is_some_and(|inner| inner.is::<reqwest::Error>()) {
        if let Some(Ok(inner)) = error.into_inner().map(|inner| inner.downcast::<reqwest::Error>()) {
            return transport_error(*inner, endpoint);
        }
        unreachable!("checked to be a reqwest::Error above")
    }
    Error::BodyRead(error)
}
