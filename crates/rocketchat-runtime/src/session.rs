//! Who the client acts as, shared by every clone of a transport: the credentials that logging
//! in sets and logging out forgets, the login kept for logging in again, and what the client
//! learned about the server (its version, the deprecations already reported).

use crate::request::header_value;
use crate::response::{RawResponse, WITHHELD};
use crate::{Credentials, Error, Request, Secret, SessionEffect};
use http::HeaderValue;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Mutex, PoisonError, RwLock};

/// A user name (or email address) and password, for logging in. `Debug` shows the user only.
#[derive(Clone, PartialEq, Eq)]
pub struct Password {
    user: String,
    password: Secret,
}

impl Password {
    /// `user` is a user name, or an email address (the server tells them apart by the `@`).
    pub fn new(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self { user: user.into(), password: password.into() }
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// `POST /api/v1/login` with `{"user", "password"}`: the form `loginCompatibility` in
    /// apps/meteor/server/api/ApiClass.ts reads (it also takes a two-factor code from the
    /// `x-2fa-code` header, which is how the conversation answers a challenge on login).
    pub(crate) fn login_request(&self) -> Result<Request, Error> {
        #[derive(serde::Serialize)]
        struct Body<'a> {
            user: &'a str,
            password: &'a Secret,
        }
        let body = Body { user: &self.user, password: &self.password };
        Ok(login_request(Request::new("login", http::Method::POST, "/api/v1/login").json(&body)?))
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Password").field("user", &self.user).field("password", &self.password).finish()
    }
}

/// A resume (login) token logs in like a password, without a second factor.
pub(crate) fn resume_request(token: &Secret) -> Result<Request, Error> {
    let body = serde_json::json!({ "resume": token.expose() });
    Ok(login_request(Request::new("login", http::Method::POST, "/api/v1/login").json(&body)?))
}

/// `POST /api/v1/logout`: the token sent stops working, and the client forgets it.
pub(crate) fn logout_request() -> Request {
    Request::new("logout", http::Method::POST, "/api/v1/logout").with_session_effect(SessionEffect::LogOut)
}

fn login_request(request: Request) -> Request {
    request.with_session_effect(SessionEffect::LogIn)
}

/// The credentials in a login response, `{"data": {"userId", "authToken"}}`.
pub(crate) fn credentials_from(response: &RawResponse) -> Result<Credentials, Error> {
    #[derive(serde::Deserialize)]
    struct Body {
        data: Data,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Data {
        user_id: String,
        auth_token: String,
    }
    let body: Body = serde_json::from_slice(&response.body).map_err(|source| Error::Decode {
        status: response.status,
        body_start: WITHHELD.into(),
        source,
    })?;
    Ok(Credentials::new(body.data.user_id, body.data.auth_token))
}

struct Current {
    credentials: Credentials,
    user_id: HeaderValue,
    auth_token: HeaderValue,
}

pub(crate) struct Session {
    current: RwLock<Option<Current>>,
    /// The last successful login request, kept (only when logging in again is on) to repeat it
    /// when the token expires.
    login: Mutex<Option<Request>>,
    log_in_again: bool,
    server_version: Mutex<Option<String>>,
    deprecations_reported: Mutex<BTreeSet<&'static str>>,
}

impl Session {
    pub fn new(credentials: Option<Credentials>, log_in_again: bool) -> Result<Self, Error> {
        let session = Self {
            current: RwLock::new(None),
            login: Mutex::new(None),
            log_in_again,
            server_version: Mutex::new(None),
            deprecations_reported: Mutex::new(BTreeSet::new()),
        };
        if let Some(credentials) = credentials {
            session.set(credentials)?;
        }
        Ok(session)
    }

    /// Uses `credentials` from now on, for every clone of the transport.
    pub fn set(&self, credentials: Credentials) -> Result<(), Error> {
        let user_id = header_value(credentials.user_id(), "user id")?;
        let mut auth_token = header_value(credentials.expose_auth_token(), "auth token")?;
        auth_token.set_sensitive(true);
        *self.current.write().unwrap_or_else(PoisonError::into_inner) =
            Some(Current { credentials, user_id, auth_token });
        Ok(())
    }

    /// Forgets the credentials and the kept login: after logging out, nothing logs in again.
    pub fn clear(&self) {
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = None;
        *self.login.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The credentials a login just set: an error if the login set none.
    pub fn logged_in(&self) -> Result<Credentials, Error> {
        self.credentials().ok_or_else(|| Error::Config("the login response held no credentials".into()))
    }

    pub fn credentials(&self) -> Option<Credentials> {
        self.current.read().unwrap_or_else(PoisonError::into_inner).as_ref().map(|current| current.credentials.clone())
    }

    /// The `x-user-id` and `x-auth-token` headers, when logged in.
    pub fn auth_headers(&self) -> Option<(HeaderValue, HeaderValue)> {
        let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
        current.as_ref().map(|current| (current.user_id.clone(), current.auth_token.clone()))
    }

    /// Keeps a successful login request for logging in again, when that is on.
    pub fn remember_login(&self, request: &Request) {
        if self.log_in_again {
            *self.login.lock().unwrap_or_else(PoisonError::into_inner) = Some(request.without_two_factor());
        }
    }

    pub fn login_to_repeat(&self) -> Option<Request> {
        self.login.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn server_version(&self) -> Option<String> {
        self.server_version.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub fn set_server_version(&self, version: String) {
        *self.server_version.lock().unwrap_or_else(PoisonError::into_inner) = Some(version);
    }

    /// True the first time it is asked for `operation`: a deprecation is reported once.
    pub fn first_deprecation_of(&self, operation: &'static str) -> bool {
        self.deprecations_reported.lock().unwrap_or_else(PoisonError::into_inner).insert(operation)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("credentials", &self.credentials())
            .field("log_in_again", &self.log_in_again)
            .field("server_version", &self.server_version())
            .finish_non_exhaustive()
    }
}
