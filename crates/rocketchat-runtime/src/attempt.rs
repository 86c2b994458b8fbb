//! One request of a call, as both transports send it: each does its own I/O (async or
//! blocking), around these parts that must be the same in both.

use crate::config::Config;
use crate::error::{Endpoint, Error};
use crate::request::Request;
use crate::response::{RawResponse, cap_body, classify_response};
use http::{HeaderMap, Method, StatusCode};

/// A request ready for either reqwest client.
pub(crate) struct Outgoing {
    /// Where it goes, for the errors of sending it and of reading the response.
    pub endpoint: Endpoint,
    pub method: Method,
    pub url: reqwest::Url,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Outgoing {
    pub fn new(config: &Config, request: Request) -> Result<Self, Error> {
        let operation = request.operation;
        let prepared = config.prepare(request)?;
        let endpoint = Endpoint::new(operation, prepared.method.clone(), &prepared.url);
        let url = reqwest::Url::parse(&prepared.url)
            .map_err(|error| Error::Config(format!("the request URL is not valid ({error})")))?;
        Ok(Self { endpoint, method: prepared.method, url, headers: prepared.headers, body: prepared.body })
    }
}

/// A response being read: its body is kept within the limit for its status.
pub(crate) struct Incoming {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    limit: usize,
}

impl Incoming {
    pub fn new(config: &Config, status: StatusCode, headers: HeaderMap) -> Self {
        Self { status, headers, body: Vec::new(), limit: config.body_limit(status) }
    }

    /// Keeps the next chunk of the body: `false` once the limit cut it and the rest is not
    /// wanted, an error for a success body over the limit.
    pub fn push(&mut self, chunk: &[u8]) -> Result<bool, Error> {
        cap_body(&mut self.body, chunk, self.status, self.limit)
    }

    /// The success response, or the error its status makes it.
    pub fn finish(self) -> Result<RawResponse, Error> {
        classify_response(self.status, self.headers, self.body)
    }
}

pub(crate) fn transport_error(error: reqwest::Error, endpoint: &Endpoint) -> Error {
    let endpoint = Box::new(endpoint.clone());
    if error.is_timeout() {
        Error::Timeout { endpoint }
    } else {
        Error::Transport { endpoint, source: error.without_url() }
    }
}
