//! Element types the kernels read in place: predictions (float16/32/64),
//! labels (bool, every integer width, float16/32/64) and weights (float32/64).

use half::f16;

/// A prediction element. Converted to the metric dtype before any comparison,
/// as Keras casts `y_pred` to the variable dtype.
pub trait Prediction: Copy + Send + Sync + 'static {
    fn to_f32(self) -> f32;
    fn to_f64(self) -> f64;
}

impl Prediction for f32 {
    #[inline(always)]
    fn to_f32(self) -> f32 {
        self
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Prediction for f64 {
    #[inline(always)]
    fn to_f32(self) -> f32 {
        self as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
}

impl Prediction for f16 {
    /// Exact widening (as `half`'s) in straight-line integer code that
    /// vectorises, with no subnormal float arithmetic (slow on some CPUs):
    /// `half` converts one value at a time, with branches, unless built for F16C.
    #[inline(always)]
    fn to_f32(self) -> f32 {
        let bits = u32::from(self.to_bits());
        let sign = (bits & 0x8000) << 16;
        let magnitude = bits & 0x7fff;
        // Normal: move the exponent and mantissa up and rebias (127 - 15).
        let normal = (magnitude << 13) + (112 << 23);
        // Infinity and NaN keep their mantissa under an all-ones exponent.
        let special = (magnitude << 13) | 0x7f80_0000;
        // Zero and subnormal: the mantissa (an integer below 2^10, exact in
        // float32) times 2^-24.
        let small = (magnitude as f32 * f32::from_bits(0x3380_0000)).to_bits();
        let value = if magnitude < 0x400 {
            small
        } else if magnitude >= 0x7c00 {
            special
        } else {
            normal
        };
        f32::from_bits(sign | value)
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(Prediction::to_f32(self))
    }
}

/// A label element: only 0 and 1 (or false/true) are labels.
pub trait Label: Copy + Send + Sync + 'static {
    /// `Some(is_positive)` for 0/1, `None` for anything else (2, -1, 0.3, NaN).
    fn class(self) -> Option<bool>;
    /// `(is_one, is_zero_or_one)` without branches, for the hot loop: labels
    /// are random, so a branch on them would mispredict.
    #[inline(always)]
    fn class_bits(self) -> (bool, bool) {
        match self.class() {
            Some(positive) => (positive, true),
            None => (false, false),
        }
    }
    /// The value, for error messages.
    fn to_f64(self) -> f64;
}

impl Label for bool {
    #[inline(always)]
    fn class(self) -> Option<bool> {
        Some(self)
    }
    fn to_f64(self) -> f64 {
        f64::from(u8::from(self))
    }
}

macro_rules! integer_label {
    ($($t:ty),*) => {$(
        impl Label for $t {
            #[inline(always)]
            fn class(self) -> Option<bool> {
                match self {
                    0 => Some(false),
                    1 => Some(true),
                    _ => None,
                }
            }
            #[inline(always)]
            fn class_bits(self) -> (bool, bool) {
                (self == 1, (self == 0) | (self == 1))
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
integer_label!(u8, i8, u16, i16, u32, i32, u64, i64);

macro_rules! float_label {
    ($($t:ty),*) => {$(
        impl Label for $t {
            #[inline(always)]
            fn class(self) -> Option<bool> {
                if self == 0.0 {
                    Some(false)
                } else if self == 1.0 {
                    Some(true)
                } else {
                    None
                }
            }
            #[inline(always)]
            fn class_bits(self) -> (bool, bool) {
                (self == 1.0, (self == 0.0) | (self == 1.0))
            }
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
float_label!(f32, f64);

impl Label for f16 {
    #[inline(always)]
    fn class(self) -> Option<bool> {
        match self.class_bits() {
            (positive, true) => Some(positive),
            _ => None,
        }
    }
    /// On the bits: 1.0 is 0x3c00, zeros are 0x0000 and 0x8000.
    #[inline(always)]
    fn class_bits(self) -> (bool, bool) {
        let bits = self.to_bits();
        let (one, zero) = (bits == 0x3c00, bits & 0x7fff == 0);
        (one, one | zero)
    }
    fn to_f64(self) -> f64 {
        f16::to_f64(self)
    }
}

/// A sample-weight element.
pub trait Weight: Copy + Send + Sync + 'static {
    fn to_f64(self) -> f64;
}

impl Weight for f32 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
}

impl Weight for f64 {
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_zero_and_one_are_labels() {
        assert_eq!(1i64.class(), Some(true));
        assert_eq!(0u8.class(), Some(false));
        assert_eq!(2i32.class(), None);
        assert_eq!((-1i8).class(), None);
        assert_eq!(0.3f32.class(), None);
        assert_eq!(f64::NAN.class(), None);
        assert_eq!((-0.0f64).class(), Some(false));
        assert_eq!(true.class(), Some(true));
        assert_eq!(2i64.class_bits(), (false, false));
        assert_eq!(1u8.class_bits(), (true, true));
        assert_eq!(0.0f32.class_bits(), (false, true));
        assert_eq!(f32::NAN.class_bits(), (false, false));
        assert_eq!(u64::MAX.class(), None);
        assert_eq!(1u16.class_bits(), (true, true));
        assert_eq!((-1i16).class_bits(), (false, false));
        assert_eq!(f16::from_f32(-0.0).class(), Some(false));
        assert_eq!(f16::ONE.class(), Some(true));
        assert_eq!(f16::from_f32(2.0).class(), None);
        assert_eq!(f16::NAN.class(), None);
        assert_eq!(f16::from_f32(0.5).class(), None);
    }

    /// Every float16 bit pattern widens as `half` widens it.
    #[test]
    fn float16_widening_is_exact() {
        for bits in 0..=u16::MAX {
            let h = f16::from_bits(bits);
            let (got, want) = (Prediction::to_f32(h), f16::to_f32(h));
            if want.is_nan() {
                assert!(
                    got.is_nan() && got.to_bits() >> 31 == want.to_bits() >> 31,
                    "{bits:#x}"
                );
            } else {
                assert_eq!(got.to_bits(), want.to_bits(), "{bits:#x}");
            }
            assert_eq!(
                Prediction::to_f64(h).to_bits(),
                f16::to_f64(h).to_bits(),
                "{bits:#x}"
            );
        }
    }

    /// Every float16 bit pattern is a label exactly when it equals 0 or 1.
    #[test]
    fn float16_labels_are_zero_and_one() {
        for bits in 0..=u16::MAX {
            let v = f16::from_bits(bits).to_f64();
            let want = (v == 0.0 || v == 1.0).then_some(v == 1.0);
            assert_eq!(f16::from_bits(bits).class(), want, "{bits:#x}");
        }
    }
}
