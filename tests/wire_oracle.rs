//! imap-codec as an independent oracle (DESIGN.md): responses of strict profiles decode with
//! its response parser; where its command parser accepts an input ours does too, with the same
//! tag and command; and our command encoder's output is accepted by it, except for the
//! extensions imap-codec 1.0 does not implement (skipped by name below, never weakened).

mod wire_common;

use imap_codec::decode::Decoder;
use imap_codec::{CommandCodec, GreetingCodec, ResponseCodec};
use imap_mimic::wire::*;
use proptest::prelude::*;
use wire_common::{command, encode, response};

/// Commands imap-codec 1.0 (default features) cannot parse: RFC 2971 ID, RFC 2342
/// NAMESPACE, RFC 4315 UID EXPUNGE, and STARTTLS (behind its `starttls` feature).
fn unknown_to_imap_codec(body: &CommandBody) -> bool {
    matches!(
        body,
        CommandBody::Id(_)
            | CommandBody::Namespace
            | CommandBody::UidExpunge(_)
            | CommandBody::StartTls
    )
}

fn codec_accepts_response(wire: &[u8]) -> bool {
    matches!(ResponseCodec::default().decode(wire), Ok((rest, _)) if rest.is_empty())
        || matches!(GreetingCodec::default().decode(wire), Ok((rest, _)) if rest.is_empty())
}

/// Checks `check` on 1024 generated responses, on a thread with a large stack: the nested
/// response strategies (body structures inside messages inside multiparts) need more than
/// the test harness's 2 MiB in unoptimised builds.
/// A property over a generated response, a quoting choice and three option flags.
type ResponseCheck = fn(Response, bool, (bool, bool, bool)) -> Result<(), TestCaseError>;

fn for_responses(check: ResponseCheck) {
    let run = move || {
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(1024));
        let strategy = (response(), any::<bool>(), any::<(bool, bool, bool)>());
        if let Err(e) = runner.run(&strategy, |(r, quote, flags)| check(r, quote, flags)) {
            panic!("{e}");
        }
    };
    let thread = std::thread::Builder::new().stack_size(64 << 20).spawn(run);
    if let Err(panic) = thread.expect("spawn the test thread").join() {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn strict_responses_decode_with_imap_codec() {
    for_responses(|r, _, _| {
        let wire = encode::response_bytes(&r, &EncodeOptions::strict());
        prop_assert!(
            codec_accepts_response(&wire),
            "{:?}",
            String::from_utf8_lossy(&wire)
        );
        Ok(())
    });
}

/// The Exchange options that stay within RFC 3501 (mailbox literals V0009/V0030/V0033,
/// V0056, V0057, V0007) keep every response parseable.
#[test]
fn rfc_valid_exchange_options_decode_with_imap_codec() {
    for_responses(|r, quote, (empty_nil, extension, ascii)| {
        let quoting = match quote {
            true => MailboxQuoting::LiteralWhenContains(b"\\\"".to_vec()),
            false => MailboxQuoting::Strict,
        };
        let opts = EncodeOptions {
            mailbox_quoting: quoting,
            envelope_empty_as_nil: empty_nil,
            bodystructure_extension: extension,
            ascii_only_strings: ascii,
            ..EncodeOptions::strict()
        };
        let wire = encode::response_bytes(&r, &opts);
        prop_assert!(
            codec_accepts_response(&wire),
            "{:?}",
            String::from_utf8_lossy(&wire)
        );
        Ok(())
    });
}

/// V0007: with `ascii_only_strings`, ENVELOPE and body structures carry no 8-bit byte.
#[test]
fn ascii_only_structures_are_seven_bit() {
    for_responses(|r, _, _| {
        let opts = EncodeOptions {
            ascii_only_strings: true,
            ..EncodeOptions::strict()
        };
        let Response::Data(Data::Fetch { items, .. }) = &r else {
            return Ok(());
        };
        let structural = |i: &FetchValue| {
            matches!(
                i,
                FetchValue::Envelope(_) | FetchValue::Body(_) | FetchValue::BodyStructure(_)
            )
        };
        if items.iter().all(structural) {
            let wire = encode::response_bytes(&r, &opts);
            prop_assert!(wire.is_ascii(), "{:?}", String::from_utf8_lossy(&wire));
        }
        Ok(())
    });
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn encoded_commands_decode_with_imap_codec(cmd in command()) {
        let wire = encode(&cmd);
        match CommandCodec::default().decode(&wire) {
            Ok((rest, theirs)) => {
                prop_assert!(rest.is_empty());
                prop_assert_eq!(theirs.tag.as_ref(), cmd.tag.as_str());
                prop_assert_eq!(theirs.body.name(), cmd.body.name());
            }
            Err(e) => prop_assert!(unknown_to_imap_codec(&cmd.body), "{e:?} for {:?}", String::from_utf8_lossy(&wire)),
        }
    }
}

/// Valid commands, several per command and per argument form, as clients write them.
const CORPUS: &[&str] = &[
    "a CAPABILITY\r\n", "a NOOP\r\n", "a LOGOUT\r\n", "a STARTTLS\r\n", "a ID NIL\r\n",
    "a ID (\"name\" \"x\")\r\n", "a AUTHENTICATE PLAIN\r\n", "a AUTHENTICATE PLAIN AHVAcA==\r\n",
    "a AUTHENTICATE PLAIN =\r\n", "a LOGIN fred \"p w\"\r\n", "a LOGIN {4}\r\nfred {2}\r\npw\r\n",
    "a SELECT INBOX\r\n", "a EXAMINE \"Sent Items\"\r\n", "a CREATE a/b\r\n", "a DELETE x]\r\n",
    "a RENAME a b\r\n", "a SUBSCRIBE x\r\n", "a UNSUBSCRIBE x\r\n", "a LIST \"\" *\r\n",
    "a LIST \"\" %\r\n", "a LIST ~ \"a b*\"\r\n", "a LSUB \"\" *\r\n",
    "a STATUS INBOX (MESSAGES UNSEEN UIDNEXT UIDVALIDITY RECENT)\r\n",
    "a APPEND INBOX {3}\r\nabc\r\n", "a APPEND INBOX (\\Seen) {3}\r\nabc\r\n",
    "a APPEND INBOX (\\Seen $MDNSent) \" 7-Jul-1996 02:44:25 -0700\" {3+}\r\nabc\r\n",
    "a IDLE\r\n", "a NAMESPACE\r\n", "a CHECK\r\n", "a CLOSE\r\n", "a UNSELECT\r\n", "a EXPUNGE\r\n",
    "a UID EXPUNGE 1:3\r\n", "a SEARCH ALL\r\n", "a SEARCH CHARSET UTF-8 TEXT {2}\r\n\u{e9}\r\n",
    "a UID SEARCH OR (FROM x SINCE 1-Feb-1994) NOT (SEEN 1:5) HEADER Message-ID \"<a@b>\"\r\n",
    "a SEARCH ANSWERED BCC x BEFORE 1-Jan-2000 BODY y CC z DELETED DRAFT FLAGGED KEYWORD k\r\n",
    "a SEARCH LARGER 10 NEW OLD ON 2-Feb-2002 RECENT SEEN SENTBEFORE 1-Jan-2000 SENTON 1-Jan-2000\r\n",
    "a SEARCH SENTSINCE 1-Jan-2000 SMALLER 5 SUBJECT s TEXT t TO u UID 1:* UNANSWERED UNDELETED\r\n",
    "a SEARCH UNDRAFT UNFLAGGED UNKEYWORD k UNSEEN 2,4:*\r\n", "a SEARCH ON \"2-Feb-2002\"\r\n",
    "a FETCH 1 ALL\r\n", "a FETCH 1:* FAST\r\n", "a FETCH * FULL\r\n", "a FETCH 1 FLAGS\r\n",
    "a UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE BODY)\r\n",
    "a FETCH 1 (RFC822 RFC822.HEADER RFC822.TEXT)\r\n", "a FETCH 1 BODY[]\r\n",
    "a FETCH 1 BODY.PEEK[HEADER.FIELDS (From To)]<0.100>\r\n", "a FETCH 1 BODY[1.2.MIME]\r\n",
    "a FETCH 1 BODY[2.HEADER.FIELDS.NOT (Received)]\r\n", "a FETCH 1 BODY[TEXT]<5.5>\r\n",
    "a STORE 1 +FLAGS (\\Deleted)\r\n", "a UID STORE 1:3 -FLAGS.SILENT \\Seen \\Flagged\r\n",
    "a STORE 1 FLAGS ()\r\n", "a COPY 1:3 Trash\r\n", "a UID COPY 1 \"Sent Items\"\r\n",
    "a MOVE 1 Trash\r\n", "a UID MOVE 1:* Trash\r\n", "A]1 noop\r\n", "a fetch 1 body.peek[]\r\n",
];

#[test]
fn where_imap_codec_accepts_a_command_we_agree() {
    let mut checked = 0;
    for input in CORPUS {
        let ours = decode_command(input.as_bytes(), &DecodeOptions::strict());
        let Ok((rest, theirs)) = CommandCodec::default().decode(input.as_bytes()) else {
            // Only the extensions imap-codec 1.0 lacks may be refused by it.
            let cmd = ours.unwrap_or_else(|e| panic!("{input:?}: {e}"));
            assert!(
                unknown_to_imap_codec(&cmd.body),
                "imap-codec refuses {input:?}"
            );
            continue;
        };
        assert!(rest.is_empty(), "{input:?}");
        let ours = ours.unwrap_or_else(|e| panic!("imap-codec accepts {input:?}, we say {e}"));
        assert_eq!(theirs.tag.as_ref(), ours.tag.as_str(), "{input:?}");
        assert_eq!(theirs.body.name(), ours.body.name(), "{input:?}");
        checked += 1;
    }
    assert!(checked > 55, "only {checked} commands were compared");
}
