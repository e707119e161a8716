//! `_core.ExactCurve`: the exact-curve table of the core (`ExactTable`) behind
//! a lock, with scikit-learn's curves and scores as queries.
//!
//! The state is the core's `ExactLevels`: an update builds its batch's table
//! without the lock and adds it in one critical section (merging only levels
//! of its size); a query merges the levels under the lock and computes on a
//! shared snapshot without it. Every build, merge and query runs with the GIL
//! released.

use std::mem::{align_of, size_of};
use std::sync::Arc;

use ferrometrics_core::{
    Column, CurveArrays, ExactBatch, ExactLabels, ExactLevels, ExactScores, ExactTable,
    ExactWeights,
};
use half::f16;
use numpy::{
    Element, PyArray1, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray1, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::error::Result;
use crate::intake::{self, Role};
use crate::state::Locked;

type Arrays<'py> = (
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
    Bound<'py, PyArray1<f64>>,
);

/// Exact ROC and precision-recall curves of a binary problem, built batch by
/// batch: per distinct score, the weighted totals of positives and negatives.
#[pyclass(frozen, module = "ferrometrics._core")]
pub struct ExactCurve {
    state: Locked<ExactLevels>,
}

impl ExactCurve {
    fn with_table(py: Python<'_>, table: ExactTable) -> Self {
        let mut levels = ExactLevels::new();
        levels.add(table);
        ExactCurve {
            state: Locked::new(py, levels),
        }
    }

    /// The state as one table (its levels merged under the lock, without the GIL).
    fn snapshot(&self, py: Python<'_>) -> Arc<ExactTable> {
        py.detach(|| self.state.lock_detached().table())
    }

    /// Adds `table` to the state under its lock, without the GIL.
    fn absorb(&self, py: Python<'_>, table: ExactTable) {
        py.detach(|| self.state.lock_detached().add(table));
    }
}

#[pymethods]
impl ExactCurve {
    #[new]
    fn new(py: Python<'_>) -> Self {
        ExactCurve::with_table(py, ExactTable::new())
    }

    /// Adds one batch of 1-D `y_true`, `y_score` and optional `sample_weight`;
    /// a label is positive when it equals `pos_label`. All or nothing.
    /// `binary_labels` refuses labels other than 0 and 1.
    #[pyo3(signature = (y_true, y_score, sample_weight=None, pos_label=1.0, *, binary_labels=false))]
    fn update(
        &self,
        py: Python<'_>,
        y_true: &Bound<'_, PyAny>,
        y_score: &Bound<'_, PyAny>,
        sample_weight: Option<&Bound<'_, PyAny>>,
        pos_label: f64,
        binary_labels: bool,
    ) -> Result<()> {
        let labels = LabelsIn::new(&one_dim(y_true, Role::Labels)?)?;
        let scores = ScoresIn::new(&one_dim(y_score, Role::Predictions)?)?;
        let weights = sample_weight
            .filter(|w| !w.is_none())
            .map(|w| WeightsIn::new(&one_dim(w, Role::Weights)?))
            .transpose()?;
        let batch = ExactBatch {
            labels: labels.view(),
            scores: scores.view(),
            weights: weights.as_ref().map(WeightsIn::view),
            pos_label,
            binary_labels,
        };
        let table = py.detach(|| ExactTable::build(&batch))?;
        self.absorb(py, table);
        Ok(())
    }

    /// Adds the state of `other` (which may be this object).
    fn merge(&self, py: Python<'_>, other: PyRef<'_, ExactCurve>) {
        let table = other.snapshot(py);
        self.absorb(py, Arc::unwrap_or_clone(table));
    }

    fn reset(&self, py: Python<'_>) {
        *self.state.lock(py) = ExactLevels::new();
    }

    /// The number of distinct scores.
    fn __len__(&self, py: Python<'_>) -> usize {
        self.snapshot(py).len()
    }

    #[getter]
    fn positive_total(&self, py: Python<'_>) -> f64 {
        let table = self.snapshot(py);
        py.detach(|| table.positive_total())
    }

    #[getter]
    fn negative_total(&self, py: Python<'_>) -> f64 {
        let table = self.snapshot(py);
        py.detach(|| table.negative_total())
    }

    /// `(scores, positive_totals, negative_totals)`: float64 copies, scores decreasing.
    fn state<'py>(&self, py: Python<'py>) -> Arrays<'py> {
        let table = self.snapshot(py);
        (
            PyArray1::from_slice(py, table.scores()),
            PyArray1::from_slice(py, table.positives()),
            PyArray1::from_slice(py, table.negatives()),
        )
    }

    /// An object holding a saved state, checked: scores finite and strictly
    /// decreasing, totals finite, three arrays of one length.
    #[staticmethod]
    fn from_state(
        py: Python<'_>,
        scores: &Bound<'_, PyAny>,
        positive_totals: &Bound<'_, PyAny>,
        negative_totals: &Bound<'_, PyAny>,
    ) -> Result<Self> {
        let table = ExactTable::from_saved(
            saved_values(scores, "scores")?,
            saved_values(positive_totals, "positive totals")?,
            saved_values(negative_totals, "negative totals")?,
        )?;
        Ok(ExactCurve::with_table(py, table))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let from_state = slf.get_type().getattr("from_state")?;
        let state = slf.get().state(py);
        PyTuple::new(
            py,
            [
                from_state,
                PyTuple::new(
                    py,
                    [state.0.into_any(), state.1.into_any(), state.2.into_any()],
                )?
                .into_any(),
            ],
        )
    }

    /// Trapezoidal ROC AUC, or McClish's standardised partial AUC up to
    /// `max_fpr`; NaN when a class's total weight is not positive.
    #[pyo3(signature = (max_fpr=None))]
    fn roc_auc(&self, py: Python<'_>, max_fpr: Option<f64>) -> Result<f64> {
        let table = self.snapshot(py);
        Ok(py.detach(|| table.roc_auc(max_fpr))?)
    }

    /// Average precision, `sum_n (R_n - R_{n-1}) P_n`.
    fn average_precision(&self, py: Python<'_>) -> f64 {
        let table = self.snapshot(py);
        py.detach(|| table.average_precision())
    }

    /// `(auc, s10, s01, n_pos, n_neg)`: DeLong's AUC, the sample variances of
    /// the positives' and the negatives' placements (NaN for a class whose
    /// total weight is 1 or less), and the class totals.
    fn delong(&self, py: Python<'_>) -> (f64, f64, f64, f64, f64) {
        let table = self.snapshot(py);
        let parts = py.detach(|| table.delong());
        (parts.auc, parts.s10, parts.s01, parts.n_pos, parts.n_neg)
    }

    /// `(fps, tps, thresholds)`: cumulative weighted false and true positives
    /// at each distinct score, scores decreasing.
    fn binary_clf_curve<'py>(&self, py: Python<'py>) -> Arrays<'py> {
        let table = self.snapshot(py);
        arrays(py, py.detach(|| table.binary_clf_curve()))
    }

    /// `(fpr, tpr, thresholds)` as `sklearn.metrics.roc_curve`.
    #[pyo3(signature = (drop_intermediate=true))]
    fn roc_curve<'py>(&self, py: Python<'py>, drop_intermediate: bool) -> Arrays<'py> {
        let table = self.snapshot(py);
        arrays(py, py.detach(|| table.roc_curve(drop_intermediate)))
    }

    /// `(precision, recall, thresholds)` as `sklearn.metrics.precision_recall_curve`.
    #[pyo3(signature = (drop_intermediate=false))]
    fn precision_recall_curve<'py>(&self, py: Python<'py>, drop_intermediate: bool) -> Arrays<'py> {
        let table = self.snapshot(py);
        arrays(
            py,
            py.detach(|| table.precision_recall_curve(drop_intermediate)),
        )
    }
}

fn arrays(py: Python<'_>, curve: CurveArrays) -> Arrays<'_> {
    (
        PyArray1::from_vec(py, curve.x),
        PyArray1::from_vec(py, curve.y),
        PyArray1::from_vec(py, curve.thresholds),
    )
}

/// A saved array of real numbers, flattened to float64.
fn saved_values(values: &Bound<'_, PyAny>, name: &str) -> Result<Vec<f64>> {
    let array = intake::as_ndarray(values, Role::Weights).map_err(|_| {
        PyValueError::new_err(format!(
            "Corrupt exact-curve state: {name} are not an array of real numbers"
        ))
    })?;
    if array.ndim() != 1 {
        return Err(PyValueError::new_err(format!(
            "Corrupt exact-curve state: {name} must be 1-D, got {} dimensions",
            array.ndim()
        ))
        .into());
    }
    let converted = array.call_method1("astype", ("float64",))?;
    Ok(converted.call_method0("tolist")?.extract()?)
}

/// `obj` as a 1-D NumPy array of real numbers.
fn one_dim<'py>(obj: &Bound<'py, PyAny>, role: Role) -> Result<Bound<'py, PyUntypedArray>> {
    let array = intake::as_ndarray(obj, role)?;
    if array.ndim() != 1 {
        let name = match role {
            Role::Labels => "y_true",
            Role::Predictions => "y_score",
            Role::Weights => "sample_weight",
        };
        return Err(PyValueError::new_err(format!(
            "`{name}` must be 1-D. Received: an array of shape {:?}",
            array.shape()
        ))
        .into());
    }
    Ok(array)
}

/// `array` as a readonly `T` array readable in place: element type `T`,
/// native byte order, aligned, and a positive stride that is a whole number
/// of elements (a column of a row-major matrix is).
fn in_place<'py, T: Element>(
    array: &Bound<'py, PyUntypedArray>,
) -> Option<PyReadonlyArray1<'py, T>> {
    let typed = array.cast::<PyArray1<T>>().ok()?;
    let stride = typed.strides()[0];
    let aligned = typed.data() as usize % align_of::<T>() == 0;
    let whole = stride > 0 && stride as usize % size_of::<T>() == 0;
    if !aligned || (typed.len() > 1 && !whole) {
        return None;
    }
    typed.try_readonly().ok()
}

/// The elements of an [`in_place`] array as a core column.
fn column<'a, T: Element + Copy>(array: &'a PyReadonlyArray1<'_, T>) -> Column<'a, T> {
    let len = array.len();
    if len == 0 {
        return Column::contiguous(&[]);
    }
    let stride = if len > 1 {
        array.strides()[0] as usize / size_of::<T>()
    } else {
        1
    };
    let span = (len - 1) * stride + 1;
    // SAFETY: `in_place` checked the element type, alignment and a positive
    // whole-element stride, so the `span` elements from the data pointer lie in
    // the array's buffer; the readonly borrow keeps the buffer alive and
    // unwritten by Rust borrowers for `'a`.
    let data = unsafe { std::slice::from_raw_parts(array.data() as *const T, span) };
    Column::new(data, stride, len).unwrap_or_else(|_| Column::contiguous(&data[..1]))
}

/// `array` converted once to a contiguous array of `dtype`.
fn converted<'py>(
    array: &Bound<'py, PyUntypedArray>,
    dtype: &str,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    let numpy = array.py().import("numpy")?;
    Ok(numpy
        .call_method1("require", (array, dtype, "CA"))?
        .cast_into::<PyUntypedArray>()?)
}

/// Reads `array` in place as one of the listed types, else converts it once
/// to `$fallback` (chosen by kind and size) and reads that.
macro_rules! intake_enum {
    ($name:ident, $core:ident, $role:expr, [$($variant:ident: $t:ty),*], $fallback:expr) => {
        enum $name<'py> {
            $($variant(PyReadonlyArray1<'py, $t>),)*
        }

        impl<'py> $name<'py> {
            fn read(array: &Bound<'py, PyUntypedArray>) -> Option<Self> {
                None$(.or_else(|| in_place::<$t>(array).map($name::$variant)))*
            }

            fn new(array: &Bound<'py, PyUntypedArray>) -> Result<Self> {
                if let Some(read) = Self::read(array) {
                    return Ok(read);
                }
                let fallback: fn(&Bound<'py, PyUntypedArray>) -> &'static str = $fallback;
                let copy = converted(array, fallback(array))?;
                Self::read(&copy).ok_or_else(|| {
                    PyValueError::new_err(format!("`{}` could not be read", stringify!($role))).into()
                })
            }

            fn view(&self) -> $core<'_> {
                match self {
                    $($name::$variant(a) => $core::$variant(column(a)),)*
                }
            }
        }
    };
}

intake_enum!(
    LabelsIn,
    ExactLabels,
    y_true,
    [Bool: bool, U8: u8, I8: i8, I32: i32, I64: i64, F32: f32, F64: f64],
    |a| match (a.dtype().kind(), a.dtype().itemsize()) {
        (b'i', 1) => "int8",
        (b'i', 2) | (b'i', 4) | (b'u', 2) => "int32",
        (b'i', 8) | (b'u', 4) => "int64",
        (b'u', 1) => "uint8",
        (b'b', _) => "bool",
        _ => "float64",
    }
);

intake_enum!(
    ScoresIn,
    ExactScores,
    y_score,
    [F32: f32, F64: f64, F16: f16],
    |a| match (a.dtype().kind(), a.dtype().itemsize()) {
        (b'f', 4) => "float32",
        (b'f', 2) => "float16",
        _ => "float64",
    }
);

intake_enum!(
    WeightsIn,
    ExactWeights,
    sample_weight,
    [F32: f32, F64: f64],
    |a| match (a.dtype().kind(), a.dtype().itemsize()) {
        (b'f', 4) => "float32",
        _ => "float64",
    }
);
