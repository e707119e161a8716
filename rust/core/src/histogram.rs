//! Weighted sample counts per (slot, rank): the private result of counting one
//! batch, added into a metric's state under its lock.

use crate::tuning::LANES;

/// `slots` independent histograms (one per label for multi-label AUC, else one)
/// of `ranks = T + 1` buckets, each holding the positive- and negative-label
/// weight of the samples that exceed exactly `rank` thresholds.
///
/// Each bucket has `lanes` copies (1 or [`LANES`]) that consecutive elements
/// alternate between.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    slots: usize,
    ranks: usize,
    /// A power of two.
    lanes: usize,
    /// `[slot][rank][negative, positive][lane]`, flattened.
    bins: Vec<f64>,
}

impl Histogram {
    pub fn new(slots: usize, ranks: usize) -> Self {
        Self::with_lanes(slots, ranks, LANES)
    }

    /// A histogram with one copy per bucket, for callers that spread their
    /// additions themselves.
    pub fn single_lane(slots: usize, ranks: usize) -> Self {
        Self::with_lanes(slots, ranks, 1)
    }

    fn with_lanes(slots: usize, ranks: usize, lanes: usize) -> Self {
        debug_assert!(lanes.is_power_of_two());
        Histogram {
            slots,
            ranks,
            lanes,
            bins: vec![0.0; 2 * slots * ranks * lanes],
        }
    }

    pub fn slots(&self) -> usize {
        self.slots
    }

    pub fn ranks(&self) -> usize {
        self.ranks
    }

    /// The bucket index of `(slot, rank)`, as the kernel precomputes it.
    #[inline(always)]
    pub fn bucket(&self, slot: usize, rank: u32) -> u32 {
        (slot * self.ranks) as u32 + rank
    }

    #[inline(always)]
    pub fn add(&mut self, bucket: u32, positive: bool, weight: f64) {
        self.add_lane(0, bucket, positive, weight);
    }

    /// Adds into the lane of element number `element`.
    #[inline(always)]
    pub fn add_lane(&mut self, element: usize, bucket: u32, positive: bool, weight: f64) {
        let lane = element & (self.lanes - 1);
        let i = (2 * bucket as usize + usize::from(positive)) * self.lanes + lane;
        self.bins[i] += weight;
    }

    /// The buckets of a single-lane histogram, `[slot][rank][negative,
    /// positive]` flattened, for adding a table of the same layout in one pass.
    pub(crate) fn single_lane_bins(&mut self) -> Option<&mut [f64]> {
        (self.lanes == 1).then_some(&mut self.bins)
    }

    /// Adds another histogram of the same size, element by element.
    pub fn merge(&mut self, other: &Histogram) {
        debug_assert_eq!(self.lanes, other.lanes);
        debug_assert_eq!(self.bins.len(), other.bins.len());
        for (a, b) in self.bins.iter_mut().zip(&other.bins) {
            *a += b;
        }
    }

    /// The `(negative, positive)` weights of `(slot, rank)`, lanes summed in order.
    pub fn get(&self, slot: usize, rank: usize) -> (f64, f64) {
        let lanes = self.lanes;
        let i = 2 * (slot * self.ranks + rank) * lanes;
        let sum = |start: usize| self.bins[start..start + lanes].iter().sum::<f64>();
        (sum(i), sum(i + lanes))
    }

    /// Heap bytes, used to bound how many partial histograms exist at once.
    pub fn bytes(&self) -> usize {
        self.bins.len() * std::mem::size_of::<f64>()
    }
}
