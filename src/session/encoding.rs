//! Response encoding options (`[responses]`), compiled for the wire encoder, and the
//! session-level response choices of the same section (unsolicited EXISTS, MOVE's COPYUID).

use crate::profile::model::{MoveCopyUid, Responses};
use crate::wire::encode::BodyStructureQuirks;
use crate::wire::{EncodeOptions, MailboxQuoting};

#[derive(Clone, Debug)]
pub struct ResponsePolicy {
    encode: EncodeOptions,
    unsolicited_exists: bool,
    move_copyuid: MoveCopyUid,
}

impl ResponsePolicy {
    pub fn compile(r: &Responses) -> Result<ResponsePolicy, String> {
        if !r.mailbox_literal_chars.is_ascii() {
            return Err("[responses] mailbox_literal_chars must be ASCII".to_string());
        }
        let mailbox_quoting = if r.mailbox_literal_chars.is_empty() {
            MailboxQuoting::Strict
        } else {
            MailboxQuoting::LiteralWhenContains(r.mailbox_literal_chars.as_bytes().to_vec())
        };
        Ok(ResponsePolicy {
            encode: EncodeOptions {
                mailbox_quoting,
                status_trailing_space: r.status_trailing_space,
                envelope_empty_as_nil: r.envelope_empty_as_nil,
                bodystructure_extension: r.bodystructure_extension_data,
                bodystructure_quirks: BodyStructureQuirks {
                    disposition_bare_string: r.bodystructure_disposition_bare_string,
                    description_in_disposition: r.bodystructure_description_in_disposition,
                    nil_encoding: r.bodystructure_nil_encoding,
                },
                ascii_only_strings: r.ascii_only_strings,
            },
            unsolicited_exists: r.unsolicited_exists,
            move_copyuid: r.move_copyuid,
        })
    }

    pub fn encode_options(&self) -> &EncodeOptions {
        &self.encode
    }

    /// New mail is announced while no command is in progress (V0002, V0014).
    pub fn unsolicited_exists(&self) -> bool {
        self.unsolicited_exists
    }

    pub fn move_copyuid(&self) -> MoveCopyUid {
        self.move_copyuid
    }
}
