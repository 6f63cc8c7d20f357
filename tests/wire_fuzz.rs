//! The decoder never panics: arbitrary bytes, and arbitrary mutations of valid commands,
//! under strict and lenient options. A mutant that does decode re-encodes to a command that
//! decodes to the same value (the decoder never produces something it cannot write back).

mod wire_common;

use imap_mimic::wire::*;
use proptest::collection::vec;
use proptest::prelude::*;
use wire_common::{command, encode};

fn all_opts() -> [DecodeOptions; 2] {
    [
        DecodeOptions::strict(),
        DecodeOptions {
            tab_delimiter: true,
            any_tag: true,
        },
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let byte = prop_oneof![
        any::<u8>(),
        Just(b' '),
        Just(b'\t'),
        Just(b'('),
        Just(b')'),
        Just(b'{'),
        Just(b'"'),
        Just(b'\r')
    ];
    prop_oneof![
        (any::<usize>(), byte.clone()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), byte).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(i, b) if !bytes.is_empty() => bytes[i % len] = b,
            Mutation::Insert(i, b) => bytes.insert(i % (bytes.len() + 1), b),
            Mutation::Delete(i) if !bytes.is_empty() => {
                bytes.remove(i % len);
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
            _ => {}
        }
    }
    bytes
}

fn check(input: &[u8]) -> Result<(), TestCaseError> {
    for opts in all_opts() {
        let _ = peek_command(input, &opts);
        if let Ok(cmd) = decode_command(input, &opts) {
            let again = decode_command(
                &encode(&cmd),
                &DecodeOptions {
                    tab_delimiter: true,
                    any_tag: true,
                },
            );
            prop_assert_eq!(again, Ok(cmd), "{:?}", String::from_utf8_lossy(input));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn random_bytes_never_panic(input in vec(any::<u8>(), 0..200)) {
        check(&input)?;
    }

    #[test]
    fn random_command_lines_never_panic(input in "[A-Za-z0-9 ()\\[\\]<>.*:,%\"{}+\\\\-]{0,60}\r\n") {
        check(input.as_bytes())?;
    }

    #[test]
    fn mutated_commands_never_panic(cmd in command(), mutations in vec(mutation(), 1..4)) {
        check(&apply(encode(&cmd), &mutations))?;
    }
}
