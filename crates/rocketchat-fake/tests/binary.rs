//! The standalone binary serves the fake to any HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// The binary started with `args` and a free port, and the lines it printed before serving.
fn start(args: &[&str]) -> (std::process::Child, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rocketchat-fake"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut lines = Vec::new();
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    // The URL, the admin's three lines, then three lines for each user.
    let users = args.iter().filter(|arg| **arg == "--user").count();
    for _ in 0..4 + 3 * users {
        let mut line = String::new();
        stdout.read_line(&mut line).expect("it prints its URL and the credentials");
        lines.push(line.trim_end().to_owned());
    }
    (child, lines)
}

/// `request` (its head without the final blank line) over plain HTTP/1.1: the response.
fn send(address: &str, request: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("it listens");
    let length = body.len();
    write!(stream, "{request}\r\nHost: {address}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n{body}")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

/// `POST /api/v1/login` with a user name and password: the response.
fn log_in(address: &str, user: &str, password: &str) -> String {
    let body = format!(r#"{{"user":"{user}","password":"{password}"}}"#);
    send(address, "POST /api/v1/login HTTP/1.1\r\nContent-Type: application/json", &body)
}

/// `GET /api/v1/me` with a user id and token: the response.
fn me(address: &str, user_id: &str, token: &str) -> String {
    send(address, &format!("GET /api/v1/me HTTP/1.1\r\nX-User-Id: {user_id}\r\nX-Auth-Token: {token}"), "")
}

/// The value of the first line after `after` that starts with `  key: `.
fn printed(lines: &[String], after: &str, key: &str) -> String {
    let start = lines.iter().position(|line| line.starts_with(after)).expect("the user's lines");
    let prefix = format!("  {key}: ");
    lines[start..].iter().find_map(|line| line.strip_prefix(&prefix)).expect("the value").to_owned()
}

fn address(lines: &[String]) -> String {
    lines[0].rsplit("http://").next().expect("a URL").to_owned()
}

#[test]
fn the_binary_answers_plain_http() {
    let (mut child, lines) = start(&[]);
    let response = log_in(&address(&lines), "admin", "fake-admin-password");
    child.kill().ok();
    child.wait().ok();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.contains(r#""authToken":"#) && response.contains(r#""status":"success""#), "{response}");
}

#[test]
fn users_asked_for_on_the_command_line_exist_with_the_printed_password() {
    let (mut child, lines) = start(&["--user", "bob", "--user", "carol:user,bot"]);
    let address = address(&lines);
    let bob = lines.iter().find(|line| line.starts_with("bob ")).cloned().unwrap_or_default();
    let carol = lines.iter().find(|line| line.starts_with("carol ")).cloned().unwrap_or_default();
    let logged_in = log_in(&address, "bob", "bob-password");
    let carol_me = me(&address, &printed(&lines, "carol ", "X-User-Id"), &printed(&lines, "carol ", "X-Auth-Token"));
    let admin_me = me(&address, &printed(&lines, "admin:", "X-User-Id"), &printed(&lines, "admin:", "X-Auth-Token"));
    child.kill().ok();
    child.wait().ok();
    assert_eq!(bob, "bob (user): password `bob-password`", "{lines:?}");
    assert_eq!(carol, "carol (user, bot): password `carol-password`", "{lines:?}");
    assert!(logged_in.starts_with("HTTP/1.1 200 OK") && logged_in.contains(r#""username":"bob""#), "{logged_in}");
    assert!(carol_me.starts_with("HTTP/1.1 200 OK") && carol_me.contains(r#""username":"carol""#), "{carol_me}");
    assert!(admin_me.starts_with("HTTP/1.1 200 OK") && admin_me.contains(r#""username":"admin""#), "{admin_me}");
}

#[test]
fn bad_usage_exits_2_and_says_what_is_wrong() {
    let cases: [(&[&str], &str); 9] = [
        (&["--port", "--user", "bob"], "`--port` needs a value"),
        (&["--user", "bob smith"], "`bob smith` is not NAME or NAME:ROLE,..."),
        (&["--port", "nope"], "`nope` is not a port number"),
        (&["--port", "1", "--port", "2"], "`--port` is given twice"),
        (&["--user", "bob:owner"], "`owner` is not a role a user holds"),
        (&["--user"], "`--user` needs a value"),
        (&["--user", "bob", "--user", "bob"], "the user `bob` is given twice"),
        (&["--user", "Admin"], "`Admin` is the seeded administrator"),
        (&["--user", "bob:"], "`bob:` is not NAME or NAME:ROLE,..."),
    ];
    for (args, message) in cases {
        let output = Command::new(env!("CARGO_BIN_EXE_rocketchat-fake")).args(args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr.starts_with(&format!("error: {message}")) && stderr.contains("usage: rocketchat-fake"),
            "{stderr}"
        );
    }
}
