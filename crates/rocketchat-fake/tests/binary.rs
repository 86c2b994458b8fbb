//! The standalone binary serves the fake to any HTTP client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

#[test]
fn the_binary_answers_plain_http() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rocketchat-fake"))
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut first_line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first_line).expect("it prints its URL");
    let address = first_line.trim().rsplit("http://").next().expect("a URL").to_owned();

    let mut stream = TcpStream::connect(&address).expect("it listens");
    let body = r#"{"user":"admin","password":"fake-admin-password"}"#;
    write!(
        stream,
        "POST /api/v1/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    child.kill().ok();
    child.wait().ok();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.contains(r#""authToken":"#) && response.contains(r#""status":"success""#), "{response}");
}

#[test]
fn bad_usage_exits_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_rocketchat-fake")).args(["--port", "nope"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage: rocketchat-fake"));
}
