//! The JSON schema of profile files, generated from the model (schemars) so editors give
//! completion and validation with every switch's doc comment. A file may set only some
//! switches (`extends` supplies the rest), so only the header keys stay required.

use super::model::Profile;
use serde_json::Value;

/// Where the shipped profiles point their `#:schema` line.
pub const FILE: &str = "schemas/profile.v1.schema.json";

/// The schema for version 1 profile files.
pub fn generate() -> Value {
    let mut schema = schemars::schema_for!(Profile).to_value();
    relax(&mut schema);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "required".into(),
            serde_json::json!(["schema", "name", "emulates"]),
        );
        obj.insert(
            "title".into(),
            Value::String("imap-mimic profile, schema 1".into()),
        );
    }
    schema
}

/// The schema as the checked-in file holds it: pretty JSON with a final newline.
pub fn render() -> String {
    let mut text = serde_json::to_string_pretty(&generate()).unwrap_or_default();
    text.push('\n');
    text
}

/// Drops `required` everywhere below the top level: sections and switches are optional in
/// one file. `Reply` keeps its own required fields (a reply is given whole).
fn relax(value: &mut Value) {
    if let Some(defs) = value.get_mut("$defs").and_then(Value::as_object_mut) {
        for (name, def) in defs.iter_mut() {
            if name != "Reply" {
                if let Some(obj) = def.as_object_mut() {
                    obj.remove("required");
                }
            }
        }
    }
}

/// The source a switch's doc comment cites (MS-STANXIMAP ids, Set-ImapSettings parameter,
/// RFC section, PROFILES.md row), for `profile diff`.
pub fn source_of(section: &str, switch: &str) -> String {
    let schema = generate();
    let def_name = section_def(&schema, section);
    let description = def_name
        .and_then(|d| schema["$defs"][d.as_str()]["properties"][switch]["description"].as_str())
        .unwrap_or_default()
        .to_string();
    let re = regex::Regex::new(r#"(MS-STANXIMAP [A-Z§0-9., –-]+[0-9]|Set-ImapSettings `-?\w+`|RFC \d+(?: §[0-9.]+)?|PROFILES\.md "[^"]+")"#)
        .expect("static regex");
    let found: Vec<&str> = re
        .find_iter(&description)
        .map(|m| m.as_str().trim_end_matches([',', ' ']))
        .collect();
    found.join("; ")
}

fn section_def(schema: &Value, section: &str) -> Option<String> {
    let reference = schema["properties"][section]["$ref"].as_str()?;
    reference.rsplit('/').next().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_found_in_doc_comments() {
        assert_eq!(
            source_of("auth", "login_type"),
            "Set-ImapSettings `-LoginType`; MS-STANXIMAP V0022, V0025"
        );
        assert_eq!(
            source_of("responses", "envelope_empty_as_nil"),
            "MS-STANXIMAP V0057"
        );
    }

    #[test]
    fn only_the_header_is_required() {
        let schema = generate();
        assert_eq!(
            schema["required"],
            serde_json::json!(["schema", "name", "emulates"])
        );
        assert!(schema["$defs"]["Auth"].get("required").is_none());
        assert!(
            schema["$defs"]["Auth"]["properties"]["login_type"]["description"]
                .as_str()
                .is_some_and(|d| d.contains("LoginType"))
        );
    }
}
