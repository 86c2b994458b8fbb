use std::fmt;

/// Who the client acts as: a user id and an auth token, sent as the `X-User-Id` and
/// `X-Auth-Token` headers. A login token and a personal access token work the same way.
///
/// The token never appears in `Debug` output, in errors or in logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    user_id: String,
    auth_token: String,
}

impl Credentials {
    pub fn new(user_id: impl Into<String>, auth_token: impl Into<String>) -> Self {
        Self { user_id: user_id.into(), auth_token: auth_token.into() }
    }

    /// The id of the user the client acts as.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The auth token itself, for the rare code that must keep it: a program that logs in once
    /// and resumes the session later ([`Transport::log_in_with_token`](crate::Transport::log_in_with_token))
    /// stores it. Whoever holds it acts as the user.
    pub fn expose_auth_token(&self) -> &str {
        &self.auth_token
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("user_id", &self.user_id).field("auth_token", &"<redacted>").finish()
    }
}

/// A string that must not be shown: a password, a token, a two-factor code (the spec's
/// `format: password`). It serializes as the plain string, since the server needs it; its
/// `Debug` output is `"<redacted>"`, and it has no `Display`.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the rare code that must hand it on.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&String> for Secret {
    fn from(value: &String) -> Self {
        Self(value.clone())
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}
