//! Session states (RFC 3501 §3) and what a handler asks the session to become.

use super::selected::Selected;
use super::texts::Refusal;
use crate::storage::User;
use crate::wire::{Code, Response};

/// RFC 3501 §3: not authenticated, authenticated, selected, logout.
#[derive(Debug)]
pub enum State {
    NotAuthenticated,
    Authenticated(User),
    Selected(User, Box<Selected>),
    Logout,
}

impl State {
    pub fn kind(&self) -> StateKind {
        match self {
            State::NotAuthenticated => StateKind::NotAuthenticated,
            State::Authenticated(_) => StateKind::Authenticated,
            State::Selected(..) => StateKind::Selected,
            State::Logout => StateKind::Logout,
        }
    }

    pub fn user(&self) -> Option<&User> {
        match self {
            State::Authenticated(u) | State::Selected(u, _) => Some(u),
            _ => None,
        }
    }

    pub fn selected(&self) -> Option<&Selected> {
        match self {
            State::Selected(_, s) => Some(s),
            _ => None,
        }
    }

    pub fn selected_mut(&mut self) -> Option<&mut Selected> {
        match self {
            State::Selected(_, s) => Some(s),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateKind {
    NotAuthenticated,
    Authenticated,
    Selected,
    Logout,
}

/// A state change a handler asks for; `dispatch` applies it in one place.
#[derive(Debug)]
pub enum Transition {
    Login(Box<User>),
    Select(Box<Selected>),
    /// Back to authenticated (CLOSE, UNSELECT, or a failed SELECT).
    Unselect,
    Logout,
    StartTls,
    Idle,
    /// AUTHENTICATE continues with a challenge.
    Sasl(Box<dyn super::sasl::Mechanism>),
}

/// What a handler returns on success.
#[derive(Debug, Default)]
pub struct Outcome {
    pub untagged: Vec<Response>,
    pub code: Option<Code>,
    pub transition: Option<Transition>,
    /// Replaces the completed text (the tagged line then has no `<COMMAND> completed.`).
    pub text: Option<String>,
}

impl Outcome {
    pub fn ok() -> Outcome {
        Outcome::default()
    }

    pub fn with_untagged(untagged: Vec<Response>) -> Outcome {
        Outcome {
            untagged,
            ..Outcome::default()
        }
    }

    pub fn code(mut self, code: Code) -> Outcome {
        self.code = Some(code);
        self
    }

    pub fn transition(mut self, t: Transition) -> Outcome {
        self.transition = Some(t);
        self
    }
}

/// What a handler returns on refusal (kept small: it travels in every `Result`).
#[derive(Debug)]
pub struct Refused {
    pub refusal: Refusal,
    pub code: Option<Box<Code>>,
    pub untagged: Vec<Response>,
    pub transition: Option<Transition>,
}

impl From<Refusal> for Refused {
    fn from(refusal: Refusal) -> Refused {
        Refused {
            refusal,
            code: None,
            untagged: Vec::new(),
            transition: None,
        }
    }
}

impl From<crate::storage::StoreError> for Refused {
    fn from(e: crate::storage::StoreError) -> Refused {
        use crate::storage::StoreError::*;
        let refusal = match &e {
            AlreadyExists(_) => Refusal::MailboxExists,
            NotFound(_) => Refusal::MailboxNotFound,
            Unavailable(_) | Database(_) | Corrupt(_) => {
                tracing::warn!(error = %e, "storage error");
                Refusal::StorageUnavailable
            }
        };
        Refused::from(refusal)
    }
}

pub type HandlerResult = Result<Outcome, Refused>;
