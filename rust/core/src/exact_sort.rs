//! Sorting for exact curves: scores as order-preserving integer keys, and a
//! stable LSD radix sort of those keys (with a weight payload when there is
//! one), parallel over a fixed number of parts.
//!
//! Keys ascend as scores descend, so a sorted run walks thresholds from the
//! highest score down, as scikit-learn's curves do. Radix over comparison
//! sorting: 10M float32 keys sort in 3–4 streaming passes of 8 bits (constant
//! bytes, such as the sign and most exponent bits of scores in [0, 1], are
//! skipped), where a comparison sort costs ~24 dependent compares per element.

use std::mem::MaybeUninit;
use std::ops::Range;

use rayon::prelude::*;

use crate::pool;

/// The descending-order key of a float32 score (`-0.0` is `0.0`; NaN excluded by the caller).
#[inline(always)]
pub fn key32(score: f32) -> u32 {
    let bits = (score + 0.0).to_bits();
    // Ascending order: flip all bits of negatives, only the sign bit of positives.
    let mask = ((bits as i32) >> 31) as u32 | 0x8000_0000;
    !(bits ^ mask)
}

/// The score of a [`key32`] key, widened exactly to float64.
#[inline(always)]
pub fn score32(key: u32) -> f64 {
    let ascending = !key;
    let bits = if ascending >> 31 == 1 {
        ascending ^ 0x8000_0000
    } else {
        !ascending
    };
    f64::from(f32::from_bits(bits))
}

/// The descending-order key of a float64 score (`-0.0` is `0.0`; NaN excluded by the caller).
#[inline(always)]
pub fn key64(score: f64) -> u64 {
    let bits = (score + 0.0).to_bits();
    let mask = ((bits as i64) >> 63) as u64 | 0x8000_0000_0000_0000;
    !(bits ^ mask)
}

/// The score of a [`key64`] key.
#[inline(always)]
pub fn score64(key: u64) -> f64 {
    let ascending = !key;
    let bits = if ascending >> 63 == 1 {
        ascending ^ 0x8000_0000_0000_0000
    } else {
        !ascending
    };
    f64::from_bits(bits)
}

/// A sortable element: an unsigned key (u32 or u64) and maybe a payload.
pub trait RadixItem: Copy + Send + Sync + 'static {
    type Key: Copy + Ord + Default + Send + Sync;
    /// Number of [`DIGIT_BITS`]-bit digits of the key.
    const DIGITS: usize;
    /// A key greater than any score's (a NaN's): the end marker of sorted runs.
    const END: Self::Key;
    fn key(&self) -> Self::Key;
    /// Digit `index`, from the least significant.
    fn digit(&self, index: usize) -> usize;
}

/// Bits per radix digit: 3 passes for float32 keys, 6 for float64 keys.
pub const DIGIT_BITS: usize = 11;
const BUCKETS: usize = 1 << DIGIT_BITS;

impl RadixItem for u32 {
    type Key = u32;
    const DIGITS: usize = 32usize.div_ceil(DIGIT_BITS);
    const END: u32 = u32::MAX;
    #[inline(always)]
    fn key(&self) -> u32 {
        *self
    }
    #[inline(always)]
    fn digit(&self, index: usize) -> usize {
        ((*self >> (DIGIT_BITS * index)) as usize) & (BUCKETS - 1)
    }
}

impl RadixItem for u64 {
    type Key = u64;
    const DIGITS: usize = 64usize.div_ceil(DIGIT_BITS);
    const END: u64 = u64::MAX;
    #[inline(always)]
    fn key(&self) -> u64 {
        *self
    }
    #[inline(always)]
    fn digit(&self, index: usize) -> usize {
        ((*self >> (DIGIT_BITS * index)) as usize) & (BUCKETS - 1)
    }
}

/// A key with its sample weight.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighted<K> {
    pub key: K,
    pub weight: f64,
}

impl<K: RadixItem<Key = K> + Ord + Default> RadixItem for Weighted<K> {
    type Key = K;
    const DIGITS: usize = K::DIGITS;
    const END: K = K::END;
    #[inline(always)]
    fn key(&self) -> K {
        self.key
    }
    #[inline(always)]
    fn digit(&self, index: usize) -> usize {
        self.key.digit(index)
    }
}

/// Below this many elements a sort runs on the calling thread in one part.
const PARALLEL_MIN: usize = 1 << 16;
/// Elements per part at least, and parts at most: the parts depend on the
/// length alone (a stable sort gives the same order however it is split).
const PART_MIN: usize = 1 << 18;
const MAX_PARTS: usize = 8;

/// The number of parts a slice of `len` elements is processed in.
pub fn part_count(len: usize) -> usize {
    if len < PARALLEL_MIN {
        1
    } else {
        (len / PART_MIN).clamp(1, MAX_PARTS)
    }
}

/// The `part`-th of `parts` consecutive ranges of `0..len`.
pub fn part_range(len: usize, parts: usize, part: usize) -> Range<usize> {
    (part * len / parts)..((part + 1) * len / parts)
}

/// Runs `f(part)` for every part, on the pool when there are several.
pub fn for_parts<T: Send>(parts: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    if parts > 1 {
        if let Some(pool) = pool::pool() {
            return pool.install(|| (0..parts).into_par_iter().map(&f).collect());
        }
    }
    (0..parts).map(f).collect()
}

/// A raw destination shared by the parts of a scatter, each writing its own
/// disjoint set of indices.
#[derive(Clone, Copy)]
struct Dest<T>(*mut MaybeUninit<T>);
// SAFETY: the parts write disjoint indices (their bucket offsets partition the
// buffer), so sharing the pointer across threads races on nothing.
unsafe impl<T: Send> Send for Dest<T> {}
unsafe impl<T: Send> Sync for Dest<T> {}

impl<T> Dest<T> {
    /// Slot `i` (a method, so closures capture the `Sync` wrapper, not the raw pointer).
    fn at(&self, i: usize) -> *mut MaybeUninit<T> {
        self.0.wrapping_add(i)
    }
}

type Histogram = [usize; BUCKETS];

/// Sorts `items` by key, stably (equal keys keep their order).
pub fn radix_sort<T: RadixItem>(items: Vec<T>) -> Vec<T> {
    let len = items.len();
    if len < 64 {
        let mut items = items;
        items.sort_by_key(RadixItem::key);
        return items;
    }
    let parts = part_count(len);
    // One pass for every digit's histogram per part; a digit that is the same in
    // every element needs no pass.
    let part_histograms: Vec<Vec<Histogram>> = for_parts(parts, |p| {
        let mut h = vec![[0usize; BUCKETS]; T::DIGITS];
        for item in &items[part_range(len, parts, p)] {
            for (byte, hist) in h.iter_mut().enumerate() {
                hist[item.digit(byte)] += 1;
            }
        }
        h
    });
    let passes: Vec<usize> = (0..T::DIGITS)
        .filter(|&byte| {
            let mut total = [0usize; BUCKETS];
            for h in &part_histograms {
                for (t, c) in total.iter_mut().zip(h[byte].iter()) {
                    *t += c;
                }
            }
            !total.contains(&len)
        })
        .collect();
    let mut src = items;
    let mut spare: Vec<MaybeUninit<T>> = Vec::with_capacity(len);
    // SAFETY: MaybeUninit needs no initialisation.
    unsafe { spare.set_len(len) };
    for (n, &byte) in passes.iter().enumerate() {
        // Per-part histograms of this byte: the first pass has them from the
        // pre-pass; later passes count the permuted order again.
        let hists: Vec<Histogram> = if n == 0 {
            part_histograms.iter().map(|h| h[byte]).collect()
        } else {
            for_parts(parts, |p| {
                let mut h = [0usize; BUCKETS];
                for item in &src[part_range(len, parts, p)] {
                    h[item.digit(byte)] += 1;
                }
                h
            })
        };
        // Part p's first slot for bucket b: everything in smaller buckets,
        // then bucket b of the parts before p (which keeps the sort stable).
        let mut offsets = vec![[0usize; BUCKETS]; parts];
        let mut next = 0;
        for bucket in 0..BUCKETS {
            for (p, h) in hists.iter().enumerate() {
                offsets[p][bucket] = next;
                next += h[bucket];
            }
        }
        let dest = Dest(spare.as_mut_ptr());
        let src_ref = &src;
        for_parts(parts, |p| {
            let mut offset = offsets[p];
            for item in &src_ref[part_range(len, parts, p)] {
                let b = item.digit(byte);
                // SAFETY: `offset[b]` stays inside this part's share of bucket
                // `b`, below `len`; no other part writes there.
                unsafe { (*dest.at(offset[b])).write(*item) };
                offset[b] += 1;
            }
        });
        // Every index was written exactly once: `spare` is initialised.
        let sorted = unsafe { assume_init(spare) };
        spare = into_uninit(src);
        src = sorted;
    }
    src
}

/// # Safety
/// Every element must be initialised.
unsafe fn assume_init<T>(v: Vec<MaybeUninit<T>>) -> Vec<T> {
    let mut v = std::mem::ManuallyDrop::new(v);
    // SAFETY: same allocation, layout and length; the caller vouches for the contents.
    unsafe { Vec::from_raw_parts(v.as_mut_ptr().cast::<T>(), v.len(), v.capacity()) }
}

fn into_uninit<T>(v: Vec<T>) -> Vec<MaybeUninit<T>> {
    let mut v = std::mem::ManuallyDrop::new(v);
    // SAFETY: MaybeUninit<T> has T's layout; forgetting initialisation is always sound.
    unsafe {
        Vec::from_raw_parts(
            v.as_mut_ptr().cast::<MaybeUninit<T>>(),
            v.len(),
            v.capacity(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 11
    }

    #[test]
    fn keys_descend_as_scores_ascend_and_round_trip() {
        let scores = [
            f32::NEG_INFINITY,
            -3.5,
            -1e-30,
            0.0,
            1e-40,
            0.25,
            1.0,
            f32::MAX,
        ];
        for pair in scores.windows(2) {
            assert!(key32(pair[0]) > key32(pair[1]), "{pair:?}");
            assert!(key64(f64::from(pair[0])) > key64(f64::from(pair[1])));
        }
        for &s in &scores {
            assert_eq!(score32(key32(s)), f64::from(s));
            assert_eq!(score64(key64(f64::from(s))), f64::from(s));
        }
        assert_eq!(key32(-0.0), key32(0.0));
        assert_eq!(key64(-0.0), key64(0.0));
        assert_eq!(score64(key64(-0.0)).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn radix_sort_matches_a_stable_sort() {
        let mut seed = 7;
        for &(len, modulus) in &[
            (10usize, 5u64),
            (1000, 1 << 40),
            (300_000, 1000),
            (600_000, u64::MAX),
        ] {
            let items: Vec<Weighted<u64>> = (0..len)
                .map(|i| Weighted {
                    key: lcg(&mut seed) % modulus,
                    weight: i as f64,
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|w| w.key);
            assert_eq!(radix_sort(items), expected);
        }
        let keys: Vec<u32> = (0..200_000).map(|_| (lcg(&mut seed) >> 3) as u32).collect();
        let mut expected = keys.clone();
        expected.sort_unstable();
        assert_eq!(radix_sort(keys), expected);
    }
}
