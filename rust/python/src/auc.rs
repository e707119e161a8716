//! `_core.AucMetric`: Keras's AUC, and the curve behind it.

use std::sync::Arc;

use ferrometrics_core::auc::{AucConfig, AucMetric as CoreMetric};
use ferrometrics_core::MetricDtype;
use pyo3::prelude::*;

use crate::convert;
use crate::error::Result;
use crate::metric::{Binding, Metric};

#[pyclass(frozen, extends = Metric, module = "ferrometrics._core")]
pub struct AucMetric {
    binding: Arc<Binding<CoreMetric>>,
}

#[pymethods]
impl AucMetric {
    #[new]
    #[pyo3(signature = (num_thresholds, curve, summation_method, thresholds, multi_label,
                        num_labels, label_weights, from_logits, dtype, check_range=true))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        num_thresholds: i64,
        curve: String,
        summation_method: String,
        thresholds: Option<Vec<f64>>,
        multi_label: bool,
        num_labels: Option<i64>,
        label_weights: Option<Vec<f64>>,
        from_logits: bool,
        dtype: Option<&str>,
        check_range: bool,
    ) -> Result<PyClassInitializer<Self>> {
        let config = AucConfig {
            num_thresholds,
            curve,
            summation_method,
            thresholds,
            multi_label,
            num_labels,
            label_weights,
            from_logits,
            dtype: MetricDtype::parse(dtype)?,
        };
        let mut metric = CoreMetric::new(config)?;
        if !check_range {
            metric = metric.accepting_any_range();
        }
        let binding = Binding::new(py, metric);
        Ok(Metric::initializer(&binding).add_subclass(AucMetric { binding }))
    }

    /// The PR AUC by Davis & Goadrich interpolation, whatever the curve: a
    /// NumPy scalar in the metric dtype.
    fn interpolate_pr_auc<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let state = self.binding.snapshot(py);
        convert::result(
            py,
            self.binding.metric.interpolate_pr_auc_values(&state),
            true,
        )
    }

    /// The curve behind the AUC: `(tp, fp, tn, fn, precision, recall, fpr)`,
    /// shaped like the variables; counts in float64, rates in the metric dtype.
    fn curve<'py>(&self, py: Python<'py>) -> Result<Vec<Bound<'py, PyAny>>> {
        let metric = &self.binding.metric;
        let state = self.binding.snapshot(py);
        let shape = metric.state_shape(&state);
        let counts = state
            .arrays()
            .into_iter()
            .map(|values| convert::float64(py, values, &shape));
        let rates = metric
            .curve_rates(&state)
            .into_iter()
            .map(|values| convert::shaped(py, values, &shape));
        counts.chain(rates).collect()
    }

    /// All the thresholds, ascending, with the end points.
    #[getter]
    fn thresholds(&self) -> Vec<f64> {
        self.binding.metric.thresholds.values().to_vec()
    }
}
