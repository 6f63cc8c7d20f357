//! Where a session calls the profile's hook scripts and applies their decisions (steps 5
//! and 7 of the command path). Decisions change only what goes out: responses stay typed
//! values the connection encodes, and hook texts are single lines, so a hook cannot break
//! the framing.

use super::state::State;
use super::{status, After, Mode, Reply, Session};
use crate::hooks::{Decision, Point};
use crate::profile::model::OnError;
use crate::wire::{encode_response, Code, Data, Response, StatusKind, Tag};
use rhai::{Array, Dynamic, Map};

/// The command a hook sees.
#[derive(Clone, Debug)]
pub(super) struct CommandView {
    pub tag: Tag,
    pub name: &'static str,
    pub arguments: String,
}

impl CommandView {
    /// The arguments as sent, after the tag and command word (`UID FETCH` skips both
    /// words). LOGIN and AUTHENTICATE show only their first argument: no password reaches
    /// a script or its logs.
    pub fn new(tag: Tag, name: &'static str, frame: &[u8]) -> CommandView {
        let line = String::from_utf8_lossy(frame);
        let line = line.trim_end_matches(['\r', '\n']);
        let mut rest = after_word(line);
        if first_word(rest).eq_ignore_ascii_case("UID") {
            rest = after_word(rest);
        }
        rest = after_word(rest);
        let arguments = match name {
            "LOGIN" | "AUTHENTICATE" => first_word(rest).to_string(),
            _ => rest.to_string(),
        };
        CommandView {
            tag,
            name,
            arguments,
        }
    }
}

fn first_word(s: &str) -> &str {
    s.split(' ').next().unwrap_or("")
}

fn after_word(s: &str) -> &str {
    s.split_once(' ').map_or("", |(_, rest)| rest)
}

/// What the hooks before a command decided.
#[derive(Debug, Default)]
pub(super) struct Before {
    /// The reply instead of running the command (a reject, BYE or close).
    pub answer: Option<Reply>,
    /// Decisions applied to the command's reply.
    pub deferred: Vec<Decision>,
}

impl Session {
    /// True when the profile has a script defining `point`.
    pub(super) fn hooked(&self, point: Point) -> bool {
        self.profile()
            .hooks
            .as_ref()
            .is_some_and(|h| h.defines(point))
    }

    /// True when some script has a hook a command can reach.
    pub(super) fn command_hooked(&self) -> bool {
        use Point::*;
        [BeforeCommand, AfterCommand, Login, Select, Idle]
            .into_iter()
            .any(|p| self.hooked(p))
    }

    /// Runs `point`; a failure is logged and becomes what `on_error` says.
    fn run_hook(&self, point: Point, ctx: Map) -> Vec<Decision> {
        let (Some(hooks), Some(session)) = (&self.profile().hooks, &self.hook_state) else {
            return Vec::new();
        };
        let user = self.state.user().map(|u| u.name.as_str());
        match hooks.call(point, ctx, &hooks.call_state(session, user)) {
            Ok(d) => d,
            Err(e) => {
                tracing::warn!(error = %e, "hook failed");
                match hooks.on_error {
                    OnError::Continue => Vec::new(),
                    OnError::Fail => vec![Decision::Reject {
                        bad: false,
                        code: Some("SERVERBUG".to_string()),
                        text: "Hook failed.".to_string(),
                    }],
                }
            }
        }
    }

    /// The read-only view every hook gets.
    fn hook_context(&self, command: Option<&CommandView>) -> Map {
        let mut ctx = Map::new();
        let mut put = |k: &str, v: Dynamic| {
            ctx.insert(k.into(), v);
        };
        put("session_id", self.env.id.into());
        let user = self.state.user().map_or("", |u| u.name.as_str());
        put("user", user.into());
        put("peer", self.env.peer.to_string().into());
        put("profile", self.profile().name.clone().into());
        put("state", state_name(&self.state).into());
        let mailbox = self
            .state
            .selected()
            .map_or("", |s| s.mailbox.name.as_str());
        put("mailbox", mailbox.into());
        if let Some(c) = command {
            put("tag", c.tag.as_str().into());
            put("command", c.name.into());
            put("arguments", c.arguments.clone().into());
        }
        ctx
    }

    /// The greeting, after `on_connect`: it may delay it, replace or extend it, or send
    /// BYE or close instead.
    pub async fn on_connect(&mut self) -> Reply {
        let greeting = Reply::new(self.greeting());
        if !self.hooked(Point::Connect) {
            return greeting;
        }
        let ctx = self.hook_context(None);
        let decisions = self.run_hook(Point::Connect, ctx);
        // No command to answer yet: a refusal ends the connection, and a BYE is sent
        // instead of the greeting (RFC 3501 §7.1.5 allows BYE as the greeting).
        let decisions = decisions.into_iter().flat_map(|d| match d {
            Decision::Reject { text, .. } | Decision::Bye(text) => {
                vec![Decision::ReplaceUntagged(Vec::new()), Decision::Bye(text)]
            }
            d => vec![d],
        });
        self.apply_decisions(decisions.collect(), greeting).await
    }

    /// `before_command`: delays run now; a reject, BYE or close answers instead of the
    /// command; the rest waits for the command's reply.
    pub(super) async fn before_command(&mut self, view: &CommandView) -> Before {
        let mut before = Before::default();
        if !self.hooked(Point::BeforeCommand) {
            return before;
        }
        let ctx = self.hook_context(Some(view));
        for d in self.run_hook(Point::BeforeCommand, ctx) {
            match d {
                Decision::Delay(d) => tokio::time::sleep(d).await,
                Decision::Reject { .. } => {
                    let reply = Reply::new(vec![reject(&view.tag, &d)]);
                    before.answer = Some(reply);
                }
                Decision::Bye(_) | Decision::Close | Decision::CloseAfter(_) => {
                    before.answer.get_or_insert_with(|| Reply::new(Vec::new()));
                    before.deferred.push(d);
                }
                d => before.deferred.push(d),
            }
        }
        before
    }

    /// The hooks after a command: `on_login` / `on_select` / `on_idle` when the command
    /// got there, then `after_command`; their decisions and the deferred ones of
    /// `before_command` are applied to the reply.
    pub(super) async fn after_command(
        &mut self,
        view: &CommandView,
        before: Before,
        was_authenticated: bool,
        reply: Reply,
    ) -> Reply {
        let ran = before.answer.is_none();
        let mut decisions = before.deferred;
        let reply = before.answer.unwrap_or(reply);
        if ran {
            if let Some(point) = self.reached(view, was_authenticated, &reply) {
                if self.hooked(point) {
                    let ctx = self.hook_context(Some(view));
                    decisions.extend(self.run_hook(point, ctx));
                }
            }
            if self.hooked(Point::AfterCommand) {
                let ctx = self.after_context(view, &reply);
                decisions.extend(self.run_hook(Point::AfterCommand, ctx));
            }
        }
        self.apply_decisions(decisions, reply).await
    }

    /// The point a successful command reached, if any.
    fn reached(&self, view: &CommandView, was_authenticated: bool, reply: &Reply) -> Option<Point> {
        if !was_authenticated && self.state.user().is_some() {
            return Some(Point::Login);
        }
        if matches!(self.mode, Mode::Idling { .. }) {
            return Some(Point::Idle);
        }
        let ok = matches!(tagged(reply), Some(s) if s.kind == StatusKind::Ok);
        let select = matches!(view.name, "SELECT" | "EXAMINE");
        (select && ok && self.state.selected().is_some()).then_some(Point::Select)
    }

    /// The view plus the reply about to go out: `status`, `text` (tagged) and `untagged`
    /// (each line as it will be sent, without CRLF).
    fn after_context(&self, view: &CommandView, reply: &Reply) -> Map {
        let mut ctx = self.hook_context(Some(view));
        let (kind, text) = match tagged(reply) {
            Some(s) => (kind_name(s.kind), s.text.clone()),
            None => ("", String::new()),
        };
        ctx.insert("status".into(), kind.into());
        ctx.insert("text".into(), text.into());
        let opts = self.profile().responses.encode_options();
        let untagged: Array = reply
            .responses
            .iter()
            .filter(|r| !is_tagged(r))
            .map(|r| {
                let mut out = Vec::new();
                encode_response(r, opts, &mut out);
                out.truncate(out.len().saturating_sub(2));
                Dynamic::from(String::from_utf8_lossy(&out).into_owned())
            })
            .collect();
        ctx.insert("untagged".into(), untagged.into());
        ctx
    }

    /// Applies decisions in order to a reply.
    async fn apply_decisions(&mut self, decisions: Vec<Decision>, mut reply: Reply) -> Reply {
        for d in decisions {
            match d {
                Decision::Delay(d) => tokio::time::sleep(d).await,
                Decision::Reject { .. } => {
                    if let Some(tag) = tagged(&reply).and_then(|s| s.tag.clone()) {
                        set_tagged(&mut reply, reject(&tag, &d));
                    }
                }
                Decision::Bye(text) => {
                    reply
                        .responses
                        .push(status(None, StatusKind::Bye, None, text));
                    return self.end(reply);
                }
                Decision::Close => {
                    reply.responses.clear();
                    return self.end(reply);
                }
                Decision::CloseAfter(n) => {
                    let mut reply = self.end(reply);
                    reply.after = After::CloseAfter(n);
                    return reply;
                }
                Decision::AppendUntagged(lines) => {
                    let at = tagged_index(&reply).unwrap_or(reply.responses.len());
                    reply.responses.splice(at..at, raw_lines(lines));
                }
                Decision::ReplaceUntagged(lines) => {
                    reply
                        .responses
                        .retain(|r| is_tagged(r) || matches!(r, Response::Continue(_)));
                    let at = tagged_index(&reply).unwrap_or(reply.responses.len());
                    reply.responses.splice(at..at, raw_lines(lines));
                }
                Decision::RewriteTagged(text) => {
                    if let Some(i) = tagged_index(&reply) {
                        if let Response::Status(s) = &mut reply.responses[i] {
                            s.text = text;
                        }
                    }
                }
            }
        }
        reply
    }

    fn end(&mut self, mut reply: Reply) -> Reply {
        self.state = State::Logout;
        reply.after = After::Close;
        reply
    }
}

fn reject(tag: &Tag, d: &Decision) -> Response {
    let Decision::Reject { bad, code, text } = d else {
        unreachable!("called with a reject");
    };
    let kind = if *bad {
        StatusKind::Bad
    } else {
        StatusKind::No
    };
    let code = code.clone().map(|atom| Code::Other { atom, text: None });
    status(Some(tag.clone()), kind, code, text.clone())
}

fn raw_lines(lines: Vec<String>) -> impl Iterator<Item = Response> {
    lines
        .into_iter()
        .map(|l| Response::Data(Data::Raw(l.into_bytes())))
}

fn is_tagged(r: &Response) -> bool {
    matches!(r, Response::Status(s) if s.tag.is_some())
}

fn tagged_index(reply: &Reply) -> Option<usize> {
    reply.responses.iter().rposition(is_tagged)
}

fn tagged(reply: &Reply) -> Option<&crate::wire::StatusResponse> {
    match reply.responses.get(tagged_index(reply)?) {
        Some(Response::Status(s)) => Some(s),
        _ => None,
    }
}

fn set_tagged(reply: &mut Reply, response: Response) {
    if let Some(i) = tagged_index(reply) {
        reply.responses[i] = response;
    }
}

fn kind_name(kind: StatusKind) -> &'static str {
    match kind {
        StatusKind::Ok => "OK",
        StatusKind::No => "NO",
        StatusKind::Bad => "BAD",
        StatusKind::PreAuth => "PREAUTH",
        StatusKind::Bye => "BYE",
    }
}

fn state_name(state: &State) -> &'static str {
    match state {
        State::NotAuthenticated => "not_authenticated",
        State::Authenticated(_) => "authenticated",
        State::Selected(..) => "selected",
        State::Logout => "logout",
    }
}
