//! Message policy (`[messages]`): keywords, RFC 822 sizes, SEARCH limits and which updates a
//! session hears — pure decisions shared by APPEND, FETCH, STORE, SEARCH and the update
//! flusher.

use crate::profile::model::Messages;
use crate::storage::{FlagSet, MessageData, Origin};
use crate::wire::{Flag, PermanentFlag};

#[derive(Clone, Debug)]
pub struct MessagePolicy {
    client_keywords: bool,
    server_keywords: Vec<String>,
    exact_size: bool,
    charsets: Vec<String>,
    max_search_depth: usize,
    external_flag_updates: bool,
    expunge_reports_exists: bool,
}

impl MessagePolicy {
    pub fn compile(m: &Messages) -> Result<MessagePolicy, String> {
        if let Some(k) = m.server_keywords.iter().find(|k| !is_keyword(k)) {
            return Err(format!(
                "[messages] server_keywords: {k:?} is not a keyword atom"
            ));
        }
        if !m
            .search_charsets
            .iter()
            .any(|c| c.eq_ignore_ascii_case("US-ASCII"))
        {
            return Err(
                "[messages] search_charsets must include US-ASCII (RFC 3501 §6.4.4)".into(),
            );
        }
        Ok(MessagePolicy {
            client_keywords: m.client_keywords,
            server_keywords: m.server_keywords.clone(),
            exact_size: m.enable_exact_rfc822_size,
            charsets: m.search_charsets.clone(),
            max_search_depth: m.max_search_depth as usize,
            external_flag_updates: m.external_flag_updates,
            expunge_reports_exists: m.expunge_reports_exists,
        })
    }

    /// The FLAGS response: system flags then the server's keywords (E0001, V0054).
    pub fn flags(&self) -> Vec<Flag> {
        let mut flags = vec![
            Flag::Seen,
            Flag::Answered,
            Flag::Flagged,
            Flag::Deleted,
            Flag::Draft,
        ];
        flags.extend(
            self.server_keywords
                .iter()
                .map(|k| Flag::Keyword(k.clone())),
        );
        flags
    }

    /// PERMANENTFLAGS: the FLAGS list, plus `\*` when clients may create keywords (V0005).
    pub fn permanent_flags(&self) -> Vec<PermanentFlag> {
        let mut flags: Vec<PermanentFlag> =
            self.flags().into_iter().map(PermanentFlag::Flag).collect();
        if self.client_keywords {
            flags.push(PermanentFlag::Wildcard);
        }
        flags
    }

    /// The flags a STORE or APPEND may set: system flags (never \Recent) and the keywords
    /// this profile accepts; others are ignored (V0005, §2.3).
    pub fn settable(&self, flags: &[Flag]) -> FlagSet {
        let mut set = FlagSet::default();
        for flag in flags {
            match flag {
                Flag::Seen => set.system |= FlagSet::SEEN,
                Flag::Answered => set.system |= FlagSet::ANSWERED,
                Flag::Flagged => set.system |= FlagSet::FLAGGED,
                Flag::Deleted => set.system |= FlagSet::DELETED,
                Flag::Draft => set.system |= FlagSet::DRAFT,
                Flag::Keyword(k) if self.keyword_allowed(k) => set.keywords.push(self.canonical(k)),
                _ => {}
            }
        }
        set.keywords.sort_by_key(|k| k.to_ascii_lowercase());
        set.keywords.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        set
    }

    /// Whether KEYWORD / UNKEYWORD can ever match this keyword (V0039, V0042).
    pub fn keyword_allowed(&self, keyword: &str) -> bool {
        self.client_keywords
            || self
                .server_keywords
                .iter()
                .any(|k| k.eq_ignore_ascii_case(keyword))
    }

    fn canonical(&self, keyword: &str) -> String {
        let server = self
            .server_keywords
            .iter()
            .find(|k| k.eq_ignore_ascii_case(keyword));
        server.cloned().unwrap_or_else(|| keyword.to_string())
    }

    /// RFC822.SIZE, and the size LARGER / SMALLER compare (V0006, V0040, V0041, V0045).
    pub fn rfc822_size(&self, m: &MessageData) -> u32 {
        match (self.exact_size || m.size_known, m.stored_size) {
            (false, Some(stored)) => stored,
            _ => m.size,
        }
    }

    /// SEARCH CHARSET is accepted (V0037).
    pub fn charset_supported(&self, charset: &str) -> bool {
        self.charsets
            .iter()
            .any(|c| c.eq_ignore_ascii_case(charset))
    }

    /// The BADCHARSET list (V0038).
    pub fn charsets(&self) -> &[String] {
        &self.charsets
    }

    /// SEARCH nesting is within the profile's limit (V0043).
    pub fn search_depth_ok(&self, depth: usize) -> bool {
        self.max_search_depth == 0 || depth <= self.max_search_depth
    }

    /// Whether a flag change made by `origin` is reported to session `me` as an untagged
    /// FETCH (V0046). A session's own changes are reported by its STORE.
    pub fn report_flag_change(&self, origin: Origin, me: i64) -> bool {
        match origin {
            Origin::Session(id) if id == me => false,
            _ => self.external_flag_updates,
        }
    }

    /// V0055.
    pub fn expunge_reports_exists(&self) -> bool {
        self.expunge_reports_exists
    }
}

/// The FETCH FLAGS list of a stored flag set (\Recent added by the caller).
pub fn flag_list(flags: &FlagSet, recent: bool) -> Vec<Flag> {
    let mut out = Vec::with_capacity(6 + flags.keywords.len());
    let bits = [
        (FlagSet::SEEN, Flag::Seen),
        (FlagSet::ANSWERED, Flag::Answered),
        (FlagSet::FLAGGED, Flag::Flagged),
        (FlagSet::DELETED, Flag::Deleted),
        (FlagSet::DRAFT, Flag::Draft),
    ];
    out.extend(
        bits.into_iter()
            .filter(|(b, _)| flags.has(*b))
            .map(|(_, f)| f),
    );
    if recent {
        out.push(Flag::Recent);
    }
    out.extend(flags.keywords.iter().map(|k| Flag::Keyword(k.clone())));
    out
}

fn is_keyword(k: &str) -> bool {
    !k.is_empty()
        && k.bytes()
            .all(|b| b.is_ascii_graphic() && !b"(){%*\"\\]".contains(&b))
}
