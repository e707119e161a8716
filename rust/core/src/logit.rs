//! Logits counted without a sigmoid per element (`from_logits=True`).
//!
//! A logit's rank is the rank of its sigmoid (correctly rounded to a float32
//! metric dtype, Keras's formula in float64) among the thresholds, as
//! [`crate::validate::checked`] computes it one element at a time. The sigmoid
//! and every ranker are non-decreasing, so that rank is a step function of the
//! logit with at most T steps. The steps are found once per batch, by searching
//! the ordered bit patterns of the metric dtype with that same element-wise
//! rank as the oracle, and become strict thresholds in logit space: the rank of
//! a logit is then the number of them below it, which the ordinary kernels
//! count at the speed of probabilities, bit for bit equal to the sigmoid path.

use crate::dtype::MetricDtype;
use crate::float::Float;
use crate::ranker::{AnyRanker, Few, Ranker};
use crate::thresholds::ThresholdSet;
use crate::tuning::LOGIT_MAX_CELLS;

/// A float type whose finite values can be enumerated in order through an
/// integer key (IEEE bit patterns, sign-folded): `a < b` implies
/// `key(a) < key(b)`, and -0.0 comes just before +0.0.
pub trait OrderedBits: Float {
    const MAX: Self;
    fn key(self) -> u64;
    fn from_key(key: u64) -> Self;
    /// The ranker counting strict logit thresholds (ascending).
    fn logit_ranker(strict: Vec<Self>) -> AnyRanker;
}

impl OrderedBits for f32 {
    const MAX: f32 = f32::MAX;
    fn key(self) -> u64 {
        let bits = self.to_bits();
        u64::from(if bits >> 31 == 1 {
            !bits
        } else {
            bits | 1 << 31
        })
    }
    fn from_key(key: u64) -> f32 {
        let key = key as u32;
        f32::from_bits(if key >> 31 == 1 {
            key & !(1 << 31)
        } else {
            !key
        })
    }
    fn logit_ranker(strict: Vec<f32>) -> AnyRanker {
        match Few::from_ascending(&strict) {
            Some(few) => AnyRanker::FewF32(few),
            None => AnyRanker::LogitF32(LogitCells::<f32>::new(strict)),
        }
    }
}

impl OrderedBits for f64 {
    const MAX: f64 = f64::MAX;
    fn key(self) -> u64 {
        let bits = self.to_bits();
        if bits >> 63 == 1 {
            !bits
        } else {
            bits | 1 << 63
        }
    }
    fn from_key(key: u64) -> f64 {
        f64::from_bits(if key >> 63 == 1 {
            key & !(1 << 63)
        } else {
            !key
        })
    }
    fn logit_ranker(strict: Vec<f64>) -> AnyRanker {
        match Few::from_ascending(&strict) {
            Some(few) => AnyRanker::FewF64(few),
            None => AnyRanker::LogitF64(LogitCells::<f64>::new(strict)),
        }
    }
}

/// The ranker that counts logits of the metric dtype as the probability
/// ranker `AnyRanker::new(thresholds, dtype)` counts their sigmoids.
pub fn logit_ranker(thresholds: &ThresholdSet, dtype: MetricDtype) -> AnyRanker {
    match AnyRanker::new(thresholds, dtype) {
        AnyRanker::EvenF32(r) => strict_thresholds(&r, thresholds),
        AnyRanker::EvenF64(r) => strict_thresholds(&r, thresholds),
        AnyRanker::FewF32(r) => strict_thresholds(&r, thresholds),
        AnyRanker::FewF64(r) => strict_thresholds(&r, thresholds),
        AnyRanker::DirectF32(r) => strict_thresholds(&r, thresholds),
        AnyRanker::DirectF64(r) => strict_thresholds(&r, thresholds),
        AnyRanker::LogitF32(_) | AnyRanker::LogitF64(_) => {
            unreachable!("AnyRanker::new ranks probabilities")
        }
    }
}

/// The rank of a logit on the element-wise path: its sigmoid's rank.
#[inline]
pub fn sigmoid_rank<R: Ranker>(ranker: &R, x: R::C) -> u32 {
    ranker.rank(x.sigmoid())
}

/// For each rank k in 1..=T, the largest logit still below rank k (so that
/// `rank(x) >= k` iff `strict[k - 1] < x`): -inf when every finite logit
/// reaches it, +inf when none does.
fn strict_thresholds<R>(ranker: &R, thresholds: &ThresholdSet) -> AnyRanker
where
    R: Ranker,
    R::C: OrderedBits,
{
    let strict: Vec<R::C> = thresholds
        .ascending_values()
        .enumerate()
        .map(|(i, t)| {
            let k = i as u32 + 1;
            // The sigmoid passes t near logit(t): where the search starts.
            let estimate = (t / (1.0 - t)).ln();
            strict_threshold(|x| sigmoid_rank(ranker, x) >= k, estimate)
        })
        .collect();
    debug_assert!(strict.windows(2).all(|w| w[0] <= w[1]));
    R::C::logit_ranker(strict)
}

/// The largest value `s` of `C` such that `reaches(x)` holds exactly for the
/// finite `x > s`, given that `reaches` is monotone (false, then true, over
/// the finite values in order). Searched from `estimate` outwards in
/// doubling steps, then by bisection.
fn strict_threshold<C: OrderedBits>(reaches: impl Fn(C) -> bool, estimate: f64) -> C {
    let (lowest, highest) = ((C::ZERO - C::MAX).key(), C::MAX.key());
    let at = |key: u64| reaches(C::from_key(key));
    if at(lowest) {
        return C::from_f64(f64::NEG_INFINITY);
    }
    if !at(highest) {
        return C::from_f64(f64::INFINITY);
    }
    // Invariant: !at(lo) and at(hi).
    let start = if estimate.is_nan() {
        C::ZERO.key()
    } else {
        C::from_f64(estimate).key()
    }
    .clamp(lowest, highest);
    let (mut lo, mut hi) = (lowest, highest);
    let mut step = 1u64;
    if at(start) {
        hi = start;
        while hi - lowest > step {
            let probe = hi - step;
            if !at(probe) {
                lo = probe;
                break;
            }
            hi = probe;
            step = step.saturating_mul(2);
        }
    } else {
        lo = start;
        while highest - lo > step {
            let probe = lo + step;
            if at(probe) {
                hi = probe;
                break;
            }
            lo = probe;
            step = step.saturating_mul(2);
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if at(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    // `lo` is the largest value below the step. If that is -0.0 (the step at
    // +0.0, which the equal -0.0 cannot be below), `-0.0 < 0.0` would be
    // false: step below -0.0 too.
    let below = C::from_key(lo);
    if lo + 1 == C::ZERO.key() {
        C::from_key(lo - 1)
    } else {
        below
    }
}

/// Strict thresholds anywhere on the real line (logit space), more than
/// [`crate::ranker::FEW_THRESHOLDS`]: the finite ones (or all but a few
/// outliers) span equal cells, each holding how many thresholds lie in
/// earlier cells and its own first two thresholds, so that a value is ranked
/// with one lookup and two comparisons. Cells are clamped at both ends, so
/// values outside the span need no search either; a cell with more than two
/// thresholds (cells too few for clustered thresholds) is searched.
#[derive(Debug, Clone)]
pub struct LogitCells<C> {
    lo: C,
    scale: C,
    last: C,
    cells: Vec<Cell<C>>,
    /// Some cell holds more than two thresholds.
    crowded: bool,
    /// No cell holds more than one threshold.
    single: bool,
    /// The ascending strict thresholds (possibly infinite).
    strict: Vec<C>,
}

/// One cell: thresholds in earlier cells (-inf ones included), its first
/// two thresholds (+inf when it has fewer) and where the next cell starts.
#[derive(Debug, Clone, Copy)]
struct Cell<C> {
    start: u32,
    end: u32,
    first: [C; 2],
}

macro_rules! logit_cells {
    ($c:ty) => {
        impl LogitCells<$c> {
            /// `strict`: ascending strict thresholds, possibly infinite.
            pub fn new(strict: Vec<$c>) -> Self {
                let finite: Vec<$c> = strict.iter().copied().filter(|t| t.is_finite()).collect();
                let below = strict.iter().filter(|&&t| t == <$c>::NEG_INFINITY).count();
                let fewest = (4 * strict.len())
                    .next_power_of_two()
                    .clamp(64, LOGIT_MAX_CELLS);
                // More cells, and then a span without a few outliers at each
                // end (thresholds at 0 or 1 map to logits far away, which the
                // clamped end cells then take), until no cell holds more than two.
                let mut best: Option<Self> = None;
                for trim in [0, finite.len() / 32] {
                    let mut cells = fewest;
                    loop {
                        let ranker = Self::with_cells(&strict, &finite, below, trim, cells);
                        let done = !ranker.crowded;
                        if best.as_ref().map_or(true, |b| b.crowded) {
                            best = Some(ranker);
                        }
                        if done || cells >= LOGIT_MAX_CELLS {
                            break;
                        }
                        cells *= 2;
                    }
                    if best.as_ref().is_some_and(|b| !b.crowded) {
                        break;
                    }
                }
                best.unwrap_or_else(|| Self::with_cells(&strict, &finite, below, 0, fewest))
            }

            fn with_cells(
                strict: &[$c],
                finite: &[$c],
                below: usize,
                trim: usize,
                cells: usize,
            ) -> Self {
                let (lo, hi) = match finite.len() {
                    0 => (0.0, 0.0),
                    n => (finite[trim], finite[n - 1 - trim]),
                };
                let width = hi - lo;
                let scale = if width > 0.0 && (cells as $c / width).is_finite() {
                    cells as $c / width
                } else {
                    0.0
                };
                let mut ranker = LogitCells {
                    lo,
                    scale,
                    last: (cells - 1) as $c,
                    cells: Vec::new(),
                    crowded: false,
                    single: false,
                    strict: strict.to_vec(),
                };
                let mut per_cell = vec![0u32; cells];
                for &t in finite {
                    per_cell[ranker.cell_of(t) as usize] += 1;
                }
                let mut start = below as u32;
                ranker.cells = per_cell
                    .iter()
                    .map(|&count| {
                        let at = |i: u32| {
                            if i < count {
                                strict[(start + i) as usize]
                            } else {
                                <$c>::INFINITY
                            }
                        };
                        let cell = Cell {
                            start,
                            end: start + count,
                            first: [at(0), at(1)],
                        };
                        start += count;
                        cell
                    })
                    .collect();
                ranker.crowded = per_cell.iter().any(|&count| count > 2);
                ranker.single = per_cell.iter().all(|&count| count <= 1);
                ranker
            }

            /// Non-decreasing in `x` (NaN: cell 0), clamped to the cells.
            #[inline(always)]
            pub fn cell_of(&self, x: $c) -> u32 {
                let pos = (x - self.lo) * self.scale;
                // `<`/`>` selects keep NaN in range and compile to min/max.
                let pos = if pos > 0.0 { pos } else { 0.0 };
                let pos = if pos < self.last { pos } else { self.last };
                // SAFETY: `pos` is in [0, cells - 1] (NaN became 0 above), and
                // cells are at most `LOGIT_MAX_CELLS`, far below 2^31.
                unsafe { pos.to_int_unchecked::<i32>() as u32 }
            }

            /// The rank of `x`, whose cell is `cell`.
            #[inline(always)]
            pub fn rank_in(&self, cell: u32, x: $c) -> u32 {
                let cell = &self.cells[cell as usize];
                if self.crowded {
                    let own = &self.strict[cell.start as usize..cell.end as usize];
                    return cell.start + own.partition_point(|&t| t < x) as u32;
                }
                // Thresholds of earlier cells are below x, of later cells
                // above it (the cell map is non-decreasing): only this cell's
                // (at most two) are compared.
                let second = !self.single && cell.first[1] < x;
                cell.start + u32::from(cell.first[0] < x) + u32::from(second)
            }
        }

        impl Ranker for LogitCells<$c> {
            type C = $c;
            #[inline(always)]
            fn rank(&self, x: $c) -> u32 {
                self.rank_in(self.cell_of(x), x)
            }
        }
    };
}
logit_cells!(f32);
logit_cells!(f64);

#[cfg(test)]
mod tests {
    use super::*;

    fn keras_auc(t: usize) -> ThresholdSet {
        let mut values = vec![-1e-7];
        values.extend((1..t - 1).map(|i| i as f64 / (t - 1) as f64));
        values.push(1.0 + 1e-7);
        ThresholdSet::with_path(values, true)
    }

    /// Direct-path threshold sets: AUC's end points around sorted values.
    fn auc_direct(mut inner: Vec<f64>) -> ThresholdSet {
        inner.sort_by(f64::total_cmp);
        let mut values = vec![-1e-7];
        values.extend(inner);
        values.push(1.0 + 1e-7);
        ThresholdSet::with_path(values, false)
    }

    /// A small deterministic generator (xorshift), for random thresholds.
    struct Xorshift(u64);
    impl Xorshift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn sets() -> Vec<ThresholdSet> {
        let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
        let mut sets = vec![
            keras_auc(200),
            keras_auc(3),
            keras_auc(11),
            keras_auc(1000),
            ThresholdSet::keras(vec![0.5]),
            ThresholdSet::keras(vec![0.0, 0.5, 1.0]),
            ThresholdSet::keras((0..50).map(|i| i as f64 / 49.0).collect()),
            auc_direct(vec![]),
            auc_direct(vec![0.0, 1e-7, 0.25, 0.5, 0.5, 1.0 - 1e-7, 1.0]),
            auc_direct(vec![1e-30, 1e-12, 0.1, 0.3, 0.7, 0.9, 1.0 - 1e-12]),
        ];
        for size in [5, 20, 100, 300] {
            sets.push(auc_direct((0..size).map(|_| rng.unit()).collect()));
            // Clustered near the ends, where float32 sigmoids saturate.
            sets.push(auc_direct((0..size).map(|_| rng.unit().powi(8)).collect()));
            sets.push(auc_direct(
                (0..size).map(|_| 1.0 - rng.unit().powi(8)).collect(),
            ));
        }
        sets
    }

    /// Logits to compare at: every threshold's step, a few thousand ULPs
    /// around each, and a sweep of bit patterns across the whole line.
    fn probes<C: OrderedBits>(strict: &[C], ulps: u64, sweep_step: u64) -> Vec<C> {
        let (lowest, highest) = ((C::ZERO - C::MAX).key(), C::MAX.key());
        let mut keys: Vec<u64> = Vec::new();
        for &s in strict {
            if s.to_f64().is_finite() {
                let k = s.key();
                keys.extend(k.saturating_sub(ulps).max(lowest)..=(k + ulps).min(highest));
            }
        }
        keys.extend((lowest..=highest).step_by(sweep_step as usize));
        keys.extend([lowest, highest, C::ZERO.key(), C::ZERO.key() - 1]);
        keys.into_iter().map(C::from_key).collect()
    }

    fn strict_of(ranker: &AnyRanker) -> Vec<f64> {
        match ranker {
            AnyRanker::LogitF32(c) => c.strict.iter().map(|&t| f64::from(t)).collect(),
            AnyRanker::LogitF64(c) => c.strict.clone(),
            AnyRanker::FewF32(f) => f.values().iter().map(|&t| f64::from(t)).collect(),
            AnyRanker::FewF64(f) => f.values().to_vec(),
            _ => panic!("not a logit ranker"),
        }
    }

    /// The steps in logit space, whichever ranker the set gets.
    fn steps(set: &ThresholdSet, dtype: MetricDtype) -> Vec<f64> {
        match AnyRanker::new(set, dtype) {
            AnyRanker::EvenF32(r) => strict_of(&strict_thresholds(&r, set)),
            AnyRanker::EvenF64(r) => strict_of(&strict_thresholds(&r, set)),
            AnyRanker::FewF32(r) => strict_of(&strict_thresholds(&r, set)),
            AnyRanker::FewF64(r) => strict_of(&strict_thresholds(&r, set)),
            AnyRanker::DirectF32(r) => strict_of(&strict_thresholds(&r, set)),
            AnyRanker::DirectF64(r) => strict_of(&strict_thresholds(&r, set)),
            _ => unreachable!(),
        }
    }

    /// A float32 logit's rank by the logit ranker, as the table kernel
    /// (buckets, the epsilon floor) and the block kernel (`rank`) take it.
    fn logit_rank_f32(ranker: &AnyRanker, x: f32) -> u32 {
        use crate::table_kernel::TableRanker;
        match ranker {
            AnyRanker::LogitF32(r) => {
                assert_eq!(r.rank_in(TableRanker::cell(r, x), x), r.rank(x));
                r.rank(x)
            }
            AnyRanker::FewF32(r) => r.rank(x),
            _ => unreachable!(),
        }
    }

    #[test]
    fn keys_enumerate_floats_in_order() {
        let values = [
            -f32::MAX,
            -1.0,
            -f32::MIN_POSITIVE,
            -1e-45,
            -0.0,
            0.0,
            1e-45,
            1.0,
            f32::MAX,
        ];
        for pair in values.windows(2) {
            assert!(pair[0].key() < pair[1].key(), "{pair:?}");
        }
        assert_eq!((-0.0f32).key() + 1, 0.0f32.key());
        for v in values {
            assert_eq!(f32::from_key(v.key()).to_bits(), v.to_bits());
            let w = f64::from(v);
            assert_eq!(f64::from_key(w.key()).to_bits(), w.to_bits());
        }
        assert_eq!((-0.0f64).key() + 1, 0.0f64.key());
    }

    /// The logit ranker equals the sigmoid's rank at and around every step
    /// (a few thousand ULPs each side) and across the float32 line.
    #[test]
    fn equals_the_elementwise_sigmoid_in_float32() {
        for set in sets() {
            let logit = logit_ranker(&set, MetricDtype::Float32);
            let strict: Vec<f32> = steps(&set, MetricDtype::Float32)
                .iter()
                .map(|&t| t as f32)
                .collect();
            let oracle = AnyRanker::new(&set, MetricDtype::Float32);
            for x in probes(&strict, 3000, 1 << 14) {
                let want = match &oracle {
                    AnyRanker::EvenF32(r) => sigmoid_rank(r, x),
                    AnyRanker::FewF32(r) => sigmoid_rank(r, x),
                    AnyRanker::DirectF32(r) => sigmoid_rank(r, x),
                    _ => unreachable!(),
                };
                let got = logit_rank_f32(&logit, x);
                assert_eq!(got, want, "logit {x:e} ({}) in {:?}", x.to_bits(), set);
            }
        }
    }

    #[test]
    fn equals_the_elementwise_sigmoid_in_float64() {
        for set in sets() {
            let logit = logit_ranker(&set, MetricDtype::Float64);
            let strict = steps(&set, MetricDtype::Float64);
            let oracle = AnyRanker::new(&set, MetricDtype::Float64);
            for x in probes(&strict, 2000, 1 << 46) {
                let want = match &oracle {
                    AnyRanker::EvenF64(r) => sigmoid_rank(r, x),
                    AnyRanker::FewF64(r) => sigmoid_rank(r, x),
                    AnyRanker::DirectF64(r) => sigmoid_rank(r, x),
                    _ => unreachable!(),
                };
                let got = match &logit {
                    AnyRanker::LogitF64(r) => r.rank(x),
                    AnyRanker::FewF64(r) => r.rank(x),
                    _ => unreachable!(),
                };
                assert_eq!(got, want, "logit {x:e} in {set:?}");
            }
        }
    }

    /// Every finite float32 logit, for Keras's default thresholds and two
    /// other even sets: run with `cargo test --release -- --ignored` (a few
    /// minutes per set on one core).
    #[test]
    #[ignore]
    fn equals_the_elementwise_sigmoid_on_every_float32() {
        for t in [200, 3, 1000] {
            let set = keras_auc(t);
            let logit = logit_ranker(&set, MetricDtype::Float32);
            let AnyRanker::EvenF32(even) = AnyRanker::new(&set, MetricDtype::Float32) else {
                panic!("not the even path");
            };
            let (lowest, highest) = ((-f32::MAX).key(), f32::MAX.key());
            for key in lowest..=highest {
                let x = f32::from_key(key);
                assert_eq!(
                    logit_rank_f32(&logit, x),
                    sigmoid_rank(&even, x),
                    "logit {x:e}"
                );
            }
        }
    }
}

#[cfg(test)]
mod timing {
    use super::*;
    use crate::histogram::Histogram;
    use crate::table_kernel::{count_table, Rows};
    use crate::validate::Domain;
    use crate::weights::ElementWeights;

    fn best(f: &dyn Fn()) -> std::time::Duration {
        let mut best = std::time::Duration::MAX;
        for _ in 0..40 {
            let t0 = std::time::Instant::now();
            f();
            best = best.min(t0.elapsed());
        }
        best
    }

    /// Single-thread kernel times, logits against probabilities:
    /// `cargo test --release -p ferrometrics-core logit_kernel_time -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn logit_kernel_time() {
        let mut values = vec![-1e-7];
        values.extend((1..199).map(|i| i as f64 / 199.0));
        values.push(1.0 + 1e-7);
        let set = ThresholdSet::with_path(values, true);
        let n = 1_000_000;
        let xs: Vec<f32> = (0..n)
            .map(|i| ((i * 7919) % 10007) as f32 / 1000.0 - 5.0)
            .collect();
        let ps: Vec<f32> = xs.iter().map(|&x| x.sigmoid()).collect();
        let ys: Vec<f32> = (0..n).map(|i| (i % 3 == 0) as u8 as f32).collect();
        let rows = |preds| Rows {
            preds,
            labels: &ys,
            weights: ElementWeights::Uniform(1.0),
            first: 0,
            cols: 1,
            per_column: false,
        };
        let AnyRanker::EvenF32(even) = AnyRanker::new(&set, MetricDtype::Float32) else {
            panic!("not the even path")
        };
        let AnyRanker::LogitF32(cells) = logit_ranker(&set, MetricDtype::Float32) else {
            panic!("not logit cells")
        };
        let prob = best(&|| {
            let mut h = Histogram::single_lane(1, 201);
            count_table(&rows(&ps), &even, Domain::Finite, &mut h).unwrap();
        });
        let logits = best(&|| {
            let mut h = Histogram::single_lane(1, 201);
            count_table(&rows(&xs), &cells, Domain::Finite, &mut h).unwrap();
        });
        eprintln!("1M elements: probabilities {prob:?}, logits {logits:?}");
    }
}
