//! `_core.precision_recall_at_equal_thresholds`.

use ferrometrics_core::batch::Predictions;
use ferrometrics_core::equal_thresholds::{self, EqualThresholds};
use numpy::PyArray1;
use pyo3::prelude::*;

use crate::error::Result;
use crate::update::Prepared;

/// The seven output arrays in float64 (`tp, fp, tn, fn, precision, recall,
/// thresholds`) and the name of the predictions' dtype to cast them to.
#[pyfunction]
#[pyo3(signature = (labels, predictions, weights=None, num_thresholds=201))]
#[allow(clippy::type_complexity)]
pub fn precision_recall_at_equal_thresholds<'py>(
    py: Python<'py>,
    labels: &Bound<'py, PyAny>,
    predictions: &Bound<'py, PyAny>,
    weights: Option<&Bound<'py, PyAny>>,
    num_thresholds: i64,
) -> Result<(Vec<Bound<'py, PyArray1<f64>>>, &'static str)> {
    let t = equal_thresholds::check_num_thresholds(num_thresholds)?;
    let prepared = Prepared::new(labels, predictions, weights, false, |_| Ok(()))?;
    let dtype = match prepared.batch()?.predictions {
        Predictions::F16(_) => "float16",
        Predictions::F32(_) => "float32",
        Predictions::F64(_) => "float64",
    };
    let out: EqualThresholds = prepared.run(py, |batch| {
        equal_thresholds::precision_recall_at_equal_thresholds(batch, t)
    })?;
    let arrays = [
        out.tp,
        out.fp,
        out.tn,
        out.fn_,
        out.precision,
        out.recall,
        out.thresholds,
    ]
    .into_iter()
    .map(|v| PyArray1::from_vec(py, v))
    .collect();
    Ok((arrays, dtype))
}
