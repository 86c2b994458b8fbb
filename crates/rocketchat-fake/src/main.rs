//! `rocketchat-fake [--port PORT]`: the fake Rocket.Chat as a server of its own, for `curl` or
//! a program in any language. Prints the URL and the administrator's credentials.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "usage: rocketchat-fake [--port PORT]   (default 3000; 0 picks a free port)";

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let port = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] => 3000,
        ["--port", port] => match port.parse::<u16>() {
            Ok(port) => port,
            Err(_) => {
                let _ = writeln!(std::io::stderr(), "error: `{port}` is not a port number\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        ["--help" | "-h"] => {
            let _ = writeln!(std::io::stdout(), "{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            let _ = writeln!(std::io::stderr(), "{USAGE}");
            return ExitCode::from(2);
        }
    };
    let fake = match rocketchat_fake::FakeRocketChat::bind(SocketAddr::from(([127, 0, 0, 1], port))).await {
        Ok(fake) => fake,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: cannot start on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let admin = fake.admin();
    // The fake's own test credentials: printing them is the point. A reader that stops after
    // the first line (a script waiting for the URL) closes stdout: that is no reason to stop.
    let mut out = std::io::stdout();
    let _ = writeln!(out, "fake Rocket.Chat at {}", fake.url());
    let _ = writeln!(
        out,
        "admin: user `{}`, password `{}`",
        rocketchat_fake::ADMIN_USERNAME,
        rocketchat_fake::ADMIN_PASSWORD
    );
    let _ = writeln!(out, "  X-User-Id: {}", admin.user_id());
    let _ = writeln!(out, "  (log in with POST {}/api/v1/login for a token)", fake.url());
    let _ = out.flush();
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
