//! Counting one batch into a [`Histogram`]: O(N) for the even path,
//! O(N log T) for the direct path, never O(N x T).
//!
//! The hot path (every element counted, no element-wise sigmoid, simple
//! weights) goes to the table kernel, everything else to the block kernel.
//! Large batches are counted in parallel segments (see [`crate::segments`]).

use std::ops::Range;

use crate::batch::{Batch, Predictions, WeightView};
use crate::block_kernel;
use crate::dispatch::{with_labels, with_ranker};
use crate::error::CoreResult;
use crate::histogram::Histogram;
use crate::logit::logit_ranker;
use crate::plan::CountPlan;
use crate::ranker::AnyRanker;
use crate::segments::{count_segments, segment_count};
use crate::table_kernel::{count_table, Rows};
use crate::tuning::LOGIT_BOUNDARIES_MIN_ELEMENTS_PER_THRESHOLD;
use crate::validate::{Bad, Domain};
use crate::weights::ElementWeights;

/// Counts a batch. The batch is validated completely before the result exists,
/// so a caller that adds the histogram only on success updates all or nothing.
pub fn count(batch: &Batch, plan: &CountPlan) -> CoreResult<Histogram> {
    let layout = &batch.layout;
    plan.check(layout)?;
    let (slots, ranks) = (plan.slots(layout), plan.thresholds.len() + 1);
    if layout.is_empty() {
        // Nothing to count, however wide the (empty) rows: no row-sized buffers.
        return Ok(Histogram::new(slots, ranks));
    }
    // Logits of a large batch are counted against thresholds mapped into
    // logit space once, as finite values (the same counts, no sigmoid each).
    let logit_plan;
    let (plan, ranker) = if plan.domain == Domain::Logits
        && plan.top_k.is_none()
        && layout.len() >= LOGIT_BOUNDARIES_MIN_ELEMENTS_PER_THRESHOLD * (ranks + 1)
    {
        logit_plan = CountPlan {
            domain: Domain::Finite,
            ..*plan
        };
        (&logit_plan, logit_ranker(plan.thresholds, plan.dtype))
    } else {
        (plan, AnyRanker::new(plan.thresholds, plan.dtype))
    };
    let table = table_kernel_applies(batch, plan, &ranker);
    let empty = if table {
        Histogram::single_lane(slots, ranks)
    } else {
        Histogram::new(slots, ranks)
    };
    let segments = segment_count(layout.rows, layout.len(), empty.bytes());
    let count_rows = |rows: Range<usize>| {
        if table {
            table_rows(batch, plan, &ranker, rows, empty.clone())
        } else {
            block_kernel::count_rows(batch, plan, &ranker, rows, empty.clone())
        }
    };
    count_segments(layout.rows, segments, count_rows, |total, part| {
        total.merge(&part)
    })
    .map_err(|bad| bad.into_error(layout, plan.domain))
}

/// Whether the table kernel counts this batch: evenly spaced thresholds (or
/// the direct path), every element counted, no element-wise sigmoid, and
/// weights absent, scalar, one per element or one per row.
fn table_kernel_applies(batch: &Batch, plan: &CountPlan, ranker: &AnyRanker) -> bool {
    let cols = batch.layout.cols;
    let weights_ok = match batch.weights {
        WeightView::None | WeightView::Scalar(_) => true,
        WeightView::F32 {
            row_stride,
            col_stride,
            ..
        }
        | WeightView::F64 {
            row_stride,
            col_stride,
            ..
        } => per_element_or_row(cols, row_stride, col_stride),
    };
    ranker.table_ready()
        && weights_ok
        && plan.selected_columns(&batch.layout).len() == cols
        && plan.top_k.is_none()
        && plan.column_weights.is_none()
        && plan.domain != Domain::Logits
}

/// Whether strided weights are one per element, in element order, or one per
/// row (broadcast along it).
fn per_element_or_row(cols: usize, row_stride: usize, col_stride: usize) -> bool {
    let per_row = row_stride == 1 && (cols == 1 || col_stride == 0);
    per_row || (col_stride == 1 && row_stride == cols)
}

/// Counts `rows` with the table kernel (which [`table_kernel_applies`]).
fn table_rows(
    batch: &Batch,
    plan: &CountPlan,
    ranker: &AnyRanker,
    rows: Range<usize>,
    mut hist: Histogram,
) -> Result<Histogram, Bad> {
    let cols = batch.layout.cols;
    let elements = rows.start * cols..rows.end * cols;
    let weights = match batch.weights {
        WeightView::None => ElementWeights::Uniform(1.0),
        WeightView::Scalar(w) => ElementWeights::Uniform(w),
        WeightView::F32 {
            data, col_stride, ..
        } if col_stride == 0 && cols > 1 => ElementWeights::RowsF32(&data[rows]),
        WeightView::F64 {
            data, col_stride, ..
        } if col_stride == 0 && cols > 1 => ElementWeights::RowsF64(&data[rows]),
        WeightView::F32 { data, .. } => ElementWeights::F32(&data[elements.clone()]),
        WeightView::F64 { data, .. } => ElementWeights::F64(&data[elements.clone()]),
    };
    let per_column = plan.per_column && cols > 1;
    macro_rules! counted {
        ($preds:expr) => {
            with_labels!(batch.labels, l => with_ranker!(ranker, r => {
                let rows = Rows {
                    preds: &$preds[elements.clone()],
                    labels: &l[elements.clone()],
                    weights,
                    first: elements.start,
                    cols,
                    per_column,
                };
                count_table(&rows, r, plan.domain, &mut hist)
            }))
        };
    }
    match batch.predictions {
        Predictions::F32(p) => counted!(p),
        Predictions::F64(p) => counted!(p),
        Predictions::F16(p) => counted!(p),
    }?;
    Ok(hist)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Columns, Labels, Layout, WeightLayout};
    use crate::dtype::MetricDtype;
    use crate::thresholds::ThresholdSet;
    use crate::tuning::PARALLEL_MIN_ELEMENTS;

    fn plan(thresholds: &ThresholdSet) -> CountPlan<'_> {
        CountPlan {
            thresholds,
            dtype: MetricDtype::Float32,
            columns: Columns::All,
            top_k: None,
            per_column: false,
            column_weights: None,
            domain: Domain::Finite,
        }
    }

    fn batch<'a>(labels: &'a [f32], preds: &'a [f32], weights: WeightView<'a>) -> Batch<'a> {
        let layout = Layout::align(&[labels.len()], &[preds.len()], false).unwrap();
        Batch::new(
            Labels::F32(labels),
            Predictions::F32(preds),
            weights,
            layout,
        )
        .unwrap()
    }

    #[test]
    fn counts_by_rank() {
        let t = ThresholdSet::keras(vec![0.5]);
        let b = batch(&[0., 1., 1., 1.], &[1., 0., 1., 1.], WeightView::None);
        let h = count(&b, &plan(&t)).unwrap();
        assert_eq!(h.get(0, 0), (0.0, 1.0)); // one positive below 0.5
        assert_eq!(h.get(0, 1), (1.0, 2.0));
    }

    #[test]
    fn bad_values_name_their_index() {
        let t = ThresholdSet::keras(vec![0.5]);
        let b = batch(&[0., 2., 1.], &[0.1, 0.2, 0.3], WeightView::None);
        let err = count(&b, &plan(&t)).unwrap_err();
        assert!(err.message().contains("2.0 at index 1"), "{err}");
        let b = batch(&[0., 1., 1.], &[0.1, f32::NAN, 0.3], WeightView::None);
        assert!(count(&b, &plan(&t))
            .unwrap_err()
            .message()
            .contains("nan at index 1"));
        let w = [1.0f32, f32::INFINITY, 1.0];
        let weights = WeightView::F32 {
            data: &w,
            row_stride: 1,
            col_stride: 0,
        };
        let b = batch(&[0., 1., 1.], &[0.1, 0.2, 0.3], weights);
        assert!(count(&b, &plan(&t))
            .unwrap_err()
            .message()
            .contains("sample_weight"));
    }

    /// The parallel table kernel, and the block kernel on one thread, count
    /// the same weighted histogram.
    #[test]
    fn parallel_equals_sequential() {
        let n = 3 * PARALLEL_MIN_ELEMENTS + 17;
        let preds: Vec<f32> = (0..n).map(|i| ((i * 7919) % 1000) as f32 / 999.0).collect();
        let labels: Vec<f32> = (0..n).map(|i| ((i * 31) % 3 == 0) as u8 as f32).collect();
        let weights: Vec<f32> = (0..n).map(|i| (i % 5) as f32).collect();
        let mut values = vec![-1e-7];
        values.extend((1..199).map(|i| i as f64 / 199.0));
        values.push(1.0 + 1e-7);
        let t = ThresholdSet::with_path(values, true);
        let layout = Layout::align(&[n], &[n], false).unwrap();
        assert_eq!(
            layout.weight_layout(Some(&[n])).unwrap(),
            WeightLayout::Strided {
                row_stride: 1,
                col_stride: 0
            }
        );
        let weights = WeightView::F32 {
            data: &weights,
            row_stride: 1,
            col_stride: 0,
        };
        let b = Batch::new(
            Labels::F32(&labels),
            Predictions::F32(&preds),
            weights,
            layout,
        )
        .unwrap();
        let p = plan(&t);
        let parallel = count(&b, &p).unwrap();
        let ranker = AnyRanker::new(&t, MetricDtype::Float32);
        let sequential =
            block_kernel::count_rows(&b, &p, &ranker, 0..n, Histogram::new(1, t.len() + 1))
                .unwrap();
        for rank in 0..=t.len() {
            assert_eq!(
                parallel.get(0, rank),
                sequential.get(0, rank),
                "rank {rank}"
            );
        }
    }

    #[test]
    fn top_k_keeps_the_lowest_index_among_ties() {
        let t = ThresholdSet::keras(vec![crate::thresholds::NEG_INF]);
        let layout = Layout::align(&[4], &[4], true).unwrap();
        let labels = [0f32, 0., 1., 1.];
        let preds = [1f32, 1., 1., 1.];
        let b = Batch::new(
            Labels::F32(&labels),
            Predictions::F32(&preds),
            WeightView::None,
            layout,
        )
        .unwrap();
        let mut p = plan(&t);
        p.top_k = Some(2);
        let h = count(&b, &p).unwrap();
        // The two kept predictions are the negatives at index 0 and 1.
        assert_eq!(h.get(0, 1), (2.0, 0.0));
        assert_eq!(h.get(0, 0), (0.0, 2.0));
    }
}
