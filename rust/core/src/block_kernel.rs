//! The general counting kernel: any ranker, `top_k`, `class_id`, per-column
//! weights, small batches of logits and strided weights.
//!
//! Rows are processed in blocks of a few thousand elements in two passes:
//! predictions become bucket indices in a small reusable buffer (generic over
//! the prediction type and the ranker), then labels and weights add into the
//! histogram (generic over the label type and the weight form).

use std::ops::Range;

use crate::batch::{Batch, Columns, Predictions};
use crate::dispatch::{with_labels, with_ranker, with_weights};
use crate::float::Float;
use crate::histogram::Histogram;
use crate::plan::CountPlan;
use crate::ranker::{AnyRanker, Ranker};
use crate::tuning::BLOCK_ELEMENTS;
use crate::validate::{checked, pooled_domain, valid_prediction, Bad, Domain};
use crate::values::{Label, Prediction};
use crate::weights::WeightAt;

/// Counts rows `rows` of the batch into `hist` on this thread, validating
/// every element of them.
pub fn count_rows(
    batch: &Batch,
    plan: &CountPlan,
    ranker: &AnyRanker,
    rows: Range<usize>,
    mut hist: Histogram,
) -> Result<Histogram, Bad> {
    let selected = plan.selected_columns(&batch.layout).len().max(1);
    let rows_per_block = (BLOCK_ELEMENTS / selected).max(1);
    let mut buckets: Vec<u32> = Vec::with_capacity(rows_per_block * selected);
    let mut scratch = TopK::default();
    let mut start = rows.start;
    while start < rows.end {
        let block = start..(start + rows_per_block).min(rows.end);
        buckets.clear();
        let pass = Pass {
            batch,
            plan,
            hist: &hist,
            rows: block.clone(),
        };
        match batch.predictions {
            Predictions::F16(p) => {
                with_ranker!(ranker, r => pass.fill(p, r, &mut buckets, &mut scratch))
            }
            Predictions::F32(p) => {
                with_ranker!(ranker, r => pass.fill(p, r, &mut buckets, &mut scratch))
            }
            Predictions::F64(p) => {
                with_ranker!(ranker, r => pass.fill(p, r, &mut buckets, &mut scratch))
            }
        }?;
        with_labels!(batch.labels, l => with_weights!(batch.weights, w => {
            add(l, w, batch, plan, block.clone(), &buckets, &mut hist)
        }))?;
        start = block.end;
    }
    Ok(hist)
}

/// One block's first pass: the batch, the plan, and the rows being ranked.
struct Pass<'a> {
    batch: &'a Batch<'a>,
    plan: &'a CountPlan<'a>,
    hist: &'a Histogram,
    rows: Range<usize>,
}

impl Pass<'_> {
    /// The bucket index of every counted element of the rows, in row-major
    /// order of the selected columns. Validates every prediction of the rows.
    fn fill<P: Prediction, R: Ranker>(
        &self,
        preds: &[P],
        ranker: &R,
        out: &mut Vec<u32>,
        scratch: &mut TopK,
    ) -> Result<(), Bad> {
        let (plan, cols) = (self.plan, self.batch.layout.cols);
        let rows = self.rows.clone();
        if plan.columns == Columns::All && plan.top_k.is_none() {
            let block = &preds[rows.start * cols..rows.end * cols];
            let first = rows.start * cols;
            return match (plan.per_column, plan.domain) {
                (false, Domain::Finite) => fill_pooled::<_, _, false>(block, ranker, first, out),
                (false, Domain::UnitInterval { .. }) => {
                    fill_pooled::<_, _, true>(block, ranker, first, out)
                }
                _ => self.fill_each(block, ranker, first, out),
            };
        }
        let selected = plan.selected_columns(&self.batch.layout);
        for r in rows {
            let base = r * cols;
            let row = &preds[base..base + cols];
            for (c, &p) in row.iter().enumerate() {
                checked::<P, R::C>(p, base + c, plan.domain)?;
            }
            if let Some(k) = plan.top_k {
                scratch.mark::<P, R::C>(row, k);
            }
            for c in selected.clone() {
                let kept = plan.top_k.is_none() || scratch.kept[c];
                let x = if kept {
                    checked::<P, R::C>(row[c], base + c, plan.domain)?
                } else {
                    R::C::NEG_INF
                };
                out.push(self.hist.bucket(0, ranker.rank(x)));
            }
        }
        Ok(())
    }

    /// Every element with its own checks: one slot per column (multi-label)
    /// or logits.
    fn fill_each<P: Prediction, R: Ranker>(
        &self,
        block: &[P],
        ranker: &R,
        first: usize,
        out: &mut Vec<u32>,
    ) -> Result<(), Bad> {
        let cols = self.batch.layout.cols;
        for (k, &p) in block.iter().enumerate() {
            let x = checked::<P, R::C>(p, first + k, self.plan.domain)?;
            let slot = if self.plan.per_column { k % cols } else { 0 };
            out.push(self.hist.bucket(slot, ranker.rank(x)));
        }
        Ok(())
    }
}

/// The common first pass: one histogram, any finite prediction or (with
/// `UNIT`) one in [0, 1]. Written without early exits so the loop stays
/// tight; a bad prediction is located only after the block fails.
fn fill_pooled<P: Prediction, R: Ranker, const UNIT: bool>(
    block: &[P],
    ranker: &R,
    first: usize,
    out: &mut Vec<u32>,
) -> Result<(), Bad> {
    let mut ok = true;
    out.resize(block.len(), 0);
    for (bucket, &p) in out.iter_mut().zip(block) {
        let x = R::C::from_prediction(p);
        ok &= valid_prediction::<R::C, UNIT>(x);
        *bucket = ranker.rank(x);
    }
    if ok {
        return Ok(());
    }
    for (k, &p) in block.iter().enumerate() {
        checked::<P, R::C>(p, first + k, pooled_domain(UNIT))?;
    }
    Ok(())
}

/// Reusable buffers for `top_k`: which predictions of a row are kept.
#[derive(Default)]
struct TopK {
    ranked: Vec<(f64, u32)>,
    kept: Vec<bool>,
}

impl TopK {
    /// Marks the row's k largest predictions (compared in the metric dtype;
    /// ties broken by the lowest index, as `top_k` does) in `kept`: O(C).
    fn mark<P: Prediction, C: Float>(&mut self, row: &[P], k: usize) {
        self.ranked.clear();
        self.ranked.extend(
            row.iter()
                .enumerate()
                .map(|(i, &p)| (C::from_prediction(p).to_f64(), i as u32)),
        );
        self.kept.clear();
        self.kept.resize(row.len(), k >= row.len());
        if k == 0 || k >= row.len() {
            return;
        }
        // IEEE comparison, as top_k makes it: -0.0 and 0.0 tie (NaN was refused earlier).
        let larger_first = |a: &(f64, u32), b: &(f64, u32)| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.1.cmp(&b.1))
        };
        self.ranked.select_nth_unstable_by(k - 1, larger_first);
        for &(_, i) in &self.ranked[..k] {
            self.kept[i as usize] = true;
        }
    }
}

/// The second pass: adds each counted element's weight to its bucket.
/// Validates every label and weight of these rows.
fn add<L: Label, W: WeightAt>(
    labels: &[L],
    weights: W,
    batch: &Batch,
    plan: &CountPlan,
    rows: Range<usize>,
    buckets: &[u32],
    hist: &mut Histogram,
) -> Result<(), Bad> {
    let cols = batch.layout.cols;
    let selected = plan.selected_columns(&batch.layout);
    if selected.len() == cols && plan.column_weights.is_none() {
        add_all_columns(labels, weights, cols, rows, buckets, hist)
    } else {
        add_selected(labels, weights, plan, cols, selected, rows, buckets, hist)
    }
}

/// The common case: every element counts with its sample weight. Branch-free
/// over the data; validity is accumulated and located only if it fails.
fn add_all_columns<L: Label, W: WeightAt>(
    labels: &[L],
    weights: W,
    cols: usize,
    rows: Range<usize>,
    buckets: &[u32],
    hist: &mut Histogram,
) -> Result<(), Bad> {
    let mut valid = true;
    let first = rows.start * cols;
    let labels = &labels[first..rows.end * cols];
    if W::UNIFORM {
        let weight = weights.at(0, 0);
        for (k, (&label, &bucket)) in labels.iter().zip(buckets).enumerate() {
            let (positive, ok) = label.class_bits();
            valid &= ok;
            hist.add_lane(k, bucket, positive, weight);
        }
    } else {
        let mut k = 0;
        for r in rows.clone() {
            for c in 0..cols {
                let (positive, ok) = labels[k].class_bits();
                let weight = weights.at(r, c);
                valid &= ok & weight.is_finite();
                hist.add_lane(k, buckets[k], positive, weight);
                k += 1;
            }
        }
    }
    if valid {
        Ok(())
    } else {
        Err(first_bad(labels, weights, cols, rows))
    }
}

/// The first invalid label or weight of `rows` (known to exist).
fn first_bad<L: Label, W: WeightAt>(
    labels: &[L],
    weights: W,
    cols: usize,
    rows: Range<usize>,
) -> Bad {
    let first = rows.start * cols;
    for r in rows {
        for c in 0..cols {
            let flat = r * cols + c;
            let label = labels[flat - first];
            if label.class().is_none() {
                return Bad::Label(flat, label.to_f64());
            }
            let weight = weights.at(r, c);
            if !weight.is_finite() {
                return Bad::Weight(flat, weight);
            }
        }
    }
    Bad::Label(first, f64::NAN)
}

/// `class_id` or per-column weights: every label and weight of a row is
/// validated, the selected columns are counted.
#[allow(clippy::too_many_arguments)]
fn add_selected<L: Label, W: WeightAt>(
    labels: &[L],
    weights: W,
    plan: &CountPlan,
    cols: usize,
    selected: Range<usize>,
    rows: Range<usize>,
    buckets: &[u32],
    hist: &mut Histogram,
) -> Result<(), Bad> {
    let mut next = buckets.iter();
    for r in rows {
        let base = r * cols;
        for c in 0..cols {
            let label = labels[base + c];
            let positive = label.class().ok_or(Bad::Label(base + c, label.to_f64()))?;
            let weight = weights.at(r, c);
            if !weight.is_finite() {
                return Err(Bad::Weight(base + c, weight));
            }
            if selected.contains(&c) {
                let factor = plan.column_weights.map_or(1.0, |f| f[c]);
                if let Some(&bucket) = next.next() {
                    hist.add(bucket, positive, weight * factor);
                }
            }
        }
    }
    Ok(())
}
