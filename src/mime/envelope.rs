//! ENVELOPE (RFC 3501 §7.4.2) of a message or of an encapsulated message/rfc822.
//!
//! Computed at APPEND by `analyze` (and for every message/rfc822 part by `structure`),
//! stored, and rendered by the encoder under the session's profile. Strings are the raw,
//! unfolded field values: RFC 2047 encoded words stay encoded, as Exchange and Dovecot
//! send them; whether an empty value is shown as `""` or NIL is the profile's choice
//! (MS-STANXIMAP V0057), so absent (None) and empty (`Some([])`) are kept apart here.

use super::{address, headers};
use crate::wire::types::Envelope;
use mail_parser::Header;

/// The envelope of the entity whose header fields are `fields`.
pub(crate) fn envelope(raw: &[u8], fields: &[Header<'_>]) -> Envelope {
    let text = |name| headers::value(raw, fields, name);
    let list = |name| {
        headers::first(raw, fields, name)
            .map(|f| address::parse_list(f.value))
            .unwrap_or_default()
    };
    let from = list("From");
    // RFC 3501 §7.4.2: Sender and Reply-To absent, or present but empty, take From's value.
    let or_from = |v: Vec<_>| if v.is_empty() { from.clone() } else { v };
    Envelope {
        date: text("Date"),
        subject: text("Subject"),
        sender: or_from(list("Sender")),
        reply_to: or_from(list("Reply-To")),
        to: list("To"),
        cc: list("Cc"),
        bcc: list("Bcc"),
        in_reply_to: text("In-Reply-To"),
        message_id: text("Message-ID"),
        from,
    }
}
