//! F1Score and FBetaScore: per-class counts at one cut-off (a threshold, or
//! "equals the row maximum"), averaged as Keras 3 averages them.

use std::ops::Range;

use crate::batch::Batch;
use crate::dispatch::with_inputs;
use crate::dtype::MetricDtype;
use crate::error::{shape_str, CoreError, CoreResult};
use crate::float::{Float, EPSILON};
use crate::fscore_kernel::{count_periods, count_row_max, ColumnCounts};
use crate::metric::{bad_checkpoint, InputShapes, Metric, SavedArray, Variable};
use crate::segments::{count_segments, segment_count};
use crate::thresholds::py_float;
use crate::validate::{Bad, Domain};
use crate::values::{Label, Prediction};
use crate::weights::WeightAt;

/// With `threshold=None`, predictions this close to 0 are never positive.
const ZERO_TOLERANCE: f64 = 1e-9;
/// Keras's variable names, in Keras's order ([`FBetaState::arrays`]'s).
const VARIABLES: [&str; 4] = [
    "true_positives",
    "false_positives",
    "false_negatives",
    "intermediate_weights",
];

/// How per-class scores are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// One score per class.
    PerClass,
    /// Counts summed over classes first.
    Micro,
    Macro,
    /// Weighted by each class's (sample-weighted) number of positives.
    Weighted,
}

impl Average {
    pub fn parse(name: Option<&str>) -> CoreResult<Self> {
        Ok(match name {
            None => Average::PerClass,
            Some("micro") => Average::Micro,
            Some("macro") => Average::Macro,
            Some("weighted") => Average::Weighted,
            Some(other) => {
                return Err(CoreError::value(format!(
                    "Invalid `average` argument value. Expected one of: {{None, 'micro', \
                     'macro', 'weighted'}}. Received: average={other}"
                )))
            }
        })
    }
}

/// The immutable part of an F-beta metric.
#[derive(Debug, Clone, PartialEq)]
pub struct FBetaMetric {
    pub average: Average,
    pub beta: f64,
    /// `None`: a prediction is positive iff it is its row's maximum.
    pub threshold: Option<f64>,
    pub dtype: MetricDtype,
}

/// Weighted counts: per class, or one entry for `micro`. `classes` is `None`
/// until the first update fixes the class count (which may be 0, as in Keras).
#[derive(Debug, Clone, PartialEq)]
pub struct FBetaState {
    pub classes: Option<usize>,
    pub true_positives: Vec<f64>,
    pub false_positives: Vec<f64>,
    pub false_negatives: Vec<f64>,
    pub intermediate_weights: Vec<f64>,
}

/// One batch's per-class counts.
#[derive(Debug, Clone, PartialEq)]
pub struct FBetaCounts {
    /// `[class][tp, fp, fn, positives]`.
    sums: Vec<[f64; 4]>,
}

impl FBetaState {
    pub fn empty() -> Self {
        FBetaState {
            classes: None,
            true_positives: Vec::new(),
            false_positives: Vec::new(),
            false_negatives: Vec::new(),
            intermediate_weights: Vec::new(),
        }
    }

    fn zeros(classes: usize, len: usize) -> Self {
        FBetaState {
            classes: Some(classes),
            true_positives: vec![0.0; len],
            false_positives: vec![0.0; len],
            false_negatives: vec![0.0; len],
            intermediate_weights: vec![0.0; len],
        }
    }

    pub fn arrays(&self) -> [&[f64]; 4] {
        [
            &self.true_positives,
            &self.false_positives,
            &self.false_negatives,
            &self.intermediate_weights,
        ]
    }

    fn arrays_mut(&mut self) -> [&mut Vec<f64>; 4] {
        [
            &mut self.true_positives,
            &mut self.false_positives,
            &mut self.false_negatives,
            &mut self.intermediate_weights,
        ]
    }

    /// Zeros, keeping the class count fixed by earlier updates (as Keras's
    /// variables keep their shape).
    pub fn reset(&mut self) {
        for v in self.arrays_mut() {
            v.fill(0.0);
        }
    }
}

impl FBetaMetric {
    /// Keras's rules for `average`, `beta` (> 0) and `threshold` (in (0, 1]),
    /// in Keras's order, then the refusal of a NaN or infinite `beta` (which
    /// Keras lets through). Python-type checks (`beta` must be a float) are the
    /// caller's.
    pub fn new(
        average: Option<&str>,
        beta: f64,
        threshold: Option<f64>,
        dtype: MetricDtype,
    ) -> CoreResult<Self> {
        let average = Average::parse(average)?;
        let beta_not_positive = || {
            CoreError::value(format!(
                "Invalid `beta` argument value. It should be > 0. Received: beta={}",
                py_float(beta)
            ))
        };
        if beta <= 0.0 {
            return Err(beta_not_positive());
        }
        if let Some(t) = threshold {
            if !(t > 0.0 && t <= 1.0) {
                return Err(CoreError::value(format!(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. \
                     Received: threshold={}",
                    py_float(t)
                )));
            }
        }
        if !beta.is_finite() {
            return Err(beta_not_positive());
        }
        Ok(FBetaMetric {
            average,
            beta,
            threshold,
            dtype,
        })
    }

    fn state_len(&self, classes: usize) -> usize {
        if self.average == Average::Micro {
            1
        } else {
            classes
        }
    }

    /// Builds an unbuilt state for `classes`; `Err(built)` if it holds another
    /// class count.
    fn build(&self, state: &mut FBetaState, classes: usize) -> Result<(), usize> {
        match state.classes {
            None => *state = FBetaState::zeros(classes, self.state_len(classes)),
            Some(built) if built != classes => return Err(built),
            Some(_) => {}
        }
        Ok(())
    }

    /// Keras 3's formulas in dtype `C` (`eps = 1e-7`): per-class F-beta,
    /// then none / mean / positives-weighted sum.
    fn scores<C: Float>(&self, state: &FBetaState) -> Vec<C> {
        let eps = C::from_f64(EPSILON);
        let beta2 = C::from_f64(self.beta * self.beta);
        let scores: Vec<C> = (0..state.true_positives.len())
            .map(|i| {
                let tp = C::from_f64(state.true_positives[i]);
                let precision = tp / (tp + C::from_f64(state.false_positives[i]) + eps);
                let recall = tp / (tp + C::from_f64(state.false_negatives[i]) + eps);
                precision * recall / (beta2 * precision + recall + eps) * (C::ONE + beta2)
            })
            .collect();
        match self.average {
            Average::PerClass => scores,
            Average::Micro | Average::Macro => {
                let sum = scores.iter().fold(C::ZERO, |a, &b| a + b);
                vec![sum / C::from_f64(scores.len() as f64)]
            }
            Average::Weighted => {
                let iw: Vec<C> = state
                    .intermediate_weights
                    .iter()
                    .map(|&v| C::from_f64(v))
                    .collect();
                let total = iw.iter().fold(C::ZERO, |a, &b| a + b) + eps;
                let sum = scores
                    .iter()
                    .zip(&iw)
                    .fold(C::ZERO, |a, (&f, &w)| a + f * (w / total));
                vec![sum]
            }
        }
    }
}

impl Metric for FBetaMetric {
    type State = FBetaState;
    type Counts = FBetaCounts;
    /// The class count, once the first update fixed it.
    type Width = Option<usize>;

    fn dtype(&self) -> MetricDtype {
        self.dtype
    }

    fn new_state(&self) -> FBetaState {
        FBetaState::empty()
    }

    fn width(&self, state: &FBetaState) -> Option<usize> {
        state.classes
    }

    /// Both inputs must be `(N, C)` as given (no alignment), as Keras checks
    /// first.
    fn check_shapes(&self, shapes: InputShapes) -> CoreResult<()> {
        if shapes.y_true.len() != 2 || shapes.y_pred.len() != 2 {
            return Err(CoreError::value(format!(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received \
                 input shapes: y_pred.shape={} and y_true.shape={}.",
                shape_str(shapes.y_pred),
                shape_str(shapes.y_true)
            )));
        }
        Ok(())
    }

    /// `(N, C)` inputs, with `C` equal to the class count of earlier updates.
    fn count(
        &self,
        batch: &Batch,
        shapes: InputShapes,
        built: Option<usize>,
    ) -> CoreResult<FBetaCounts> {
        self.check_shapes(shapes)?;
        let classes = batch.layout.cols;
        if let Some(built) = built.filter(|&built| built != classes) {
            return Err(CoreError::value(format!(
                "`y_pred` has {classes} classes but this metric was built for {built} by its \
                 first update. Received: y_pred.shape={}",
                shape_str(shapes.y_pred)
            )));
        }
        if batch.layout.is_empty() {
            // An empty batch still fixes the class count (as in Keras), so its
            // width may ask for an allocation no data backs: fail, never abort.
            let mut sums = Vec::new();
            sums.try_reserve_exact(classes).map_err(|_| {
                CoreError::value(format!(
                    "`y_pred` has {classes} classes: too many to allocate. Received: \
                     y_pred.shape={}",
                    shape_str(shapes.y_pred)
                ))
            })?;
            sums.resize(classes, [0.0; 4]);
            return Ok(FBetaCounts { sums });
        }
        let rule = Cutoff {
            threshold: self.threshold,
        };
        let counts = match self.dtype {
            MetricDtype::Float32 => count_batch::<f32>(batch, rule),
            MetricDtype::Float64 => count_batch::<f64>(batch, rule),
        };
        counts.map_err(|bad| bad.into_error(&batch.layout, Domain::Finite))
    }

    /// Fixes the class count on the first update.
    fn add(&self, state: &mut FBetaState, counts: FBetaCounts) -> CoreResult<()> {
        let classes = counts.sums.len();
        self.build(state, classes).map_err(|built| {
            CoreError::value(format!(
                "`y_pred` has {classes} classes but this metric holds {built}"
            ))
        })?;
        let micro = self.average == Average::Micro;
        for (c, sums) in counts.sums.iter().enumerate() {
            let i = if micro { 0 } else { c };
            for (target, value) in state.arrays_mut().into_iter().zip(sums) {
                target[i] += value;
            }
        }
        Ok(())
    }

    fn check_mergeable(&self, other: &Self) -> CoreResult<()> {
        if self == other {
            Ok(())
        } else {
            Err(CoreError::value(format!(
                "cannot merge F-score metrics with different configurations: {:?} and {:?}",
                self, other
            )))
        }
    }

    /// An unbuilt state adopts the other's class count.
    fn merge(&self, state: &mut FBetaState, other: &FBetaState) -> CoreResult<()> {
        let Some(classes) = other.classes else {
            return Ok(());
        };
        self.build(state, classes).map_err(|built| {
            CoreError::value(format!(
                "cannot merge F-score states of {built} and {classes} classes"
            ))
        })?;
        for (mine, theirs) in state.arrays_mut().into_iter().zip(other.arrays()) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
        Ok(())
    }

    fn reset(&self, state: &mut FBetaState) {
        state.reset();
    }

    /// `(C,)` arrays, or 0-d for `micro`; none before the first update.
    fn variables<'s>(&self, state: &'s FBetaState) -> Vec<Variable<'s>> {
        let Some(classes) = state.classes else {
            return Vec::new();
        };
        let shape = if self.average == Average::Micro {
            vec![]
        } else {
            vec![classes]
        };
        VARIABLES
            .into_iter()
            .zip(state.arrays())
            .map(|(name, values)| Variable {
                name,
                shape: shape.clone(),
                values,
            })
            .collect()
    }

    fn saved_width(&self, state: &FBetaState) -> Option<usize> {
        state.classes
    }

    /// Four `(C,)` variables (0-d for `micro`, whose class count only the
    /// width records), or none before the first update.
    fn state_from(&self, width: Option<usize>, saved: &[SavedArray]) -> CoreResult<FBetaState> {
        if saved.is_empty() && width.is_none() {
            return Ok(FBetaState::empty());
        }
        let micro = self.average == Average::Micro;
        let classes = match (width, saved.first().map(|a| a.shape.as_slice())) {
            (Some(classes), _) => Some(classes),
            (None, Some(&[classes])) if !micro => Some(classes),
            _ => None,
        };
        let shape = match (micro, classes) {
            (true, _) => vec![],
            (false, Some(classes)) => vec![classes],
            (false, None) => vec![0],
        };
        let Some(classes) =
            classes.filter(|_| saved.len() == 4 && saved.iter().all(|a| a.shape == shape))
        else {
            let expected = if micro {
                "4 variables of shape () and the class count".to_string()
            } else {
                "4 variables of shape (classes,)".to_string()
            };
            return Err(bad_checkpoint(&expected, saved));
        };
        let mut state = FBetaState::zeros(classes, self.state_len(classes));
        for (target, array) in state.arrays_mut().into_iter().zip(saved) {
            target.clone_from(&array.values);
        }
        Ok(state)
    }

    /// Empty before any update for `average=None`, else 0. Built with 0
    /// classes, `macro` is the mean of nothing: NaN, as in Keras.
    fn result<C: Float>(&self, state: &FBetaState) -> Vec<C> {
        if state.classes.is_none() {
            return match self.average {
                Average::PerClass => Vec::new(),
                _ => vec![C::ZERO],
            };
        }
        self.scores(state)
    }

    fn scalar_result(&self) -> bool {
        self.average != Average::PerClass
    }
}

/// Which predictions are positive.
#[derive(Debug, Clone, Copy)]
struct Cutoff {
    threshold: Option<f64>,
}

fn count_batch<C: Float>(batch: &Batch, rule: Cutoff) -> Result<FBetaCounts, Bad> {
    let layout = &batch.layout;
    let partial_bytes = layout.cols * std::mem::size_of::<[f64; 4]>();
    let segments = segment_count(layout.rows, layout.len(), partial_bytes);
    let sums = count_segments(
        layout.rows,
        segments,
        |rows| count_rows::<C>(batch, rule, rows),
        |total, part| {
            for (sum, part) in total.iter_mut().zip(part) {
                for k in 0..4 {
                    sum[k] += part[k];
                }
            }
        },
    )?;
    Ok(FBetaCounts { sums })
}

fn count_rows<C: Float>(
    batch: &Batch,
    rule: Cutoff,
    rows: Range<usize>,
) -> Result<Vec<[f64; 4]>, Bad> {
    with_inputs!(batch, rows_of::<C, _, _, _>, batch, rule, rows.clone())
}

/// Per-class sums from integer counts under one weight `w` for all elements.
fn set_uniform_sums(sums: &mut [[f64; 4]], counts: &ColumnCounts, w: f64) {
    for (sum, &[hits, predicted, positive]) in sums.iter_mut().zip(counts) {
        let [hits, predicted, positive] = [hits, predicted, positive].map(|v| v as f64);
        *sum = [
            w * hits,
            w * (predicted - hits),
            w * (positive - hits),
            w * positive,
        ];
    }
}

/// Counts `rows`, validating every element; the first bad one (row-major) is
/// reported.
fn rows_of<C: Float, P: Prediction, L: Label, W: WeightAt>(
    preds: &[P],
    labels: &[L],
    weights: W,
    batch: &Batch,
    rule: Cutoff,
    rows: Range<usize>,
) -> Result<Vec<[f64; 4]>, Bad> {
    let cols = batch.layout.cols;
    let mut sums = vec![[0.0f64; 4]; cols];
    let threshold = rule.threshold.map(C::from_f64);
    let tolerance = C::from_f64(ZERO_TOLERANCE).to_f64();
    let mut rows = rows;
    if W::UNIFORM {
        let elements = rows.start * cols..rows.end * cols;
        let (preds, labels) = (&preds[elements.clone()], &labels[elements]);
        // On a bad value, fall through: the loop below reports the first one.
        let counted = match threshold {
            Some(t) => count_periods(preds, labels, cols, t),
            None => count_row_max::<C, P, L>(preds, labels, cols, tolerance)
                .map(|counts| (counts, preds.len())),
        };
        if let Some((counts, counted)) = counted {
            set_uniform_sums(&mut sums, &counts, weights.at(0, 0));
            rows.start += counted / cols.max(1);
        }
    }
    for r in rows {
        let base = r * cols;
        let row = &preds[base..base + cols];
        let Some(&first) = row.first() else {
            continue;
        };
        let mut row_max = C::from_prediction(first);
        let mut finite = true;
        for &p in row {
            let x = C::from_prediction(p);
            finite &= x.to_f64().is_finite();
            if x > row_max {
                row_max = x;
            }
        }
        if !finite {
            let c = row
                .iter()
                .position(|&p| !C::from_prediction(p).to_f64().is_finite())
                .unwrap_or(0);
            return Err(Bad::Prediction(
                base + c,
                C::from_prediction(row[c]).to_f64(),
            ));
        }
        for (c, sum) in sums.iter_mut().enumerate() {
            let x = C::from_prediction(row[c]);
            let predicted = match threshold {
                Some(t) => x > t,
                None => x >= row_max && x.to_f64().abs() > tolerance,
            };
            let label = labels[base + c];
            let actual = label.class().ok_or(Bad::Label(base + c, label.to_f64()))?;
            let w = weights.at(r, c);
            if !w.is_finite() {
                return Err(Bad::Weight(base + c, w));
            }
            let (p, y) = (f64::from(u8::from(predicted)), f64::from(u8::from(actual)));
            sum[0] += w * p * y;
            sum[1] += w * p * (1.0 - y);
            sum[2] += w * (1.0 - p) * y;
            sum[3] += w * y;
        }
    }
    Ok(sums)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Labels, Layout, Predictions, WeightView};

    fn run(m: &FBetaMetric, y: &[f32], p: &[f32], classes: usize) -> FBetaState {
        let shape = [y.len() / classes, classes];
        let layout = Layout::align(&shape, &shape, false).unwrap();
        let batch = Batch::new(
            Labels::F32(y),
            Predictions::F32(p),
            WeightView::None,
            layout,
        )
        .unwrap();
        let mut state = FBetaState::empty();
        let shapes = InputShapes {
            y_true: &shape,
            y_pred: &shape,
        };
        let counts = m.count(&batch, shapes, None).unwrap();
        m.add(&mut state, counts).unwrap();
        state
    }

    const Y: [f32; 9] = [1., 1., 1., 1., 0., 0., 1., 1., 0.];
    const P: [f32; 9] = [0.2, 0.6, 0.7, 0.2, 0.6, 0.6, 0.6, 0.8, 0.0];

    #[test]
    fn keras_doc_example() {
        let m = FBetaMetric::new(None, 1.0, Some(0.5), MetricDtype::Float32).unwrap();
        let s = run(&m, &Y, &P, 3);
        let got: Vec<f32> = m.result(&s);
        let want = [0.499_999_97f32, 0.799_999_95, 0.666_666_57];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-6, "{got:?}");
        }
    }

    #[test]
    fn row_max_rule_marks_ties_and_skips_zeros() {
        let m = FBetaMetric::new(Some("micro"), 1.0, None, MetricDtype::Float32).unwrap();
        let s = run(&m, &[1., 1., 0., 0.], &[0.5, 0.5, 0., 0.], 2);
        assert_eq!(s.true_positives, vec![2.0]);
        assert_eq!(s.false_negatives, vec![0.0]);
        assert_eq!(s.false_positives, vec![0.0]);
    }

    #[test]
    fn argument_messages() {
        let err = FBetaMetric::new(Some("foo"), 1.0, None, MetricDtype::Float32).unwrap_err();
        assert!(err.message().ends_with("Received: average=foo"), "{err}");
        let err = FBetaMetric::new(None, 0.0, None, MetricDtype::Float32).unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid `beta` argument value. It should be > 0. Received: beta=0.0"
        );
        assert!(FBetaMetric::new(None, 1.0, Some(0.0), MetricDtype::Float32).is_err());
        // Keras's checks first: an infinite beta (which Keras accepts) is refused after them.
        let err = FBetaMetric::new(None, f64::INFINITY, Some(2.0), MetricDtype::Float32);
        assert!(err.unwrap_err().message().contains("threshold=2.0"));
        let err = FBetaMetric::new(None, f64::NAN, None, MetricDtype::Float32).unwrap_err();
        assert!(err.message().ends_with("Received: beta=nan"), "{err}");
        assert!(FBetaMetric::new(None, 1.0, Some(1.0), MetricDtype::Float32).is_ok());
    }
}
