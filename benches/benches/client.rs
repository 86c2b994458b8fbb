//! How fast the client is, against hand-written code: encoding each operation's request and
//! decoding its response against plain serde structs, and one whole call over loopback HTTP
//! against the same call written by hand with reqwest (the floor).
//! `cargo bench -p benchmarks --bench client`.

use divan::{Bencher, black_box};
use rocketchat::operations::{GroupsKick, GroupsLeave, GroupsRemoveLeader, TeamsLeave};
use rocketchat::types::{
    GroupChanged, GroupsKickRequest, GroupsLeaveRequest, GroupsRemoveLeaderRequest, Room, Success, Team,
    TeamsLeaveRequest, User,
};
use rocketchat::{Client, Credentials, Transport};
use serde::{Deserialize, Serialize};

fn main() {
    divan::main();
}

const BASE: &str = "https://chat.example.com";
const USER_ID: &str = "rbAXPnMktTFbNpwtJ";
const TOKEN: &str = "RScctEHSmLGZGywfIhWyRpyofhKOiMoUIpimhvheU3f";

/// The documented success body of `groups.kick`, with the room object.
const GROUP_BODY: &str = r#"{"group":{"_id":"ByehQjC44FwMeiLbX","name":"invite-me","t":"p","usernames":["testing2"],"msgs":0,"u":{"_id":"aobEdbYhXfu5hkeqG","username":"testing1"},"ts":"2016-12-09T15:08:58.042Z","ro":false,"sysMes":true,"_updatedAt":"2016-12-09T15:22:40.656Z"},"success":true}"#;
const SUCCESS_BODY: &str = r#"{"success":true}"#;

// The hand-written baseline: what a careful programmer would write with serde alone.
#[derive(Serialize)]
struct HandKick<'a> {
    #[serde(rename = "roomId")]
    room_id: &'a str,
    #[serde(rename = "userId")]
    user_id: &'a str,
}

#[derive(Serialize)]
struct HandTeamsLeave<'a> {
    #[serde(rename = "teamName")]
    team_name: &'a str,
    rooms: &'a [&'a str],
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandGroupChanged {
    success: bool,
    group: Option<HandGroup>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandGroup {
    #[serde(rename = "_id")]
    id: String,
    name: Option<String>,
    t: Option<String>,
    usernames: Option<Vec<String>>,
    msgs: Option<i64>,
    u: Option<HandUser>,
    ts: Option<String>,
    ro: Option<bool>,
    #[serde(rename = "sysMes")]
    sys_mes: Option<bool>,
    #[serde(rename = "_updatedAt")]
    updated_at: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandUser {
    #[serde(rename = "_id")]
    id: String,
    username: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandSuccess {
    success: bool,
}

fn transport() -> Transport {
    Transport::builder(BASE, Credentials::new(USER_ID, TOKEN)).build().expect("a transport")
}

fn hand_request(path: &str, body: Vec<u8>) -> http::Request<Vec<u8>> {
    http::Request::post(format!("{BASE}{path}"))
        .header("accept", "application/json")
        .header("x-user-id", USER_ID)
        .header("x-auth-token", TOKEN)
        .header("user-agent", "bench")
        .header("content-type", "application/json")
        .body(body)
        .expect("a request")
}

mod encode {
    use super::*;

    #[divan::bench]
    fn groups_kick_generated(bencher: Bencher) {
        let transport = transport();
        let body = GroupsKickRequest {
            room: Room::Id("ByehQjC44FwMeiLbX".into()),
            user: User::Id("nSYqWzZ4GsKTX4dyK".into()),
        };
        bencher.bench_local(|| transport.build_request::<GroupsKick>(black_box(&body)).expect("builds"));
    }

    #[divan::bench]
    fn groups_kick_hand_written(bencher: Bencher) {
        let body = HandKick { room_id: "ByehQjC44FwMeiLbX", user_id: "nSYqWzZ4GsKTX4dyK" };
        bencher.bench_local(|| {
            hand_request("/api/v1/groups.kick", serde_json::to_vec(black_box(&body)).expect("encodes"))
        });
    }

    #[divan::bench]
    fn groups_leave_generated(bencher: Bencher) {
        let transport = transport();
        let body = GroupsLeaveRequest { room: Room::Name("invite-me".into()) };
        bencher.bench_local(|| transport.build_request::<GroupsLeave>(black_box(&body)).expect("builds"));
    }

    #[divan::bench]
    fn groups_remove_leader_generated(bencher: Bencher) {
        let transport = transport();
        let body = GroupsRemoveLeaderRequest { room: Room::Id("R".into()), user: User::Username("bob".into()) };
        bencher.bench_local(|| transport.build_request::<GroupsRemoveLeader>(black_box(&body)).expect("builds"));
    }

    #[divan::bench]
    fn teams_leave_generated(bencher: Bencher) {
        let transport = transport();
        let body =
            TeamsLeaveRequest { team: Team::Name("team1".into()), rooms: Some(vec!["8dugqGhuRvCBLdZft".into()]) };
        bencher.bench_local(|| transport.build_request::<TeamsLeave>(black_box(&body)).expect("builds"));
    }

    #[divan::bench]
    fn teams_leave_hand_written(bencher: Bencher) {
        let body = HandTeamsLeave { team_name: "team1", rooms: &["8dugqGhuRvCBLdZft"] };
        bencher.bench_local(|| {
            hand_request("/api/v1/teams.leave", serde_json::to_vec(black_box(&body)).expect("encodes"))
        });
    }
}

mod decode {
    use super::*;
    use rocketchat_runtime::decode_response;

    #[divan::bench]
    fn group_changed_generated(bencher: Bencher) {
        let headers = http::HeaderMap::new();
        bencher.bench_local(|| {
            decode_response::<GroupChanged>(http::StatusCode::OK, &headers, black_box(GROUP_BODY.as_bytes()))
                .expect("decodes")
        });
    }

    #[divan::bench]
    fn group_changed_hand_written(bencher: Bencher) {
        bencher.bench_local(|| {
            serde_json::from_slice::<HandGroupChanged>(black_box(GROUP_BODY.as_bytes())).expect("decodes")
        });
    }

    #[divan::bench]
    fn success_generated(bencher: Bencher) {
        let headers = http::HeaderMap::new();
        bencher.bench_local(|| {
            decode_response::<Success>(http::StatusCode::OK, &headers, black_box(SUCCESS_BODY.as_bytes()))
                .expect("decodes")
        });
    }

    #[divan::bench]
    fn success_hand_written(bencher: Bencher) {
        bencher.bench_local(|| {
            serde_json::from_slice::<HandSuccess>(black_box(SUCCESS_BODY.as_bytes())).expect("decodes")
        });
    }
}

/// One `groups.kick` over loopback HTTP with a kept-alive connection.
mod call {
    use super::*;

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
    }

    #[divan::bench(sample_count = 200)]
    fn groups_kick_generated_client(bencher: Bencher) {
        let runtime = runtime();
        let url = runtime.block_on(benchmarks::server::start(GROUP_BODY));
        let client = Client::new(&url, Credentials::new(USER_ID, TOKEN)).expect("a client");
        let body = GroupsKickRequest {
            room: Room::Id("ByehQjC44FwMeiLbX".into()),
            user: User::Id("nSYqWzZ4GsKTX4dyK".into()),
        };
        bencher.bench_local(|| runtime.block_on(client.groups_kick(&body)).expect("calls"));
    }

    #[divan::bench(sample_count = 200)]
    fn groups_kick_hand_written_reqwest(bencher: Bencher) {
        let runtime = runtime();
        let url = runtime.block_on(benchmarks::server::start(GROUP_BODY));
        // reqwest is built with rustls but no crypto provider in this workspace.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::new();
        let body = HandKick { room_id: "ByehQjC44FwMeiLbX", user_id: "nSYqWzZ4GsKTX4dyK" };
        let endpoint = format!("{url}/api/v1/groups.kick");
        bencher.bench_local(|| {
            runtime.block_on(async {
                let response = http
                    .post(&endpoint)
                    .header("x-user-id", USER_ID)
                    .header("x-auth-token", TOKEN)
                    .json(&body)
                    .send()
                    .await
                    .expect("sends");
                assert!(response.status().is_success());
                response.json::<HandGroupChanged>().await.expect("decodes")
            })
        });
    }
}
