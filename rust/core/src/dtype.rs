//! The metric dtype: threshold comparisons and result formulas run in it.

use crate::error::{CoreError, CoreResult};

/// `float32` (Keras's default) or `float64` (as tf.keras honours it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetricDtype {
    #[default]
    Float32,
    Float64,
}

impl MetricDtype {
    /// Parses `"float32"` / `"float64"`; `None` means the default, float32.
    pub fn parse(name: Option<&str>) -> CoreResult<Self> {
        match name {
            None | Some("float32") => Ok(MetricDtype::Float32),
            Some("float64") => Ok(MetricDtype::Float64),
            Some(other) => Err(CoreError::value(format!(
                "Argument `dtype` must be \"float32\" or \"float64\". Received: dtype={other}"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MetricDtype::Float32 => "float32",
            MetricDtype::Float64 => "float64",
        }
    }
}

/// Values computed in the metric dtype.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    F32(Vec<f32>),
    F64(Vec<f64>),
}

impl Values {
    /// One generic computation, run in the metric dtype: `f32` or `f64` is
    /// the same computation instantiated for float32 or float64.
    pub fn in_dtype(
        dtype: MetricDtype,
        f32: impl FnOnce() -> Vec<f32>,
        f64: impl FnOnce() -> Vec<f64>,
    ) -> Values {
        match dtype {
            MetricDtype::Float32 => Values::F32(f32()),
            MetricDtype::Float64 => Values::F64(f64()),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Values::F32(v) => v.len(),
            Values::F64(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_two_dtypes_and_refuses_others() {
        assert_eq!(MetricDtype::parse(None), Ok(MetricDtype::Float32));
        assert_eq!(
            MetricDtype::parse(Some("float64")),
            Ok(MetricDtype::Float64)
        );
        let err = MetricDtype::parse(Some("int32")).unwrap_err();
        assert!(err.message().contains("dtype=int32"));
    }
}
