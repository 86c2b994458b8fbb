//! The fake's state (users, private groups, teams) and the server's rules for the operations
//! it models. Each rule names the server code it follows (RocketChat/Rocket.Chat 8.x); the
//! messages and error shapes are the server's.
//!
//! Simplifications, also listed in the crate docs: one permission table (the server's default
//! roles, no custom roles or per-room overrides), no subscriptions beyond membership (`open`
//! and `close` are not modeled), no messages, and the only channels are public teams' main
//! rooms.

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// A response the fake sends: its status and JSON body (`None`: an empty body).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
}

impl Reply {
    pub fn ok(fields: Value) -> Self {
        let mut body = match fields {
            Value::Object(object) => object,
            _ => Map::new(),
        };
        body.insert("success".into(), Value::Bool(true));
        Self { status: 200, body: Some(Value::Object(body)) }
    }

    pub fn json(status: u16, body: Value) -> Self {
        Self { status, body: Some(body) }
    }

    /// A `Meteor.Error` as `API.v1.failure` sends it: `error` is the reason with the code in
    /// brackets, `errorType` the code (apps/meteor/server/api/ApiClass.ts).
    fn meteor(error_type: &str, reason: &str, method: Option<&str>) -> Self {
        let mut body = json!({"success": false, "error": format!("{reason} [{error_type}]"), "errorType": error_type});
        if let Some(method) = method {
            body["details"] = json!({"method": method});
        }
        Self::json(400, body)
    }

    /// A plain `Error` thrown in a handler: only its message (the teams service's errors).
    fn plain(message: &str) -> Self {
        Self::json(400, json!({"success": false, "error": message}))
    }

    /// `API.v1.forbidden()`.
    fn forbidden() -> Self {
        Self::json(403, json!({"success": false, "error": "unauthorized"}))
    }

    /// The 403 of a route that declares `permissionsRequired` (apps/meteor/server/api/ApiClass.ts).
    fn permissions_required() -> Self {
        Self::json(
            403,
            json!({"success": false, "error": "User does not have the permissions required for this action [error-unauthorized]"}),
        )
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub username: String,
    pub name: String,
    pub password: String,
    pub roles: Vec<String>,
    pub tokens: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct Room {
    id: String,
    name: String,
    creator: String,
    members: Vec<String>,
    owners: BTreeSet<String>,
    moderators: BTreeSet<String>,
    leaders: BTreeSet<String>,
    archived: bool,
    read_only: bool,
    /// `extraData.broadcast` as given: createRoom spreads `extraData` onto the room, so the
    /// field is there (true or false) only when the creator sent it.
    broadcast: Option<bool>,
    /// A public channel (`t: "c"`): Team.create makes a public team's main room one. Every
    /// other room is a private group (`t: "p"`), which alone `groups.*` calls see.
    channel: bool,
    topic: Option<String>,
    announcement: Option<String>,
    description: Option<String>,
    team_id: Option<String>,
    team_main: bool,
}

#[derive(Debug, Clone)]
struct Team {
    id: String,
    name: String,
    /// 0 public, 1 private.
    kind: i64,
    main_room: String,
    /// Member ids and their team roles. `None`: the member document has no `roles` field, as
    /// `Team.create` and `Team.addMember` store members (only the owner gets `['owner']`);
    /// `teams.members` then sends no `roles`.
    members: Vec<(String, Option<Vec<String>>)>,
    created_by: String,
}

pub struct World {
    pub users: Vec<User>,
    rooms: Vec<Room>,
    teams: Vec<Team>,
    next_id: u64,
    /// The "Max Record Amount" setting (`API_Upper_Count_Limit`, default 100): `count` is
    /// clamped to it without a word.
    pub max_count: i64,
    /// Email codes asked for with `users.2fa.sendEmailCode`, by the user named.
    pub email_codes_sent: Vec<String>,
}

/// The default roles of the permissions the modeled operations check
/// (apps/meteor/app/authorization/server/constant/permissions.ts). Room roles (`owner`,
/// `moderator`, `leader`) count in their room.
fn roles_with(permission: &str) -> &'static [&'static str] {
    match permission {
        "create-p" => &["admin", "user", "bot"],
        "create-c" => &["admin", "user", "bot", "app"],
        "leave-p" => &["admin", "user", "bot", "guest", "app"],
        "remove-user" => &["admin", "owner", "moderator"],
        "kick-user-from-any-p-room" => &["admin"],
        "add-user-to-joined-room" => &["admin", "owner", "moderator"],
        "add-user-to-any-p-room" => &["admin"],
        "set-owner" | "set-moderator" | "set-leader" => &["admin", "owner"],
        "archive-room" | "unarchive-room" | "delete-p" => &["admin", "owner"],
        "edit-room" => &["admin", "owner", "moderator"],
        "create-team" => &["admin", "user"],
        "add-team-member" | "edit-team-member" | "create-team-group" => &["admin", "owner", "moderator"],
        // Migration 315 copies `add-team-channel`'s roles to it; the e2e tests restore these.
        "move-room-to-team" => &["admin", "owner", "moderator"],
        "view-all-teams" | "view-statistics" | "view-room-administration" => &["admin"],
        "view-all-team-channels" => &["admin", "owner"],
        "view-broadcast-member-list" => &["admin", "owner", "moderator"],
        "view-c-room" => &["admin", "user", "bot", "app", "anonymous"],
        _ => &["admin"],
    }
}

const ROOM_NOT_FOUND: &str = "The required \"roomId\" or \"roomName\" param provided does not match any group";

impl World {
    pub fn new() -> Self {
        Self {
            users: Vec::new(),
            rooms: Vec::new(),
            teams: Vec::new(),
            next_id: 0,
            max_count: 100,
            email_codes_sent: Vec::new(),
        }
    }

    /// A new id, shaped like the server's (17 characters).
    pub fn id(&mut self) -> String {
        self.next_id += 1;
        format!("Fk{:015}", self.next_id)
    }

    pub fn add_user(&mut self, username: &str, password: &str, roles: &[&str]) -> User {
        let user = User {
            id: self.id(),
            username: username.into(),
            name: username.into(),
            password: password.into(),
            roles: roles.iter().map(|role| (*role).to_owned()).collect(),
            tokens: Vec::new(),
        };
        self.users.push(user.clone());
        user
    }

    pub fn user_by_token(&self, user_id: &str, token: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == user_id && user.tokens.iter().any(|held| held == token))
    }

    pub fn issue_token(&mut self, user_id: &str) -> String {
        self.next_id += 1;
        let token = format!("fake-token-{}-{}", self.next_id, user_id);
        if let Some(user) = self.users.iter_mut().find(|user| user.id == user_id) {
            user.tokens.push(token.clone());
        }
        token
    }

    fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }

    fn has_permission(&self, user_id: &str, permission: &str, room: Option<&Room>) -> bool {
        let Some(user) = self.user(user_id) else { return false };
        let mut roles: Vec<&str> = user.roles.iter().map(String::as_str).collect();
        if let Some(room) = room {
            for (role, holders) in [("owner", &room.owners), ("moderator", &room.moderators), ("leader", &room.leaders)]
            {
                if holders.contains(user_id) {
                    roles.push(role);
                }
            }
        }
        roles.iter().any(|role| roles_with(permission).contains(role))
    }

    /// The operations the fake models; `None` for the rest, which answer from the spec.
    pub fn handle(&mut self, operation: &str, caller: &str, input: &Value) -> Option<Reply> {
        let reply = match operation {
            "me" => self.me(caller),
            "groups.create" => self.groups_create(caller, input),
            "groups.info" => self.groups_info(caller, input),
            "groups.invite" => self.groups_invite(caller, input),
            "groups.kick" => self.groups_kick(caller, input),
            "groups.leave" => self.groups_leave(caller, input),
            "groups.addOwner" => self.set_room_role(caller, input, "owner", true),
            "groups.removeOwner" => self.set_room_role(caller, input, "owner", false),
            "groups.addModerator" => self.set_room_role(caller, input, "moderator", true),
            "groups.removeModerator" => self.set_room_role(caller, input, "moderator", false),
            "groups.addLeader" => self.set_room_role(caller, input, "leader", true),
            "groups.removeLeader" => self.set_room_role(caller, input, "leader", false),
            "groups.members" => self.groups_members(caller, input),
            "groups.list" => self.groups_list(caller, input),
            "groups.listAll" => self.groups_list_all(caller, input),
            "groups.archive" => self.groups_archive(caller, input, true),
            "groups.unarchive" => self.groups_archive(caller, input, false),
            "groups.setTopic" => self.set_text(caller, input, "topic"),
            "groups.setAnnouncement" => self.set_text(caller, input, "announcement"),
            "groups.setDescription" => self.set_text(caller, input, "description"),
            "groups.delete" => self.groups_delete(caller, input),
            "teams.create" => self.teams_create(caller, input),
            "teams.info" => self.teams_info(input),
            "teams.list" => self.teams_list(caller, input),
            "teams.listAll" => self.teams_list_all(caller, input),
            "teams.addMembers" => self.teams_add_members(caller, input),
            "teams.members" => self.teams_members(caller, input),
            "teams.removeMember" => self.teams_remove_member(caller, input),
            "teams.leave" => self.teams_leave(caller, input),
            "teams.listRooms" => self.teams_list_rooms(caller, input),
            "teams.listChildren" => self.teams_list_children(caller, input),
            "teams.addRooms" => self.teams_add_rooms(caller, input),
            _ => return None,
        };
        Some(reply)
    }

    fn me(&self, caller: &str) -> Reply {
        match self.user(caller) {
            Some(user) => Reply::ok(self.me_json(user)),
            None => Reply::plain("User not found"),
        }
    }

    pub fn me_json(&self, user: &User) -> Value {
        json!({"_id": user.id, "username": user.username, "name": user.name, "active": true, "roles": user.roles,
            "status": "online", "emails": [{"address": format!("{}@example.com", user.username), "verified": true}]})
    }

    fn user_summary(&self, id: &str) -> Value {
        match self.user(id) {
            Some(user) => json!({"_id": user.id, "username": user.username, "name": user.name, "status": "online"}),
            None => json!({"_id": id}),
        }
    }

    fn room_json(&self, room: &Room) -> Value {
        let creator = self.user_summary(&room.creator);
        let kind = if room.channel { "c" } else { "p" };
        let mut json = json!({
            "_id": room.id, "name": room.name, "fname": room.name, "t": kind, "usersCount": room.members.len(),
            "u": {"_id": creator["_id"], "username": creator["username"]}, "ro": room.read_only,
            "ts": "2026-11-28T10:00:00.000Z", "_updatedAt": "2026-11-28T10:00:00.000Z", "msgs": 0, "default": false,
        });
        for (key, value) in
            [("topic", &room.topic), ("announcement", &room.announcement), ("description", &room.description)]
        {
            if let Some(value) = value {
                json[key] = json!(value);
            }
        }
        if let Some(broadcast) = room.broadcast {
            json["broadcast"] = json!(broadcast);
        }
        if room.archived {
            json["archived"] = json!(true);
        }
        if let Some(team) = &room.team_id {
            json["teamId"] = json!(team);
            // Only `Rooms.setTeamMainById` (Team.create) sets `teamMain`, on the main room;
            // createRoom and `Team.addRooms` (`Rooms.setTeamByIds`) set `teamId` alone, and
            // `teams.listRooms` finds the other rooms by `teamMain: {$exists: false}`.
            if room.team_main {
                json["teamMain"] = json!(true);
            }
        }
        json
    }

    // ---- selectors -------------------------------------------------------------------

    /// The room a `groups.*` call names, as `findPrivateGroupByIdOrName` in
    /// apps/meteor/server/api/v1/groups.ts finds it: `roomId` wins over `roomName`; a room that
    /// is not a private group is not found (`getRoomFromParams`: `room?.t !== 'p'`); the caller
    /// must be in the room (`canAccessRoomAsync`: for a private group only `_validateIfAlreadyJoined`
    /// can pass, and no role bypasses it); an archived room is refused unless `archived` is allowed.
    fn find_group(&self, caller: &str, input: &Value, allow_archived: bool) -> Result<usize, Reply> {
        self.find_group_as(caller, input, allow_archived, true)
    }

    /// `find_group`, with the access check only when `check_access`: `groups.kick`
    /// (`getRoomFromParams`) and `groups.invite` (`Rooms.findOneByIdOrName`) find the room
    /// without it and leave the caller's rights to the method's permissions
    /// (`kick-user-from-any-p-room`, `add-user-to-any-p-room`).
    fn find_group_as(
        &self,
        caller: &str,
        input: &Value,
        allow_archived: bool,
        check_access: bool,
    ) -> Result<usize, Reply> {
        let id = text(input, "roomId");
        let name = text(input, "roomName");
        if id.is_none() && name.is_none() {
            return Err(Reply::meteor(
                "error-room-param-not-provided",
                "The parameter \"roomId\" or \"roomName\" is required",
                None,
            ));
        }
        let index = self.rooms.iter().position(|room| match id {
            Some(id) => room.id == id,
            None => Some(room.name.as_str()) == name,
        });
        let Some(index) = index.filter(|index| !self.rooms[*index].channel) else {
            return Err(Reply::meteor("error-room-not-found", ROOM_NOT_FOUND, None));
        };
        let room = &self.rooms[index];
        if check_access && !room.members.iter().any(|member| member == caller) {
            return Err(Reply::meteor("error-room-not-found", ROOM_NOT_FOUND, None));
        }
        if room.archived && !allow_archived {
            return Err(Reply::meteor(
                "error-room-archived",
                &format!("The private group, {}, is archived", room.name),
                None,
            ));
        }
        Ok(index)
    }

    /// `groups.info` in apps/meteor/server/api/v1/groups.ts: archived groups included.
    fn groups_info(&self, caller: &str, input: &Value) -> Reply {
        match self.find_group(caller, input, true) {
            Ok(index) => Reply::ok(json!({"group": self.room_json(&self.rooms[index])})),
            Err(reply) => reply,
        }
    }

    /// The user a call names (`getUserFromParams` in apps/meteor/server/api/helpers): `userId`,
    /// else `username`, else `user`.
    fn find_user(&self, input: &Value) -> Result<String, Reply> {
        let given = text(input, "userId")
            .map(|id| (true, id))
            .or_else(|| text(input, "username").or_else(|| text(input, "user")).map(|name| (false, name)));
        let Some((by_id, value)) = given else {
            return Err(Reply::meteor(
                "error-user-param-not-provided",
                "The required \"userId\" or \"username\" param was not provided",
                None,
            ));
        };
        self.users
            .iter()
            .find(|user| if by_id { user.id == value } else { user.username == value })
            .map(|user| user.id.clone())
            .ok_or_else(|| {
                Reply::meteor(
                    "error-invalid-user",
                    "The required \"userId\" or \"username\" param provided does not match any users",
                    None,
                )
            })
    }

    // ---- groups ----------------------------------------------------------------------

    /// `createPrivateGroupMethod` (apps/meteor/server/meteor-methods/rooms/createPrivateGroup.ts)
    /// and `createRoom` (apps/meteor/server/lib/rooms/createRoom.ts). With `extraData.teamId` the
    /// group is made in that team: the team must exist (`error-team-not-found`) and the caller
    /// needs `create-team-group` in its main room instead of `create-p`. With `excludeSelf` the
    /// caller is not made a member, nor so an owner, unless `members` names them. A broadcast
    /// group is read-only whatever `readOnly` says.
    fn groups_create(&mut self, caller: &str, input: &Value) -> Reply {
        let team_id = input.pointer("/extraData/teamId").and_then(Value::as_str).filter(|id| !id.is_empty());
        let allowed = match team_id {
            Some(team_id) => {
                let Some(team) = self.teams.iter().find(|team| team.id == team_id) else {
                    return Reply::meteor(
                        "error-team-not-found",
                        "The \"teamId\" param provided does not match any team",
                        Some("createPrivateGroup"),
                    );
                };
                self.team_role_allows(caller, team, "create-team-group")
            }
            None => self.has_permission(caller, "create-p", None),
        };
        if !allowed {
            return Reply::meteor("error-not-allowed", "Not allowed", Some("createPrivateGroup"));
        }
        let Some(name) = text(input, "name") else { return Reply::plain("Body param \"name\" is required") };
        if self.rooms.iter().any(|room| room.name == name) || self.teams.iter().any(|team| team.name == name) {
            return Reply::json(
                400,
                json!({"success": false, "error": format!("A channel with name '{name}' exists [error-duplicate-channel-name]"),
                    "errorType": "error-duplicate-channel-name", "details": {"method": "createPrivateGroup", "channel_name": name}}),
            );
        }
        let exclude_self = input.get("excludeSelf").and_then(Value::as_bool).unwrap_or(false);
        let mut members = if exclude_self { Vec::new() } else { vec![caller.to_owned()] };
        for username in input.get("members").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            if let Some(user) = self.users.iter().find(|user| user.username == username)
                && !members.contains(&user.id)
            {
                members.push(user.id.clone());
            }
        }
        // The creator's subscription is the one made an owner; without one there is no owner.
        let owners = if members.iter().any(|member| member == caller) {
            BTreeSet::from([caller.to_owned()])
        } else {
            BTreeSet::new()
        };
        let id = self.id();
        let (read_only, broadcast) = room_options(input);
        let room = Room {
            id,
            name: name.to_owned(),
            creator: caller.to_owned(),
            members,
            owners,
            read_only,
            broadcast,
            team_id: team_id.map(str::to_owned),
            ..Room::default()
        };
        let json = self.room_json(&room);
        self.rooms.push(room);
        Reply::ok(json!({"group": json}))
    }

    /// `addUsersToRoom` (apps/meteor/app/lib/server/methods/addUsersToRoom.ts).
    fn groups_invite(&mut self, caller: &str, input: &Value) -> Reply {
        // The archived refusal is kept from before; not checked against the newest route.
        let index = match self.find_group_as(caller, input, false, false) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let mut wanted: Vec<(bool, String)> = Vec::new();
        for (key, by_id) in [("userId", true), ("username", false), ("user", false)] {
            if let Some(value) = text(input, key) {
                wanted.push((by_id, value.to_owned()));
            }
        }
        for (key, by_id) in [("userIds", true), ("usernames", false)] {
            for value in input
                .get(key)
                .or_else(|| input.get("body").and_then(|body| body.get(key)))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(value) = value.as_str() {
                    wanted.push((by_id, value.to_owned()));
                }
            }
        }
        if wanted.is_empty() {
            return Reply::meteor(
                "error-users-params-not-provided",
                "Please provide \"userId\" or \"username\" or \"userIds\" or \"usernames\" as param",
                None,
            );
        }
        let room = &self.rooms[index];
        let allowed = self.has_permission(caller, "add-user-to-joined-room", Some(room))
            || self.has_permission(caller, "add-user-to-any-p-room", None);
        if !allowed {
            return Reply::meteor("error-not-allowed", "Not allowed", Some("addUsersToRoom"));
        }
        let ids: Vec<String> = wanted
            .iter()
            .filter_map(|(by_id, value)| {
                self.users.iter().find(|user| if *by_id { &user.id == value } else { &user.username == value })
            })
            .map(|user| user.id.clone())
            .collect();
        if ids.is_empty() {
            return Reply::meteor("error-empty-invite-list", "Cannot invite if no valid users are provided", None);
        }
        let room = &mut self.rooms[index];
        for id in ids {
            if !room.members.contains(&id) {
                room.members.push(id);
            }
        }
        let json = self.room_json(&self.rooms[index]);
        Reply::ok(json!({"group": json}))
    }

    /// `removeUserFromRoom` (apps/meteor/server/methods/removeUserFromRoom.ts).
    fn groups_kick(&mut self, caller: &str, input: &Value) -> Reply {
        // `getRoomFromParams`: no access or archived check here.
        let index = match self.find_group_as(caller, input, true, false) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let target = match self.find_user(input) {
            Ok(target) => target,
            Err(reply) => return reply,
        };
        let room = &self.rooms[index];
        let allowed = self.has_permission(caller, "remove-user", Some(room))
            || self.has_permission(caller, "kick-user-from-any-p-room", None);
        if !allowed {
            return Reply::meteor("error-not-allowed", "Not allowed", Some("removeUserFromRoom"));
        }
        if !room.members.contains(&target) {
            return Reply::meteor("error-user-not-in-room", "User is not in this room", Some("removeUserFromRoom"));
        }
        if room.owners.contains(&target) && room.owners.len() == 1 {
            return Reply::meteor(
                "error-you-are-last-owner",
                "You are the last owner. Please set new owner before leaving the room.",
                Some("removeUserFromRoom"),
            );
        }
        self.remove_member(index, &target);
        self.leave_team_of_main_room(index, &target);
        Reply::ok(json!({}))
    }

    /// `leaveRoomMethod` (apps/meteor/server/methods/leaveRoom.ts): the last owner cannot leave,
    /// whoever else is in the room.
    fn groups_leave(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_group(caller, input, false) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        if !self.has_permission(caller, "leave-p", None) {
            return Reply::meteor("error-not-allowed", "Not allowed", Some("leaveRoom"));
        }
        let room = &self.rooms[index];
        if room.owners.contains(caller) && room.owners.len() == 1 {
            return Reply::meteor(
                "error-you-are-last-owner",
                "You are the last owner. Please set new owner before leaving the room.",
                Some("leaveRoom"),
            );
        }
        self.remove_member(index, caller);
        self.leave_team_of_main_room(index, caller);
        Reply::ok(json!({}))
    }

    fn remove_member(&mut self, index: usize, user: &str) {
        let room = &mut self.rooms[index];
        room.members.retain(|member| member != user);
        room.owners.remove(user);
        room.moderators.remove(user);
        room.leaders.remove(user);
    }

    /// `addRoomOwner`, `removeRoomOwner`, `addRoomModerator`, `removeRoomModerator`,
    /// `addRoomLeader`, `removeRoomLeader` (apps/meteor/server/methods/).
    fn set_room_role(&mut self, caller: &str, input: &Value, role: &str, add: bool) -> Reply {
        let index = match self.find_group(caller, input, false) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let target = match self.find_user(input) {
            Ok(target) => target,
            Err(reply) => return reply,
        };
        let capitalized = format!("{}{}", role[..1].to_uppercase(), &role[1..]);
        let method = format!("{}Room{capitalized}", if add { "add" } else { "remove" });
        let room = &self.rooms[index];
        if !self.has_permission(caller, &format!("set-{role}"), Some(room)) {
            return Reply::meteor("error-not-allowed", "Not allowed", Some(&method));
        }
        if !room.members.contains(&target) {
            // removeRoomOwner.ts and removeRoomModerator.ts say the room is invalid.
            if !add && role != "leader" {
                return Reply::meteor("error-invalid-room", "Invalid room", Some(&method));
            }
            return Reply::meteor("error-user-not-in-room", "User is not in this room", Some(&method));
        }
        let holders = match role {
            "owner" => &room.owners,
            "moderator" => &room.moderators,
            _ => &room.leaders,
        };
        let holds = holders.contains(&target);
        let article = if role == "owner" { "an" } else { "a" };
        match (add, holds) {
            (true, true) => {
                return Reply::meteor(
                    &format!("error-user-already-{role}"),
                    &format!("User is already {article} {role}"),
                    Some(&method),
                );
            }
            (false, false) => {
                return Reply::meteor(
                    &format!("error-user-not-{role}"),
                    &format!("User is not {article} {role}"),
                    Some(&method),
                );
            }
            (false, true) if role == "owner" && room.owners.len() == 1 => {
                return Reply::meteor(
                    "error-remove-last-owner",
                    "This is the last owner. Please set a new owner before removing this one.",
                    Some(&method),
                );
            }
            _ => {}
        }
        let room = &mut self.rooms[index];
        let holders = match role {
            "owner" => &mut room.owners,
            "moderator" => &mut room.moderators,
            _ => &mut room.leaders,
        };
        if add {
            holders.insert(target.clone());
        } else {
            holders.remove(&target);
        }
        // On a team's main room the server keeps the team's roles in step
        // (`Team.addRolesToMember` / `removeRolesFromMember` from the room-role methods).
        if role != "leader"
            && let Some(team) = self.team_of_main_room(index)
            && let Some((_, roles)) = self.teams[team].members.iter_mut().find(|(id, _)| *id == target)
        {
            // `$addToSet` makes the field; `$pull` on a missing field leaves it missing.
            if add {
                let roles = roles.get_or_insert_with(Vec::new);
                if !roles.iter().any(|held| held == role) {
                    roles.push(role.to_owned());
                }
            } else if let Some(roles) = roles {
                roles.retain(|held| held != role);
            }
        }
        Reply::ok(json!({}))
    }

    /// The team whose main room is `self.rooms[room]`, if it is one.
    fn team_of_main_room(&self, room: usize) -> Option<usize> {
        let room = &self.rooms[room];
        if !room.team_main {
            return None;
        }
        self.teams.iter().position(|team| team.main_room == room.id)
    }

    /// Leaving or being removed from a team's main room leaves the team (`Team.removeMember`).
    fn leave_team_of_main_room(&mut self, room: usize, user: &str) {
        if let Some(team) = self.team_of_main_room(room) {
            self.teams[team].members.retain(|(id, _)| id != user);
        }
    }

    /// `groups.members` in apps/meteor/server/api/v1/groups.ts (`findUsersOfRoom`), paged; in a
    /// broadcast room only for `view-broadcast-member-list` (a 403 otherwise).
    fn groups_members(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_group(caller, input, false) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let room = &self.rooms[index];
        if room.broadcast == Some(true) && !self.has_permission(caller, "view-broadcast-member-list", Some(room)) {
            return Reply::forbidden();
        }
        let members: Vec<Value> = room.members.iter().map(|id| self.user_summary(id)).collect();
        self.paged(input, "members", members, PageCount::Sent)
    }

    /// `groups.list` in apps/meteor/server/api/v1/groups.ts: the private groups the caller is in
    /// (`Rooms.findPaginatedByTypeAndIds('p', ...)`), sorted by `sort` (by name when absent), paged.
    fn groups_list(&mut self, caller: &str, input: &Value) -> Reply {
        let groups: Vec<Value> = self
            .rooms
            .iter()
            .filter(|room| !room.channel && room.members.iter().any(|member| member == caller))
            .map(|room| self.room_json(room))
            .collect();
        match sorted(input, groups, Some(json!({"name": 1}))) {
            Ok(groups) => self.paged(input, "groups", groups, PageCount::Sent),
            Err(reply) => reply,
        }
    }

    /// `groups.listAll` in apps/meteor/server/api/v1/groups.ts: every private group, member or
    /// not, for `view-room-administration` (declared in `permissionsRequired`, so the long 403);
    /// sorted by `sort` (by name when absent), paged.
    fn groups_list_all(&mut self, caller: &str, input: &Value) -> Reply {
        if !self.has_permission(caller, "view-room-administration", None) {
            return Reply::permissions_required();
        }
        // The route's query adds `t: 'p'`: channels are not listed.
        let groups: Vec<Value> =
            self.rooms.iter().filter(|room| !room.channel).map(|room| self.room_json(room)).collect();
        match sorted(input, groups, Some(json!({"name": 1}))) {
            Ok(groups) => self.paged(input, "groups", groups, PageCount::Sent),
            Err(reply) => reply,
        }
    }

    /// A page of `items` under `key`, with the `count`, `offset` and `total` envelope, as
    /// `getPaginationItems` reads `offset` and `count`
    /// (apps/meteor/server/api/helpers/getPaginationItems.ts): `count` is clamped to the
    /// maximum, and `0` means "the maximum".
    fn paged(&self, input: &Value, key: &str, items: Vec<Value>, count_is: PageCount) -> Reply {
        let offset = input.get("offset").and_then(Value::as_i64).unwrap_or(0).max(0) as usize;
        let count = input.get("count").and_then(Value::as_i64).unwrap_or(50);
        let count = if count <= 0 { self.max_count } else { count.min(self.max_count) } as usize;
        let total = items.len();
        let page: Vec<Value> = items.into_iter().skip(offset).take(count).collect();
        let count = match count_is {
            PageCount::Sent => page.len(),
            PageCount::PageSize => count,
        };
        Reply::ok(json!({ key: page, "count": count, "offset": offset, "total": total }))
    }

    /// `archiveRoom` / `unarchiveRoom` (apps/meteor/app/lib/server/methods/).
    fn groups_archive(&mut self, caller: &str, input: &Value, archive: bool) -> Reply {
        let index = match self.find_group(caller, input, true) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let (permission, method) =
            if archive { ("archive-room", "archiveRoom") } else { ("unarchive-room", "unarchiveRoom") };
        if !self.has_permission(caller, permission, Some(&self.rooms[index])) {
            return Reply::meteor("error-not-authorized", "Not authorized", Some(method));
        }
        if archive && self.rooms[index].archived {
            return Reply::meteor("error-room-archived", "Room is already archived", Some(method));
        }
        self.rooms[index].archived = archive;
        Reply::ok(json!({}))
    }

    /// `saveRoomSettings` for one text setting (apps/meteor/server/methods/saveRoomSettings.ts).
    fn set_text(&mut self, caller: &str, input: &Value, setting: &str) -> Reply {
        let index = match self.find_group(caller, input, false) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        if !self.has_permission(caller, "edit-room", Some(&self.rooms[index])) {
            return Reply::meteor("error-action-not-allowed", "Editing room is not allowed", Some("saveRoomSettings"));
        }
        let value = text(input, setting).unwrap_or_default().to_owned();
        let room = &mut self.rooms[index];
        match setting {
            "topic" => room.topic = Some(value.clone()),
            "announcement" => room.announcement = Some(value.clone()),
            _ => room.description = Some(value.clone()),
        }
        Reply::ok(json!({ setting: value }))
    }

    /// `groups.delete` in apps/meteor/server/api/v1/groups.ts and `eraseRoom`
    /// (apps/meteor/server/methods/eraseRoom.ts): `delete-p`, and never a team's main room.
    fn groups_delete(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_group(caller, input, true) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        if !self.has_permission(caller, "delete-p", Some(&self.rooms[index])) {
            return Reply::meteor("error-not-allowed", "Not allowed", Some("eraseRoom"));
        }
        if self.rooms[index].team_main {
            return Reply::meteor(
                "error-cannot-delete-team-channel",
                "Cannot delete a team channel",
                Some("eraseRoom"),
            );
        }
        self.rooms.remove(index);
        Reply::ok(json!({}))
    }

    // ---- teams -------------------------------------------------------------------------

    fn team_json(&self, team: &Team) -> Value {
        json!({"_id": team.id, "name": team.name, "type": team.kind, "roomId": team.main_room,
            "createdAt": "2026-11-28T10:00:00.000Z", "_updatedAt": "2026-11-28T10:00:00.000Z",
            "createdBy": {"_id": team.created_by, "username": self.user(&team.created_by).map(|user| user.username.clone())}})
    }

    /// The team a `teams.*` call names: exactly one of `teamId` or `teamName` (the schema
    /// checks that); a missing team is the plain `team-does-not-exist`.
    fn find_team(&self, input: &Value) -> Result<usize, Reply> {
        let id = text(input, "teamId");
        let name = text(input, "teamName");
        self.teams
            .iter()
            .position(|team| match id {
                Some(id) => team.id == id,
                None => Some(team.name.as_str()) == name,
            })
            .ok_or_else(|| Reply::plain("team-does-not-exist"))
    }

    /// `teams.info` in apps/meteor/server/api/v1/teams.ts: an unknown team is the plain
    /// `Team not found`.
    fn teams_info(&self, input: &Value) -> Reply {
        match self.find_team(input) {
            Ok(index) => Reply::ok(json!({"teamInfo": self.team_json(&self.teams[index])})),
            Err(_) => Reply::plain("Team not found"),
        }
    }

    /// A team as `teams.list` and `teams.listAll` send it: with the counters `Team.list` and
    /// `Team.listAll` add (apps/meteor/server/services/team/service.ts): `rooms` is
    /// `Rooms.countByTeamId`, the team's rooms but its main room; `numberOfUsers` is
    /// `TeamMember.countByTeamId`.
    fn team_with_counters(&self, team: &Team) -> Value {
        let mut json = self.team_json(team);
        json["rooms"] = json!(
            self.rooms.iter().filter(|room| room.team_id.as_deref() == Some(&team.id) && !room.team_main).count()
        );
        json["numberOfUsers"] = json!(team.members.len());
        json
    }

    /// `teams.list` in apps/meteor/server/api/v1/teams.ts and `Team.list`: the teams the caller
    /// is a member of, public or private, in the order they were made unless `sort` says
    /// otherwise (the service passes no default sort), paged.
    fn teams_list(&mut self, caller: &str, input: &Value) -> Reply {
        let teams: Vec<Value> = self
            .teams
            .iter()
            .filter(|team| team.members.iter().any(|(id, _)| id == caller))
            .map(|team| self.team_with_counters(team))
            .collect();
        match sorted(input, teams, None) {
            Ok(teams) => self.paged(input, "teams", teams, PageCount::Sent),
            Err(reply) => reply,
        }
    }

    /// `teams.listAll` in apps/meteor/server/api/v1/teams.ts and `Team.listAll`: every team, for
    /// `view-all-teams` (declared in `permissionsRequired`, so the long 403); the route reads
    /// no `sort`: the order they were made, paged.
    fn teams_list_all(&mut self, caller: &str, input: &Value) -> Reply {
        if !self.has_permission(caller, "view-all-teams", None) {
            return Reply::permissions_required();
        }
        let teams: Vec<Value> = self.teams.iter().map(|team| self.team_with_counters(team)).collect();
        self.paged(input, "teams", teams, PageCount::Sent)
    }

    /// `canAccessRoom` (apps/meteor/server/services/authorization/canAccessRoom.ts) for the rooms
    /// here: a member sees the room; a channel is a public team's main room, which anyone with
    /// `view-c-room` sees. No role bypasses it.
    fn can_access(&self, caller: &str, room: &Room) -> bool {
        room.members.iter().any(|member| member == caller)
            || (room.channel && self.has_permission(caller, "view-c-room", None))
    }

    /// A private team is hidden from non-members without `view-all-teams`.
    fn hidden_from(&self, caller: &str, team: &Team) -> bool {
        team.kind == 1
            && !team.members.iter().any(|(id, _)| id == caller)
            && !self.has_permission(caller, "view-all-teams", None)
    }

    fn team_role_allows(&self, caller: &str, team: &Team, permission: &str) -> bool {
        let room = self.rooms.iter().find(|room| room.id == team.main_room);
        self.has_permission(caller, permission, room)
    }

    /// `Team.create` (apps/meteor/server/services/team/service.ts): the team and its main room;
    /// `room.readOnly` and `room.extraData` go to createRoom as for a group. `owner` (else the
    /// caller) makes the main room (`Room.create(owner || uid, ...)`) and is the team's one
    /// owner; the caller stays `createdBy` and, when someone else owns the team, is a member
    /// only if `members` names them. Room.create fails for an unknown owner (or one without
    /// `create-c`/`create-p`) inside Team.create's `try`: the plain `error-team-creation`, and
    /// as the room is made before the team, nothing is left. `members` are found with
    /// `Users.findActiveByIdsOrUsernames`: each entry an id or a username; entries that match no
    /// user are skipped without a word.
    fn teams_create(&mut self, caller: &str, input: &Value) -> Reply {
        // The route declares `permissionsRequired: ['create-team']`: the long 403.
        if !self.has_permission(caller, "create-team", None) {
            return Reply::permissions_required();
        }
        let Some(name) = text(input, "name") else { return Reply::plain("Body param \"name\" is required") };
        if self.teams.iter().any(|team| team.name == name) || self.users.iter().any(|user| user.username == name) {
            return Reply::plain("team-name-already-exists");
        }
        if self.rooms.iter().any(|room| room.name == name) {
            return Reply::plain("room-name-already-exists");
        }
        let kind = input.get("type").and_then(Value::as_i64).unwrap_or(0);
        let (read_only, broadcast) = room_options(input.get("room").unwrap_or(&Value::Null));
        let owner = input.get("owner").and_then(Value::as_str).filter(|owner| !owner.is_empty()).unwrap_or(caller);
        if !self.has_permission(owner, if kind == 0 { "create-c" } else { "create-p" }, None) {
            // Also when there is no such user: `has_permission` finds no roles.
            return Reply::plain("error-team-creation");
        }
        let owner = owner.to_owned();
        let team_id = self.id();
        let room_id = self.id();
        let mut members = vec![(owner.clone(), Some(vec!["owner".to_owned()]))];
        for entry in input.get("members").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            let Some(user) = self.users.iter().find(|user| user.id == entry || user.username == entry) else {
                continue;
            };
            // The owner is left out of the members (`excludeFromMembers`), each user added once.
            if !members.iter().any(|(id, _)| *id == user.id) {
                // `membersList` entries carry no `roles` (Team.create in
                // apps/meteor/server/services/team/service.ts).
                members.push((user.id.clone(), None));
            }
        }
        self.rooms.push(Room {
            id: room_id.clone(),
            name: name.to_owned(),
            creator: owner.clone(),
            members: members.iter().map(|(id, _)| id.clone()).collect(),
            owners: BTreeSet::from([owner]),
            team_id: Some(team_id.clone()),
            team_main: true,
            // `type: team.type === TeamType.PRIVATE ? 'p' : 'c'`.
            channel: kind == 0,
            read_only,
            broadcast,
            ..Room::default()
        });
        // `TeamMember.insertMany(membersList)` with the owner pushed last: the order
        // `teams.members` lists them in (no sort).
        members.rotate_left(1);
        let team = Team {
            id: team_id,
            name: name.to_owned(),
            kind,
            main_room: room_id,
            members,
            created_by: caller.to_owned(),
        };
        let json = self.team_json(&team);
        self.teams.push(team);
        Reply::ok(json!({"team": json}))
    }

    /// `teams.addMembers` in apps/meteor/server/api/v1/teams.ts and `Team.addMembers`: the
    /// caller needs `add-team-member` (a 403 otherwise); members join the main room too.
    fn teams_add_members(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_team(input) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        if !self.team_role_allows(caller, &self.teams[index], "add-team-member") {
            return Reply::forbidden();
        }
        let mut added = Vec::new();
        for member in input
            .get("members")
            .or_else(|| input.get("body").and_then(|body| body.get("members")))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(id) = member.get("userId").and_then(Value::as_str) else { continue };
            if self.user(id).is_none() {
                return Reply::plain("invalid-user");
            }
            // `Team.addMember` stores no roles; `if (member.roles)` adds the given ones
            // (`$addToSet`, so an empty array makes an empty field). No roles, or `null`: none.
            let roles: Option<Vec<String>> = member
                .get("roles")
                .and_then(Value::as_array)
                .map(|roles| roles.iter().filter_map(Value::as_str).map(str::to_owned).collect());
            added.push((id.to_owned(), roles));
        }
        let main_room = self.teams[index].main_room.clone();
        for (id, roles) in added {
            let team = &mut self.teams[index];
            if !team.members.iter().any(|(member, _)| *member == id) {
                team.members.push((id.clone(), roles));
            }
            // The team roles given are the member's roles in the main room too.
            let roles =
                self.teams[index].members.iter().find(|(member, _)| *member == id).map(|(_, roles)| roles.clone());
            if let Some(room) = self.rooms.iter_mut().find(|room| room.id == main_room) {
                for role in roles.flatten().unwrap_or_default() {
                    match role.as_str() {
                        "owner" => room.owners.insert(id.clone()),
                        "moderator" => room.moderators.insert(id.clone()),
                        _ => false,
                    };
                }
                if !room.members.contains(&id) {
                    room.members.push(id);
                }
            }
        }
        Reply::ok(json!({}))
    }

    /// `teams.members` in apps/meteor/server/api/v1/teams.ts and `Team.members`: a private team
    /// is hidden from non-members without `view-all-teams`.
    fn teams_members(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_team(input) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let team = &self.teams[index];
        if self.hidden_from(caller, team) {
            return Reply::plain("user-not-on-private-team");
        }
        let members: Vec<Value> = team
            .members
            .iter()
            .map(|(id, roles)| {
                let mut member = json!({"user": self.user_summary(id), "createdAt": "2026-11-28T10:00:00.000Z"});
                // `roles: record.roles` is `undefined` for a member stored without roles, and
                // JSON leaves it out (`Team.members`).
                if let Some(roles) = roles {
                    member["roles"] = json!(roles);
                }
                member
            })
            .collect();
        self.paged(input, "members", members, PageCount::Sent)
    }

    /// `Team.removeMember` and the checks of `teams.removeMember` in
    /// apps/meteor/server/api/v1/teams.ts: the last owner stays.
    fn teams_remove_member(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_team(input) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        if !self.team_role_allows(caller, &self.teams[index], "edit-team-member") {
            return Reply::forbidden();
        }
        let Some(target) = text(input, "userId").map(str::to_owned) else { return Reply::plain("invalid-user") };
        if self.user(&target).is_none() {
            return Reply::plain("invalid-user");
        }
        self.leave_team(index, &target)
    }

    /// `teams.leave` in apps/meteor/server/api/v1/teams.ts: `Team.removeMember` for the caller,
    /// whose checks (a member, not the last owner) follow.
    fn teams_leave(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_team(input) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        self.leave_team(index, caller)
    }

    fn leave_team(&mut self, index: usize, user: &str) -> Reply {
        let team = &self.teams[index];
        let Some(position) = team.members.iter().position(|(id, _)| id == user) else {
            return Reply::plain("member-does-not-exist");
        };
        let is_owner = |roles: &Option<Vec<String>>| roles.iter().flatten().any(|role| role == "owner");
        let owners = team.members.iter().filter(|(_, roles)| is_owner(roles)).count();
        if owners == 1 && is_owner(&team.members[position].1) {
            return Reply::plain("last-owner-can-not-be-removed");
        }
        let main_room = team.main_room.clone();
        self.teams[index].members.remove(position);
        if let Some(room) = self.rooms.iter().position(|room| room.id == main_room) {
            self.remove_member(room, user);
        }
        Reply::ok(json!({}))
    }

    /// `teams.listRooms` in apps/meteor/server/api/v1/teams.ts and `Team.listRooms`: the team's
    /// rooms but its main room (`Rooms.findPaginatedByTeamIdContainingNameAndDefault` asks for
    /// `teamMain: {$exists: false}`); with `view-all-team-channels` in the main room all of
    /// them, else the channels and the rooms the caller is in.
    fn teams_list_rooms(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_team(input) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        let team = &self.teams[index];
        if self.hidden_from(caller, team) {
            return Reply::plain("user-not-on-private-team");
        }
        let all = self.team_role_allows(caller, team, "view-all-team-channels");
        let rooms: Vec<Value> = self
            .rooms
            .iter()
            .filter(|room| room.team_id.as_deref() == Some(&team.id) && !room.team_main)
            .filter(|room| all || room.channel || room.members.iter().any(|member| member == caller))
            .map(|room| self.room_json(room))
            .collect();
        self.paged(input, "rooms", rooms, PageCount::Sent)
    }

    /// `teams.listChildren` in apps/meteor/server/api/v1/teams.ts and `Team.listChildren` in
    /// apps/meteor/server/services/team/service.ts: the team by `teamId`, `teamName` or a room
    /// of it (`roomId`), for its members only; its channels and the rooms the caller is in
    /// (`Rooms.findChildrenOfTeam`), filtered by `type` and by part of the name. There are no
    /// discussions here, so `type=discussions` finds nothing, and nothing found is the
    /// server's 400: its `$facet` count comes back empty and the service reads `count` of
    /// `undefined`. `count` in the answer is the page size in force.
    fn teams_list_children(&self, caller: &str, input: &Value) -> Reply {
        let team = match text(input, "roomId") {
            Some(room_id) => {
                let Some(room) = self.rooms.iter().find(|room| room.id == room_id) else {
                    return Reply::plain("invalid-room");
                };
                let Some(team_id) = &room.team_id else { return Reply::plain("room-not-on-team") };
                self.teams.iter().find(|team| &team.id == team_id)
            }
            None => self.find_team(input).ok().map(|index| &self.teams[index]),
        };
        let Some(team) = team else {
            return Reply::json(404, json!({"success": false, "error": "Resource not found"}));
        };
        if !team.members.iter().any(|(id, _)| id == caller) {
            return Reply::plain("error-invalid-team-not-a-member");
        }
        let wanted = text(input, "filter").map(str::to_lowercase);
        let rooms_wanted = text(input, "type") != Some("discussions");
        let children: Vec<Value> = self
            .rooms
            .iter()
            .filter(|room| rooms_wanted && room.team_id.as_deref() == Some(&team.id))
            .filter(|room| room.channel || room.members.iter().any(|member| member == caller))
            .filter(|room| wanted.as_ref().is_none_or(|wanted| room.name.to_lowercase().contains(wanted)))
            .map(|room| self.room_json(room))
            .collect();
        if children.is_empty() {
            return Reply::plain("Cannot read properties of undefined (reading 'count')");
        }
        self.paged(input, "data", children, PageCount::PageSize)
    }

    /// `teams.addRooms` in apps/meteor/server/api/v1/teams.ts: `move-room-to-team` in the team's
    /// main room, else `API.v1.forbidden('error-no-permission-team-channel')`. Then
    /// `Team.addRooms`: every room must exist and be one the caller can see (`canAccessRoom`),
    /// else `invalid-room`; then each must belong to no team and be owned by the caller
    /// (`Subscriptions.isUserInRole(uid, 'owner', rid)`: no role bypasses it).
    fn teams_add_rooms(&mut self, caller: &str, input: &Value) -> Reply {
        let index = match self.find_team(input) {
            Ok(index) => index,
            Err(reply) => return reply,
        };
        if !self.team_role_allows(caller, &self.teams[index], "move-room-to-team") {
            return Reply::json(403, json!({"success": false, "error": "error-no-permission-team-channel"}));
        }
        let ids: Vec<String> = input
            .get("rooms")
            .or_else(|| input.get("body").and_then(|body| body.get("rooms")))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let team_id = self.teams[index].id.clone();
        let mut positions = Vec::new();
        for id in &ids {
            let Some(position) = self.rooms.iter().position(|room| &room.id == id) else {
                return Reply::plain("invalid-room");
            };
            positions.push(position);
        }
        if !positions.iter().all(|position| self.can_access(caller, &self.rooms[*position])) {
            return Reply::plain("invalid-room");
        }
        for position in &positions {
            let room = &self.rooms[*position];
            if room.team_id.is_some() {
                return Reply::plain("room-already-on-team");
            }
            if !room.owners.contains(caller) {
                return Reply::plain("error-no-owner-channel");
            }
        }
        for position in &positions {
            self.rooms[*position].team_id = Some(team_id.clone());
        }
        let rooms: Vec<Value> = positions.iter().map(|position| self.room_json(&self.rooms[*position])).collect();
        Reply::ok(json!({"rooms": rooms}))
    }
}

/// `readOnly` and `extraData.broadcast` of a room to create, as createRoom
/// (apps/meteor/server/lib/rooms/createRoom.ts) settles them: `if (extraData.broadcast)
/// readOnly = true`.
fn room_options(input: &Value) -> (bool, Option<bool>) {
    let broadcast = input.pointer("/extraData/broadcast").and_then(Value::as_bool);
    let read_only = input.get("readOnly").and_then(Value::as_bool).unwrap_or(false);
    (read_only || broadcast == Some(true), broadcast)
}

/// What a list's `count` says.
#[derive(Debug, Clone, Copy)]
enum PageCount {
    /// The items in this page (most lists).
    Sent,
    /// The page size in force (`teams.listChildren`).
    PageSize,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// `items` in the order of the `sort` query parameter, else of `default` (else as they are), as
/// `parseJsonQuery` (apps/meteor/server/api/lib/parseJsonQuery.ts) reads it: JSON text of field
/// names (dotted for nested fields) to 1 or -1 (as numbers: `1.0` is 1, see `sort_order`);
/// anything else is `error-invalid-sort`. Values
/// compare as MongoDB orders them: missing and null first, then numbers, then strings.
fn sorted(input: &Value, mut items: Vec<Value>, default: Option<Value>) -> Result<Vec<Value>, Reply> {
    let given = input.get("sort").and_then(Value::as_str);
    let sort = match given {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(fields)) if fields.values().all(|order| sort_order(order).is_some()) => {
                Value::Object(fields)
            }
            _ => {
                return Err(Reply::json(
                    400,
                    json!({"success": false, "error": format!("Invalid sort parameter provided: \"{text}\" [error-invalid-sort]"),
                        "errorType": "error-invalid-sort", "details": {"helperMethod": "parseJsonQuery"}}),
                ));
            }
        },
        None => match default {
            Some(default) => default,
            None => return Ok(items),
        },
    };
    let keys: Vec<(String, bool)> = sort
        .as_object()
        .into_iter()
        .flatten()
        .map(|(field, order)| (format!("/{}", field.replace('.', "/")), sort_order(order) == Some(-1)))
        .collect();
    // Stable: ties keep the order they were made in, as the storage order would.
    items.sort_by(|a, b| {
        keys.iter()
            .map(|(pointer, descending)| {
                let order = mongo_order(a.pointer(pointer), b.pointer(pointer));
                if *descending { order.reverse() } else { order }
            })
            .find(|order| order.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(items)
}

/// A sort direction as `parseJsonQuery` checks it: `value !== 1 && value !== -1` on what
/// `JSON.parse` made, and JavaScript has one number type, so `1.0` and `-1e0` are 1 and -1
/// (serde_json keeps them as floats, which `== 1` would refuse).
fn sort_order(value: &Value) -> Option<i8> {
    let number = value.as_f64()?;
    if number == 1.0 {
        Some(1)
    } else if number == -1.0 {
        Some(-1)
    } else {
        None
    }
}

/// MongoDB's order of two values of the kinds the fake sends.
fn mongo_order(a: Option<&Value>, b: Option<&Value>) -> std::cmp::Ordering {
    let rank = |value: Option<&Value>| match value {
        None | Some(Value::Null) => 0,
        Some(Value::Number(_)) => 1,
        Some(Value::String(_)) => 2,
        Some(Value::Object(_)) => 3,
        Some(Value::Array(_)) => 4,
        Some(Value::Bool(_)) => 5,
    };
    match (a, b) {
        (Some(Value::Number(a)), Some(Value::Number(b))) => {
            a.as_f64().unwrap_or_default().total_cmp(&b.as_f64().unwrap_or_default())
        }
        (Some(Value::String(a)), Some(Value::String(b))) => a.cmp(b),
        (Some(Value::Bool(a)), Some(Value::Bool(b))) => a.cmp(b),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// A non-blank string field of the input: at its top level, in a parameters struct's `room`
/// or `team` selector, or in its `body`.
fn text<'a>(input: &'a Value, key: &str) -> Option<&'a str> {
    let places = [Some(input), input.get("room"), input.get("team"), input.get("user"), input.get("body")];
    places.into_iter().flatten().filter_map(|place| place.get(key)?.as_str()).find(|value| !value.trim().is_empty())
}
