//! NTLM authentication (MS-NLMP) for AUTHENTICATE NTLM (MS-STANXIMAP E0003): the server's
//! half of the three-message exchange, NTLMv2 verification against the user's NT hash, and
//! the sealing of that hash at rest.
//!
//! Only NTLMv2 responses are accepted; NTLMv1 and anonymous authentication are refused. No
//! session security (signing, sealing) is negotiated: IMAP uses NTLM for authentication only
//! (MS-STANXIMAP V0021).

pub mod messages;
pub mod secret;
pub mod verify;

pub use messages::{challenge_message, parse_authenticate, parse_negotiate, Authenticate};
pub use verify::{nt_hash, verify_v2};
