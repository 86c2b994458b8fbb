//! Rust names for wire names: decided once, in the model, so every renderer agrees.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words that cannot be identifiers even as raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keeps only ASCII letters and digits, so heck sees word boundaries at punctuation
/// (`x-rate.limit` -> `x rate limit`) and every name is a valid identifier; the wire name,
/// whatever its characters, is kept for serde.
fn words(wire: &str) -> String {
    wire.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// A snake_case name for a field, parameter or method: never empty, never a bare keyword.
pub fn snake(wire: &str) -> String {
    fix_identifier(words(wire).to_snake_case(), "value", "n_")
}

/// An UpperCamelCase name for a type or variant.
pub fn camel(wire: &str) -> String {
    fix_identifier(words(wire).to_upper_camel_case(), "Value", "V")
}

fn fix_identifier(name: String, if_empty: &str, before_digit: &str) -> String {
    let mut name = if name.is_empty() { if_empty.to_owned() } else { name };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, before_digit);
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Whether `name` must be written `r#name` in Rust source.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Hands out names unique within one scope (a struct's fields, a module's types), adding
/// `2`, `3`, ... in the order names are asked for, which follows the spec, so it is stable.
#[derive(Debug, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    pub fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let separator = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{wanted}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_rust_conventions() {
        assert_eq!(snake("_updatedAt"), "updated_at");
        assert_eq!(snake("groups.removeLeader"), "groups_remove_leader");
        assert_eq!(snake("type"), "type");
        assert!(is_keyword(&snake("type")));
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("2fa"), "n_2fa");
        assert_eq!(snake("---"), "value");
        assert_eq!(camel("error-you-are-last-owner"), "ErrorYouAreLastOwner");
        assert_eq!(camel("2fa"), "V2fa");
        assert_eq!(camel("Self"), "Self_");
    }

    #[test]
    fn scope_makes_collisions_unique_in_order() {
        let mut scope = Scope::default();
        assert_eq!(scope.unique("room_id".into()), "room_id");
        assert_eq!(scope.unique("room_id".into()), "room_id_2");
        assert_eq!(scope.unique("Room".into()), "Room");
        assert_eq!(scope.unique("Room".into()), "Room2");
    }
}
