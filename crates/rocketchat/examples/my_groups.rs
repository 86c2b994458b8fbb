//! Logs in with a user name and password, asks for a two-factor code on the terminal when the
//! server wants one, lists the private groups the user belongs to, and logs out:
//!
//! ```sh
//! export ROCKETCHAT_URL=https://chat.example.com
//! export ROCKETCHAT_USER=alice ROCKETCHAT_PASSWORD=...
//! cargo run -p rocketchat --example my_groups
//! ```
//!
//! No secret is printed: not the password, not the token the server returns, not the code.

use rocketchat::two_factor::{Answer, Challenge, Method};
use rocketchat::types::GroupsListParams;
use rocketchat::{Client, Error, Password, Transport};
use std::io::{BufRead, Write};
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        // As in leave_group: 2 for a configuration to fix, 1 for a call that failed.
        Err(error @ Error::Config(_)) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let url = std::env::var("ROCKETCHAT_URL").map_err(|_| Error::Config("set ROCKETCHAT_URL".into()))?;
    let transport = Transport::anonymous(url)
        .two_factor_handler(prompt_for_code)
        // A long listing may outlive the token: log in again once if the server refuses it.
        .log_in_again_on_expiry()
        .build()?;
    let password = Password::from_env()?;
    transport.log_in(&password).await?;
    println!("logged in as {}", password.user());

    let client = Client::from_transport(transport);
    let mut groups = client.groups_list_stream(&GroupsListParams::default());
    let mut count = 0;
    while let Some(group) = groups.next().await {
        let group = group?;
        count += 1;
        println!("{}", group.name.as_deref().unwrap_or(&group.id));
    }
    println!("{count} private group(s)");

    client.transport().log_out().await?;
    println!("logged out");
    Ok(())
}

/// Asks the person at the terminal. (It blocks the task while it waits, which is fine for a
/// program that does nothing else meanwhile.)
fn prompt_for_code(challenge: &Challenge) -> Answer {
    let what = match &challenge.method {
        Method::Totp => "the code from your authenticator app".to_owned(),
        Method::Email if challenge.code_generated == Some(true) => "the code just emailed to you".to_owned(),
        Method::Email => "the emailed code (or press Enter to have a new one sent)".to_owned(),
        Method::Password => "your password again".to_owned(),
        other => format!("a `{}` code", other.as_str()),
    };
    if challenge.code_refused {
        eprintln!("that code was refused");
    }
    eprint!("{} needs two-factor authentication; enter {what}: ", challenge.operation);
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => Answer::GiveUp,
        Ok(_) if line.trim().is_empty() && challenge.method == Method::Email => Answer::SendEmailCode,
        Ok(_) if line.trim().is_empty() => Answer::GiveUp,
        Ok(_) => Answer::code(line.trim()),
    }
}
