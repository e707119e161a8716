//! `_core.FBetaMetric`: F1Score and FBetaScore.

use ferrometrics_core::fscore::{Average, FBetaMetric as CoreMetric, FBetaState};
use ferrometrics_core::MetricDtype;
use numpy::ndarray::{ArrayD, IxDyn};
use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

use crate::errors::to_py;
use crate::state::Locked;
use crate::update::Prepared;

/// Configuration and float64 state of one F-beta metric.
#[pyclass(frozen, module = "ferrometrics._core")]
pub struct FBetaMetric {
    metric: CoreMetric,
    state: Locked<FBetaState>,
}

#[pymethods]
impl FBetaMetric {
    #[new]
    #[pyo3(signature = (average=None, beta=1.0, threshold=None, dtype=None))]
    fn new(
        average: Option<&str>,
        beta: f64,
        threshold: Option<f64>,
        dtype: Option<&str>,
        py: Python<'_>,
    ) -> PyResult<Self> {
        let dtype = MetricDtype::parse(dtype).map_err(to_py)?;
        let metric = CoreMetric::new(average, beta, threshold, dtype).map_err(to_py)?;
        Ok(FBetaMetric {
            metric,
            state: Locked::new(py, FBetaState::empty()),
        })
    }

    /// Counts one `(N, C)` batch into the state, all or nothing.
    #[pyo3(signature = (y_true, y_pred, sample_weight=None))]
    fn update(
        &self,
        py: Python<'_>,
        y_true: &Bound<'_, PyAny>,
        y_pred: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let prepared = Prepared::new(y_true, y_pred, sample_weight, false)?;
        let built = self.state.snapshot(py);
        prepared.count_into(
            py,
            &self.state,
            |batch| {
                self.metric
                    .count(batch, &prepared.true_shape, &prepared.pred_shape, &built)
            },
            |state, counts| self.metric.add(state, &counts),
        )
    }

    /// The score in the metric dtype: a vector for `average=None`, else a scalar.
    fn result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let state = self.state.snapshot(py);
        let values = match self.metric.dtype {
            MetricDtype::Float32 => {
                PyArray1::from_vec(py, self.metric.result::<f32>(&state)).into_any()
            }
            MetricDtype::Float64 => {
                PyArray1::from_vec(py, self.metric.result::<f64>(&state)).into_any()
            }
        };
        if self.metric.average == Average::PerClass {
            Ok(values)
        } else {
            values.get_item(0)
        }
    }

    /// `[(name, float64 array)]` in Keras's order: `(C,)` arrays, or 0-d for
    /// `micro`; empty before the first update.
    fn variables<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        let state = self.state.snapshot(py);
        if state.classes.is_none() {
            return Ok(Vec::new());
        }
        let names = [
            "true_positives",
            "false_positives",
            "false_negatives",
            "intermediate_weights",
        ];
        let micro = self.metric.average == Average::Micro;
        names
            .into_iter()
            .zip(state.arrays())
            .map(|(name, values)| {
                let array = if micro {
                    let scalar = ArrayD::from_shape_vec(IxDyn(&[]), values.clone())
                        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
                    scalar.into_pyarray(py).into_any()
                } else {
                    PyArray1::from_slice(py, values).into_any()
                };
                Ok((name, array))
            })
            .collect()
    }

    /// The class count fixed by the first update (None before).
    #[getter]
    fn num_classes(&self, py: Python<'_>) -> Option<usize> {
        self.state.lock(py).classes
    }

    /// Replaces the state with saved variables for `classes` classes (no
    /// variables: unbuilt, whatever `classes` says).
    fn load(&self, py: Python<'_>, values: Vec<Vec<f64>>, classes: Option<usize>) -> PyResult<()> {
        let classes = classes.unwrap_or(0);
        let mut state = self.state.lock(py);
        self.metric
            .load_variables(&mut state, &values, classes)
            .map_err(to_py)
    }

    fn reset(&self, py: Python<'_>) {
        self.state.lock(py).reset();
    }

    /// Adds the states of `others`: all of them or, if any is incompatible, none.
    fn merge(&self, py: Python<'_>, others: Vec<PyRef<'_, FBetaMetric>>) -> PyResult<()> {
        let mut total = FBetaState::empty();
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
}
