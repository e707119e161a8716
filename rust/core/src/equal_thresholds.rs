//! `precision_recall_at_equal_thresholds` (TF contrib): counts at
//! `linspace(0, 1, T)` where a prediction counts at every threshold up to its
//! bucket `floor(p * (T - 1))`, i.e. `p >= t` up to float rounding.

use std::ops::Range;

use half::f16;
use rayon::prelude::*;

use crate::batch::Batch;
use crate::dispatch::with_inputs;
use crate::error::{CoreError, CoreResult};
use crate::kernel::{Bad, WeightAt, PARALLEL_MIN_ELEMENTS};
use crate::pool;
use crate::values::{Label, Prediction};

/// Floor for the precision and recall denominators, as in TF.
const EPSILON: f64 = 1e-7;
const SEGMENT_MIN_ELEMENTS: usize = 1 << 16;
const MAX_SEGMENTS: usize = 64;
/// Bound on `num_thresholds` (the output has 7 arrays of this length).
pub const MAX_THRESHOLDS: usize = 1 << 24;

/// The functional's outputs, in float64 (the caller casts them to the
/// predictions' dtype); index `i` is threshold `i / (T - 1)`.
#[derive(Debug, Clone, PartialEq)]
pub struct EqualThresholds {
    pub tp: Vec<f64>,
    pub fp: Vec<f64>,
    pub tn: Vec<f64>,
    pub fn_: Vec<f64>,
    pub precision: Vec<f64>,
    pub recall: Vec<f64>,
    pub thresholds: Vec<f64>,
}

/// `floor(p * (T - 1))` computed in the prediction's own dtype, as TF does.
trait Bucket: Prediction {
    fn bucket(self, scale: f64) -> f64;
}

impl Bucket for f16 {
    fn bucket(self, scale: f64) -> f64 {
        // The product of two float16 values is exact in float32; rounding it
        // to float16 is TF's float16 multiply.
        let product = self.to_f32() * f16::from_f64(scale).to_f32();
        f16::from_f32(product).to_f64().floor()
    }
}

impl Bucket for f32 {
    fn bucket(self, scale: f64) -> f64 {
        f64::from((self * scale as f32).floor())
    }
}

impl Bucket for f64 {
    fn bucket(self, scale: f64) -> f64 {
        (self * scale).floor()
    }
}

/// Checks `num_thresholds` (an integer >= 2).
pub fn check_num_thresholds(num_thresholds: i64) -> CoreResult<usize> {
    match usize::try_from(num_thresholds) {
        Ok(t) if (2..=MAX_THRESHOLDS).contains(&t) => Ok(t),
        _ if num_thresholds > 1 => Err(CoreError::value(format!(
            "Argument `num_thresholds` is too large: {num_thresholds} exceeds the supported \
             {MAX_THRESHOLDS}"
        ))),
        _ => Err(CoreError::value(format!(
            "Argument `num_thresholds` must be an integer > 1. Received: \
             num_thresholds={num_thresholds}"
        ))),
    }
}

/// Counts the batch (predictions in [0, 1], labels 0/1, finite weights) and
/// derives every output.
pub fn precision_recall_at_equal_thresholds(
    batch: &Batch,
    num_thresholds: usize,
) -> CoreResult<EqualThresholds> {
    let buckets = count(batch, num_thresholds).map_err(|bad| bad.into_error(&batch.layout))?;
    let t = num_thresholds;
    let (mut tp, mut fp) = (vec![0.0; t], vec![0.0; t]);
    let (mut above_pos, mut above_neg) = (0.0, 0.0);
    for i in (0..t).rev() {
        above_neg += buckets[i][0];
        above_pos += buckets[i][1];
        tp[i] = above_pos;
        fp[i] = above_neg;
    }
    let fn_: Vec<f64> = tp.iter().map(|&v| tp[0] - v).collect();
    let tn: Vec<f64> = fp.iter().map(|&v| fp[0] - v).collect();
    let precision = (0..t)
        .map(|i| tp[i] / (tp[i] + fp[i]).max(EPSILON))
        .collect();
    let recall = (0..t)
        .map(|i| tp[i] / (tp[i] + fn_[i]).max(EPSILON))
        .collect();
    let thresholds = (0..t).map(|i| i as f64 / (t - 1) as f64).collect();
    Ok(EqualThresholds {
        tp,
        fp,
        tn,
        fn_,
        precision,
        recall,
        thresholds,
    })
}

/// `[bucket][negative, positive]` weights, in parallel row segments for large
/// batches (summed in segment order).
fn count(batch: &Batch, t: usize) -> Result<Vec<[f64; 2]>, Bad> {
    let n = batch.layout.len();
    let segments = if n < PARALLEL_MIN_ELEMENTS {
        1
    } else {
        (n / SEGMENT_MIN_ELEMENTS).clamp(1, MAX_SEGMENTS)
    };
    let segment = |s: usize| (s * n / segments)..((s + 1) * n / segments);
    let run_one = |s: usize| with_inputs!(batch, count_elements, batch.layout.cols, t, segment(s));
    let partials: Vec<Result<Vec<[f64; 2]>, Bad>> = if segments == 1 {
        vec![run_one(0)]
    } else {
        match pool::pool() {
            Some(pool) => pool.install(|| (0..segments).into_par_iter().map(run_one).collect()),
            None => (0..segments).map(run_one).collect(),
        }
    };
    let mut total = vec![[0.0; 2]; t];
    for partial in partials {
        for (sum, part) in total.iter_mut().zip(partial?) {
            sum[0] += part[0];
            sum[1] += part[1];
        }
    }
    Ok(total)
}

/// Counts the flat elements `range`, validating each.
fn count_elements<P: Bucket, L: Label, W: WeightAt>(
    preds: &[P],
    labels: &[L],
    weights: W,
    cols: usize,
    t: usize,
    range: Range<usize>,
) -> Result<Vec<[f64; 2]>, Bad> {
    let mut buckets = vec![[0.0f64; 2]; t];
    let scale = (t - 1) as f64;
    for k in range {
        let p = preds[k];
        let v = p.to_f64();
        if !v.is_finite() {
            return Err(Bad::Prediction(k, v));
        }
        if !(0.0..=1.0).contains(&v) {
            return Err(Bad::OutOfRange(k, v));
        }
        let label = labels[k];
        let positive = label.class().ok_or(Bad::Label(k, label.to_f64()))?;
        let w = weights.at(k / cols, k % cols);
        if !w.is_finite() {
            return Err(Bad::Weight(k, w));
        }
        // Float16 rounding of a large T - 1 could step past the last bucket.
        let b = (p.bucket(scale) as usize).min(t - 1);
        buckets[b][usize::from(positive)] += w;
    }
    Ok(buckets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Labels, Layout, Predictions, WeightView};

    #[test]
    fn inclusive_buckets() {
        let (y, p) = ([1.0f32, 0., 1., 0.], [1.0f32, 0.5, 0.25, 0.0]);
        let layout = Layout::align(&[4], &[4], false).unwrap();
        let batch = Batch::new(
            Labels::F32(&y),
            Predictions::F32(&p),
            WeightView::None,
            layout,
        )
        .unwrap();
        let out = precision_recall_at_equal_thresholds(&batch, 5).unwrap();
        assert_eq!(out.thresholds, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(out.tp, vec![2.0, 2.0, 1.0, 1.0, 1.0]);
        assert_eq!(out.fp, vec![2.0, 1.0, 1.0, 0.0, 0.0]);
        assert_eq!(out.fn_, vec![0.0, 0.0, 1.0, 1.0, 1.0]);
        assert_eq!(out.tn, vec![0.0, 1.0, 1.0, 2.0, 2.0]);
        assert_eq!(out.precision[3], 1.0);
        assert!(check_num_thresholds(1).is_err());
    }
}
