//! The HTTP side: every operation of the spec routed (from the generated operations), each
//! request decoded into the generated input type, authentication, faults, the call record.

use crate::spec::{self, OperationSpec};
use crate::world::{Reply, World};
use crate::{Fault, RecordedCall, UnauthorizedShape};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use rocketchat_runtime::{Operation, RoundTripVisitor};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// One routed operation: what the generated code knows of it.
pub struct Route {
    pub id: &'static str,
    method: http::Method,
    segments: Vec<&'static str>,
    /// The request as the generated input type, with its validation rules checked; the input
    /// back as JSON (normalized) for the rules of the fake.
    decode: fn(Value) -> Result<Value, String>,
    /// Whether a success body decodes as the generated output type.
    check: fn(&Value) -> Result<(), String>,
}

struct Collect(Vec<Route>);

impl RoundTripVisitor for Collect {
    fn visit<O>(&mut self)
    where
        O: Operation<Input: Serialize + DeserializeOwned + Sized, Output: Serialize + DeserializeOwned>,
    {
        self.0.push(Route {
            id: O::ID,
            method: O::METHOD,
            segments: O::PATH.trim_start_matches('/').split('/').collect(),
            decode: decode::<O>,
            check: check::<O>,
        });
    }
}

fn decode<O>(input: Value) -> Result<Value, String>
where
    O: Operation<Input: Serialize + DeserializeOwned + Sized>,
{
    let typed: O::Input = serde_json::from_value(input).map_err(|error| error.to_string())?;
    // Building the request runs the spec's validation rules (lengths, patterns, ranges, ...).
    O::request(&typed).map_err(|error| error.to_string())?;
    serde_json::to_value(&typed).map_err(|error| error.to_string())
}

fn check<O>(output: &Value) -> Result<(), String>
where
    O: Operation<Output: DeserializeOwned>,
{
    serde_json::from_value::<O::Output>(output.clone()).map(drop).map_err(|error| error.to_string())
}

pub fn routes() -> Vec<Route> {
    let mut collect = Collect(Vec::new());
    rocketchat::operations::visit_all_round_trip(&mut collect);
    collect.0
}

/// Everything the server shares between connections.
pub struct Shared {
    pub routes: Vec<Route>,
    pub specs: HashMap<String, OperationSpec>,
    pub world: Mutex<World>,
    pub faults: Mutex<Faults>,
    pub calls: Mutex<Vec<RecordedCall>>,
}

#[derive(Default)]
pub struct Faults {
    /// Per operation: the limit, the window, and the calls counted in the current window.
    pub rate_limits: HashMap<String, RateLimitState>,
    pub two_factor_code: Option<String>,
    pub unauthorized: UnauthorizedShape,
    /// One-shot faults for the next call of an operation.
    pub next: HashMap<String, Fault>,
    /// Scripted answers (status and body) for the coming valid calls of an operation, in order.
    pub answers: HashMap<String, VecDeque<(u16, Value)>>,
}

pub struct RateLimitState {
    pub limit: u32,
    pub window: Duration,
    pub started: SystemTime,
    pub used: u32,
}

/// What the connection does with a request: answer, or misbehave.
pub enum Outcome {
    Answer(http::Response<Full<Bytes>>),
    Stall,
    Reset,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn respond(reply: Reply, extra: &[(&str, String)]) -> http::Response<Full<Bytes>> {
    let body = reply.body.map(|body| body.to_string()).unwrap_or_default();
    let mut response = http::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() =
        http::StatusCode::from_u16(reply.status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/json"));
    for (name, value) in extra {
        if let (Ok(name), Ok(value)) = (http::HeaderName::try_from(*name), http::HeaderValue::try_from(value.as_str()))
        {
            headers.insert(name, value);
        }
    }
    response
}

fn text_response(status: u16, content_type: &'static str, body: &str) -> http::Response<Full<Bytes>> {
    let mut response = http::Response::new(Full::new(Bytes::from(body.to_owned())));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(content_type));
    response
}

/// Keys whose values the call record never holds.
const SECRET_KEYS: [&str; 5] = ["password", "resume", "code", "authToken", "token"];

fn redacted(mut value: Value) -> Value {
    match &mut value {
        Value::Object(object) => {
            for (key, inner) in object.iter_mut() {
                if SECRET_KEYS.contains(&key.as_str()) {
                    *inner = json!("<redacted>");
                } else {
                    *inner = redacted(inner.take());
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| *item = redacted(item.take())),
        _ => {}
    }
    value
}

pub async fn handle(shared: Arc<Shared>, request: http::Request<Incoming>) -> Outcome {
    let (parts, body) = request.into_parts();
    // The server's own limit on bodies; more is refused rather than buffered.
    let body = match Limited::new(body, 16 << 20).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => return Outcome::Answer(text_response(413, "text/plain", "Payload Too Large")),
    };
    let path = parts.uri.path().to_owned();
    let query: Vec<(String, String)> = parts.uri.query().map(form_pairs).unwrap_or_default();
    // A body that is not JSON is read as `{}`, as the server does (Router.parseBodyParams).
    let json_body: Value =
        if body.is_empty() { json!({}) } else { serde_json::from_slice(&body).unwrap_or_else(|_| json!({})) };

    let matched = shared.routes.iter().find_map(|route| {
        let values = match_path(&route.segments, &path)?;
        (route.method == parts.method).then_some((route, values))
    });
    let mut call = RecordedCall {
        method: parts.method.to_string(),
        path: path.clone(),
        query: query.clone(),
        body: (!body.is_empty()).then(|| redacted(json_body.clone())),
        operation: matched.as_ref().map(|(route, _)| route.id),
        status: 404,
        unmodeled: false,
    };
    let outcome = match matched {
        // Current servers answer an unknown route with Hono's plain-text 404.
        None => Outcome::Answer(text_response(404, "text/plain; charset=UTF-8", "404 Not Found")),
        Some((route, path_values)) => {
            serve(&shared, route, &path_values, &query, &parts.headers, json_body, &mut call.unmodeled)
        }
    };
    call.status = match &outcome {
        Outcome::Answer(response) => response.status().as_u16(),
        Outcome::Stall | Outcome::Reset => 0,
    };
    lock(&shared.calls).push(call);
    outcome
}

/// The answer to a routed request; `unmodeled` is set when it comes from the spec or from the
/// test's script rather than from the fake's model of the server.
fn serve(
    shared: &Shared,
    route: &Route,
    path_values: &HashMap<String, String>,
    query: &[(String, String)],
    headers: &http::HeaderMap,
    body: Value,
    unmodeled: &mut bool,
) -> Outcome {
    let Some(operation) = shared.specs.get(route.id) else {
        return Outcome::Answer(respond(
            Reply::json(500, json!({"success": false, "error": format!("{} is not in the spec", route.id)})),
            &[],
        ));
    };
    if let Some(fault) = lock(&shared.faults).next.remove(route.id) {
        return match fault {
            Fault::ProxyError => Outcome::Answer(text_response(
                502,
                "text/html",
                "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
            )),
            Fault::Stall => Outcome::Stall,
            Fault::ResetConnection => Outcome::Reset,
        };
    }
    let header = |name: &str| headers.get(name).and_then(|value| value.to_str().ok());
    let caller = match (header("x-user-id"), header("x-auth-token")) {
        (Some(user_id), Some(token)) => lock(&shared.world).user_by_token(user_id, token).map(|user| user.id.clone()),
        _ => None,
    };
    if !operation.public && caller.is_none() {
        return Outcome::Answer(respond(unauthorized(lock(&shared.faults).unauthorized), &[]));
    }
    if let Some(limited) = rate_limited(shared, route.id) {
        return Outcome::Answer(limited);
    }
    let two_factor = lock(&shared.faults).two_factor_code.clone();
    if let Some(code) = &two_factor
        && !operation.public
        && route.id != "logout"
    {
        match header("x-2fa-code") {
            Some(given) if given == code => {}
            given => return Outcome::Answer(respond(totp_error(given.is_some(), false), &[])),
        }
    }

    let input = match spec::input_json(operation, path_values, query, headers, body.clone()) {
        Ok(input) => input,
        Err(message) => return Outcome::Answer(respond(invalid(&message, "error-invalid-params"), &[])),
    };
    let input = match (route.decode)(input) {
        Ok(input) => input,
        Err(message) => {
            // Typed routes check bodies (`invalid-params`) and query strings
            // (`error-invalid-params`) apart.
            let error_type = if operation.params.is_empty() { "invalid-params" } else { "error-invalid-params" };
            return Outcome::Answer(respond(invalid(&message, error_type), &[]));
        }
    };

    let scripted = lock(&shared.faults).answers.get_mut(route.id).and_then(VecDeque::pop_front);
    let reply = match (route.id, scripted) {
        (_, Some((status, body))) => {
            *unmodeled = true;
            scripted_reply(route.id, status, body)
        }
        ("login", None) => log_in(shared, &body, header("x-2fa-code"), two_factor.as_deref()),
        ("logout", None) => log_out(shared, header("x-user-id"), header("x-auth-token")),
        ("serverInfo", None) => server_info(shared, caller.as_deref()),
        ("users.2fa.sendEmailCode", None) => {
            let who = input.get("emailOrUsername").and_then(Value::as_str).unwrap_or_default().to_owned();
            lock(&shared.world).email_codes_sent.push(who);
            Reply::ok(json!({}))
        }
        (id, None) => {
            let caller = caller.unwrap_or_default();
            match lock(&shared.world).handle(id, &caller, &input) {
                Some(reply) => reply,
                None => {
                    *unmodeled = true;
                    example_reply(operation)
                }
            }
        }
    };
    if (200..300).contains(&reply.status)
        && let Some(body) = &reply.body
        && let Err(error) = (route.check)(body)
    {
        let whose = if *unmodeled { "the answer (scripted or the spec's example)" } else { "the fake's answer" };
        let message = format!("{whose} to {} does not decode as the spec says: {error}", route.id);
        return Outcome::Answer(respond(Reply::json(500, json!({"success": false, "error": message})), &[]));
    }
    Outcome::Answer(respond(reply, &[]))
}

fn invalid(message: &str, error_type: &str) -> Reply {
    Reply::json(400, json!({"success": false, "error": message, "errorType": error_type}))
}

/// A scripted answer, unless its status cannot carry the body: then a 500 that says so.
fn scripted_reply(operation: &str, status: u16, body: Value) -> Reply {
    let carries_a_body = (200..=599).contains(&status) && status != 204 && status != 304;
    if carries_a_body {
        return Reply::json(status, body);
    }
    let message = format!("answer_next({operation:?}, {status}, ..): {status} is not a status that carries a body");
    Reply::json(500, json!({"success": false, "error": message}))
}

/// An operation the fake does not model answers with the spec's example.
fn example_reply(operation: &OperationSpec) -> Reply {
    match &operation.example {
        Some((status, example)) => Reply::json(*status, example.clone()),
        None => Reply::ok(json!({})),
    }
}

/// The 401 of a missing or wrong token (apps/meteor/server/api/v1/middlewares/authenticationHono.ts).
fn unauthorized(shape: UnauthorizedShape) -> Reply {
    const MESSAGE: &str = "You must be logged in to do this.";
    Reply::json(
        401,
        match shape {
            UnauthorizedShape::Current => {
                json!({"success": false, "error": MESSAGE, "status": "error", "message": MESSAGE})
            }
            UnauthorizedShape::Old => json!({"status": "error", "message": MESSAGE}),
            UnauthorizedShape::V9 => json!({"success": false, "error": MESSAGE}),
        },
    )
}

/// `totp-required` / `totp-invalid` as an ordinary route sends them (a 400 from
/// `processTwoFactor` in apps/meteor/server/api/ApiClass.ts), or login (a 401).
fn totp_error(code_given: bool, login: bool) -> Reply {
    let (error_type, reason) =
        if code_given { ("totp-invalid", "TOTP Invalid") } else { ("totp-required", "TOTP Required") };
    let details = json!({"method": "totp", "codeGenerated": false, "availableMethods": ["totp"]});
    if login {
        Reply::json(
            401,
            json!({"success": false, "error": error_type, "status": "error", "details": details, "message": reason}),
        )
    } else {
        Reply::json(
            400,
            json!({"success": false, "error": format!("{reason} [{error_type}]"), "errorType": error_type, "details": details}),
        )
    }
}

/// The server's rate limiter (apps/meteor/server/api/v1/middlewares/rateLimiter.ts): per
/// route, `X-RateLimit-Reset` an absolute time in milliseconds.
fn rate_limited(shared: &Shared, operation: &str) -> Option<http::Response<Full<Bytes>>> {
    let mut faults = lock(&shared.faults);
    let state = faults.rate_limits.get_mut(operation)?;
    let now = SystemTime::now();
    if now.duration_since(state.started).unwrap_or_default() >= state.window {
        state.started = now;
        state.used = 0;
    }
    let reset = state.started.checked_add(state.window).unwrap_or(state.started);
    let reset_ms = reset.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis();
    state.used += 1;
    let remaining = state.limit.saturating_sub(state.used);
    let headers = [
        ("x-ratelimit-limit", state.limit.to_string()),
        ("x-ratelimit-remaining", remaining.to_string()),
        ("x-ratelimit-reset", reset_ms.to_string()),
    ];
    if state.used <= state.limit {
        return None;
    }
    let wait = reset.duration_since(now).unwrap_or_default().as_secs().max(1);
    let error = format!(
        "Error, too many requests. Please slow down. You must wait {wait} seconds before trying this endpoint again. [error-too-many-requests]"
    );
    Some(respond(Reply::json(429, json!({"success": false, "error": error})), &headers))
}

/// `POST /api/v1/login` as `_initAuth` in apps/meteor/server/api/ApiClass.ts answers it.
fn log_in(shared: &Shared, body: &Value, header_code: Option<&str>, required_code: Option<&str>) -> Reply {
    let failed = || {
        Reply::json(
            401,
            json!({"success": false, "error": "Unauthorized", "status": "error", "message": "Unauthorized"}),
        )
    };
    let mut world = lock(&shared.world);
    let text = |key: &str| body.get(key).and_then(Value::as_str);
    let user = if let Some(resume) = text("resume") {
        world.users.iter().find(|user| user.tokens.iter().any(|token| token == resume)).map(|user| user.id.clone())
    } else {
        let name = text("user").or_else(|| text("username")).or_else(|| text("email"));
        let password = text("password");
        world
            .users
            .iter()
            .find(|user| {
                name.is_some_and(|name| name == user.username || name == format!("{}@example.com", user.username))
                    && password == Some(user.password.as_str())
            })
            .map(|user| user.id.clone())
    };
    let Some(user) = user else { return failed() };
    // A resume login skips the second factor (`login.type === 'resume'`).
    if let Some(required) = required_code
        && text("resume").is_none()
    {
        match text("code").or(header_code) {
            Some(code) if code == required => {}
            given => return totp_error(given.is_some(), true),
        }
    }
    let token = world.issue_token(&user);
    let me =
        world.users.iter().find(|candidate| candidate.id == user).map(|user| world.me_json(user)).unwrap_or_default();
    Reply::ok(json!({"status": "success", "data": {"userId": user, "authToken": token, "me": me}}))
}

/// `POST /api/v1/logout`: the token sent stops working; servers since 7.4 answer an empty body.
fn log_out(shared: &Shared, user_id: Option<&str>, token: Option<&str>) -> Reply {
    let mut world = lock(&shared.world);
    if let (Some(user_id), Some(token)) = (user_id, token)
        && let Some(user) = world.users.iter_mut().find(|user| user.id == user_id)
    {
        user.tokens.retain(|held| held != token);
    }
    Reply { status: 200, body: None }
}

/// `GET /api/info`: `major.minor` for everyone, the full version for `view-statistics`.
fn server_info(shared: &Shared, caller: Option<&str>) -> Reply {
    let world = lock(&shared.world);
    let admin = caller
        .and_then(|id| world.users.iter().find(|user| user.id == id))
        .is_some_and(|user| user.roles.iter().any(|role| role == "admin"));
    if admin {
        Reply::ok(json!({"version": crate::SERVER_VERSION, "info": {"version": crate::SERVER_VERSION}}))
    } else {
        let trimmed: Vec<&str> = crate::SERVER_VERSION.split('.').take(2).collect();
        Reply::ok(json!({"version": trimmed.join(".")}))
    }
}

fn match_path(segments: &[&str], path: &str) -> Option<HashMap<String, String>> {
    let given: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if given.len() != segments.len() {
        return None;
    }
    let mut values = HashMap::new();
    for (pattern, value) in segments.iter().zip(given) {
        match pattern.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')) {
            Some(name) => {
                values.insert(name.to_owned(), percent_decode(value));
            }
            None if *pattern == value => {}
            None => return None,
        }
    }
    Some(values)
}

/// `application/x-www-form-urlencoded` pairs, as in a query string.
fn form_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).map(|(key, value)| (key.into_owned(), value.into_owned())).collect()
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_spec_is_routed() {
        let specs = spec::operations().unwrap();
        let routes = routes();
        assert_eq!(routes.len(), specs.len());
        for route in &routes {
            assert!(specs.contains_key(route.id), "{} has no spec entry", route.id);
        }
    }

    #[test]
    fn the_record_keeps_no_secret() {
        let body = json!({"user": "a", "password": "p", "nested": [{"code": "1", "authToken": "t"}]});
        assert_eq!(
            redacted(body),
            json!({"user": "a", "password": "<redacted>", "nested": [{"code": "<redacted>", "authToken": "<redacted>"}]})
        );
    }

    #[test]
    fn paths_match_segment_by_segment() {
        assert_eq!(match_path(&["api", "v1", "groups.kick"], "/api/v1/groups.kick"), Some(HashMap::new()));
        assert_eq!(match_path(&["api", "v1", "groups.kick"], "/api/v1/groups.kick/x"), None);
        let values = match_path(&["api", "v1", "users", "{id}"], "/api/v1/users/a%20b").unwrap();
        assert_eq!(values["id"], "a b");
    }
}
