//! The path of one command inside the session: decode -> gate -> hooks before -> handler ->
//! transition -> updates -> tagged status -> hooks after (`session::hooks`, only when the
//! profile has scripts). Every error becomes an IMAP response here and nowhere else.

use super::gate::gate;
use super::hooks::CommandView;
use super::selected::Selected;
use super::state::{Outcome, Refused, State, Transition};
use super::texts::Refusal;
use super::updates::Moment;
use super::{status, After, Mode, Reply, Session};
use crate::handlers;
use crate::wire::{
    decode_command, peek_command, CommandBody, DecodeError, DecodeErrorKind, Response, StatusKind,
    Tag,
};
use tokio::time::Instant;

impl Session {
    /// Handles one complete frame from the client.
    pub async fn on_frame(&mut self, bytes: Vec<u8>) -> Reply {
        self.last_command = Instant::now();
        let logging = self.profile().logging.enabled();
        if logging {
            let starts = matches!(self.mode, Mode::Command);
            self.log.frame(&self.env, &bytes, starts);
        }
        let reply = match std::mem::replace(&mut self.mode, Mode::Command) {
            Mode::Command => self.command(bytes).await,
            Mode::Authenticating { tag, mechanism } => self.sasl_line(tag, mechanism, &bytes).await,
            Mode::Idling { tag } => self.idle_line(tag, &bytes).await,
        };
        if logging {
            let user = self.state.user().map(|u| u.name.as_str());
            self.log.reply(&self.env, user, &reply.responses);
        }
        reply
    }

    /// One client line of an AUTHENTICATE exchange. With hooks, the exchange's last step
    /// (the one that logs the user in) is where AUTHENTICATE reaches `on_login`.
    async fn sasl_line(
        &mut self,
        tag: Tag,
        mechanism: Box<dyn super::sasl::Mechanism>,
        bytes: &[u8],
    ) -> Reply {
        if self.profile().hooks.is_none() {
            return self.sasl_response(tag, mechanism, bytes).await;
        }
        let view = CommandView::new(tag.clone(), "AUTHENTICATE", b"");
        let reply = self.sasl_response(tag, mechanism, bytes).await;
        if self.state.user().is_none() {
            return reply;
        }
        self.after_command(&view, Default::default(), false, reply)
            .await
    }

    /// A command longer than `max_command_size` (its bytes were discarded).
    pub fn on_too_long(&mut self, head: &[u8]) -> Reply {
        let tag = peek_command(head, self.profile().framing.decode_options())
            .map(|(t, _)| t)
            .or_else(|| read_tag(head));
        Reply::new(vec![self.refusal(tag, Refusal::CommandTooLong)])
    }

    /// A refused literal: the response to send.
    pub fn literal_refused(&self, tag: Option<Tag>, refusal: Refusal) -> Reply {
        Reply::new(vec![self.refusal(tag, refusal)])
    }

    async fn command(&mut self, bytes: Vec<u8>) -> Reply {
        let command = match decode_command(&bytes, self.profile().framing.decode_options()) {
            Ok(c) => c,
            Err(e) => return Reply::new(vec![self.decode_error(e)]),
        };
        let tag = command.tag;
        if let Err(r) = gate(
            self.state.kind(),
            &command.body,
            &self.profile().capabilities,
        ) {
            return Reply::new(vec![self.refusal(Some(tag), r)]);
        }
        if !self.command_hooked() {
            return self.run(tag, command.body).await;
        }
        let view = CommandView::new(tag.clone(), command.body.name(), &bytes);
        let was_authenticated = self.state.user().is_some();
        let before = self.before_command(&view).await;
        let reply = match before.answer {
            Some(_) => Reply::new(Vec::new()),
            None => self.run(tag, command.body).await,
        };
        self.after_command(&view, before, was_authenticated, reply)
            .await
    }

    /// Step 6: the command's handler and the state change it asks for.
    async fn run(&mut self, tag: Tag, body: CommandBody) -> Reply {
        let name = body.name();
        let moment = moment_for(&body);
        match body {
            CommandBody::Authenticate {
                mechanism,
                initial_response,
            } => self.authenticate(tag, &mechanism, initial_response).await,
            CommandBody::Login { username, password } => self.login(tag, &username, password).await,
            CommandBody::Idle => self.idle_start(tag).await,
            body => {
                let result = handlers::run(self, body).await;
                self.finish(tag, name, result, moment).await
            }
        }
    }

    /// Applies a handler's result: transition, updates, tagged status.
    pub(super) async fn finish(
        &mut self,
        tag: Tag,
        name: &str,
        result: Result<Outcome, Refused>,
        moment: Moment,
    ) -> Reply {
        let (mut responses, transition, last) = match result {
            Ok(o) => {
                let text = o
                    .text
                    .unwrap_or_else(|| self.profile().texts.completed(name));
                let ok = status(Some(tag), StatusKind::Ok, o.code, text);
                (o.untagged, o.transition, ok)
            }
            Err(r) => {
                let refusal = self
                    .profile()
                    .texts
                    .refuse(Some(tag), r.refusal, r.code.map(|c| *c));
                (r.untagged, r.transition, Response::Status(refusal))
            }
        };
        let after = self.apply(transition);
        if after == After::Continue {
            let updates = self.flush(moment).await;
            responses.extend(updates.responses);
            if updates.after == After::Close {
                return Reply {
                    responses,
                    after: After::Close,
                };
            }
        }
        responses.push(last);
        Reply { responses, after }
    }

    /// The one place a state change happens.
    fn apply(&mut self, transition: Option<Transition>) -> After {
        let Some(t) = transition else {
            return After::Continue;
        };
        let state = std::mem::replace(&mut self.state, State::Logout);
        let (state, after) = match (t, state) {
            (Transition::Logout, _) => (State::Logout, After::Close),
            (Transition::StartTls, s) => (s, After::StartTls),
            (Transition::Select(sel), State::Authenticated(u) | State::Selected(u, _)) => {
                (State::Selected(u, sel), After::Continue)
            }
            (Transition::Unselect, State::Selected(u, _)) => {
                (State::Authenticated(u), After::Continue)
            }
            (Transition::Login(u), _) => (State::Authenticated(*u), After::Continue),
            (_, s) => (s, After::Continue),
        };
        self.state = state;
        after
    }

    fn decode_error(&self, e: DecodeError) -> Response {
        let refusal = match e.kind {
            DecodeErrorKind::NoTag | DecodeErrorKind::UnknownCommand => Refusal::UnknownCommand,
            DecodeErrorKind::BadArguments => Refusal::BadArguments,
        };
        tracing::debug!(detail = %e.detail, "command refused by the decoder");
        self.refusal(e.tag, refusal)
    }

    pub(super) fn refusal(&self, tag: Option<Tag>, refusal: Refusal) -> Response {
        Response::Status(self.profile().texts.refuse(tag, refusal, None))
    }

    /// Replaces the selected state after a successful SELECT / EXAMINE.
    pub fn selected_mut(&mut self) -> Option<&mut Selected> {
        self.state.selected_mut()
    }
}

/// RFC 3501 §7.4.1: no EXPUNGE while answering FETCH, STORE or SEARCH (their UID forms may).
fn moment_for(body: &CommandBody) -> Moment {
    match body {
        CommandBody::Fetch { uid: false, .. }
        | CommandBody::Store { uid: false, .. }
        | CommandBody::Search { uid: false, .. } => Moment::NoExpunge,
        _ => Moment::Full,
    }
}

/// The first word of a line, as a tag, for responses to lines the decoder cannot read.
fn read_tag(head: &[u8]) -> Option<Tag> {
    let end = head
        .iter()
        .position(|&b| b == b' ' || b == b'\t' || b == b'\r' || b == b'\n')?;
    Tag::new(String::from_utf8_lossy(&head[..end]).into_owned())
}
