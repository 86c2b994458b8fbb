//! End-to-end scenarios through the generated client against the fake Rocket.Chat: the
//! server's rules and error bodies, paging, faults, sessions. (The loopback tests of exact
//! bytes are in `http.rs`; these check behaviour across calls.)

use rocketchat::two_factor::{Answer, Challenge};
use rocketchat::types::{
    GroupsAddLeaderRequest, GroupsCreateRequest, GroupsInviteRequest, GroupsKickRequest, GroupsLeaveRequest,
    GroupsMembersParams, GroupsRemoveLeaderRequest, Room, Team, TeamMemberParams, TeamType, TeamsAddMembersRequest,
    TeamsAddRoomsRequest, TeamsCreateRequest, TeamsLeaveRequest, TeamsListChildrenParams, TeamsListChildrenSelector,
    TeamsListChildrenType, TeamsListRoomsParams, TeamsMembersParams, TeamsRemoveMemberRequest, User,
};
use rocketchat::{Client, Credentials, Error, ErrorType, Password, RetryPolicy, Transport};
use rocketchat_fake::{FakeRocketChat, Fault, UnauthorizedShape};
use serde_json::json;
use std::time::Duration;

fn client(fake: &FakeRocketChat, credentials: Credentials) -> Client {
    Client::new(fake.url(), credentials).unwrap()
}

fn room(name: &str) -> Room {
    Room::Name(name.into())
}

fn user(name: &str) -> User {
    User::Username(name.into())
}

#[tokio::test]
async fn a_group_lives_through_invite_leader_kick_and_leave_with_the_servers_rules() {
    let fake = FakeRocketChat::start().await.unwrap();
    let alice = fake.add_user("alice", &["user"]);
    let bob = fake.add_user("bob", &["user"]);
    let alice_client = client(&fake, alice.credentials.clone());

    let created = alice_client.groups_create(&GroupsCreateRequest::new("project-x".into())).await.unwrap();
    assert_eq!(created.group.name.as_deref(), Some("project-x"));
    let duplicate = alice_client.groups_create(&GroupsCreateRequest::new("project-x".into())).await.unwrap_err();
    assert_eq!(ErrorType::of(&duplicate), Some(ErrorType::DuplicateChannelName));

    // Bob cannot see the group until he is invited.
    let bob_client = client(&fake, bob.credentials.clone());
    let hidden =
        bob_client.groups_info(&rocketchat::types::GroupsInfoParams::new(room("project-x"))).await.unwrap_err();
    assert_eq!(ErrorType::of(&hidden), Some(ErrorType::RoomNotFound));

    let invite = GroupsInviteRequest { username: Some("bob".into()), ..GroupsInviteRequest::new(room("project-x")) };
    alice_client.groups_invite(&invite).await.unwrap();
    let members = alice_client.groups_members(&GroupsMembersParams::new(room("project-x"))).await.unwrap();
    assert_eq!(members.paginated.total, 2);

    // A plain member may not kick; the owner may.
    let kick_alice = GroupsKickRequest { room: room("project-x"), user: user("alice") };
    let refused = bob_client.groups_kick(&kick_alice).await.unwrap_err();
    assert_eq!(ErrorType::of(&refused), Some(ErrorType::NotAllowed));

    let leader = GroupsAddLeaderRequest { room: room("project-x"), user: user("bob") };
    alice_client.groups_add_leader(&leader).await.unwrap();
    let again = alice_client.groups_add_leader(&leader).await.unwrap_err();
    assert_eq!(ErrorType::of(&again), Some(ErrorType::UserAlreadyLeader));
    let remove = GroupsRemoveLeaderRequest { room: room("project-x"), user: user("bob") };
    alice_client.groups_remove_leader(&remove).await.unwrap();
    let not_leader = alice_client.groups_remove_leader(&remove).await.unwrap_err();
    assert_eq!(ErrorType::of(&not_leader), Some(ErrorType::UserNotLeader));

    alice_client.groups_kick(&GroupsKickRequest { room: room("project-x"), user: user("bob") }).await.unwrap();
    let gone =
        alice_client.groups_kick(&GroupsKickRequest { room: room("project-x"), user: user("bob") }).await.unwrap_err();
    assert_eq!(ErrorType::of(&gone), Some(ErrorType::UserNotInRoom));
    assert_eq!(gone.message(), Some("User is not in this room [error-user-not-in-room]"));

    // The last owner cannot leave.
    let leave = alice_client.groups_leave(&GroupsLeaveRequest { room: room("project-x") }).await.unwrap_err();
    assert_eq!(ErrorType::of(&leave), Some(ErrorType::YouAreLastOwner));
    let details = leave.api_error().and_then(|error| error.details.clone());
    assert_eq!(details, Some(json!({"method": "leaveRoom"})));
}

#[tokio::test]
async fn a_teams_members_and_rooms_follow_the_team_service() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let carol = fake.add_user("carol", &["user"]);

    let team = admin.teams_create(&TeamsCreateRequest::new("platform".into(), TeamType::Private)).await.unwrap();
    let by_name = Team::Name("platform".into());
    let add = TeamsAddMembersRequest::new(by_name.clone(), vec![TeamMemberParams::new(carol.id.clone())]);
    admin.teams_add_members(&add).await.unwrap();
    let members = admin.teams_members(&TeamsMembersParams::new(by_name.clone())).await.unwrap();
    let names: Vec<_> = members.members.iter().map(|member| member.user.username.clone().unwrap_or_default()).collect();
    assert_eq!(names, ["admin", "carol"]);

    let group = admin.groups_create(&GroupsCreateRequest::new("platform-ops".into())).await.unwrap();
    admin.teams_add_rooms(&TeamsAddRoomsRequest::new(by_name.clone(), vec![group.group.id.clone()])).await.unwrap();
    let rooms = admin.teams_list_rooms(&TeamsListRoomsParams::new(by_name.clone())).await.unwrap();
    assert!(rooms.rooms.iter().any(|room| room.group.id == group.group.id), "{rooms:?}");
    let twice = admin
        .teams_add_rooms(&TeamsAddRoomsRequest::new(by_name.clone(), vec![group.group.id.clone()]))
        .await
        .unwrap_err();
    assert_eq!(twice.message(), Some("room-already-on-team"));

    // The last owner is kept; a member leaves.
    let owner = admin.teams_leave(&TeamsLeaveRequest::new(by_name.clone())).await.unwrap_err();
    assert_eq!(owner.message(), Some("last-owner-can-not-be-removed"));
    admin.teams_remove_member(&TeamsRemoveMemberRequest::new(by_name.clone(), carol.id.clone())).await.unwrap();
    let missing =
        admin.teams_remove_member(&TeamsRemoveMemberRequest::new(by_name.clone(), carol.id.clone())).await.unwrap_err();
    assert_eq!(missing.message(), Some("member-does-not-exist"));
    let unknown = admin.teams_leave(&TeamsLeaveRequest::new(Team::Name("nope".into()))).await.unwrap_err();
    assert_eq!(unknown.message(), Some("team-does-not-exist"));
    assert_eq!(team.team.name.as_deref(), Some("platform"));
}

#[tokio::test]
async fn a_teams_children_list_as_the_server_does_and_nothing_found_ends_the_stream_empty() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let carol = fake.add_user("carol", &["user"]);
    let team = admin.teams_create(&TeamsCreateRequest::new("design".into(), TeamType::Private)).await.unwrap();
    let by_name = Team::Name("design".into());
    for name in ["design-ops", "design-web", "marketing"] {
        let group = admin.groups_create(&GroupsCreateRequest::new(name.into())).await.unwrap();
        admin.teams_add_rooms(&TeamsAddRoomsRequest::new(by_name.clone(), vec![group.group.id])).await.unwrap();
    }
    let children = |filter: Option<&str>| TeamsListChildrenParams {
        filter: filter.map(str::to_owned),
        count: Some(2),
        ..TeamsListChildrenParams::new(TeamsListChildrenSelector::TeamName("design".into()))
    };
    let names =
        |rooms: Vec<rocketchat::types::Group>| rooms.into_iter().filter_map(|room| room.name).collect::<Vec<_>>();

    let all = admin.teams_list_children_stream(&children(None)).try_collect().await.unwrap();
    let main_room = team.team.room_id.clone();
    assert_eq!(all[0].id, main_room.unwrap_or_default(), "the main room first");
    assert_eq!(names(all), ["design", "design-ops", "design-web", "marketing"]);
    let first = admin.teams_list_children(&children(Some("DESIGN-"))).await.unwrap();
    assert_eq!((first.data.len(), first.paginated.total), (2, 2));

    // Nothing matches: a single call gets the server's 400, the stream ends with no rooms.
    let none = admin.teams_list_children(&children(Some("sales"))).await.unwrap_err();
    assert_eq!(none.message(), Some("Cannot read properties of undefined (reading 'count')"));
    let rooms = admin.teams_list_children_stream(&children(Some("sales"))).try_collect().await.unwrap();
    assert!(rooms.is_empty());

    // There are no discussions here, so asking for them finds nothing, which is the same 400.
    let discussions = TeamsListChildrenParams { r#type: Some(TeamsListChildrenType::Discussions), ..children(None) };
    assert_eq!(admin.teams_list_children(&discussions).await.unwrap_err().status().map(|s| s.as_u16()), Some(400));
    assert!(admin.teams_list_children_stream(&discussions).try_collect().await.unwrap().is_empty());
    // An offset past the end is an empty page, not the 400; `count` is the page size.
    let past =
        admin.teams_list_children(&TeamsListChildrenParams { offset: Some(10), ..children(None) }).await.unwrap();
    assert_eq!((past.data.len(), past.paginated.total, past.paginated.count), (0, 4, 2));

    // Only members list a team's children, and a member sees the rooms they are in.
    let carol_client = client(&fake, carol.credentials.clone());
    let refused = carol_client.teams_list_children_stream(&children(None)).try_collect().await.unwrap_err();
    assert_eq!(refused.message(), Some("error-invalid-team-not-a-member"));
    let add = TeamsAddMembersRequest::new(by_name.clone(), vec![TeamMemberParams::new(carol.id.clone())]);
    admin.teams_add_members(&add).await.unwrap();
    let invite = GroupsInviteRequest { username: Some("carol".into()), ..GroupsInviteRequest::new(room("design-web")) };
    admin.groups_invite(&invite).await.unwrap();
    let seen = carol_client.teams_list_children_stream(&children(None)).try_collect().await.unwrap();
    assert_eq!(names(seen), ["design", "design-web"]);

    // A room outside any team names none.
    let loose = admin.groups_create(&GroupsCreateRequest::new("loose".into())).await.unwrap();
    let by_room = TeamsListChildrenParams::new(TeamsListChildrenSelector::RoomId(loose.group.id));
    assert_eq!(admin.teams_list_children(&by_room).await.unwrap_err().message(), Some("room-not-on-team"));
}

#[tokio::test]
async fn a_long_member_list_pages_itself_through_a_clamped_page_size() {
    let fake = FakeRocketChat::start().await.unwrap();
    fake.set_max_count(7);
    let admin = client(&fake, fake.admin());
    admin.groups_create(&GroupsCreateRequest::new("crowd".into())).await.unwrap();
    let usernames: Vec<String> = (0..30).map(|index| format!("user{index:02}")).collect();
    for name in &usernames {
        fake.add_user(name, &["user"]);
    }
    let invite = GroupsInviteRequest { usernames: Some(usernames.clone()), ..GroupsInviteRequest::new(room("crowd")) };
    admin.groups_invite(&invite).await.unwrap();

    let params = GroupsMembersParams { count: Some(50), ..GroupsMembersParams::new(room("crowd")) };
    let members = admin.groups_members_stream(&params).try_collect().await.unwrap();
    assert_eq!(members.len(), 31, "every member, the admin too");
    let pages = fake.calls().iter().filter(|call| call.operation == Some("groups.members")).count();
    assert_eq!(pages, 5, "31 members in pages of 7");
}

#[tokio::test]
async fn a_rate_limit_in_the_middle_of_a_stream_is_waited_out() {
    let fake = FakeRocketChat::start().await.unwrap();
    fake.set_max_count(5);
    let transport = Transport::builder(fake.url(), fake.admin())
        .retry_on_rate_limit(RetryPolicy { max_retries: 3, max_total_wait: Duration::from_secs(10) })
        .build()
        .unwrap();
    let admin = Client::from_transport(transport);
    admin.groups_create(&GroupsCreateRequest::new("busy".into())).await.unwrap();
    let names: Vec<String> = (0..12).map(|index| format!("member{index}")).collect();
    for name in &names {
        fake.add_user(name, &["user"]);
    }
    let invite = GroupsInviteRequest { usernames: Some(names), ..GroupsInviteRequest::new(room("busy")) };
    admin.groups_invite(&invite).await.unwrap();

    // The window opens now: it must outlast the first two pages even on a loaded machine (else
    // the third is not limited), and the stream then waits out what is left of it.
    fake.rate_limit("groups.members", 2, Duration::from_secs(2));
    let members = admin.groups_members_stream(&GroupsMembersParams::new(room("busy"))).try_collect().await.unwrap();
    assert_eq!(members.len(), 13);
    let statuses: Vec<u16> =
        fake.calls().iter().filter(|call| call.operation == Some("groups.members")).map(|call| call.status).collect();
    assert!(statuses.contains(&429), "the third page was rate limited: {statuses:?}");
    assert_eq!(statuses.iter().filter(|status| **status == 200).count(), 3);
}

#[tokio::test]
async fn a_two_factor_challenge_is_answered_by_the_handler() {
    let fake = FakeRocketChat::start().await.unwrap();
    fake.add_user("dave", &["user"]);
    fake.require_two_factor("314159");
    let transport =
        Transport::anonymous(fake.url()).two_factor_handler(|_: &Challenge| Answer::code("314159")).build().unwrap();
    transport.log_in(&Password::new("dave", "dave-password")).await.unwrap();
    let client = Client::from_transport(transport);
    let me = client.me().await.unwrap();
    assert_eq!(me.username.as_deref(), Some("dave"));

    let statuses: Vec<(Option<&str>, u16)> = fake.calls().iter().map(|call| (call.operation, call.status)).collect();
    assert_eq!(statuses, [(Some("login"), 401), (Some("login"), 200), (Some("me"), 400), (Some("me"), 200)]);
    let login = &fake.calls()[0];
    assert_eq!(login.body, Some(json!({"user": "dave", "password": "<redacted>"})), "the record keeps no password");
}

#[tokio::test]
async fn an_expired_token_is_renewed_by_logging_in_again() {
    let fake = FakeRocketChat::start().await.unwrap();
    let erin = fake.add_user("erin", &["user"]);
    let transport = Transport::anonymous(fake.url()).log_in_again_on_expiry().build().unwrap();
    transport.log_in(&Password::new("erin", erin.password.clone())).await.unwrap();
    let client = Client::from_transport(transport);
    fake.expire_tokens(&erin.id);
    assert_eq!(client.me().await.unwrap().id, erin.id);
    let operations: Vec<_> = fake.calls().iter().map(|call| (call.operation, call.status)).collect();
    assert_eq!(operations, [(Some("login"), 200), (Some("me"), 401), (Some("login"), 200), (Some("me"), 200)]);
}

#[tokio::test]
async fn requests_the_spec_forbids_get_the_servers_400_and_unknown_paths_its_404() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = fake.admin();
    // This workspace builds reqwest with rustls but no crypto provider: install one, or the
    // client panics when this test runs before any transport was built (alone, as nextest
    // runs it).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::new();
    let post = |path: &str, body: serde_json::Value| {
        http.post(format!("{}{path}", fake.url()))
            .header("x-user-id", admin.user_id())
            .header("x-auth-token", fake.admin_token())
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    // `roomId` must be a string.
    let wrong_type = post("/api/v1/groups.kick", json!({"roomId": 5, "username": "x"})).await.unwrap();
    assert_eq!(wrong_type.status(), 400);
    let body: serde_json::Value = serde_json::from_str(&wrong_type.text().await.unwrap()).unwrap();
    assert_eq!((body["success"].clone(), body["errorType"].clone()), (json!(false), json!("invalid-params")));

    let unknown = http.get(format!("{}/api/v1/groups.nothing", fake.url())).send().await.unwrap();
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.text().await.unwrap(), "404 Not Found");

    let anonymous = http
        .post(format!("{}/api/v1/groups.leave", fake.url()))
        .body(json!({"roomId": "x"}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    fake.unauthorized_shape(UnauthorizedShape::Old);
    let old = Client::new(fake.url(), Credentials::new("nobody", "nothing")).unwrap();
    let error = old.groups_leave(&GroupsLeaveRequest { room: room("x") }).await.unwrap_err();
    assert!(
        matches!(&error, Error::Unauthorized(api) if api.message.as_deref() == Some("You must be logged in to do this."))
    );
}

#[tokio::test]
async fn faults_on_demand_reach_the_client_as_its_errors() {
    let fake = FakeRocketChat::start().await.unwrap();
    // Short enough to wait out a stall, long enough for every other call on a loaded machine.
    let transport = Transport::builder(fake.url(), fake.admin()).timeout(Duration::from_secs(2)).build().unwrap();
    let admin = Client::from_transport(transport);
    admin.groups_create(&GroupsCreateRequest::new("flaky".into())).await.unwrap();
    let leave = GroupsLeaveRequest { room: room("flaky") };

    fake.fail_next("groups.leave", Fault::ProxyError);
    let proxy = admin.groups_leave(&leave).await.unwrap_err();
    assert!(matches!(&proxy, Error::Status(api) if api.status == 502 && api.body.contains("Bad Gateway")), "{proxy:?}");

    fake.fail_next("groups.leave", Fault::Stall);
    assert!(matches!(admin.groups_leave(&leave).await, Err(Error::Timeout { .. })));

    fake.fail_next("groups.leave", Fault::ResetConnection);
    assert!(matches!(admin.groups_leave(&leave).await, Err(Error::Transport { .. })));

    // An operation the fake does not model answers with the spec's example, and says so.
    let counters = admin.groups_counters(&rocketchat::types::GroupsCountersParams::new(room("flaky"))).await.unwrap();
    assert!(counters.success);
    let unmodeled: Vec<_> = fake.calls().iter().map(|call| (call.operation, call.unmodeled)).collect();
    assert_eq!(unmodeled.last(), Some(&(Some("groups.counters"), true)));
    assert!(unmodeled.iter().rev().skip(1).all(|(_, unmodeled)| !unmodeled), "{unmodeled:?}");

    // Scripted answers, each once and in order, for the next valid calls: failures the fake
    // cannot produce. A call the fake refuses first (no login here) does not take one.
    let counters_of = |name: &str| rocketchat::types::GroupsCountersParams::new(room(name));
    let status_and_message = |error: &Error| (error.status().map(|s| s.as_u16()), error.message().map(str::to_owned));
    fake.answer_next("groups.counters", 500, json!({"success": false, "error": "Internal server error"}));
    fake.answer_next("groups.counters", 503, json!({"success": false, "error": "Service unavailable"}));
    let anonymous = client(&fake, Credentials::new("nobody", "no-token"));
    assert_eq!(
        anonymous.groups_counters(&counters_of("flaky")).await.unwrap_err().status().map(|s| s.as_u16()),
        Some(401)
    );
    let first = admin.groups_counters(&counters_of("flaky")).await.unwrap_err();
    assert_eq!(status_and_message(&first), (Some(500), Some("Internal server error".to_owned())));
    let second = admin.groups_counters(&counters_of("flaky")).await.unwrap_err();
    assert_eq!(status_and_message(&second), (Some(503), Some("Service unavailable".to_owned())));
    assert!(admin.groups_counters(&counters_of("flaky")).await.unwrap().success, "back to the example");
    // `clear_faults` drops what is left; a status that cannot carry the body is a 500 that says so.
    fake.answer_next("groups.counters", 500, json!({}));
    fake.clear_faults();
    assert!(admin.groups_counters(&counters_of("flaky")).await.unwrap().success);
    fake.answer_next("groups.counters", 304, json!({}));
    let not_modified = admin.groups_counters(&counters_of("flaky")).await.unwrap_err();
    assert!(not_modified.message().is_some_and(|message| message.contains("304 is not a status")), "{not_modified}");
    // A scripted success must decode as the output type, as every success the fake sends.
    fake.answer_next("groups.counters", 200, json!({"success": "yes"}));
    let error = admin.groups_counters(&counters_of("flaky")).await.unwrap_err();
    assert!(error.message().is_some_and(|message| message.contains("groups.counters")), "{error}");
    let last = fake.calls().last().cloned().unwrap();
    assert_eq!((last.operation, last.status, last.unmodeled), (Some("groups.counters"), 500, true));
}

#[tokio::test]
#[should_panic(expected = "the spec has no operation `groups.kik`")]
async fn scripting_an_operation_the_spec_does_not_have_fails_the_test_at_once() {
    let fake = FakeRocketChat::start().await.unwrap();
    fake.answer_next("groups.kik", 500, json!({}));
}

#[tokio::test]
async fn a_teams_roles_and_its_main_rooms_roles_stay_in_step() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let frank = fake.add_user("frank", &["user"]);
    admin.teams_create(&TeamsCreateRequest::new("ops".into(), TeamType::Private)).await.unwrap();
    let team = Team::Name("ops".into());
    admin
        .teams_add_members(&TeamsAddMembersRequest::new(team.clone(), vec![TeamMemberParams::new(frank.id.clone())]))
        .await
        .unwrap();

    // Made an owner in the main room, frank is an owner of the team: the admin may now leave it.
    let owner = rocketchat::types::GroupsAddOwnerRequest { room: room("ops"), user: user("frank") };
    admin.groups_add_owner(&owner).await.unwrap();
    admin.teams_leave(&TeamsLeaveRequest::new(team.clone())).await.unwrap();
    let members = client(&fake, frank.credentials.clone()).teams_members(&TeamsMembersParams::new(team)).await.unwrap();
    let names: Vec<_> = members.members.iter().map(|member| member.user.username.clone().unwrap_or_default()).collect();
    assert_eq!(names, ["frank"]);
}

#[tokio::test]
async fn teams_list_shows_the_callers_teams_with_their_counters_and_list_all_needs_view_all_teams() {
    use rocketchat::types::{TeamsListAllParams, TeamsListParams};
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let grace = fake.add_user("grace", &["user"]);
    let grace_client = client(&fake, grace.credentials.clone());
    grace_client.teams_create(&TeamsCreateRequest::new("ops".into(), TeamType::Private)).await.unwrap();
    admin.teams_create(&TeamsCreateRequest::new("billing".into(), TeamType::Public)).await.unwrap();
    let with_admin = TeamsCreateRequest {
        members: Some(vec![fake.admin().user_id().into()]),
        ..TeamsCreateRequest::new("audit".into(), TeamType::Public)
    };
    grace_client.teams_create(&with_admin).await.unwrap();
    let group = grace_client.groups_create(&GroupsCreateRequest::new("ops-alerts".into())).await.unwrap();
    grace_client
        .teams_add_rooms(&TeamsAddRoomsRequest::new(Team::Name("ops".into()), vec![group.group.id]))
        .await
        .unwrap();

    // Grace's teams, not the spec's example: each one answers the next call on its id.
    let listed = grace_client.teams_list(&TeamsListParams::default()).await.unwrap();
    let names: Vec<_> = listed.teams.iter().map(|team| team.team_info.name.clone().unwrap_or_default()).collect();
    assert_eq!(names, ["ops", "audit"], "made in this order, no sort given");
    assert_eq!((listed.paginated.count, listed.paginated.total), (2, 2));
    let ops = &listed.teams[0];
    assert_eq!((ops.rooms, ops.number_of_users), (1, 1), "the added room, not the main room; grace alone");
    assert_eq!((listed.teams[1].rooms, listed.teams[1].number_of_users), (0, 2));
    let members =
        grace_client.teams_members(&TeamsMembersParams::new(Team::Id(ops.team_info.id.clone()))).await.unwrap();
    assert_eq!(members.paginated.total, 1);
    assert!(!fake.calls().iter().any(|call| call.unmodeled), "every answer came from the model");

    // `sort` orders the list and pages follow it; a sort that is not JSON of 1/-1 is refused.
    let by_name = TeamsListParams { sort: Some(r#"{"name":-1}"#.into()), count: Some(1), offset: Some(1) };
    let page = grace_client.teams_list(&by_name).await.unwrap();
    let names: Vec<_> = page.teams.iter().filter_map(|team| team.team_info.name.clone()).collect();
    assert_eq!((names, page.paginated.total, page.paginated.offset), (vec!["audit".to_owned()], 2, 1));
    let bad = TeamsListParams { sort: Some("name".into()), ..Default::default() };
    let refused = grace_client.teams_list(&bad).await.unwrap_err();
    assert_eq!(refused.message(), Some(r#"Invalid sort parameter provided: "name" [error-invalid-sort]"#));
    let admins: Vec<_> = admin.teams_list_stream(&TeamsListParams::default()).try_collect().await.unwrap();
    let names: Vec<_> = admins.iter().filter_map(|team| team.team_info.name.clone()).collect();
    assert_eq!(names, ["billing", "audit"]);

    // Every team, for `view-all-teams` only (the route's declared permission: the long 403).
    let all = admin.teams_list_all(&TeamsListAllParams::default()).await.unwrap();
    let names: Vec<_> = all.teams.iter().filter_map(|team| team.team_info.name.clone()).collect();
    assert_eq!(names, ["ops", "billing", "audit"]);
    let forbidden = grace_client.teams_list_all(&TeamsListAllParams::default()).await.unwrap_err();
    assert_eq!(forbidden.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(
        forbidden.message(),
        Some("User does not have the permissions required for this action [error-unauthorized]")
    );
}

#[tokio::test]
async fn groups_list_all_lists_every_group_by_name_for_view_room_administration() {
    use rocketchat::types::GroupsListAllParams;
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let heidi = fake.add_user("heidi", &["user"]);
    let heidi_client = client(&fake, heidi.credentials.clone());
    heidi_client.groups_create(&GroupsCreateRequest::new("zeta".into())).await.unwrap();
    admin.groups_create(&GroupsCreateRequest::new("alpha".into())).await.unwrap();

    let all = admin.groups_list_all(&GroupsListAllParams::default()).await.unwrap();
    let names: Vec<_> = all.groups.iter().filter_map(|group| group.name.clone()).collect();
    assert_eq!((names, all.paginated.total), (vec!["alpha".to_owned(), "zeta".to_owned()], 2), "heidi's too, by name");
    let backwards = GroupsListAllParams { sort: Some(r#"{"name":-1}"#.into()), ..Default::default() };
    let names: Vec<_> =
        admin.groups_list_all(&backwards).await.unwrap().groups.into_iter().filter_map(|group| group.name).collect();
    assert_eq!(names, ["zeta", "alpha"]);
    assert!(!fake.calls().iter().any(|call| call.unmodeled));
    let forbidden = heidi_client.groups_list_all(&GroupsListAllParams::default()).await.unwrap_err();
    assert_eq!(forbidden.status().map(|s| s.as_u16()), Some(403));
}

#[tokio::test]
async fn a_group_created_in_a_team_or_without_its_creator_follows_create_private_group() {
    use rocketchat::types::{GroupsCreateRequestExtraData, GroupsInfoParams, GroupsListParams};
    let fake = FakeRocketChat::start().await.unwrap();
    let ivan = fake.add_user("ivan", &["user"]);
    let judy = fake.add_user("judy", &["user"]);
    let ivan_client = client(&fake, ivan.credentials.clone());
    let judy_client = client(&fake, judy.credentials.clone());
    let team = ivan_client.teams_create(&TeamsCreateRequest::new("infra".into(), TeamType::Private)).await.unwrap();
    let in_team = |name: &str, team_id: &str| GroupsCreateRequest {
        extra_data: Some(GroupsCreateRequestExtraData { team_id: Some(team_id.into()), ..Default::default() }),
        ..GroupsCreateRequest::new(name.into())
    };

    // The team's owner has `create-team-group` there: the group is one of the team's rooms.
    let created = ivan_client.groups_create(&in_team("infra-db", &team.team.id)).await.unwrap();
    assert_eq!(created.group.team_id.as_deref(), Some(team.team.id.as_str()));
    let rooms = ivan_client.teams_list_rooms(&TeamsListRoomsParams::new(Team::Name("infra".into()))).await.unwrap();
    assert!(rooms.rooms.iter().any(|room| room.group.id == created.group.id), "{rooms:?}");
    // Someone outside the team has not, though `create-p` would let them make a group.
    let refused = judy_client.groups_create(&in_team("infra-web", &team.team.id)).await.unwrap_err();
    assert_eq!(ErrorType::of(&refused), Some(ErrorType::NotAllowed));
    let unknown = ivan_client.groups_create(&in_team("infra-x", "no-such-team")).await.unwrap_err();
    assert_eq!(unknown.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(
        unknown.message(),
        Some(r#"The "teamId" param provided does not match any team [error-team-not-found]"#)
    );
    assert_eq!(
        unknown.api_error().and_then(|error| error.details.clone()),
        Some(json!({"method": "createPrivateGroup"}))
    );

    // `excludeSelf`: judy is the only member, and ivan, not subscribed, does not see it.
    let without_me = GroupsCreateRequest {
        exclude_self: Some(true),
        members: Some(vec!["judy".into()]),
        ..GroupsCreateRequest::new("handover".into())
    };
    let handover = ivan_client.groups_create(&without_me).await.unwrap();
    assert_eq!(handover.group.users_count, Some(1));
    let mine = ivan_client.groups_list(&GroupsListParams::default()).await.unwrap();
    assert!(mine.groups.iter().all(|group| group.name.as_deref() != Some("handover")), "{mine:?}");
    let hidden = ivan_client.groups_info(&GroupsInfoParams::new(room("handover"))).await.unwrap_err();
    assert_eq!(ErrorType::of(&hidden), Some(ErrorType::RoomNotFound));
    let members = judy_client.groups_members(&GroupsMembersParams::new(room("handover"))).await.unwrap();
    let names: Vec<_> = members.members.iter().filter_map(|member| member.username.clone()).collect();
    assert_eq!(names, ["judy"]);
}

#[tokio::test]
async fn teams_create_takes_members_by_id_or_username() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let a1 = fake.add_user("a1", &["user"]);
    fake.add_user("a2", &["user"]);
    let request = TeamsCreateRequest {
        // Usernames, an id, the caller again and someone unknown (skipped, as the server does).
        members: Some(vec!["a1".into(), "a2".into(), a1.id.clone(), "admin".into(), "nobody".into()]),
        ..TeamsCreateRequest::new("squad".into(), TeamType::Private)
    };
    admin.teams_create(&request).await.unwrap();
    let members = admin.teams_members(&TeamsMembersParams::new(Team::Name("squad".into()))).await.unwrap();
    let mut names: Vec<_> = members.members.iter().filter_map(|member| member.user.username.clone()).collect();
    names.sort();
    assert_eq!(names, ["a1", "a2", "admin"]);
    let room = admin.groups_members(&GroupsMembersParams::new(room("squad"))).await.unwrap();
    assert_eq!(room.paginated.total, 3, "the main room's members too");

    // A guest lacks `create-team`, a permission the route declares: the long 403.
    let guest = client(&fake, fake.add_user("visitor", &["guest"]).credentials);
    let refused = guest.teams_create(&TeamsCreateRequest::new("guests".into(), TeamType::Public)).await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(
        refused.message(),
        Some("User does not have the permissions required for this action [error-unauthorized]")
    );
}

#[tokio::test]
async fn a_fake_user_prints_without_its_password_or_token() {
    let fake = FakeRocketChat::start().await.unwrap();
    let alice = fake.add_user("alice", &["user"]);
    let printed = format!("{alice:?} {alice:#?}");
    assert!(printed.contains("alice") && printed.contains(&alice.id), "{printed}");
    assert!(!printed.contains(&alice.password), "{printed}");
    assert!(!printed.contains(&alice.token), "{printed}");
    // The same token still works: only the output is redacted.
    let me = client(&fake, alice.credentials.clone()).me().await.unwrap();
    assert_eq!(me.username.as_deref(), Some("alice"));
}

#[tokio::test]
async fn a_sort_order_written_as_a_float_is_the_same_order() {
    use rocketchat::types::{GroupsListParams, TeamsListParams};
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    for name in ["alpha", "beta"] {
        admin.groups_create(&GroupsCreateRequest::new(name.into())).await.unwrap();
    }
    // `parseJsonQuery` compares what `JSON.parse` gives with 1 and -1, and `-1.0` parses to -1.
    let backwards = GroupsListParams { sort: Some(r#"{"name":-1.0}"#.into()), ..Default::default() };
    let names: Vec<_> =
        admin.groups_list(&backwards).await.unwrap().groups.into_iter().filter_map(|group| group.name).collect();
    assert_eq!(names, ["beta", "alpha"]);
    // Made in the other order, so the list's order is the sort's.
    for name in ["zulu", "alpha-team"] {
        admin.teams_create(&TeamsCreateRequest::new(name.into(), TeamType::Private)).await.unwrap();
    }
    let forwards = TeamsListParams { sort: Some(r#"{"name":1e0}"#.into()), ..Default::default() };
    let teams: Vec<_> =
        admin.teams_list(&forwards).await.unwrap().teams.into_iter().filter_map(|team| team.team_info.name).collect();
    assert_eq!(teams, ["alpha-team", "zulu"]);
    let half = GroupsListParams { sort: Some(r#"{"name":0.5}"#.into()), ..Default::default() };
    assert_eq!(
        admin.groups_list(&half).await.unwrap_err().message(),
        Some(r#"Invalid sort parameter provided: "{"name":0.5}" [error-invalid-sort]"#)
    );
}

#[tokio::test]
async fn only_a_teams_main_room_says_team_main() {
    use rocketchat::types::GroupsInfoParams;
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let team = admin.teams_create(&TeamsCreateRequest::new("crew".into(), TeamType::Private)).await.unwrap();
    let group = admin.groups_create(&GroupsCreateRequest::new("crew-chat".into())).await.unwrap();
    let added = admin
        .teams_add_rooms(&TeamsAddRoomsRequest::new(Team::Id(team.team.id.clone()), vec![group.group.id.clone()]))
        .await
        .unwrap();
    // `Rooms.setTeamByIds` sets `teamId` alone; `teamMain` is set by `Rooms.setTeamMainById` only.
    assert_eq!(
        (added.rooms[0].group.team_id.as_deref(), added.rooms[0].group.team_main),
        (Some(team.team.id.as_str()), None)
    );
    let info = admin.groups_info(&GroupsInfoParams::new(room("crew-chat"))).await.unwrap();
    assert_eq!(info.group.team_main, None);
    let main = admin.groups_info(&GroupsInfoParams::new(room("crew"))).await.unwrap();
    assert_eq!(main.group.team_main, Some(true));
}

#[tokio::test]
async fn a_public_teams_main_room_is_a_channel_that_groups_calls_do_not_see() {
    use rocketchat::types::{GroupsInfoParams, GroupsListAllParams, GroupsListParams, RoomType};
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let kim = fake.add_user("kim", &["user"]);
    let kim_client = client(&fake, kim.credentials.clone());
    admin.teams_create(&TeamsCreateRequest::new("town".into(), TeamType::Public)).await.unwrap();
    admin.teams_create(&TeamsCreateRequest::new("vault".into(), TeamType::Private)).await.unwrap();

    // `getRoomFromParams` in groups.ts: a room whose `t` is not `p` is "not found".
    let info = admin.groups_info(&GroupsInfoParams::new(room("town"))).await.unwrap_err();
    assert_eq!(ErrorType::of(&info), Some(ErrorType::RoomNotFound));
    let members = admin.groups_members(&GroupsMembersParams::new(room("town"))).await.unwrap_err();
    assert_eq!(ErrorType::of(&members), Some(ErrorType::RoomNotFound));
    let invite = GroupsInviteRequest { username: Some("kim".into()), ..GroupsInviteRequest::new(room("town")) };
    assert_eq!(ErrorType::of(&admin.groups_invite(&invite).await.unwrap_err()), Some(ErrorType::RoomNotFound));
    // The private team's main room is a group.
    let vault = admin.groups_info(&GroupsInfoParams::new(room("vault"))).await.unwrap();
    assert_eq!(vault.group.t, Some(RoomType::P));
    let names = |groups: Vec<rocketchat::types::Group>| groups.into_iter().filter_map(|g| g.name).collect::<Vec<_>>();
    assert_eq!(names(admin.groups_list(&GroupsListParams::default()).await.unwrap().groups), ["vault"]);
    assert_eq!(names(admin.groups_list_all(&GroupsListAllParams::default()).await.unwrap().groups), ["vault"]);

    // `teams.listRooms` leaves the main room out (`teamMain: {$exists: false}`); without
    // `view-all-team-channels` a member sees the team's channels and the groups they are in.
    let ops = admin.groups_create(&GroupsCreateRequest::new("town-ops".into())).await.unwrap();
    let by_name = Team::Name("town".into());
    admin.teams_add_rooms(&TeamsAddRoomsRequest::new(by_name.clone(), vec![ops.group.id.clone()])).await.unwrap();
    let add = TeamsAddMembersRequest::new(by_name.clone(), vec![TeamMemberParams::new(kim.id.clone())]);
    admin.teams_add_members(&add).await.unwrap();
    let listed = |rooms: rocketchat::types::TeamsListRoomsResponse| {
        rooms.rooms.into_iter().filter_map(|room| room.group.name).collect::<Vec<_>>()
    };
    let all = admin.teams_list_rooms(&TeamsListRoomsParams::new(by_name.clone())).await.unwrap();
    assert_eq!(listed(all), ["town-ops"]);
    let kims = kim_client.teams_list_rooms(&TeamsListRoomsParams::new(by_name.clone())).await.unwrap();
    assert!(listed(kims).is_empty(), "kim is not in town-ops");
    // `teams.listChildren` lists the channel (the main room) for a member, whatever they joined.
    let children = TeamsListChildrenParams::new(TeamsListChildrenSelector::TeamName("town".into()));
    let seen = kim_client.teams_list_children(&children).await.unwrap();
    let kinds: Vec<_> = seen.data.iter().map(|room| (room.name.clone().unwrap_or_default(), room.t.clone())).collect();
    assert_eq!(kinds, [("town".to_owned(), Some(RoomType::C))]);
    // `Team.addRooms` first checks the caller can see each room (`canAccessRoom`): a group
    // they are not in is `invalid-room`.
    let hidden = admin.groups_create(&GroupsCreateRequest::new("hidden".into())).await.unwrap();
    kim_client.teams_create(&TeamsCreateRequest::new("kims".into(), TeamType::Public)).await.unwrap();
    let refused = kim_client
        .teams_add_rooms(&TeamsAddRoomsRequest::new(Team::Name("kims".into()), vec![hidden.group.id]))
        .await
        .unwrap_err();
    assert_eq!(refused.message(), Some("invalid-room"));
}

#[tokio::test]
async fn a_broadcast_group_is_read_only_and_says_so() {
    use rocketchat::types::{GroupsCreateRequestExtraData, GroupsInfoParams, TeamsCreateRoom};
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let lena = client(&fake, fake.add_user("lena", &["user"]).credentials);
    let broadcast = GroupsCreateRequest {
        read_only: Some(false),
        members: Some(vec!["lena".into()]),
        extra_data: Some(GroupsCreateRequestExtraData { broadcast: Some(true), ..Default::default() }),
        ..GroupsCreateRequest::new("news".into())
    };
    // createRoom: `broadcast` forces `readOnly`, and the room keeps `broadcast` from `extraData`.
    let created = admin.groups_create(&broadcast).await.unwrap();
    assert_eq!((created.group.broadcast, created.group.ro), (Some(true), Some(true)));
    let info = admin.groups_info(&GroupsInfoParams::new(room("news"))).await.unwrap();
    assert_eq!((info.group.broadcast, info.group.ro), (Some(true), Some(true)));
    let plain = admin.groups_create(&GroupsCreateRequest::new("chat".into())).await.unwrap();
    assert_eq!((plain.group.broadcast, plain.group.ro), (None, Some(false)));
    // groups.members in a broadcast room needs `view-broadcast-member-list` (owners, moderators).
    let refused = lena.groups_members(&GroupsMembersParams::new(room("news"))).await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(admin.groups_members(&GroupsMembersParams::new(room("news"))).await.unwrap().paginated.total, 2);

    // teams.create passes `room.readOnly` and `room.extraData` to the same createRoom.
    let team = |name: &str, room: TeamsCreateRoom| TeamsCreateRequest {
        room: Some(room),
        ..TeamsCreateRequest::new(name.into(), TeamType::Private)
    };
    let extra = serde_json::Map::from_iter([("broadcast".to_owned(), json!(true))]);
    admin
        .teams_create(&team("stage", TeamsCreateRoom { extra_data: Some(extra), ..Default::default() }))
        .await
        .unwrap();
    let stage = admin.groups_info(&GroupsInfoParams::new(room("stage"))).await.unwrap();
    assert_eq!((stage.group.broadcast, stage.group.ro), (Some(true), Some(true)));
    admin.teams_create(&team("quiet", TeamsCreateRoom { read_only: Some(true), ..Default::default() })).await.unwrap();
    let quiet = admin.groups_info(&GroupsInfoParams::new(room("quiet"))).await.unwrap();
    assert_eq!((quiet.group.broadcast, quiet.group.ro), (None, Some(true)));
}

#[tokio::test]
async fn teams_create_with_an_owner_makes_them_owner_and_creator_and_the_caller_only_a_listed_member() {
    use rocketchat::types::{GroupsListParams, TeamsInfoParams};
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let mia = fake.add_user("mia", &["user"]);
    let mia_client = client(&fake, mia.credentials.clone());
    let with_owner = |name: &str, owner: &str, members: &[&str]| TeamsCreateRequest {
        owner: Some(owner.into()),
        members: Some(members.iter().map(|member| (*member).to_owned()).collect()),
        ..TeamsCreateRequest::new(name.into(), TeamType::Private)
    };

    // Team.create: the main room is made by `owner`, who is the team's only owner; the caller
    // stays `createdBy` but is not a member unless `members` names them.
    let made = admin.teams_create(&with_owner("lab", &mia.id, &[])).await.unwrap();
    assert_eq!(made.team.created_by.and_then(|user| user.username).as_deref(), Some("admin"));
    let members = mia_client.teams_members(&TeamsMembersParams::new(Team::Name("lab".into()))).await.unwrap();
    let roles: Vec<_> = members
        .members
        .iter()
        .map(|member| (member.user.username.clone().unwrap_or_default(), member.roles.clone().unwrap_or_default()))
        .collect();
    assert_eq!(roles, [("mia".to_owned(), vec!["owner".to_owned()])]);
    let main = mia_client.groups_list(&GroupsListParams::default()).await.unwrap();
    let creator = main.groups[0].u.as_ref().and_then(|user| user.username.clone());
    assert_eq!((main.groups[0].name.as_deref(), creator.as_deref()), (Some("lab"), Some("mia")));
    assert!(admin.groups_list(&GroupsListParams::default()).await.unwrap().groups.is_empty());

    // Named in `members`, the caller is a member, not an owner.
    admin.teams_create(&with_owner("lab2", &mia.id, &["admin"])).await.unwrap();
    let members = admin.teams_members(&TeamsMembersParams::new(Team::Name("lab2".into()))).await.unwrap();
    let owners: Vec<_> = members
        .members
        .iter()
        .filter(|member| member.roles.iter().flatten().any(|role| role == "owner"))
        .filter_map(|member| member.user.username.clone())
        .collect();
    assert_eq!((members.paginated.total, owners), (2, vec!["mia".to_owned()]));

    // An owner that is no user (or may not create the room) fails Room.create inside
    // Team.create's `try`: the plain `error-team-creation`, and no team is left.
    let unknown = admin.teams_create(&with_owner("ghost", "no-such-user", &[])).await.unwrap_err();
    assert_eq!((unknown.status().map(|s| s.as_u16()), unknown.message()), (Some(400), Some("error-team-creation")));
    let info = admin.teams_info(&TeamsInfoParams::new(Team::Name("ghost".into()))).await.unwrap_err();
    assert_eq!(info.message(), Some("Team not found"));
    let guest = fake.add_user("visitor", &["guest"]);
    let refused = admin.teams_create(&with_owner("guests", &guest.id, &[])).await.unwrap_err();
    assert_eq!(refused.message(), Some("error-team-creation"));
}

#[tokio::test]
async fn teams_add_rooms_needs_move_room_to_team_and_room_ownership_even_for_an_admin() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let carol = fake.add_user("carol", &["user"]);
    let bob = fake.add_user("bob", &["user"]);
    let carol_client = client(&fake, carol.credentials.clone());
    let bob_client = client(&fake, bob.credentials.clone());
    admin.teams_create(&TeamsCreateRequest::new("ops".into(), TeamType::Private)).await.unwrap();
    let ops = Team::Name("ops".into());
    admin
        .teams_add_members(&TeamsAddMembersRequest::new(ops.clone(), vec![TeamMemberParams::new(carol.id.clone())]))
        .await
        .unwrap();

    // A plain member owns her group but lacks `move-room-to-team` in the team's main room.
    let hers = carol_client.groups_create(&GroupsCreateRequest::new("carol-room".into())).await.unwrap();
    let refused = carol_client
        .teams_add_rooms(&TeamsAddRoomsRequest::new(ops.clone(), vec![hers.group.id.clone()]))
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|status| status.as_u16()), Some(403));
    assert_eq!(refused.message(), Some("error-no-permission-team-channel"));

    // The admin may move rooms, but only rooms they own: being in one is not enough.
    let his = bob_client.groups_create(&GroupsCreateRequest::new("bob-room".into())).await.unwrap();
    let invite = GroupsInviteRequest { username: Some("admin".into()), ..GroupsInviteRequest::new(room("bob-room")) };
    bob_client.groups_invite(&invite).await.unwrap();
    let not_owner =
        admin.teams_add_rooms(&TeamsAddRoomsRequest::new(ops.clone(), vec![his.group.id.clone()])).await.unwrap_err();
    assert_eq!(not_owner.message(), Some("error-no-owner-channel"));
    let rooms = admin.teams_list_rooms(&TeamsListRoomsParams::new(ops)).await.unwrap();
    assert!(rooms.rooms.is_empty(), "{rooms:?}");
}

#[tokio::test]
async fn team_members_added_without_roles_have_none_as_the_server_stores_them() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    fake.add_user("erin", &["user"]);
    let frank = fake.add_user("frank", &["user"]);
    let grace = fake.add_user("grace", &["user"]);
    let request = TeamsCreateRequest {
        members: Some(vec!["erin".into()]),
        ..TeamsCreateRequest::new("crew".into(), TeamType::Private)
    };
    admin.teams_create(&request).await.unwrap();
    let crew = Team::Name("crew".into());
    let members = vec![
        TeamMemberParams::new(frank.id.clone()),
        TeamMemberParams { roles: Some(vec!["moderator".into()]), ..TeamMemberParams::new(grace.id.clone()) },
    ];
    admin.teams_add_members(&TeamsAddMembersRequest::new(crew.clone(), members)).await.unwrap();

    let listed = admin.teams_members(&TeamsMembersParams::new(crew)).await.unwrap();
    let roles: Vec<_> = listed
        .members
        .iter()
        .map(|member| (member.user.username.clone().unwrap_or_default(), member.roles.clone()))
        .collect();
    let owner = Some(vec!["owner".to_owned()]);
    let moderator = Some(vec!["moderator".to_owned()]);
    // No `roles` at all (not an empty list) for the members given no roles.
    let expected = [("erin", None), ("admin", owner), ("frank", None), ("grace", moderator)];
    let expected: Vec<_> = expected.into_iter().map(|(name, roles)| (name.to_owned(), roles)).collect();
    assert_eq!(roles, expected);
}

#[tokio::test]
async fn an_admin_outside_a_group_cannot_read_it_but_may_invite_and_kick() {
    let fake = FakeRocketChat::start().await.unwrap();
    let admin = client(&fake, fake.admin());
    let alice = fake.add_user("alice", &["user"]);
    fake.add_user("bob", &["user"]);
    let alice_client = client(&fake, alice.credentials.clone());
    alice_client.groups_create(&GroupsCreateRequest::new("secret".into())).await.unwrap();

    // findPrivateGroupByIdOrName: canAccessRoom has no admin bypass for a private group.
    let info = admin.groups_info(&rocketchat::types::GroupsInfoParams::new(room("secret"))).await.unwrap_err();
    assert_eq!(ErrorType::of(&info), Some(ErrorType::RoomNotFound));
    let members = admin.groups_members(&GroupsMembersParams::new(room("secret"))).await.unwrap_err();
    assert_eq!(ErrorType::of(&members), Some(ErrorType::RoomNotFound));

    // groups.invite and groups.kick do no access check: the admin's any-room permissions rule.
    let invite = GroupsInviteRequest { username: Some("bob".into()), ..GroupsInviteRequest::new(room("secret")) };
    admin.groups_invite(&invite).await.unwrap();
    admin.groups_kick(&GroupsKickRequest { room: room("secret"), user: user("bob") }).await.unwrap();
    let left = alice_client.groups_members(&GroupsMembersParams::new(room("secret"))).await.unwrap();
    assert_eq!(left.paginated.total, 1);
}
