//! `_core.FBetaMetric`: F1Score and FBetaScore.

use std::sync::Arc;

use ferrometrics_core::fscore::FBetaMetric as CoreMetric;
use ferrometrics_core::{Metric as _, MetricDtype};
use pyo3::prelude::*;

use crate::error::Result;
use crate::metric::{Binding, Metric};

#[pyclass(frozen, extends = Metric, module = "ferrometrics._core")]
pub struct FBetaMetric {
    binding: Arc<Binding<CoreMetric>>,
}

#[pymethods]
impl FBetaMetric {
    #[new]
    #[pyo3(signature = (average=None, beta=1.0, threshold=None, dtype=None))]
    fn new(
        py: Python<'_>,
        average: Option<&str>,
        beta: f64,
        threshold: Option<f64>,
        dtype: Option<&str>,
    ) -> Result<PyClassInitializer<Self>> {
        let dtype = MetricDtype::parse(dtype)?;
        let binding = Binding::new(py, CoreMetric::new(average, beta, threshold, dtype)?);
        Ok(Metric::initializer(&binding).add_subclass(FBetaMetric { binding }))
    }

    /// The class count fixed by the first update (None before).
    #[getter]
    fn num_classes(&self, py: Python<'_>) -> Option<usize> {
        self.binding.metric.width(&self.binding.state.lock(py))
    }
}
