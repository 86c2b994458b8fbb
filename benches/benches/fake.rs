//! The fake Rocket.Chat: how long it takes to start, and how many calls it serves.
//! `cargo bench -p benchmarks --bench fake`; figures in BENCHMARKS.md.

use divan::Bencher;
use rocketchat::types::{GroupsCreateRequest, GroupsMembersParams, Room};
use rocketchat_fake::FakeRocketChat;

fn main() {
    divan::main();
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
}

/// From nothing to a fake listening on a port, spec loaded and admin seeded.
#[divan::bench(sample_count = 50)]
fn start(bencher: Bencher) {
    let runtime = runtime();
    bencher.bench_local(|| runtime.block_on(async { FakeRocketChat::start().await.expect("starts") }));
}

/// One call through the client, over loopback: `me` (auth, routing, decoding, answer check).
#[divan::bench(sample_count = 200)]
fn call_me(bencher: Bencher) {
    let runtime = runtime();
    let (fake, client) = runtime.block_on(async {
        let fake = FakeRocketChat::start().await.expect("starts");
        let client = rocketchat::Client::new(fake.url(), fake.admin()).expect("a client");
        (fake, client)
    });
    bencher.bench_local(|| runtime.block_on(async { client.me().await.expect("answers") }));
    drop(fake);
}

/// A stateful call: a page of 50 members of a 100-member group.
#[divan::bench(sample_count = 200)]
fn call_members_page(bencher: Bencher) {
    let runtime = runtime();
    let (fake, client) = runtime.block_on(async {
        let fake = FakeRocketChat::start().await.expect("starts");
        let client = rocketchat::Client::new(fake.url(), fake.admin()).expect("a client");
        let names: Vec<String> = (0..99).map(|index| format!("user{index}")).collect();
        for name in &names {
            fake.add_user(name, &["user"]);
        }
        let request = GroupsCreateRequest { members: Some(names), ..GroupsCreateRequest::new("big".into()) };
        client.groups_create(&request).await.expect("created");
        (fake, client)
    });
    let params = GroupsMembersParams { count: Some(50), ..GroupsMembersParams::new(Room::Name("big".into())) };
    bencher.bench_local(|| runtime.block_on(async { client.groups_members(&params).await.expect("answers") }));
    drop(fake);
}
