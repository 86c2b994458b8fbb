//! Rust names for wire names: decided once, in the model, so every renderer agrees.

use heck::ToSnakeCase;
use std::collections::{BTreeSet, HashMap};

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
    fix_identifier(upper_camel(&words(wire)), "Value", "V")
}

/// heck's UpperCamelCase of ASCII letters, digits and spaces (what [`words`] leaves), word
/// for word as heck splits and capitalizes them (a test holds the two together). heck writes
/// each character through `fmt`, which made naming a fifth of the model's time: every inline
/// type's name is its whole path, and is cased again at each level.
fn upper_camel(words: &str) -> String {
    #[derive(Clone, Copy, PartialEq)]
    enum Case {
        None,
        Lower,
        Upper,
    }
    let mut out = String::with_capacity(words.len());
    let mut push_word = |word: &[u8]| {
        if let Some((first, rest)) = word.split_first() {
            out.push(char::from(first.to_ascii_uppercase()));
            out.extend(rest.iter().map(|byte| char::from(byte.to_ascii_lowercase())));
        }
    };
    for word in words.split(' ').map(str::as_bytes) {
        // Words also break after a lower-case letter before an upper-case one (`roomId`), and
        // before the last of a run of capitals followed by a lower-case letter (`HTTPServer`).
        // Digits take the case of the letter before them.
        let (mut start, mut case) = (0, Case::None);
        for (index, &byte) in word.iter().enumerate() {
            let Some(&next) = word.get(index + 1) else {
                push_word(&word[start..]);
                break;
            };
            let case_through = match byte {
                b'a'..=b'z' => Case::Lower,
                b'A'..=b'Z' => Case::Upper,
                _ => case,
            };
            if case_through == Case::Lower && next.is_ascii_uppercase() {
                push_word(&word[start..=index]);
                (start, case) = (index + 1, Case::None);
            } else if case == Case::Upper && byte.is_ascii_uppercase() && next.is_ascii_lowercase() {
                push_word(&word[start..index]);
                (start, case) = (index, Case::None);
            } else {
                case = case_through;
            }
        }
    }
    out
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
    /// For each name asked for twice, the suffix to try next: every smaller one is taken, so
    /// n names that collide cost n probes in all, not n² (40,000 enum values that collide
    /// after case conversion took minutes probing `_2`, `_3`, ... from the start each time).
    next_suffix: HashMap<String, u64>,
    /// How many suffixed names were tried, to show the work stays linear.
    probes: u64,
}

impl Scope {
    pub fn unique(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        let separator = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) { "_" } else { "" };
        let mut n = self.next_suffix.get(&wanted).copied().unwrap_or(2);
        loop {
            let candidate = format!("{wanted}{separator}{n}");
            n += 1;
            self.probes += 1;
            if self.taken.insert(candidate.clone()) {
                self.next_suffix.insert(wanted, n);
                return candidate;
            }
        }
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

    /// Every string of up to 7 characters from letters of both cases, a digit and a space
    /// (every transition between them), and some real names: the same as heck's.
    #[test]
    fn upper_camel_is_hecks() {
        use heck::ToUpperCamelCase;
        let alphabet = ['a', 'B', 'C', 'd', '1', ' '];
        let mut texts: Vec<String> = vec![String::new()];
        let mut last: Vec<String> = vec![String::new()];
        for _ in 0..7 {
            last = last.iter().flat_map(|text| alphabet.map(|c| format!("{text}{c}"))).collect();
            texts.extend(last.iter().cloned());
        }
        texts.extend(
            ["HTTPServer", "roomId", "x rate limit", "GroupsListResponseGroupsItemLastMessage", "v2API", "a  b "]
                .map(String::from),
        );
        for text in &texts {
            assert_eq!(upper_camel(text), text.to_upper_camel_case(), "{text:?}");
        }
        assert!(texts.len() > 300_000);
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

#[cfg(test)]
mod scale {
    use super::Scope;

    /// Many names that collide: each probe is counted, and the total stays linear.
    #[test]
    fn colliding_names_cost_linear_probes() {
        let mut scope = Scope::default();
        let names: Vec<String> = (0..20_000).map(|_| scope.unique("same".into())).collect();
        assert_eq!(names[0], "same");
        assert_eq!(names[1], "same_2");
        assert_eq!(names[19_999], "same_20000");
        assert_eq!(scope.probes, 19_999, "one probe per collision");
        // A name reserved out of order is skipped, not reused.
        let mut scope = Scope::default();
        scope.reserve("x_3");
        let picked: Vec<String> = (0..4).map(|_| scope.unique("x".into())).collect();
        assert_eq!(picked, ["x", "x_2", "x_4", "x_5"]);
    }
}
