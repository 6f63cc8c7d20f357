//! Round trip of the command codec: for generated valid commands, encode_command -> decode
//! gives the same `Command`, re-encoding gives the same bytes, and the lenient (Exchange)
//! options accept every strict command identically.

mod wire_common;

use imap_mimic::wire::*;
use proptest::prelude::*;
use wire_common::{command, encode};

fn lenient() -> DecodeOptions {
    DecodeOptions {
        tab_delimiter: true,
        any_tag: true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn encode_decode_round_trip(cmd in command()) {
        let wire = encode(&cmd);
        let decoded = decode_command(&wire, &DecodeOptions::strict());
        prop_assert_eq!(decoded.as_ref(), Ok(&cmd), "{:?}", String::from_utf8_lossy(&wire));
        prop_assert_eq!(encode(&cmd), wire.clone());
        prop_assert_eq!(decode_command(&wire, &lenient()), Ok(cmd.clone()));
        let (tag, word) = peek_command(&wire, &DecodeOptions::strict()).expect("peek");
        prop_assert_eq!(&tag, &cmd.tag);
        let uid = if cmd.body.is_uid() { "UID " } else { "" };
        prop_assert_eq!(word, format!("{uid}{}", cmd.body.name()));
    }
}

/// The same commands with a TAB after the tag, the command word and UID decode only when
/// MS-STANXIMAP §2.1.6 leniency is on, and then to the same command.
#[test]
fn tab_delimited_forms_decode_the_same_under_leniency() {
    let inputs: [&[u8]; 3] = [
        b"t1 UID FETCH 1:* (FLAGS)\r\n",
        b"t2 SELECT INBOX\r\n",
        b"t3 NOOP\r\n",
    ];
    for input in inputs {
        let spaced = decode_command(input, &DecodeOptions::strict()).unwrap();
        let mut tabbed = input.to_vec();
        let n = if input.starts_with(b"t1") { 3 } else { 2 };
        for (i, b) in input
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b' ')
            .take(n)
        {
            tabbed[i] = if *b == b' ' { b'\t' } else { *b };
        }
        assert_eq!(decode_command(&tabbed, &lenient()), Ok(spaced));
        assert!(decode_command(&tabbed, &DecodeOptions::strict()).is_err());
    }
}
