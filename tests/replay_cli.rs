//! `imap-mimic replay` as a user runs it: exit status, unified diff on stdout, and errors
//! naming file and line for bad transcripts.

use std::process::Command;

fn replay(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_imap-mimic"))
        .arg("replay")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("imap-mimic runs");
    // stdout only: the in-process server logs to stderr.
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn same_profile_passes_other_profile_prints_a_diff_and_fails() {
    let file = "tests/transcripts/rfc3501/mailboxes.txt";
    let (code, out) = replay(&[file]);
    assert_eq!((code, out.as_str()), (0, format!("ok: {file}\n").as_str()));
    let (code, out) = replay(&[file, "--profile", "exchange-2010", "--wait-ms", "300"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.starts_with(&format!("--- {file} (recorded)\n+++ 127.0.0.1:")),
        "{out}"
    );
    assert!(out.contains(" (exchange-2010) (replayed)\n@@ -"), "{out}");
    // MS-STANXIMAP V0053: Exchange sends no \Unmarked.
    assert!(
        out.contains("\n-* LIST (\\Unmarked \\HasNoChildren) \"/\" INBOX\n"),
        "{out}"
    );
    assert!(
        out.contains("\n+* LIST (\\HasNoChildren) \"/\" INBOX\n"),
        "{out}"
    );
}

#[test]
fn bad_transcripts_are_errors_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unknown.txt",
            "profile: rfc3501\nS~ ^\\* OK\nX: what\n",
            ":3: unknown directive: \"X: what\"",
        ),
        (
            "literal.txt",
            "profile: rfc3501\nC: a LOGIN alice {4}\nS: + go\nC: secret\n",
            ":4: the client literal of 4 bytes announced at line 2 ends inside this line",
        ),
        (
            "truncated.txt",
            "profile: rfc3501\nC: a APPEND INBOX {100}\nS: + go\nC: Subject: x\n",
            ":2: truncated: the literal of 100 bytes announced here is missing 88 bytes",
        ),
    ];
    for (name, text, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let (code, out) = replay(&[path.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}");
        let expected = format!("{}{message}", path.display());
        assert!(out.contains(&expected), "{expected:?} not in {out:?}");
    }
}
