//! `rocketchat-fake [--port PORT] [--user NAME[:ROLE,...]]...`: the fake Rocket.Chat as a
//! server of its own, for `curl` or a program in any language. Prints the URL and the
//! credentials of the administrator and of each user asked for: a password to log in with,
//! and a token already issued.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

const USAGE: &str = "\
usage: rocketchat-fake [--port PORT] [--user NAME[:ROLE,...]]...
  --port PORT   the port on 127.0.0.1 (default 3000; 0 picks a free port)
  --user NAME   a user besides `admin`, with the role `user` or the roles given
                (`--user bob`, `--user carol:user,bot`; roles: admin, user, bot, guest,
                app); repeat for more users";

/// The roles a user can hold across the server (`owner`, `moderator` and `leader` are roles
/// in a room, given by the room's calls).
const GLOBAL_ROLES: [&str; 5] = ["admin", "user", "bot", "guest", "app"];

/// What the command line asks for.
struct Options {
    port: Option<u16>,
    /// Each user's name and roles.
    users: Vec<(String, Vec<String>)>,
}

fn options(args: &[String]) -> Result<Options, String> {
    let mut options = Options { port: None, users: Vec::new() };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        // An option where the value should be means the value is missing.
        let mut value =
            || args.next().filter(|value| !value.starts_with("--")).ok_or_else(|| format!("`{arg}` needs a value"));
        match arg.as_str() {
            "--port" if options.port.is_some() => return Err("`--port` is given twice".into()),
            "--port" => {
                let port = value()?;
                options.port = Some(port.parse().map_err(|_| format!("`{port}` is not a port number"))?);
            }
            "--user" => {
                let user = value()?;
                let (name, roles) = user.split_once(':').unwrap_or((user, "user"));
                let name = name.trim();
                let roles: Vec<String> = roles.split(',').map(str::trim).map(str::to_owned).collect();
                if name.is_empty() || name.contains(char::is_whitespace) || roles.iter().any(String::is_empty) {
                    return Err(format!("`{user}` is not NAME or NAME:ROLE,... (a user name has no spaces)"));
                }
                if let Some(role) = roles.iter().find(|role| !GLOBAL_ROLES.contains(&role.as_str())) {
                    return Err(format!(
                        "`{role}` is not a role a user holds; the roles are {}",
                        GLOBAL_ROLES.join(", ")
                    ));
                }
                if name.eq_ignore_ascii_case(rocketchat_fake::ADMIN_USERNAME) {
                    return Err(format!("`{name}` is the seeded administrator; choose another name"));
                }
                if options.users.iter().any(|(user, _)| user == name) {
                    return Err(format!("the user `{name}` is given twice"));
                }
                options.users.push((name.to_owned(), roles));
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|arg| arg == "--help" || arg == "-h") {
        let _ = writeln!(std::io::stdout(), "{USAGE}");
        return ExitCode::SUCCESS;
    }
    let options = match options(&args) {
        Ok(options) => options,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "error: {error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let port = options.port.unwrap_or(3000);
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
    let _ = writeln!(out, "  X-Auth-Token: {}", fake.admin_token());
    for (name, roles) in &options.users {
        let roles: Vec<&str> = roles.iter().map(String::as_str).collect();
        let user = fake.add_user(name, &roles);
        let _ = writeln!(out, "{name} ({}): password `{}`", roles.join(", "), user.password);
        let _ = writeln!(out, "  X-User-Id: {}", user.id);
        let _ = writeln!(out, "  X-Auth-Token: {}", user.token);
    }
    let _ = out.flush();
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}
