//! Mailbox naming and hierarchy policy (`[mailboxes]`): validating and normalising names,
//! comparing them, walking the hierarchy and matching LIST patterns. Pure functions over
//! names; the handlers do the storage work.

use crate::profile::model::{DeleteWithInferiors, Mailboxes, RenameWithDelimiter};
use crate::session::texts::Refusal;
use crate::storage::Mailbox;
use crate::wire::{mutf7, MailboxName};

#[derive(Clone, Debug)]
pub struct NamePolicy {
    delimiter: char,
    wildcards: bool,
    case_insensitive: bool,
    max_depth: usize,
    max_length: usize,
    delete_with_inferiors: DeleteWithInferiors,
    rename_with_delimiter: RenameWithDelimiter,
    subscribe_requires_existing: bool,
    reference_must_be_level: bool,
    unmarked: bool,
    lsub_minimal: bool,
}

impl NamePolicy {
    pub fn compile(m: &Mailboxes) -> Result<NamePolicy, String> {
        if !m.delimiter.is_ascii_punctuation()
            || matches!(m.delimiter, '%' | '*' | '"' | '\\' | '&')
        {
            return Err(format!(
                "[mailboxes] delimiter {:?} cannot delimit names",
                m.delimiter
            ));
        }
        Ok(NamePolicy {
            delimiter: m.delimiter,
            wildcards: m.wildcards_in_names,
            case_insensitive: m.case_insensitive_names,
            max_depth: m.max_depth as usize,
            max_length: m.max_name_length as usize,
            delete_with_inferiors: m.delete_with_inferiors,
            rename_with_delimiter: m.rename_with_delimiter,
            subscribe_requires_existing: m.subscribe_requires_existing,
            reference_must_be_level: m.list_reference_must_be_level,
            unmarked: m.noinferiors_and_unmarked,
            lsub_minimal: m.lsub_minimal_attributes,
        })
    }

    pub fn delimiter(&self) -> char {
        self.delimiter
    }

    /// Validates a client's name and returns the stored form: modified UTF-7 (RFC 3501
    /// §5.1.3) checked, `INBOX` in any case as `INBOX`, no empty levels.
    pub fn parse(&self, name: &MailboxName) -> Result<String, Refusal> {
        let bytes = name.as_bytes();
        if bytes.is_empty() || bytes.iter().any(|b| !(0x20..0x7f).contains(b)) {
            return Err(Refusal::MailboxNameInvalid);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| Refusal::MailboxNameInvalid)?;
        mutf7::decode(bytes).map_err(|_| Refusal::MailboxNameInvalid)?;
        let mut levels: Vec<&str> = text.split(self.delimiter).collect();
        if levels.iter().any(|l| l.is_empty()) {
            return Err(Refusal::MailboxNameInvalid);
        }
        if levels[0].eq_ignore_ascii_case("INBOX") {
            levels[0] = "INBOX";
        }
        Ok(levels.join(&self.delimiter.to_string()))
    }

    /// Checks a name about to be created: wildcards (V0010), depth and length limits
    /// (C0002, C0003).
    pub fn check_new_name(&self, name: &str) -> Result<(), Refusal> {
        if !self.wildcards && name.contains(['%', '*']) {
            return Err(Refusal::MailboxNameInvalid);
        }
        let depth = name.split(self.delimiter).count();
        let length = mutf7::decode(name.as_bytes()).map_or(name.len(), |d| d.chars().count());
        let too_deep = self.max_depth != 0 && depth > self.max_depth;
        let too_long = self.max_length != 0 && length > self.max_length;
        if too_deep || too_long {
            Err(Refusal::MailboxNameInvalid)
        } else {
            Ok(())
        }
    }

    /// The name as LIST / LSUB show it: truncated to the length limit (C0003).
    pub fn listed(&self, name: &str) -> String {
        match mutf7::decode(name.as_bytes()) {
            Ok(d) if self.max_length != 0 && d.chars().count() > self.max_length => {
                mutf7::encode(&d.chars().take(self.max_length).collect::<String>())
            }
            _ => name.to_string(),
        }
    }

    /// Whether two stored names denote the same mailbox (V0008).
    pub fn same(&self, a: &str, b: &str) -> bool {
        a == b || (self.case_insensitive && self.fold(a) == self.fold(b))
    }

    /// The comparison key of a name: decoded, lower-cased when names are case-insensitive.
    fn fold(&self, name: &str) -> String {
        let decoded = mutf7::decode(name.as_bytes()).unwrap_or_else(|_| name.to_string());
        if self.case_insensitive {
            decoded.to_lowercase()
        } else {
            decoded
        }
    }

    /// The mailbox with this name: an exact match first, then by the profile's comparison.
    pub fn find<'a>(&self, all: &'a [Mailbox], name: &str) -> Option<&'a Mailbox> {
        all.iter()
            .find(|m| m.name == name)
            .or_else(|| all.iter().find(|m| self.same(&m.name, name)))
    }

    /// The superiors of a name, outermost first (`a/b/c` -> `a`, `a/b`).
    pub fn superiors(&self, name: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in name.char_indices() {
            if c == self.delimiter {
                out.push(name[..i].to_string());
            }
        }
        out
    }

    /// True when `child` is below `parent` in the hierarchy.
    pub fn is_inferior(&self, child: &str, parent: &str) -> bool {
        let prefix = format!("{parent}{}", self.delimiter);
        child.len() > prefix.len() && self.same(&child[..prefix.len()], &prefix)
    }

    pub fn delete_with_inferiors(&self) -> DeleteWithInferiors {
        self.delete_with_inferiors
    }

    pub fn rename_with_delimiter(&self) -> RenameWithDelimiter {
        self.rename_with_delimiter
    }

    pub fn subscribe_requires_existing(&self) -> bool {
        self.subscribe_requires_existing
    }

    /// V0031: a reference that is not a hierarchy level lists nothing.
    pub fn reference_lists_nothing(&self, reference: &str) -> bool {
        self.reference_must_be_level
            && !reference.is_empty()
            && !reference.ends_with(self.delimiter)
    }

    /// V0053: `\Unmarked` is used for mailboxes without new mail.
    pub fn uses_unmarked(&self) -> bool {
        self.unmarked
    }

    /// V0034: LSUB shows only `\Noselect`.
    pub fn lsub_minimal(&self) -> bool {
        self.lsub_minimal
    }

    /// RFC 3501 §6.3.8 pattern matching: `*` matches anything, `%` anything but the
    /// delimiter; compared as the profile compares names.
    pub fn matches(&self, pattern: &str, name: &str) -> bool {
        let p: Vec<char> = self.fold(pattern).chars().collect();
        let n: Vec<char> = self.fold(name).chars().collect();
        wildcard(&p, &n, self.delimiter)
    }
}

/// Iterative wildcard match (no recursion, so hostile patterns cannot blow the stack):
/// `reach[j]` is true when the pattern prefix matched so far can end at `name[..j]`.
fn wildcard(pattern: &[char], name: &[char], delimiter: char) -> bool {
    let mut reach = vec![false; name.len() + 1];
    reach[0] = true;
    for &pc in pattern {
        let mut next = vec![false; name.len() + 1];
        match pc {
            '*' | '%' => {
                let mut open = false;
                for j in 0..=name.len() {
                    if pc == '%' && j > 0 && name[j - 1] == delimiter {
                        open = false;
                    }
                    open |= reach[j];
                    next[j] = open;
                }
            }
            c => {
                for j in 1..=name.len() {
                    next[j] = reach[j - 1] && name[j - 1] == c;
                }
            }
        }
        reach = next;
    }
    reach[name.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, n: &str) -> bool {
        wildcard(
            &p.chars().collect::<Vec<_>>(),
            &n.chars().collect::<Vec<_>>(),
            '/',
        )
    }

    #[test]
    fn wildcards() {
        assert!(m("*", "a/b/c"));
        assert!(m("%", "abc"));
        assert!(!m("%", "a/b"));
        assert!(m("a/%", "a/b"));
        assert!(!m("a/%", "a/b/c"));
        assert!(m("a/*", "a/b/c"));
        assert!(m("a%c", "abbc"));
        assert!(!m("a%c", "ab/c"));
        assert!(m("INBOX", "INBOX"));
        assert!(!m("INBOX", "INBOX/x"));
        assert!(m("%/%", "a/b"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(m("*%*%*", "x"));
    }
}
