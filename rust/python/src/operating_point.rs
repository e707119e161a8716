//! `_core.OperatingPointMetric`: SensitivityAtSpecificity and its three siblings.

use std::sync::Arc;

use ferrometrics_core::operating_point::{OperatingKind, OperatingPointMetric as CoreMetric};
use ferrometrics_core::MetricDtype;
use pyo3::prelude::*;

use crate::convert;
use crate::error::Result;
use crate::metric::{Binding, Metric};

#[pyclass(frozen, extends = Metric, module = "ferrometrics._core")]
pub struct OperatingPointMetric {
    binding: Arc<Binding<CoreMetric>>,
}

#[pymethods]
impl OperatingPointMetric {
    #[new]
    #[pyo3(signature = (kind, value, num_thresholds, class_id=None, dtype=None, check_range=true))]
    fn new(
        py: Python<'_>,
        kind: &str,
        value: f64,
        num_thresholds: i64,
        class_id: Option<i64>,
        dtype: Option<&str>,
        check_range: bool,
    ) -> Result<PyClassInitializer<Self>> {
        let kind = OperatingKind::parse(kind)?;
        let dtype = MetricDtype::parse(dtype)?;
        let mut metric = CoreMetric::new(kind, value, num_thresholds, class_id, dtype)?;
        if !check_range {
            metric = metric.accepting_any_range();
        }
        let binding = Binding::new(py, metric);
        Ok(Metric::initializer(&binding).add_subclass(OperatingPointMetric { binding }))
    }

    /// `(value, threshold)`: the result as a NumPy scalar in the metric dtype,
    /// and the threshold reaching it (None when no threshold qualifies).
    fn operating_point<'py>(&self, py: Python<'py>) -> Result<(Bound<'py, PyAny>, Option<f64>)> {
        let state = self.binding.snapshot(py);
        let (value, threshold) = self.binding.metric.operating_point_values(&state);
        Ok((convert::result(py, value, true)?, threshold))
    }

    /// The thresholds searched.
    #[getter]
    fn thresholds(&self) -> Vec<f64> {
        self.binding.metric.thresholds.values().to_vec()
    }
}
