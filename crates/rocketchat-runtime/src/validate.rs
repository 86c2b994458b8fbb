//! The spec's validation keywords, checked on request values before anything is sent: the
//! server would reject the request, and a typed error naming the field and the rule says more
//! than its `invalid-params`. The generated types implement [`Validate`] where the spec gives
//! them rules; the functions of this module check one rule each.

use serde::Serialize;
use std::collections::HashSet;
use std::fmt;

/// A request the spec says the server would reject, refused before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InvalidRequest {
    /// The operation, such as `teams.leave`.
    pub operation: &'static str,
    /// Where in the request, such as `rooms` or `members[2]`.
    pub field: String,
    /// The rule it breaks, such as `must have at least 1 item (minItems)`.
    pub rule: String,
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: not sent: `{}` {}", self.operation, self.field, self.rule)
    }
}

impl std::error::Error for InvalidRequest {}

/// Where a value sits in a request, built only when a rule fails.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    Root,
    Field(&'a Path<'a>, &'static str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    pub fn field(&self, name: &'static str) -> Path<'_> {
        Path::Field(self, name)
    }

    pub fn index(&self, index: usize) -> Path<'_> {
        Path::Index(self, index)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("body"),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

/// A broken rule: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub rule: String,
}

/// A request value with rules from the spec.
pub trait Validate {
    fn validate(&self, at: &Path<'_>) -> Result<(), Violation>;
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Violation> {
        self.as_ref().map_or(Ok(()), |value| value.validate(at))
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Violation> {
        self.iter().enumerate().try_for_each(|(index, item)| item.validate(&at.index(index)))
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Violation> {
        (**self).validate(at)
    }
}

impl<T: Validate> Validate for std::collections::BTreeMap<String, T> {
    fn validate(&self, at: &Path<'_>) -> Result<(), Violation> {
        self.values().try_for_each(|value| value.validate(at))
    }
}

/// Checks `input` for operation `operation`, as the generated `Operation::request` does first.
pub fn check<T: Validate + ?Sized>(operation: &'static str, input: &T) -> Result<(), crate::Error> {
    input.validate(&Path::Root).map_err(|violation| {
        crate::Error::InvalidRequest(Box::new(InvalidRequest {
            operation,
            field: violation.field,
            rule: violation.rule,
        }))
    })
}

/// The outcome of one rule at `at`.
pub fn rule(at: &Path<'_>, broken: Option<String>) -> Result<(), Violation> {
    match broken {
        None => Ok(()),
        Some(rule) => Err(Violation { field: at.to_string(), rule }),
    }
}

fn plural(count: u64, one: &str) -> String {
    if count == 1 { format!("1 {one}") } else { format!("{count} {one}s") }
}

pub fn min_items<T>(items: &[T], min: u64) -> Option<String> {
    ((items.len() as u64) < min).then(|| format!("must have at least {} (minItems)", plural(min, "item")))
}

pub fn max_items<T>(items: &[T], max: u64) -> Option<String> {
    ((items.len() as u64) > max).then(|| format!("must have at most {} (maxItems)", plural(max, "item")))
}

/// Items are compared as JSON, as the server does; one pass with a set, never pairwise.
pub fn unique_items<T: Serialize>(items: &[T]) -> Option<String> {
    let mut seen = HashSet::with_capacity(items.len());
    let repeated = items.iter().position(|item| !seen.insert(serde_json::to_string(item).unwrap_or_default()));
    repeated.map(|index| format!("must not repeat an item (uniqueItems); item {index} repeats an earlier one"))
}

/// Lengths count characters (Unicode scalar values), as JSON Schema does.
pub fn min_length(text: &str, min: u64) -> Option<String> {
    ((text.chars().count() as u64) < min)
        .then(|| format!("must have at least {} (minLength)", plural(min, "character")))
}

pub fn max_length(text: &str, max: u64) -> Option<String> {
    ((text.chars().count() as u64) > max).then(|| format!("must have at most {} (maxLength)", plural(max, "character")))
}

/// ECMA-262 patterns are mostly the regular expressions of `regex-lite`; a pattern it cannot
/// read is not checked (the server still is). With the `pattern` feature.
#[cfg(feature = "pattern")]
pub fn pattern(text: &str, pattern: &str) -> Option<String> {
    let regex = regex_lite::Regex::new(pattern).ok()?;
    (!regex.is_match(text)).then(|| format!("must match the pattern `{pattern}`"))
}

pub fn minimum(value: f64, min: f64, exclusive: bool) -> Option<String> {
    if exclusive {
        (value <= min).then(|| format!("must be greater than {min} (exclusiveMinimum)"))
    } else {
        (value < min).then(|| format!("must be at least {min} (minimum)"))
    }
}

pub fn maximum(value: f64, max: f64, exclusive: bool) -> Option<String> {
    if exclusive {
        (value >= max).then(|| format!("must be less than {max} (exclusiveMaximum)"))
    } else {
        (value > max).then(|| format!("must be at most {max} (maximum)"))
    }
}

/// For enums of numbers or booleans, which are their plain Rust scalar.
pub fn one_of<T: PartialEq + fmt::Display>(value: &T, allowed: &[T]) -> Option<String> {
    (!allowed.contains(value)).then(|| {
        let allowed: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        format!("must be one of {} (enum)", allowed.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_name_what_they_check() {
        assert_eq!(min_items::<u8>(&[], 1).unwrap(), "must have at least 1 item (minItems)");
        assert_eq!(min_items(&[1], 1), None);
        assert_eq!(max_items(&[1, 2, 3], 2).unwrap(), "must have at most 2 items (maxItems)");
        assert_eq!(
            unique_items(&["a", "b", "a"]).unwrap(),
            "must not repeat an item (uniqueItems); item 2 repeats an earlier one"
        );
        assert_eq!(unique_items(&["a", "b"]), None);
        assert_eq!(min_length("é", 2).unwrap(), "must have at least 2 characters (minLength)");
        assert_eq!(max_length("éé", 2), None);
        assert_eq!(minimum(0.0, 1.0, false).unwrap(), "must be at least 1 (minimum)");
        assert_eq!(minimum(1.0, 1.0, true).unwrap(), "must be greater than 1 (exclusiveMinimum)");
        assert_eq!(maximum(5.0, 5.0, false), None);
        assert_eq!(one_of(&3, &[1, 2]).unwrap(), "must be one of 1, 2 (enum)");
    }

    #[cfg(feature = "pattern")]
    #[test]
    fn patterns_are_checked_and_unreadable_ones_are_not() {
        assert_eq!(pattern("abc", "^[a-z]+$"), None);
        assert_eq!(pattern("ab c", "^[a-z]+$").unwrap(), "must match the pattern `^[a-z]+$`");
        // A lookahead is ECMA-262, not regex-lite: the server checks it.
        assert_eq!(pattern("x", "^(?=a)"), None);
    }

    #[test]
    fn paths_are_written_as_a_reader_would() {
        let root = Path::Root;
        let members = root.field("members");
        assert_eq!(members.index(2).field("name").to_string(), "members[2].name");
        assert_eq!(root.to_string(), "body");
    }
}
