//! The one-pass kernel of sliced threshold metrics: each row's (group, rank,
//! label) code tallied directly into one table for all groups, without
//! reordering the rows. It serves the common case — one column, every element
//! counted, no logits or float16, weights absent, one number or one per row —
//! and says `None` otherwise (the caller then partitions the rows and counts
//! each group with the metric's own kernel).
//!
//! Validity is accumulated, never branched on; an invalid segment makes the
//! batch be counted again by [`crate::count::count`], whose error names the
//! first bad element exactly as an unsliced update does. Segments depend on
//! the batch alone and unweighted counts are integers, so results do not
//! depend on the thread count.

use std::ops::Range;

use rayon::prelude::*;

use crate::batch::{Batch, Columns, Predictions, WeightView};
use crate::dispatch::{with_labels, with_ranker};
use crate::error::{CoreError, CoreResult};
use crate::float::Float;
use crate::histogram::Histogram;
use crate::partition::on_pool;
use crate::plan::CountPlan;
use crate::ranker::AnyRanker;
use crate::table_kernel::TableRanker;
use crate::tuning::{BLOCK_ELEMENTS, MAX_PARTIAL_BYTES, MAX_SEGMENTS};
use crate::validate::{valid_prediction, Domain};
use crate::values::{Label, Prediction};

/// Rows' groups as slots: row `r` is in slot `ids[r] - low`, in `0..slots`.
#[derive(Debug, Clone, Copy)]
pub struct Slots<'a> {
    pub ids: &'a [i64],
    pub low: i64,
    pub slots: usize,
}

impl Slots<'_> {
    /// The slot of row `r`; every id is in range (checked when the slots were made).
    #[inline(always)]
    pub fn of(&self, r: usize) -> usize {
        (self.ids[r].wrapping_sub(self.low) as u64 as usize).min(self.slots - 1)
    }
}

/// Counts per slot, and the rows each slot holds (a slot without rows is no group).
pub struct SlotCounts<C> {
    pub counts: Vec<C>,
    pub rows: Vec<usize>,
}

/// Rows per segment, at least: a segment's table (all groups) costs as much as many rows.
const SEGMENT_ROWS: usize = 1 << 21;

/// Table entries (slots x ranks x 2) the kernel takes on; beyond, the rows are partitioned.
const MAX_TABLE_ENTRIES: usize = 1 << 23;

/// Per-row weights in the forms this kernel reads.
#[derive(Clone, Copy)]
enum RowWeights<'a> {
    Uniform(f64),
    F32(&'a [f32]),
    F64(&'a [f64]),
}

impl RowWeights<'_> {
    #[inline(always)]
    fn at(&self, r: usize) -> f64 {
        match self {
            RowWeights::Uniform(w) => *w,
            RowWeights::F32(w) => f64::from(w[r]),
            RowWeights::F64(w) => w[r],
        }
    }
}

/// Counts `batch` into one histogram per slot in one pass, if this kernel applies.
pub fn count_slots(
    batch: &Batch,
    plan: &CountPlan,
    slots: Slots,
) -> Option<CoreResult<SlotCounts<Histogram>>> {
    let layout = &batch.layout;
    let ranker = AnyRanker::new(plan.thresholds, plan.dtype);
    let ranks = plan.thresholds.len() + 1;
    let weights = match batch.weights {
        WeightView::None => RowWeights::Uniform(1.0),
        WeightView::Scalar(w) => RowWeights::Uniform(w),
        WeightView::F32 {
            data, row_stride, ..
        } => match row_stride {
            0 => RowWeights::Uniform(f64::from(*data.first()?)),
            1 => RowWeights::F32(data),
            _ => return None,
        },
        WeightView::F64 {
            data, row_stride, ..
        } => match row_stride {
            0 => RowWeights::Uniform(*data.first()?),
            1 => RowWeights::F64(data),
            _ => return None,
        },
    };
    let applies = layout.cols == 1
        && layout.rows == slots.ids.len()
        && slots.slots > 0
        && slots.slots.checked_mul(2 * ranks)? <= MAX_TABLE_ENTRIES
        && plan.columns == Columns::All
        && plan.top_k.is_none()
        && plan.column_weights.is_none()
        && plan.domain != Domain::Logits
        && ranker.table_ready()
        && !matches!(batch.predictions, Predictions::F16(_));
    if !applies {
        return None;
    }
    if let RowWeights::Uniform(w) = weights {
        if !w.is_finite() {
            return Some(Err(invalid(batch, plan)));
        }
    }
    let uniform = matches!(weights, RowWeights::Uniform(_));
    let entry_bytes = if uniform { 4 } else { 8 };
    let table_bytes = slots.slots * 2 * ranks * entry_bytes;
    // Few, long segments: each allocates, fills and merges a table as large as all groups'.
    let segments = (layout.rows / SEGMENT_ROWS)
        .min(MAX_SEGMENTS)
        .min((4 * MAX_PARTIAL_BYTES / table_bytes).max(1))
        .max(1);
    let unit = matches!(plan.domain, Domain::UnitInterval { .. });
    let range = |s: usize| (s * layout.rows / segments)..((s + 1) * layout.rows / segments);
    macro_rules! run {
        ($preds:expr) => {
            with_labels!(batch.labels, l => with_ranker!(&ranker, r => {
                let one = |s: usize| {
                    let rows = range(s);
                    if unit {
                        segment::<_, _, _, true>($preds, l, weights, slots, r, ranks, rows)
                    } else {
                        segment::<_, _, _, false>($preds, l, weights, slots, r, ranks, rows)
                    }
                };
                on_pool(|| (0..segments).into_par_iter().map(one).collect::<Vec<_>>())
            }))
        };
    }
    let partials: Vec<Option<Partial>> = match batch.predictions {
        Predictions::F32(p) => run!(p),
        Predictions::F64(p) => run!(p),
        Predictions::F16(_) => return None,
    };
    let mut total = vec![0.0f64; slots.slots * 2 * ranks];
    let mut rows = vec![0usize; slots.slots];
    for partial in partials {
        let Some(partial) = partial else {
            return Some(Err(invalid(batch, plan)));
        };
        partial.add_into(&mut total, &mut rows);
    }
    let min_rank = with_ranker!(&ranker, r => r.min_rank()) as usize;
    let counts = (0..slots.slots)
        .map(|s| {
            let mut hist = Histogram::single_lane(1, ranks);
            for bucket in 0..ranks {
                let rank = bucket.max(min_rank) as u32;
                for positive in [false, true] {
                    let value = total[(s * ranks + bucket) * 2 + usize::from(positive)];
                    if value != 0.0 {
                        hist.add(hist.bucket(0, rank), positive, value);
                    }
                }
            }
            hist
        })
        .collect();
    Some(Ok(SlotCounts { counts, rows }))
}

/// The error an unsliced update of the batch gives (it names the first bad element).
fn invalid(batch: &Batch, plan: &CountPlan) -> CoreError {
    crate::count::count(batch, plan)
        .err()
        .unwrap_or_else(|| CoreError::value("invalid batch".to_string()))
}

/// One segment's table: integer counts when unweighted, else weight sums.
enum Partial {
    Counts(Vec<u32>, Vec<u32>),
    Weights(Vec<f64>, Vec<u32>),
}

impl Partial {
    fn add_into(self, total: &mut [f64], rows: &mut [usize]) {
        let segment_rows = match self {
            Partial::Counts(table, r) => {
                for (t, v) in total.iter_mut().zip(table) {
                    *t += f64::from(v);
                }
                r
            }
            Partial::Weights(table, r) => {
                for (t, v) in total.iter_mut().zip(table) {
                    *t += v;
                }
                r
            }
        };
        for (t, v) in rows.iter_mut().zip(segment_rows) {
            *t += v as usize;
        }
    }
}

/// Tallies `rows`; `None` if any value in them is invalid.
///
/// Two passes per block, as the table kernel: codes `(slot * ranks + bucket) * 2 + positive`
/// computed without branches (validity accumulated), then tallied.
#[allow(clippy::too_many_arguments)]
fn segment<P: Prediction, L: Label, R: TableRanker, const UNIT: bool>(
    preds: &[P],
    labels: &[L],
    weights: RowWeights,
    slots: Slots,
    ranker: &R,
    ranks: usize,
    rows: Range<usize>,
) -> Option<Partial> {
    let top = (ranks - 1) as u32;
    let stride = ranks as u32;
    // Every id is in range (the slots came from these ids); `min` keeps indexing in bounds.
    let last = (slots.slots - 1) as u32;
    let entries = slots.slots * 2 * ranks;
    let mut valid = true;
    let mut codes = vec![0u32; BLOCK_ELEMENTS];
    // 8-bit counters keep the table of all groups in L2 (each row touches one at random:
    // 1,000 groups x 201 buckets x 2 labels is 402 kB); a counter that would pass 255
    // carries into `spill` (units of 256).
    let uniform = matches!(weights, RowWeights::Uniform(_));
    let (mut table, mut spill) = if uniform {
        (vec![0u8; entries], vec![0u32; entries])
    } else {
        (Vec::new(), Vec::new())
    };
    let mut sums = if uniform {
        Vec::new()
    } else {
        vec![0.0f64; entries]
    };
    let mut per_slot = vec![0u32; slots.slots];
    let mut start = rows.start;
    while start < rows.end {
        let end = (start + BLOCK_ELEMENTS).min(rows.end);
        let block = &mut codes[..end - start];
        let mut ok = true;
        for (((code, p), l), &id) in block
            .iter_mut()
            .zip(&preds[start..end])
            .zip(&labels[start..end])
            .zip(&slots.ids[start..end])
        {
            let x = R::C::from_prediction(*p);
            let (positive, is_label) = l.class_bits();
            ok &= is_label & valid_prediction::<R::C, UNIT>(x);
            let slot = (id.wrapping_sub(slots.low) as u32).min(last);
            *code = (slot * stride + ranker.bucket(x).min(top)) * 2 + u32::from(positive);
        }
        valid &= ok;
        if uniform {
            for &c in block.iter() {
                let c = c as usize;
                let v = table[c];
                if v == u8::MAX {
                    spill[c] += 1;
                    table[c] = 0;
                } else {
                    table[c] = v + 1;
                }
            }
        } else {
            for (r, &c) in (start..end).zip(block.iter()) {
                let w = weights.at(r);
                valid &= w.is_finite();
                sums[c as usize] += w;
                per_slot[c as usize / (2 * ranks)] += 1;
            }
        }
        start = end;
    }
    if !valid {
        return None;
    }
    let RowWeights::Uniform(w) = weights else {
        return Some(Partial::Weights(sums, per_slot));
    };
    let counts: Vec<u32> = table
        .iter()
        .zip(&spill)
        .map(|(&v, &s)| (s << 8) + u32::from(v))
        .collect();
    for (slot, rows) in per_slot.iter_mut().enumerate() {
        *rows = counts[slot * 2 * ranks..(slot + 1) * 2 * ranks]
            .iter()
            .sum();
    }
    Some(if w == 1.0 {
        Partial::Counts(counts, per_slot)
    } else {
        Partial::Weights(counts.iter().map(|&n| f64::from(n) * w).collect(), per_slot)
    })
}
