//! One protocol log line: its fields, CSV quoting, and what a command's frame may show
//! (never a password).

use crate::profile::CompiledProfile;
use crate::wire::{decode_command, CommandBody};
use std::net::SocketAddr;

/// Parameters longer than this are cut (an APPEND's flags, a long SEARCH).
const MAX_PARAMETERS: usize = 512;

/// The fields of one line, in `#Fields:` order.
#[derive(Clone, Debug)]
pub struct Line {
    pub at: chrono::DateTime<chrono::Utc>,
    pub session_id: i64,
    pub seq: u64,
    pub server: Option<SocketAddr>,
    pub client: Option<SocketAddr>,
    pub user: String,
    pub duration_ms: u128,
    pub rqsize: usize,
    pub rpsize: usize,
    pub command: String,
    pub parameters: String,
    pub context: String,
}

impl Line {
    /// The CSV line, CRLF-terminated like Exchange's logs.
    pub fn csv(&self) -> String {
        let addr = |a: Option<SocketAddr>| a.map(|a| a.to_string()).unwrap_or_default();
        let fields = [
            self.at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            format!("{:016X}", self.session_id),
            self.seq.to_string(),
            addr(self.server),
            addr(self.client),
            self.user.clone(),
            self.duration_ms.to_string(),
            self.rqsize.to_string(),
            self.rpsize.to_string(),
            self.command.clone(),
            self.parameters.clone(),
            self.context.clone(),
        ];
        let quoted: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        format!("{}\r\n", quoted.join(","))
    }
}

/// RFC 4180 quoting; line breaks become spaces so one command stays one line.
fn csv_field(f: &str) -> String {
    let f = f.replace(['\r', '\n'], " ");
    if f.contains([',', '"']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f
    }
}

/// The `command` and `parameters` fields of a command's first frame. LOGIN shows only the
/// user name and AUTHENTICATE only the mechanism: the rest is a secret.
pub fn describe(bytes: &[u8], profile: &CompiledProfile) -> (String, String) {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    let mut words = first.trim_end_matches('\r').splitn(3, [' ', '\t']);
    let _tag = words.next();
    let mut command = words.next().unwrap_or_default().to_ascii_lowercase();
    let mut rest = words.next().unwrap_or_default().to_string();
    if command == "uid" {
        let (sub, args) = rest.split_once(' ').unwrap_or((&rest, ""));
        command = format!("uid {}", sub.to_ascii_lowercase());
        rest = args.to_string();
    }
    let parameters = match command.as_str() {
        "login" => login_user(bytes, profile),
        "authenticate" => rest.split(' ').next().unwrap_or_default().to_string(),
        _ => cut(&rest),
    };
    (command, parameters)
}

fn login_user(bytes: &[u8], profile: &CompiledProfile) -> String {
    match decode_command(bytes, profile.framing.decode_options()) {
        Ok(c) => match c.body {
            CommandBody::Login { username, .. } => String::from_utf8_lossy(&username).into_owned(),
            _ => String::new(),
        },
        Err(_) => String::new(),
    }
}

fn cut(s: &str) -> String {
    match s.char_indices().nth(MAX_PARAMETERS) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_commas_and_quotes() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("x\r\ny"), "x  y");
    }
}
