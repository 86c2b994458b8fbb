//! Leaves a private group, configured from the environment:
//!
//! ```sh
//! export ROCKETCHAT_URL=https://chat.example.com
//! export ROCKETCHAT_USER_ID=... ROCKETCHAT_AUTH_TOKEN=...   # a personal access token works
//! cargo run -p rocketchat --example leave_group -- my-group
//! ```
//!
//! Prints what happened, or what went wrong in a form a person can act on. (The examples are
//! written by hand; `cargo xtask codegen` leaves them alone.)

use rocketchat::types::{GroupsLeaveRequest, Room};
use rocketchat::{Client, Error, ErrorType};
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(group) = std::env::args().nth(1) else {
        eprintln!("usage: leave_group GROUP-NAME");
        return ExitCode::from(2);
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("cannot configure the client: {error}");
            return ExitCode::from(2);
        }
    };
    match client.groups_leave(&GroupsLeaveRequest { room: Room::Name(group.clone()) }).await {
        Ok(_) => {
            println!("left {group}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("could not leave {group}: {error}");
            eprintln!("{}", advice(&error));
            ExitCode::FAILURE
        }
    }
}

fn advice(error: &Error) -> &'static str {
    match error {
        Error::Unauthorized(_) => "Check ROCKETCHAT_USER_ID and ROCKETCHAT_AUTH_TOKEN: the server did not accept them.",
        Error::Forbidden(_) => "The user lacks the `leave-p` permission; ask an administrator.",
        Error::RateLimited(_) => "The server's rate limit was hit; wait until the reset time and try again.",
        Error::Timeout { .. } | Error::Transport { .. } => {
            "The server could not be reached; check ROCKETCHAT_URL and the network."
        }
        Error::Status(_) => {
            "The server answered with something unexpected; is ROCKETCHAT_URL the Rocket.Chat base URL?"
        }
        _ => match ErrorType::of(error) {
            Some(ErrorType::YouAreLastOwner) => "You are the last owner: make someone else owner first.",
            Some(ErrorType::RoomNotFound | ErrorType::InvalidRoom) => "No private group has that name.",
            _ => "See the message above.",
        },
    }
}
