//! Placeholder until the wire branch lands its modified UTF-7 module.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| e.to_string())
}
pub fn encode(s: &str) -> String {
    s.to_string()
}
