//! The metric dtype as a type: float32 or float64. Threshold comparisons,
//! the logits sigmoid and Keras's result formulas all run in it.

use std::ops::{Add, Div, Mul, Sub};

use crate::thresholds::NEG_INF;
use crate::values::Prediction;

/// Keras's `backend.epsilon()`: the AUC's end thresholds sit this far outside
/// [0, 1], and the F-scores and `precision_recall_at_equal_thresholds` add or
/// floor their denominators with it.
pub const EPSILON: f64 = 1e-7;

/// A float type results and comparisons are computed in (the metric dtype).
pub trait Float:
    Copy
    + PartialOrd
    + Default
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Send
    + Sync
    + 'static
{
    const ZERO: Self;
    const ONE: Self;
    /// Keras's `NEG_INF` (-1e10) in this dtype: the value `top_k` gives the
    /// predictions it drops.
    const NEG_INF: Self;
    /// A float64 (state or argument) in this dtype, as Keras reads its
    /// variables in the metric dtype.
    fn from_f64(v: f64) -> Self;
    /// A prediction in this dtype, as Keras casts `y_pred` to it.
    fn from_prediction<P: Prediction>(p: P) -> Self;
    fn to_f64(self) -> f64;
    /// The logistic function, correctly rounded for float32 (computed in float64).
    fn sigmoid(self) -> Self;
    fn ln(self) -> Self;
    /// Not NaN-propagating, like `maximum` on the finite values Keras compares.
    fn max(self, other: Self) -> Self;
    fn min(self, other: Self) -> Self;
}

impl Float for f32 {
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;
    const NEG_INF: f32 = NEG_INF as f32;
    #[inline(always)]
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
    #[inline(always)]
    fn from_prediction<P: Prediction>(p: P) -> f32 {
        p.to_f32()
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn sigmoid(self) -> f32 {
        f64::from(self).sigmoid() as f32
    }
    #[inline(always)]
    fn ln(self) -> f32 {
        f32::ln(self)
    }
    #[inline(always)]
    fn max(self, other: f32) -> f32 {
        f32::max(self, other)
    }
    #[inline(always)]
    fn min(self, other: f32) -> f32 {
        f32::min(self, other)
    }
}

impl Float for f64 {
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;
    const NEG_INF: f64 = NEG_INF;
    #[inline(always)]
    fn from_f64(v: f64) -> f64 {
        v
    }
    #[inline(always)]
    fn from_prediction<P: Prediction>(p: P) -> f64 {
        p.to_f64()
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn sigmoid(self) -> f64 {
        1.0 / (1.0 + (-self).exp())
    }
    #[inline(always)]
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    #[inline(always)]
    fn max(self, other: f64) -> f64 {
        f64::max(self, other)
    }
    #[inline(always)]
    fn min(self, other: f64) -> f64 {
        f64::min(self, other)
    }
}

/// `a / b`, and 0 where `b == 0` (Keras's `divide_no_nan`).
#[inline(always)]
pub fn dnn<C: Float>(a: C, b: C) -> C {
    if b == C::ZERO {
        C::ZERO
    } else {
        a / b
    }
}
