//! One batch counted per group, for any [`Metric`]. Group ids become slots
//! once per batch ([`slot_ids`]); a metric with a one-pass kernel tallies
//! every slot at once ([`Metric::count_slots`], `group_kernel.rs`); any other
//! has its rows partitioned by slot (`partition.rs`), each group's rows made a
//! batch of their own and counted by the metric's own `count`, the groups in
//! parallel ([`count_partitioned`]). Either way a group's counts are those of
//! an update with that group's rows alone, on any number of threads.

use rayon::prelude::*;

use crate::batch::{Batch, Labels, Layout, Predictions, WeightView};
use crate::error::{CoreError, CoreResult};
use crate::group_kernel::Slots;
use crate::metric::{InputShapes, Metric};
use crate::partition::{on_pool, Partition};

/// Group id ranges up to this many slots (or the rows, if more) are slots as they are.
const DIRECT_SLOTS: usize = 1 << 16;

/// How a batch's group ids map to slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotIds {
    /// Slot = id - `low`, in `0..slots` (some slots may hold no row).
    Offset { low: i64, slots: usize },
    /// Ids spread too wide: slot = the id's rank among the distinct `values`.
    Ranked { ids: Vec<i64>, values: Vec<i64> },
}

impl SlotIds {
    /// The id of slot `slot`.
    pub fn value(&self, slot: usize) -> i64 {
        match self {
            SlotIds::Offset { low, .. } => low + slot as i64,
            SlotIds::Ranked { values, .. } => values[slot],
        }
    }

    /// The rows' slots.
    pub fn slots<'a>(&'a self, ids: &'a [i64]) -> Slots<'a> {
        match self {
            SlotIds::Offset { low, slots } => Slots {
                ids,
                low: *low,
                slots: *slots,
            },
            SlotIds::Ranked { ids, values } => Slots {
                ids,
                low: 0,
                slots: values.len(),
            },
        }
    }
}

/// Slots for the group ids `ids`, found in one parallel pass (two when the
/// ids spread wider than the rows).
pub fn slot_ids(ids: &[i64]) -> SlotIds {
    let chunk = (ids.len() / 64).max(1 << 16);
    let (low, high) = on_pool(|| {
        ids.par_chunks(chunk)
            .map(|c| {
                c.iter()
                    .fold((i64::MAX, i64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)))
            })
            .reduce(|| (i64::MAX, i64::MIN), |a, b| (a.0.min(b.0), a.1.max(b.1)))
    });
    if ids.is_empty() {
        return SlotIds::Offset { low: 0, slots: 0 };
    }
    let span = (high as i128 - low as i128 + 1) as u128;
    if span <= DIRECT_SLOTS.max(ids.len()) as u128 {
        return SlotIds::Offset {
            low,
            slots: span as usize,
        };
    }
    let mut values = ids.to_vec();
    on_pool(|| values.par_sort_unstable());
    values.dedup();
    let ranked = on_pool(|| {
        ids.par_iter()
            .map(|v| values.binary_search(v).unwrap_or(0) as i64)
            .collect()
    });
    SlotIds::Ranked {
        ids: ranked,
        values,
    }
}

/// Counts `batch` per group with the rows partitioned by slot: each group in
/// `groups` (a slot and its state's width) counted as a batch of its own rows.
/// All or nothing: the first invalid group fails the whole batch, with the
/// message an update with the whole batch gives (indices into the batch).
pub fn count_partitioned<M: Metric>(
    metric: &M,
    batch: &Batch,
    shapes: InputShapes,
    partition: &Partition,
    groups: Vec<(usize, M::Width)>,
) -> CoreResult<Vec<M::Counts>> {
    let samples = samples(batch, shapes, partition.rows())?;
    let per = batch.layout.len().checked_div(samples).unwrap_or(0);
    let labels = gather_labels(partition, batch.labels, per);
    let predictions = gather_predictions(partition, batch.predictions, per);
    let weights = gather_weights(partition, &batch.layout, batch.weights, samples, per);
    let count = |&(slot, width): &(usize, M::Width)| -> CoreResult<M::Counts> {
        let rows = partition.ranges()[slot].clone();
        let n = rows.len();
        let with_rows = |shape: &[usize]| [&[n][..], &shape[1..]].concat();
        let (true_shape, pred_shape) = (with_rows(shapes.y_true), with_rows(shapes.y_pred));
        let layout = Layout::align(&true_shape, &pred_shape, metric.one_row())?;
        let elements = rows.start * per..rows.end * per;
        let group = Batch::new(
            labels.view(elements.clone()),
            predictions.view(elements.clone()),
            weights.view(elements),
            layout,
        )?;
        let shapes = InputShapes {
            y_true: &true_shape,
            y_pred: &pred_shape,
        };
        metric.count(&group, shapes, width)
    };
    // Moved to the pool by value: a width need only be `Send`.
    let moved = groups.clone();
    let counted: Vec<CoreResult<M::Counts>> =
        on_pool(move || moved.into_par_iter().map(|g| count(&g)).collect());
    let mut all = Vec::with_capacity(counted.len());
    for ((_, width), result) in groups.into_iter().zip(counted) {
        match result {
            Ok(counts) => all.push(counts),
            // Counted again whole (only on this error path) for the batch's own index.
            Err(error) => return Err(metric.count(batch, shapes, width).err().unwrap_or(error)),
        }
    }
    Ok(all)
}

/// Checks that `ids` has one group id per sample (first axis) of the batch.
pub fn check_rows(batch: &Batch, shapes: InputShapes, ids: usize) -> CoreResult<()> {
    samples(batch, shapes, ids).map(|_| ())
}

/// The number of samples (first axis), which `ids` must match.
fn samples(batch: &Batch, shapes: InputShapes, ids: usize) -> CoreResult<usize> {
    let first = |shape: &[usize]| shape.first().copied();
    match (
        first(shapes.y_true),
        first(shapes.y_pred),
        batch.layout.shape.first(),
    ) {
        (Some(a), Some(b), Some(&n)) if a == n && b == n && n == ids => Ok(n),
        _ => Err(CoreError::value(format!(
            "`groups` must have one value per row of `y_true` and `y_pred`. Received: {ids} \
             group values for y_true.shape={}, y_pred.shape={}",
            crate::error::shape_str(shapes.y_true),
            crate::error::shape_str(shapes.y_pred)
        ))),
    }
}

macro_rules! owned_enum {
    ($owned:ident, $view:ident, $($variant:ident($t:ty)),*) => {
        /// A batch's values reordered group by group.
        enum $owned {
            $($variant(Vec<$t>)),*
        }

        impl $owned {
            fn view(&self, elements: std::ops::Range<usize>) -> $view<'_> {
                match self {
                    $($owned::$variant(v) => $view::$variant(&v[elements])),*
                }
            }
        }
    };
}

owned_enum!(
    OwnedLabels,
    Labels,
    Bool(bool),
    U8(u8),
    I8(i8),
    U16(u16),
    I16(i16),
    U32(u32),
    I32(i32),
    U64(u64),
    I64(i64),
    F16(half::f16),
    F32(f32),
    F64(f64)
);
owned_enum!(
    OwnedPredictions,
    Predictions,
    F16(half::f16),
    F32(f32),
    F64(f64)
);

/// Contiguous values, `per` of them per sample, reordered.
fn contiguous<T: Copy + Default + Send + Sync>(p: &Partition, values: &[T], per: usize) -> Vec<T> {
    p.gather(per, |s, out| {
        out.copy_from_slice(&values[s * per..(s + 1) * per])
    })
}

fn gather_labels(p: &Partition, labels: Labels, per: usize) -> OwnedLabels {
    match labels {
        Labels::Bool(v) => OwnedLabels::Bool(contiguous(p, v, per)),
        Labels::U8(v) => OwnedLabels::U8(contiguous(p, v, per)),
        Labels::I8(v) => OwnedLabels::I8(contiguous(p, v, per)),
        Labels::U16(v) => OwnedLabels::U16(contiguous(p, v, per)),
        Labels::I16(v) => OwnedLabels::I16(contiguous(p, v, per)),
        Labels::U32(v) => OwnedLabels::U32(contiguous(p, v, per)),
        Labels::I32(v) => OwnedLabels::I32(contiguous(p, v, per)),
        Labels::U64(v) => OwnedLabels::U64(contiguous(p, v, per)),
        Labels::I64(v) => OwnedLabels::I64(contiguous(p, v, per)),
        Labels::F16(v) => OwnedLabels::F16(contiguous(p, v, per)),
        Labels::F32(v) => OwnedLabels::F32(contiguous(p, v, per)),
        Labels::F64(v) => OwnedLabels::F64(contiguous(p, v, per)),
    }
}

fn gather_predictions(p: &Partition, predictions: Predictions, per: usize) -> OwnedPredictions {
    match predictions {
        Predictions::F16(v) => OwnedPredictions::F16(contiguous(p, v, per)),
        Predictions::F32(v) => OwnedPredictions::F32(contiguous(p, v, per)),
        Predictions::F64(v) => OwnedPredictions::F64(contiguous(p, v, per)),
    }
}

/// Weights for the reordered samples.
enum GroupWeights<'a> {
    /// The same for every group: none, one number, or one row every row repeats.
    Shared(WeightView<'a>),
    /// One weight per element, reordered.
    F32(Vec<f32>, usize),
    F64(Vec<f64>, usize),
}

impl GroupWeights<'_> {
    fn view(&self, elements: std::ops::Range<usize>) -> WeightView<'_> {
        // Dense per element: row stride = the layout's columns.
        match self {
            GroupWeights::Shared(view) => *view,
            GroupWeights::F32(v, cols) => WeightView::F32 {
                data: &v[elements],
                row_stride: *cols,
                col_stride: 1,
            },
            GroupWeights::F64(v, cols) => WeightView::F64 {
                data: &v[elements],
                row_stride: *cols,
                col_stride: 1,
            },
        }
    }
}

fn gather_weights<'a>(
    p: &Partition,
    layout: &Layout,
    weights: WeightView<'a>,
    samples: usize,
    per: usize,
) -> GroupWeights<'a> {
    let whole_rows = samples > 0 && layout.rows % samples == 0 && layout.rows >= samples;
    let dense = |data_len: usize, row_stride: usize, col_stride: usize| {
        let cols = layout.cols;
        move |s: usize, i: usize| {
            let e = s * per + i;
            let at = (e / cols) * row_stride + (e % cols) * col_stride;
            debug_assert!(at < data_len);
            at
        }
    };
    match weights {
        WeightView::F32 {
            row_stride,
            col_stride,
            data,
        } if row_stride != 0 || !whole_rows => {
            let at = dense(data.len(), row_stride, col_stride);
            let values = p.gather(per, |s, out: &mut [f32]| {
                for (i, w) in out.iter_mut().enumerate() {
                    *w = data[at(s, i)];
                }
            });
            GroupWeights::F32(values, group_cols(layout, samples))
        }
        WeightView::F64 {
            row_stride,
            col_stride,
            data,
        } if row_stride != 0 || !whole_rows => {
            let at = dense(data.len(), row_stride, col_stride);
            let values = p.gather(per, |s, out: &mut [f64]| {
                for (i, w) in out.iter_mut().enumerate() {
                    *w = data[at(s, i)];
                }
            });
            GroupWeights::F64(values, group_cols(layout, samples))
        }
        shared => GroupWeights::Shared(shared),
    }
}

/// Columns of a group's layout: the batch's, except a 1-D batch that is one
/// row (`top_k`), whose groups are one row of their own elements. Dense
/// weights then need a row stride only when there are several rows.
fn group_cols(layout: &Layout, samples: usize) -> usize {
    if layout.rows < samples {
        0 // one row: the row stride is never used
    } else {
        layout.cols
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auc::{AucConfig, AucMetric};
    use crate::confusion_state::ConfusionState;

    fn auc(multi_label: bool) -> AucMetric {
        AucMetric::new(AucConfig {
            num_thresholds: 200,
            curve: "ROC".into(),
            summation_method: "interpolation".into(),
            thresholds: None,
            multi_label,
            num_labels: None,
            label_weights: None,
            from_logits: false,
            dtype: crate::dtype::MetricDtype::Float32,
        })
        .expect("AUC")
    }

    fn batch<'a>(labels: &'a [f32], preds: &'a [f32], weights: &'a [f64]) -> Batch<'a> {
        let layout = Layout::align(&[labels.len()], &[preds.len()], false).expect("1-D");
        let weights = if weights.is_empty() {
            WeightView::None
        } else {
            WeightView::F64 {
                data: weights,
                row_stride: 1,
                col_stride: 0,
            }
        };
        Batch::new(
            Labels::F32(labels),
            Predictions::F32(preds),
            weights,
            layout,
        )
        .expect("batch")
    }

    fn state_of(
        metric: &AucMetric,
        labels: &[f32],
        preds: &[f32],
        weights: &[f64],
    ) -> ConfusionState {
        let n = [labels.len()];
        let shapes = InputShapes {
            y_true: &n,
            y_pred: &n,
        };
        let mut state = metric.new_state();
        let counts = metric
            .count(&batch(labels, preds, weights), shapes, 0)
            .expect("valid");
        metric.add(&mut state, counts).expect("added");
        state
    }

    const LABELS: [f32; 7] = [0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0];
    const PREDS: [f32; 7] = [0.1, 0.9, 0.4, 0.7, 0.3, 0.2, 0.8];
    const WEIGHTS: [f64; 7] = [1.0, 2.0, 0.5, 1.0, 3.0, 1.0, 0.25];
    const IDS: [i64; 7] = [12, 10, 12, 10, 10, 12, 10];

    fn expected(metric: &AucMetric, id: i64) -> ConfusionState {
        let rows: Vec<usize> = (0..7).filter(|&r| IDS[r] == id).collect();
        let pick = |v: &[f32]| rows.iter().map(|&r| v[r]).collect::<Vec<_>>();
        let w: Vec<f64> = rows.iter().map(|&r| WEIGHTS[r]).collect();
        state_of(metric, &pick(&LABELS), &pick(&PREDS), &w)
    }

    #[test]
    fn the_kernel_and_the_partition_count_each_group_as_its_rows_alone() {
        let metric = auc(false);
        let b = batch(&LABELS, &PREDS, &WEIGHTS);
        let shapes = InputShapes {
            y_true: &[7],
            y_pred: &[7],
        };
        let ids = slot_ids(&IDS);
        assert_eq!(ids, SlotIds::Offset { low: 10, slots: 3 });
        let slots = ids.slots(&IDS);
        let kernel = metric
            .count_slots(&b, shapes, slots)
            .expect("kernel")
            .expect("valid");
        assert_eq!(kernel.rows, vec![4, 0, 3]);
        let partition = Partition::new(slots);
        let groups = vec![(0, 0), (2, 0)];
        let parts = count_partitioned(&metric, &b, shapes, &partition, groups).expect("valid");
        for ((slot, from_kernel), from_parts) in [0, 2].into_iter().zip([0, 1]).zip(parts) {
            let alone = expected(&metric, ids.value(slot));
            let mut state = metric.new_state();
            metric
                .add(&mut state, kernel.counts[slot].clone())
                .expect("added");
            assert_eq!(state, alone, "kernel, slot {slot} ({from_kernel})");
            let mut state = metric.new_state();
            metric.add(&mut state, from_parts).expect("added");
            assert_eq!(state, alone, "partition, slot {slot}");
        }
    }

    #[test]
    fn wide_ids_are_ranked() {
        let ids = [5, -(1 << 40), 5, 1 << 50];
        let slot_ids = slot_ids(&ids);
        let SlotIds::Ranked {
            ids: ranked,
            values,
        } = &slot_ids
        else {
            panic!("ranked expected")
        };
        assert_eq!(ranked, &vec![1, 0, 1, 2]);
        assert_eq!(values, &vec![-(1 << 40), 5, 1 << 50]);
        assert_eq!(slot_ids.value(2), 1 << 50);
    }

    #[test]
    fn a_bad_row_fails_the_batch_with_its_own_index() {
        let metric = auc(false);
        let labels = [0.0f32, 1.0, 2.0];
        let b = batch(&labels, &[0.1, 0.9, 0.4], &[]);
        let shapes = InputShapes {
            y_true: &[3],
            y_pred: &[3],
        };
        let ids = [1i64, 0, 1];
        let slots = slot_ids(&ids);
        let error = metric
            .count_slots(&b, shapes, slots.slots(&ids))
            .expect("kernel")
            .err()
            .expect("refused");
        assert!(error.to_string().contains("at index 2"), "{error}");
        let multi = auc(true);
        let partition = Partition::new(slots.slots(&ids));
        let two = [3usize, 2];
        let shapes = InputShapes {
            y_true: &two,
            y_pred: &two,
        };
        let labels = [0.0f32, 1.0, 1.0, 0.0, 2.0, 1.0];
        let layout = Layout::align(&two, &two, false).expect("2-D");
        let b = Batch::new(
            Labels::F32(&labels),
            Predictions::F32(&[0.5; 6]),
            WeightView::None,
            layout,
        )
        .expect("batch");
        let error = count_partitioned(&multi, &b, shapes, &partition, vec![(0, 0), (1, 0)])
            .expect_err("refused");
        assert!(error.to_string().contains("at index (2, 0)"), "{error}");
        assert!(check_rows(&b, shapes, 2).is_err());
    }

    #[test]
    fn counters_carry_past_65535_and_weights_sum() {
        let metric = auc(false);
        let n = 200_000;
        let labels = vec![1.0f32; n];
        let preds = vec![0.5f32; n];
        let ids: Vec<i64> = (0..n as i64).map(|r| r % 2).collect();
        let sh = [n];
        let shapes = InputShapes {
            y_true: &sh,
            y_pred: &sh,
        };
        for weights in [Vec::new(), vec![0.5; n]] {
            let b = batch(&labels, &preds, &weights);
            let slot_ids = slot_ids(&ids);
            let kernel = metric
                .count_slots(&b, shapes, slot_ids.slots(&ids))
                .expect("kernel")
                .expect("valid");
            assert_eq!(kernel.rows, vec![n / 2, n / 2]);
            let rows: Vec<usize> = (0..n).filter(|r| r % 2 == 1).collect();
            let w: Vec<f64> = rows
                .iter()
                .map(|&r| weights.get(r).copied().unwrap_or(1.0))
                .collect();
            let alone = state_of(&metric, &labels[..n / 2], &preds[..n / 2], &w);
            let mut state = metric.new_state();
            let counts = kernel.counts.into_iter().nth(1).expect("slot 1");
            metric.add(&mut state, counts).expect("added");
            assert_eq!(state, alone);
        }
    }
}
