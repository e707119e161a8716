//! `_core.AucMetric`: Keras's AUC.

use ferrometrics_core::auc::{AucConfig, AucMetric as CoreMetric};
use ferrometrics_core::real::Real;
use ferrometrics_core::{ConfusionState, MetricDtype};
use numpy::ndarray::Array2;
use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::errors::to_py;
use crate::state::Locked;
use crate::update::Prepared;

/// Configuration and float64 state of one AUC metric.
#[pyclass(frozen, module = "ferrometrics._core")]
pub struct AucMetric {
    metric: CoreMetric,
    state: Locked<ConfusionState>,
}

/// A scalar in the metric dtype, as a NumPy scalar.
fn scalar<'py>(py: Python<'py>, dtype: MetricDtype, value: f64) -> PyResult<Bound<'py, PyAny>> {
    match dtype {
        MetricDtype::Float32 => PyArray1::from_vec(py, vec![value as f32]).get_item(0),
        MetricDtype::Float64 => PyArray1::from_vec(py, vec![value]).get_item(0),
    }
}

impl AucMetric {
    /// `values` (`[t * labels + l]`) as a `(T,)` array, or `(T, L)` for multi-label.
    fn shaped<'py, T: numpy::Element>(
        &self,
        py: Python<'py>,
        values: Vec<T>,
        labels: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        if !self.metric.multi_label {
            return Ok(PyArray1::from_vec(py, values).into_any());
        }
        let t = self.metric.num_thresholds();
        let array = Array2::from_shape_vec((t, labels), values)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
        Ok(array.into_pyarray(py).into_any())
    }

    fn in_dtype<C: Real>(&self, state: &ConfusionState, interpolate: bool) -> f64 {
        let value: C = if interpolate {
            self.metric.interpolate_pr_auc(state)
        } else {
            self.metric.result(state)
        };
        value.to_f64()
    }
}

#[pymethods]
impl AucMetric {
    #[new]
    #[pyo3(signature = (num_thresholds, curve, summation_method, thresholds, multi_label,
                        num_labels, label_weights, from_logits, dtype))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        num_thresholds: i64,
        curve: String,
        summation_method: String,
        thresholds: Option<Vec<f64>>,
        multi_label: bool,
        num_labels: Option<i64>,
        label_weights: Option<Vec<f64>>,
        from_logits: bool,
        dtype: Option<&str>,
        py: Python<'_>,
    ) -> PyResult<Self> {
        let config = AucConfig {
            num_thresholds,
            curve,
            summation_method,
            thresholds,
            multi_label,
            num_labels,
            label_weights,
            from_logits,
            dtype: MetricDtype::parse(dtype).map_err(to_py)?,
        };
        let metric = CoreMetric::new(config).map_err(to_py)?;
        let state = Locked::new(py, metric.new_state());
        Ok(AucMetric { metric, state })
    }

    /// Counts one batch into the state, all or nothing.
    #[pyo3(signature = (y_true, y_pred, sample_weight=None))]
    fn update(
        &self,
        py: Python<'_>,
        y_true: &Bound<'_, PyAny>,
        y_pred: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let prepared = Prepared::new(y_true, y_pred, sample_weight, false)?;
        let built = self.state.lock(py).slots;
        prepared.count_into(
            py,
            &self.state,
            |batch| self.metric.count(batch, &prepared.pred_shape, built),
            |state, hist| self.metric.add(state, &hist),
        )
    }

    /// The AUC, a NumPy scalar in the metric dtype.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state.snapshot(py);
        let value = match self.metric.dtype {
            MetricDtype::Float32 => self.in_dtype::<f32>(&state, false),
            MetricDtype::Float64 => self.in_dtype::<f64>(&state, false),
        };
        scalar(py, self.metric.dtype, value)
    }

    /// The PR AUC by Davis & Goadrich interpolation, whatever the curve.
    fn interpolate_pr_auc<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state.snapshot(py);
        let value = match self.metric.dtype {
            MetricDtype::Float32 => self.in_dtype::<f32>(&state, true),
            MetricDtype::Float64 => self.in_dtype::<f64>(&state, true),
        };
        scalar(py, self.metric.dtype, value)
    }

    /// `[(name, float64 array)]` in Keras's order; empty before a multi-label
    /// AUC without `num_labels` sees data.
    fn variables<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        let state = self.state.snapshot(py);
        if state.slots == 0 {
            return Ok(Vec::new());
        }
        let names = [
            "true_positives",
            "false_positives",
            "true_negatives",
            "false_negatives",
        ];
        names
            .into_iter()
            .zip(state.arrays())
            .map(|(name, values)| Ok((name, self.shaped(py, values.clone(), state.slots)?)))
            .collect()
    }

    /// The curve behind the AUC: `(tp, fp, tn, fn, precision, recall, fpr)`,
    /// shaped like the variables; counts in float64, rates in the metric dtype.
    fn curve<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let state = self.state.snapshot(py);
        let labels = state.slots;
        let mut out: Vec<Bound<'py, PyAny>> = Vec::with_capacity(7);
        for values in state.arrays() {
            out.push(self.shaped(py, values.clone(), labels)?);
        }
        macro_rules! rates {
            ($c:ty) => {{
                let points = self.metric.curve_points::<$c>(&state);
                out.push(self.shaped(py, points.precision, labels)?);
                out.push(self.shaped(py, points.recall, labels)?);
                out.push(self.shaped(py, points.false_positive_rate, labels)?);
            }};
        }
        match self.metric.dtype {
            MetricDtype::Float32 => rates!(f32),
            MetricDtype::Float64 => rates!(f64),
        }
        Ok(out)
    }

    /// Replaces the state with saved (flattened) variables.
    fn load(&self, py: Python<'_>, values: Vec<Vec<f64>>) -> PyResult<()> {
        let mut state = self.state.lock(py);
        self.metric
            .load_variables(&mut state, &values)
            .map_err(to_py)
    }

    fn reset(&self, py: Python<'_>) {
        self.state.lock(py).reset();
    }

    /// Adds the states of `others`: all of them or, if any is incompatible, none.
    fn merge(&self, py: Python<'_>, others: Vec<PyRef<'_, AucMetric>>) -> PyResult<()> {
        let mut total = self.metric.new_state();
        for other in &others {
            self.metric.check_mergeable(&other.metric).map_err(to_py)?;
            self.metric
                .merge_states(&mut total, &other.state.snapshot(py))
                .map_err(to_py)?;
        }
        let mut state = self.state.lock(py);
        let mut merged = state.clone();
        self.metric
            .merge_states(&mut merged, &total)
            .map_err(to_py)?;
        *state = merged;
        Ok(())
    }

    #[getter]
    fn thresholds(&self) -> Vec<f64> {
        self.metric.thresholds.values().to_vec()
    }

    /// The label count of a multi-label state (0 before it is known).
    #[getter]
    fn num_labels(&self, py: Python<'_>) -> usize {
        self.state.lock(py).slots
    }
}
