//! A prediction's rank: how many of the (ascending) thresholds it exceeds.
//!
//! Both of Keras's counting paths reduce to a rank in `0..=T`; the kernel then
//! adds each sample's weight to a histogram bucket per rank, and suffix sums
//! turn the histogram into counts at every threshold.

use crate::thresholds::{ThresholdSet, NEG_INF};
use crate::values::Prediction;

/// The float type comparisons run in: the metric dtype.
pub trait Compute: Copy + PartialOrd + Send + Sync + 'static {
    /// Keras's `NEG_INF` (-1e10) in this dtype, the value top_k gives the
    /// predictions it drops.
    const NEG_INF: Self;
    fn from_prediction<P: Prediction>(p: P) -> Self;
    fn from_f64(v: f64) -> Self;
    fn to_f64(self) -> f64;
    /// The logistic function in this dtype, correctly rounded for float32
    /// (computed in float64).
    fn sigmoid(self) -> Self;
}

impl Compute for f32 {
    const NEG_INF: f32 = NEG_INF as f32;
    #[inline(always)]
    fn from_prediction<P: Prediction>(p: P) -> f32 {
        p.to_f32()
    }
    #[inline(always)]
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        f64::from(self)
    }
    #[inline(always)]
    fn sigmoid(self) -> f32 {
        f64::from(self).sigmoid() as f32
    }
}

impl Compute for f64 {
    const NEG_INF: f64 = NEG_INF;
    #[inline(always)]
    fn from_prediction<P: Prediction>(p: P) -> f64 {
        p.to_f64()
    }
    #[inline(always)]
    fn from_f64(v: f64) -> f64 {
        v
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn sigmoid(self) -> f64 {
        1.0 / (1.0 + (-self).exp())
    }
}

/// Maps a prediction (already in the metric dtype) to its rank in `0..=T`.
pub trait Ranker: Sync {
    type C: Compute;
    fn rank(&self, x: Self::C) -> u32;
}

/// Keras's even path: `ceil(clip(p, 0, 1) * (T - 1))` computed in the metric
/// dtype, raised to 1 when the end thresholds carry epsilon. The rank is
/// Keras's bucket index plus one.
#[derive(Debug, Clone, Copy)]
pub struct Even<C> {
    t_minus_1: C,
    min_rank: u32,
}

/// The direct path: the number of thresholds strictly below the prediction,
/// by binary search over the thresholds in the metric dtype.
#[derive(Debug, Clone)]
pub struct Direct<C> {
    ascending: Vec<C>,
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

        impl Ranker for Direct<$c> {
            type C = $c;
            #[inline(always)]
            fn rank(&self, x: $c) -> u32 {
                self.ascending.partition_point(|&t| t < x) as u32
            }
        }
    };
}
even_rank!(f32, u32);
even_rank!(f64, u64);

impl<C: Compute> Even<C> {
    pub fn new(thresholds: &ThresholdSet) -> Self {
        Even {
            t_minus_1: C::from_f64((thresholds.len() - 1) as f64),
            min_rank: u32::from(thresholds.epsilon_ends()),
        }
    }
}

impl<C: Compute> Direct<C> {
    pub fn new(thresholds: &ThresholdSet) -> Self {
        Direct {
            ascending: thresholds.ascending_values().map(C::from_f64).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
