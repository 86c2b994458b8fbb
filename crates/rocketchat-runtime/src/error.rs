use crate::RateLimit;
use http::StatusCode;
use std::fmt;

/// Everything that can go wrong with a call.
///
/// Match on the variant for the class of failure, or use the accessors ([`Error::status`],
/// [`Error::error_type`], [`Error::message`], [`Error::rate_limit`]) across variants.
/// No variant holds the auth token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the call with a failure body (`{"success": false, "error": ...}`),
    /// usually with status 400; 500 and 503 use the same shape.
    #[error("the server refused the call: {0}")]
    Api(Box<ApiError>),
    /// 401: not logged in, the user id and token do not match, or (from login) the user name
    /// and password do not.
    #[error("not authorized (check the credentials: the user id and token, or the user name and password): {0}")]
    Unauthorized(Box<ApiError>),
    /// 403: the user lacks a permission the call needs.
    #[error("forbidden (the user lacks a permission): {0}")]
    Forbidden(Box<ApiError>),
    /// 429: too many calls; [`ApiError::rate_limit`] says when the window resets.
    #[error("rate limited: {0}")]
    RateLimited(Box<ApiError>),
    /// Any other failing status whose body is not a Rocket.Chat failure body, such as a plain
    /// text 404 or an HTML page from a proxy.
    #[error("unexpected response: {0}")]
    Status(Box<ApiError>),
    /// A success status with a body that does not decode as the documented type.
    #[error("could not decode the {status} response body: {source}")]
    Decode {
        status: StatusCode,
        /// The first bytes of the body, as text, for diagnosis. Not in the `Display` text:
        /// bodies of some endpoints (login, tokens) hold secrets of their own.
        body_start: String,
        source: serde_json::Error,
    },
    /// The response body was larger than the configured limit.
    #[error("the {status} response body exceeds the limit of {limit} bytes")]
    BodyTooLarge { status: StatusCode, limit: usize },
    /// The request did not complete within the configured timeout.
    #[error("{endpoint}: no response within the timeout")]
    Timeout { endpoint: Box<Endpoint> },
    /// The request could not be sent or the response not read (connection refused, TLS,
    /// connection closed early, ...).
    #[error("{endpoint}: transport error: {}", with_causes(source))]
    Transport { endpoint: Box<Endpoint>, source: reqwest::Error },
    /// The response body could not be read (the blocking transport reports this apart).
    #[error("could not read the response body: {0}")]
    BodyRead(#[source] std::io::Error),
    /// The request body could not be encoded as JSON.
    #[error("could not encode the request body: {0}")]
    Encode(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A value the spec says the server rejects (an empty list that must not be empty, a
    /// repeated item, a number out of range, ...). The request was not sent.
    #[error("{0}")]
    InvalidRequest(Box<crate::validate::InvalidRequest>),
    /// The server asked for a second factor and accepted none: the handler gave up, or the
    /// codes ran out. Without a handler, the challenge is an [`Error::Api`] (or, from login,
    /// [`Error::Unauthorized`]) with [`ErrorType::TotpRequired`].
    #[error("{0}")]
    TwoFactor(Box<crate::two_factor::TwoFactorError>),
    /// Refused before sending: the spec says the server's version does not have the operation
    /// (see `TransportBuilder::check_server_version`).
    #[error("{operation} is not available on this server (version {server_version}): {}", version_span(*.added_in, *.removed_in))]
    UnsupportedByServer {
        operation: &'static str,
        /// As the server reported it: `major.minor` to most users, the full version to admins.
        server_version: String,
        added_in: Option<&'static str>,
        removed_in: Option<&'static str>,
    },
    /// The client was configured wrongly, such as with a base URL that is not absolute.
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status of the response, where there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Decode { status, .. } | Self::BodyTooLarge { status, .. } => Some(*status),
            Self::Transport { source, .. } => source.status(),
            _ => self.api_error().map(|error| error.status),
        }
    }

    /// The server's failure details, for the variants that carry them.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error)
            | Self::Unauthorized(error)
            | Self::Forbidden(error)
            | Self::RateLimited(error)
            | Self::Status(error) => Some(error),
            Self::TwoFactor(failure) => Some(&failure.response),
            _ => None,
        }
    }

    /// The server's error code, such as [`ErrorType::YouAreLastOwner`].
    pub fn error_type(&self) -> Option<&ErrorType> {
        self.api_error()?.error_type.as_ref()
    }

    /// The server's error message.
    pub fn message(&self) -> Option<&str> {
        self.api_error()?.message.as_deref()
    }

    /// The rate-limit headers of the response, where it had them.
    pub fn rate_limit(&self) -> Option<&RateLimit> {
        self.api_error()?.rate_limit.as_ref()
    }

    /// For a 429, how long the server asks to wait before calling again: until
    /// `X-RateLimit-Reset`, or the seconds its message names. `None` for other errors, which
    /// are not safe to retry blindly (the call may have taken effect).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        let Self::RateLimited(limited) = self else { return None };
        let from_reset = limited.rate_limit.and_then(|rate_limit| rate_limit.wait_from(std::time::SystemTime::now()));
        let from_message = limited.message.as_deref().and_then(crate::retry::wait_in_message);
        match (from_reset, from_message) {
            // A reset already past means the clocks disagree: trust the server's words, and
            // never retry at once into the same window.
            (Some(wait), message) if wait.is_zero() => Some(message.unwrap_or(std::time::Duration::from_secs(1))),
            (Some(wait), _) => Some(wait),
            (None, message) => message,
        }
    }
}

/// Where a call went: enough for a log line to say which call failed and where to look.
///
/// The URL is the request's without its query string, which can be long. It holds no
/// credentials: the base URL may not carry any, and the token travels in headers.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Endpoint {
    /// The operation's id, such as `groups.kick`.
    pub operation: &'static str,
    pub method: http::Method,
    pub url: String,
}

impl Endpoint {
    pub(crate) fn new(operation: &'static str, method: http::Method, url: &str) -> Self {
        let url = url.split_once('?').map_or(url, |(path, _)| path).to_owned();
        Self { operation, method, url }
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {})", self.operation, self.method, self.url)
    }
}

/// A failing response, as the server sent it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    pub status: StatusCode,
    /// The `error` text (or the `message` of older 401 bodies).
    pub message: Option<String>,
    /// The `errorType` code; when the body has none, the code in brackets at the end of the
    /// message (`... [error-too-many-requests]`), or the message itself when it is a bare code
    /// (`team-does-not-exist`).
    pub error_type: Option<ErrorType>,
    /// The `details` object, where the server sent one.
    pub details: Option<serde_json::Value>,
    pub rate_limit: Option<RateLimit>,
    /// The body as text (lossy UTF-8), cut at the configured limit for error bodies.
    pub body: String,
}

impl ApiError {
    pub fn new(status: StatusCode, body: String) -> Self {
        Self { status, message: None, error_type: None, details: None, rate_limit: None, body }
    }
}

/// Longest stretch of a body that `Display` shows; the whole (capped) body stays in `body`.
const DISPLAY_BODY: usize = 200;

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        match (&self.message, &self.error_type) {
            (Some(message), Some(code)) if !message.contains(code.as_str()) => write!(f, ": {message} [{code}]"),
            (Some(message), _) => write!(f, ": {message}"),
            (None, _) if self.body.trim().is_empty() => write!(f, " (empty body)"),
            (None, _) => write!(f, ": {:?}", truncate(self.body.trim(), DISPLAY_BODY)),
        }
    }
}

/// reqwest's own message ("error sending request") hides the cause ("connection refused");
/// the causes are what a person can act on.
fn version_span(added_in: Option<&str>, removed_in: Option<&str>) -> String {
    match (added_in, removed_in) {
        (Some(added), Some(removed)) => format!("it exists from version {added} until before {removed}"),
        (Some(added), None) => format!("it was added in version {added}"),
        (None, Some(removed)) => format!("it was removed in version {removed}"),
        (None, None) => "the spec says so".into(),
    }
}

pub(crate) fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let end = (0..=max).rev().find(|index| text.is_char_boundary(*index)).unwrap_or(0);
    &text[..end]
}

macro_rules! error_types {
    ($( $(#[$doc:meta])* $variant:ident => $code:literal, )*) => {
        /// A Rocket.Chat error code (`errorType`).
        ///
        /// Codes this version does not know are kept in [`ErrorType::Unknown`]: new server
        /// versions add codes, and decoding must not break on them.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorType {
            $( $(#[$doc])* $variant, )*
            /// A code this version does not know, kept as the server sent it.
            Unknown(String),
        }

        impl ErrorType {
            /// The code as the server writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $code, )*
                    Self::Unknown(code) => code,
                }
            }
        }

        impl From<&str> for ErrorType {
            fn from(code: &str) -> Self {
                match code {
                    $( $code => Self::$variant, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }
    };
}

error_types! {
    /// `totp-required`: the call needs a second factor; see [`crate::two_factor`].
    TotpRequired => "totp-required",
    /// `totp-invalid`: the second factor sent was refused.
    TotpInvalid => "totp-invalid",
    /// `totp-max-attempts`: too many refused email codes; the next challenge sends a new one.
    TotpMaxAttempts => "totp-max-attempts",
    /// `error-room-param-not-provided`: neither `roomId` nor `roomName` was sent.
    RoomParamNotProvided => "error-room-param-not-provided",
    /// `error-room-not-found`
    RoomNotFound => "error-room-not-found",
    /// `error-room-archived`
    RoomArchived => "error-room-archived",
    /// `error-invalid-room`: the room is not of the kind the endpoint works on.
    InvalidRoom => "error-invalid-room",
    /// `error-not-allowed`: the user may not do this in this room.
    NotAllowed => "error-not-allowed",
    /// `error-user-not-in-room`
    UserNotInRoom => "error-user-not-in-room",
    /// `error-you-are-last-owner`: the last owner cannot leave or be removed.
    YouAreLastOwner => "error-you-are-last-owner",
    /// `error-user-param-not-provided`: neither `userId` nor `username` was sent.
    UserParamNotProvided => "error-user-param-not-provided",
    /// `error-invalid-user`
    InvalidUser => "error-invalid-user",
    /// `error-user-not-leader`
    UserNotLeader => "error-user-not-leader",
    /// `error-app-prevented`: an installed app refused the action.
    AppPrevented => "error-app-prevented",
    /// `invalid-params`: the body does not match the endpoint's schema.
    InvalidParams => "invalid-params",
    /// `error-invalid-params`: a query parameter does not match the endpoint's schema.
    InvalidQueryParams => "error-invalid-params",
    /// `error-invalid-sort`: the `sort` parameter is not valid JSON or names a field that may not be sorted on.
    InvalidSort => "error-invalid-sort",
    /// `error-user-already-owner`
    UserAlreadyOwner => "error-user-already-owner",
    /// `error-user-not-owner`
    UserNotOwner => "error-user-not-owner",
    /// `error-remove-last-owner`: the last owner cannot lose the role.
    RemoveLastOwner => "error-remove-last-owner",
    /// `error-user-already-moderator`
    UserAlreadyModerator => "error-user-already-moderator",
    /// `error-user-not-moderator`
    UserNotModerator => "error-user-not-moderator",
    /// `error-user-already-leader`
    UserAlreadyLeader => "error-user-already-leader",
    /// `error-users-params-not-provided`
    UsersParamsNotProvided => "error-users-params-not-provided",
    /// `error-empty-invite-list`
    EmptyInviteList => "error-empty-invite-list",
    /// `error-user-is-banned`
    UserIsBanned => "error-user-is-banned",
    /// `error-team-not-found`
    TeamNotFound => "error-team-not-found",
    /// `error-duplicate-channel-name`: a room of that name exists.
    DuplicateChannelName => "error-duplicate-channel-name",
    /// `error-archived-duplicate-name`: an archived room of that name exists.
    ArchivedDuplicateName => "error-archived-duplicate-name",
    /// `error-invalid-room-name`
    InvalidRoomName => "error-invalid-room-name",
    /// `error-invalid-name`
    InvalidName => "error-invalid-name",
    /// `error-user-limit-exceeded`
    UserLimitExceeded => "error-user-limit-exceeded",
    /// `error-not-authorized`: the user may not do this (a 400, not a 403).
    NotAuthorized => "error-not-authorized",
    /// `error-action-not-allowed`: the user may not change this room setting.
    ActionNotAllowed => "error-action-not-allowed",
    /// `error-invalid-room-type`
    InvalidRoomType => "error-invalid-room-type",
    /// `error-cannot-delete-team-channel`
    CannotDeleteTeamChannel => "error-cannot-delete-team-channel",
    /// `error-cannot-delete-federated-room`
    CannotDeleteFederatedRoom => "error-cannot-delete-federated-room",
    /// `error-app-prevented-deleting`: an installed app refused the deletion.
    AppPreventedDeleting => "error-app-prevented-deleting",
    /// `error-unauthorized`: the user lacks a permission (a 403).
    Unauthorized => "error-unauthorized",
    /// `unauthorized`: the short form of a 403.
    UnauthorizedShort => "unauthorized",
    /// `error-too-many-requests`: rate limited (a 429).
    TooManyRequests => "error-too-many-requests",
    /// `team-does-not-exist` (`teams.leave`)
    TeamDoesNotExist => "team-does-not-exist",
    /// `last-owner-can-not-be-removed` (`teams.leave`)
    LastOwnerCanNotBeRemoved => "last-owner-can-not-be-removed",
    /// `member-does-not-exist` (`teams.leave`)
    MemberDoesNotExist => "member-does-not-exist",
    /// `invalid-user` (`teams.leave`)
    InvalidUserShort => "invalid-user",
}

impl From<String> for ErrorType {
    fn from(code: String) -> Self {
        match Self::from(code.as_str()) {
            Self::Unknown(_) => Self::Unknown(code),
            known => known,
        }
    }
}

impl fmt::Display for ErrorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for ErrorType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for ErrorType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <String as serde::Deserialize>::deserialize(deserializer).map(Self::from)
    }
}

/// The code an error message carries when the body has no `errorType`: a trailing
/// `[code]`, or the whole message when it is a bare code.
pub(crate) fn code_in_message(message: &str) -> Option<&str> {
    let message = message.trim();
    let is_code = |text: &str| {
        !text.is_empty() && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
    };
    if let Some(inner) = message.strip_suffix(']').and_then(|rest| rest.rsplit_once('[')).map(|(_, code)| code) {
        return is_code(inner).then_some(inner);
    }
    is_code(message).then_some(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_brackets_or_bare_messages() {
        assert_eq!(code_in_message("Please slow down. [error-too-many-requests]"), Some("error-too-many-requests"));
        assert_eq!(code_in_message("team-does-not-exist"), Some("team-does-not-exist"));
        assert_eq!(code_in_message("Invalid user"), None);
        assert_eq!(code_in_message("see [the docs]"), None);
    }

    #[test]
    fn unknown_codes_are_kept_verbatim() {
        assert_eq!(ErrorType::from("error-you-are-last-owner"), ErrorType::YouAreLastOwner);
        let unknown = ErrorType::from("error-new-in-9.0".to_owned());
        assert_eq!(unknown, ErrorType::Unknown("error-new-in-9.0".into()));
        assert_eq!(unknown.as_str(), "error-new-in-9.0");
    }

    #[test]
    fn truncate_respects_char_boundaries() {
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("hello", 10), "hello");
    }
}
