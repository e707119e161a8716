//! Which inputs a metric accepts, and how a bad one is reported.
//!
//! Kernels check validity without branching on the data (a flag is
//! accumulated over a block), then locate the first bad value only when the
//! flag says there is one; the report names it by its NumPy index.

use crate::batch::Layout;
use crate::error::CoreError;
use crate::float::Float;
use crate::thresholds::py_float;
use crate::values::Prediction;

/// What a metric accepts as a prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Any finite value (Precision, Recall, the counts).
    Finite,
    /// Probabilities: finite and within [0, 1] (AUC, the operating-point metrics).
    /// `offers_logits`: the metric also takes logits, with `from_logits=True`
    /// (AUC), which the error for a value outside [0, 1] then suggests. Only
    /// the message reads it; the kernels match `UnitInterval { .. }`.
    UnitInterval { offers_logits: bool },
    /// Logits: any finite value, turned into a probability by a sigmoid in the
    /// metric dtype before counting (`from_logits=True`).
    Logits,
}

/// A value that made the batch invalid, by flat element index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bad {
    Label(usize, f64),
    Prediction(usize, f64),
    OutOfRange(usize, f64),
    Weight(usize, f64),
}

impl Bad {
    /// The error for the bad value of a batch of `layout`, counted in `domain`
    /// (which words the advice for a prediction outside [0, 1]).
    pub fn into_error(self, layout: &Layout, domain: Domain) -> CoreError {
        let at = |i: usize| index_str(i, &layout.shape);
        match self {
            Bad::Label(i, v) => CoreError::value(format!(
                "`y_true` must contain only 0 and 1 (or False and True). Received: {} at index {}",
                py_float(v),
                at(i)
            )),
            Bad::Prediction(i, v) => CoreError::value(format!(
                "`y_pred` must be finite. Received: {} at index {}",
                py_float(v),
                at(i)
            )),
            Bad::OutOfRange(i, v) => {
                let advice = match domain {
                    Domain::UnitInterval {
                        offers_logits: true,
                    } => "Pass `from_logits=True` for logits, or apply a sigmoid first",
                    _ => "Apply a sigmoid first",
                };
                CoreError::value(format!(
                    "`y_pred` must be in [0, 1]. Received: {} at index {}. {advice}",
                    py_float(v),
                    at(i)
                ))
            }
            Bad::Weight(i, v) => CoreError::value(format!(
                "`sample_weight` must be finite. Received: {} for the element at index {}",
                py_float(v),
                at(i)
            )),
        }
    }
}

/// A flat C-order index written as NumPy's multi-index: `5` or `(2, 1)`.
fn index_str(flat: usize, shape: &[usize]) -> String {
    if shape.len() <= 1 {
        return flat.to_string();
    }
    let mut rest = flat;
    let mut parts = vec![0usize; shape.len()];
    for (axis, &dim) in shape.iter().enumerate().rev() {
        let dim = dim.max(1);
        parts[axis] = rest % dim;
        rest /= dim;
    }
    let parts: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    format!("({})", parts.join(", "))
}

/// The prediction in the metric dtype, if finite there (a float64 prediction
/// beyond float32's range is infinite to a float32 metric) and, when required,
/// within [0, 1]; logits go through the sigmoid.
#[inline(always)]
pub fn checked<P: Prediction, C: Float>(p: P, flat: usize, domain: Domain) -> Result<C, Bad> {
    let x = C::from_prediction(p);
    let v = x.to_f64();
    if !v.is_finite() {
        return Err(Bad::Prediction(flat, v));
    }
    match domain {
        Domain::Finite => Ok(x),
        Domain::UnitInterval { .. } if (0.0..=1.0).contains(&v) => Ok(x),
        Domain::UnitInterval { .. } => Err(Bad::OutOfRange(flat, v)),
        Domain::Logits => Ok(x.sigmoid()),
    }
}

/// Whether a prediction (in the metric dtype) is valid: in [0, 1] with
/// `UNIT`, else finite. Branch-free, for the kernels' pooled loops.
#[inline(always)]
pub fn valid_prediction<C: Float, const UNIT: bool>(x: C) -> bool {
    let v = x.to_f64();
    if UNIT {
        (0.0..=1.0).contains(&v)
    } else {
        v.abs() < f64::INFINITY
    }
}

/// The domain a `UNIT` flag of [`valid_prediction`] stands for (to locate a
/// bad value; the caller words the error from the metric's own domain).
pub const fn pooled_domain(unit: bool) -> Domain {
    if unit {
        Domain::UnitInterval {
            offers_logits: false,
        }
    } else {
        Domain::Finite
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_indices_print_like_numpy() {
        assert_eq!(index_str(5, &[7]), "5");
        assert_eq!(index_str(5, &[3, 2]), "(2, 1)");
    }

    #[test]
    fn pooled_checks_agree_with_checked() {
        for v in [0.0f32, 1.0, 0.5, -0.0, 1.5, -1e-7, f32::NAN, f32::INFINITY] {
            let unit = checked::<f32, f32>(v, 0, pooled_domain(true)).is_ok();
            assert_eq!(valid_prediction::<f32, true>(v), unit, "{v}");
            let finite = checked::<f32, f32>(v, 0, Domain::Finite).is_ok();
            assert_eq!(valid_prediction::<f32, false>(v), finite, "{v}");
        }
    }

    #[test]
    fn out_of_range_advice_follows_the_domain() {
        let layout = Layout::align(&[4], &[4], false).unwrap();
        let message = |offers_logits| {
            let domain = Domain::UnitInterval { offers_logits };
            Bad::OutOfRange(2, 1.5)
                .into_error(&layout, domain)
                .message()
                .to_string()
        };
        assert_eq!(
            message(true),
            "`y_pred` must be in [0, 1]. Received: 1.5 at index 2. Pass `from_logits=True` for \
             logits, or apply a sigmoid first"
        );
        assert_eq!(
            message(false),
            "`y_pred` must be in [0, 1]. Received: 1.5 at index 2. Apply a sigmoid first"
        );
    }
}
