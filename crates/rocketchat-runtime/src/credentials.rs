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

    pub(crate) fn auth_token(&self) -> &str {
        &self.auth_token
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").field("user_id", &self.user_id).field("auth_token", &"<redacted>").finish()
    }
}
