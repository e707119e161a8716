//! The counting kernels' tuning constants, in one place. None changes a
//! result: blocks and lanes only reorder additions of integer counts (or of
//! weights within one deterministic segment), and segments depend on the batch
//! alone, never on the thread count.

/// Elements per block of a two-pass kernel: its bucket or code buffer stays in L1.
pub const BLOCK_ELEMENTS: usize = 4096;
/// Copies of a counting table that consecutive elements alternate between:
/// with few buckets most elements hit the same one, and a single copy would
/// chain every addition on the previous one's store.
pub const LANES: usize = 4;

/// Below this many elements a batch is counted on the calling thread.
pub const PARALLEL_MIN_ELEMENTS: usize = 1 << 15;
/// Elements per parallel segment, at least.
pub const SEGMENT_MIN_ELEMENTS: usize = 1 << 14;
pub const MAX_SEGMENTS: usize = 64;
/// Elements a segment counts, at least, per entry of its partial result:
/// below this, a segment's own partial (cleared, filled, merged in order on
/// one thread) costs more than counting it in parallel saves.
pub const ELEMENTS_PER_PARTIAL_ENTRY: usize = 16;
/// Beyond `FEW_SEGMENTS` segments, the in-order merge of large partials (many
/// labels) is serial work: each segment must then count this many elements
/// per partial entry (multi-label AUC, 50 labels x 200k: 31 -> 7 segments,
/// 9.1 -> 8.3 ms on two threads).
pub const ELEMENTS_PER_PARTIAL_ENTRY_BEYOND_FEW: usize = 64;
pub const FEW_SEGMENTS: usize = 4;
/// Bound on the memory of partial results alive at once.
pub const MAX_PARTIAL_BYTES: usize = 8 << 20;

/// `from_logits`: a batch of at least this many elements per threshold maps
/// the thresholds into logit space (a search of a few dozen sigmoids each)
/// instead of taking a sigmoid of every element; smaller ones take the
/// sigmoids. Both count the same.
pub const LOGIT_BOUNDARIES_MIN_ELEMENTS_PER_THRESHOLD: usize = 32;
/// The most cells of logit thresholds (12-24 bytes each: they stay in L2).
pub const LOGIT_MAX_CELLS: usize = 1 << 14;
