//! Lists that page themselves, over real HTTP on 127.0.0.1: the requests each page sends, and
//! how the stream and the iterator react to a server that clamps the page size, reports a
//! changing total, sends an empty page or answers 429 in the middle.

use rocketchat::types::{
    GroupsMembersParams, Member, Room, Team, TeamsListChildrenParams, TeamsListChildrenSelector,
    TeamsListRoomsOfUserParams, TeamsMembersParams,
};
use rocketchat::{Client, Credentials, Error, RetryPolicy, Transport};
use serde_json::{Value, json};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use workspace_tests::{Recorded, Reply, Server};

fn client(server: &Server) -> Client {
    Client::new(&server.url(), Credentials::new("U1", "token")).unwrap()
}

/// A `groups.members` page of members named by number, from `first`.
fn page(first: usize, len: usize, total: usize) -> Reply {
    let members: Vec<Value> =
        (first..first + len).map(|n| json!({"_id": format!("u{n}"), "username": format!("user{n}")})).collect();
    Reply::json(200, &json!({"members": members, "count": len, "offset": first, "total": total, "success": true}))
}

fn ids(members: &[Member]) -> Vec<String> {
    members.iter().map(|member| member.id.clone()).collect()
}

fn expected(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(|n| format!("u{n}")).collect()
}

/// `(offset, count)` of each page request, after checking it asks for the same room.
fn pages_asked(requests: &[Recorded]) -> Vec<(String, String)> {
    requests
        .iter()
        .map(|request| {
            let url = reqwest::Url::parse(&format!("http://host{}", request.target)).unwrap();
            assert_eq!(url.path(), "/api/v1/groups.members");
            let query: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
            assert_eq!(query[0], ("roomName".into(), "planning".into()), "the room, as its own key");
            let get = |key: &str| query.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap();
            (get("offset"), get("count"))
        })
        .collect()
}

fn asked(pairs: &[(usize, usize)]) -> Vec<(String, String)> {
    pairs.iter().map(|(offset, count)| (offset.to_string(), count.to_string())).collect()
}

fn params(count: Option<i64>) -> GroupsMembersParams {
    GroupsMembersParams { count, ..GroupsMembersParams::new(Room::Name("planning".into())) }
}

#[tokio::test]
async fn a_stream_fetches_every_page_and_stops_at_the_total() {
    let server = Server::start(vec![page(0, 2, 5), page(2, 2, 5), page(4, 1, 5)]).await;
    let members = client(&server).groups_members_stream(&params(Some(2))).try_collect().await.unwrap();
    assert_eq!(ids(&members), expected(0..5));
    assert_eq!(pages_asked(&server.requests()), asked(&[(0, 2), (2, 2), (4, 2)]));
}

#[tokio::test]
async fn a_clamped_page_size_moves_the_offset_by_what_came() {
    // Asked for 10, the server's "Max Record Amount" gives 3 at a time.
    let server = Server::start(vec![page(0, 3, 7), page(3, 3, 7), page(6, 1, 7)]).await;
    let members = client(&server).groups_members_stream(&params(Some(10))).try_collect().await.unwrap();
    assert_eq!(ids(&members), expected(0..7));
    assert_eq!(pages_asked(&server.requests()), asked(&[(0, 10), (3, 10), (6, 10)]));
}

#[tokio::test]
async fn an_empty_page_ends_the_list_even_below_the_total() {
    let server = Server::start(vec![page(0, 2, 9), page(2, 0, 9)]).await;
    let members = client(&server).groups_members_stream(&params(Some(2))).try_collect().await.unwrap();
    assert_eq!(ids(&members), expected(0..2));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_total_that_shrinks_between_pages_is_followed() {
    // A member left while paging: the total drops from 6 to 3, so the second page is the last.
    let server = Server::start(vec![page(0, 2, 6), page(2, 1, 3)]).await;
    let members = client(&server).groups_members_stream(&params(Some(2))).try_collect().await.unwrap();
    assert_eq!(ids(&members), expected(0..3));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn without_a_count_the_default_page_size_is_asked_and_never_zero() {
    let server = Server::start(vec![page(0, 1, 1)]).await;
    let members = client(&server).groups_members_stream(&params(Some(0))).try_collect().await.unwrap();
    assert_eq!(ids(&members), expected(0..1));
    let default = rocketchat_runtime::DEFAULT_PAGE_SIZE as usize;
    assert_eq!(pages_asked(&server.requests()), asked(&[(0, default)]));
}

#[tokio::test]
async fn a_limit_stops_early_and_asks_for_no_more_than_it_needs() {
    let server = Server::start(vec![page(0, 2, 100), page(2, 1, 100)]).await;
    let members = client(&server).groups_members_stream(&params(Some(2))).limit(3).try_collect().await.unwrap();
    assert_eq!(ids(&members), expected(0..3));
    assert_eq!(pages_asked(&server.requests()), asked(&[(0, 2), (2, 1)]));
}

fn rate_limited() -> Reply {
    let reset = (SystemTime::now() + Duration::from_millis(50)).duration_since(UNIX_EPOCH).unwrap().as_millis();
    let body = json!({"success": false, "error": "Error, too many requests. Please slow down. You must wait 1 seconds before trying this endpoint again. [error-too-many-requests]"});
    Reply::json(429, &body).header("X-RateLimit-Remaining", "0").header("X-RateLimit-Reset", &reset.to_string())
}

#[tokio::test]
async fn with_the_retry_policy_a_429_mid_stream_waits_and_goes_on() {
    let server = Server::start(vec![page(0, 2, 4), rate_limited(), page(2, 2, 4)]).await;
    let policy = RetryPolicy { max_retries: 2, max_total_wait: Duration::from_secs(5) };
    let transport = Transport::builder(server.url(), Credentials::new("U1", "token")).retry_on_rate_limit(policy);
    let client = Client::from_transport(transport.build().unwrap());
    let members = client.groups_members_stream(&params(Some(2))).try_collect().await.unwrap();
    assert_eq!(ids(&members), expected(0..4));
    assert_eq!(pages_asked(&server.requests()), asked(&[(0, 2), (2, 2), (2, 2)]));
}

#[tokio::test]
async fn without_it_the_429_is_yielded_once_and_the_stream_ends() {
    let server = Server::start(vec![page(0, 2, 4), rate_limited()]).await;
    let client = client(&server);
    let mut stream = client.groups_members_stream(&params(Some(2)));
    assert_eq!(stream.next().await.unwrap().unwrap().id, "u0");
    assert_eq!(stream.next().await.unwrap().unwrap().id, "u1");
    assert!(matches!(stream.next().await, Some(Err(Error::RateLimited(_)))));
    assert!(stream.next().await.is_none(), "no page after an error");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_stream_is_a_futures_stream() {
    use futures_core::Stream;
    let server = Server::start(vec![page(0, 2, 3), page(2, 1, 3)]).await;
    let client = client(&server);
    let mut stream = std::pin::pin!(client.groups_members_stream(&params(Some(2))));
    let mut members = Vec::new();
    while let Some(member) = std::future::poll_fn(|context| stream.as_mut().poll_next(context)).await {
        members.push(member.unwrap());
    }
    assert_eq!(ids(&members), expected(0..3));
}

#[test]
fn the_blocking_iterator_pages_the_same_way() {
    let server = Server::start_on_thread(vec![page(0, 3, 7), page(3, 3, 7), page(6, 1, 7)]);
    let client = rocketchat::blocking::Client::new(&server.url(), Credentials::new("U1", "token")).unwrap();
    let members: Result<Vec<Member>, Error> = client.groups_members_iter(&params(Some(10))).collect();
    assert_eq!(ids(&members.unwrap()), expected(0..7));
    assert_eq!(pages_asked(&server.requests()), asked(&[(0, 10), (3, 10), (6, 10)]));
}

#[tokio::test]
async fn team_members_page_by_the_team_chosen_by_name() {
    let member =
        |n: usize| json!({"user": {"_id": format!("u{n}"), "username": format!("user{n}")}, "roles": ["member"]});
    let first = json!({"members": [member(0), member(1)], "count": 2, "offset": 0, "total": 3, "success": true});
    let second = json!({"members": [member(2)], "count": 1, "offset": 2, "total": 3, "success": true});
    let server = Server::start(vec![Reply::json(200, &first), Reply::json(200, &second)]).await;
    let params =
        TeamsMembersParams { count: Some(2), ..TeamsMembersParams::new(rocketchat::types::Team::Name("team1".into())) };
    let members = client(&server).teams_members_stream(&params).try_collect().await.unwrap();
    let names: Vec<&str> = members.iter().map(|member| member.user.id.as_str()).collect();
    assert_eq!(names, ["u0", "u1", "u2"]);
    let targets: Vec<String> = server.requests().iter().map(|request| request.target.clone()).collect();
    assert_eq!(
        targets,
        [
            "/api/v1/teams.members?teamName=team1&offset=0&count=2",
            "/api/v1/teams.members?teamName=team1&offset=2&count=2"
        ]
    );
}

/// A `teams.listRoomsOfUser` page: rooms by number from `first` (the server pages, then drops
/// the rooms it cannot describe, so fewer may come than were asked), with the unfiltered total.
fn rooms_page(rooms: &[usize], total: usize) -> Reply {
    let rooms: Vec<Value> =
        rooms.iter().map(|n| json!({"_id": format!("r{n}"), "t": "p", "isLastOwner": false})).collect();
    Reply::json(200, &json!({"rooms": rooms, "count": rooms.len(), "offset": 0, "total": total, "success": true}))
}

#[tokio::test]
async fn a_list_the_server_filters_after_paging_steps_by_the_count_asked() {
    // Rooms 0 to 6; the server drops r1 from the first page, all of the second (r2, r3) and r5.
    let pages = vec![rooms_page(&[0], 7), rooms_page(&[], 7), rooms_page(&[4, 6], 7)];
    let server = Server::start(pages).await;
    let params = TeamsListRoomsOfUserParams {
        count: Some(3),
        ..TeamsListRoomsOfUserParams::new(Team::Name("core".into()), "U2".into())
    };
    let rooms = client(&server).teams_list_rooms_of_user_stream(&params).try_collect().await.unwrap();
    let ids: Vec<&str> = rooms.iter().map(|room| room.group.id.as_str()).collect();
    assert_eq!(ids, ["r0", "r4", "r6"], "no room twice, and on past the empty page");
    let asked: Vec<(String, String)> = server
        .requests()
        .iter()
        .map(|request| {
            let url = reqwest::Url::parse(&format!("http://host{}", request.target)).unwrap();
            assert_eq!(url.path(), "/api/v1/teams.listRoomsOfUser");
            let get = |key: &str| url.query_pairs().find(|(k, _)| k == key).map(|(_, v)| v.into_owned()).unwrap();
            (get("offset"), get("count"))
        })
        .collect();
    assert_eq!(asked, self::asked(&[(0, 3), (3, 3), (6, 3)]));
}

#[tokio::test]
async fn such_a_list_moves_past_everything_a_server_sent_beyond_the_count() {
    // Asked for 2, the server sends 3: the next page starts after the third.
    let server = Server::start(vec![rooms_page(&[0, 1, 2], 4), rooms_page(&[3], 4)]).await;
    let params = TeamsListRoomsOfUserParams {
        count: Some(2),
        ..TeamsListRoomsOfUserParams::new(Team::Id("T1".into()), "U2".into())
    };
    let rooms = client(&server).teams_list_rooms_of_user_stream(&params).try_collect().await.unwrap();
    assert_eq!(rooms.len(), 4, "no room twice");
    assert!(server.requests()[1].target.contains("offset=3"), "{}", server.requests()[1].target);
}

#[tokio::test]
async fn such_a_list_asks_for_no_more_than_the_servers_default_limit_at_a_time() {
    let server = Server::start(vec![rooms_page(&[0, 1], 2)]).await;
    let params = TeamsListRoomsOfUserParams {
        count: Some(500),
        ..TeamsListRoomsOfUserParams::new(Team::Id("T1".into()), "U2".into())
    };
    let rooms = client(&server).teams_list_rooms_of_user_stream(&params).try_collect().await.unwrap();
    assert_eq!(rooms.len(), 2);
    let request = server.only_request();
    assert!(request.target.contains("count=100"), "{}", request.target);
}

/// What `teams.listChildren` answers when nothing matches: its service reads the total from
/// an empty `$facet` count (apps/meteor/server/services/team/service.ts, `listChildren`).
fn nothing_matched() -> Reply {
    Reply::json(400, &json!({"success": false, "error": "Cannot read properties of undefined (reading 'count')"}))
}

fn children_page(first: usize, len: usize, total: usize) -> Reply {
    let rooms: Vec<Value> = (first..first + len).map(|n| json!({"_id": format!("r{n}"), "t": "c"})).collect();
    Reply::json(200, &json!({"data": rooms, "total": total, "offset": first, "count": 2, "success": true}))
}

fn children(filter: &str) -> TeamsListChildrenParams {
    TeamsListChildrenParams {
        filter: Some(filter.into()),
        count: Some(2),
        ..TeamsListChildrenParams::new(TeamsListChildrenSelector::TeamName("core".into()))
    }
}

#[tokio::test]
async fn the_failure_a_server_answers_instead_of_an_empty_list_ends_the_list() {
    let server = Server::start(vec![nothing_matched()]).await;
    let rooms = client(&server).teams_list_children_stream(&children("nothing-like-it")).try_collect().await.unwrap();
    assert!(rooms.is_empty());
    assert_eq!(
        server.only_request().target,
        "/api/v1/teams.listChildren?teamName=core&filter=nothing-like-it&offset=0&count=2"
    );

    // The same failure on a later page (the rooms went while paging): the items so far, then the end.
    let server = Server::start(vec![children_page(0, 2, 3), nothing_matched()]).await;
    let rooms = client(&server).teams_list_children_stream(&children("design")).try_collect().await.unwrap();
    let ids: Vec<&str> = rooms.iter().map(|room| room.id.as_str()).collect();
    assert_eq!(ids, ["r0", "r1"]);
    assert_eq!(server.requests().len(), 2);

    // A single call still returns it: only a list knows what it means.
    let server = Server::start(vec![nothing_matched()]).await;
    let error = client(&server).teams_list_children(&children("nothing-like-it")).await.unwrap_err();
    assert_eq!(error.status(), Some(rocketchat::StatusCode::BAD_REQUEST));
}

#[tokio::test]
async fn any_other_failure_of_such_a_list_is_yielded() {
    let other_failures = [
        // Another message.
        json!({"success": false, "error": "Cannot read properties of undefined (reading 'name')"}),
        // The same message with a code: not the server's empty answer.
        json!({"success": false, "error": "Cannot read property 'count' of undefined", "errorType": "error-invalid-params"}),
        json!({"success": false, "error": "room-not-on-team"}),
    ];
    for body in other_failures {
        let server = Server::start(vec![Reply::json(400, &body)]).await;
        let client = client(&server);
        let mut stream = client.teams_list_children_stream(&children("x"));
        let error = stream.next().await.unwrap().unwrap_err();
        assert_eq!(error.message(), body["error"].as_str(), "{body}");
        assert!(stream.next().await.is_none(), "the list ends after the error");
    }
    // And the same message with another status.
    let body = json!({"success": false, "error": "Cannot read properties of undefined (reading 'count')"});
    let server = Server::start(vec![Reply::json(500, &body)]).await;
    let result = client(&server).teams_list_children_stream(&children("x")).try_collect().await;
    assert_eq!(result.unwrap_err().status(), Some(rocketchat::StatusCode::INTERNAL_SERVER_ERROR));
}

#[test]
fn the_blocking_iterator_ends_the_list_on_that_failure_too() {
    let server = Server::start_on_thread(vec![children_page(0, 2, 4), nothing_matched()]);
    let client = rocketchat::blocking::Client::new(&server.url(), Credentials::new("U1", "token")).unwrap();
    let rooms: Result<Vec<_>, Error> = client.teams_list_children_iter(&children("design")).collect();
    assert_eq!(rooms.unwrap().len(), 2);
    assert_eq!(server.requests().len(), 2);
}
