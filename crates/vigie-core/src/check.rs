//! Why an input is refused: the field (a path into the input: `title`,
//! `advantages[0].score`, `rule.months`), a stable code, and the reason in words naming the
//! value. One type for every check of the domain; the API, the command line and the UI read
//! its parts and never parse its text.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of refusal: stable, machine-readable (the API's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Code {
    /// Required, and missing or empty.
    Missing,
    /// Longer, or more, than allowed.
    TooLong,
    /// A number outside its range.
    OutOfRange,
    /// Not one of the values the field takes (a code, a kind, a name).
    Unknown,
    /// Not in the expected form (an identifier, a date).
    Malformed,
    /// Given twice where once is allowed.
    Duplicate,
    /// At odds with another field of the input (an end before its start, periods that
    /// overlap).
    Inconsistent,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Missing => "missing",
            Code::TooLong => "too_long",
            Code::OutOfRange => "out_of_range",
            Code::Unknown => "unknown",
            Code::Malformed => "malformed",
            Code::Duplicate => "duplicate",
            Code::Inconsistent => "inconsistent",
        }
    }
}

/// Where in an input a value sits: `title`, `scope[1].country`, `rule.months`; empty for
/// the input as a whole (or a lone value, whose caller names it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldPath(String);

impl FieldPath {
    /// The input as a whole.
    pub fn root() -> FieldPath {
        FieldPath(String::new())
    }

    /// A top-level field.
    pub fn new(name: &str) -> FieldPath {
        FieldPath(name.to_string())
    }

    /// A field of this one: `a` then `b` is `a.b`.
    pub fn field(&self, name: &str) -> FieldPath {
        if self.0.is_empty() {
            FieldPath(name.to_string())
        } else {
            FieldPath(format!("{}.{name}", self.0))
        }
    }

    /// An element of this list: `a` then 2 is `a[2]`.
    pub fn index(&self, i: usize) -> FieldPath {
        FieldPath(format!("{}[{i}]", self.0))
    }

    /// This path inside `outer`: `months` inside `rule` is `rule.months`.
    pub fn within(&self, outer: &FieldPath) -> FieldPath {
        match (outer.0.is_empty(), self.0.is_empty()) {
            (true, _) => self.clone(),
            (false, true) => outer.clone(),
            (false, false) if self.0.starts_with('[') => {
                FieldPath(format!("{}{}", outer.0, self.0))
            }
            (false, false) => FieldPath(format!("{}.{}", outer.0, self.0)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for FieldPath {
    fn from(s: &str) -> FieldPath {
        FieldPath::new(s)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A refused input: which field, what kind of refusal, and why in words (naming the value).
/// Shown as `field: message`, or `message` for the input as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CheckError {
    pub field: FieldPath,
    pub code: Code,
    pub message: String,
}

impl CheckError {
    pub fn new(field: impl Into<FieldPath>, code: Code, message: impl Into<String>) -> Self {
        CheckError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }

    /// A lone value that is not one of those a type takes (a `FromStr` error): its caller
    /// knows the field ([`CheckError::at`]).
    pub fn unknown(message: impl Into<String>) -> Self {
        CheckError::new(FieldPath::root(), Code::Unknown, message)
    }

    /// The same refusal, of the field `field` (for an error about a lone value), or inside
    /// it (for one about a part of it).
    pub fn at(self, field: &str) -> Self {
        self.at_path(&FieldPath::new(field))
    }

    /// The same refusal, at or inside the field `outer` (`countries[2]`).
    pub fn at_path(self, outer: &FieldPath) -> Self {
        CheckError {
            field: self.field.within(outer),
            ..self
        }
    }
}

impl fmt::Display for CheckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_root() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_compose_and_errors_say_where() {
        let p = FieldPath::new("advantages").index(0).field("score");
        assert_eq!(p.as_str(), "advantages[0].score");
        assert_eq!(
            FieldPath::new("months").within(&"rule".into()).as_str(),
            "rule.months"
        );
        assert_eq!(
            FieldPath::root()
                .index(1)
                .within(&"regions".into())
                .as_str(),
            "regions[1]"
        );
        let e = CheckError::new(p, Code::OutOfRange, "1.5 is not between 0 and 1");
        assert_eq!(
            e.to_string(),
            "advantages[0].score: 1.5 is not between 0 and 1"
        );
        let lone = CheckError::unknown("unknown TLP marking \"x\"");
        assert_eq!(lone.to_string(), "unknown TLP marking \"x\"");
        assert_eq!(lone.at("marking").field.as_str(), "marking");
        assert_eq!(Code::OutOfRange.as_str(), "out_of_range");
        assert_eq!(
            serde_json::to_string(&Code::TooLong).unwrap(),
            "\"too_long\""
        );
    }
}
