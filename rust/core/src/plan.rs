//! How a metric counts a batch: its thresholds, dtype, columns and domain.

use std::ops::Range;

use crate::batch::{Columns, Layout};
use crate::dtype::MetricDtype;
use crate::error::{shape_str, CoreError, CoreResult};
use crate::thresholds::ThresholdSet;
use crate::validate::Domain;

/// What a threshold metric asks of the counting kernels.
#[derive(Debug, Clone, Copy)]
pub struct CountPlan<'t> {
    pub thresholds: &'t ThresholdSet,
    pub dtype: MetricDtype,
    pub columns: Columns,
    pub top_k: Option<usize>,
    /// One histogram slot per column (multi-label AUC) instead of one in all.
    pub per_column: bool,
    /// Per-column factors multiplied into the sample weights.
    pub column_weights: Option<&'t [f64]>,
    /// Which predictions are valid and how they are read.
    pub domain: Domain,
}

impl CountPlan<'_> {
    pub fn slots(&self, layout: &Layout) -> usize {
        if self.per_column {
            layout.cols
        } else {
            1
        }
    }

    pub fn selected_columns(&self, layout: &Layout) -> Range<usize> {
        match self.columns {
            Columns::All => 0..layout.cols,
            Columns::One(c) => c..c + 1,
        }
    }

    /// Whether the plan fits the batch's layout (`class_id`, `top_k` and
    /// `label_weights` against its last dimension).
    pub fn check(&self, layout: &Layout) -> CoreResult<()> {
        if let Columns::One(class_id) = self.columns {
            if layout.rank() < 2 {
                // Keras's message (for rank 1; rank 0 is refused alike), with the
                // aligned shape, as Keras prints `y_pred.shape` after alignment.
                return Err(CoreError::value(format!(
                    "When class_id is provided, y_pred must be a 2D array with shape \
                     (num_samples, num_classes), found shape: {}",
                    shape_str(&layout.shape)
                )));
            }
            if class_id >= layout.cols {
                return Err(CoreError::value(format!(
                    "`class_id` must be smaller than the last dimension of `y_pred`. Received: \
                     class_id={class_id}, last dimension {}",
                    layout.cols
                )));
            }
        }
        if let Some(k) = self.top_k {
            if k > layout.cols || layout.rank() == 0 {
                return Err(CoreError::value(format!(
                    "`top_k` must be at most the last dimension of `y_pred`. Received: top_k={k}, \
                     last dimension {}",
                    layout.cols
                )));
            }
        }
        if let Some(weights) = self.column_weights {
            if weights.len() != layout.cols && !layout.is_empty() {
                return Err(CoreError::value(format!(
                    "`label_weights` has {} values but `y_pred` has {} columns",
                    weights.len(),
                    layout.cols
                )));
            }
        }
        Ok(())
    }
}

/// `class_id` as a column index: Keras's rule, a non-negative integer.
pub fn parse_class_id(class_id: i64) -> CoreResult<usize> {
    usize::try_from(class_id).map_err(|_| {
        CoreError::value(format!(
            "Argument `class_id` must be a non-negative integer. Received: class_id={class_id}"
        ))
    })
}
