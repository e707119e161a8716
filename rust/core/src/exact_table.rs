//! The state of exact curves: per distinct score, the weighted totals of
//! positives and negatives. ROC AUC, average precision and every point of
//! scikit-learn's curves depend on nothing else, and two tables merge exactly
//! by adding totals at equal scores.
//!
//! A batch is built into a table in three steps: validate and key every
//! element (in parallel parts), radix-sort the positives' and the negatives'
//! keys (`exact_sort.rs`), then walk both sorted runs at once, summing runs of
//! equal keys. Samples of weight 0 are left out, as scikit-learn leaves them
//! out: a score seen only with weight 0 is not a threshold.

use half::f16;
use rayon::prelude::*;

use crate::error::{CoreError, CoreResult};
use crate::exact_sort::{
    key32, key64, part_count, part_range, radix_sort, score32, score64, RadixItem, Weighted,
};
use crate::thresholds::py_float;
use crate::values::Label;

/// A 1-D array read in place: element `i` is `data[i * stride]` (a column of a
/// row-major matrix has the row length as stride).
#[derive(Debug, Clone, Copy)]
pub struct Column<'a, T> {
    data: &'a [T],
    stride: usize,
    len: usize,
}

impl<'a, T: Copy> Column<'a, T> {
    /// `len` elements `stride` apart in `data`.
    pub fn new(data: &'a [T], stride: usize, len: usize) -> CoreResult<Self> {
        let needed = if len == 0 {
            0
        } else {
            (len - 1)
                .checked_mul(stride)
                .and_then(|n| n.checked_add(1))
                .unwrap_or(usize::MAX)
        };
        if stride == 0 && len > 1 || needed > data.len() {
            return Err(CoreError::value(format!(
                "a column of {len} elements {stride} apart does not fit in {} elements",
                data.len()
            )));
        }
        Ok(Column { data, stride, len })
    }

    /// A contiguous slice.
    pub fn contiguous(data: &'a [T]) -> Self {
        Column {
            data,
            stride: 1,
            len: data.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline(always)]
    fn at(&self, i: usize) -> T {
        self.data[i * self.stride]
    }
}

/// Labels of any element type the crate reads.
#[derive(Debug, Clone, Copy)]
pub enum ExactLabels<'a> {
    Bool(Column<'a, bool>),
    U8(Column<'a, u8>),
    I8(Column<'a, i8>),
    I32(Column<'a, i32>),
    I64(Column<'a, i64>),
    F32(Column<'a, f32>),
    F64(Column<'a, f64>),
}

/// Scores: compared as their float64 value.
#[derive(Debug, Clone, Copy)]
pub enum ExactScores<'a> {
    F16(Column<'a, f16>),
    F32(Column<'a, f32>),
    F64(Column<'a, f64>),
}

/// Sample weights.
#[derive(Debug, Clone, Copy)]
pub enum ExactWeights<'a> {
    F32(Column<'a, f32>),
    F64(Column<'a, f64>),
}

/// One batch: labels, scores, optional weights, and the label that is positive.
#[derive(Debug, Clone, Copy)]
pub struct ExactBatch<'a> {
    pub labels: ExactLabels<'a>,
    pub scores: ExactScores<'a>,
    pub weights: Option<ExactWeights<'a>>,
    pub pos_label: f64,
}

impl ExactBatch<'_> {
    fn len(&self) -> usize {
        match self.scores {
            ExactScores::F16(c) => c.len(),
            ExactScores::F32(c) => c.len(),
            ExactScores::F64(c) => c.len(),
        }
    }
}

/// Distinct scores, strictly decreasing, with the weighted totals of the
/// positives and negatives that have each score.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExactTable {
    scores: Vec<f64>,
    positives: Vec<f64>,
    negatives: Vec<f64>,
}

impl ExactTable {
    pub fn new() -> Self {
        Self::default()
    }

    /// The table of one batch; the batch is validated whole first.
    pub fn build(batch: &ExactBatch) -> CoreResult<Self> {
        if !batch.pos_label.is_finite() {
            return Err(CoreError::value(format!(
                "`pos_label` must be a finite number. Received: pos_label={}",
                py_float(batch.pos_label)
            )));
        }
        let n = batch.len();
        let label_len = match batch.labels {
            ExactLabels::Bool(c) => c.len(),
            ExactLabels::U8(c) => c.len(),
            ExactLabels::I8(c) => c.len(),
            ExactLabels::I32(c) => c.len(),
            ExactLabels::I64(c) => c.len(),
            ExactLabels::F32(c) => c.len(),
            ExactLabels::F64(c) => c.len(),
        };
        let weight_len = match batch.weights {
            None => n,
            Some(ExactWeights::F32(c)) => c.len(),
            Some(ExactWeights::F64(c)) => c.len(),
        };
        if label_len != n || weight_len != n {
            let weights = match batch.weights {
                None => String::new(),
                Some(_) => format!(", sample_weight {weight_len}"),
            };
            return Err(CoreError::value(format!(
                "`y_true`, `y_score` and `sample_weight` must have the same length. Received: \
                 y_true {label_len}, y_score {n}{weights}"
            )));
        }
        macro_rules! with_labels {
            ($l:ident => $body:expr) => {
                match batch.labels {
                    ExactLabels::Bool($l) => $body,
                    ExactLabels::U8($l) => $body,
                    ExactLabels::I8($l) => $body,
                    ExactLabels::I32($l) => $body,
                    ExactLabels::I64($l) => $body,
                    ExactLabels::F32($l) => $body,
                    ExactLabels::F64($l) => $body,
                }
            };
        }
        macro_rules! with_scores {
            ($l:ident, $w:ident, $e32:ty, $e64:ty) => {
                match batch.scores {
                    ExactScores::F16(s) => build_typed::<_, _, _, $e32>($l, s, $w, batch.pos_label),
                    ExactScores::F32(s) => build_typed::<_, _, _, $e32>($l, s, $w, batch.pos_label),
                    ExactScores::F64(s) => build_typed::<_, _, _, $e64>($l, s, $w, batch.pos_label),
                }
            };
        }
        with_labels!(l => match batch.weights {
            None => {
                let w = Unit;
                with_scores!(l, w, u32, u64)
            }
            Some(ExactWeights::F32(w)) => with_scores!(l, w, Weighted<u32>, Weighted<u64>),
            Some(ExactWeights::F64(w)) => with_scores!(l, w, Weighted<u32>, Weighted<u64>),
        })
    }

    /// A table from saved arrays: scores finite and strictly decreasing, totals finite.
    pub fn from_saved(
        scores: Vec<f64>,
        positives: Vec<f64>,
        negatives: Vec<f64>,
    ) -> CoreResult<Self> {
        let corrupt = |what: String| CoreError::value(format!("Corrupt exact-curve state: {what}"));
        if positives.len() != scores.len() || negatives.len() != scores.len() {
            return Err(corrupt(format!(
                "{} scores, {} positive totals and {} negative totals (the three must have the \
                 same length)",
                scores.len(),
                positives.len(),
                negatives.len()
            )));
        }
        if let Some(i) = scores.iter().position(|s| !s.is_finite()) {
            return Err(corrupt(format!(
                "score {} at index {i}",
                py_float(scores[i])
            )));
        }
        if let Some(i) = scores.windows(2).position(|w| w[0] <= w[1]) {
            return Err(corrupt(format!(
                "scores must be strictly decreasing: {} then {} at index {}",
                py_float(scores[i]),
                py_float(scores[i + 1]),
                i + 1
            )));
        }
        for (name, totals) in [("positive", &positives), ("negative", &negatives)] {
            if let Some(i) = totals.iter().position(|t| !t.is_finite()) {
                return Err(corrupt(format!(
                    "{name} total {} at index {i}",
                    py_float(totals[i])
                )));
            }
        }
        // -0.0 and 0.0 are one score; keep the one spelling keys produce.
        let scores = scores.into_iter().map(|s| s + 0.0).collect();
        Ok(ExactTable {
            scores,
            positives,
            negatives,
        })
    }

    /// Number of distinct scores.
    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    /// The distinct scores, strictly decreasing.
    pub fn scores(&self) -> &[f64] {
        &self.scores
    }

    /// Weighted total of the positives at each score.
    pub fn positives(&self) -> &[f64] {
        &self.positives
    }

    /// Weighted total of the negatives at each score.
    pub fn negatives(&self) -> &[f64] {
        &self.negatives
    }

    /// Weighted total of all positives.
    pub fn positive_total(&self) -> f64 {
        self.positives.iter().sum()
    }

    /// Weighted total of all negatives.
    pub fn negative_total(&self) -> f64 {
        self.negatives.iter().sum()
    }

    /// Adds `other`: totals of equal scores add up, other scores are inserted
    /// in order. Linear in the two lengths.
    pub fn merge(&mut self, other: &ExactTable) {
        if other.is_empty() {
            return;
        }
        if self.is_empty() {
            *self = other.clone();
            return;
        }
        let capacity = self.len() + other.len();
        let mut merged = ExactTable {
            scores: Vec::with_capacity(capacity),
            positives: Vec::with_capacity(capacity),
            negatives: Vec::with_capacity(capacity),
        };
        let (mut i, mut j) = (0, 0);
        while i < self.len() && j < other.len() {
            let (a, b) = (self.scores[i], other.scores[j]);
            if a > b {
                merged.push(a, self.positives[i], self.negatives[i]);
                i += 1;
            } else if b > a {
                merged.push(b, other.positives[j], other.negatives[j]);
                j += 1;
            } else {
                merged.push(
                    a,
                    self.positives[i] + other.positives[j],
                    self.negatives[i] + other.negatives[j],
                );
                i += 1;
                j += 1;
            }
        }
        merged.extend_from(self, i);
        merged.extend_from(other, j);
        *self = merged;
    }

    /// [`ExactTable::merge`] taking `other` by value: no copy when this table is empty.
    pub fn absorb(&mut self, other: ExactTable) {
        if self.is_empty() {
            *self = other;
        } else {
            self.merge(&other);
        }
    }

    fn push(&mut self, score: f64, positive: f64, negative: f64) {
        self.scores.push(score);
        self.positives.push(positive);
        self.negatives.push(negative);
    }

    fn extend_from(&mut self, other: &ExactTable, from: usize) {
        self.scores.extend_from_slice(&other.scores[from..]);
        self.positives.extend_from_slice(&other.positives[from..]);
        self.negatives.extend_from_slice(&other.negatives[from..]);
    }
}

/// A score element type: finite check and its descending-order key.
trait Score: Copy + Send + Sync {
    type Key: RadixItem<Key = Self::Key> + Ord + Default;
    fn to_f64(self) -> f64;
    fn key(self) -> Self::Key;
    fn score(key: Self::Key) -> f64;
}

impl Score for f16 {
    type Key = u32;
    fn to_f64(self) -> f64 {
        f16::to_f64(self)
    }
    #[inline(always)]
    fn key(self) -> u32 {
        key32(self.to_f32())
    }
    fn score(key: u32) -> f64 {
        score32(key)
    }
}

impl Score for f32 {
    type Key = u32;
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn key(self) -> u32 {
        key32(self)
    }
    fn score(key: u32) -> f64 {
        score32(key)
    }
}

impl Score for f64 {
    type Key = u64;
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn key(self) -> u64 {
        key64(self)
    }
    fn score(key: u64) -> f64 {
        score64(key)
    }
}

/// What a sort carries per element: the key alone (unit weights), or the key and its weight.
trait Entry: RadixItem {
    fn entry(key: Self::Key, weight: f64) -> Self;
    fn weight(&self) -> f64;
}

impl<K: RadixItem<Key = K> + Ord + Default> Entry for K {
    #[inline(always)]
    fn entry(key: K, _weight: f64) -> Self {
        key
    }
    #[inline(always)]
    fn weight(&self) -> f64 {
        1.0
    }
}

impl<K: RadixItem<Key = K> + Ord + Default> Entry for Weighted<K> {
    #[inline(always)]
    fn entry(key: K, weight: f64) -> Self {
        Weighted { key, weight }
    }
    #[inline(always)]
    fn weight(&self) -> f64 {
        self.weight
    }
}

/// Sample weights as the build reads them.
trait Weights: Copy + Send + Sync {
    fn at(&self, i: usize) -> f64;
}

#[derive(Clone, Copy)]
struct Unit;

impl Weights for Unit {
    #[inline(always)]
    fn at(&self, _i: usize) -> f64 {
        1.0
    }
}

impl Weights for Column<'_, f32> {
    #[inline(always)]
    fn at(&self, i: usize) -> f64 {
        f64::from(Column::at(self, i))
    }
}

impl Weights for Column<'_, f64> {
    #[inline(always)]
    fn at(&self, i: usize) -> f64 {
        Column::at(self, i)
    }
}

/// The first bad value of a part, by index.
fn bad_value(name: &str, index: usize, value: f64) -> CoreError {
    CoreError::value(format!(
        "`{name}` must contain finite numbers. Received: {} at index {index}",
        py_float(value)
    ))
}

fn build_typed<L, S, W, E>(
    labels: Column<L>,
    scores: Column<S>,
    weights: W,
    pos_label: f64,
) -> CoreResult<ExactTable>
where
    L: Label,
    S: Score<Key = E::Key>,
    W: Weights,
    E: Entry,
{
    let n = scores.len();
    let parts = part_count(n);
    // Pass 1: validate everything and count the kept positives and negatives
    // of each part, so pass 2 writes each part's keys straight into place.
    let counts = crate::exact_sort::for_parts(parts, |p| -> CoreResult<(usize, usize)> {
        let (mut pos, mut neg) = (0, 0);
        for i in part_range(n, parts, p) {
            let label = labels.at(i).to_f64();
            if !label.is_finite() {
                return Err(bad_value("y_true", i, label));
            }
            let score = scores.at(i).to_f64();
            if !score.is_finite() {
                return Err(bad_value("y_score", i, score));
            }
            let weight = weights.at(i);
            if !weight.is_finite() {
                return Err(bad_value("sample_weight", i, weight));
            }
            let kept = usize::from(weight != 0.0);
            let positive = usize::from(label == pos_label);
            pos += kept & positive;
            neg += kept & (1 - positive);
        }
        Ok((pos, neg))
    })
    .into_iter()
    .collect::<CoreResult<Vec<_>>>()?;
    let total_pos: usize = counts.iter().map(|c| c.0).sum();
    let total_neg: usize = counts.iter().map(|c| c.1).sum();
    let mut pos = vec![E::entry(Default::default(), 0.0); total_pos];
    let mut neg = vec![E::entry(Default::default(), 0.0); total_neg];
    let jobs: Vec<_> = split_parts(&mut pos, counts.iter().map(|c| c.0))
        .into_iter()
        .zip(split_parts(&mut neg, counts.iter().map(|c| c.1)))
        .enumerate()
        .collect();
    for_each_part(jobs, |(p, (pos_out, neg_out))| {
        // Branch-free on the label (random labels would mispredict): every
        // entry is offered to both outputs and only its own class's advances.
        let (mut a, mut b) = (0, 0);
        for i in part_range(n, parts, p) {
            let weight = weights.at(i);
            let entry = E::entry(scores.at(i).key(), weight);
            let kept = weight != 0.0;
            let positive = labels.at(i).to_f64() == pos_label;
            if a < pos_out.len() {
                pos_out[a] = entry;
            }
            if b < neg_out.len() {
                neg_out[b] = entry;
            }
            a += usize::from(kept & positive);
            b += usize::from(kept & !positive);
        }
    });
    let (mut pos, mut neg) = join(|| radix_sort(pos), || radix_sort(neg), parts > 1);
    pos.push(E::entry(E::END, 0.0));
    neg.push(E::entry(E::END, 0.0));
    Ok(walk::<S, E>(&pos, &neg))
}

/// `data` cut into consecutive slices of the given lengths.
fn split_parts<T>(mut data: &mut [T], lengths: impl Iterator<Item = usize>) -> Vec<&mut [T]> {
    let mut out = Vec::new();
    for len in lengths {
        let (head, tail) = data.split_at_mut(len);
        out.push(head);
        data = tail;
    }
    out
}

/// Runs `f` on every job, on the pool when there are several.
fn for_each_part<J: Send>(jobs: Vec<J>, f: impl Fn(J) + Sync + Send) {
    if jobs.len() > 1 {
        if let Some(pool) = crate::pool::pool() {
            pool.install(|| jobs.into_par_iter().for_each(f));
            return;
        }
    }
    jobs.into_iter().for_each(f);
}

/// `(a(), b())`, side by side on the pool when `parallel`.
fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
    parallel: bool,
) -> (A, B) {
    if parallel {
        if let Some(pool) = crate::pool::pool() {
            return pool.install(|| rayon::join(a, b));
        }
    }
    (a(), b())
}

/// The table of sorted positives and negatives, each ending with an
/// [`RadixItem::END`] key: one row per distinct key, summing each run of equal
/// keys (in input order, the sort being stable).
///
/// Large inputs are cut by key into parts walked in parallel twice: once to
/// count each part's rows, once to write them into place. Writing is mostly
/// first touches of fresh pages, so it pays to spread it over the threads.
fn walk<S: Score, E: Entry<Key = S::Key>>(pos: &[E], neg: &[E]) -> ExactTable {
    let (pos_len, neg_len) = (pos.len() - 1, neg.len() - 1);
    let parts = part_count(pos_len + neg_len);
    // Part p holds the keys from splits[p] (inclusive) to splits[p + 1]: runs of
    // equal keys never straddle two parts.
    let larger = if pos_len >= neg_len { pos } else { neg };
    let larger_len = pos_len.max(neg_len);
    let bounds: Vec<(usize, usize)> = (0..=parts)
        .map(|p| {
            if p == 0 {
                (0, 0)
            } else if p == parts {
                (pos_len, neg_len)
            } else {
                let split = larger[p * larger_len / parts].key();
                (
                    pos[..pos_len].partition_point(|e| e.key() < split),
                    neg[..neg_len].partition_point(|e| e.key() < split),
                )
            }
        })
        .collect();
    let range = |p: usize| (bounds[p], bounds[p + 1]);
    let rows: Vec<usize> = crate::exact_sort::for_parts(parts, |p| {
        let mut rows = 0;
        walk_range(pos, neg, range(p), |_, _, _| rows += 1);
        rows
    });
    let total: usize = rows.iter().sum();
    let mut table = ExactTable {
        scores: vec![0.0; total],
        positives: vec![0.0; total],
        negatives: vec![0.0; total],
    };
    let jobs: Vec<_> = split_parts(&mut table.scores, rows.iter().copied())
        .into_iter()
        .zip(split_parts(&mut table.positives, rows.iter().copied()))
        .zip(split_parts(&mut table.negatives, rows.iter().copied()))
        .enumerate()
        .collect();
    for_each_part(jobs, |(p, ((scores, positives), negatives))| {
        let mut row = 0;
        walk_range(pos, neg, range(p), |key, p, q| {
            scores[row] = S::score(key);
            positives[row] = p;
            negatives[row] = q;
            row += 1;
        });
    });
    table
}

/// Calls `row(key, positive total, negative total)` for each distinct key of
/// `pos[a..a_end]` and `neg[b..b_end]`, in order. The element after each range
/// exists and has a larger key (the next part's, or the end marker). Mostly
/// branch-free: with distinct scores, whether the next key is a positive's
/// is random.
#[inline(always)]
fn walk_range<E: Entry>(
    pos: &[E],
    neg: &[E],
    ((mut i, mut j), (i_end, j_end)): ((usize, usize), (usize, usize)),
    mut row: impl FnMut(E::Key, f64, f64),
) {
    while i < i_end || j < j_end {
        let (a, b) = (pos[i], neg[j]);
        let key = std::cmp::min(a.key(), b.key());
        let (take_a, take_b) = (a.key() == key, b.key() == key);
        let mut p = if take_a { a.weight() } else { 0.0 };
        let mut q = if take_b { b.weight() } else { 0.0 };
        i += usize::from(take_a);
        j += usize::from(take_b);
        while pos[i].key() == key {
            p += pos[i].weight();
            i += 1;
        }
        while neg[j].key() == key {
            q += neg[j].weight();
            j += 1;
        }
        row(key, p, q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch<'a>(
        labels: &'a [f32],
        scores: &'a [f32],
        weights: Option<&'a [f64]>,
    ) -> ExactBatch<'a> {
        ExactBatch {
            labels: ExactLabels::F32(Column::contiguous(labels)),
            scores: ExactScores::F32(Column::contiguous(scores)),
            weights: weights.map(|w| ExactWeights::F64(Column::contiguous(w))),
            pos_label: 1.0,
        }
    }

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn rows_are_distinct_scores_with_class_totals() {
        let t = ExactTable::build(&batch(
            &[1.0, 0.0, 1.0, 1.0, 0.0],
            &[0.5, 0.5, 0.25, -0.0, 0.0],
            None,
        ))
        .unwrap();
        assert_eq!(t.scores(), [0.5, 0.25, 0.0]);
        assert_eq!(t.positives(), [1.0, 1.0, 1.0]);
        assert_eq!(t.negatives(), [1.0, 0.0, 1.0]);
        // float32 scores are widened exactly: 0.1f32 is not 0.1.
        let t = ExactTable::build(&batch(&[1.0], &[0.1], None)).unwrap();
        assert_eq!(t.scores(), [f64::from(0.1f32)]);
    }

    #[test]
    fn pos_label_and_strided_columns() {
        let matrix = [2i64, 7, 5, 7, 2, 9]; // 3 rows x 2: column 0 is [2, 5, 2]
        let scores = [0.1f64, 0.9, 0.4];
        let t = ExactTable::build(&ExactBatch {
            labels: ExactLabels::I64(Column::new(&matrix, 2, 3).unwrap()),
            scores: ExactScores::F64(Column::contiguous(&scores)),
            weights: None,
            pos_label: 2.0,
        })
        .unwrap();
        assert_eq!(t.scores(), [0.9, 0.4, 0.1]);
        assert_eq!(t.positives(), [0.0, 1.0, 1.0]);
        assert!(Column::new(&matrix, 2, 4).is_err());
    }

    #[test]
    fn bad_input_is_refused() {
        let err = |b: ExactBatch| ExactTable::build(&b).unwrap_err().message().to_string();
        assert!(err(batch(&[1.0, 0.0], &[0.5, f32::NAN], None)).contains("`y_score`"));
        assert!(err(batch(&[1.0, 0.0], &[0.5, f32::INFINITY], None)).contains("inf at index 1"));
        assert!(err(batch(&[f32::NAN], &[0.5], None)).contains("`y_true`"));
        assert!(err(batch(&[1.0], &[0.5], Some(&[f64::NAN]))).contains("`sample_weight`"));
        assert!(err(batch(&[1.0, 0.0], &[0.5], None)).contains("same length"));
        assert!(err(batch(&[1.0], &[0.5], Some(&[1.0, 2.0]))).contains("same length"));
    }

    #[test]
    fn merging_in_any_split_and_order_gives_the_whole_table() {
        let mut seed = 3;
        for &n in &[50usize, 300_000] {
            let labels: Vec<f32> = (0..n).map(|_| (lcg(&mut seed) % 2) as f32).collect();
            // A small alphabet: many ties, within and across parts.
            let scores: Vec<f32> = (0..n)
                .map(|_| (lcg(&mut seed) % 97) as f32 / 7.0 - 3.0)
                .collect();
            let whole = ExactTable::build(&batch(&labels, &scores, None)).unwrap();
            assert!(whole.scores().windows(2).all(|w| w[0] > w[1]));
            assert_eq!(whole.positive_total() + whole.negative_total(), n as f64);
            let cut = |a: usize, b: usize| {
                ExactTable::build(&batch(&labels[a..b], &scores[a..b], None)).unwrap()
            };
            let (x, y, z) = (cut(0, n / 3), cut(n / 3, n / 2), cut(n / 2, n));
            let mut left = x.clone();
            left.merge(&y);
            left.merge(&z);
            let mut right = z.clone();
            let mut yx = y.clone();
            yx.merge(&x);
            right.merge(&yx);
            assert_eq!(left, whole);
            assert_eq!(right, whole);
            let mut empty = ExactTable::new();
            empty.merge(&whole);
            assert_eq!(empty, whole);
        }
    }

    #[test]
    fn parallel_build_equals_serial_sort() {
        let mut seed = 11;
        let n = 1 << 19;
        let labels: Vec<f32> = (0..n).map(|_| (lcg(&mut seed) % 2) as f32).collect();
        let scores: Vec<f32> = (0..n)
            .map(|_| (lcg(&mut seed) as f32 / 2e9) - 0.5)
            .collect();
        let weights: Vec<f64> = (0..n).map(|_| (lcg(&mut seed) % 5) as f64 * 0.25).collect();
        let t = ExactTable::build(&batch(&labels, &scores, Some(&weights))).unwrap();
        let mut rows: Vec<(f64, f64, f64)> = (0..n)
            .filter(|&i| weights[i] != 0.0)
            .map(|i| {
                let w = weights[i];
                let pos = labels[i] == 1.0;
                (
                    f64::from(scores[i]),
                    if pos { w } else { 0.0 },
                    if pos { 0.0 } else { w },
                )
            })
            .collect();
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut expected = ExactTable::new();
        for (s, p, q) in rows {
            if expected.scores.last() == Some(&s) {
                *expected.positives.last_mut().unwrap() += p;
                *expected.negatives.last_mut().unwrap() += q;
            } else {
                expected.push(s, p, q);
            }
        }
        assert_eq!(t, expected);
    }

    #[test]
    fn saved_state_is_checked() {
        assert!(ExactTable::from_saved(vec![0.5, 0.2], vec![1.0, 0.0], vec![0.0, 1.0]).is_ok());
        assert!(ExactTable::from_saved(vec![0.2, 0.5], vec![1.0, 0.0], vec![0.0, 1.0]).is_err());
        assert!(ExactTable::from_saved(vec![0.5, 0.5], vec![1.0, 0.0], vec![0.0, 1.0]).is_err());
        assert!(ExactTable::from_saved(vec![f64::NAN], vec![1.0], vec![0.0]).is_err());
        assert!(ExactTable::from_saved(vec![0.5], vec![f64::INFINITY], vec![0.0]).is_err());
        assert!(ExactTable::from_saved(vec![0.5], vec![1.0], vec![]).is_err());
    }
}
