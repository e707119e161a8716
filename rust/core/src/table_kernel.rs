//! The hot path of counting: every element counted (no `top_k`, `class_id`
//! or `label_weights`), no logits, and weights that are absent, one number,
//! one per element, or one per row (broadcast along the row).
//!
//! Pass 1 turns a block of predictions and labels into table codes
//! `2 * (slot * ranks + bucket) + is_positive`: validity is accumulated, never
//! branched on, and for evenly spaced thresholds (Keras's default and AUC's)
//! the loop vectorises, as the bucket needs neither a libm call nor a
//! saturating conversion. Pass 2 adds each code's
//! weight into a small table: unweighted counts are integers, in one table per
//! lane so that runs of equal codes do not wait on each other's stores. The
//! tables are added into the histogram (in float64) when a segment ends, where
//! Keras's epsilon end points also move bucket 0 into rank 1.

use crate::float::Float;
use crate::histogram::Histogram;
use crate::logit::LogitCells;
use crate::ranker::{Direct, Even, EvenBucket, Few, Ranker};
use crate::tuning::{BLOCK_ELEMENTS, LANES};
use crate::validate::{checked, pooled_domain, valid_prediction, Bad, Domain};
use crate::values::{Label, Prediction, Weight};
use crate::weights::ElementWeights;

/// A ranker the table kernel can use: a bucket per prediction, with the
/// lowest rank applied when the tables are flushed.
pub trait TableRanker: Sync {
    type C: Float;
    fn bucket(&self, x: Self::C) -> u32;
    fn min_rank(&self) -> u32;
    /// Whether the bucket comes in two steps: a cell, computed for a whole
    /// block in a loop that vectorises, then a lookup in it.
    const TWO_STEP: bool = false;
    #[inline(always)]
    fn cell(&self, _x: Self::C) -> u32 {
        0
    }
    #[inline(always)]
    fn bucket_in(&self, _cell: u32, x: Self::C) -> u32 {
        self.bucket(x)
    }
}

impl<C: EvenBucket> TableRanker for Even<C> {
    type C = C;
    #[inline(always)]
    fn bucket(&self, x: C) -> u32 {
        x.even_bucket(self)
    }
    fn min_rank(&self) -> u32 {
        Even::min_rank(self)
    }
}

impl<C: Float> TableRanker for Few<C> {
    type C = C;
    #[inline(always)]
    fn bucket(&self, x: C) -> u32 {
        self.rank(x)
    }
    fn min_rank(&self) -> u32 {
        0
    }
}

impl<C: Float> TableRanker for Direct<C>
where
    Direct<C>: Ranker<C = C>,
{
    type C = C;
    #[inline(always)]
    fn bucket(&self, x: C) -> u32 {
        self.rank(x)
    }
    fn min_rank(&self) -> u32 {
        0
    }
}

macro_rules! logit_table_ranker {
    ($c:ty) => {
        impl TableRanker for LogitCells<$c> {
            type C = $c;
            const TWO_STEP: bool = true;
            #[inline(always)]
            fn bucket(&self, x: $c) -> u32 {
                self.rank(x)
            }
            fn min_rank(&self) -> u32 {
                0
            }
            #[inline(always)]
            fn cell(&self, x: $c) -> u32 {
                self.cell_of(x)
            }
            #[inline(always)]
            fn bucket_in(&self, cell: u32, x: $c) -> u32 {
                self.rank_in(cell, x)
            }
        }
    };
}
logit_table_ranker!(f32);
logit_table_ranker!(f64);

/// Elements counted before integer tables are flushed: no `u32` can overflow.
const FLUSH_ELEMENTS: usize = 1 << 31;

/// The rows being counted, flattened: `preds[k]`, `labels[k]` and (if given)
/// the `k`-th weight belong to flat element `first + k`.
pub struct Rows<'a, P, L> {
    pub preds: &'a [P],
    pub labels: &'a [L],
    pub weights: ElementWeights<'a>,
    pub first: usize,
    pub cols: usize,
    /// One histogram slot per column (multi-label AUC) instead of one in all.
    pub per_column: bool,
}

/// Counts `rows` into `hist`; on a bad value, returns the first one (in the
/// order the general kernel reports: a block's predictions, then its labels
/// and weights) and leaves `hist` partly counted (the caller discards it).
pub fn count_table<P, L, R>(
    rows: &Rows<P, L>,
    ranker: &R,
    domain: Domain,
    hist: &mut Histogram,
) -> Result<(), Bad>
where
    P: Prediction,
    L: Label,
    R: TableRanker,
{
    debug_assert!(domain != Domain::Logits);
    match domain {
        Domain::UnitInterval { .. } => count_blocks::<P, L, R, true>(rows, ranker, hist),
        _ => count_blocks::<P, L, R, false>(rows, ranker, hist),
    }
}

fn count_blocks<P, L, R, const UNIT: bool>(
    rows: &Rows<P, L>,
    ranker: &R,
    hist: &mut Histogram,
) -> Result<(), Bad>
where
    P: Prediction,
    L: Label,
    R: TableRanker,
{
    let cols = rows.cols.max(1);
    let ranks = hist.ranks();
    // A block holds whole rows, so per-column codes restart at column 0 and
    // row weights apply to whole rows.
    let block = if rows.per_column || rows.weights.per_row() {
        (BLOCK_ELEMENTS / cols).max(1) * cols
    } else {
        BLOCK_ELEMENTS
    };
    // Each element's slot offset, for a whole block (its rows repeat them).
    let offsets: Vec<u32> = if rows.per_column {
        (0..block)
            .map(|k| (2 * (k % cols) * ranks) as u32)
            .collect()
    } else {
        Vec::new()
    };
    // One slot per column: consecutive elements go to different slots anyway,
    // and one table keeps the (larger) working set in cache.
    let lanes = if rows.per_column { 1 } else { LANES };
    let mut tables = Tables::new(2 * hist.slots() * ranks, lanes, rows.weights);
    let mut codes = vec![0u32; block.min(rows.preds.len())];
    let mut since_flush = 0;
    for start in (0..rows.preds.len()).step_by(block) {
        let end = (start + block).min(rows.preds.len());
        let codes = &mut codes[..end - start];
        let (preds, labels) = (&rows.preds[start..end], &rows.labels[start..end]);
        let valid = if rows.per_column {
            encode_slots::<P, L, R, UNIT>(preds, labels, ranker, &offsets[..codes.len()], codes)
        } else {
            encode::<P, L, R, UNIT>(preds, labels, ranker, 0, codes)
        };
        let weights_valid = tables.tally(codes, rows.weights, start, cols);
        if !(valid && weights_valid) {
            return Err(first_bad::<P, L, R, UNIT>(rows, start..end));
        }
        since_flush += codes.len();
        if since_flush >= FLUSH_ELEMENTS {
            tables.flush_into(hist, ranker.min_rank());
            since_flush = 0;
        }
    }
    tables.flush_into(hist, ranker.min_rank());
    Ok(())
}

/// Pass 1 for one slot: `offset + 2 * bucket + is_positive` per element.
#[inline(always)]
fn encode<P, L, R, const UNIT: bool>(
    preds: &[P],
    labels: &[L],
    ranker: &R,
    offset: u32,
    out: &mut [u32],
) -> bool
where
    P: Prediction,
    L: Label,
    R: TableRanker,
{
    let mut valid = true;
    if R::TWO_STEP {
        // Cells and checks vectorise; the lookups that follow cannot.
        for ((code, &p), &label) in out.iter_mut().zip(preds).zip(labels) {
            let x = R::C::from_prediction(p);
            let (positive, label_ok) = label.class_bits();
            valid &= valid_prediction::<R::C, UNIT>(x) & label_ok;
            *code = 2 * ranker.cell(x) + u32::from(positive);
        }
        for (code, &p) in out.iter_mut().zip(preds) {
            let x = R::C::from_prediction(p);
            *code = offset + 2 * ranker.bucket_in(*code / 2, x) + *code % 2;
        }
        return valid;
    }
    for ((code, &p), &label) in out.iter_mut().zip(preds).zip(labels) {
        let x = R::C::from_prediction(p);
        let (positive, label_ok) = label.class_bits();
        valid &= valid_prediction::<R::C, UNIT>(x) & label_ok;
        *code = offset + 2 * ranker.bucket(x) + u32::from(positive);
    }
    valid
}

/// Pass 1 for one slot per column: `offsets[k]` is element k's slot offset.
fn encode_slots<P, L, R, const UNIT: bool>(
    preds: &[P],
    labels: &[L],
    ranker: &R,
    offsets: &[u32],
    out: &mut [u32],
) -> bool
where
    P: Prediction,
    L: Label,
    R: TableRanker,
{
    let mut valid = true;
    let elements = out.iter_mut().zip(preds).zip(labels).zip(offsets);
    for (((code, &p), &label), &offset) in elements {
        let x = R::C::from_prediction(p);
        let (positive, label_ok) = label.class_bits();
        valid &= valid_prediction::<R::C, UNIT>(x) & label_ok;
        *code = offset + 2 * ranker.bucket(x) + u32::from(positive);
    }
    valid
}

/// The first bad value of the block `range` of `rows` (known to exist).
fn first_bad<P, L, R, const UNIT: bool>(rows: &Rows<P, L>, range: std::ops::Range<usize>) -> Bad
where
    P: Prediction,
    L: Label,
    R: TableRanker,
{
    for k in range.clone() {
        if let Err(bad) = checked::<P, R::C>(rows.preds[k], rows.first + k, pooled_domain(UNIT)) {
            return bad;
        }
    }
    for k in range.clone() {
        let label = rows.labels[k];
        if label.class().is_none() {
            return Bad::Label(rows.first + k, label.to_f64());
        }
        let weight = rows.weights.of_element(k, rows.cols.max(1));
        if !weight.is_finite() {
            return Bad::Weight(rows.first + k, weight);
        }
    }
    Bad::Label(rows.first + range.start, f64::NAN)
}

/// Pass 2's tables: `LANES` integer tables, or one float64 table for weights.
enum Tables {
    Counts {
        /// `lanes` tables of `len` counts, one after the other.
        tables: Vec<u32>,
        len: usize,
        weight: f64,
    },
    Sums(Vec<f64>),
}

impl Tables {
    fn new(len: usize, lanes: usize, weights: ElementWeights) -> Self {
        match weights {
            ElementWeights::Uniform(weight) => Tables::Counts {
                tables: vec![0; lanes * len],
                len,
                weight,
            },
            _ => Tables::Sums(vec![0.0; len]),
        }
    }

    /// Adds the block's elements (starting at element `start` of the rows,
    /// whole rows of `cols` if weights are per row); returns whether every
    /// weight was finite.
    fn tally(&mut self, codes: &[u32], weights: ElementWeights, start: usize, cols: usize) -> bool {
        match (self, weights) {
            (Tables::Counts { tables, len, .. }, _) => {
                if tables.len() == *len {
                    for &code in codes {
                        tables[code as usize] += 1;
                    }
                } else {
                    tally_lanes(codes, tables, *len);
                }
                true
            }
            (Tables::Sums(sums), ElementWeights::F32(w)) => {
                tally_sums(codes, &w[start..start + codes.len()], sums)
            }
            (Tables::Sums(sums), ElementWeights::F64(w)) => {
                tally_sums(codes, &w[start..start + codes.len()], sums)
            }
            (Tables::Sums(sums), ElementWeights::RowsF32(w)) => {
                tally_row_sums(codes, &w[start / cols..], cols, sums)
            }
            (Tables::Sums(sums), ElementWeights::RowsF64(w)) => {
                tally_row_sums(codes, &w[start / cols..], cols, sums)
            }
            (Tables::Sums(_), ElementWeights::Uniform(_)) => unreachable!("built for weights"),
        }
    }

    /// Adds the tables into `hist` (single-lane: the same layout as a
    /// table) and clears them.
    fn flush_into(&mut self, hist: &mut Histogram, min_rank: u32) {
        let ranks = hist.ranks();
        match self {
            Tables::Counts {
                tables,
                len,
                weight,
            } => {
                // Lane sums fit: a flush comes before 2^31 elements.
                let (total, others) = tables.split_at_mut(*len);
                for lane in others.chunks_exact(*len) {
                    for (t, &c) in total.iter_mut().zip(lane) {
                        *t += c;
                    }
                }
                fold_rank_zero(total, ranks, min_rank);
                add_table(hist, total.iter().map(|&count| f64::from(count) * *weight));
                tables.fill(0);
            }
            Tables::Sums(sums) => {
                fold_rank_zero(sums, ranks, min_rank);
                add_table(hist, sums.iter().copied());
                sums.fill(0.0);
            }
        }
    }
}

/// Adds a table (entry `2 * bucket + is_positive`) into `hist`.
fn add_table(hist: &mut Histogram, values: impl Iterator<Item = f64>) {
    match hist.single_lane_bins() {
        Some(bins) => bins.iter_mut().zip(values).for_each(|(bin, v)| *bin += v),
        None => {
            for (i, v) in values.enumerate() {
                hist.add((i / 2) as u32, i % 2 == 1, v);
            }
        }
    }
}

/// With epsilon end points the lowest rank is 1: moves each slot's bucket-0
/// entries (a prediction of exactly 0, or clipped to it) into rank 1.
fn fold_rank_zero<T: Copy + Default + std::ops::AddAssign>(
    table: &mut [T],
    ranks: usize,
    min_rank: u32,
) {
    if min_rank == 0 || ranks < 2 {
        return;
    }
    for slot in table.chunks_exact_mut(2 * ranks) {
        for side in 0..2 {
            let zero = std::mem::take(&mut slot[side]);
            slot[2 + side] += zero;
        }
    }
}

// `tally_lanes` splits its tables in four.
const _: () = assert!(LANES == 4);

/// Adds consecutive elements to consecutive ones of `LANES` tables.
fn tally_lanes(codes: &[u32], lanes: &mut [u32], len: usize) {
    let (t0, rest) = lanes.split_at_mut(len);
    let (t1, rest) = rest.split_at_mut(len);
    let (t2, t3) = rest.split_at_mut(len);
    let quads = codes.chunks_exact(LANES);
    for &code in quads.remainder() {
        t0[code as usize] += 1;
    }
    for quad in quads {
        t0[quad[0] as usize] += 1;
        t1[quad[1] as usize] += 1;
        t2[quad[2] as usize] += 1;
        t3[quad[3] as usize] += 1;
    }
}

/// `tally_sums` with one weight per row of `cols` codes.
fn tally_row_sums<W: Weight>(codes: &[u32], weights: &[W], cols: usize, sums: &mut [f64]) -> bool {
    let mut valid = true;
    for (row, &w) in codes.chunks_exact(cols).zip(weights) {
        let w = w.to_f64();
        valid &= w.is_finite();
        for &code in row {
            sums[code as usize] += w;
        }
    }
    valid
}

fn tally_sums<W: Weight>(codes: &[u32], weights: &[W], sums: &mut [f64]) -> bool {
    let mut valid = true;
    for (&code, &w) in codes.iter().zip(weights) {
        let w = w.to_f64();
        valid &= w.is_finite();
        sums[code as usize] += w;
    }
    valid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ranker::Ranker;
    use crate::thresholds::ThresholdSet;

    /// Keras's default 200 thresholds, epsilon end points included.
    fn default_200() -> ThresholdSet {
        let mut values = vec![-1e-7];
        values.extend((1..199).map(|i| i as f64 / 199.0));
        values.push(1.0 + 1e-7);
        ThresholdSet::with_path(values, true)
    }

    /// Deterministic inputs that hit every bucket, the float32 quirk values
    /// k/199, and both ends.
    fn inputs(n: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let preds = (0..n)
            .map(|i| match i % 7 {
                0 => ((i * 13) % 200) as f32 / 199.0,
                1 => 0.0,
                2 => 1.0,
                _ => ((i * 7919) % 10007) as f32 / 10006.0,
            })
            .collect();
        let labels = (0..n)
            .map(|i| ((i * 31 + i / 3) % 3 == 0) as u8 as f32)
            .collect();
        let weights = (0..n).map(|i| (i % 5) as f32).collect();
        (preds, labels, weights)
    }

    /// The histogram by the general ranker, one element at a time.
    fn expected(
        preds: &[f32],
        labels: &[f32],
        weights: ElementWeights,
        even: &Even<f32>,
        cols: usize,
        per_column: bool,
        ranks: usize,
    ) -> Histogram {
        let slots = if per_column { cols } else { 1 };
        let mut hist = Histogram::new(slots, ranks);
        for k in 0..preds.len() {
            let slot = if per_column { k % cols } else { 0 };
            let w = weights.of_element(k, cols);
            let bucket = hist.bucket(slot, even.rank(preds[k]));
            hist.add(bucket, labels[k] == 1.0, w);
        }
        hist
    }

    fn assert_same(got: &Histogram, want: &Histogram) {
        for slot in 0..want.slots() {
            for rank in 0..want.ranks() {
                assert_eq!(
                    got.get(slot, rank),
                    want.get(slot, rank),
                    "({slot}, {rank})"
                );
            }
        }
    }

    #[test]
    fn equals_the_general_ranker() {
        let (preds, labels, weights) = inputs(3 * BLOCK_ELEMENTS + 123);
        let sets = [default_200(), ThresholdSet::keras(vec![0.0, 0.5, 1.0])];
        for set in &sets {
            let even = Even::<f32>::new(set);
            let ranks = set.len() + 1;
            for (cols, per_column) in [(1, false), (3, false), (3, true)] {
                let n = preds.len() / cols * cols;
                let forms = [
                    ElementWeights::Uniform(1.0),
                    ElementWeights::F32(&weights[..n]),
                    ElementWeights::RowsF32(&weights[..n / cols]),
                ];
                for form in forms {
                    let rows = Rows {
                        preds: &preds[..n],
                        labels: &labels[..n],
                        weights: form,
                        first: 0,
                        cols,
                        per_column,
                    };
                    let slots = if per_column { cols } else { 1 };
                    let mut got = Histogram::single_lane(slots, ranks);
                    count_table(&rows, &even, pooled_domain(true), &mut got).unwrap();
                    let want = expected(
                        &preds[..n],
                        &labels[..n],
                        form,
                        &even,
                        cols,
                        per_column,
                        ranks,
                    );
                    assert_same(&got, &want);
                }
            }
        }
    }

    #[test]
    fn a_scalar_weight_multiplies_the_counts() {
        let (preds, labels, _) = inputs(1000);
        let set = default_200();
        let even = Even::<f32>::new(&set);
        let rows = Rows {
            preds: &preds,
            labels: &labels,
            weights: ElementWeights::Uniform(2.5),
            first: 0,
            cols: 1,
            per_column: false,
        };
        let mut got = Histogram::new(1, set.len() + 1);
        count_table(&rows, &even, Domain::Finite, &mut got).unwrap();
        let uniform = ElementWeights::Uniform(1.0);
        let want = expected(&preds, &labels, uniform, &even, 1, false, set.len() + 1);
        for rank in 0..want.ranks() {
            let (neg, pos) = want.get(0, rank);
            assert_eq!(got.get(0, rank), (2.5 * neg, 2.5 * pos));
        }
    }

    #[test]
    fn reports_a_blocks_predictions_before_its_labels() {
        let (mut preds, mut labels, mut weights) = inputs(2 * BLOCK_ELEMENTS);
        let set = default_200();
        let even = Even::<f32>::new(&set);
        labels[5] = 2.0;
        preds[100] = 1.5;
        weights[3] = f32::NAN;
        let count = |preds: &[f32], labels: &[f32], weights: &[f32], domain| {
            let rows = Rows {
                preds,
                labels,
                weights: ElementWeights::F32(weights),
                first: 10,
                cols: 1,
                per_column: false,
            };
            let mut hist = Histogram::single_lane(1, set.len() + 1);
            count_table(&rows, &even, domain, &mut hist).unwrap_err()
        };
        assert_eq!(
            count(&preds, &labels, &weights, pooled_domain(true)),
            Bad::OutOfRange(110, 1.5)
        );
        // Any finite prediction is valid for Precision and the counts.
        let first = count(&preds, &labels, &weights, Domain::Finite);
        assert!(
            matches!(first, Bad::Weight(13, w) if w.is_nan()),
            "{first:?}"
        );
        preds[100] = 0.5;
        weights[3] = 1.0;
        labels[5] = 0.0;
        labels[BLOCK_ELEMENTS + 1] = -1.0;
        preds[BLOCK_ELEMENTS + 2] = f32::INFINITY;
        assert_eq!(
            count(&preds, &labels, &weights, Domain::Finite),
            Bad::Prediction(10 + BLOCK_ELEMENTS + 2, f64::INFINITY)
        );
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use crate::ranker::Even;
    use crate::thresholds::ThresholdSet;

    /// Single-thread multi-label time:
    /// `cargo test --release -p ferrometrics-core multi_label_time -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn multi_label_time() {
        let mut values = vec![-1e-7];
        values.extend((1..199).map(|i| i as f64 / 199.0));
        values.push(1.0 + 1e-7);
        let set = ThresholdSet::with_path(values, true);
        let even = Even::<f32>::new(&set);
        let (rows, cols) = (100_000, 50);
        let n = rows * cols;
        let preds: Vec<f32> = (0..n)
            .map(|i| ((i * 7919) % 10007) as f32 / 10006.0)
            .collect();
        let labels: Vec<f32> = (0..n).map(|i| (i % 3 == 0) as u8 as f32).collect();
        for (cols, per_column) in [(1, false), (cols, true)] {
            let r = Rows {
                preds: &preds,
                labels: &labels,
                weights: ElementWeights::Uniform(1.0),
                first: 0,
                cols,
                per_column,
            };
            let slots = if per_column { cols } else { 1 };
            let mut best = std::time::Duration::MAX;
            for _ in 0..20 {
                let t0 = std::time::Instant::now();
                let mut h = Histogram::single_lane(slots, 201);
                count_table(&r, &even, Domain::Finite, &mut h).unwrap();
                best = best.min(t0.elapsed());
            }
            eprintln!("{n} elements, {cols} columns: {best:?}");
        }
    }
}
