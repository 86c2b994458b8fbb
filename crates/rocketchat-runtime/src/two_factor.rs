//! Two-factor authentication as a conversation: the server challenges a call, a handler the
//! user supplies answers with a code, and the call is sent again with it.
//!
//! The server's side, read from RocketChat/Rocket.Chat: `checkCodeForUser` in
//! apps/meteor/server/lib/2fa/code/index.ts throws `totp-required` / `totp-invalid` with
//! `details` (`method`, `availableMethods`, `codeGenerated`, `codeExpires`,
//! `emailOrUsername`); ordinary routes answer it as a 400 with `errorType`
//! (`processTwoFactor` in apps/meteor/server/api/ApiClass.ts), login as a 401 whose `error` is
//! the code. The code goes back in the `x-2fa-code` and `x-2fa-method` headers, which login
//! reads too (`loginCompatibility`: `bodyCode || headers['x-2fa-code']`).

use crate::error::ApiError;
use crate::{Error, Secret};
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// How many codes a call offers before giving up, unless configured otherwise.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// The second factor the server asks for (`details.method`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// A code from an authenticator app.
    Totp,
    /// A code the server emails to the user.
    Email,
    /// The user's password: for users with no other second factor. The client sends it as the
    /// server expects it, hashed.
    Password,
    /// A method this version does not know, as the server named it.
    Other(String),
}

impl Method {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Totp => "totp",
            Self::Email => "email",
            Self::Password => "password",
            Self::Other(other) => other,
        }
    }

    fn from_wire(method: &str) -> Self {
        match method {
            "totp" => Self::Totp,
            "email" => Self::Email,
            "password" => Self::Password,
            other => Self::Other(other.to_owned()),
        }
    }
}

/// What the server said when it asked for a second factor.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Challenge {
    /// The operation being called, such as `login` or `users.update`.
    pub operation: &'static str,
    pub method: Method,
    /// The methods the user has (`availableMethods`; the server lists `totp` and `email` only).
    pub available: Vec<Method>,
    /// Whether the server just generated a code (and, for email, sent it).
    pub code_generated: Option<bool>,
    /// When the current email code expires, as the server wrote it (ISO 8601).
    pub code_expires: Option<String>,
    /// For email: the user name or address the code went to.
    pub email_or_username: Option<String>,
    /// Whether the last code given was refused (`totp-invalid`).
    pub code_refused: bool,
    /// 1 for the first code this call asks for, 2 after one was refused, and so on.
    pub attempt: u32,
}

impl Challenge {
    /// The challenge in a failure, if it is one: `totp-required` or `totp-invalid`, as a 400
    /// (`errorType`) or, from login, a 401 (`error`).
    pub(crate) fn of(error: &Error, operation: &'static str, attempt: u32) -> Option<Self> {
        let api = match error {
            Error::Api(api) | Error::Unauthorized(api) => api,
            _ => return None,
        };
        let code_refused = match api.error_type.as_deref()? {
            "totp-required" => false,
            "totp-invalid" => true,
            _ => return None,
        };
        let details = api.details.as_ref().and_then(serde_json::Value::as_object);
        let text = |key: &str| details?.get(key)?.as_str().map(str::to_owned);
        let method = text("method").map_or(Method::Totp, |method| Method::from_wire(&method));
        let available = details
            .and_then(|details| details.get("availableMethods")?.as_array())
            .map(|methods| methods.iter().filter_map(|method| method.as_str()).map(Method::from_wire).collect())
            .unwrap_or_default();
        // Current servers send one date; older ones a list of them (one per code).
        let code_expires = details.and_then(|details| match details.get("codeExpires")? {
            serde_json::Value::String(date) => Some(date.clone()),
            serde_json::Value::Array(dates) => dates.iter().filter_map(|date| date.as_str()).max().map(str::to_owned),
            _ => None,
        });
        Some(Self {
            operation,
            method,
            available,
            code_generated: details.and_then(|details| details.get("codeGenerated")?.as_bool()),
            code_expires,
            email_or_username: text("emailOrUsername"),
            code_refused,
            attempt,
        })
    }
}

/// A handler's reply to a [`Challenge`].
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// The code, to send with the call again. For [`Method::Password`], the user's password
    /// (the client hashes it).
    Code(Secret),
    /// Ask the server to email a new code, then ask the handler again.
    SendEmailCode,
    /// Stop: the call fails with [`Error::TwoFactor`].
    GiveUp,
}

impl Answer {
    pub fn code(code: impl Into<Secret>) -> Self {
        Self::Code(code.into())
    }
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Code(_) => f.write_str("Code(<redacted>)"),
            Self::SendEmailCode => f.write_str("SendEmailCode"),
            Self::GiveUp => f.write_str("GiveUp"),
        }
    }
}

/// The future a handler returns.
pub type AnswerFuture<'a> = Pin<Box<dyn Future<Output = Answer> + Send + 'a>>;

/// Answers two-factor challenges: prompts a person, reads an authenticator, or gives up.
///
/// Any `Fn(&Challenge) -> Answer` closure is a handler (it runs on the calling task, so keep
/// it quick or use the blocking client); implement the trait for one that awaits.
pub trait TwoFactorHandler: Send + Sync + 'static {
    fn answer<'a>(&'a self, challenge: &'a Challenge) -> AnswerFuture<'a>;
}

impl<F> TwoFactorHandler for F
where
    F: Fn(&Challenge) -> Answer + Send + Sync + 'static,
{
    fn answer<'a>(&'a self, challenge: &'a Challenge) -> AnswerFuture<'a> {
        Box::pin(std::future::ready(self(challenge)))
    }
}

/// Why a challenged call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// The handler answered [`Answer::GiveUp`].
    GaveUp,
    /// The server refused as many codes as the client offers (or it asked for more emails).
    AttemptsExhausted,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::GaveUp => "the handler gave up",
            Self::AttemptsExhausted => "no code was accepted within the allowed attempts",
        })
    }
}

/// A call that needed a second factor and did not get one the server accepted.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TwoFactorError {
    pub reason: Reason,
    /// The last challenge the server sent.
    pub challenge: Challenge,
    /// The server's last response, as for any refused call.
    pub response: ApiError,
}

impl fmt::Display for TwoFactorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: two-factor authentication ({}) failed after {} code(s): {}",
            self.challenge.operation,
            self.challenge.method.as_str(),
            self.challenge.attempt - 1,
            self.reason
        )
    }
}

/// The code as the server checks it: for the password method, the password's SHA-256 in
/// lower-case hex (`PasswordCheckFallback` in apps/meteor/server/lib/2fa/code/ compares it as
/// a Meteor password digest); other codes as they are.
pub(crate) fn wire_code(method: &Method, code: &Secret) -> Secret {
    match method {
        Method::Password => Secret::new(meteor_sha256_hex(code.expose())),
        _ => code.clone(),
    }
}

/// SHA-256 as Rocket.Chat's clients compute it (packages/sha256/src/utf8Encode.ts): text is
/// encoded one UTF-16 unit at a time, so a character outside the BMP becomes two 3-byte
/// sequences rather than one 4-byte UTF-8 sequence. The server stored the password's hash the
/// same way; for other text this is plain UTF-8.
fn meteor_sha256_hex(text: &str) -> String {
    use sha2::Digest;
    let mut bytes = Vec::with_capacity(text.len() * 3 / 2);
    for unit in text.encode_utf16() {
        let unit = u32::from(unit);
        match unit {
            0..0x80 => bytes.push(unit as u8),
            0x80..0x800 => bytes.extend([(0xC0 | unit >> 6) as u8, (0x80 | unit & 0x3F) as u8]),
            _ => {
                bytes.extend([(0xE0 | unit >> 12) as u8, (0x80 | (unit >> 6) & 0x3F) as u8, (0x80 | unit & 0x3F) as u8])
            }
        }
    }
    sha2::Sha256::digest(&bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_as_rocket_chat_hashes_them() {
        // The values pinned by the tests of packages/sha256.
        assert_eq!(meteor_sha256_hex("meteor"), "647d177cca8601046a3cb39e12f55bec5790bfcbc42199dd5fcf063200fac1d0");
        assert_eq!(
            meteor_sha256_hex("rocket.chat"),
            "515ea73d42a1c74f96b9016051e47002791cde4cdb856d56be9b53ec45b0f3ad"
        );
        // Two-byte characters are plain UTF-8 ...
        assert_eq!(meteor_sha256_hex("pässwörd"), "46970bef70aced8123f0d5d094717e2a5cd412041e03b26376049fe65b2834a4");
        // ... an emoji is two UTF-16 units of three bytes each, not UTF-8's four bytes
        // (whose hash would be 1f564adf...7357).
        assert_eq!(meteor_sha256_hex("pw😀"), "c0d8cc74c531f489757fd7524ca9ca35db2aa68e583bed2198147f44c45b073a");
    }

    #[test]
    fn only_the_password_method_is_hashed() {
        let code = Secret::new("123456");
        assert_eq!(wire_code(&Method::Totp, &code), code);
        assert_eq!(wire_code(&Method::Password, &Secret::new("meteor")).expose(), meteor_sha256_hex("meteor"));
        assert_eq!(format!("{:?}", Answer::code("123456")), "Code(<redacted>)");
    }
}
