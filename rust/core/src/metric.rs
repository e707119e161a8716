//! One shape for every metric: an immutable configuration that counts batches
//! into a float64 state, merges states, saves and loads them, and computes
//! results in the metric dtype. The bindings hold one generic implementation
//! of the shared methods over this trait.
//!
//! An update is two steps so that it is atomic without holding a lock while
//! counting: [`Metric::count`] reads the batch (and only the [`Metric::Width`]
//! the data has fixed so far), then [`Metric::add`] adds the counts under the
//! state's lock, checking again what may have changed in between.

use crate::batch::Batch;
use crate::dtype::{MetricDtype, Values};
use crate::error::{shape_str, CoreError, CoreResult};
use crate::float::Float;
use crate::group_kernel::{SlotCounts, Slots};
use crate::thresholds::py_float;

/// The saved-state format written by this version. Format 0 is ferrometrics
/// 0.1.0's, which wrote no number: the same variables, without the width.
pub const STATE_FORMAT: i64 = 1;

/// The shapes of `y_true` and `y_pred` as given, before Keras's alignment.
#[derive(Debug, Clone, Copy)]
pub struct InputShapes<'a> {
    pub y_true: &'a [usize],
    pub y_pred: &'a [usize],
}

/// One state variable as Keras names and shapes it, with its float64 values
/// in row-major order.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable<'s> {
    pub name: &'static str,
    pub shape: Vec<usize>,
    pub values: &'s [f64],
}

/// One saved variable: its shape and row-major values.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedArray {
    pub shape: Vec<usize>,
    pub values: Vec<f64>,
}

/// A state as a checkpoint holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedState {
    pub format: i64,
    /// The size the data fixed (labels of a multi-label AUC, classes of an
    /// F-score), when there is one.
    pub width: Option<usize>,
    /// The variables in Keras's order.
    pub variables: Vec<SavedArray>,
}

pub trait Metric: Send + Sync + 'static {
    type State: Clone + Send + 'static;
    /// One batch's counts, made without the state's lock.
    type Counts: Send;
    /// What the data has fixed of the state's size, read before counting.
    type Width: Copy + Send;

    fn dtype(&self) -> MetricDtype;
    fn new_state(&self) -> Self::State;
    fn width(&self, state: &Self::State) -> Self::Width;
    /// Whether a 1-D batch is one row (`top_k` ranks the whole batch).
    fn one_row(&self) -> bool {
        false
    }
    /// Checks the shapes as given, before Keras's alignment: the ranks some
    /// metrics require, which Keras checks first (so a batch whose shapes also
    /// do not align gets Keras's message). `count` checks them again.
    fn check_shapes(&self, _shapes: InputShapes) -> CoreResult<()> {
        Ok(())
    }
    /// Counts a batch; validates it completely (all or nothing).
    fn count(
        &self,
        batch: &Batch,
        shapes: InputShapes,
        width: Self::Width,
    ) -> CoreResult<Self::Counts>;
    /// Counts a batch into one set of counts per group slot in a single pass,
    /// when the metric has a kernel for that (`group_kernel.rs`); `None` when
    /// it does not, and the caller partitions the rows instead (`sliced.rs`).
    /// Only metrics whose counting does not depend on [`Metric::Width`] say `Some`.
    fn count_slots(
        &self,
        _batch: &Batch,
        _shapes: InputShapes,
        _slots: Slots,
    ) -> Option<CoreResult<SlotCounts<Self::Counts>>> {
        None
    }
    /// Adds a batch's counts, under the state's lock.
    fn add(&self, state: &mut Self::State, counts: Self::Counts) -> CoreResult<()>;
    /// Refuses merging metrics that count or compute differently.
    fn check_mergeable(&self, other: &Self) -> CoreResult<()>;
    /// Adds another state of a mergeable metric; `state` is unchanged on error.
    fn merge(&self, state: &mut Self::State, other: &Self::State) -> CoreResult<()>;
    /// Zeros, keeping the size the data fixed (as Keras's variables keep their shape).
    fn reset(&self, state: &mut Self::State);
    /// Keras's variables, in Keras's order (none before the data fixes their shape).
    fn variables<'s>(&self, state: &'s Self::State) -> Vec<Variable<'s>>;
    /// The width a checkpoint records (`None` where the variables' shapes say it all).
    fn saved_width(&self, state: &Self::State) -> Option<usize>;
    /// A state from saved variables, their number and shapes checked.
    fn state_from(&self, width: Option<usize>, saved: &[SavedArray]) -> CoreResult<Self::State>;
    /// The result in dtype `C`: one value, or one per threshold, label or class.
    fn result<C: Float>(&self, state: &Self::State) -> Vec<C>;
    /// Whether [`Metric::result`] is a scalar rather than a vector.
    fn scalar_result(&self) -> bool;

    /// The result in the metric dtype.
    fn result_values(&self, state: &Self::State) -> Values {
        Values::in_dtype(
            self.dtype(),
            || self.result::<f32>(state),
            || self.result::<f64>(state),
        )
    }

    /// A state from a checkpoint: a format this version reads, variables of
    /// the right number and shapes, and finite values.
    fn load(&self, saved: &SavedState) -> CoreResult<Self::State> {
        if !(0..=STATE_FORMAT).contains(&saved.format) {
            return Err(CoreError::value(format!(
                "Cannot load a checkpoint in state format {}: this version of ferrometrics reads \
                 formats 0 to {STATE_FORMAT}{}",
                saved.format,
                if saved.format > STATE_FORMAT {
                    " (it was written by a newer version)"
                } else {
                    ""
                }
            )));
        }
        for array in &saved.variables {
            if array.shape.iter().product::<usize>() != array.values.len() {
                return Err(CoreError::value(format!(
                    "Corrupt checkpoint: a variable of shape {} holds {} values",
                    shape_str(&array.shape),
                    array.values.len()
                )));
            }
        }
        let state = self.state_from(saved.width, &saved.variables)?;
        for variable in self.variables(&state) {
            if let Some(i) = variable.values.iter().position(|v| !v.is_finite()) {
                return Err(CoreError::value(format!(
                    "Corrupt checkpoint: `{}` holds {} at flat index {i}",
                    variable.name,
                    py_float(variable.values[i])
                )));
            }
        }
        Ok(state)
    }
}

/// The error for saved variables of the wrong number or shapes.
pub fn bad_checkpoint(expected: &str, saved: &[SavedArray]) -> CoreError {
    let shapes: Vec<String> = saved.iter().map(|a| shape_str(&a.shape)).collect();
    CoreError::value(format!(
        "Corrupt checkpoint: expected {expected}, got {} variables of shapes [{}]",
        saved.len(),
        shapes.join(", ")
    ))
}
