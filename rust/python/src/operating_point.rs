//! `_core.OperatingPointMetric`: SensitivityAtSpecificity and its three siblings.

use ferrometrics_core::operating_point::{
    OperatingKind, OperatingPoint, OperatingPointMetric as CoreMetric,
};
use ferrometrics_core::real::Real;
use ferrometrics_core::{ConfusionState, MetricDtype};
use numpy::PyArray1;
use pyo3::prelude::*;

use crate::errors::to_py;
use crate::state::Locked;
use crate::update::Prepared;

/// Configuration and float64 state of one operating-point metric.
#[pyclass(frozen, module = "ferrometrics._core")]
pub struct OperatingPointMetric {
    metric: CoreMetric,
    state: Locked<ConfusionState>,
}

impl OperatingPointMetric {
    fn point<C: Real>(&self, py: Python<'_>) -> (f64, Option<f64>) {
        let OperatingPoint { value, threshold } =
            self.metric.operating_point::<C>(&self.state.snapshot(py));
        let at = threshold.map(|i| self.metric.thresholds.values()[i]);
        (value.to_f64(), at)
    }
}

#[pymethods]
impl OperatingPointMetric {
    #[new]
    #[pyo3(signature = (kind, value, num_thresholds, class_id=None, dtype=None))]
    fn new(
        kind: &str,
        value: f64,
        num_thresholds: i64,
        class_id: Option<i64>,
        dtype: Option<&str>,
        py: Python<'_>,
    ) -> PyResult<Self> {
        let kind = OperatingKind::parse(kind).map_err(to_py)?;
        let dtype = MetricDtype::parse(dtype).map_err(to_py)?;
        let metric =
            CoreMetric::new(kind, value, num_thresholds, class_id, dtype).map_err(to_py)?;
        let state = Locked::new(py, metric.new_state());
        Ok(OperatingPointMetric { metric, state })
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
        prepared.count_into(
            py,
            &self.state,
            |batch| self.metric.count(batch),
            |state, hist| {
                self.metric.add(state, &hist);
                Ok(())
            },
        )
    }

    /// `(value, threshold)`: the result as a NumPy scalar in the metric dtype,
    /// and the threshold reaching it (None when no threshold qualifies).
    fn operating_point<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, Option<f64>)> {
        let ((value, at), dtype) = match self.metric.dtype {
            MetricDtype::Float32 => (self.point::<f32>(py), MetricDtype::Float32),
            MetricDtype::Float64 => (self.point::<f64>(py), MetricDtype::Float64),
        };
        let value = match dtype {
            MetricDtype::Float32 => PyArray1::from_vec(py, vec![value as f32]).get_item(0)?,
            MetricDtype::Float64 => PyArray1::from_vec(py, vec![value]).get_item(0)?,
        };
        Ok((value, at))
    }

    /// `[(name, float64 array)]` in Keras's order.
    fn variables<'py>(&self, py: Python<'py>) -> Vec<(&'static str, Bound<'py, PyArray1<f64>>)> {
        let state = self.state.snapshot(py);
        let names = [
            "true_positives",
            "false_positives",
            "true_negatives",
            "false_negatives",
        ];
        names
            .into_iter()
            .zip(state.arrays())
            .map(|(name, values)| (name, PyArray1::from_slice(py, values)))
            .collect()
    }

    /// Replaces the state with saved variables (Keras names and order).
    fn load(&self, py: Python<'_>, values: Vec<Vec<f64>>) -> PyResult<()> {
        let t = self.metric.thresholds.len();
        if values.len() != 4 || values.iter().any(|v| v.len() != t) {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "expected 4 variables of length {t}, got lengths {:?}",
                values.iter().map(Vec::len).collect::<Vec<_>>()
            )));
        }
        let mut fresh = self.metric.new_state();
        fresh.true_positives.clone_from(&values[0]);
        fresh.false_positives.clone_from(&values[1]);
        fresh.true_negatives.clone_from(&values[2]);
        fresh.false_negatives.clone_from(&values[3]);
        *self.state.lock(py) = fresh;
        Ok(())
    }

    fn reset(&self, py: Python<'_>) {
        self.state.lock(py).reset();
    }

    /// Adds the states of `others`: all of them or, if any is incompatible, none.
    fn merge(&self, py: Python<'_>, others: Vec<PyRef<'_, OperatingPointMetric>>) -> PyResult<()> {
        let mut total = self.metric.new_state();
        for other in &others {
            self.metric.check_mergeable(&other.metric).map_err(to_py)?;
            total.merge(&other.state.snapshot(py));
        }
        self.state.lock(py).merge(&total);
        Ok(())
    }

    #[getter]
    fn thresholds(&self) -> Vec<f64> {
        self.metric.thresholds.values().to_vec()
    }
}
