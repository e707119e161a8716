//! One update's arguments, taken in and borrowed as a core `Batch`.

use ferrometrics_core::batch::{Batch, Layout, WeightLayout, WeightView};
use ferrometrics_core::{CoreResult, InputShapes};
use numpy::{PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;

use crate::error::Result;
use crate::intake::{self, LabelArray, PredictionArray, Role, WeightArray};

/// Batches at least this large are counted with the GIL released; below it,
/// releasing and re-taking the GIL costs more than it lets others do.
pub const DETACH_MIN_ELEMENTS: usize = 1 << 14;

// The core's thread pool is only reached by batches counted without the GIL:
// a thread holding the GIL must never wait for the pool registry lock, which
// the fork hook holds across `fork()` (see `fork.rs`).
const _: () = assert!(DETACH_MIN_ELEMENTS <= ferrometrics_core::tuning::PARALLEL_MIN_ELEMENTS);

/// The borrowed arrays of one update and the layout they share.
pub struct Prepared<'py> {
    labels: LabelArray<'py>,
    predictions: PredictionArray<'py>,
    weights: Option<WeightArray<'py>>,
    weight_layout: WeightLayout,
    pub layout: Layout,
    /// Shapes as given, before alignment (some metrics check their ranks).
    pub true_shape: Vec<usize>,
    pub pred_shape: Vec<usize>,
}

impl<'py> Prepared<'py> {
    /// Takes in `y_true`, `y_pred` and `sample_weight` and checks their shapes:
    /// first `check_shapes` on the shapes as given (the metric's rank rules,
    /// which Keras checks first), then Keras's alignment. `one_row`: 1-D input
    /// is one row (top_k).
    pub fn new(
        y_true: &Bound<'py, PyAny>,
        y_pred: &Bound<'py, PyAny>,
        sample_weight: Option<&Bound<'py, PyAny>>,
        one_row: bool,
        check_shapes: impl FnOnce(InputShapes) -> CoreResult<()>,
    ) -> Result<Self> {
        let labels_nd = intake::as_ndarray(y_true, Role::Labels)?;
        let preds_nd = intake::as_ndarray(y_pred, Role::Predictions)?;
        check_shapes(InputShapes {
            y_true: labels_nd.shape(),
            y_pred: preds_nd.shape(),
        })?;
        let weights_nd = sample_weight
            .filter(|w| !w.is_none())
            .map(|w| intake::as_ndarray(w, Role::Weights))
            .transpose()?;
        let layout = Layout::align(labels_nd.shape(), preds_nd.shape(), one_row)?;
        let mut weight_layout = layout.weight_layout(weights_nd.as_ref().map(|w| w.shape()))?;
        let weights_nd: Option<Bound<'py, PyUntypedArray>> = match (weight_layout, weights_nd) {
            (WeightLayout::Dense, Some(w)) => {
                let dense = intake::broadcast_dense(&w, layout.rank(), &layout.shape)?;
                weight_layout = WeightLayout::Strided {
                    row_stride: layout.cols,
                    col_stride: 1,
                };
                Some(dense)
            }
            (_, w) => w,
        };
        Ok(Prepared {
            true_shape: labels_nd.shape().to_vec(),
            pred_shape: preds_nd.shape().to_vec(),
            labels: intake::labels(&labels_nd)?,
            predictions: intake::predictions(&preds_nd)?,
            weights: weights_nd.as_ref().map(intake::weights).transpose()?,
            weight_layout,
            layout,
        })
    }

    /// The core's view of the borrowed arrays.
    pub fn batch(&self) -> CoreResult<Batch<'_>> {
        let weights = match (self.weight_layout, &self.weights) {
            (WeightLayout::Scalar, Some(w)) => WeightView::Scalar(w.first().unwrap_or(1.0)),
            (
                WeightLayout::Strided {
                    row_stride,
                    col_stride,
                },
                Some(w),
            ) => match (w.slice_f32(), w.slice_f64()) {
                (Some(data), _) => WeightView::F32 {
                    data,
                    row_stride,
                    col_stride,
                },
                (None, Some(data)) => WeightView::F64 {
                    data,
                    row_stride,
                    col_stride,
                },
                (None, None) => WeightView::None,
            },
            _ => WeightView::None,
        };
        Batch::new(
            self.labels.view(),
            self.predictions.view(),
            weights,
            self.layout.clone(),
        )
    }

    /// The shapes of `y_true` and `y_pred` as given.
    pub fn shapes(&self) -> InputShapes<'_> {
        InputShapes {
            y_true: &self.true_shape,
            y_pred: &self.pred_shape,
        }
    }

    /// Whether the batch is large enough to count with the GIL released.
    pub fn detach(&self) -> bool {
        self.layout.len() >= DETACH_MIN_ELEMENTS
    }

    /// Runs `work` on the batch, without the GIL when the batch is large.
    pub fn run<T: Send>(
        &self,
        py: Python<'_>,
        work: impl FnOnce(&Batch<'_>) -> CoreResult<T> + Send,
    ) -> Result<T> {
        let batch = self.batch()?;
        let done = if self.detach() {
            py.detach(|| work(&batch))
        } else {
            work(&batch)
        };
        Ok(done?)
    }
}
