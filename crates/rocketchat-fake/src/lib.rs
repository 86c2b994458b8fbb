//! A fake Rocket.Chat to test programs against: stateful, true to the server's rules and error
//! bodies, started on `127.0.0.1` in one line inside a test.
//!
//! ```no_run
//! # async fn example() -> std::io::Result<()> {
//! use rocketchat::types::{GroupsCreateRequest, GroupsKickRequest, Room, User};
//!
//! let fake = rocketchat_fake::FakeRocketChat::start().await?;
//! let client = rocketchat::Client::new(fake.url(), fake.admin()).expect("a client");
//! let group = client.groups_create(&GroupsCreateRequest::new("project-x".into())).await.expect("created");
//! # let _ = group;
//! # Ok(())
//! # }
//! ```
//!
//! # What it is
//!
//! - Every operation of `specs/rocketchat.yaml` is routed: the routes are the generated
//!   client's operations (`rocketchat::operations::visit_all_round_trip`), and a request is
//!   valid when it decodes into the operation's generated input type and passes the spec's
//!   validation rules, which is exactly what the client can send. A request the spec forbids
//!   gets the server's 400 (`invalid-params` for a body, `error-invalid-params` for a query
//!   string); a missing or wrong token the 401 (in the current, the old or the 9.x shape, see
//!   [`FakeRocketChat::unauthorized_shape`]); an unknown path the server's plain-text 404.
//! - State with the server's rules: users, private groups (members, owners, moderators,
//!   leaders, archived, topic, announcement, description, team) and teams (members and their
//!   roles, the team's rooms). A public team's main room is a channel (`t: "c"`), which
//!   `groups.*` calls do not find, as on the server. The modeled operations, 36 in all:
//!   - session: `login`, `logout`, `me`, `serverInfo`, `users.2fa.sendEmailCode`;
//!   - groups: `groups.create` (with `members`, `readOnly`, `excludeSelf`, `extraData.teamId`
//!     and `extraData.broadcast`, which makes the group read-only), `groups.info`,
//!     `groups.invite`, `groups.kick`, `groups.leave`, `groups.addOwner`, `groups.removeOwner`,
//!     `groups.addModerator`, `groups.removeModerator`, `groups.addLeader`,
//!     `groups.removeLeader`, `groups.members`, `groups.list`, `groups.listAll`,
//!     `groups.archive`, `groups.unarchive`, `groups.setTopic`, `groups.setAnnouncement`,
//!     `groups.setDescription`, `groups.delete`;
//!   - teams: `teams.create` (with `members`, `owner`, `room.readOnly` and
//!     `room.extraData.broadcast`), `teams.info`, `teams.list`, `teams.listAll`,
//!     `teams.addMembers`, `teams.members`, `teams.removeMember`, `teams.leave`,
//!     `teams.listRooms`, `teams.addRooms`, `teams.listChildren`.
//!
//!   Each rule names the server code it follows (in `world.rs`). Lists page with `offset` and
//!   `count` (clamped, see [`FakeRocketChat::set_max_count`]), and `sort` where the server
//!   reads it (`groups.list`, `groups.listAll`, `teams.list`).
//! - Every other operation answers with its first success example from the spec. Every
//!   success the fake sends, modeled or not, is checked to decode as the generated output type
//!   (a fake bug is a 500 naming the operation, never a silently wrong answer).
//! - Faults on demand: [`FakeRocketChat::rate_limit`], [`FakeRocketChat::require_two_factor`]
//!   (which challenges every call that needs a login but `logout`, not only password logins,
//!   and remembers no code: each call must send it), [`FakeRocketChat::expire_tokens`],
//!   [`FakeRocketChat::unauthorized_shape`] and [`FakeRocketChat::fail_next`] (a proxy's HTML
//!   502, a stall, a reset connection); and [`FakeRocketChat::answer_next`], a status and body
//!   of the test's own for the next valid call of an operation.
//! - [`FakeRocketChat::calls`] records each request (method, path, query, body, operation,
//!   status, and whether the answer came from the model) with passwords, tokens and codes
//!   redacted.
//!
//! # Where it simplifies
//!
//! Permissions are the server's default roles only (no custom roles, no per-room
//! overrides); membership is all there is of subscriptions (`groups.open`/`close` answer from
//! the examples); there are no messages, files, integrations or discussions; the only channels
//! are public teams' main rooms (`channels.*` answer from the examples); two-factor
//! authentication, when required, is TOTP with one fixed code, asked of password logins and of
//! every call that needs a login but `logout`, and a code is not remembered between calls. A team's roles and its main room's owners and moderators are
//! kept in step, as the server keeps them; leaders are the room's alone. The standalone binary
//! (`cargo run -p rocketchat-fake -- --port 3000 --user bob`) serves the same fake to any
//! language, with the users its `--user` options name.

mod server;
mod spec;
mod world;

use rocketchat::Credentials;
use server::{Faults, Outcome, RateLimitState, Shared};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};
use tokio::net::TcpListener;
use world::World;

/// The version the fake says it is (`GET /api/info`).
pub const SERVER_VERSION: &str = "8.1.0";
/// The seeded administrator.
pub const ADMIN_USERNAME: &str = "admin";
pub const ADMIN_PASSWORD: &str = "fake-admin-password";

/// A fake Rocket.Chat server running on `127.0.0.1`. It stops when dropped.
pub struct FakeRocketChat {
    url: String,
    shared: Arc<Shared>,
    admin: Credentials,
    admin_token: String,
    task: tokio::task::JoinHandle<()>,
    /// For a fake on a thread of its own: dropping it ends that thread's runtime.
    _runtime_thread: Option<tokio::sync::oneshot::Sender<()>>,
}

/// A user of the fake. Its `Debug` output leaves out the password and the token.
#[derive(Clone)]
pub struct FakeUser {
    pub id: String,
    pub username: String,
    pub password: String,
    /// A login token, as after logging in.
    pub credentials: Credentials,
    /// The same token, for requests made without the client.
    pub token: String,
}

/// No secret in any output: a test that prints a user (`{alice:?}`) shows neither its password
/// nor its token.
impl std::fmt::Debug for FakeUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeUser")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password", &"<redacted>")
            .field("credentials", &self.credentials)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// How the fake answers a call without valid credentials.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnauthorizedShape {
    /// 7.x and 8.x: `success`, `error`, `status` and `message`.
    #[default]
    Current,
    /// Old servers: `{"status": "error", "message": ...}`.
    Old,
    /// 9.x: `{"success": false, "error": ...}`.
    V9,
}

/// A misbehaviour for the next call of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A proxy's HTML page with status 502.
    ProxyError,
    /// No answer at all: the connection stays open (past any client timeout).
    Stall,
    /// The connection is closed without an answer.
    ResetConnection,
}

/// One request the fake received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    /// The JSON body, with `password`, `resume`, `code`, `authToken` and `token` values redacted.
    pub body: Option<serde_json::Value>,
    /// The operation it was routed to.
    pub operation: Option<&'static str>,
    /// The status answered; 0 when the fake stalled or reset the connection.
    pub status: u16,
    /// The answer did not come from the fake's model of the server's rules: the fake does not
    /// model the operation (the spec's first success example answered, or an empty success
    /// when it has none), or the test scripted it ([`FakeRocketChat::answer_next`]).
    pub unmodeled: bool,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl FakeRocketChat {
    /// Starts the fake on a free port of `127.0.0.1`, on the current tokio runtime.
    pub async fn start() -> std::io::Result<Self> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts the fake on `address` (the standalone binary's `--port`).
    pub async fn bind(address: SocketAddr) -> std::io::Result<Self> {
        let specs = spec::operations().map_err(std::io::Error::other)?;
        let mut world = World::new();
        let admin = world.add_user(ADMIN_USERNAME, ADMIN_PASSWORD, &["admin", "user"]);
        let token = world.issue_token(&admin.id);
        let shared = Arc::new(Shared {
            routes: server::routes(),
            specs,
            world: Mutex::new(world),
            faults: Mutex::new(Faults::default()),
            calls: Mutex::new(Vec::new()),
        });
        let listener = TcpListener::bind(address).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let task = tokio::spawn(accept(listener, shared.clone()));
        Ok(Self {
            url,
            shared,
            admin: Credentials::new(admin.id, token.clone()),
            admin_token: token,
            task,
            _runtime_thread: None,
        })
    }

    /// Starts the fake on a thread of its own, with its own runtime: for tests without an async
    /// runtime, such as those of the blocking client. It stops when dropped.
    pub fn start_on_thread() -> std::io::Result<Self> {
        let (started, receive_started) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new().name("rocketchat-fake".into()).spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = started.send(Err(error));
                    return;
                }
            };
            runtime.block_on(async move {
                let _ = started.send(Self::start().await);
                // Serve until the fake is dropped.
                let _ = stopped.await;
            });
        })?;
        let mut fake = receive_started.recv().map_err(std::io::Error::other)??;
        fake._runtime_thread = Some(stop);
        Ok(fake)
    }

    /// `http://127.0.0.1:PORT`: the base URL to give the client.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The seeded administrator's credentials (user `admin`, password [`ADMIN_PASSWORD`]).
    pub fn admin(&self) -> Credentials {
        self.admin.clone()
    }

    /// The administrator's token, for requests made without the client (`X-Auth-Token`).
    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }

    /// Adds a user with these global roles (`user`, `admin`, `bot`, `guest`, ...), logged in.
    pub fn add_user(&self, username: &str, roles: &[&str]) -> FakeUser {
        let mut world = lock(&self.shared.world);
        let password = format!("{username}-password");
        let user = world.add_user(username, &password, roles);
        let token = world.issue_token(&user.id);
        FakeUser {
            credentials: Credentials::new(user.id.clone(), token.clone()),
            token,
            id: user.id,
            username: user.username,
            password,
        }
    }

    /// Every request received so far, in order.
    pub fn calls(&self) -> Vec<RecordedCall> {
        lock(&self.shared.calls).clone()
    }

    /// The users `users.2fa.sendEmailCode` was asked to email a code to.
    pub fn email_codes_sent(&self) -> Vec<String> {
        lock(&self.shared.world).email_codes_sent.clone()
    }

    /// The "Max Record Amount" setting: list calls silently clamp `count` to it (default 100).
    pub fn set_max_count(&self, max: i64) {
        lock(&self.shared.world).max_count = max.max(1);
    }

    /// After `calls` calls of `operation` within `window`, answers 429 with the server's body
    /// and `X-RateLimit-Limit`/`-Remaining`/`-Reset` headers until the window ends.
    pub fn rate_limit(&self, operation: &str, calls: u32, window: Duration) {
        let state = RateLimitState { limit: calls, window, started: SystemTime::now(), used: 0 };
        lock(&self.shared.faults).rate_limits.insert(operation.to_owned(), state);
    }

    /// Requires the TOTP code `code` on password logins (a resume login skips it, as on the
    /// server) and on every call that needs a login but `logout`, answering `totp-required`
    /// (or `totp-invalid`) with the server's `details` until it is sent.
    pub fn require_two_factor(&self, code: &str) {
        lock(&self.shared.faults).two_factor_code = Some(code.to_owned());
    }

    /// Invalidates every token of the user (as an expiry or an administrator would): calls
    /// with them get 401. Logging in still works.
    pub fn expire_tokens(&self, user_id: &str) {
        let mut world = lock(&self.shared.world);
        if let Some(user) = world.users.iter_mut().find(|user| user.id == user_id) {
            user.tokens.clear();
        }
    }

    /// The body of 401 answers.
    pub fn unauthorized_shape(&self, shape: UnauthorizedShape) {
        lock(&self.shared.faults).unauthorized = shape;
    }

    /// Misbehaves on the next call of `operation` only.
    ///
    /// # Panics
    ///
    /// When the spec has no operation `operation`: a misspelt id would never fire.
    #[track_caller]
    pub fn fail_next(&self, operation: &str, fault: Fault) {
        self.known(operation);
        lock(&self.shared.faults).next.insert(operation.to_owned(), fault);
    }

    /// Answers a coming call of `operation` with `status` and the JSON `body` as given, instead
    /// of the fake's model or the spec's example: for a response the fake cannot produce, such
    /// as a server error or an operation it does not model. Each scripted answer serves one
    /// call, in the order they were scripted.
    ///
    /// The call it serves is the next one to pass the fake's gates: logged in (unless the
    /// operation needs no login), not rate limited, its second factor given when one is
    /// required, its input as the spec allows. A scripted `login` answer is given before the
    /// credentials are checked. A success body must still decode as the operation's output
    /// type, and `success: true` is not added; a status that cannot carry a body (1xx, 204,
    /// 304, or not an HTTP status) is answered with a 500 naming the mistake.
    ///
    /// # Panics
    ///
    /// When the spec has no operation `operation`: a misspelt id would never fire.
    #[track_caller]
    pub fn answer_next(&self, operation: &str, status: u16, body: serde_json::Value) {
        self.known(operation);
        lock(&self.shared.faults).answers.entry(operation.to_owned()).or_default().push_back((status, body));
    }

    #[track_caller]
    fn known(&self, operation: &str) {
        assert!(self.shared.specs.contains_key(operation), "the spec has no operation `{operation}`");
    }

    /// Removes every fault and every scripted answer.
    pub fn clear_faults(&self) {
        *lock(&self.shared.faults) = Faults::default();
    }
}

impl Drop for FakeRocketChat {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::fmt::Debug for FakeRocketChat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeRocketChat").field("url", &self.url).finish_non_exhaustive()
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, say: wait for some to close rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let shared = shared.clone();
                async move {
                    match server::handle(shared, request).await {
                        Outcome::Answer(response) => Ok::<_, ConnectionDropped>(response),
                        Outcome::Stall => {
                            std::future::pending::<()>().await;
                            Err(ConnectionDropped)
                        }
                        Outcome::Reset => Err(ConnectionDropped),
                    }
                }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            // A connection that ends badly is the client's business (or the fault asked for).
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
        });
    }
}

/// The service's error: hyper closes the connection without an answer.
#[derive(Debug)]
struct ConnectionDropped;

impl std::fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the fake dropped the connection on purpose")
    }
}

impl std::error::Error for ConnectionDropped {}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// The operations the fake models, as the crate docs and the README list them.
    const MODELED: [&str; 36] = [
        "login",
        "logout",
        "me",
        "serverInfo",
        "users.2fa.sendEmailCode",
        "groups.create",
        "groups.info",
        "groups.invite",
        "groups.kick",
        "groups.leave",
        "groups.addOwner",
        "groups.removeOwner",
        "groups.addModerator",
        "groups.removeModerator",
        "groups.addLeader",
        "groups.removeLeader",
        "groups.members",
        "groups.list",
        "groups.listAll",
        "groups.archive",
        "groups.unarchive",
        "groups.setTopic",
        "groups.setAnnouncement",
        "groups.setDescription",
        "groups.delete",
        "teams.create",
        "teams.info",
        "teams.list",
        "teams.listAll",
        "teams.addMembers",
        "teams.members",
        "teams.removeMember",
        "teams.leave",
        "teams.listRooms",
        "teams.addRooms",
        "teams.listChildren",
    ];

    /// A user reads the docs to know which answers follow the server's rules and which are the
    /// spec's examples: the list must be the operations the code models, no more, no fewer.
    #[test]
    fn the_docs_list_exactly_the_operations_the_fake_models() {
        // Answered in server.rs, before the world's rules.
        let session = ["login", "logout", "serverInfo", "users.2fa.sendEmailCode"];
        let mut world = super::World::new();
        let admin = world.add_user("admin", "password", &["admin"]);
        let specs = super::spec::operations().unwrap();
        for id in specs.keys() {
            let modeled = session.contains(&id.as_str()) || world.handle(id, &admin.id, &json!({})).is_some();
            assert_eq!(modeled, MODELED.contains(&id.as_str()), "{id}: modeled is {modeled}");
        }
        let crate_docs: String =
            include_str!("lib.rs").lines().filter_map(|line| line.strip_prefix("//!")).collect::<Vec<_>>().join("\n");
        let readme = include_str!("../../../README.md");
        let readme = &readme[readme.find("### Testing against a fake Rocket.Chat").unwrap()..];
        let readme = &readme[..readme[4..].find("\n### ").map_or(readme.len(), |end| end + 4)];
        for id in MODELED {
            assert!(specs.contains_key(id), "{id} is not in the spec");
            assert!(crate_docs.contains(&format!("`{id}`")), "the crate docs do not list {id}");
            assert!(readme.contains(&format!("`{id}`")), "the README does not list {id}");
        }
    }
}
