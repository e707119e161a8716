//! Counting one batch into a [`Histogram`]: O(N) for the even path,
//! O(N log T) for the direct path, never O(N x T).
//!
//! Rows are processed in blocks of a few thousand elements in two passes:
//! predictions become bucket indices in a small reusable buffer (generic over
//! the prediction type and the ranker), then labels and weights add into the
//! histogram (generic over the label type and the weight form). Large batches
//! are split into a fixed number of row segments that depend only on the batch
//! size, counted in parallel and summed in segment order, so results never
//! depend on thread timing.

use std::ops::Range;

use rayon::prelude::*;

use crate::batch::{Batch, Columns, Labels, Layout, Predictions, WeightView};
use crate::dtype::MetricDtype;
use crate::error::{CoreError, CoreResult};
use crate::histogram::Histogram;
use crate::pool;
use crate::ranker::{Compute, Direct, Even, Few, Ranker};
use crate::table_kernel::{count_table, ElementWeights, Rows, TableRanker};
use crate::thresholds::{py_float, ThresholdSet};
use crate::values::{Label, Prediction, Weight};

/// Elements per block: the bucket buffer stays in L1.
const BLOCK_ELEMENTS: usize = 4096;
/// Below this many elements a batch is counted on the calling thread.
pub const PARALLEL_MIN_ELEMENTS: usize = 1 << 15;
/// Elements per parallel segment, at least.
const SEGMENT_MIN_ELEMENTS: usize = 1 << 14;
const MAX_SEGMENTS: usize = 64;
/// Elements a segment counts, at least, per entry of its histogram: below
/// this a segment's own histogram (cleared, filled, merged in order on one
/// thread) costs more than counting it in parallel saves.
const ELEMENTS_PER_HISTOGRAM_ENTRY: usize = 16;
/// For large histograms (many labels) the in-order merge of the partials is
/// serial work: beyond `FEW_SEGMENTS` segments, each must count this many
/// elements per histogram entry (W3, 50 labels x 200k: 31 -> 7 segments, 9.1
/// -> 8.3 ms on two threads).
const ELEMENTS_PER_HISTOGRAM_ENTRY_BEYOND_FEW: usize = 64;
const FEW_SEGMENTS: usize = 4;
/// Bound on the memory of partial histograms alive at once.
const MAX_PARTIAL_BYTES: usize = 8 << 20;

/// How a metric counts a batch.
#[derive(Debug, Clone, Copy)]
pub struct CountPlan<'t> {
    pub thresholds: &'t ThresholdSet,
    pub dtype: MetricDtype,
    pub columns: Columns,
    pub top_k: Option<usize>,
    /// One histogram slot per column (multi-label AUC) instead of one in all.
    pub per_column: bool,
    /// Per-column factors multiplied into the sample weights.
    pub column_weights: Option<&'t [f64]>,
    /// Which predictions are valid and how they are read.
    pub domain: Domain,
}

/// What a metric accepts as a prediction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Any finite value (Precision, Recall, the counts).
    Finite,
    /// Probabilities: finite and within [0, 1] (AUC, the operating-point metrics).
    UnitInterval,
    /// Logits: any finite value, turned into a probability by a sigmoid in the
    /// metric dtype before counting (`from_logits=True`).
    Logits,
}

impl CountPlan<'_> {
    pub fn slots(&self, layout: &Layout) -> usize {
        if self.per_column {
            layout.cols
        } else {
            1
        }
    }

    fn selected_columns(&self, layout: &Layout) -> Range<usize> {
        match self.columns {
            Columns::All => 0..layout.cols,
            Columns::One(c) => c..c + 1,
        }
    }
}

/// A value that made the batch invalid, by flat element index.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Bad {
    Label(usize, f64),
    Prediction(usize, f64),
    OutOfRange(usize, f64),
    Weight(usize, f64),
}

impl Bad {
    pub(crate) fn into_error(self, layout: &Layout) -> CoreError {
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
            Bad::OutOfRange(i, v) => CoreError::value(format!(
                "`y_pred` must be in [0, 1]. Received: {} at index {}. Pass `from_logits=True` \
                 for logits, or apply a sigmoid first",
                py_float(v),
                at(i)
            )),
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

/// Counts a batch. The batch is validated completely before the result exists,
/// so a caller that adds the histogram only on success updates all or nothing.
pub fn count(batch: &Batch, plan: &CountPlan) -> CoreResult<Histogram> {
    let layout = &batch.layout;
    check_plan(layout, plan)?;
    let (slots, ranks) = (plan.slots(layout), plan.thresholds.len() + 1);
    if layout.is_empty() {
        // Nothing to count, however wide the (empty) rows: no row-sized buffers.
        return Ok(Histogram::new(slots, ranks));
    }
    let ranker = AnyRanker::new(plan.thresholds, plan.dtype);
    let empty = if table_kernel_applies(batch, plan, &ranker) {
        Histogram::single_lane(slots, ranks)
    } else {
        Histogram::new(slots, ranks)
    };
    let segments = segment_count(layout, empty.bytes());
    let result = if segments <= 1 {
        count_rows(batch, plan, &ranker, 0..layout.rows, empty)
    } else {
        count_parallel(batch, plan, &ranker, segments, empty)
    };
    result.map_err(|bad| bad.into_error(layout))
}

fn check_plan(layout: &Layout, plan: &CountPlan) -> CoreResult<()> {
    if let Columns::One(class_id) = plan.columns {
        if layout.rank() < 2 {
            return Err(CoreError::value(format!(
                "When `class_id` is set, `y_pred` must have rank >= 2. Received: class_id={class_id}, \
                 y_pred rank {}",
                layout.rank()
            )));
        }
        if class_id >= layout.cols {
            return Err(CoreError::value(format!(
                "`class_id` must be smaller than the last dimension of `y_pred`. Received: \
                 class_id={class_id}, last dimension {}",
                layout.cols
            )));
        }
    }
    if let Some(k) = plan.top_k {
        if k > layout.cols || layout.rank() == 0 {
            return Err(CoreError::value(format!(
                "`top_k` must be at most the last dimension of `y_pred`. Received: top_k={k}, \
                 last dimension {}",
                layout.cols
            )));
        }
    }
    if let Some(weights) = plan.column_weights {
        if weights.len() != layout.cols && !layout.is_empty() {
            return Err(CoreError::value(format!(
                "`label_weights` has {} values but `y_pred` has {} columns",
                weights.len(),
                layout.cols
            )));
        }
    }
    Ok(())
}

/// Number of row segments: a function of the batch alone (never of the
/// thread count), so parallel sums always add in the same order.
fn segment_count(layout: &Layout, histogram_bytes: usize) -> usize {
    let n = layout.len();
    if n < PARALLEL_MIN_ELEMENTS || layout.rows < 2 {
        return 1;
    }
    let by_size = n / SEGMENT_MIN_ELEMENTS;
    let by_memory = MAX_PARTIAL_BYTES / histogram_bytes.max(1);
    // Each segment clears, fills and merges its own histogram: keep that work
    // small next to the counting (many labels make histograms large).
    let histogram_entries = histogram_bytes / std::mem::size_of::<f64>();
    let per_entry = |elements: usize| n / (elements * histogram_entries.max(1));
    let by_work = per_entry(ELEMENTS_PER_HISTOGRAM_ENTRY)
        .min(FEW_SEGMENTS)
        .max(per_entry(ELEMENTS_PER_HISTOGRAM_ENTRY_BEYOND_FEW));
    by_size
        .min(by_memory)
        .min(by_work)
        .min(MAX_SEGMENTS)
        .min(layout.rows)
        .max(1)
}

fn count_parallel(
    batch: &Batch,
    plan: &CountPlan,
    ranker: &AnyRanker,
    segments: usize,
    empty: Histogram,
) -> Result<Histogram, Bad> {
    let rows = batch.layout.rows;
    let segment_rows = |s: usize| (s * rows / segments)..((s + 1) * rows / segments);
    let run = || {
        (0..segments)
            .into_par_iter()
            .map(|s| count_rows(batch, plan, ranker, segment_rows(s), empty.clone()))
            .collect::<Vec<_>>()
    };
    let partials = match pool::pool() {
        Some(pool) => pool.install(run),
        None => (0..segments)
            .map(|s| count_rows(batch, plan, ranker, segment_rows(s), empty.clone()))
            .collect(),
    };
    let mut total = empty;
    for partial in partials {
        total.merge(&partial?);
    }
    Ok(total)
}

/// Counts rows `rows` of the batch on this thread.
fn count_rows(
    batch: &Batch,
    plan: &CountPlan,
    ranker: &AnyRanker,
    rows: Range<usize>,
    mut hist: Histogram,
) -> Result<Histogram, Bad> {
    if let Some(counted) = try_table_kernel(batch, plan, ranker, rows.clone(), &mut hist) {
        return counted.map(|()| hist);
    }
    let selected = plan.selected_columns(&batch.layout).len().max(1);
    let rows_per_block = (BLOCK_ELEMENTS / selected).max(1);
    let mut buckets: Vec<u32> = Vec::with_capacity(rows_per_block * selected);
    let mut scratch = TopK::default();
    let mut start = rows.start;
    while start < rows.end {
        let block = start..(start + rows_per_block).min(rows.end);
        buckets.clear();
        fill_buckets(
            batch,
            plan,
            ranker,
            &hist,
            block.clone(),
            &mut buckets,
            &mut scratch,
        )?;
        add_block(batch, plan, block.clone(), &buckets, &mut hist)?;
        start = block.end;
    }
    Ok(hist)
}

/// Whether [`table_kernel`] counts this batch: evenly spaced thresholds, every
/// element counted, no logits, no float16, and weights absent, scalar, one
/// per element or one per row.
fn table_kernel_applies(batch: &Batch, plan: &CountPlan, ranker: &AnyRanker) -> bool {
    let cols = batch.layout.cols;
    let fast_ranker = match ranker {
        AnyRanker::EvenF32(even) => even.fast_bucket(),
        AnyRanker::EvenF64(even) => even.fast_bucket(),
        AnyRanker::FewF32(_)
        | AnyRanker::FewF64(_)
        | AnyRanker::DirectF32(_)
        | AnyRanker::DirectF64(_) => true,
    };
    let weights_ok = match batch.weights {
        WeightView::None | WeightView::Scalar(_) => true,
        WeightView::F32 {
            row_stride,
            col_stride,
            ..
        }
        | WeightView::F64 {
            row_stride,
            col_stride,
            ..
        } => per_element(cols, row_stride, col_stride),
    };
    fast_ranker
        && weights_ok
        && plan.selected_columns(&batch.layout).len() == cols
        && plan.top_k.is_none()
        && plan.column_weights.is_none()
        && plan.domain != Domain::Logits
        && !matches!(batch.predictions, Predictions::F16(_))
}

/// Whether strided weights are one per element, in element order, or one per
/// row (broadcast along it).
fn per_element(cols: usize, row_stride: usize, col_stride: usize) -> bool {
    let per_row = row_stride == 1 && (cols == 1 || col_stride == 0);
    per_row || (col_stride == 1 && row_stride == cols)
}

/// Counts `rows` with [`table_kernel`] if [`table_kernel_applies`].
fn try_table_kernel(
    batch: &Batch,
    plan: &CountPlan,
    ranker: &AnyRanker,
    rows: Range<usize>,
    hist: &mut Histogram,
) -> Option<Result<(), Bad>> {
    if !table_kernel_applies(batch, plan, ranker) {
        return None;
    }
    let cols = batch.layout.cols;
    let elements = rows.start * cols..rows.end * cols;
    let weights = match batch.weights {
        WeightView::None => ElementWeights::Uniform(1.0),
        WeightView::Scalar(w) => ElementWeights::Uniform(w),
        WeightView::F32 {
            data, col_stride, ..
        } if col_stride == 0 && cols > 1 => ElementWeights::RowsF32(data.get(rows.clone())?),
        WeightView::F64 {
            data, col_stride, ..
        } if col_stride == 0 && cols > 1 => ElementWeights::RowsF64(data.get(rows.clone())?),
        WeightView::F32 { data, .. } => ElementWeights::F32(data.get(elements.clone())?),
        WeightView::F64 { data, .. } => ElementWeights::F64(data.get(elements.clone())?),
    };
    let per_column = plan.per_column && cols > 1;
    macro_rules! with_labels {
        ($preds:expr, $even:expr) => {
            match batch.labels {
                Labels::Bool(l) => table_rows(
                    $preds, l, weights, elements, cols, per_column, $even, plan, hist,
                ),
                Labels::U8(l) => table_rows(
                    $preds, l, weights, elements, cols, per_column, $even, plan, hist,
                ),
                Labels::I8(l) => table_rows(
                    $preds, l, weights, elements, cols, per_column, $even, plan, hist,
                ),
                Labels::I32(l) => table_rows(
                    $preds, l, weights, elements, cols, per_column, $even, plan, hist,
                ),
                Labels::I64(l) => table_rows(
                    $preds, l, weights, elements, cols, per_column, $even, plan, hist,
                ),
                Labels::F32(l) => table_rows(
                    $preds, l, weights, elements, cols, per_column, $even, plan, hist,
                ),
                Labels::F64(l) => table_rows(
                    $preds, l, weights, elements, cols, per_column, $even, plan, hist,
                ),
            }
        };
    }
    match (batch.predictions, ranker) {
        (Predictions::F32(p), AnyRanker::EvenF32(r)) => with_labels!(p, r),
        (Predictions::F32(p), AnyRanker::EvenF64(r)) => with_labels!(p, r),
        (Predictions::F64(p), AnyRanker::EvenF32(r)) => with_labels!(p, r),
        (Predictions::F64(p), AnyRanker::EvenF64(r)) => with_labels!(p, r),
        (Predictions::F32(p), AnyRanker::FewF32(r)) => with_labels!(p, r),
        (Predictions::F32(p), AnyRanker::FewF64(r)) => with_labels!(p, r),
        (Predictions::F64(p), AnyRanker::FewF32(r)) => with_labels!(p, r),
        (Predictions::F64(p), AnyRanker::FewF64(r)) => with_labels!(p, r),
        (Predictions::F32(p), AnyRanker::DirectF32(r)) => with_labels!(p, r),
        (Predictions::F32(p), AnyRanker::DirectF64(r)) => with_labels!(p, r),
        (Predictions::F64(p), AnyRanker::DirectF32(r)) => with_labels!(p, r),
        (Predictions::F64(p), AnyRanker::DirectF64(r)) => with_labels!(p, r),
        _ => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn table_rows<P: Prediction, L: Label, R: TableRanker>(
    preds: &[P],
    labels: &[L],
    weights: ElementWeights,
    elements: Range<usize>,
    cols: usize,
    per_column: bool,
    ranker: &R,
    plan: &CountPlan,
    hist: &mut Histogram,
) -> Option<Result<(), Bad>> {
    let rows = Rows {
        preds: preds.get(elements.clone())?,
        labels: labels.get(elements.clone())?,
        weights,
        first: elements.start,
        cols,
        per_column,
    };
    Some(count_table(&rows, ranker, plan.domain, hist))
}

/// The ranker for a threshold set in a metric dtype.
enum AnyRanker {
    EvenF32(Even<f32>),
    EvenF64(Even<f64>),
    FewF32(Few<f32>),
    FewF64(Few<f64>),
    DirectF32(Direct<f32>),
    DirectF64(Direct<f64>),
}

impl AnyRanker {
    fn new(thresholds: &ThresholdSet, dtype: MetricDtype) -> Self {
        match (thresholds.is_even(), dtype) {
            (true, MetricDtype::Float32) => AnyRanker::EvenF32(Even::new(thresholds)),
            (true, MetricDtype::Float64) => AnyRanker::EvenF64(Even::new(thresholds)),
            (false, MetricDtype::Float32) => match Few::new(thresholds) {
                Some(few) => AnyRanker::FewF32(few),
                None => AnyRanker::DirectF32(Direct::<f32>::new(thresholds)),
            },
            (false, MetricDtype::Float64) => match Few::new(thresholds) {
                Some(few) => AnyRanker::FewF64(few),
                None => AnyRanker::DirectF64(Direct::<f64>::new(thresholds)),
            },
        }
    }
}

fn fill_buckets(
    batch: &Batch,
    plan: &CountPlan,
    ranker: &AnyRanker,
    hist: &Histogram,
    rows: Range<usize>,
    out: &mut Vec<u32>,
    scratch: &mut TopK,
) -> Result<(), Bad> {
    macro_rules! go {
        ($preds:expr) => {
            match ranker {
                AnyRanker::EvenF32(r) => fill(*$preds, r, batch, plan, hist, rows, out, scratch),
                AnyRanker::EvenF64(r) => fill(*$preds, r, batch, plan, hist, rows, out, scratch),
                AnyRanker::FewF32(r) => fill(*$preds, r, batch, plan, hist, rows, out, scratch),
                AnyRanker::FewF64(r) => fill(*$preds, r, batch, plan, hist, rows, out, scratch),
                AnyRanker::DirectF32(r) => fill(*$preds, r, batch, plan, hist, rows, out, scratch),
                AnyRanker::DirectF64(r) => fill(*$preds, r, batch, plan, hist, rows, out, scratch),
            }
        };
    }
    match &batch.predictions {
        Predictions::F16(p) => go!(p),
        Predictions::F32(p) => go!(p),
        Predictions::F64(p) => go!(p),
    }
}

/// The prediction in the metric dtype, if finite there (a float64 prediction
/// beyond float32's range is infinite to a float32 metric) and, when required,
/// within [0, 1]; logits go through the sigmoid.
#[inline(always)]
pub(crate) fn checked<P: Prediction, C: Compute>(
    p: P,
    flat: usize,
    domain: Domain,
) -> Result<C, Bad> {
    let x = C::from_prediction(p);
    let v = x.to_f64();
    if !v.is_finite() {
        return Err(Bad::Prediction(flat, v));
    }
    match domain {
        Domain::Finite => Ok(x),
        Domain::UnitInterval if (0.0..=1.0).contains(&v) => Ok(x),
        Domain::UnitInterval => Err(Bad::OutOfRange(flat, v)),
        Domain::Logits => Ok(x.sigmoid()),
    }
}

/// Pass 1: the bucket index of every counted element of `rows`, in row-major
/// order of the selected columns. Validates every prediction of these rows.
#[allow(clippy::too_many_arguments)]
fn fill<P: Prediction, R: Ranker>(
    preds: &[P],
    ranker: &R,
    batch: &Batch,
    plan: &CountPlan,
    hist: &Histogram,
    rows: Range<usize>,
    out: &mut Vec<u32>,
    scratch: &mut TopK,
) -> Result<(), Bad> {
    let cols = batch.layout.cols;
    if plan.columns == Columns::All && plan.top_k.is_none() {
        let block = &preds[rows.start * cols..rows.end * cols];
        let first = rows.start * cols;
        return match (plan.per_column, plan.domain) {
            (false, Domain::Finite) => fill_pooled::<_, _, FINITE>(block, ranker, first, out),
            (false, Domain::UnitInterval) => fill_pooled::<_, _, UNIT>(block, ranker, first, out),
            _ => fill_each(block, ranker, plan, hist, cols, first, out),
        };
    }
    let selected = plan.selected_columns(&batch.layout);
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
            out.push(hist.bucket(0, ranker.rank(x)));
        }
    }
    Ok(())
}

/// Pass 1 over every element with its own checks: one slot per column
/// (multi-label) or logits.
fn fill_each<P: Prediction, R: Ranker>(
    block: &[P],
    ranker: &R,
    plan: &CountPlan,
    hist: &Histogram,
    cols: usize,
    first: usize,
    out: &mut Vec<u32>,
) -> Result<(), Bad> {
    for (k, &p) in block.iter().enumerate() {
        let x = checked::<P, R::C>(p, first + k, plan.domain)?;
        let slot = if plan.per_column { k % cols } else { 0 };
        out.push(hist.bucket(slot, ranker.rank(x)));
    }
    Ok(())
}

/// `fill_pooled`'s validity rules.
const FINITE: bool = false;
const UNIT: bool = true;

/// The common case of pass 1: one histogram, any finite prediction or (with
/// `UNIT_INTERVAL`) one in [0, 1]. Written without early exits so the loop
/// stays tight; a bad prediction is located only after the block fails.
fn fill_pooled<P: Prediction, R: Ranker, const UNIT_INTERVAL: bool>(
    block: &[P],
    ranker: &R,
    first: usize,
    out: &mut Vec<u32>,
) -> Result<(), Bad> {
    let valid = |x: R::C| {
        let v = x.to_f64();
        if UNIT_INTERVAL {
            (0.0..=1.0).contains(&v)
        } else {
            v.is_finite()
        }
    };
    let mut ok = true;
    out.resize(block.len(), 0);
    for (bucket, &p) in out.iter_mut().zip(block) {
        let x = R::C::from_prediction(p);
        ok &= valid(x);
        *bucket = ranker.rank(x);
    }
    if ok {
        return Ok(());
    }
    let domain = if UNIT_INTERVAL {
        Domain::UnitInterval
    } else {
        Domain::Finite
    };
    for (k, &p) in block.iter().enumerate() {
        checked::<P, R::C>(p, first + k, domain)?;
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
    fn mark<P: Prediction, C: Compute>(&mut self, row: &[P], k: usize) {
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

fn add_block(
    batch: &Batch,
    plan: &CountPlan,
    rows: Range<usize>,
    buckets: &[u32],
    hist: &mut Histogram,
) -> Result<(), Bad> {
    macro_rules! with_weights {
        ($labels:expr) => {
            match batch.weights {
                WeightView::None => add(*$labels, Unit, batch, plan, rows, buckets, hist),
                WeightView::Scalar(w) => {
                    add(*$labels, Constant(w), batch, plan, rows, buckets, hist)
                }
                WeightView::F32 {
                    data,
                    row_stride,
                    col_stride,
                } => add(
                    *$labels,
                    Strided {
                        data,
                        row_stride,
                        col_stride,
                    },
                    batch,
                    plan,
                    rows,
                    buckets,
                    hist,
                ),
                WeightView::F64 {
                    data,
                    row_stride,
                    col_stride,
                } => add(
                    *$labels,
                    Strided {
                        data,
                        row_stride,
                        col_stride,
                    },
                    batch,
                    plan,
                    rows,
                    buckets,
                    hist,
                ),
            }
        };
    }
    match &batch.labels {
        Labels::Bool(l) => with_weights!(l),
        Labels::U8(l) => with_weights!(l),
        Labels::I8(l) => with_weights!(l),
        Labels::I32(l) => with_weights!(l),
        Labels::I64(l) => with_weights!(l),
        Labels::F32(l) => with_weights!(l),
        Labels::F64(l) => with_weights!(l),
    }
}

/// The sample weight of element `(row, col)`.
pub(crate) trait WeightAt: Copy + Sync {
    /// The same weight for every element (checked finite up front).
    const UNIFORM: bool;
    fn at(&self, row: usize, col: usize) -> f64;
}

#[derive(Clone, Copy)]
pub(crate) struct Unit;

impl WeightAt for Unit {
    const UNIFORM: bool = true;
    #[inline(always)]
    fn at(&self, _: usize, _: usize) -> f64 {
        1.0
    }
}

/// A scalar weight, checked finite when the batch was built.
#[derive(Clone, Copy)]
pub(crate) struct Constant(pub(crate) f64);

impl WeightAt for Constant {
    const UNIFORM: bool = true;
    #[inline(always)]
    fn at(&self, _: usize, _: usize) -> f64 {
        self.0
    }
}

#[derive(Clone, Copy)]
pub(crate) struct Strided<'a, W> {
    pub(crate) data: &'a [W],
    pub(crate) row_stride: usize,
    pub(crate) col_stride: usize,
}

impl<W: Weight> WeightAt for Strided<'_, W> {
    const UNIFORM: bool = false;
    #[inline(always)]
    fn at(&self, row: usize, col: usize) -> f64 {
        self.data[row * self.row_stride + col * self.col_stride].to_f64()
    }
}

/// Pass 2: adds each counted element's weight to its bucket. Validates every
/// label and weight of these rows.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::WeightLayout;

    fn plan(thresholds: &ThresholdSet) -> CountPlan<'_> {
        CountPlan {
            thresholds,
            dtype: MetricDtype::Float32,
            columns: Columns::All,
            top_k: None,
            per_column: false,
            column_weights: None,
            domain: Domain::Finite,
        }
    }

    fn batch<'a>(labels: &'a [f32], preds: &'a [f32], weights: WeightView<'a>) -> Batch<'a> {
        let layout = Layout::align(&[labels.len()], &[preds.len()], false).unwrap();
        Batch::new(
            Labels::F32(labels),
            Predictions::F32(preds),
            weights,
            layout,
        )
        .unwrap()
    }

    #[test]
    fn counts_by_rank() {
        let t = ThresholdSet::keras(vec![0.5]);
        let b = batch(&[0., 1., 1., 1.], &[1., 0., 1., 1.], WeightView::None);
        let h = count(&b, &plan(&t)).unwrap();
        assert_eq!(h.get(0, 0), (0.0, 1.0)); // one positive below 0.5
        assert_eq!(h.get(0, 1), (1.0, 2.0));
    }

    #[test]
    fn bad_values_name_their_index() {
        let t = ThresholdSet::keras(vec![0.5]);
        let b = batch(&[0., 2., 1.], &[0.1, 0.2, 0.3], WeightView::None);
        let err = count(&b, &plan(&t)).unwrap_err();
        assert!(err.message().contains("2.0 at index 1"), "{err}");
        let b = batch(&[0., 1., 1.], &[0.1, f32::NAN, 0.3], WeightView::None);
        assert!(count(&b, &plan(&t))
            .unwrap_err()
            .message()
            .contains("nan at index 1"));
        let w = [1.0f32, f32::INFINITY, 1.0];
        let weights = WeightView::F32 {
            data: &w,
            row_stride: 1,
            col_stride: 0,
        };
        let b = batch(&[0., 1., 1.], &[0.1, 0.2, 0.3], weights);
        assert!(count(&b, &plan(&t))
            .unwrap_err()
            .message()
            .contains("sample_weight"));
    }

    #[test]
    fn parallel_equals_sequential() {
        let n = 3 * PARALLEL_MIN_ELEMENTS + 17;
        let preds: Vec<f32> = (0..n).map(|i| ((i * 7919) % 1000) as f32 / 999.0).collect();
        let labels: Vec<f32> = (0..n).map(|i| ((i * 31) % 3 == 0) as u8 as f32).collect();
        let weights: Vec<f32> = (0..n).map(|i| (i % 5) as f32).collect();
        let mut values = vec![-1e-7];
        values.extend((1..199).map(|i| i as f64 / 199.0));
        values.push(1.0 + 1e-7);
        let t = ThresholdSet::with_path(values, true);
        let layout = Layout::align(&[n], &[n], false).unwrap();
        assert_eq!(
            layout.weight_layout(Some(&[n])).unwrap(),
            WeightLayout::Strided {
                row_stride: 1,
                col_stride: 0
            }
        );
        let weights = WeightView::F32 {
            data: &weights,
            row_stride: 1,
            col_stride: 0,
        };
        let b = Batch::new(
            Labels::F32(&labels),
            Predictions::F32(&preds),
            weights,
            layout,
        )
        .unwrap();
        let p = plan(&t);
        let parallel = count(&b, &p).unwrap();
        let ranker = AnyRanker::new(&t, MetricDtype::Float32);
        let sequential = count_rows(&b, &p, &ranker, 0..n, Histogram::new(1, t.len() + 1)).unwrap();
        for rank in 0..=t.len() {
            assert_eq!(
                parallel.get(0, rank),
                sequential.get(0, rank),
                "rank {rank}"
            );
        }
    }

    #[test]
    fn top_k_keeps_the_lowest_index_among_ties() {
        let t = ThresholdSet::keras(vec![crate::thresholds::NEG_INF]);
        let layout = Layout::align(&[4], &[4], true).unwrap();
        let labels = [0f32, 0., 1., 1.];
        let preds = [1f32, 1., 1., 1.];
        let b = Batch::new(
            Labels::F32(&labels),
            Predictions::F32(&preds),
            WeightView::None,
            layout,
        )
        .unwrap();
        let mut p = plan(&t);
        p.top_k = Some(2);
        let h = count(&b, &p).unwrap();
        // The two kept predictions are the negatives at index 0 and 1.
        assert_eq!(h.get(0, 1), (2.0, 0.0));
        assert_eq!(h.get(0, 0), (0.0, 2.0));
    }

    #[test]
    fn multi_indices_print_like_numpy() {
        assert_eq!(index_str(5, &[7]), "5");
        assert_eq!(index_str(5, &[3, 2]), "(2, 1)");
    }
}
