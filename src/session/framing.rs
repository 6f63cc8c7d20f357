//! Decisions the framer asks for (`[parsing]` and `[limits]` sizes): whether to prompt for
//! a synchronizing literal (MS-STANXIMAP V0058 lives here and nowhere else), whether a
//! literal is too large, and the decoder's leniency options.

use super::texts::Refusal;
use crate::profile::model::Parsing;
use crate::wire::{peek_command, DecodeOptions, Tag};

#[derive(Clone, Debug)]
pub struct FramingPolicy {
    decode: DecodeOptions,
    uid_search_continuation: bool,
    max_command_size: usize,
    max_message_size: u64,
    max_literal_size: u64,
}

/// What to do with an announced literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiteralDecision {
    /// Read it; send a `+` continuation first when `prompt`.
    Accept { prompt: bool },
    /// Refuse it with this response (tag when one could be read).
    Reject { tag: Option<Tag>, refusal: Refusal },
}

impl FramingPolicy {
    pub fn compile(parsing: &Parsing) -> Result<FramingPolicy, String> {
        Ok(FramingPolicy {
            decode: DecodeOptions {
                tab_delimiter: parsing.tab_delimiter,
                any_tag: parsing.any_tag_format,
            },
            uid_search_continuation: parsing.uid_search_literal_continuation,
            max_command_size: parsing.max_command_size as usize,
            max_message_size: parsing.max_message_size.into(),
            max_literal_size: parsing.max_literal_size.into(),
        })
    }

    pub fn decode_options(&self) -> &DecodeOptions {
        &self.decode
    }

    pub fn max_command_size(&self) -> usize {
        self.max_command_size
    }

    /// Decides about a literal of `len` bytes announced at the end of `pending`.
    /// `literal_plus`: LITERAL+ is advertised, so `{n+}` is allowed.
    pub fn on_literal(
        &self,
        pending: &[u8],
        len: u64,
        sync: bool,
        literal_plus: bool,
    ) -> LiteralDecision {
        let peeked = peek_command(pending, &self.decode);
        let tag = peeked.as_ref().map(|(t, _)| t.clone());
        let command = peeked.as_ref().map_or("", |(_, c)| c.as_str());
        if !sync && !literal_plus {
            return LiteralDecision::Reject {
                tag,
                refusal: Refusal::BadArguments,
            };
        }
        let limit = if command == "APPEND" {
            self.max_message_size
        } else {
            self.max_literal_size
        };
        if len > limit {
            let refusal = if command == "APPEND" {
                Refusal::MessageTooLarge
            } else {
                Refusal::CommandTooLong
            };
            return LiteralDecision::Reject { tag, refusal };
        }
        let prompt = sync && (self.uid_search_continuation || command != "UID SEARCH");
        LiteralDecision::Accept { prompt }
    }
}
