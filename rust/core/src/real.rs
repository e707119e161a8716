//! The float types results are computed in (the metric dtype), with the few
//! operations Keras's result formulas use.

use std::ops::{Add, Div, Mul, Sub};

pub trait Real:
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
    /// Casts a float64 (state or argument) to this dtype, as Keras reads its
    /// variables in the metric dtype.
    fn of(v: f64) -> Self;
    fn to_f64(self) -> f64;
    fn ln(self) -> Self;
    /// Not NaN-propagating, like `maximum` on the finite values Keras compares.
    fn max(self, other: Self) -> Self;
    fn min(self, other: Self) -> Self;
}

macro_rules! real {
    ($t:ty) => {
        impl Real for $t {
            const ZERO: $t = 0.0;
            const ONE: $t = 1.0;
            #[inline(always)]
            fn of(v: f64) -> $t {
                v as $t
            }
            #[inline(always)]
            fn to_f64(self) -> f64 {
                self as f64
            }
            #[inline(always)]
            fn ln(self) -> $t {
                <$t>::ln(self)
            }
            #[inline(always)]
            fn max(self, other: $t) -> $t {
                <$t>::max(self, other)
            }
            #[inline(always)]
            fn min(self, other: $t) -> $t {
                <$t>::min(self, other)
            }
        }
    };
}
real!(f32);
real!(f64);

/// `a / b`, and 0 where `b == 0` (Keras's `divide_no_nan`).
#[inline(always)]
pub fn dnn<C: Real>(a: C, b: C) -> C {
    if b == C::ZERO {
        C::ZERO
    } else {
        a / b
    }
}
