//! The one error type of the core: a bad argument, value or shape. The
//! bindings raise it as `ValueError`; every message names the argument and the
//! offending value or shape.

use std::fmt;

/// An error caused by the caller's arguments or data.
#[derive(Debug, Clone, PartialEq)]
pub struct CoreError(String);

pub type CoreResult<T> = Result<T, CoreError>;

impl CoreError {
    pub fn value(msg: impl Into<String>) -> Self {
        CoreError(msg.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CoreError {}

/// Formats a shape the way NumPy prints it: `(3,)`, `(2, 5)`, `()`.
pub fn shape_str(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        dims => {
            let parts: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
            format!("({})", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_print_like_numpy() {
        assert_eq!(shape_str(&[]), "()");
        assert_eq!(shape_str(&[3]), "(3,)");
        assert_eq!(shape_str(&[2, 5]), "(2, 5)");
    }
}
