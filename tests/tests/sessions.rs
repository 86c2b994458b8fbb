//! Sessions over loopback HTTP: logging in (password, email, resume token, the spec's `login`
//! operation), logging out, two-factor challenges answered by a handler, logging in again on
//! an expired token, deprecation headers and the server-version check. Every secret is looked
//! for in every output.

use rocketchat::two_factor::{Answer, Challenge, Method, Reason};
use rocketchat::types::{GroupsLeaveRequest, LoginRequest, Room, TeamsLeaveRequest};
use rocketchat::{Client, Credentials, Error, ErrorType, Password, Secret, Transport, TransportBuilder};
use serde_json::json;
use std::sync::{Arc, Mutex};
use workspace_tests::{Capture, Recorded, Reply, Server};

const PASSWORD: &str = "correct-horse-battery";
const TOKEN: &str = "9HqLlyZOugoStsXCUfD_0YdwnNnunAJF8V47U3QHXSq";
const NEW_TOKEN: &str = "fresh-token-after-login-again";
const CODE: &str = "482915";

fn logged_in(token: &str) -> Reply {
    Reply::json(
        200,
        &json!({
            "status": "success",
            "data": {"userId": "aobEdbYhXfu5hkeqG", "authToken": token, "me": {"_id": "aobEdbYhXfu5hkeqG", "username": "alice"}},
            "success": true
        }),
    )
}

fn ok() -> Reply {
    Reply::json(200, &json!({"success": true}))
}

/// The 400 an ordinary route answers when it needs a second factor.
fn challenge(error_type: &str, details: serde_json::Value) -> Reply {
    let reason = if error_type == "totp-invalid" { "TOTP Invalid" } else { "TOTP Required" };
    Reply::json(
        400,
        &json!({"success": false, "error": format!("{reason} [{error_type}]"), "errorType": error_type, "details": details}),
    )
}

fn totp_details() -> serde_json::Value {
    json!({"method": "totp", "codeGenerated": false, "availableMethods": ["totp", "email"]})
}

fn expired() -> Reply {
    Reply::json(
        401,
        &json!({"success": false, "error": "You must be logged in to do this.", "status": "error", "message": "You must be logged in to do this."}),
    )
}

fn leave() -> GroupsLeaveRequest {
    GroupsLeaveRequest { room: Room::Name("project-x".into()) }
}

/// A handler that answers with `answers` in turn and records each challenge it was given.
fn scripted(
    answers: Vec<Answer>,
) -> (impl Fn(&Challenge) -> Answer + Send + Sync + 'static, Arc<Mutex<Vec<Challenge>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let answers = Mutex::new(answers.into_iter());
    let handler = move |challenge: &Challenge| {
        log.lock().unwrap().push(challenge.clone());
        answers.lock().unwrap().next().unwrap_or(Answer::GiveUp)
    };
    (handler, seen)
}

fn anonymous(server: &Server) -> TransportBuilder {
    Transport::anonymous(server.url())
}

fn has_no_credentials(request: &Recorded) -> bool {
    request.headers.iter().all(|(name, _)| name != "x-auth-token" && name != "x-user-id")
}

#[tokio::test]
async fn logging_in_by_user_name_gives_the_client_its_credentials() {
    let server = Server::start(vec![logged_in(TOKEN), ok()]).await;
    let transport = anonymous(&server).build().unwrap();
    let credentials = transport.log_in(&Password::new("alice", PASSWORD)).await.unwrap();
    assert_eq!(credentials.user_id(), "aobEdbYhXfu5hkeqG");
    // Kept, the token resumes the session later (`log_in_with_token`).
    assert_eq!(credentials.expose_auth_token(), TOKEN);
    Client::from_transport(transport).groups_leave(&leave()).await.unwrap();

    let requests = server.requests();
    let login = &requests[0];
    assert_eq!((login.method.as_str(), login.target.as_str()), ("POST", "/api/v1/login"));
    assert_eq!(login.header("content-type"), "application/json");
    assert_eq!(login.body, format!(r#"{{"user":"alice","password":"{PASSWORD}"}}"#).as_bytes());
    assert!(has_no_credentials(login), "an anonymous login sends no credentials: {:?}", login.headers);
    assert_eq!(requests[1].header("x-user-id"), "aobEdbYhXfu5hkeqG");
    assert_eq!(requests[1].header("x-auth-token"), TOKEN);
}

#[tokio::test]
async fn the_login_operation_of_the_spec_logs_in_too_by_email() {
    let server = Server::start(vec![logged_in(TOKEN), ok()]).await;
    let client = Client::from_transport(anonymous(&server).build().unwrap());
    let request = LoginRequest {
        email: Some("alice@example.com".into()),
        password: Some(Secret::new(PASSWORD)),
        ..LoginRequest::default()
    };
    let response = client.login(&request).await.unwrap();
    assert_eq!(response.data.user_id, "aobEdbYhXfu5hkeqG");
    assert_eq!(response.data.auth_token.expose(), TOKEN);
    client.groups_leave(&leave()).await.unwrap();

    let requests = server.requests();
    assert_eq!(requests[0].json(), json!({"email": "alice@example.com", "password": PASSWORD}));
    assert_eq!(requests[1].header("x-auth-token"), TOKEN);
}

#[tokio::test]
async fn a_wrong_password_is_unauthorized_and_leaves_the_client_logged_out() {
    let wrong = Reply::json(
        401,
        &json!({"success": false, "error": "Unauthorized", "status": "error", "message": "Unauthorized"}),
    );
    let server = Server::start(vec![wrong]).await;
    let transport = anonymous(&server).build().unwrap();
    let error = transport.log_in(&Password::new("alice", "wrong")).await.unwrap_err();
    assert!(matches!(&error, Error::Unauthorized(api) if api.message.as_deref() == Some("Unauthorized")), "{error:?}");
    assert!(transport.credentials().is_none());
}

#[tokio::test]
async fn a_resume_token_logs_in_without_a_password() {
    let server = Server::start(vec![logged_in(TOKEN)]).await;
    let transport = anonymous(&server).build().unwrap();
    transport.log_in_with_token(&Secret::new("old-resume-token")).await.unwrap();
    assert_eq!(server.only_request().json(), json!({"resume": "old-resume-token"}));
    assert_eq!(transport.credentials().unwrap().user_id(), "aobEdbYhXfu5hkeqG");
}

#[tokio::test]
async fn logging_out_invalidates_the_token_and_forgets_it() {
    // Servers since 7.4 answer logout with an empty body.
    let server = Server::start(vec![Reply::raw(200, "application/json", ""), ok()]).await;
    let transport = Transport::builder(server.url(), Credentials::new("u1", TOKEN)).build().unwrap();
    transport.log_out().await.unwrap();
    assert!(transport.credentials().is_none());
    let _ = Client::from_transport(transport).server_info().await;

    let requests = server.requests();
    assert_eq!((requests[0].method.as_str(), requests[0].target.as_str()), ("POST", "/api/v1/logout"));
    assert_eq!(requests[0].header("x-auth-token"), TOKEN);
    assert!(has_no_credentials(&requests[1]), "{:?}", requests[1].headers);
}

#[tokio::test]
async fn the_logout_operation_of_the_spec_forgets_the_token_too() {
    let old = json!({"status": "success", "data": {"message": "You've been logged out!"}});
    let server = Server::start(vec![Reply::json(200, &old)]).await;
    let client = Client::new(&server.url(), Credentials::new("u1", TOKEN)).unwrap();
    client.logout().await.unwrap();
    assert!(client.transport().credentials().is_none());
}

#[tokio::test]
async fn me_says_who_the_client_is() {
    let me = json!({"_id": "aobEdbYhXfu5hkeqG", "username": "alice", "name": "Alice", "active": true,
        "roles": ["user"], "emails": [{"address": "alice@example.com", "verified": true}],
        "settings": {"preferences": {"useEmojis": true}}, "success": true});
    let server = Server::start(vec![Reply::json(200, &me)]).await;
    let client = Client::new(&server.url(), Credentials::new("u1", TOKEN)).unwrap();
    let me = client.me().await.unwrap();
    assert_eq!((me.id.as_str(), me.username.as_deref()), ("aobEdbYhXfu5hkeqG", Some("alice")));
    assert_eq!(server.only_request().target, "/api/v1/me");
}

#[tokio::test]
async fn a_challenged_call_is_answered_by_the_handler_and_sent_again_with_the_code() {
    let server = Server::start(vec![challenge("totp-required", totp_details()), ok()]).await;
    let (handler, seen) = scripted(vec![Answer::code(CODE)]);
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).two_factor_handler(handler).build().unwrap();
    Client::from_transport(transport).groups_leave(&leave()).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].operation, "groups.leave");
    assert_eq!(seen[0].method, Method::Totp);
    assert_eq!(seen[0].available, [Method::Totp, Method::Email]);
    assert_eq!((seen[0].attempt, seen[0].code_refused), (1, false));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert!(requests[0].headers.iter().all(|(name, _)| name != "x-2fa-code"));
    assert_eq!(requests[1].header("x-2fa-code"), CODE);
    assert_eq!(requests[1].header("x-2fa-method"), "totp");
    assert_eq!(requests[1].body, requests[0].body, "the same call, sent again");
}

#[tokio::test]
async fn a_refused_code_asks_the_handler_again() {
    let replies = vec![challenge("totp-required", totp_details()), challenge("totp-invalid", totp_details()), ok()];
    let server = Server::start(replies).await;
    let (handler, seen) = scripted(vec![Answer::code("000000"), Answer::code(CODE)]);
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).two_factor_handler(handler).build().unwrap();
    Client::from_transport(transport).groups_leave(&leave()).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.iter().map(|c| (c.attempt, c.code_refused)).collect::<Vec<_>>(), [(1, false), (2, true)]);
    let requests = server.requests();
    assert_eq!(requests[1].header("x-2fa-code"), "000000");
    assert_eq!(requests[2].header("x-2fa-code"), CODE);
}

#[tokio::test]
async fn the_email_method_can_ask_for_a_code_to_be_sent() {
    let details = json!({"method": "email", "emailOrUsername": "alice", "codeGenerated": false,
        "codeExpires": "2026-11-28T11:00:00.000Z", "availableMethods": ["email"]});
    let server = Server::start(vec![challenge("totp-required", details), ok(), ok()]).await;
    let (handler, seen) = scripted(vec![Answer::SendEmailCode, Answer::code(CODE)]);
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).two_factor_handler(handler).build().unwrap();
    Client::from_transport(transport).groups_leave(&leave()).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[0].method, Method::Email);
    assert_eq!(seen[0].code_expires.as_deref(), Some("2026-11-28T11:00:00.000Z"));
    assert_eq!((seen[0].code_generated, seen[1].code_generated), (Some(false), Some(true)));
    let requests = server.requests();
    assert_eq!(requests[1].target, "/api/v1/users.2fa.sendEmailCode");
    assert_eq!(requests[1].json(), json!({"emailOrUsername": "alice"}));
    assert_eq!((requests[2].header("x-2fa-code"), requests[2].header("x-2fa-method")), (CODE, "email"));
}

#[tokio::test]
async fn a_handler_that_gives_up_fails_the_call_with_the_challenge() {
    let server = Server::start(vec![challenge("totp-required", totp_details())]).await;
    let (handler, _) = scripted(vec![Answer::GiveUp]);
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).two_factor_handler(handler).build().unwrap();
    let error = Client::from_transport(transport).groups_leave(&leave()).await.unwrap_err();
    let Error::TwoFactor(failure) = &error else { panic!("expected Error::TwoFactor, got {error:?}") };
    assert_eq!(failure.reason, Reason::GaveUp);
    assert_eq!(failure.challenge.method, Method::Totp);
    assert_eq!(ErrorType::of(&error), Some(ErrorType::TotpRequired));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn codes_run_out_after_the_allowed_attempts() {
    let server =
        Server::start(vec![challenge("totp-required", totp_details()), challenge("totp-invalid", totp_details())])
            .await;
    let (handler, seen) = scripted(vec![Answer::code("1"), Answer::code("2"), Answer::code("3")]);
    let transport = Transport::builder(server.url(), Credentials::new("u1", TOKEN))
        .two_factor_handler(handler)
        .max_two_factor_attempts(2)
        .build()
        .unwrap();
    let error = Client::from_transport(transport).groups_leave(&leave()).await.unwrap_err();
    let Error::TwoFactor(failure) = &error else { panic!("expected Error::TwoFactor, got {error:?}") };
    assert_eq!(failure.reason, Reason::AttemptsExhausted);
    assert!(failure.challenge.code_refused);
    assert_eq!(seen.lock().unwrap().len(), 2, "two codes asked for");
    assert_eq!(server.requests().len(), 3, "the call, then once with each code");
}

#[tokio::test]
async fn the_password_method_sends_the_password_hashed_as_the_server_checks_it() {
    let details = json!({"method": "password", "codeGenerated": false, "availableMethods": []});
    let server = Server::start(vec![challenge("totp-required", details), ok()]).await;
    let (handler, _) = scripted(vec![Answer::code("meteor")]);
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).two_factor_handler(handler).build().unwrap();
    Client::from_transport(transport).groups_leave(&leave()).await.unwrap();
    let requests = server.requests();
    // SHA-256 of "meteor", as packages/sha256's tests pin it.
    assert_eq!(requests[1].header("x-2fa-code"), "647d177cca8601046a3cb39e12f55bec5790bfcbc42199dd5fcf063200fac1d0");
    assert_eq!(requests[1].header("x-2fa-method"), "password");
}

#[tokio::test]
async fn login_answers_its_challenge_too() {
    // Login's challenge is a 401 whose `error` is the code (no `errorType`).
    let required = Reply::json(
        401,
        &json!({"success": false, "error": "totp-required", "status": "error",
            "details": {"method": "totp", "codeGenerated": false, "availableMethods": ["totp"]}, "message": "TOTP Required"}),
    );
    let server = Server::start(vec![required, logged_in(TOKEN)]).await;
    let (handler, seen) = scripted(vec![Answer::code(CODE)]);
    let transport = anonymous(&server).two_factor_handler(handler).build().unwrap();
    transport.log_in(&Password::new("alice", PASSWORD)).await.unwrap();
    assert_eq!(seen.lock().unwrap()[0].operation, "login");
    let requests = server.requests();
    assert_eq!(requests[1].header("x-2fa-code"), CODE);
    assert_eq!(requests[1].body, requests[0].body);
    assert_eq!(transport.credentials().unwrap().user_id(), "aobEdbYhXfu5hkeqG");
}

#[tokio::test]
async fn an_expired_token_logs_in_again_once_and_repeats_the_call() {
    let server = Server::start(vec![logged_in(TOKEN), expired(), logged_in(NEW_TOKEN), ok()]).await;
    let transport = anonymous(&server).log_in_again_on_expiry().build().unwrap();
    transport.log_in(&Password::new("alice", PASSWORD)).await.unwrap();
    Client::from_transport(transport).groups_leave(&leave()).await.unwrap();

    let requests = server.requests();
    let targets: Vec<&str> = requests.iter().map(|request| request.target.as_str()).collect();
    assert_eq!(targets, ["/api/v1/login", "/api/v1/groups.leave", "/api/v1/login", "/api/v1/groups.leave"]);
    assert_eq!(requests[2].body, requests[0].body, "the same login, repeated");
    assert_eq!(requests[3].header("x-auth-token"), NEW_TOKEN);
}

#[tokio::test]
async fn logging_in_again_happens_at_most_once_per_call() {
    let server = Server::start(vec![logged_in(TOKEN), expired(), logged_in(NEW_TOKEN), expired()]).await;
    let transport = anonymous(&server).log_in_again_on_expiry().build().unwrap();
    transport.log_in(&Password::new("alice", PASSWORD)).await.unwrap();
    let error = Client::from_transport(transport).groups_leave(&leave()).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_client_built_from_a_token_never_logs_in() {
    let server = Server::start(vec![expired()]).await;
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).log_in_again_on_expiry().build().unwrap();
    let error = Client::from_transport(transport).groups_leave(&leave()).await.unwrap_err();
    assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn no_secret_appears_in_any_output() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let required = Reply::json(
        401,
        &json!({"success": false, "error": "totp-required", "status": "error",
            "details": {"method": "totp", "availableMethods": ["totp"]}, "message": "TOTP Required"}),
    );
    // A login response that holds a token but does not decode as the spec says.
    let broken = Reply::json(200, &json!({"status": 5, "data": {"userId": "u1", "authToken": TOKEN}}));
    let server = Server::start(vec![required, logged_in(TOKEN), broken, Reply::raw(200, "application/json", "")]).await;
    let (handler, _) = scripted(vec![Answer::code(CODE)]);
    let transport = anonymous(&server).two_factor_handler(handler).log_in_again_on_expiry().build().unwrap();
    let password = Password::new("alice", PASSWORD);
    transport.log_in(&password).await.unwrap();
    let client = Client::from_transport(transport.clone());
    let request =
        LoginRequest { user: Some("alice".into()), password: Some(Secret::new(PASSWORD)), ..LoginRequest::default() };
    let decode_error = client.login(&request).await.unwrap_err();
    assert!(matches!(decode_error, Error::Decode { .. }), "{decode_error:?}");
    client.logout().await.unwrap();

    let mut outputs = vec![
        capture.text(),
        format!("{transport:?}"),
        format!("{client:?}"),
        format!("{password:?}"),
        format!("{request:?}"),
        format!("{decode_error:?}"),
        decode_error.to_string(),
        format!("{:?}", Answer::code(CODE)),
        format!("{:?}", Credentials::new("u1", TOKEN)),
    ];
    let response = rocketchat::types::LoginResponseData {
        user_id: "u1".into(),
        auth_token: Secret::new(TOKEN),
        me: serde_json::from_value(json!({"_id": "u1"})).unwrap(),
    };
    outputs.push(format!("{response:?}"));
    for output in &outputs {
        for secret in [PASSWORD, TOKEN, CODE] {
            assert!(!output.contains(secret), "{secret} in {output}");
        }
    }
    assert!(capture.text().contains("rocketchat.call"), "the capture saw the calls");
}

#[tokio::test]
async fn deprecations_are_reported_once_and_returned_with_the_response() {
    let deprecated = ok()
        .header("x-deprecation-type", "endpoint-deprecation")
        .header(
            "x-deprecation-message",
            "The endpoint \"/api/v1/groups.leave\" is deprecated and will be removed on version 9.0.0",
        )
        .header("x-deprecation-version", "9.0.0");
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let server = Server::start(vec![deprecated]).await;
    let transport = Transport::builder(server.url(), Credentials::new("u1", TOKEN)).build().unwrap();
    let response = transport.send::<rocketchat::operations::GroupsLeave>(&leave()).await.unwrap();
    let deprecation = response.deprecation.expect("the response says it is deprecated");
    assert_eq!((deprecation.kind.as_str(), deprecation.version.as_deref()), ("endpoint-deprecation", Some("9.0.0")));
    transport.send::<rocketchat::operations::GroupsLeave>(&leave()).await.unwrap();
    let warnings = capture.text().matches("is deprecated and will be removed").count();
    assert_eq!(warnings, 1, "one warning per operation: {}", capture.text());
}

#[tokio::test]
async fn the_version_check_refuses_what_the_server_is_too_old_for() {
    // teams.leave came with 3.13.0.
    let server = Server::start(vec![Reply::json(200, &json!({"version": "3.12", "success": true}))]).await;
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).check_server_version().build().unwrap();
    let client = Client::from_transport(transport);
    let request = TeamsLeaveRequest::new(rocketchat::types::Team::Name("t1".into()));
    for _ in 0..2 {
        let error = client.teams_leave(&request).await.unwrap_err();
        let Error::UnsupportedByServer { operation, server_version, added_in, .. } = &error else {
            panic!("expected Error::UnsupportedByServer, got {error:?}")
        };
        assert_eq!((*operation, server_version.as_str(), *added_in), ("teams.leave", "3.12", Some("3.13.0")));
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the version is asked once, and nothing is sent: {requests:?}");
    assert_eq!(requests[0].target, "/api/info");
}

#[tokio::test]
async fn the_version_check_allows_what_the_server_has() {
    let server = Server::start(vec![Reply::json(200, &json!({"version": "8.1", "success": true})), ok()]).await;
    let transport =
        Transport::builder(server.url(), Credentials::new("u1", TOKEN)).check_server_version().build().unwrap();
    let client = Client::from_transport(transport);
    client.groups_leave(&leave()).await.unwrap();
    client.groups_leave(&leave()).await.unwrap();
    assert_eq!(client.transport().server_version().as_deref(), Some("8.1"));
    let targets: Vec<String> = server.requests().into_iter().map(|request| request.target).collect();
    assert_eq!(targets, ["/api/info", "/api/v1/groups.leave", "/api/v1/groups.leave"]);
}
