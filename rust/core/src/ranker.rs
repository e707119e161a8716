//! A prediction's rank: how many of the (ascending) thresholds it exceeds.
//!
//! Both of Keras's counting paths reduce to a rank in `0..=T`; the kernel then
//! adds each sample's weight to a histogram bucket per rank, and suffix sums
//! turn the histogram into counts at every threshold.

use crate::dtype::MetricDtype;
use crate::float::Float;
use crate::logit::LogitCells;
use crate::thresholds::ThresholdSet;

/// Maps a prediction (already in the metric dtype) to its rank in `0..=T`.
pub trait Ranker: Sync {
    type C: Float;
    fn rank(&self, x: Self::C) -> u32;
}

/// Keras's even path: `ceil(clip(p, 0, 1) * (T - 1))` computed in the metric
/// dtype, raised to 1 when the end thresholds carry epsilon. The rank is
/// Keras's bucket index plus one.
#[derive(Debug, Clone, Copy)]
pub struct Even<C> {
    t_minus_1: C,
    min_rank: u32,
    /// `T - 1 < 2^31`: the bucket fits an `i32` conversion, which vectorises.
    fast_bucket: bool,
}

/// Keras's even-path bucket `ceil(clip(p, 0, 1) * (T - 1))` without the
/// epsilon adjustment, in a form the compiler vectorises (no saturating
/// float-to-int conversion, no libm `ceil`).
pub trait EvenBucket: Float {
    fn even_bucket(self, even: &Even<Self>) -> u32;
}

/// Thresholds few enough for [`Few`].
pub const FEW_THRESHOLDS: usize = 8;

/// The direct path for at most [`FEW_THRESHOLDS`] thresholds (Precision's
/// default 0.5, a handful of operating points): the prediction is compared
/// with every threshold, padded to a fixed count with +infinity, so the loop
/// has no branches, no table lookup and vectorises. Gives the same rank as
/// [`Direct`] for every value (NaN: 0).
#[derive(Debug, Clone, Copy)]
pub struct Few<C> {
    padded: [C; FEW_THRESHOLDS],
}

impl<C: Float> Few<C> {
    /// `None` when there are more than [`FEW_THRESHOLDS`] thresholds.
    pub fn new(thresholds: &ThresholdSet) -> Option<Self> {
        if thresholds.len() > FEW_THRESHOLDS {
            return None;
        }
        let mut padded = [C::from_f64(f64::INFINITY); FEW_THRESHOLDS];
        for (slot, t) in padded.iter_mut().zip(thresholds.ascending_values()) {
            *slot = C::from_f64(t);
        }
        Some(Few { padded })
    }

    /// From ascending values already in the metric dtype (logit thresholds,
    /// which may be infinite); `None` when there are more than
    /// [`FEW_THRESHOLDS`].
    pub fn from_ascending(values: &[C]) -> Option<Self> {
        if values.len() > FEW_THRESHOLDS {
            return None;
        }
        let mut padded = [C::from_f64(f64::INFINITY); FEW_THRESHOLDS];
        padded[..values.len()].copy_from_slice(values);
        Some(Few { padded })
    }

    /// The thresholds, padded with +infinity.
    pub fn values(&self) -> &[C] {
        &self.padded
    }
}

impl<C: Float> Ranker for Few<C> {
    type C = C;
    #[inline(always)]
    fn rank(&self, x: C) -> u32 {
        self.padded.iter().map(|&t| u32::from(t < x)).sum()
    }
}

/// The direct path: the number of thresholds strictly below the prediction,
/// compared in the metric dtype. [0, 1] is cut into equal cells, each knowing
/// how many thresholds lie in earlier cells, so a prediction is compared with
/// the few thresholds of its own cell only (a binary search outside [0, 1]).
#[derive(Debug, Clone)]
pub struct Direct<C> {
    ascending: Vec<C>,
    /// Cells in [0, 1], as a float for the cell computation.
    cells: C,
    /// `starts[j]`: thresholds in cells before `j` (below 0 included);
    /// `cells + 1` entries.
    starts: Vec<u32>,
    /// The most thresholds in one cell, rounded up to 1, 2, 4 or 8 (or more:
    /// then cells are searched).
    window: usize,
    /// `ascending` followed by `window` copies of +infinity.
    padded: Vec<C>,
}

macro_rules! even_rank {
    ($c:ty, $uint:ty) => {
        impl Ranker for Even<$c> {
            type C = $c;
            #[inline(always)]
            fn rank(&self, x: $c) -> u32 {
                let scaled = x.clamp(0.0, 1.0) * self.t_minus_1;
                // ceil without a libm call: truncation is floor for scaled >= 0,
                // and every float this large or larger is an integer already.
                let floor = scaled as $uint;
                let ceil = floor + <$uint>::from((floor as $c) < scaled);
                (ceil as u32).max(self.min_rank)
            }
        }

        impl EvenBucket for $c {
            #[inline(always)]
            fn even_bucket(self, even: &Even<$c>) -> u32 {
                // `<`/`>` selects compile to min/max instructions and keep NaN
                // in range (it becomes 1; the caller has flagged it invalid).
                let x = if self < 1.0 { self } else { 1.0 };
                let x = if x > 0.0 { x } else { 0.0 };
                let scaled = x * even.t_minus_1;
                debug_assert!(even.fast_bucket);
                // SAFETY: `scaled` is in [0, T - 1] (NaN was mapped to 1 above),
                // and callers check `fast_bucket`, which guarantees T - 1 < 2^31.
                let floor = unsafe { scaled.to_int_unchecked::<i32>() };
                (floor + i32::from((floor as $c) < scaled)) as u32
            }
        }

        impl Ranker for Direct<$c> {
            type C = $c;
            #[inline(always)]
            fn rank(&self, x: $c) -> u32 {
                if !(0.0..=1.0).contains(&x) {
                    return self.ascending.partition_point(|&t| t < x) as u32;
                }
                let cell = self.cell_of(x);
                let start = self.starts[cell];
                // Thresholds of later cells (and the padding) are above x, so
                // a fixed window can be compared without branches.
                match self.window {
                    0 => start,
                    1 => start + self.count_below::<1>(start, x),
                    2 => start + self.count_below::<2>(start, x),
                    4 => start + self.count_below::<4>(start, x),
                    8 => start + self.count_below::<8>(start, x),
                    _ => {
                        // Many thresholds in one cell: a binary search keeps
                        // clustered thresholds O(log T).
                        let cell = &self.ascending[start as usize..self.starts[cell + 1] as usize];
                        start + cell.partition_point(|&t| t < x) as u32
                    }
                }
            }
        }

        impl Direct<$c> {
            /// The cell of a value in [0, 1]: monotone in the value, so a
            /// threshold in an earlier cell is below every value of this one.
            #[inline(always)]
            fn cell_of(&self, x: $c) -> usize {
                let last = self.starts.len() - 2;
                ((x * self.cells) as usize).min(last)
            }

            #[inline(always)]
            fn count_below<const K: usize>(&self, start: u32, x: $c) -> u32 {
                let start = start as usize;
                let window = &self.padded[start..start + K];
                window.iter().map(|&t| u32::from(t < x)).sum()
            }

            pub fn new(thresholds: &ThresholdSet) -> Self {
                let ascending: Vec<$c> = thresholds.ascending_values().map(|v| v as $c).collect();
                let cells = (4 * ascending.len()).next_power_of_two().clamp(64, 1 << 16);
                let mut direct = Direct {
                    ascending,
                    cells: cells as $c,
                    starts: vec![0; cells + 1],
                    window: 0,
                    padded: Vec::new(),
                };
                // Count thresholds per cell (below 0 into the first start),
                // then prefix-sum into starts.
                let mut per_cell = vec![0u32; cells + 1];
                for &t in &direct.ascending {
                    if t < 0.0 {
                        per_cell[0] += 1;
                    } else if t <= 1.0 {
                        per_cell[direct.cell_of(t) + 1] += 1;
                    }
                }
                let most = per_cell[1..].iter().copied().max().unwrap_or(0) as usize;
                let mut total = 0;
                for (start, count) in direct.starts.iter_mut().zip(per_cell) {
                    total += count;
                    *start = total;
                }
                direct.window = if most <= 8 {
                    most.next_power_of_two()
                } else {
                    most
                };
                direct.padded = direct.ascending.clone();
                direct
                    .padded
                    .extend(std::iter::repeat(<$c>::INFINITY).take(direct.window));
                direct
            }
        }
    };
}
even_rank!(f32, u32);
even_rank!(f64, u64);

impl<C: Float> Even<C> {
    pub fn new(thresholds: &ThresholdSet) -> Self {
        let t_minus_1 = thresholds.len() - 1;
        Even {
            t_minus_1: C::from_f64(t_minus_1 as f64),
            min_rank: u32::from(thresholds.epsilon_ends()),
            fast_bucket: t_minus_1 < (1 << 31),
        }
    }

    /// Whether [`EvenBucket`] may be used with this ranker.
    pub fn fast_bucket(&self) -> bool {
        self.fast_bucket
    }

    /// The lowest rank: 1 when the end thresholds carry epsilon (a prediction
    /// of 0 then exceeds the first threshold, -epsilon), else 0.
    pub fn min_rank(&self) -> u32 {
        self.min_rank
    }
}

/// The ranker for a threshold set in a metric dtype: Keras's even path, or the
/// direct path (few thresholds compared with all, many through cells).
pub enum AnyRanker {
    EvenF32(Even<f32>),
    EvenF64(Even<f64>),
    FewF32(Few<f32>),
    FewF64(Few<f64>),
    DirectF32(Direct<f32>),
    DirectF64(Direct<f64>),
    /// Logits against their thresholds in logit space (see [`crate::logit`]).
    LogitF32(LogitCells<f32>),
    LogitF64(LogitCells<f64>),
}

impl AnyRanker {
    pub fn new(thresholds: &ThresholdSet, dtype: MetricDtype) -> Self {
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

    /// Whether the table kernel can rank with it (the even path's bucket must
    /// fit its vectorised conversion).
    pub fn table_ready(&self) -> bool {
        match self {
            AnyRanker::EvenF32(even) => even.fast_bucket(),
            AnyRanker::EvenF64(even) => even.fast_bucket(),
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::thresholds::NEG_INF;

    fn even_200() -> ThresholdSet {
        let mut values = vec![-1e-7];
        values.extend((0..198).map(|i| (i + 1) as f64 / 199.0));
        values.push(1.0 + 1e-7);
        ThresholdSet::with_path(values, true)
    }

    #[test]
    fn even_path_keeps_the_float32_rounding_quirk() {
        let ranker = Even::<f32>::new(&even_200());
        for k in [31u32, 53, 62, 103, 106, 111, 119, 124] {
            let p = (k as f64 / 199.0) as f32;
            // float32(p * 199) rounds above k: the sample exceeds threshold k.
            assert_eq!(ranker.rank(p), k + 1, "k = {k}");
        }
        assert_eq!(ranker.rank((30.0f64 / 199.0) as f32), 30);
        assert_eq!(ranker.rank(0.0), 1, "epsilon ends: 0 lands in bucket 0");
        assert_eq!(ranker.rank(1.0), 199);
        assert_eq!(ranker.rank(7.0), 199, "clipped to 1");
    }

    #[test]
    fn even_bucket_equals_rank_without_the_epsilon_floor() {
        let f32_ranker = Even::<f32>::new(&even_200());
        let f64_ranker = Even::<f64>::new(&even_200());
        let mut values: Vec<f64> = (0..=4000).map(|i| i as f64 / 4000.0).collect();
        values.extend((0..=199).map(|k| k as f64 / 199.0));
        values.extend([-1.0, 2.0, f64::INFINITY, f64::NEG_INFINITY, -0.0, 1e-45]);
        for v in values {
            let x = v as f32;
            assert_eq!(x.even_bucket(&f32_ranker).max(1), f32_ranker.rank(x), "{v}");
            assert_eq!(v.even_bucket(&f64_ranker).max(1), f64_ranker.rank(v), "{v}");
        }
        assert_eq!(f32::NAN.even_bucket(&f32_ranker), 199);
    }

    #[test]
    fn even_path_without_epsilon_leaves_zero_unbucketed() {
        let ranker = Even::<f32>::new(&ThresholdSet::keras(vec![0.0, 0.5, 1.0]));
        assert_eq!(ranker.rank(0.0), 0);
        assert_eq!(ranker.rank(-3.0), 0);
        assert_eq!(ranker.rank(0.5), 1);
        assert_eq!(ranker.rank(0.50001), 2);
    }

    #[test]
    fn direct_path_is_strictly_greater_in_the_metric_dtype() {
        let set = ThresholdSet::keras(vec![0.7, 0.3, 0.3]);
        let ranker = Direct::<f32>::new(&set);
        assert_eq!(ranker.rank(0.3), 0);
        assert_eq!(ranker.rank(0.31), 2);
        assert_eq!(ranker.rank(0.7), 2);
        assert_eq!(ranker.rank(2.0), 3);
        // 0.1 as float32 is above 0.1 as float64: compared in float32 it is equal.
        let ranker = Direct::<f32>::new(&ThresholdSet::keras(vec![0.1]));
        assert_eq!(ranker.rank(0.1f32), 0);
        let ranker = Direct::<f64>::new(&ThresholdSet::keras(vec![0.1]));
        assert_eq!(ranker.rank(f64::from(0.1f32)), 1);
    }

    #[test]
    fn direct_cells_agree_with_a_binary_search() {
        let mut values: Vec<f64> = (0..1000)
            .map(|i| ((i * 7919) % 1009) as f64 / 1008.0)
            .collect();
        values.extend([0.0, 1.0, 0.5, 0.5, -0.25, 1.5, NEG_INF, 1e-7, 1.0 - 1e-7]);
        let set = ThresholdSet::keras(values);
        let f32_ranker = Direct::<f32>::new(&set);
        let f64_ranker = Direct::<f64>::new(&set);
        let f32_sorted: Vec<f32> = set.ascending_values().map(|v| v as f32).collect();
        let f64_sorted: Vec<f64> = set.ascending_values().collect();
        let mut probes: Vec<f64> = f64_sorted.clone();
        probes.extend(
            f64_sorted
                .iter()
                .flat_map(|&t| [t.next_up(), t.next_down()]),
        );
        probes.extend(
            f32_sorted
                .iter()
                .flat_map(|&t| [t.next_up(), t.next_down()].map(f64::from)),
        );
        probes.extend((0..=5000).map(|i| i as f64 / 5000.0));
        probes.extend([-0.0, -1.0, 2.0, f64::INFINITY, f64::NEG_INFINITY]);
        for v in probes {
            let x = v as f32;
            let want = f32_sorted.partition_point(|&t| t < x) as u32;
            assert_eq!(f32_ranker.rank(x), want, "float32 {x}");
            let want = f64_sorted.partition_point(|&t| t < v) as u32;
            assert_eq!(f64_ranker.rank(v), want, "float64 {v}");
        }
    }

    #[test]
    fn few_thresholds_rank_as_a_binary_search() {
        let sets: [&[f64]; 6] = [
            &[0.5],
            &[0.1],
            &[NEG_INF],
            &[0.3, 0.3, 0.7],
            &[0.0, 1.0],
            &[0.9, 0.05, 0.2, 1.0, 0.0, 0.5, 0.5, 0.3],
        ];
        for values in sets {
            let set = ThresholdSet::keras(values.to_vec());
            assert!(Few::<f32>::new(&set).is_some());
            let (f32_ranker, f64_ranker) = (
                Few::<f32>::new(&set).unwrap(),
                Few::<f64>::new(&set).unwrap(),
            );
            let f32_sorted: Vec<f32> = set.ascending_values().map(|v| v as f32).collect();
            let f64_sorted: Vec<f64> = set.ascending_values().collect();
            let mut probes: Vec<f64> = (0..=1000).map(|i| i as f64 / 1000.0).collect();
            for &t in &f64_sorted {
                probes.extend([t, t.next_up(), t.next_down()]);
                let t32 = t as f32;
                probes.extend([t32, t32.next_up(), t32.next_down()].map(f64::from));
            }
            probes.extend([-0.0, -1.0, 2.0, -1e11, f64::INFINITY, f64::NEG_INFINITY]);
            for v in probes {
                let x = v as f32;
                let want = f32_sorted.partition_point(|&t| t < x) as u32;
                assert_eq!(f32_ranker.rank(x), want, "float32 {x} in {values:?}");
                let want = f64_sorted.partition_point(|&t| t < v) as u32;
                assert_eq!(f64_ranker.rank(v), want, "float64 {v} in {values:?}");
            }
            assert_eq!(f32_ranker.rank(f32::NAN), 0);
        }
        let nine = ThresholdSet::keras((0..9).map(|i| i as f64 / 10.0).collect());
        assert!(Few::<f32>::new(&nine).is_none());
    }
}
