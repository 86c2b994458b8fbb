//! One call as a conversation with the server, without any I/O.
//!
//! A call may take several requests: a 429 waited out and sent again, a two-factor challenge
//! answered and sent again, an expired token renewed by logging in again, an email code asked
//! for, the server's version asked once. [`Driver`] decides each step from what happened; the
//! async and the blocking transports only carry its actions out (send, sleep, ask the
//! handler), so both behave the same by construction. It also traces the call: its span, and
//! each response recorded on it.

use crate::config::Config;
use crate::error::ApiError;
use crate::session::credentials_from;
use crate::two_factor::{Answer, Challenge, Reason, TwoFactorError, wire_code};
use crate::{Error, RawResponse, Request, SessionEffect};
use std::time::{Duration, Instant};

/// What happened since the last action.
pub(crate) enum Event {
    Start,
    Response(Result<RawResponse, Error>),
    Slept,
    Answered(Answer),
}

/// What to do next.
pub(crate) enum Action {
    Send(Request),
    Sleep(Duration),
    /// Ask the two-factor handler (there is one: challenges are only raised with a handler).
    Ask(Challenge),
    Finish(Result<RawResponse, Error>),
}

/// Why a request is in the conversation.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// The call the user made.
    Call,
    /// The kept login, repeated because the call's token expired.
    LogInAgain,
    /// `users.2fa.sendEmailCode`, because the handler asked for an email.
    SendEmailCode,
    /// `GET /api/info`, for the version check.
    ServerVersion,
}

struct Exchange {
    request: Request,
    purpose: Purpose,
    /// 429s waited out for this request.
    retries: u32,
    codes_given: u32,
    emails_sent: u32,
    logged_in_again: bool,
    challenge: Option<(Challenge, ApiError)>,
}

impl Exchange {
    fn new(request: Request, purpose: Purpose) -> Self {
        Self { request, purpose, retries: 0, codes_given: 0, emails_sent: 0, logged_in_again: false, challenge: None }
    }
}

/// Runs one call: the user's request, and the requests it needs on the way (a stack, since a
/// login repeated for an expired token may itself be challenged for a second factor).
///
/// Bounded whatever the server answers: only the user's call and a repeated login are
/// answered with a code, only the user's call logs in again (once), the stack is never deeper
/// than three, and a call sends at most [`MAX_SENDS`] requests.
pub(crate) struct Driver<'c> {
    config: &'c Config,
    stack: Vec<Exchange>,
    /// Requests sent so far, the side requests included.
    sends: u32,
    /// The time spent waiting out 429s, across every request of the call.
    waited: Duration,
    /// The call's `rocketchat.call` span, on which each response is recorded.
    span: tracing::Span,
    /// When the call began: its `duration_ms` counts from here.
    started: Instant,
}

/// The most requests one call may send, side requests and retries included.
const MAX_SENDS: u32 = 32;

impl<'c> Driver<'c> {
    pub fn new(config: &'c Config, request: Request) -> Self {
        let span = call_span(request.operation);
        let stack = vec![Exchange::new(request, Purpose::Call)];
        Self { config, stack, sends: 0, waited: Duration::ZERO, span, started: Instant::now() }
    }

    /// The span the transport runs the call in.
    pub fn span(&self) -> &tracing::Span {
        &self.span
    }

    /// How many requests the call has sent.
    #[cfg(test)]
    pub fn sends(&self) -> u32 {
        self.sends
    }

    pub fn next(&mut self, event: Event) -> Action {
        let config = self.config;
        let Some(top) = self.stack.last_mut() else {
            return Action::Finish(Err(Error::Config("the call has already finished".into())));
        };
        match event {
            Event::Start => self.start(),
            Event::Slept => Action::Send(top.request.clone()),
            Event::Answered(answer) => self.answered(answer),
            Event::Response(result) => {
                self.sends += 1;
                record_attempt(&self.span, &result, self.sends, self.started);
                let error = match result {
                    Ok(response) => {
                        let result = succeeded(config, &top.request, response);
                        return self.finish(result);
                    }
                    Err(error) => error,
                };
                if self.sends >= MAX_SENDS {
                    return self.finish_all(Err(error));
                }
                if let Some(wait) = config.retry_wait(&error, top.retries + 1, self.waited) {
                    top.retries += 1;
                    self.waited += wait;
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limited; retrying");
                    return Action::Sleep(wait);
                }
                // A side request (an email code, the version) is never challenged in turn.
                let may_answer = matches!(top.purpose, Purpose::Call | Purpose::LogInAgain);
                if may_answer
                    && config.two_factor_handler.is_some()
                    && let Some(challenge) = Challenge::of(&error, top.request.operation, top.codes_given + 1)
                {
                    let response = error
                        .api_error()
                        .cloned()
                        .unwrap_or_else(|| ApiError::new(http::StatusCode::BAD_REQUEST, String::new()));
                    if top.codes_given >= config.max_two_factor_attempts {
                        let failure = TwoFactorError { reason: Reason::AttemptsExhausted, challenge, response };
                        return self.finish(Err(Error::TwoFactor(Box::new(failure))));
                    }
                    top.challenge = Some((challenge.clone(), response));
                    return Action::Ask(challenge);
                }
                let expired = matches!(error, Error::Unauthorized(_))
                    && top.request.session == SessionEffect::None
                    && top.purpose == Purpose::Call;
                if expired
                    && !top.logged_in_again
                    && let Some(login) = config.session.login_to_repeat()
                {
                    top.logged_in_again = true;
                    tracing::debug!("the token was refused; logging in again");
                    return self.push(login, Purpose::LogInAgain);
                }
                self.finish(Err(error))
            }
        }
    }

    fn start(&mut self) -> Action {
        let request = &self.stack[0].request;
        let dated = request.added_in.is_some() || request.removed_in.is_some();
        if !self.config.check_server_version || !dated {
            return Action::Send(request.clone());
        }
        match self.config.session.server_version() {
            Some(version) => match unsupported(request, &version) {
                Some(error) => self.finish(Err(error)),
                None => Action::Send(request.clone()),
            },
            None => self.push(Request::new("serverInfo", http::Method::GET, "/api/info"), Purpose::ServerVersion),
        }
    }

    fn answered(&mut self, answer: Answer) -> Action {
        let config = self.config;
        let Some(top) = self.stack.last_mut() else { return Action::Finish(Err(Error::Config("no call".into()))) };
        let Some((challenge, response)) = top.challenge.clone() else {
            return Action::Send(top.request.clone());
        };
        let fail = |reason| {
            Err(Error::TwoFactor(Box::new(TwoFactorError {
                reason,
                challenge: challenge.clone(),
                response: response.clone(),
            })))
        };
        match answer {
            Answer::Code(code) => {
                top.codes_given += 1;
                let code = wire_code(&challenge.method, &code);
                match top.request.set_two_factor(&code, challenge.method.as_str()) {
                    Ok(()) => Action::Send(top.request.clone()),
                    Err(error) => self.finish(Err(error)),
                }
            }
            Answer::SendEmailCode if top.emails_sent >= config.max_two_factor_attempts => {
                let result = fail(Reason::AttemptsExhausted);
                self.finish(result)
            }
            Answer::SendEmailCode => {
                top.emails_sent += 1;
                // `users.2fa.sendEmailCode` (apps/meteor/server/api/v1/users.ts): a new code to
                // the user the challenge names; it answers success even for an unknown user.
                let body =
                    serde_json::json!({ "emailOrUsername": challenge.email_or_username.clone().unwrap_or_default() });
                let request =
                    Request::new("users.2fa.sendEmailCode", http::Method::POST, "/api/v1/users.2fa.sendEmailCode")
                        .json(&body);
                match request {
                    Ok(request) => self.push(request, Purpose::SendEmailCode),
                    Err(error) => self.finish(Err(error)),
                }
            }
            Answer::GiveUp => {
                let result = fail(Reason::GaveUp);
                self.finish(result)
            }
        }
    }

    fn push(&mut self, request: Request, purpose: Purpose) -> Action {
        // The call, a repeated login, and an email code for that login's challenge: no more.
        if self.stack.len() >= 3 {
            return self.finish_all(Err(Error::Config(format!(
                "{}: the server kept asking for more requests; the call was abandoned",
                self.stack[0].request.operation
            ))));
        }
        self.stack.push(Exchange::new(request.clone(), purpose));
        Action::Send(request)
    }

    /// The top exchange is over: the call's result, or back to the exchange that needed it.
    fn finish(&mut self, result: Result<RawResponse, Error>) -> Action {
        let Some(finished) = self.stack.pop() else { return Action::Finish(result) };
        let Some(top) = self.stack.last_mut() else { return Action::Finish(result) };
        let response = match result {
            Ok(response) => response,
            // Without the version, the check cannot refuse anything: the call goes.
            Err(error) if finished.purpose == Purpose::ServerVersion => {
                tracing::debug!(%error, "the server's version could not be read; not checking it");
                return Action::Send(top.request.clone());
            }
            // What the call needed failed: so does the call.
            Err(error) => {
                self.stack.clear();
                return Action::Finish(Err(error));
            }
        };
        match finished.purpose {
            Purpose::Call | Purpose::LogInAgain => {
                // The new login has its own second factor: the old code is not sent again.
                top.request = top.request.without_two_factor();
                Action::Send(top.request.clone())
            }
            Purpose::SendEmailCode => match &mut top.challenge {
                Some((challenge, _)) => {
                    challenge.code_generated = Some(true);
                    Action::Ask(challenge.clone())
                }
                None => Action::Send(top.request.clone()),
            },
            Purpose::ServerVersion => {
                // Current servers say `version`; old ones told admins `info.version` only.
                let info = response.json::<ServerInfo>().ok();
                let version = info.and_then(|info| info.version.or(info.info.and_then(|info| info.version)));
                let Some(version) = version else {
                    tracing::debug!("the server's info names no version; not checking it");
                    return Action::Send(top.request.clone());
                };
                self.config.session.set_server_version(version.clone());
                match unsupported(&top.request, &version) {
                    Some(error) => self.finish_all(Err(error)),
                    None => Action::Send(top.request.clone()),
                }
            }
        }
    }

    fn finish_all(&mut self, result: Result<RawResponse, Error>) -> Action {
        self.stack.clear();
        Action::Finish(result)
    }
}

/// The span of one call; its fields are filled in by [`record_attempt`].
fn call_span(operation: &'static str) -> tracing::Span {
    tracing::info_span!(
        // The target it had when the transports made it, for filters that name it.
        target: "rocketchat_runtime::transport",
        "rocketchat.call",
        operation,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        attempts = tracing::field::Empty,
        rate_limit_remaining = tracing::field::Empty,
    )
}

fn record_attempt(span: &tracing::Span, result: &Result<RawResponse, Error>, attempt: u32, started: Instant) {
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

#[derive(serde::Deserialize)]
struct ServerInfo {
    version: Option<String>,
    info: Option<VersionOnly>,
}

#[derive(serde::Deserialize)]
struct VersionOnly {
    version: Option<String>,
}

/// A success: what it does to the session, and the deprecation it may announce.
fn succeeded(config: &Config, request: &Request, mut response: RawResponse) -> Result<RawResponse, Error> {
    if let Some(deprecation) = crate::Deprecation::from_headers(&response.headers)
        && config.session.first_deprecation_of(request.operation)
    {
        tracing::warn!(
            operation = request.operation,
            kind = deprecation.kind,
            version = deprecation.version,
            "{}",
            deprecation.message
        );
    }
    response.holds_secrets = request.secret_output;
    match request.session {
        SessionEffect::LogIn => {
            response.holds_secrets = true;
            config.session.set(credentials_from(&response)?)?;
            config.session.remember_login(request);
        }
        SessionEffect::LogOut => config.session.clear(),
        SessionEffect::None => {}
    }
    Ok(response)
}

/// The error for a request the server's version does not have, if it does not.
fn unsupported(request: &Request, server_version: &str) -> Option<Error> {
    let server = version_numbers(server_version);
    let too_old = request.added_in.is_some_and(|added| compare(&server, &version_numbers(added)) == Order::Before);
    let too_new =
        request.removed_in.is_some_and(|removed| compare(&server, &version_numbers(removed)) == Order::AtLeast);
    (too_old || too_new).then(|| Error::UnsupportedByServer {
        operation: request.operation,
        server_version: server_version.to_owned(),
        added_in: request.added_in,
        removed_in: request.removed_in,
    })
}

/// `8.1.0-rc.2` → `[8, 1, 0]`: the numeric parts, up to the first that is not a number.
fn version_numbers(version: &str) -> Vec<u64> {
    version.split(['.', '-', '+']).map_while(|part| part.parse().ok()).collect()
}

#[derive(Debug, PartialEq, Eq)]
enum Order {
    Before,
    AtLeast,
    /// Most users are told only `major.minor` (`getTrimmedServerVersion`): `8.1` may or may
    /// not be before `8.1.3`. Only what is certain refuses a call.
    Unknown,
}

fn compare(server: &[u64], version: &[u64]) -> Order {
    for (index, part) in version.iter().enumerate() {
        match server.get(index) {
            Some(known) if known < part => return Order::Before,
            Some(known) if known > part => return Order::AtLeast,
            Some(_) => {}
            None if version[index..].iter().all(|rest| *rest == 0) => return Order::AtLeast,
            None => return Order::Unknown,
        }
    }
    Order::AtLeast
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(added_in: Option<&'static str>, removed_in: Option<&'static str>) -> Request {
        let mut request = Request::new("x", http::Method::GET, "/x");
        request.added_in = added_in;
        request.removed_in = removed_in;
        request
    }

    fn challenge() -> Error {
        let mut api = ApiError::new(http::StatusCode::BAD_REQUEST, String::new());
        api.error_type = Some("totp-required".into());
        api.details = Some(serde_json::json!({"method": "email", "codeGenerated": false}));
        Error::Api(Box::new(api))
    }

    /// Drives a call against a server that answers every request with `answer`, the handler
    /// always answering `handler`; returns the number of requests sent, or `None` if the call
    /// had not finished after 1,000 steps.
    fn drive(answer: impl Fn(&Request) -> Error, handler: Answer, log_in_again: bool) -> Option<u32> {
        let session = crate::session::Session::new(Some(crate::Credentials::new("u", "t")), log_in_again).unwrap();
        if log_in_again {
            session.remember_login(&Request::new("login", http::Method::POST, "/api/v1/login"));
        }
        let mut config = Config::new("http://x".into(), session, http::HeaderValue::from_static("t"));
        let reply = handler.clone();
        config.two_factor_handler = Some(std::sync::Arc::new(move |_: &Challenge| reply.clone()));
        let mut driver = Driver::new(&config, Request::new("groups.leave", http::Method::POST, "/api/v1/groups.leave"));
        let mut event = Event::Start;
        for _ in 0..1_000 {
            event = match driver.next(event) {
                Action::Send(request) => Event::Response(Err(answer(&request))),
                Action::Sleep(_) => Event::Slept,
                Action::Ask(_) => Event::Answered(handler.clone()),
                Action::Finish(_) => return Some(driver.sends()),
            };
        }
        None
    }

    #[test]
    fn a_server_that_challenges_every_request_cannot_keep_a_call_going() {
        // Every email-code request challenged in turn: the challenge of a side request is
        // not answered, so the call ends with it.
        let sends = drive(|_| challenge(), Answer::SendEmailCode, false).expect("the call ends");
        assert!(sends <= 3, "{sends} requests");
        // 401 to everything but challenge the login: bounded too.
        let unauthorized = |request: &Request| match request.operation {
            "login" => challenge(),
            _ => Error::Unauthorized(Box::new(ApiError::new(http::StatusCode::UNAUTHORIZED, String::new()))),
        };
        let sends = drive(unauthorized, Answer::SendEmailCode, true).expect("the call ends");
        assert!(sends <= MAX_SENDS, "{sends} requests");
    }

    #[test]
    fn versions_refuse_only_what_is_certain() {
        let refused = |added, removed, server| unsupported(&dated(added, removed), server).is_some();
        assert!(refused(Some("8.1.0"), None, "8.0"));
        assert!(refused(Some("8.1.0"), None, "7.10.3"));
        assert!(!refused(Some("8.1.0"), None, "8.1"), "8.1 may be 8.1.0");
        assert!(!refused(Some("8.1.3"), None, "8.1"), "8.1 may be 8.1.3");
        assert!(!refused(Some("8.1.0"), None, "8.2.0"));
        assert!(refused(None, Some("9.0.0"), "9.0"));
        assert!(refused(None, Some("9.0.0"), "9.1.2"));
        assert!(!refused(None, Some("9.0.0"), "8.9"));
        assert!(!refused(None, Some("9.0.1"), "9.0"), "9.0 may be 9.0.0, which still has it");
        assert!(!refused(Some("3.13.0"), Some("9.0.0"), "8.0.0-rc.1"));
        assert!(!refused(None, None, "1.0"));
    }
}
