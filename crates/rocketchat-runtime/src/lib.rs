//! Hand-written support for the generated Rocket.Chat client: configuration, authentication,
//! sending requests and turning responses into values or typed errors.
//!
//! The generated crate (`rocketchat`) re-exports what users need; this crate holds the parts
//! that are the same for every operation. The request-building and response-decoding core
//! ([`Transport::build_request`], [`decode_response`]) are plain functions that never touch the
//! network, so they can be tested without a server; the async [`Transport`] and, with the
//! `blocking` feature, `blocking::Transport` share them.

mod attempt;
#[cfg(feature = "blocking")]
pub mod blocking;
mod call;
mod config;
mod conversation;
mod credentials;
pub mod double_option;
mod env;
mod error;
mod operation;
mod pages;
mod rate_limit;
mod request;
mod response;
mod retry;
mod session;
mod transport;
pub mod two_factor;
pub mod validate;

pub use call::{ByStatus, Bytes, Call, Decode, FromResponse, Ignore, Json, Text};
pub use config::TwoFactor;
pub use credentials::{Credentials, Secret};
pub use env::{AUTH_TOKEN_VAR, PASSWORD_VAR, URL_VAR, USER_ID_VAR, USER_VAR};
pub use error::{ApiError, Endpoint, Error};
pub use operation::{Operation, OperationVisitor, RoundTripVisitor};
#[cfg(feature = "blocking")]
pub use pages::Items;
pub use pages::{DEFAULT_PAGE_SIZE, ItemStream, MAX_REQUESTED_STEP, Page, PageStep, Pager, Paginated};
pub use rate_limit::RateLimit;
pub use request::{File, Multipart, QueryStyle, Request, SessionEffect, json_text, path_segment};
pub use response::{Deprecation, NoContent, RawResponse, Response, classify_response, decode_response};
pub use retry::RetryPolicy;
pub use session::Password;
pub use transport::{Transport, TransportBuilder};

/// The `http` crate, whose types ([`http::Method`], [`http::Request`]) appear in this API.
pub use http;
