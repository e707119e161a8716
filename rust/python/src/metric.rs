//! One generic implementation of what every metric does — update, result,
//! variables, save, load, reset, merge — over the core's `Metric` trait, and
//! the base class `_core.Metric` that exposes it. Each family's class
//! (`confusion.rs`, `auc.rs`, ...) extends it with a constructor and its own
//! getters only.

use std::any::Any;
use std::sync::Arc;

use ferrometrics_core::{CoreError, Metric as CoreMetric, SavedState, STATE_FORMAT};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert;
use crate::error::Result;
use crate::state::Locked;
use crate::update::Prepared;

/// A core metric and its state behind a lock. A batch is counted without the
/// lock (and without the GIL when large) and added in one short critical
/// section, so every update is atomic; results and merges work on snapshots.
pub struct Binding<M: CoreMetric> {
    pub metric: M,
    pub state: Locked<M::State>,
}

impl<M: CoreMetric> Binding<M> {
    pub fn new(py: Python<'_>, metric: M) -> Arc<Self> {
        let state = Locked::new(py, metric.new_state());
        Arc::new(Binding { metric, state })
    }

    /// A copy of the state, taken under its lock.
    pub fn snapshot(&self, py: Python<'_>) -> M::State {
        self.state.snapshot(py)
    }
}

/// The shared methods, object-safe, so the base class can hold any metric.
pub trait Shared: Send + Sync {
    fn update(
        &self,
        py: Python<'_>,
        y_true: &Bound<'_, PyAny>,
        y_pred: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
    ) -> Result<()>;
    fn result<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>>;
    fn variables<'py>(&self, py: Python<'py>) -> Result<Vec<(&'static str, Bound<'py, PyAny>)>>;
    fn saved<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>>;
    fn load(&self, py: Python<'_>, saved: SavedState) -> Result<()>;
    fn reset(&self, py: Python<'_>);
    fn merge(&self, py: Python<'_>, others: &[&dyn Shared]) -> Result<()>;
    /// Counts a batch per group id into metrics of this kind (`sliced.rs`).
    fn update_groups(
        &self,
        py: Python<'_>,
        ids: &[i64],
        make: &Bound<'_, PyAny>,
        y_true: &Bound<'_, PyAny>,
        y_pred: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
    ) -> Result<()>;
    fn as_any(&self) -> &dyn Any;
}

impl<M: CoreMetric> Shared for Binding<M> {
    fn update(
        &self,
        py: Python<'_>,
        y_true: &Bound<'_, PyAny>,
        y_pred: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
    ) -> Result<()> {
        let prepared = Prepared::new(y_true, y_pred, sample_weight, self.metric.one_row(), |s| {
            self.metric.check_shapes(s)
        })?;
        let batch = prepared.batch()?;
        let shapes = prepared.shapes();
        let width = self.metric.width(&self.state.lock(py));
        if prepared.detach() {
            py.detach(move || {
                let counts = self.metric.count(&batch, shapes, width)?;
                self.metric.add(&mut self.state.lock_detached(), counts)
            })?;
        } else {
            let counts = self.metric.count(&batch, shapes, width)?;
            self.metric.add(&mut self.state.lock(py), counts)?;
        }
        Ok(())
    }

    fn result<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        let values = self.metric.result_values(&self.snapshot(py));
        convert::result(py, values, self.metric.scalar_result())
    }

    fn variables<'py>(&self, py: Python<'py>) -> Result<Vec<(&'static str, Bound<'py, PyAny>)>> {
        let state = self.snapshot(py);
        self.metric
            .variables(&state)
            .into_iter()
            .map(|v| Ok((v.name, convert::float64(py, v.values, &v.shape)?)))
            .collect()
    }

    /// `{"format", "width", "variables"}`: what a pickle holds besides the config.
    fn saved<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>> {
        let state = self.snapshot(py);
        let variables = self
            .metric
            .variables(&state)
            .into_iter()
            .map(|v| convert::float64(py, v.values, &v.shape))
            .collect::<Result<Vec<_>>>()?;
        let saved = PyDict::new(py);
        saved.set_item("format", STATE_FORMAT)?;
        saved.set_item("width", self.metric.saved_width(&state))?;
        saved.set_item("variables", variables)?;
        Ok(saved)
    }

    fn load(&self, py: Python<'_>, saved: SavedState) -> Result<()> {
        let loaded = self.metric.load(&saved)?;
        *self.state.lock(py) = loaded;
        Ok(())
    }

    fn reset(&self, py: Python<'_>) {
        self.metric.reset(&mut self.state.lock(py));
    }

    /// All of `others` or, if any cannot be merged, none: each is snapshotted
    /// under its own lock (never two locks at once), merged into a total, and
    /// the total merged into a copy of this state that replaces it.
    fn merge(&self, py: Python<'_>, others: &[&dyn Shared]) -> Result<()> {
        let mut total = self.metric.new_state();
        for other in others {
            let other = other.as_any().downcast_ref::<Self>().ok_or_else(|| {
                CoreError::value("cannot merge metrics of different kinds".to_string())
            })?;
            self.metric.check_mergeable(&other.metric)?;
            self.metric.merge(&mut total, &other.snapshot(py))?;
        }
        let mut state = self.state.lock(py);
        let mut merged = state.clone();
        self.metric.merge(&mut merged, &total)?;
        *state = merged;
        Ok(())
    }

    fn update_groups(
        &self,
        py: Python<'_>,
        ids: &[i64],
        make: &Bound<'_, PyAny>,
        y_true: &Bound<'_, PyAny>,
        y_pred: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
    ) -> Result<()> {
        crate::sliced::update::<M>(py, self, ids, make, y_true, y_pred, sample_weight)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The base class of every metric's core object: the shared methods.
#[pyclass(frozen, subclass, module = "ferrometrics._core")]
pub struct Metric {
    shared: Arc<dyn Shared>,
}

impl Metric {
    /// The base part of a family class's object, sharing `binding`.
    pub fn initializer<M: CoreMetric>(binding: &Arc<Binding<M>>) -> PyClassInitializer<Self> {
        let shared: Arc<dyn Shared> = Arc::clone(binding) as Arc<dyn Shared>;
        PyClassInitializer::from(Metric { shared })
    }

    /// The shared methods of this object's metric.
    pub fn shared(&self) -> &dyn Shared {
        &*self.shared
    }
}

#[pymethods]
impl Metric {
    /// Counts one batch into the state, all or nothing.
    #[pyo3(signature = (y_true, y_pred, sample_weight=None))]
    fn update(
        &self,
        py: Python<'_>,
        y_true: &Bound<'_, PyAny>,
        y_pred: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
    ) -> Result<()> {
        self.shared.update(py, y_true, y_pred, sample_weight)
    }

    /// The result in the metric dtype: a NumPy scalar, or an array (one value
    /// per threshold in the caller's order, or per class).
    fn result<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyAny>> {
        self.shared.result(py)
    }

    /// `[(name, float64 array)]` in Keras's order and shapes.
    fn variables<'py>(&self, py: Python<'py>) -> Result<Vec<(&'static str, Bound<'py, PyAny>)>> {
        self.shared.variables(py)
    }

    /// The state for a checkpoint: `{"format", "width", "variables"}`.
    fn saved<'py>(&self, py: Python<'py>) -> Result<Bound<'py, PyDict>> {
        self.shared.saved(py)
    }

    /// Replaces the state with a checkpoint's (format, width, variables),
    /// checked first: a newer format or a corrupt state is refused.
    fn load(
        &self,
        py: Python<'_>,
        format: &Bound<'_, PyAny>,
        width: &Bound<'_, PyAny>,
        variables: &Bound<'_, PyAny>,
    ) -> Result<()> {
        let saved = convert::saved_state(format, width, variables)?;
        self.shared.load(py, saved)
    }

    fn reset(&self, py: Python<'_>) {
        self.shared.reset(py);
    }

    /// Adds the states of `others`: all of them or, if any is incompatible, none.
    fn merge(&self, py: Python<'_>, others: Vec<PyRef<'_, Metric>>) -> Result<()> {
        let others: Vec<&dyn Shared> = others.iter().map(|o| &*o.shared).collect();
        self.shared.merge(py, &others)
    }
}
