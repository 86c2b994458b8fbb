//! One call as a conversation with the server, without any I/O.
//!
//! A call may take several requests: a 429 waited out and sent again, a two-factor challenge
//! answered and sent again, an expired token renewed by logging in again, an email code asked
//! for, the server's version asked once. [`Driver`] decides each step from what happened; the
//! async and the blocking transports only carry its actions out (send, sleep, ask the
//! handler), so both behave the same by construction.

use crate::core::Config;
use crate::error::ApiError;
use crate::session::{SessionEffect, credentials_from};
use crate::two_factor::{Answer, Challenge, Reason, TwoFactorError, wire_code};
use crate::{Error, RawResponse, Request};
use std::time::Duration;

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
    attempts: u32,
    waited: Duration,
    codes_given: u32,
    emails_sent: u32,
    logged_in_again: bool,
    challenge: Option<(Challenge, ApiError)>,
}

impl Exchange {
    fn new(request: Request, purpose: Purpose) -> Self {
        Self {
            request,
            purpose,
            attempts: 0,
            waited: Duration::ZERO,
            codes_given: 0,
            emails_sent: 0,
            logged_in_again: false,
            challenge: None,
        }
    }
}

/// Runs one call: the user's request, and the requests it needs on the way (a stack, since a
/// login repeated for an expired token may itself be challenged for a second factor).
pub(crate) struct Driver<'c> {
    config: &'c Config,
    stack: Vec<Exchange>,
}

impl<'c> Driver<'c> {
    pub fn new(config: &'c Config, request: Request) -> Self {
        Self { config, stack: vec![Exchange::new(request, Purpose::Call)] }
    }

    /// How many times the user's request has been sent.
    pub fn attempts(&self) -> u32 {
        self.stack.first().map_or(0, |call| call.attempts)
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
                top.attempts += 1;
                let error = match result {
                    Ok(response) => {
                        let result = succeeded(config, &top.request, response);
                        return self.finish(result);
                    }
                    Err(error) => error,
                };
                if let Some(wait) = config.retry_wait(&error, top.attempts, top.waited) {
                    top.waited += wait;
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "rate limited; retrying");
                    return Action::Sleep(wait);
                }
                if config.two_factor_handler.is_some()
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
                let expired = matches!(error, Error::Unauthorized(_)) && top.request.session == SessionEffect::None;
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
        self.stack.push(Exchange::new(request.clone(), purpose));
        Action::Send(request)
    }

    /// The top exchange is over: the call's result, or back to the exchange that needed it.
    fn finish(&mut self, result: Result<RawResponse, Error>) -> Action {
        let Some(finished) = self.stack.pop() else { return Action::Finish(result) };
        let Some(top) = self.stack.last_mut() else { return Action::Finish(result) };
        let response = match result {
            Ok(response) => response,
            // What the call needed failed: so does the call.
            Err(error) => {
                self.stack.clear();
                return Action::Finish(Err(error));
            }
        };
        match finished.purpose {
            Purpose::Call | Purpose::LogInAgain => Action::Send(top.request.without_two_factor()),
            Purpose::SendEmailCode => match &mut top.challenge {
                Some((challenge, _)) => {
                    challenge.code_generated = Some(true);
                    Action::Ask(challenge.clone())
                }
                None => Action::Send(top.request.clone()),
            },
            Purpose::ServerVersion => {
                let version = response.json::<ServerInfo>().map(|info| info.version);
                match version {
                    Ok(version) => {
                        self.config.session.set_server_version(version.clone());
                        match unsupported(&top.request, &version) {
                            Some(error) => self.finish_all(Err(error)),
                            None => Action::Send(top.request.clone()),
                        }
                    }
                    Err(error) => self.finish_all(Err(error)),
                }
            }
        }
    }

    fn finish_all(&mut self, result: Result<RawResponse, Error>) -> Action {
        self.stack.clear();
        Action::Finish(result)
    }
}

#[derive(serde::Deserialize)]
struct ServerInfo {
    version: String,
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
    match request.session {
        SessionEffect::LogIn => {
            response.holds_credentials = true;
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
