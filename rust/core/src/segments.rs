//! Counting in parallel without changing a result: a batch is split into a
//! number of consecutive segments that depends only on the batch, each is
//! counted into its own partial result on the pool, and the partials are
//! merged in segment order. The sums are the same on any number of threads.

use std::ops::Range;

use rayon::prelude::*;

use crate::pool;
use crate::tuning::{
    ELEMENTS_PER_PARTIAL_ENTRY, ELEMENTS_PER_PARTIAL_ENTRY_BEYOND_FEW, FEW_SEGMENTS,
    MAX_PARTIAL_BYTES, MAX_SEGMENTS, PARALLEL_MIN_ELEMENTS, SEGMENT_MIN_ELEMENTS,
};

/// Segments for `units` (rows, or elements) holding `elements` elements,
/// when each segment's partial result takes `partial_bytes`: enough work per
/// segment, bounded memory, and a bounded serial merge.
pub fn segment_count(units: usize, elements: usize, partial_bytes: usize) -> usize {
    if elements < PARALLEL_MIN_ELEMENTS || units < 2 {
        return 1;
    }
    let by_size = elements / SEGMENT_MIN_ELEMENTS;
    let by_memory = MAX_PARTIAL_BYTES / partial_bytes.max(1);
    let entries = (partial_bytes / std::mem::size_of::<f64>()).max(1);
    let per_entry = |elements_per_entry: usize| elements / (elements_per_entry * entries);
    let by_work = per_entry(ELEMENTS_PER_PARTIAL_ENTRY)
        .min(FEW_SEGMENTS)
        .max(per_entry(ELEMENTS_PER_PARTIAL_ENTRY_BEYOND_FEW));
    by_size
        .min(by_memory)
        .min(by_work)
        .min(MAX_SEGMENTS)
        .min(units)
        .max(1)
}

/// Counts `0..units` in `segments` consecutive ranges with `count` (on the
/// pool, or on this thread if it has none) and folds the partials into the
/// first in segment order with `merge`. The first error in segment order wins.
pub fn count_segments<T: Send, E: Send>(
    units: usize,
    segments: usize,
    count: impl Fn(Range<usize>) -> Result<T, E> + Sync,
    merge: impl Fn(&mut T, T),
) -> Result<T, E> {
    if segments <= 1 {
        return count(0..units);
    }
    let range = |s: usize| (s * units / segments)..((s + 1) * units / segments);
    let partials: Vec<Result<T, E>> = match pool::pool() {
        Some(pool) => pool.install(|| {
            (0..segments)
                .into_par_iter()
                .map(|s| count(range(s)))
                .collect()
        }),
        None => (0..segments).map(|s| count(range(s))).collect(),
    };
    let mut partials = partials.into_iter();
    let mut total = match partials.next() {
        Some(first) => first?,
        None => return count(0..units),
    };
    for partial in partials {
        merge(&mut total, partial?);
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_depend_on_the_batch_alone() {
        assert_eq!(
            segment_count(1000, 1000, 8),
            1,
            "small batches stay on one thread"
        );
        assert_eq!(segment_count(1, 1 << 24, 8), 1, "one row is one segment");
        assert_eq!(segment_count(1 << 24, 1 << 24, 8), MAX_SEGMENTS);
        // A large partial limits the segments to what its merge can afford.
        let big = segment_count(200_000, 10_000_000, 2 * 50 * 201 * 4 * 8);
        assert!((1..=FEW_SEGMENTS.max(7)).contains(&big), "{big}");
    }

    #[test]
    fn partials_merge_in_segment_order() {
        let units = 1000;
        let sums = count_segments(
            units,
            7,
            |r: Range<usize>| Ok::<_, ()>(vec![r.start, r.end]),
            |total, part| total.extend(part),
        )
        .unwrap();
        let mut expected = Vec::new();
        for s in 0..7 {
            expected.extend([s * units / 7, (s + 1) * units / 7]);
        }
        assert_eq!(sums, expected);
        let first_error = count_segments(
            units,
            5,
            |r: Range<usize>| if r.start >= 400 { Err(r.start) } else { Ok(()) },
            |_, _| {},
        );
        assert_eq!(first_error, Err(400));
    }
}
