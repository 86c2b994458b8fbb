//! A request for any operation, as the generated code builds it: path parameters already in
//! the path, then query parameters, headers and a body of any supported media type.

use crate::Error;
use http::Method;
use http::header::{HeaderName, HeaderValue};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use std::fmt::{self, Display};

/// Characters left as they are in a path segment: RFC 3986's unreserved set.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// A value as JSON text, for parameters whose schema is not a scalar.
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value).map_err(|error| Error::Encode(Box::new(error)))
}

/// A path parameter's value, percent-encoded so that it stays one path segment. `.` and `..`
/// are encoded too: URL normalization would otherwise remove them and send the request to
/// another endpoint.
pub fn path_segment(value: impl Display) -> String {
    match value.to_string().as_str() {
        "." => "%2E".to_owned(),
        ".." => "%2E%2E".to_owned(),
        value => utf8_percent_encode(value, PATH_SEGMENT).to_string(),
    }
}

/// How a query parameter that is not a plain scalar goes on the wire: OpenAPI's `style` and
/// `explode`, decided by the generator from the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`: exploded, arrays repeat the key (`a=1&a=2`) and objects send each property as a
    /// key of its own (`roomId=R`); not exploded, values are joined with commas (`a=1,2`,
    /// `room=roomId,R`).
    Form { explode: bool },
    /// Arrays joined with spaces (`a=1%202`).
    SpaceDelimited,
    /// Arrays joined with `|` (`a=1|2`).
    PipeDelimited,
    /// Objects as `name[key]=value`.
    DeepObject,
}

/// How an operation changes the client's session when it succeeds: the spec's `x-session`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionEffect {
    #[default]
    None,
    /// The response holds new credentials (`data.userId`, `data.authToken`), which the client
    /// uses from then on. Its body is never quoted, in errors or elsewhere.
    LogIn,
    /// The token the call was sent with stops working; the client forgets it.
    LogOut,
}

#[derive(Clone)]
pub struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) body: Option<(HeaderValue, Vec<u8>)>,
    pub(crate) session: SessionEffect,
    /// The success body holds a secret ([`crate::Operation::SECRET_OUTPUT`]).
    pub(crate) secret_output: bool,
    /// The server versions the spec says the operation exists in (`x-added-in`, `x-removed-in`).
    pub(crate) added_in: Option<&'static str>,
    pub(crate) removed_in: Option<&'static str>,
}

/// Neither the body nor a header the transport marked sensitive is shown: a request may carry
/// a password or a two-factor code.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &self.headers)
            .field("body_bytes", &self.body.as_ref().map(|(_, bytes)| bytes.len()))
            .finish_non_exhaustive()
    }
}

impl Request {
    /// A request for `operation` (its id, for tracing and errors) to `path` under the base URL.
    pub fn new(operation: &'static str, method: Method, path: impl Into<String>) -> Self {
        Self {
            operation,
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            session: SessionEffect::None,
            secret_output: false,
            added_in: None,
            removed_in: None,
        }
    }

    pub(crate) fn with_session_effect(mut self, session: SessionEffect) -> Self {
        self.session = session;
        self
    }

    /// Answers a two-factor challenge: the code (sensitive, never logged) and its method.
    pub(crate) fn set_two_factor(&mut self, code: &crate::Secret, method: &str) -> Result<(), Error> {
        let mut code = header_value(code.expose(), "two-factor code")?;
        code.set_sensitive(true);
        let method = header_value(method, "two-factor method")?;
        *self = self.without_two_factor();
        self.headers.push((HeaderName::from_static("x-2fa-code"), code));
        self.headers.push((HeaderName::from_static("x-2fa-method"), method));
        Ok(())
    }

    pub(crate) fn without_two_factor(&self) -> Self {
        let mut request = self.clone();
        request.headers.retain(|(name, _)| name != "x-2fa-code" && name != "x-2fa-method");
        request
    }

    /// Adds a query parameter.
    pub fn query(mut self, name: &str, value: impl Display) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Adds a query parameter when it has a value.
    pub fn query_opt(self, name: &str, value: Option<impl Display>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Adds a query parameter per item, as OpenAPI's default (`form`, exploded) style does.
    pub fn query_each<T: Display>(mut self, name: &str, values: &[T]) -> Self {
        for value in values {
            self.query.push((name.to_owned(), value.to_string()));
        }
        self
    }

    /// Adds a query parameter holding JSON (`content: application/json`); a `None` or `null`
    /// value is left out.
    pub fn query_json<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Result<Self, Error> {
        Ok(match json_unless_null(value)? {
            Some(json) => self.query(name, json),
            None => self,
        })
    }

    /// Adds a query parameter of any type, encoded as `style` says. `None` and `null` values
    /// are left out; a value nested inside an array or object is sent as JSON text.
    pub fn query_styled<T: Serialize + ?Sized>(
        mut self,
        name: &str,
        value: &T,
        style: QueryStyle,
    ) -> Result<Self, Error> {
        use serde_json::Value;
        let value = serde_json::to_value(value).map_err(|error| Error::Encode(Box::new(error)))?;
        let joined = |separator: &str, items: Vec<String>| items.join(separator);
        match (value, style) {
            (Value::Null, _) => {}
            (Value::Array(items), QueryStyle::Form { explode: true }) => {
                for item in items.iter().filter(|item| !item.is_null()) {
                    self.query.push((name.to_owned(), query_text(item)));
                }
            }
            (Value::Array(items), style) => {
                let separator = match style {
                    QueryStyle::SpaceDelimited => " ",
                    QueryStyle::PipeDelimited => "|",
                    _ => ",",
                };
                let items = items.iter().filter(|item| !item.is_null()).map(query_text).collect();
                self.query.push((name.to_owned(), joined(separator, items)));
            }
            (Value::Object(map), QueryStyle::DeepObject) => {
                for (key, item) in map.iter().filter(|(_, item)| !item.is_null()) {
                    self.query.push((format!("{name}[{key}]"), query_text(item)));
                }
            }
            (Value::Object(map), QueryStyle::Form { explode: false }) => {
                let pairs = map.iter().filter(|(_, item)| !item.is_null());
                let items = pairs.flat_map(|(key, item)| [key.clone(), query_text(item)]).collect();
                self.query.push((name.to_owned(), joined(",", items)));
            }
            // Exploded form, and the delimited styles, which OpenAPI defines only for arrays.
            (Value::Object(map), _) => {
                for (key, item) in map.iter().filter(|(_, item)| !item.is_null()) {
                    self.query.push((key.clone(), query_text(item)));
                }
            }
            (scalar, _) => self.query.push((name.to_owned(), query_text(&scalar))),
        }
        Ok(self)
    }

    /// Adds a header parameter.
    pub fn header(mut self, name: &str, value: impl Display) -> Result<Self, Error> {
        let header =
            HeaderName::try_from(name).map_err(|_| Error::Config(format!("`{name}` is not a valid header name")))?;
        let value = HeaderValue::try_from(value.to_string())
            .map_err(|_| Error::Config(format!("the value of header `{name}` is not a valid header value")))?;
        self.headers.push((header, value));
        Ok(self)
    }

    /// Adds a header parameter when it has a value.
    pub fn header_opt(self, name: &str, value: Option<impl Display>) -> Result<Self, Error> {
        match value {
            Some(value) => self.header(name, value),
            None => Ok(self),
        }
    }

    /// Adds a header parameter holding JSON; a `None` or `null` value is left out.
    pub fn header_json<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Result<Self, Error> {
        match json_unless_null(value)? {
            Some(json) => self.header(name, json),
            None => Ok(self),
        }
    }

    /// A JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| Error::Encode(Box::new(error)))?;
        self.body = Some((HeaderValue::from_static("application/json"), bytes));
        Ok(self)
    }

    /// An `application/x-www-form-urlencoded` body. With the `form` feature.
    #[cfg(feature = "form")]
    pub fn form<B: Serialize + ?Sized>(mut self, body: &B) -> Result<Self, Error> {
        let text = serde_urlencoded::to_string(body).map_err(|error| Error::Encode(Box::new(error)))?;
        self.body = Some((HeaderValue::from_static("application/x-www-form-urlencoded"), text.into_bytes()));
        Ok(self)
    }

    /// A `multipart/form-data` body.
    pub fn multipart(mut self, form: Multipart) -> Self {
        let (content_type, bytes) = form.finish();
        self.body = Some((content_type, bytes));
        self
    }

    /// A body of any other media type, sent as it is.
    pub fn bytes(mut self, content_type: &str, bytes: Vec<u8>) -> Result<Self, Error> {
        let content_type = HeaderValue::from_str(content_type)
            .map_err(|_| Error::Config(format!("`{content_type}` is not a valid media type")))?;
        self.body = Some((content_type, bytes));
        Ok(self)
    }
}

fn json_unless_null<T: Serialize + ?Sized>(value: &T) -> Result<Option<String>, Error> {
    let value = serde_json::to_value(value).map_err(|error| Error::Encode(Box::new(error)))?;
    Ok((!value.is_null()).then(|| value.to_string()))
}

/// A scalar as query text (strings unquoted); anything else as JSON text.
fn query_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

pub(crate) fn header_value(value: &str, what: &str) -> Result<HeaderValue, Error> {
    // The value itself is left out of the message: it may be the token.
    HeaderValue::from_str(value)
        .map_err(|_| Error::Config(format!("the {what} contains characters not allowed in an HTTP header")))
}

/// A file to upload in a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// The file name the server sees.
    pub name: String,
    /// Such as `image/png`.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// In JSON, `format: binary` is a string of octets: a file is written as its contents.
impl Serialize for File {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> serde::Deserialize<'de> for File {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Self { name: String::new(), content_type: "application/octet-stream".into(), bytes: text.into_bytes() })
    }
}

impl File {
    pub fn new(name: impl Into<String>, content_type: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Self { name: name.into(), content_type: content_type.into(), bytes: bytes.into() }
    }
}

/// A `multipart/form-data` body, part by part.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Part {
    name: String,
    file: Option<(String, String)>,
    bytes: Vec<u8>,
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    /// A text field.
    pub fn text(mut self, name: &str, value: impl Display) -> Self {
        self.parts.push(Part { name: name.to_owned(), file: None, bytes: value.to_string().into_bytes() });
        self
    }

    /// A field holding JSON, for fields whose schema is an object or array.
    pub fn json<T: Serialize + ?Sized>(self, name: &str, value: &T) -> Result<Self, Error> {
        let json = serde_json::to_string(value).map_err(|error| Error::Encode(Box::new(error)))?;
        Ok(self.text(name, json))
    }

    /// One text field per key of `value`, which must encode as a JSON object: strings as
    /// they are, other values as JSON text. For flattened fields and extra keys.
    pub fn flattened<T: Serialize + ?Sized>(mut self, value: &T) -> Result<Self, Error> {
        let value = serde_json::to_value(value).map_err(|error| Error::Encode(Box::new(error)))?;
        let serde_json::Value::Object(map) = value else {
            return Err(Error::Encode("a flattened multipart field must encode as a JSON object".into()));
        };
        for (key, value) in map {
            self = match value {
                serde_json::Value::String(text) => self.text(&key, text),
                serde_json::Value::Null => self,
                other => self.text(&key, other),
            };
        }
        Ok(self)
    }

    /// A file field.
    pub fn file(mut self, name: &str, file: &File) -> Self {
        let file_info = Some((file.name.clone(), file.content_type.clone()));
        self.parts.push(Part { name: name.to_owned(), file: file_info, bytes: file.bytes.clone() });
        self
    }

    /// The content type (with a boundary found in no part) and the encoded body.
    fn finish(self) -> (HeaderValue, Vec<u8>) {
        let boundary = boundary_for(&self.parts);
        let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"").replace(['\r', '\n'], " ");
        let mut body = Vec::new();
        for part in &self.parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            let mut disposition = format!("Content-Disposition: form-data; name=\"{}\"", quote(&part.name));
            if let Some((file_name, content_type)) = &part.file {
                disposition.push_str(&format!(
                    "; filename=\"{}\"\r\nContent-Type: {}",
                    quote(file_name),
                    quote(content_type)
                ));
            }
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(b"\r\n\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
            .unwrap_or(HeaderValue::from_static("multipart/form-data"));
        (content_type, body)
    }
}

const BOUNDARY_PREFIX: &[u8] = b"rocketchat-rust-boundary-";

/// `rocketchat-rust-boundary-N` for the smallest N such that no part contains it, found in one
/// pass over the parts (trying candidates one by one against the whole body would take time
/// quadratic in a hostile file). `...-1` occurs in a part exactly when the digits after some
/// occurrence of the prefix start with `1` (`...-12` contains `...-1`): each occurrence rules
/// out the numbers its digits start with.
fn boundary_for(parts: &[Part]) -> String {
    // Where digits follow the prefix. Each occurrence rules out at most one number of each
    // length, so with k occurrences some number up to 20k is free (lengths are capped at 20
    // below), and only numbers of at most that many digits need ruling out.
    let mut runs: Vec<&[u8]> = Vec::new();
    for part in parts {
        let bytes = &part.bytes;
        let mut from = 0;
        while let Some(at) = find(&bytes[from..], BOUNDARY_PREFIX) {
            let digits_start = from + at + BOUNDARY_PREFIX.len();
            let digits = bytes[digits_start..].iter().take_while(|b| b.is_ascii_digit()).count();
            runs.push(&bytes[digits_start..digits_start + digits]);
            from = digits_start;
        }
    }
    let max_digits = (runs.len() * 20 + 1).to_string().len();
    let mut taken = std::collections::HashSet::new();
    for run in runs {
        for end in 1..=run.len().min(max_digits) {
            // `...-01` is no number's boundary: numbers are written without leading zeros.
            if end > 1 && run[0] == b'0' {
                break;
            }
            let number = run[..end].iter().fold(0u64, |n, digit| n * 10 + u64::from(digit - b'0'));
            taken.insert(number);
        }
    }
    let n = (0u64..).find(|n| !taken.contains(n)).unwrap_or_default();
    format!("rocketchat-rust-boundary-{n}")
}

/// The first position of `needle` in `haystack`. (The needle is short and fixed, so this is
/// linear in the haystack.)
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_parameters_stay_one_segment() {
        assert_eq!(path_segment("a b/c?d#e"), "a%20b%2Fc%3Fd%23e");
        assert_eq!(path_segment("ok-1.2_~"), "ok-1.2_~");
        assert_eq!(path_segment(".."), "%2E%2E");
        assert_eq!(path_segment("."), "%2E");
        assert_eq!(path_segment("..."), "...");
    }

    fn query_of<T: Serialize>(value: &T, style: QueryStyle) -> Vec<(String, String)> {
        Request::new("x", Method::GET, "/").query_styled("p", value, style).unwrap().query
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
    }

    #[test]
    fn query_parameters_follow_openapi_styles() {
        let form = QueryStyle::Form { explode: true };
        let unexploded = QueryStyle::Form { explode: false };
        let room = serde_json::json!({"roomId": "R1"});
        assert_eq!(query_of(&room, form), pairs(&[("roomId", "R1")]));
        assert_eq!(query_of(&room, unexploded), pairs(&[("p", "roomId,R1")]));
        assert_eq!(query_of(&room, QueryStyle::DeepObject), pairs(&[("p[roomId]", "R1")]));
        let list = ["a", "b"];
        assert_eq!(query_of(&list, form), pairs(&[("p", "a"), ("p", "b")]));
        assert_eq!(query_of(&list, unexploded), pairs(&[("p", "a,b")]));
        assert_eq!(query_of(&list, QueryStyle::SpaceDelimited), pairs(&[("p", "a b")]));
        assert_eq!(query_of(&list, QueryStyle::PipeDelimited), pairs(&[("p", "a|b")]));
        assert_eq!(query_of(&3, form), pairs(&[("p", "3")]));
        assert_eq!(query_of(&Option::<i32>::None, form), pairs(&[]));
        let nested = serde_json::json!({"sort": {"name": 1}, "gone": null});
        assert_eq!(query_of(&nested, form), pairs(&[("sort", r#"{"name":1}"#)]));
    }

    #[test]
    fn a_boundary_is_found_in_one_pass_even_among_many_candidates() {
        // Every candidate from 0 to 9999 inside the file: trying them one by one against the
        // whole file took quadratic time; the one pass still finds the first free one.
        let mut bytes = Vec::new();
        for n in 0..10_000 {
            bytes.extend_from_slice(format!("rocketchat-rust-boundary-{n}\n").as_bytes());
        }
        let file = File::new("f", "text/plain", bytes);
        let (content_type, _) = Multipart::new().file("file", &file).finish();
        assert_eq!(content_type, "multipart/form-data; boundary=rocketchat-rust-boundary-10000");
        let digits = File::new("f", "text/plain", b"rocketchat-rust-boundary-12".to_vec());
        let (content_type, _) = Multipart::new().file("file", &digits).finish();
        assert_eq!(
            content_type, "multipart/form-data; boundary=rocketchat-rust-boundary-0",
            "0 is free; 1 and 12 are taken"
        );
        let one = File::new("f", "text/plain", b"rocketchat-rust-boundary-0 and rocketchat-rust-boundary-1".to_vec());
        let (content_type, _) = Multipart::new().file("file", &one).finish();
        assert_eq!(content_type, "multipart/form-data; boundary=rocketchat-rust-boundary-2");
    }

    #[test]
    fn multipart_bodies_have_a_boundary_found_in_no_part() {
        let file = File::new("a\"b.png", "image/png", b"--rocketchat-rust-boundary-0 inside".to_vec());
        let (content_type, body) = Multipart::new().text("msg", "hi").file("file", &file).finish();
        assert_eq!(content_type, "multipart/form-data; boundary=rocketchat-rust-boundary-1");
        let body = String::from_utf8(body).unwrap();
        assert!(
            body.starts_with(
                "--rocketchat-rust-boundary-1\r\nContent-Disposition: form-data; name=\"msg\"\r\n\r\nhi\r\n"
            )
        );
        assert!(body.contains("name=\"file\"; filename=\"a\\\"b.png\"\r\nContent-Type: image/png\r\n\r\n"));
        assert!(body.ends_with("--rocketchat-rust-boundary-1--\r\n"));
    }
}
