//! Criterion benches of the counting kernels on the workloads, scaled
//! to 1M elements so a run stays short: `cargo bench -p ferrometrics-core`.
//! The side-by-side comparison with Keras and the others is `benches/peers.py`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ferrometrics_core::batch::{Labels, Predictions};
use ferrometrics_core::fscore::FBetaMetric;
use ferrometrics_core::{
    AucConfig, AucMetric, Batch, InputShapes, Layout, Metric, MetricDtype, WeightLayout, WeightView,
};

const ROWS: usize = 1 << 20;

/// Deterministic scores correlated with Bernoulli(0.3)-like labels.
fn data(n: usize) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32
    };
    let labels: Vec<f32> = (0..n).map(|_| f32::from(u8::from(next() < 0.3))).collect();
    let preds = labels
        .iter()
        .map(|&y| (0.7 * next() + 0.3 * y).min(1.0))
        .collect();
    let weights = (0..n).map(|_| next()).collect();
    (labels, preds, weights)
}

fn auc(thresholds: Option<Vec<f64>>, multi_label: bool, curve: &str) -> AucMetric {
    AucMetric::new(AucConfig {
        num_thresholds: 200,
        curve: curve.into(),
        summation_method: "interpolation".into(),
        thresholds,
        multi_label,
        num_labels: None,
        label_weights: None,
        from_logits: false,
        dtype: MetricDtype::Float32,
    })
    .expect("valid AUC")
}

fn bench_auc(c: &mut Criterion) {
    let (labels, preds, weights) = data(ROWS);
    let mut group = c.benchmark_group("auc_count");
    group.throughput(Throughput::Elements(ROWS as u64));
    let sorted: Vec<f64> = {
        let (_, p, _) = data(1000);
        let mut t: Vec<f64> = p.iter().map(|&v| f64::from(v)).collect();
        t.sort_by(f64::total_cmp);
        t
    };
    let cases: [(&str, AucMetric, bool, Vec<usize>); 4] = [
        ("roc_200", auc(None, false, "ROC"), false, vec![ROWS]),
        ("pr_200_weighted", auc(None, false, "PR"), true, vec![ROWS]),
        (
            "sorted_1000",
            auc(Some(sorted), false, "ROC"),
            false,
            vec![ROWS],
        ),
        (
            "multi_label_50",
            auc(None, true, "ROC"),
            false,
            vec![ROWS / 50, 50],
        ),
    ];
    for (name, metric, weighted, shape) in cases {
        let n: usize = shape.iter().product();
        let layout = Layout::align(&shape, &shape, false).expect("same shapes");
        let weight_view = match layout.weight_layout(Some(&shape)) {
            Ok(WeightLayout::Strided {
                row_stride,
                col_stride,
            }) if weighted => WeightView::F32 {
                data: &weights[..n],
                row_stride,
                col_stride,
            },
            _ => WeightView::None,
        };
        let batch = Batch::new(
            Labels::F32(&labels[..n]),
            Predictions::F32(&preds[..n]),
            weight_view,
            layout,
        )
        .expect("valid batch");
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            let shapes = InputShapes {
                y_true: &shape,
                y_pred: &shape,
            };
            b.iter(|| metric.count(&batch, shapes, 1).expect("valid input"))
        });
    }
    group.finish();
}

fn bench_f1(c: &mut Criterion) {
    let (labels, preds, _) = data(ROWS);
    let shape = [ROWS / 16, 16];
    let metric =
        FBetaMetric::new(Some("macro"), 1.0, Some(0.5), MetricDtype::Float32).expect("valid F1");
    let layout = Layout::align(&shape, &shape, false).expect("same shapes");
    let batch = Batch::new(
        Labels::F32(&labels),
        Predictions::F32(&preds),
        WeightView::None,
        layout,
    )
    .expect("valid batch");
    let shapes = InputShapes {
        y_true: &shape,
        y_pred: &shape,
    };
    let mut group = c.benchmark_group("f1_count");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_function("macro_16_classes", |b| {
        b.iter(|| metric.count(&batch, shapes, None).expect("valid input"))
    });
    group.finish();
}

criterion_group!(benches, bench_auc, bench_f1);
criterion_main!(benches);
