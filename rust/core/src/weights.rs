//! Sample weights as the kernels read them: per element through strides over
//! the `rows x cols` view (the general kernels), or in the flat forms of the
//! hot path (the table kernel).

use crate::values::Weight;

/// The sample weight of element `(row, col)`.
pub trait WeightAt: Copy + Sync {
    /// The same weight for every element (checked finite up front).
    const UNIFORM: bool;
    fn at(&self, row: usize, col: usize) -> f64;
}

/// No weights: every element counts 1.
#[derive(Clone, Copy)]
pub struct Unit;

impl WeightAt for Unit {
    const UNIFORM: bool = true;
    #[inline(always)]
    fn at(&self, _: usize, _: usize) -> f64 {
        1.0
    }
}

/// A scalar weight, checked finite when the batch was built.
#[derive(Clone, Copy)]
pub struct Constant(pub f64);

impl WeightAt for Constant {
    const UNIFORM: bool = true;
    #[inline(always)]
    fn at(&self, _: usize, _: usize) -> f64 {
        self.0
    }
}

/// An array read through strides (0 along a broadcast axis).
#[derive(Clone, Copy)]
pub struct Strided<'a, W> {
    pub data: &'a [W],
    pub row_stride: usize,
    pub col_stride: usize,
}

impl<W: Weight> WeightAt for Strided<'_, W> {
    const UNIFORM: bool = false;
    #[inline(always)]
    fn at(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.row_stride + col * self.col_stride].to_f64()
    }
}

/// The sample weight of each element, in the table kernel's forms.
#[derive(Clone, Copy)]
pub enum ElementWeights<'a> {
    /// No weights (1) or one number for all.
    Uniform(f64),
    /// One weight per element, in element order.
    F32(&'a [f32]),
    F64(&'a [f64]),
    /// One weight per row of `cols` elements, in row order.
    RowsF32(&'a [f32]),
    RowsF64(&'a [f64]),
}

impl ElementWeights<'_> {
    pub fn per_row(&self) -> bool {
        matches!(
            self,
            ElementWeights::RowsF32(_) | ElementWeights::RowsF64(_)
        )
    }

    /// The weight of element `k` of rows of `cols` elements.
    pub fn of_element(&self, k: usize, cols: usize) -> f64 {
        match *self {
            ElementWeights::Uniform(w) => w,
            ElementWeights::F32(w) => f64::from(w[k]),
            ElementWeights::F64(w) => w[k],
            ElementWeights::RowsF32(w) => f64::from(w[k / cols]),
            ElementWeights::RowsF64(w) => w[k / cols],
        }
    }
}
