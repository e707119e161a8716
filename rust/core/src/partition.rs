//! Rows grouped by a per-row group id: a stable, parallel counting sort.
//!
//! The rows are split into consecutive segments; each segment counts its rows
//! per group, the output is laid out group by group (segments in order inside
//! a group, rows in order inside a segment), and every segment then copies its
//! rows into its own disjoint pieces of the output. Rows keep their order
//! inside a group, so the result does not depend on the number of segments or
//! threads.

use std::ops::Range;

use rayon::prelude::*;

use crate::group_kernel::Slots;
use crate::pool;
use crate::tuning::{MAX_SEGMENTS, SEGMENT_MIN_ELEMENTS};

/// Counting-table entries (segments x groups) allowed at once: many groups
/// mean fewer segments, never an unbounded table.
const MAX_TABLE_ENTRIES: usize = 1 << 22;

/// Where each group's rows go: per segment, how many rows of each group it holds.
#[derive(Debug, Clone)]
pub struct Partition<'a> {
    slots: Slots<'a>,
    segments: Vec<Range<usize>>,
    /// `sizes[s][g]`: rows of group `g` in segment `s`.
    sizes: Vec<Vec<usize>>,
    /// Each group's rows in the output.
    ranges: Vec<Range<usize>>,
}

impl<'a> Partition<'a> {
    /// Counts the rows per slot.
    pub fn new(slots: Slots<'a>) -> Self {
        let (ids, groups) = (slots.ids, slots.slots);
        let by_size = (ids.len() / SEGMENT_MIN_ELEMENTS).max(1);
        let by_table = (MAX_TABLE_ENTRIES / groups.max(1)).max(1);
        let count = by_size.min(by_table).min(MAX_SEGMENTS);
        let segments: Vec<Range<usize>> = (0..count)
            .map(|s| (s * ids.len() / count)..((s + 1) * ids.len() / count))
            .collect();
        let tally = |range: &Range<usize>| {
            let mut sizes = vec![0usize; groups];
            for row in range.clone() {
                sizes[slots.of(row)] += 1;
            }
            sizes
        };
        let sizes: Vec<Vec<usize>> = on_pool(|| segments.par_iter().map(tally).collect());
        let mut ranges = Vec::with_capacity(groups);
        let mut start = 0;
        for g in 0..groups {
            let size: usize = sizes.iter().map(|s| s[g]).sum();
            ranges.push(start..start + size);
            start += size;
        }
        Partition {
            slots,
            segments,
            sizes,
            ranges,
        }
    }

    /// The rows partitioned.
    pub fn rows(&self) -> usize {
        self.slots.ids.len()
    }

    /// Each group's rows in the output of [`Partition::gather`].
    pub fn ranges(&self) -> &[Range<usize>] {
        &self.ranges
    }

    /// The rows reordered group by group, `width` values per row: `read(row,
    /// out)` writes row `row`'s values into `out` (`width` long).
    pub fn gather<T: Copy + Default + Send + Sync>(
        &self,
        width: usize,
        read: impl Fn(usize, &mut [T]) + Sync,
    ) -> Vec<T> {
        let groups = self.slots.slots;
        let mut out = vec![T::default(); self.slots.ids.len() * width];
        // Split the output into (segment, group) pieces: group-major, segments in order.
        let mut pieces: Vec<Vec<&mut [T]>> = (0..self.segments.len())
            .map(|_| Vec::with_capacity(groups))
            .collect();
        let mut rest: &mut [T] = &mut out;
        for g in 0..groups {
            for (s, sizes) in self.sizes.iter().enumerate() {
                let (piece, tail) = std::mem::take(&mut rest).split_at_mut(sizes[g] * width);
                pieces[s].push(piece);
                rest = tail;
            }
        }
        let copy = |(range, mut pieces): (&Range<usize>, Vec<&mut [T]>)| {
            let mut filled = vec![0usize; groups];
            for row in range.clone() {
                let g = self.slots.of(row);
                let at = filled[g];
                read(row, &mut pieces[g][at..at + width]);
                filled[g] = at + width;
            }
        };
        on_pool(|| {
            self.segments.par_iter().zip(pieces).for_each(copy);
        });
        out
    }
}

/// Runs `work` on the core's pool (or on this thread if it has none).
pub fn on_pool<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    match pool::pool() {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_order_inside_each_group() {
        let ids = [11, 10, 11, 12, 10, 11];
        let p = Partition::new(Slots {
            ids: &ids,
            low: 10,
            slots: 4,
        });
        assert_eq!(p.ranges(), &[0..2, 2..5, 5..6, 6..6]);
        let rows: Vec<usize> = p.gather(1, |row, out| out[0] = row);
        assert_eq!(rows, vec![1, 4, 0, 2, 5, 3]);
        let pairs: Vec<usize> = p.gather(2, |row, out| out.copy_from_slice(&[row, 10 * row]));
        assert_eq!(&pairs[..4], &[1, 10, 4, 40]);
    }

    #[test]
    fn large_batches_give_the_same_order_on_many_segments() {
        let ids: Vec<i64> = (0..200_000).map(|i| (i * 7919 % 13) as i64).collect();
        let p = Partition::new(Slots {
            ids: &ids,
            low: 0,
            slots: 13,
        });
        assert!(p.segments.len() > 1);
        let rows: Vec<usize> = p.gather(1, |row, out| out[0] = row);
        let mut expected: Vec<usize> = (0..ids.len()).collect();
        expected.sort_by_key(|&r| ids[r]);
        assert_eq!(rows, expected);
    }
}
