//! One update's inputs as borrowed slices, and Keras's shape rules for them.
//!
//! Every array arrives C-contiguous. Labels and predictions share one shape
//! after alignment; that shape is viewed as `rows x cols` (cols = last axis),
//! and the sample weight is read through strides over that view, so a
//! broadcast weight is never materialised.

use half::f16;

use crate::error::{shape_str, CoreError, CoreResult};

/// Predictions, read in place.
#[derive(Debug, Clone, Copy)]
pub enum Predictions<'a> {
    F16(&'a [f16]),
    F32(&'a [f32]),
    F64(&'a [f64]),
}

/// Labels, read in place.
#[derive(Debug, Clone, Copy)]
pub enum Labels<'a> {
    Bool(&'a [bool]),
    U8(&'a [u8]),
    I8(&'a [i8]),
    U16(&'a [u16]),
    I16(&'a [i16]),
    U32(&'a [u32]),
    I32(&'a [i32]),
    U64(&'a [u64]),
    I64(&'a [i64]),
    F16(&'a [f16]),
    F32(&'a [f32]),
    F64(&'a [f64]),
}

/// Sample weights: none, one number, or an array read through strides over the
/// `rows x cols` view (a stride of 0 repeats along a broadcast axis).
#[derive(Debug, Clone, Copy)]
pub enum WeightView<'a> {
    None,
    Scalar(f64),
    F32 {
        data: &'a [f32],
        row_stride: usize,
        col_stride: usize,
    },
    F64 {
        data: &'a [f64],
        row_stride: usize,
        col_stride: usize,
    },
}

/// Where the sample weight of element `(row, col)` is, decided from shapes alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightLayout {
    None,
    /// One value (any shape of size 1).
    Scalar,
    Strided {
        row_stride: usize,
        col_stride: usize,
    },
    /// Broadcasts validly but not as strides over `rows x cols` (rank > 2 with
    /// an inner broadcast axis): the caller passes it broadcast to the full
    /// shape (rare; the only case that copies).
    Dense,
}

/// The `rows x cols` view of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// Shape of labels and predictions after Keras's alignment.
    pub shape: Vec<usize>,
    pub rows: usize,
    pub cols: usize,
}

/// Which columns of the `rows x cols` view are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Columns {
    All,
    /// `class_id`: a single column.
    One(usize),
}

impl Layout {
    /// Keras's alignment: when ranks differ by one and the higher-rank array
    /// ends in a dimension of 1, that dimension is dropped; then the shapes must
    /// be equal. With `one_row`, 1-D input is one row (top_k's view of a 1-D
    /// batch); otherwise each element of 1-D input is its own row.
    pub fn align(y_true: &[usize], y_pred: &[usize], one_row: bool) -> CoreResult<Layout> {
        let shape = aligned_shape(y_true, y_pred).ok_or_else(|| {
            CoreError::value(format!(
                "`y_true` and `y_pred` must have the same shape. Received: y_true.shape={}, \
                 y_pred.shape={}",
                shape_str(y_true),
                shape_str(y_pred)
            ))
        })?;
        let (rows, cols) = match shape.as_slice() {
            [] => (1, 1),
            [n] if one_row => (1, *n),
            [n] => (*n, 1),
            [lead @ .., last] => (lead.iter().product(), *last),
        };
        Ok(Layout { shape, rows, cols })
    }

    pub fn len(&self) -> usize {
        self.rows * self.cols
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn rank(&self) -> usize {
        self.shape.len()
    }

    /// Where the weights of shape `weight_shape` sit in this view (docs/semantics.md §2): same
    /// rank broadcasts NumPy-style; lower rank aligns with the leading axes;
    /// one extra trailing axis of size 1 is dropped.
    pub fn weight_layout(&self, weight_shape: Option<&[usize]>) -> CoreResult<WeightLayout> {
        let Some(weight_shape) = weight_shape else {
            return Ok(WeightLayout::None);
        };
        if weight_shape.iter().product::<usize>() == 1 {
            return Ok(WeightLayout::Scalar);
        }
        let incompatible = || {
            CoreError::value(format!(
                "`sample_weight` cannot be broadcast to the shape of `y_true`. Received: \
                 sample_weight.shape={}, y_true.shape={}",
                shape_str(weight_shape),
                shape_str(&self.shape)
            ))
        };
        let mut w: Vec<usize> = weight_shape.to_vec();
        if w.len() == self.rank() + 1 && w.last() == Some(&1) {
            w.pop();
        }
        if w.len() > self.rank() {
            return Err(incompatible());
        }
        w.resize(self.rank(), 1);
        if w.iter()
            .zip(&self.shape)
            .any(|(&ws, &ys)| ws != ys && ws != 1)
        {
            return Err(incompatible());
        }
        // Element strides of the (C-contiguous) weight array per axis, 0 where it broadcasts.
        let mut strides = vec![0usize; w.len()];
        let mut step = 1usize;
        for axis in (0..w.len()).rev() {
            if w[axis] != 1 {
                strides[axis] = step;
            }
            step *= w[axis];
        }
        let rank = self.rank();
        if rank == 1 {
            return Ok(if self.rows == 1 {
                WeightLayout::Strided {
                    row_stride: 0,
                    col_stride: strides[0],
                }
            } else {
                WeightLayout::Strided {
                    row_stride: strides[0],
                    col_stride: 0,
                }
            });
        }
        // The leading axes collapse into the row axis when the weight's offset is
        // `row * row_stride` for every row: each leading axis of size > 1 must have
        // the stride of the innermost one times the number of rows inside it.
        let lead_shape = &self.shape[..rank - 1];
        let mut row_stride = None;
        let mut rows_inside = 1usize;
        let mut collapses = true;
        for axis in (0..rank - 1).rev() {
            if lead_shape[axis] != 1 {
                let innermost = *row_stride.get_or_insert(strides[axis]);
                collapses &= strides[axis] == innermost * rows_inside;
            }
            rows_inside *= lead_shape[axis];
        }
        Ok(if collapses {
            WeightLayout::Strided {
                row_stride: row_stride.unwrap_or(0),
                col_stride: strides[rank - 1],
            }
        } else {
            WeightLayout::Dense
        })
    }
}

/// Keras 3's `squeeze_or_expand_to_same_rank`: when the ranks differ by one and
/// the higher-rank shape ends in 1, a 1-D lower-rank array gains that axis
/// (`(N,)` with `(N, 1)` is `(N, 1)`), any other loses it from the higher one.
fn aligned_shape(y_true: &[usize], y_pred: &[usize]) -> Option<Vec<usize>> {
    let (low, high) = if y_true.len() < y_pred.len() {
        (y_true, y_pred)
    } else {
        (y_pred, y_true)
    };
    let aligned = if high.len() == low.len() + 1 && high.last() == Some(&1) {
        if low.len() == 1 {
            (low == &high[..1]).then(|| high.to_vec())
        } else {
            (low == &high[..low.len()]).then(|| low.to_vec())
        }
    } else {
        (low == high).then(|| low.to_vec())
    };
    aligned
}

/// One update: labels, predictions and weights over a common layout.
#[derive(Debug, Clone)]
pub struct Batch<'a> {
    pub labels: Labels<'a>,
    pub predictions: Predictions<'a>,
    pub weights: WeightView<'a>,
    pub layout: Layout,
}

impl<'a> Batch<'a> {
    /// Checks that the slices cover the layout (the bindings guarantee it; a
    /// mismatch here is refused rather than read out of bounds).
    pub fn new(
        labels: Labels<'a>,
        predictions: Predictions<'a>,
        weights: WeightView<'a>,
        layout: Layout,
    ) -> CoreResult<Self> {
        let n = layout.len();
        let weight_ok = match weights {
            WeightView::None | WeightView::Scalar(_) => true,
            WeightView::F32 {
                data,
                row_stride,
                col_stride,
            } => covers(data.len(), &layout, row_stride, col_stride),
            WeightView::F64 {
                data,
                row_stride,
                col_stride,
            } => covers(data.len(), &layout, row_stride, col_stride),
        };
        if labels.len() != n || predictions.len() != n || !weight_ok {
            return Err(CoreError::value(format!(
                "array sizes do not match the shape {}",
                shape_str(&layout.shape)
            )));
        }
        if let WeightView::Scalar(w) = weights {
            if !w.is_finite() {
                return Err(CoreError::value(format!(
                    "`sample_weight` must be finite. Received: sample_weight={}",
                    crate::thresholds::py_float(w)
                )));
            }
        }
        Ok(Batch {
            labels,
            predictions,
            weights,
            layout,
        })
    }
}

fn covers(len: usize, layout: &Layout, row_stride: usize, col_stride: usize) -> bool {
    layout.is_empty() || (layout.rows - 1) * row_stride + (layout.cols - 1) * col_stride < len
}

impl Labels<'_> {
    pub fn len(&self) -> usize {
        match self {
            Labels::Bool(s) => s.len(),
            Labels::U8(s) => s.len(),
            Labels::I8(s) => s.len(),
            Labels::U16(s) => s.len(),
            Labels::I16(s) => s.len(),
            Labels::U32(s) => s.len(),
            Labels::I32(s) => s.len(),
            Labels::U64(s) => s.len(),
            Labels::I64(s) => s.len(),
            Labels::F16(s) => s.len(),
            Labels::F32(s) => s.len(),
            Labels::F64(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Predictions<'_> {
    pub fn len(&self) -> usize {
        match self {
            Predictions::F16(s) => s.len(),
            Predictions::F32(s) => s.len(),
            Predictions::F64(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_drops_a_trailing_one() {
        assert_eq!(
            Layout::align(&[4], &[4, 1], false).unwrap().shape,
            vec![4, 1]
        );
        assert_eq!(
            Layout::align(&[4, 1], &[4], true).unwrap().shape,
            vec![4, 1]
        );
        assert_eq!(
            Layout::align(&[4, 3, 1], &[4, 3], false).unwrap().shape,
            vec![4, 3]
        );
        assert!(Layout::align(&[4, 1], &[5], false).is_err());
        let l = Layout::align(&[4, 3], &[4, 3], false).unwrap();
        assert_eq!((l.rows, l.cols), (4, 3));
        let err = Layout::align(&[4], &[5], false).unwrap_err();
        assert!(err.message().contains("y_true.shape=(4,)"));
        assert!(err.message().contains("y_pred.shape=(5,)"));
        let l = Layout::align(&[4], &[4], true).unwrap();
        assert_eq!((l.rows, l.cols), (1, 4));
    }

    #[test]
    fn weights_broadcast_without_copies() {
        let l = Layout::align(&[4, 3], &[4, 3], false).unwrap();
        let strided = |r, c| WeightLayout::Strided {
            row_stride: r,
            col_stride: c,
        };
        assert_eq!(l.weight_layout(None).unwrap(), WeightLayout::None);
        assert_eq!(l.weight_layout(Some(&[])).unwrap(), WeightLayout::Scalar);
        assert_eq!(l.weight_layout(Some(&[4])).unwrap(), strided(1, 0));
        assert_eq!(l.weight_layout(Some(&[4, 1])).unwrap(), strided(1, 0));
        assert_eq!(l.weight_layout(Some(&[1, 3])).unwrap(), strided(0, 1));
        assert_eq!(l.weight_layout(Some(&[4, 3])).unwrap(), strided(3, 1));
        assert!(l.weight_layout(Some(&[3])).is_err());
        assert!(l.weight_layout(Some(&[4, 3, 2])).is_err());
        let l = Layout::align(&[5], &[5], false).unwrap();
        assert_eq!(l.weight_layout(Some(&[5, 1])).unwrap(), strided(1, 0));
        assert_eq!(l.weight_layout(Some(&[5])).unwrap(), strided(1, 0));
        let l = Layout::align(&[5], &[5], true).unwrap();
        assert_eq!(l.weight_layout(Some(&[5])).unwrap(), strided(0, 1));
    }

    #[test]
    fn higher_rank_weights() {
        let l = Layout::align(&[2, 3, 4], &[2, 3, 4], false).unwrap();
        let strided = |r, c| WeightLayout::Strided {
            row_stride: r,
            col_stride: c,
        };
        assert_eq!(l.weight_layout(Some(&[2, 3, 4])).unwrap(), strided(4, 1));
        assert_eq!(l.weight_layout(Some(&[2, 3])).unwrap(), strided(1, 0));
        assert_eq!(l.weight_layout(Some(&[1, 1, 4])).unwrap(), strided(0, 1));
        assert_eq!(l.weight_layout(Some(&[2])).unwrap(), WeightLayout::Dense);
        assert_eq!(
            l.weight_layout(Some(&[2, 1, 4])).unwrap(),
            WeightLayout::Dense
        );
        let l = Layout::align(&[2, 1, 4], &[2, 1, 4], false).unwrap();
        assert_eq!(l.weight_layout(Some(&[2, 1, 4])).unwrap(), strided(4, 1));
    }
}
