//! NAMESPACE (RFC 2342): one personal namespace with the profile's delimiter, no others.

use crate::session::state::{HandlerResult, Outcome};
use crate::session::{data, Session};
use crate::wire::{Data, MailboxName};

pub fn handle(s: &Session) -> HandlerResult {
    let delimiter = s.profile().names.delimiter();
    let personal = Some(vec![(MailboxName::new(""), Some(delimiter))]);
    let ns = Data::Namespace {
        personal,
        other: None,
        shared: None,
    };
    Ok(Outcome::with_untagged(vec![data(ns)]))
}
