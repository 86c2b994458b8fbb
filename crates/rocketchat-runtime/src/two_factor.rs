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
        let code_refused = api.two_factor_code_refused()?;
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
    sha256(&bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// SHA-256 (FIPS 180-4). Written out rather than taken from a crate: it digests one password
/// per login, and `sha2` would be nine more crates in every client's build. Checked against
/// the standard's test vectors below.
fn sha256(message: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut state: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    // The message, a 1 bit, zeros to 56 bytes modulo 64, and its length in bits.
    let mut padded = message.to_vec();
    padded.push(0x80);
    while padded.len() % 64 != 56 {
        padded.push(0);
    }
    padded.extend((message.len() as u64).wrapping_mul(8).to_be_bytes());
    for block in padded.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
            *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = state;
        for t in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h.wrapping_add(s1).wrapping_add(choice).wrapping_add(K[t]).wrapping_add(w[t]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            (h, g, f, e, d, c, b, a) = (g, f, e, d.wrapping_add(t1), c, b, a, t1.wrapping_add(t2));
        }
        for (word, add) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *word = word.wrapping_add(add);
        }
    }
    let mut digest = [0u8; 32];
    for (bytes, word) in digest.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vectors of FIPS 180-2 (appendix B) and the empty message.
    #[test]
    fn sha256_matches_the_standard() {
        let hex = |digest: [u8; 32]| digest.iter().map(|byte| format!("{byte:02x}")).collect::<String>();
        assert_eq!(hex(sha256(b"")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(sha256(b"abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(
            hex(sha256(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(sha256(&vec![b'a'; 1_000_000])),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
    }

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
