//! `_core.ConfusionMetric`: Precision, Recall and the four counts.

use ferrometrics_core::confusion::{ConfusionKind, ConfusionMetric as CoreMetric};
use ferrometrics_core::{ConfusionState, MetricDtype};
use numpy::PyArray1;
use pyo3::prelude::*;

use crate::errors::to_py;
use crate::state::Locked;
use crate::update::Prepared;

/// State and configuration of one Precision/Recall/count metric. The state is
/// behind a lock; a batch is counted without it (and without the GIL when
/// large) and added in one short critical section, so updates are atomic.
#[pyclass(frozen, module = "ferrometrics._core")]
pub struct ConfusionMetric {
    metric: CoreMetric,
    state: Locked<ConfusionState>,
}

#[pymethods]
impl ConfusionMetric {
    #[new]
    #[pyo3(signature = (kind, thresholds=None, top_k=None, class_id=None, dtype=None))]
    fn new(
        kind: &str,
        thresholds: Option<Vec<f64>>,
        top_k: Option<i64>,
        class_id: Option<i64>,
        dtype: Option<&str>,
        py: Python<'_>,
    ) -> PyResult<Self> {
        let kind = ConfusionKind::parse(kind).map_err(to_py)?;
        let dtype = MetricDtype::parse(dtype).map_err(to_py)?;
        let metric = CoreMetric::new(kind, thresholds, top_k, class_id, dtype).map_err(to_py)?;
        let state = Locked::new(py, metric.new_state());
        Ok(ConfusionMetric { metric, state })
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
        let prepared = Prepared::new(y_true, y_pred, sample_weight, self.metric.one_row())?;
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

    /// The result in the metric dtype: a NumPy scalar for one threshold, else
    /// an array in the caller's threshold order.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state.snapshot(py);
        let values = match self.metric.dtype {
            MetricDtype::Float32 => {
                PyArray1::from_vec(py, self.metric.result_f32(&state)).into_any()
            }
            MetricDtype::Float64 => {
                PyArray1::from_vec(py, self.metric.result_f64(&state)).into_any()
            }
        };
        if self.metric.thresholds.len() == 1 {
            values.get_item(0)
        } else {
            Ok(values)
        }
    }

    /// `[(name, float64 array)]` in Keras's order.
    fn variables<'py>(&self, py: Python<'py>) -> Vec<(&'static str, Bound<'py, PyArray1<f64>>)> {
        let state = self.state.snapshot(py);
        self.metric
            .variables(&state)
            .into_iter()
            .map(|(name, values)| (name, PyArray1::from_slice(py, values)))
            .collect()
    }

    /// Replaces the state with saved variables (Keras names and order).
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
    fn merge(&self, py: Python<'_>, others: Vec<PyRef<'_, ConfusionMetric>>) -> PyResult<()> {
        let mut total = self.metric.new_state();
        for other in &others {
            self.metric.check_mergeable(&other.metric).map_err(to_py)?;
            // Snapshot each one under its own lock, never holding two locks at once.
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
