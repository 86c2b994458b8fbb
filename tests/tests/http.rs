//! The four endpoints over real HTTP on 127.0.0.1: the exact request each call sends, the
//! decoding of each documented response, and each error status mapped to its variant.

use rocketchat::types::{
    GroupChanged, GroupsGetIntegrationsParams, GroupsKickRequest, GroupsLeaveRequest, GroupsRemoveLeaderRequest, Room,
    RoomType, Success, SystemMessages, Team, TeamsLeaveRequest, User,
};
use rocketchat::{Client, Credentials, Error, ErrorType, Transport};
use serde_json::json;
use std::time::{Duration, UNIX_EPOCH};
use workspace_tests::{Recorded, Reply, Server};

const USER_ID: &str = "rbAXPnMktTFbNpwtJ";
const TOKEN: &str = "RScctEHSmLGZGywfIhWyRpyofhKOiMoUIpimhvheU3f";

fn client(base_url: &str) -> Client {
    Client::new(base_url, Credentials::new(USER_ID, TOKEN)).expect("a valid base URL")
}

fn ok() -> Reply {
    Reply::json(200, &json!({"success": true}))
}

/// What every call sends: the method, the path, both auth headers and a JSON body.
fn assert_request(request: &Recorded, path: &str, body: serde_json::Value) {
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, path);
    assert_eq!(request.header("x-user-id"), USER_ID);
    assert_eq!(request.header("x-auth-token"), TOKEN);
    assert_eq!(request.header("content-type"), "application/json");
    assert_eq!(request.header("content-length"), request.body.len().to_string());
    assert_eq!(request.json(), body, "request body of {path}");
}

#[tokio::test]
async fn teams_leave_sends_exactly_one_team_key_and_leaves_out_absent_rooms() {
    let server = Server::start(vec![ok()]).await;
    let request = TeamsLeaveRequest { team: Team::Name("team1".into()), rooms: None };
    let success = client(&server.url()).teams_leave(&request).await.unwrap();
    assert_eq!(success, Success { success: true });
    assert_request(&server.only_request(), "/api/v1/teams.leave", json!({"teamName": "team1"}));
}

#[tokio::test]
async fn teams_leave_sends_rooms_when_given() {
    let server = Server::start(vec![ok()]).await;
    let request = TeamsLeaveRequest { team: Team::Id("T1".into()), rooms: Some(vec!["8dugqGhuRvCBLdZft".into()]) };
    client(&server.url()).teams_leave(&request).await.unwrap();
    assert_request(
        &server.only_request(),
        "/api/v1/teams.leave",
        json!({"teamId": "T1", "rooms": ["8dugqGhuRvCBLdZft"]}),
    );
}

#[tokio::test]
async fn groups_leave_by_id_and_by_name() {
    let server = Server::start(vec![ok()]).await;
    let client = client(&server.url());
    client.groups_leave(&GroupsLeaveRequest { room: Room::Id("ByehQjC44FwMeiLbX".into()) }).await.unwrap();
    client.groups_leave(&GroupsLeaveRequest { room: Room::Name("invite-me".into()) }).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_request(&requests[0], "/api/v1/groups.leave", json!({"roomId": "ByehQjC44FwMeiLbX"}));
    assert_request(&requests[1], "/api/v1/groups.leave", json!({"roomName": "invite-me"}));
}

#[tokio::test]
async fn groups_remove_leader_sends_room_and_user() {
    let server = Server::start(vec![ok()]).await;
    let request =
        GroupsRemoveLeaderRequest { room: Room::Name("invite-me".into()), user: User::Username("testing2".into()) };
    let success = client(&server.url()).groups_remove_leader(&request).await.unwrap();
    assert!(success.success);
    assert_request(
        &server.only_request(),
        "/api/v1/groups.removeLeader",
        json!({"roomName": "invite-me", "username": "testing2"}),
    );
}

#[tokio::test]
async fn groups_kick_sends_room_and_user() {
    let server = Server::start(vec![ok()]).await;
    let request =
        GroupsKickRequest { room: Room::Id("ByehQjC44FwMeiLbX".into()), user: User::Id("nSYqWzZ4GsKTX4dyK".into()) };
    let changed = client(&server.url()).groups_kick(&request).await.unwrap();
    assert_eq!(changed, GroupChanged { success: true, group: None });
    assert_request(
        &server.only_request(),
        "/api/v1/groups.kick",
        json!({"roomId": "ByehQjC44FwMeiLbX", "userId": "nSYqWzZ4GsKTX4dyK"}),
    );
}

#[tokio::test]
async fn a_base_url_with_a_sub_path_keeps_it_with_or_without_trailing_slash() {
    for suffix in ["/chat", "/chat/"] {
        let server = Server::start(vec![ok()]).await;
        let client = client(&format!("{}{suffix}", server.url()));
        client.groups_leave(&GroupsLeaveRequest { room: Room::Id("R1".into()) }).await.unwrap();
        assert_request(&server.only_request(), "/chat/api/v1/groups.leave", json!({"roomId": "R1"}));
    }
}

#[tokio::test]
async fn the_documented_group_body_decodes_with_unknown_fields_kept() {
    let body = json!({
        "success": true,
        "group": {
            "_id": "ByehQjC44FwMeiLbX", "name": "invite-me", "t": "p", "usernames": ["testing2"], "msgs": 0,
            "u": {"_id": "aobEdbYhXfu5hkeqG", "username": "testing1"},
            "ts": "2016-12-09T15:08:58.042Z", "ro": false, "sysMes": true,
            "_updatedAt": "2016-12-09T15:22:40.656Z", "lastMessage": {"_id": "M1", "msg": "hi", "pinned": false},
            "t2": "new"
        }
    });
    let server = Server::start(vec![Reply::json(200, &body)]).await;
    let request = GroupsKickRequest { room: Room::Id("ByehQjC44FwMeiLbX".into()), user: User::Id("U".into()) };
    let changed = client(&server.url()).groups_kick(&request).await.unwrap();
    let group = changed.group.expect("the group object");
    assert_eq!(group.id, "ByehQjC44FwMeiLbX");
    assert_eq!(group.t, Some(RoomType::P));
    assert_eq!(group.u.expect("owner").username.as_deref(), Some("testing1"));
    assert_eq!(group.sys_mes, Some(SystemMessages::Bool(true)));
    let last_message = group.last_message.expect("the last message");
    assert_eq!((last_message.id.as_str(), last_message.msg.as_deref()), ("M1", Some("hi")));
    assert_eq!(last_message.additional_properties["pinned"], json!(false));
    assert_eq!(group.additional_properties["t2"], json!("new"));
}

#[tokio::test]
async fn a_current_room_object_decodes_with_system_messages_as_a_list() {
    let body = json!({"success": true, "group": {"_id": "R1", "sysMes": ["uj", "ul"], "usersCount": 2}});
    let server = Server::start(vec![Reply::json(200, &body)]).await;
    let request = GroupsKickRequest::new(Room::Id("R1".into()), User::Id("U".into()));
    let group = client(&server.url()).groups_kick(&request).await.unwrap().group.expect("the group object");
    assert_eq!(group.sys_mes, Some(SystemMessages::List(vec!["uj".into(), "ul".into()])));
    assert_eq!(group.users_count, Some(2));
}

async fn error_for(reply: Reply) -> Error {
    let server = Server::start(vec![reply]).await;
    let request = GroupsLeaveRequest { room: Room::Id("R1".into()) };
    client(&server.url()).groups_leave(&request).await.expect_err("the call fails")
}

#[tokio::test]
async fn a_400_is_an_api_error_with_type_and_details() {
    let error = error_for(Reply::json(
        400,
        &json!({"success": false, "error": "You are the last owner. Please set new owner before leaving the room. [error-you-are-last-owner]",
                "errorType": "error-you-are-last-owner", "details": {"method": "leaveRoom"}}),
    ))
    .await;
    let Error::Api(api) = &error else { panic!("expected Error::Api, got {error:?}") };
    assert_eq!(api.status, 400);
    assert_eq!(api.error_type.as_deref(), Some("error-you-are-last-owner"));
    assert_eq!(ErrorType::of(&error), Some(ErrorType::YouAreLastOwner));
    assert_eq!(api.details, Some(json!({"method": "leaveRoom"})));
    assert!(error.message().unwrap().starts_with("You are the last owner."));
}

#[tokio::test]
async fn a_400_without_error_type_keeps_the_text_and_an_unknown_type_is_kept() {
    let error = error_for(Reply::json(400, &json!({"success": false, "error": "Invalid user"}))).await;
    assert!(matches!(&error, Error::Api(api) if api.error_type.is_none() && api.details.is_none()));
    assert_eq!(error.message(), Some("Invalid user"));

    let error =
        error_for(Reply::json(400, &json!({"success": false, "error": "x", "errorType": "error-from-9"}))).await;
    assert_eq!(ErrorType::of(&error), Some(ErrorType::Unknown("error-from-9".into())));
}

#[tokio::test]
async fn a_401_in_either_shape_is_unauthorized() {
    let documented = json!({"status": "error", "message": "You must be logged in to do this."});
    let current = json!({"success": false, "error": "You must be logged in to do this.", "status": "error", "message": "You must be logged in to do this."});
    for body in [documented, current] {
        let error = error_for(Reply::json(401, &body)).await;
        assert!(matches!(error, Error::Unauthorized(_)), "{error:?}");
        assert_eq!(error.message(), Some("You must be logged in to do this."));
    }
}

#[tokio::test]
async fn a_403_in_either_shape_is_forbidden() {
    let long = "User does not have the permissions required for this action [error-unauthorized]";
    for (text, code) in [(long, ErrorType::Unauthorized), ("unauthorized", ErrorType::UnauthorizedShort)] {
        let error = error_for(Reply::json(403, &json!({"success": false, "error": text}))).await;
        assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
        assert_eq!(ErrorType::of(&error), Some(code));
    }
}

/// Rocket.Chat refuses for want of a permission with a 403 or, from many handlers, a 400 with
/// one of several codes; `is_permission_denied` answers for all of them, and for nothing else.
#[tokio::test]
async fn a_refused_permission_is_known_by_its_status_or_code() {
    let refused = [
        Reply::json(403, &json!({"success": false, "error": "unauthorized"})),
        Reply::json(400, &json!({"success": false, "error": "Not allowed", "errorType": "error-not-allowed"})),
        Reply::json(400, &json!({"success": false, "error": "Not authorized", "errorType": "error-not-authorized"})),
        Reply::json(
            400,
            &json!({"success": false, "error": "Editing room is not allowed", "errorType": "error-action-not-allowed"}),
        ),
        // `groups.addAll`: the code is the number 403, so the one in the message counts.
        Reply::json(
            400,
            &json!({"success": false, "error": "Access to Method Forbidden [403]", "errorType": 403, "details": {"method": "addAllToRoom"}}),
        ),
    ];
    for reply in refused {
        let error = error_for(reply).await;
        assert!(error.is_permission_denied(), "{error:?}");
    }
    let other = [
        Reply::json(400, &json!({"success": false, "error": "Room not found", "errorType": "error-room-not-found"})),
        Reply::json(401, &json!({"status": "error", "message": "You must be logged in to do this."})),
        Reply::raw(404, "text/plain", "404 Not Found"),
    ];
    for reply in other {
        let error = error_for(reply).await;
        assert!(!error.is_permission_denied(), "{error:?}");
    }
}

#[tokio::test]
async fn a_429_is_rate_limited_with_the_header_values() {
    let body = json!({"success": false, "error": "Error, too many requests. Please slow down. You must wait 10 seconds before trying this endpoint again. [error-too-many-requests]"});
    let reply = Reply::json(429, &body)
        .header("X-RateLimit-Limit", "10")
        .header("X-RateLimit-Remaining", "0")
        .header("X-RateLimit-Reset", "1764072000123");
    let error = error_for(reply).await;
    assert!(matches!(error, Error::RateLimited(_)), "{error:?}");
    assert_eq!(ErrorType::of(&error), Some(ErrorType::TooManyRequests));
    let rate_limit = error.rate_limit().expect("rate-limit headers");
    assert_eq!((rate_limit.limit, rate_limit.remaining), (Some(10), Some(0)));
    assert_eq!(rate_limit.reset, Some(UNIX_EPOCH + Duration::from_millis(1_764_072_000_123)));
}

#[tokio::test]
async fn other_statuses_keep_their_raw_body() {
    let error = error_for(Reply::raw(404, "text/plain", "404 Not Found")).await;
    let Error::Status(api) = &error else { panic!("expected Error::Status, got {error:?}") };
    assert_eq!((api.status.as_u16(), api.body.as_str()), (404, "404 Not Found"));

    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let error = error_for(Reply::raw(502, "text/html", html)).await;
    assert!(matches!(&error, Error::Status(api) if api.body == html), "{error:?}");

    let error = error_for(Reply::raw(503, "application/json", "")).await;
    assert!(matches!(&error, Error::Status(api) if api.body.is_empty()), "{error:?}");

    let error = error_for(Reply::json(500, &json!({"success": false, "error": "Internal error"}))).await;
    assert!(matches!(&error, Error::Api(api) if api.status == 500), "{error:?}");
}

#[tokio::test]
async fn an_undecodable_success_body_reports_status_and_body_start() {
    let error = error_for(Reply::raw(200, "application/json", "{\"success\": tru")).await;
    let Error::Decode { status, body_start, .. } = &error else { panic!("expected Error::Decode, got {error:?}") };
    assert_eq!((status.as_u16(), body_start.as_str()), (200, "{\"success\": tru"));

    let error = error_for(Reply::json(200, &json!({"success": "yes"}))).await;
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let error = client(&url).groups_leave(&GroupsLeaveRequest { room: Room::Id("R1".into()) }).await.unwrap_err();
    let Error::Transport { endpoint, .. } = &error else { panic!("expected Error::Transport, got {error:?}") };
    assert_eq!(
        (endpoint.operation, endpoint.url.as_str()),
        ("groups.leave", format!("{url}/api/v1/groups.leave").as_str())
    );
    assert!(
        error.to_string().starts_with(&format!("groups.leave (POST {url}/api/v1/groups.leave): transport error: "))
    );
}

#[test]
fn an_invalid_base_url_fails_when_the_client_is_built() {
    for url in ["chat.example.com", "ftp://example.com", "https://example.com/?q=1"] {
        let error = Client::new(url, Credentials::new(USER_ID, TOKEN)).unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{url}: {error:?}");
    }
}

#[tokio::test]
async fn the_token_appears_in_no_debug_or_display_output() {
    let error = Client::new("https://bob:hunter2@example.com", Credentials::new(USER_ID, TOKEN)).unwrap_err();
    let text = format!("{error:?} {error}");
    assert!(matches!(error, Error::Config(_)) && !text.contains("hunter2"), "{text}");
    let server = Server::start(vec![Reply::json(401, &json!({"status": "error", "message": "no"}))]).await;
    let client = self::client(&server.url());
    let error = client.groups_leave(&GroupsLeaveRequest { room: Room::Id("R1".into()) }).await.unwrap_err();
    for text in [format!("{client:?}"), format!("{error:?}"), error.to_string()] {
        assert!(!text.contains(TOKEN), "the token leaked into {text}");
    }
}

#[tokio::test]
async fn groups_info_sends_the_room_as_its_own_query_key_and_no_body() {
    let body = json!({"success": true, "group": {"_id": "ByehQjC44FwMeiLbX", "name": "invite-me", "t": "p"}});
    let server = Server::start(vec![Reply::json(200, &body), Reply::json(200, &body)]).await;
    let client = client(&server.url());
    let by_name = rocketchat::types::GroupsInfoParams::new(Room::Name("invite me".into()));
    let group = client.groups_info(&by_name).await.unwrap().group;
    assert_eq!(group.name.as_deref(), Some("invite-me"));
    client.groups_info(&rocketchat::types::GroupsInfoParams::new(Room::Id("R1".into()))).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/api/v1/groups.info?roomName=invite+me");
    assert_eq!(requests[1].target, "/api/v1/groups.info?roomId=R1");
    assert!(requests[0].body.is_empty());
    assert_eq!(requests[0].header("x-auth-token"), TOKEN);
    assert!(requests[0].headers.iter().all(|(name, _)| name != "content-type"), "a GET has no body to type");
}

#[tokio::test]
async fn a_request_the_spec_forbids_is_refused_before_sending() {
    let server = Server::start(vec![ok()]).await;
    let client = client(&server.url());
    let empty = TeamsLeaveRequest { rooms: Some(vec![]), ..TeamsLeaveRequest::new(Team::Name("team1".into())) };
    let error = client.teams_leave(&empty).await.expect_err("refused");
    let Error::InvalidRequest(invalid) = &error else { panic!("{error:?}") };
    assert_eq!((invalid.operation, invalid.field.as_str()), ("teams.leave", "rooms"));
    assert_eq!(error.to_string(), "teams.leave: not sent: `rooms` must have at least 1 item (minItems)");

    let twice = TeamsLeaveRequest {
        rooms: Some(vec!["R1".into(), "R1".into()]),
        ..TeamsLeaveRequest::new(Team::Id("T".into()))
    };
    let error = client.teams_leave(&twice).await.expect_err("refused");
    assert!(error.to_string().contains("`rooms` must not repeat an item (uniqueItems)"), "{error}");

    let members = rocketchat::types::TeamsAddMembersRequest::new(Team::Name("team1".into()), vec![]);
    let error = client.teams_add_members(&members).await.expect_err("refused");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    // Nothing reached the server; a valid request still does.
    client.teams_leave(&TeamsLeaveRequest::new(Team::Name("team1".into()))).await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn groups_create_sends_its_body_and_decodes_the_new_group() {
    let created = json!({"success": true, "group": {
        "_id": "NtR6RQ7NvzA9ejecX", "fname": "planning", "name": "planning", "t": "p", "msgs": 0, "usersCount": 2,
        "u": {"_id": "aobEdbYhXfu5hkeqG", "username": "testing1", "name": "Testing One"},
        "customFields": {}, "ts": "2024-05-21T13:16:24.772Z", "ro": false, "default": false, "sysMes": true,
        "_updatedAt": "2024-05-21T13:16:24.772Z"
    }});
    let server = Server::start(vec![Reply::json(200, &created)]).await;
    let request = rocketchat::types::GroupsCreateRequest {
        members: Some(vec!["testing2".into()]),
        ..rocketchat::types::GroupsCreateRequest::new("planning".into())
    };
    let group = client(&server.url()).groups_create(&request).await.unwrap().group;
    assert_eq!((group.id.as_str(), group.users_count), ("NtR6RQ7NvzA9ejecX", Some(2)));
    assert_eq!(group.u.unwrap().additional_properties.get("name"), None, "`name` is a field of its own now");
    assert_request(
        &server.only_request(),
        "/api/v1/groups.create",
        json!({"name": "planning", "members": ["testing2"]}),
    );
}

#[tokio::test]
async fn any_operation_can_return_its_status_and_rate_limit_beside_the_value() {
    let body = json!({"success": true, "group": {"_id": "R1"}});
    let reply = Reply::json(200, &body).header("X-RateLimit-Limit", "10").header("X-RateLimit-Remaining", "7");
    let server = Server::start(vec![reply]).await;
    let params = rocketchat::types::GroupsInfoParams::new(Room::Id("R1".into()));
    let response = client(&server.url()).transport().send::<rocketchat::operations::GroupsInfo>(&params).await.unwrap();
    assert_eq!(response.status, rocketchat::StatusCode::OK);
    assert_eq!(response.value.group.id, "R1");
    let rate_limit = response.rate_limit.expect("rate-limit headers");
    assert_eq!((rate_limit.limit, rate_limit.remaining), (Some(10), Some(7)));
    assert_eq!(server.only_request().target, "/api/v1/groups.info?roomId=R1");
}

/// reqwest comes without a rustls crypto provider (`rustls-no-provider`) and panics when it
/// needs one: building a transport installs ring first, for the async and blocking clients.
#[test]
fn a_transport_for_an_https_server_builds_without_a_provider_installed_by_the_program() {
    let https = Transport::builder("https://chat.example.com", Credentials::new(USER_ID, TOKEN)).build();
    assert!(https.is_ok(), "{https:?}");
    let blocking = Transport::builder("https://chat.example.com", Credentials::new(USER_ID, TOKEN)).build_blocking();
    assert!(blocking.is_ok(), "{blocking:?}");
}

/// An incoming webhook's token is the secret part of its URL: it stays out of the decoded
/// value's `Debug` output, and out of the error when the body does not decode.
#[tokio::test]
async fn a_webhook_token_stays_out_of_debug_output_and_errors() {
    const WEBHOOK_TOKEN: &str = "xb8Kdi3MDNqwFsE5jQgP7R6Ld9ZHbXuNv2yTt4Ac";
    let integration = json!({"_id": "WMQDChpnYTRmFre9h", "type": "webhook-incoming", "token": WEBHOOK_TOKEN});
    let listed = json!({"integrations": [integration], "offset": 0, "count": 1, "total": 1, "success": true});
    // `integrations` must be a list: this body is refused with the token in it.
    let undecodable = json!({"integrations": integration, "offset": 0, "count": 1, "total": 1, "success": true});
    let server = Server::start(vec![Reply::json(200, &listed), Reply::json(200, &undecodable)]).await;
    let client = client(&server.url());
    let params = GroupsGetIntegrationsParams::new(Room::Name("project-x".into()));

    let response = client.groups_get_integrations(&params).await.unwrap();
    let token = response.integrations[0].token.as_ref().expect("the token is decoded");
    assert_eq!(token.expose(), WEBHOOK_TOKEN);
    assert!(!format!("{response:?}").contains(WEBHOOK_TOKEN), "{response:?}");

    let error = client.groups_get_integrations(&params).await.expect_err("the body does not decode");
    assert!(matches!(&error, Error::Decode { status, .. } if status.as_u16() == 200), "{error:?}");
    for output in [format!("{error:?}"), error.to_string()] {
        assert!(!output.contains(WEBHOOK_TOKEN), "{output}");
    }
}
