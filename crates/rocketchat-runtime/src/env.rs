//! Configuration from the environment, for scripts and CLIs.

use crate::{Credentials, Error, Password};

/// The server's base URL.
pub const URL_VAR: &str = "ROCKETCHAT_URL";
/// The id of the user the client acts as.
pub const USER_ID_VAR: &str = "ROCKETCHAT_USER_ID";
/// The user's auth token (a login token or a personal access token).
pub const AUTH_TOKEN_VAR: &str = "ROCKETCHAT_AUTH_TOKEN";
/// The user name (or email address) to log in with.
pub const USER_VAR: &str = "ROCKETCHAT_USER";
/// The password to log in with.
pub const PASSWORD_VAR: &str = "ROCKETCHAT_PASSWORD";

/// The values of `names`, in order, or an error naming every one that is unset or empty.
pub(crate) fn read<const N: usize>(
    names: [&str; N],
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<[String; N], Error> {
    let values = names.map(|name| lookup(name).filter(|value| !value.trim().is_empty()));
    let missing: Vec<&str> =
        names.iter().zip(&values).filter(|(_, value)| value.is_none()).map(|(name, _)| *name).collect();
    if !missing.is_empty() {
        return Err(Error::Config(format!("set the environment variable(s) {}", missing.join(", "))));
    }
    Ok(values.map(Option::unwrap_or_default))
}

pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

impl Credentials {
    /// Reads `ROCKETCHAT_USER_ID` and `ROCKETCHAT_AUTH_TOKEN`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming each variable that is unset or empty.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(process_env)
    }

    /// Like [`Credentials::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let [user_id, auth_token] = read([USER_ID_VAR, AUTH_TOKEN_VAR], lookup)?;
        Ok(Self::new(user_id, auth_token))
    }
}

impl Password {
    /// Reads `ROCKETCHAT_USER` and `ROCKETCHAT_PASSWORD`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming each variable that is unset or empty.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(process_env)
    }

    /// Like [`Password::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let [user, password] = read([USER_VAR, PASSWORD_VAR], lookup)?;
        Ok(Self::new(user, password))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Transport;

    #[test]
    fn every_missing_variable_is_named() {
        let error = Transport::builder_from_lookup(|name| (name == USER_ID_VAR).then(|| "u".into())).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("ROCKETCHAT_URL, ROCKETCHAT_AUTH_TOKEN"), "{message}");
        assert!(!message.contains("ROCKETCHAT_USER_ID"), "{message}");
    }

    #[test]
    fn a_password_comes_from_the_environment_and_stays_out_of_debug() {
        let password = Password::from_lookup(|name| Some(format!("value-of-{name}"))).unwrap();
        assert_eq!(password.user(), "value-of-ROCKETCHAT_USER");
        assert!(!format!("{password:?}").contains("value-of-ROCKETCHAT_PASSWORD"));
        let error = Password::from_lookup(|_| None).unwrap_err();
        assert!(error.to_string().contains("ROCKETCHAT_USER, ROCKETCHAT_PASSWORD"), "{error}");
    }

    #[test]
    fn present_variables_configure_the_transport() {
        let lookup = |name: &str| Some(format!("http://chat.example.com/{name}"));
        let transport = Transport::builder_from_lookup(lookup).unwrap().build().unwrap();
        assert_eq!(transport.base_url(), "http://chat.example.com/ROCKETCHAT_URL");
    }
}
