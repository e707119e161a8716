//! `precision_recall_at_equal_thresholds` (TF contrib): counts at
//! `linspace(0, 1, T)` where a prediction counts at every threshold up to its
//! bucket `floor(p * (T - 1))`, i.e. `p >= t` up to float rounding.

use std::ops::Range;

use half::f16;

use crate::batch::Batch;
use crate::dispatch::with_inputs;
use crate::error::{CoreError, CoreResult};
use crate::float::EPSILON;
use crate::segments::{count_segments, segment_count};
use crate::tuning::{BLOCK_ELEMENTS, LANES};
use crate::validate::{Bad, Domain};
use crate::values::{Label, Prediction};
use crate::weights::WeightAt;
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
    /// Whether [`Bucket::unit_bucket`] is implemented.
    const BLOCKS: bool;
    /// For the fast path: `(bucket, p is in [0, 1])`, branch-free. `scale` is
    /// `T - 1` (exact in this dtype: `T <= 2^24`); any bucket is in `0..T`.
    fn unit_bucket(self, scale: f64) -> (u32, bool);
}

impl Bucket for f16 {
    const BLOCKS: bool = false;
    fn unit_bucket(self, _: f64) -> (u32, bool) {
        unreachable!("float16 predictions take the element loop")
    }
    fn bucket(self, scale: f64) -> f64 {
        // The product of two float16 values is exact in float32; rounding it
        // to float16 is TF's float16 multiply.
        let product = self.to_f32() * f16::from_f64(scale).to_f32();
        f16::from_f32(product).to_f64().floor()
    }
}

macro_rules! float_bucket {
    ($c:ty) => {
        impl Bucket for $c {
            fn bucket(self, scale: f64) -> f64 {
                f64::from((self * scale as $c).floor())
            }
            const BLOCKS: bool = true;
            #[inline(always)]
            fn unit_bucket(self, scale: f64) -> (u32, bool) {
                // In [0, 1] (false for NaN). Selects compile to min/max and map
                // NaN into range (flagged invalid).
                let valid = (0.0..=1.0).contains(&self);
                let x = if self < 1.0 { self } else { 1.0 };
                let x = if x > 0.0 { x } else { 0.0 };
                // `x * scale` is in [0, T - 1], where truncation is `floor`.
                // SAFETY: T - 1 < 2^24 fits an i32.
                let floor = unsafe { (x * scale as $c).to_int_unchecked::<i32>() };
                (floor as u32, valid)
            }
        }
    };
}
float_bucket!(f32);
float_bucket!(f64);

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
    // Probabilities without a `from_logits` option: the error advises a sigmoid.
    let domain = Domain::UnitInterval {
        offers_logits: false,
    };
    let buckets =
        count(batch, num_thresholds).map_err(|bad| bad.into_error(&batch.layout, domain))?;
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

/// `[bucket][negative, positive]` weights, in parallel segments of elements
/// for large batches (summed in segment order).
fn count(batch: &Batch, t: usize) -> Result<Vec<[f64; 2]>, Bad> {
    let n = batch.layout.len();
    let segments = segment_count(n, n, t * std::mem::size_of::<[f64; 2]>());
    count_segments(
        n,
        segments,
        |range| with_inputs!(batch, count_elements, batch.layout.cols, t, range),
        |total, part| {
            for (sum, part) in total.iter_mut().zip(part) {
                sum[0] += part[0];
                sum[1] += part[1];
            }
        },
    )
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
    if W::UNIFORM && P::BLOCKS && range.len() <= u32::MAX as usize {
        let (preds, labels) = (&preds[range.clone()], &labels[range.clone()]);
        // On a bad value, fall through: the loop below finds the first one.
        if let Some(counts) = count_blocks(preds, labels, t) {
            let w = weights.at(0, 0);
            return Ok(counts
                .chunks_exact(2)
                .map(|c| [f64::from(c[0]) * w, f64::from(c[1]) * w])
                .collect());
        }
    }
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

/// The fast path for one weight for all: integer counts per
/// `2 * bucket + is_positive`, or `None` if any value is invalid.
fn count_blocks<P: Bucket, L: Label>(preds: &[P], labels: &[L], t: usize) -> Option<Vec<u32>> {
    let scale = (t - 1) as f64;
    let len = 2 * t;
    let mut tables = vec![0u32; LANES * len];
    let mut codes = vec![0u32; BLOCK_ELEMENTS.min(preds.len())];
    let mut valid = true;
    for (p, l) in preds
        .chunks(BLOCK_ELEMENTS)
        .zip(labels.chunks(BLOCK_ELEMENTS))
    {
        let codes = &mut codes[..p.len()];
        for ((code, &p), &label) in codes.iter_mut().zip(p).zip(l) {
            let (bucket, in_range) = p.unit_bucket(scale);
            let (positive, label_ok) = label.class_bits();
            valid &= in_range & label_ok;
            *code = 2 * bucket + u32::from(positive);
        }
        if !valid {
            return None;
        }
        let quads = codes.chunks_exact(LANES);
        for &code in quads.remainder() {
            tables[code as usize] += 1;
        }
        for quad in quads {
            for (lane, &code) in quad.iter().enumerate() {
                tables[lane * len + code as usize] += 1;
            }
        }
    }
    let (total, others) = tables.split_at_mut(len);
    for lane in others.chunks_exact(len) {
        for (sum, &count) in total.iter_mut().zip(lane) {
            *sum += count;
        }
    }
    tables.truncate(len);
    Some(tables)
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

    fn outputs(
        labels: &[u8],
        preds: Predictions,
        weights: WeightView,
        t: usize,
    ) -> CoreResult<EqualThresholds> {
        let layout = Layout::align(&[labels.len()], &[labels.len()], false).unwrap();
        let batch = Batch::new(Labels::U8(labels), preds, weights, layout).unwrap();
        precision_recall_at_equal_thresholds(&batch, t)
    }

    /// The block path (one weight for all) against the element loop (taken
    /// for per-element weights, here all 1), on values at and next to every
    /// threshold, for float32 and float64 predictions.
    #[test]
    fn blocks_equal_the_element_loop() {
        let t = 201;
        let mut p64: Vec<f64> = (0..t).map(|i| i as f64 / (t - 1) as f64).collect();
        let neighbours: Vec<f64> = p64
            .iter()
            .flat_map(|&v| [v.next_up(), v.next_down()])
            .collect();
        p64.extend(neighbours);
        p64.extend((0..10_000).map(|i| ((i * 7919) % 10007) as f64 / 10006.0));
        p64.retain(|v| (0.0..=1.0).contains(v));
        let p32: Vec<f32> = p64.iter().map(|&v| v as f32).collect();
        let labels: Vec<u8> = (0..p64.len()).map(|i| u8::from(i % 3 == 0)).collect();
        let ones = vec![1.0f64; p64.len()];
        let strided = WeightView::F64 {
            data: &ones,
            row_stride: 1,
            col_stride: 0,
        };
        for preds in [Predictions::F32(&p32), Predictions::F64(&p64)] {
            let fast = outputs(&labels, preds, WeightView::None, t).unwrap();
            let slow = outputs(&labels, preds, strided, t).unwrap();
            assert_eq!(fast, slow);
            let scaled = outputs(&labels, preds, WeightView::Scalar(2.5), t).unwrap();
            let want: Vec<f64> = slow.tp.iter().map(|v| v * 2.5).collect();
            assert_eq!(scaled.tp, want);
        }
        let mut bad = p32.clone();
        bad[500] = 1.5;
        let err = outputs(&labels, Predictions::F32(&bad), WeightView::None, t).unwrap_err();
        assert!(err.message().contains("1.5"), "{err}");
    }
}
