//! The one error type of the generator: every variant says where in the spec and what to do.

use std::fmt;

/// A place in a spec: the file, the JSON pointer of the node, and the line where the parser knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub pointer: String,
    /// 1-based. (`u32` keeps `Error` small; no spec has four billion lines.)
    pub line: Option<u32>,
    /// Known for YAML syntax errors only; everything else is located by line and pointer.
    pub column: Option<u32>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        // A YAML syntax error has no place in the document yet: its line and column say it all.
        if self.pointer.is_empty() {
            return Ok(());
        }
        write!(f, " at #{}", self.pointer)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{location}: the file is not valid YAML: {message}")]
    Yaml { location: Location, message: String },

    #[error("{location}: not a valid OpenAPI 3.0 document: {message}")]
    Schema { location: Location, message: String },

    #[error(
        "{location}: OpenAPI version `{found}` is not supported; this generator reads OpenAPI 3.0.x (set `openapi: 3.0.3`)"
    )]
    Version { location: Location, found: String },

    #[error("{location}: `$ref: {reference}` does not resolve: {reason}")]
    Reference { location: Location, reference: String, reason: String },

    #[error("{location}: {construct} is not supported: {hint}")]
    Unsupported { location: Location, construct: String, hint: String },

    #[error("{location}: {message}")]
    Invalid { location: Location, message: String },

    #[error(
        "the generated code for `{file}` does not parse as Rust ({message}); this is a generator bug, please report it with the spec"
    )]
    Format { file: String, message: String },
}

impl Error {
    /// The same error with its location passed through `change` (to add a line, say).
    pub fn map_location(self, change: impl FnOnce(Location) -> Location) -> Self {
        match self {
            Self::Yaml { location, message } => Self::Yaml { location: change(location), message },
            Self::Schema { location, message } => Self::Schema { location: change(location), message },
            Self::Version { location, found } => Self::Version { location: change(location), found },
            Self::Reference { location, reference, reason } => {
                Self::Reference { location: change(location), reference, reason }
            }
            Self::Unsupported { location, construct, hint } => {
                Self::Unsupported { location: change(location), construct, hint }
            }
            Self::Invalid { location, message } => Self::Invalid { location: change(location), message },
            Self::Format { .. } => self,
        }
    }
}

/// A JSON pointer builder: escapes `~` and `/` in each segment as RFC 6901 says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    pub fn root() -> Self {
        Self(String::new())
    }

    pub fn join(&self, segment: impl fmt::Display) -> Self {
        let segment = segment.to_string();
        let mut pointer = String::with_capacity(self.0.len() + 1 + segment.len());
        pointer.push_str(&self.0);
        pointer.push('/');
        for c in segment.chars() {
            match c {
                '~' => pointer.push_str("~0"),
                '/' => pointer.push_str("~1"),
                c => pointer.push(c),
            }
        }
        Self(pointer)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The segments of a pointer's text, unescaped (`/paths/~1a` is `paths`, `/a`).
    pub fn segments(pointer: &str) -> impl Iterator<Item = String> + '_ {
        pointer.split('/').skip(1).map(|segment| segment.replace("~1", "/").replace("~0", "~"))
    }

    /// The pointer without its last segment (the root stays the root).
    pub fn parent(&self) -> Self {
        Self(self.0.rfind('/').map(|end| self.0[..end].to_owned()).unwrap_or_default())
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
