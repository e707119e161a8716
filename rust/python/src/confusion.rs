//! `_core.ConfusionMetric`: Precision, Recall and the four counts.

use std::sync::Arc;

use ferrometrics_core::confusion::{ConfusionKind, ConfusionMetric as CoreMetric};
use ferrometrics_core::MetricDtype;
use pyo3::prelude::*;

use crate::error::Result;
use crate::metric::{Binding, Metric};

#[pyclass(frozen, extends = Metric, module = "ferrometrics._core")]
pub struct ConfusionMetric {
    binding: Arc<Binding<CoreMetric>>,
}

#[pymethods]
impl ConfusionMetric {
    #[new]
    #[pyo3(signature = (kind, thresholds=None, top_k=None, class_id=None, dtype=None))]
    fn new(
        py: Python<'_>,
        kind: &str,
        thresholds: Option<Vec<f64>>,
        top_k: Option<i64>,
        class_id: Option<i64>,
        dtype: Option<&str>,
    ) -> Result<PyClassInitializer<Self>> {
        let kind = ConfusionKind::parse(kind)?;
        let dtype = MetricDtype::parse(dtype)?;
        let binding = Binding::new(
            py,
            CoreMetric::new(kind, thresholds, top_k, class_id, dtype)?,
        );
        Ok(Metric::initializer(&binding).add_subclass(ConfusionMetric { binding }))
    }

    /// The thresholds counted at, in the caller's order.
    #[getter]
    fn thresholds(&self) -> Vec<f64> {
        self.binding.metric.thresholds.values().to_vec()
    }
}
