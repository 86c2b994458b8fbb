//! The future a generated method returns.

use crate::{Error, RawResponse};
use serde::de::DeserializeOwned;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The boxed, type-erased part of a call: sending the request and reading the response.
pub(crate) type Sending<'a> = Pin<Box<dyn Future<Output = Result<RawResponse, Error>> + Send + 'a>>;

/// How a call turns its success response into its result.
pub trait Decode<T> {
    fn decode(&self, response: RawResponse) -> Result<T, Error>;
}

/// Decodes the body as JSON (an empty body as `null`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Json;

impl<T: DeserializeOwned> Decode<T> for Json {
    fn decode(&self, response: RawResponse) -> Result<T, Error> {
        response.json()
    }
}

/// Decodes a `text/*` body (invalid UTF-8 replaced).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Text;

impl Decode<String> for Text {
    fn decode(&self, response: RawResponse) -> Result<String, Error> {
        Ok(response.text())
    }
}

/// Keeps a body of any other media type as bytes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bytes;

impl Decode<Vec<u8>> for Bytes {
    fn decode(&self, response: RawResponse) -> Result<Vec<u8>, Error> {
        Ok(response.into_bytes())
    }
}

/// Drops the body unread: servers may answer an operation without a described body with
/// text that is not JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ignore;

impl Decode<crate::NoContent> for Ignore {
    fn decode(&self, _response: RawResponse) -> Result<crate::NoContent, Error> {
        Ok(crate::NoContent)
    }
}

/// A generated enum of the success bodies of an operation that documents several, one
/// variant per status.
pub trait FromResponse: Sized {
    fn from_response(response: RawResponse) -> Result<Self, Error>;
}

/// Decodes by status, through the output's [`FromResponse`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByStatus;

impl<T: FromResponse> Decode<T> for ByStatus {
    fn decode(&self, response: RawResponse) -> Result<T, Error> {
        T::from_response(response)
    }
}

/// A call in flight: `.await` it for the operation's result.
///
/// Every generated method returns one. Its request is built (and any encoding error found)
/// before the first poll, so it borrows only the client, never the arguments. Sending is one
/// shared boxed future, and JSON decoding is generic code that is compiled where a call is
/// awaited: a program that uses three of a spec's six hundred operations compiles the decoding
/// of three.
#[must_use = "a call does nothing unless `.await`ed"]
pub struct Call<'a, T, D = Json> {
    sending: Sending<'a>,
    decode: D,
    output: PhantomData<fn() -> T>,
}

impl<'a, T, D> Call<'a, T, D> {
    pub(crate) fn new(sending: Sending<'a>, decode: D) -> Self {
        Self { sending, decode, output: PhantomData }
    }
}

impl<T, D: Decode<T> + Unpin> Future for Call<'_, T, D> {
    type Output = Result<T, Error>;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        this.sending.as_mut().poll(context).map(|sent| sent.and_then(|response| this.decode.decode(response)))
    }
}

impl<T, D> fmt::Debug for Call<'_, T, D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").finish_non_exhaustive()
    }
}
