//! AUC: the area under the ROC, PR or PR-gain curve, approximated from
//! confusion counts at a fixed set of thresholds (Keras's `keras.metrics.AUC`).

use crate::batch::{Batch, Columns};
use crate::confusion_state::{ConfusionState, MAX_STATE_ELEMENTS};
use crate::count::count;
use crate::dtype::{MetricDtype, Values};
use crate::error::{shape_str, CoreError, CoreResult};
use crate::float::{dnn, Float, EPSILON};
use crate::group_kernel::{self, SlotCounts, Slots};
use crate::histogram::Histogram;
use crate::metric::{bad_checkpoint, InputShapes, Metric, SavedArray, Variable};
use crate::plan::CountPlan;
use crate::thresholds::{
    check_thresholds_in_unit_range, is_evenly_distributed, py_list, ThresholdSet,
};
use crate::validate::Domain;

/// Which curve's area is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    Roc,
    Pr,
    PrGain,
}

impl Curve {
    /// Keras's spellings: upper or lower case.
    pub fn parse(name: &str) -> CoreResult<Self> {
        match name {
            "ROC" | "roc" => Ok(Curve::Roc),
            "PR" | "pr" => Ok(Curve::Pr),
            "PRGAIN" | "prgain" => Ok(Curve::PrGain),
            _ => Err(CoreError::value(format!(
                "Invalid AUC curve value: \"{name}\". Expected values are [\"PR\", \"ROC\", \"PRGAIN\"]"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Curve::Roc => "ROC",
            Curve::Pr => "PR",
            Curve::PrGain => "PRGAIN",
        }
    }
}

/// How the area between two adjacent thresholds is approximated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summation {
    Interpolation,
    Minoring,
    Majoring,
}

impl Summation {
    /// Keras's spellings: lower case or capitalised.
    pub fn parse(name: &str) -> CoreResult<Self> {
        match name {
            "interpolation" | "Interpolation" => Ok(Summation::Interpolation),
            "minoring" | "Minoring" => Ok(Summation::Minoring),
            "majoring" | "Majoring" => Ok(Summation::Majoring),
            _ => Err(CoreError::value(format!(
                "Invalid AUC summation method value: \"{name}\". Expected values are \
                 [\"interpolation\", \"majoring\", \"minoring\"]"
            ))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Summation::Interpolation => "interpolation",
            Summation::Minoring => "minoring",
            Summation::Majoring => "majoring",
        }
    }
}

/// The constructor arguments of `AUC`, as Keras takes them.
#[derive(Debug, Clone)]
pub struct AucConfig {
    pub num_thresholds: i64,
    pub curve: String,
    pub summation_method: String,
    pub thresholds: Option<Vec<f64>>,
    pub multi_label: bool,
    pub num_labels: Option<i64>,
    pub label_weights: Option<Vec<f64>>,
    pub from_logits: bool,
    pub dtype: MetricDtype,
}

/// The immutable part of an AUC metric.
#[derive(Debug, Clone, PartialEq)]
pub struct AucMetric {
    /// Ascending, with the epsilon end points: length `num_thresholds`.
    pub thresholds: ThresholdSet,
    /// Whether the caller gave the thresholds (they go into the config).
    pub user_thresholds: bool,
    pub curve: Curve,
    pub summation: Summation,
    pub multi_label: bool,
    /// `num_labels` as given; the state learns it from the first batch otherwise.
    pub num_labels: Option<usize>,
    pub label_weights: Option<Vec<f64>>,
    pub from_logits: bool,
    pub dtype: MetricDtype,
    /// Refuse predictions outside [0, 1] (unless `from_logits`).
    pub check_range: bool,
}

impl AucMetric {
    /// Keras's constructor rules, in Keras's order of checks.
    pub fn new(config: AucConfig) -> CoreResult<Self> {
        let user_thresholds = config.thresholds.is_some();
        let (interior, even) = match config.thresholds {
            Some(mut values) => {
                check_thresholds_in_unit_range(&values)?;
                values.sort_by(f64::total_cmp);
                let mut padded = Vec::with_capacity(values.len() + 2);
                padded.push(0.0);
                padded.extend_from_slice(&values);
                padded.push(1.0);
                let even = is_evenly_distributed(&padded);
                (values, even)
            }
            None => {
                let t = config.num_thresholds;
                if t <= 1 {
                    return Err(CoreError::value(format!(
                        "Argument `num_thresholds` must be an integer > 1. Received: \
                         num_thresholds={t}"
                    )));
                }
                check_size(usize::try_from(t).unwrap_or(usize::MAX), 1)?;
                let denominator = (t - 1) as f64;
                let interior = (0..t - 2).map(|i| (i + 1) as f64 / denominator).collect();
                (interior, true)
            }
        };
        let curve = Curve::parse(&config.curve)?;
        let summation = Summation::parse(&config.summation_method)?;
        let num_labels = match config.num_labels {
            None => None,
            Some(_) if !config.multi_label => {
                return Err(CoreError::value(
                    "`num_labels` is needed only when `multi_label` is True.",
                ))
            }
            Some(n) => Some(usize::try_from(n).ok().filter(|&n| n > 0).ok_or_else(|| {
                CoreError::value(format!(
                    "Argument `num_labels` must be a positive integer. Received: num_labels={n}"
                ))
            })?),
        };
        if let Some(weights) = &config.label_weights {
            check_label_weights(weights, num_labels)?;
        }
        let mut values = Vec::with_capacity(interior.len() + 2);
        values.push(-EPSILON);
        values.extend(interior);
        values.push(1.0 + EPSILON);
        check_size(values.len(), num_labels.unwrap_or(1))?;
        Ok(AucMetric {
            thresholds: ThresholdSet::with_path(values, even),
            user_thresholds,
            curve,
            summation,
            multi_label: config.multi_label,
            num_labels,
            label_weights: config.label_weights,
            from_logits: config.from_logits,
            dtype: config.dtype,
            check_range: true,
        })
    }

    /// Predictions outside [0, 1] taken as Keras takes them (clipped on the
    /// even path, compared as given on the direct path) instead of refused.
    pub fn accepting_any_range(mut self) -> Self {
        self.check_range = false;
        self
    }

    pub fn num_thresholds(&self) -> usize {
        self.thresholds.len()
    }

    /// The variables' shape: `(T,)`, or `(T, L)` for multi-label (`L` is 0
    /// until the first batch when `num_labels` was not given).
    pub fn state_shape(&self, state: &ConfusionState) -> Vec<usize> {
        if self.multi_label {
            vec![self.num_thresholds(), state.slots]
        } else {
            vec![self.num_thresholds()]
        }
    }

    fn check_labels(&self, shape: &[usize], pred_shape: &[usize], built: usize) -> CoreResult<()> {
        let labels = shape.last().copied().unwrap_or(1);
        if labels == 0 {
            return Err(CoreError::value(format!(
                "`y_pred` must have at least one label column when `multi_label=True`. \
                 Received: y_pred.shape={}",
                shape_str(pred_shape)
            )));
        }
        if built > 0 && labels != built {
            return Err(CoreError::value(format!(
                "`y_pred` has {labels} labels but this multi-label AUC holds {built} \
                 (fixed by `num_labels` or the first update). Received: y_pred.shape={}",
                shape_str(pred_shape)
            )));
        }
        if let Some(weights) = &self.label_weights {
            if weights.len() != labels {
                return Err(CoreError::value(format!(
                    "`label_weights` has {} values but `y_pred` has {labels} labels",
                    weights.len()
                )));
            }
        }
        check_size(self.num_thresholds(), labels)
    }

    fn describe(&self) -> String {
        format!(
            "(num_thresholds={}, curve={}, summation_method={}, multi_label={}, num_labels={:?}, \
             label_weights={}, from_logits={}, dtype={})",
            self.num_thresholds(),
            self.curve.name(),
            self.summation.name(),
            self.multi_label,
            self.num_labels,
            self.label_weights.as_deref().map_or("None".into(), py_list),
            self.from_logits,
            self.dtype.name()
        )
    }

    /// The PR AUC by Davis & Goadrich's interpolation between thresholds
    /// (precision varies non-linearly with recall between two points),
    /// whatever the curve.
    pub fn interpolate_pr_auc<C: Float>(&self, state: &ConfusionState) -> C {
        self.average(state, |label| interpolated_pr(&Counts::of(state, label)))
    }

    /// [`AucMetric::interpolate_pr_auc`] in the metric dtype.
    pub fn interpolate_pr_auc_values(&self, state: &ConfusionState) -> Values {
        Values::in_dtype(
            self.dtype,
            || vec![self.interpolate_pr_auc::<f32>(state)],
            || vec![self.interpolate_pr_auc::<f64>(state)],
        )
    }

    /// Per-label areas, averaged as Keras does for multi-label AUC (mean, or
    /// `label_weights`-weighted); the single area otherwise.
    fn average<C: Float>(&self, state: &ConfusionState, area: impl Fn(usize) -> C) -> C {
        let labels = state.slots;
        if labels == 0 {
            return C::ZERO;
        }
        if !self.multi_label {
            return area(0);
        }
        match &self.label_weights {
            None => {
                let sum = (0..labels).fold(C::ZERO, |acc, l| acc + area(l));
                sum / C::from_f64(labels as f64)
            }
            Some(weights) => {
                let (weighted, total) = (0..labels).fold((C::ZERO, C::ZERO), |(num, den), l| {
                    let w = C::from_f64(weights[l]);
                    (num + area(l) * w, den + w)
                });
                dnn(weighted, total)
            }
        }
    }

    fn riemann_sum<C: Float>(&self, state: &ConfusionState, label: usize) -> C {
        let counts = Counts::<C>::of(state, label);
        let (x, y) = self.curve_xy(&counts);
        let mut area = C::ZERO;
        for i in 0..x.len().saturating_sub(1) {
            let height = match self.summation {
                Summation::Interpolation => (y[i] + y[i + 1]) / C::from_f64(2.0),
                Summation::Minoring => y[i].min(y[i + 1]),
                Summation::Majoring => y[i].max(y[i + 1]),
            };
            area = area + (x[i] - x[i + 1]) * height;
        }
        area
    }

    /// The curve's points `(x, y)` at each threshold, ascending.
    fn curve_xy<C: Float>(&self, c: &Counts<C>) -> (Vec<C>, Vec<C>) {
        let recall = c.map(|tp, _, _, fn_| dnn(tp, tp + fn_));
        match self.curve {
            Curve::Roc => (c.map(|_, fp, tn, _| dnn(fp, fp + tn)), recall),
            Curve::Pr => (recall, c.map(|tp, fp, _, _| dnn(tp, tp + fp))),
            Curve::PrGain => {
                // Flach & Kull's gains, clipped as Keras clips them.
                let gains = c.map(|tp, fp, tn, fn_| {
                    let ratio = dnn(tp + fn_, tn + fp);
                    let recall_gain = C::ONE - ratio * dnn(fn_, tp);
                    let precision_gain = C::ONE - ratio * dnn(fp, tp);
                    if tp == C::ZERO {
                        (C::ZERO, C::ONE)
                    } else {
                        (recall_gain.max(C::ZERO), precision_gain)
                    }
                });
                gains.into_iter().unzip()
            }
        }
    }

    /// Precision, recall and false-positive rate at every threshold and
    /// label, in the metric dtype, indexed like the state.
    pub fn curve_rates(&self, state: &ConfusionState) -> [Values; 3] {
        fn rates<C: Float>(state: &ConfusionState) -> [Vec<C>; 3] {
            let share = |a: &[f64], b: &[f64]| -> Vec<C> {
                a.iter()
                    .zip(b)
                    .map(|(&a, &b)| {
                        let a = C::from_f64(a);
                        dnn(a, a + C::from_f64(b))
                    })
                    .collect()
            };
            let [tp, fp, tn, fn_] = state.arrays();
            [share(tp, fp), share(tp, fn_), share(fp, tn)]
        }
        match self.dtype {
            MetricDtype::Float32 => rates::<f32>(state).map(Values::F32),
            MetricDtype::Float64 => rates::<f64>(state).map(Values::F64),
        }
    }
}

impl AucMetric {
    /// How this metric counts a batch.
    fn plan(&self) -> CountPlan<'_> {
        CountPlan {
            thresholds: &self.thresholds,
            dtype: self.dtype,
            columns: Columns::All,
            top_k: None,
            per_column: self.multi_label,
            column_weights: if self.multi_label {
                None
            } else {
                self.label_weights.as_deref()
            },
            domain: match (self.from_logits, self.check_range) {
                (true, _) => Domain::Logits,
                (false, true) => Domain::UnitInterval {
                    offers_logits: true,
                },
                (false, false) => Domain::Finite,
            },
        }
    }
}

impl Metric for AucMetric {
    type State = ConfusionState;
    type Counts = Histogram;
    /// Labels of a multi-label state (0 until known); 1 otherwise.
    type Width = usize;

    fn dtype(&self) -> MetricDtype {
        self.dtype
    }

    /// Zeros of the known shape; a multi-label metric without `num_labels` has
    /// no state (0 labels) until its first batch.
    fn new_state(&self) -> ConfusionState {
        let labels = match (self.multi_label, self.num_labels) {
            (false, _) => 1,
            (true, Some(n)) => n,
            (true, None) => 0,
        };
        ConfusionState::zeros(self.num_thresholds(), labels)
    }

    fn width(&self, state: &ConfusionState) -> usize {
        state.slots
    }

    /// Keras checks the rank of `y_pred` as given (before alignment).
    fn check_shapes(&self, shapes: InputShapes) -> CoreResult<()> {
        if self.multi_label && shapes.y_pred.len() != 2 {
            return Err(CoreError::value(format!(
                "`y_pred` must have rank 2 when `multi_label=True`. Found rank {}. Full shape \
                 received for `y_pred`: {}",
                shapes.y_pred.len(),
                shape_str(shapes.y_pred)
            )));
        }
        Ok(())
    }

    fn count(&self, batch: &Batch, shapes: InputShapes, built: usize) -> CoreResult<Histogram> {
        self.check_shapes(shapes)?;
        if self.multi_label {
            self.check_labels(&batch.layout.shape, shapes.y_pred, built)?;
        }
        count(batch, &self.plan())
    }

    /// One pass for all groups when single-label (a multi-label AUC's counting
    /// depends on the labels its state has learnt: it is partitioned instead).
    fn count_slots(
        &self,
        batch: &Batch,
        shapes: InputShapes,
        slots: Slots,
    ) -> Option<CoreResult<SlotCounts<Histogram>>> {
        if self.multi_label {
            return None;
        }
        if let Err(error) = self.check_shapes(shapes) {
            return Some(Err(error));
        }
        group_kernel::count_slots(batch, &self.plan(), slots)
    }

    /// Builds a multi-label state on first use. Checked again here, under the
    /// caller's lock: a concurrent first update may have built the state with
    /// another label count.
    fn add(&self, state: &mut ConfusionState, hist: Histogram) -> CoreResult<()> {
        if state.slots == 0 {
            *state = ConfusionState::zeros(self.num_thresholds(), hist.slots());
        }
        if hist.slots() != state.slots {
            return Err(CoreError::value(format!(
                "`y_pred` has {} labels but this multi-label AUC holds {}",
                hist.slots(),
                state.slots
            )));
        }
        state.add_histogram(&hist, &self.thresholds);
        Ok(())
    }

    /// Metrics that count alike merge, however their thresholds were given
    /// (`num_thresholds=3` and `thresholds=[0.5]` are one threshold set) and
    /// whether `num_labels` was given or learnt (the states' label counts are
    /// checked when they are merged).
    fn check_mergeable(&self, other: &Self) -> CoreResult<()> {
        type Counting<'m> = (
            &'m ThresholdSet,
            Curve,
            Summation,
            bool,
            &'m Option<Vec<f64>>,
            bool,
            MetricDtype,
            bool,
        );
        fn counting(m: &AucMetric) -> Counting<'_> {
            (
                &m.thresholds,
                m.curve,
                m.summation,
                m.multi_label,
                &m.label_weights,
                m.from_logits,
                m.dtype,
                m.check_range,
            )
        }
        if counting(self) == counting(other) {
            Ok(())
        } else {
            Err(CoreError::value(format!(
                "cannot merge AUC metrics with different configurations: {} and {}",
                self.describe(),
                other.describe()
            )))
        }
    }

    /// An unbuilt multi-label state adopts the other's label count.
    fn merge(&self, state: &mut ConfusionState, other: &ConfusionState) -> CoreResult<()> {
        if other.slots == 0 {
            return Ok(());
        }
        if state.slots == 0 {
            *state = ConfusionState::zeros(self.num_thresholds(), other.slots);
        }
        if state.slots != other.slots {
            return Err(CoreError::value(format!(
                "cannot merge multi-label AUC states of {} and {} labels",
                state.slots, other.slots
            )));
        }
        state.merge(other);
        Ok(())
    }

    fn reset(&self, state: &mut ConfusionState) {
        state.reset();
    }

    fn variables<'s>(&self, state: &'s ConfusionState) -> Vec<Variable<'s>> {
        if state.slots == 0 {
            return Vec::new();
        }
        state.variables(&self.state_shape(state))
    }

    fn saved_width(&self, _: &ConfusionState) -> Option<usize> {
        None
    }

    /// Four `(T,)` variables, or `(T, L)` for multi-label; none for a
    /// multi-label AUC that has not seen data and has no `num_labels`.
    fn state_from(&self, width: Option<usize>, saved: &[SavedArray]) -> CoreResult<ConfusionState> {
        let t = self.num_thresholds();
        if saved.is_empty() && self.multi_label && self.num_labels.is_none() {
            return Ok(self.new_state());
        }
        let labels = match saved.first().map(|a| a.shape.as_slice()) {
            Some(&[_, labels]) if self.multi_label => labels,
            _ => 1,
        };
        let shape = self.state_shape(&ConfusionState::zeros(0, labels));
        let fits = saved.len() == 4
            && saved.iter().all(|a| a.shape == shape)
            && labels > 0
            && self.num_labels.map_or(true, |n| n == labels)
            && width.map_or(true, |w| w == labels);
        if !fits {
            let expected = match self.multi_label {
                true => format!("4 variables of shape ({t}, labels)"),
                false => format!("4 variables of shape ({t},)"),
            };
            return Err(bad_checkpoint(&expected, saved));
        }
        check_size(t, labels)?;
        Ok(ConfusionState::from_saved(labels, saved))
    }

    /// The AUC in dtype `C`: 0 before a multi-label AUC sees data.
    fn result<C: Float>(&self, state: &ConfusionState) -> Vec<C> {
        let area = if self.curve == Curve::Pr && self.summation == Summation::Interpolation {
            self.interpolate_pr_auc(state)
        } else {
            self.average(state, |label| self.riemann_sum(state, label))
        };
        vec![area]
    }

    fn scalar_result(&self) -> bool {
        true
    }
}

/// One label's counts at every threshold, cast to the metric dtype.
struct Counts<C> {
    tp: Vec<C>,
    fp: Vec<C>,
    tn: Vec<C>,
    fn_: Vec<C>,
}

impl<C: Float> Counts<C> {
    fn of(state: &ConfusionState, label: usize) -> Self {
        let column = |v: &[f64]| -> Vec<C> {
            v.iter()
                .skip(label)
                .step_by(state.slots)
                .map(|&x| C::from_f64(x))
                .collect()
        };
        Counts {
            tp: column(&state.true_positives),
            fp: column(&state.false_positives),
            tn: column(&state.true_negatives),
            fn_: column(&state.false_negatives),
        }
    }

    fn map<T>(&self, f: impl Fn(C, C, C, C) -> T) -> Vec<T> {
        (0..self.tp.len())
            .map(|i| f(self.tp[i], self.fp[i], self.tn[i], self.fn_[i]))
            .collect()
    }
}

/// Davis & Goadrich: between adjacent thresholds precision is
/// `dtp / dp`-linear in the positives count, integrated in closed form.
fn interpolated_pr<C: Float>(c: &Counts<C>) -> C {
    let p: Vec<C> = c.tp.iter().zip(&c.fp).map(|(&tp, &fp)| tp + fp).collect();
    let mut area = C::ZERO;
    for i in 0..p.len().saturating_sub(1) {
        let dtp = c.tp[i] - c.tp[i + 1];
        let dp = p[i] - p[i + 1];
        let slope = dnn(dtp, dp.max(C::ZERO));
        let intercept = c.tp[i + 1] - slope * p[i + 1];
        let ratio = if p[i] > C::ZERO && p[i + 1] > C::ZERO {
            dnn(p[i], p[i + 1].max(C::ZERO))
        } else {
            C::ONE
        };
        let increment = dnn(
            slope * (dtp + intercept * ratio.ln()),
            (c.tp[i + 1] + c.fn_[i + 1]).max(C::ZERO),
        );
        area = area + increment;
    }
    area
}

/// Refuses label weights that cannot average or weigh anything.
fn check_label_weights(weights: &[f64], num_labels: Option<usize>) -> CoreResult<()> {
    if weights.is_empty() || weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
        return Err(CoreError::value(format!(
            "`label_weights` must be non-empty, finite and non-negative. Received: \
             label_weights={}",
            py_list(weights)
        )));
    }
    if let Some(n) = num_labels {
        if weights.len() != n {
            return Err(CoreError::value(format!(
                "`label_weights` must have `num_labels` values. Received: {} values, \
                 num_labels={n}",
                weights.len()
            )));
        }
    }
    Ok(())
}

fn check_size(thresholds: usize, labels: usize) -> CoreResult<()> {
    if thresholds.saturating_mul(labels) > MAX_STATE_ELEMENTS {
        let what = if labels > 1 {
            "The multi-label state is too large"
        } else {
            "Argument `num_thresholds` is too large"
        };
        return Err(CoreError::value(format!(
            "{what}: {thresholds} thresholds x {labels} labels exceeds the supported \
             {MAX_STATE_ELEMENTS} state entries"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::{Labels, Layout, Predictions, WeightView};

    fn config(t: i64, curve: &str, summation: &str) -> AucConfig {
        AucConfig {
            num_thresholds: t,
            curve: curve.into(),
            summation_method: summation.into(),
            thresholds: None,
            multi_label: false,
            num_labels: None,
            label_weights: None,
            from_logits: false,
            dtype: MetricDtype::Float32,
        }
    }

    fn run(m: &AucMetric, y: &[f32], p: &[f32], w: Option<&[f32]>) -> ConfusionState {
        let layout = Layout::align(&[y.len()], &[p.len()], false).unwrap();
        let weights = match w {
            Some(data) => WeightView::F32 {
                data,
                row_stride: 1,
                col_stride: 0,
            },
            None => WeightView::None,
        };
        let batch = Batch::new(Labels::F32(y), Predictions::F32(p), weights, layout).unwrap();
        let mut state = m.new_state();
        let shapes = InputShapes {
            y_true: &[y.len()],
            y_pred: &[p.len()],
        };
        let hist = m.count(&batch, shapes, state.slots).unwrap();
        m.add(&mut state, hist).unwrap();
        state
    }

    #[test]
    fn keras_doc_example() {
        let m = AucMetric::new(config(3, "ROC", "interpolation")).unwrap();
        let s = run(&m, &[0., 0., 1., 1.], &[0., 0.5, 0.3, 0.9], None);
        assert_eq!(s.true_positives, vec![2.0, 1.0, 0.0]);
        assert_eq!(s.false_positives, vec![2.0, 0.0, 0.0]);
        assert_eq!(s.false_negatives, vec![0.0, 1.0, 2.0]);
        assert_eq!(s.true_negatives, vec![0.0, 2.0, 2.0]);
        assert_eq!(m.result::<f32>(&s), vec![0.75]);
    }

    #[test]
    fn keras_test_file_values() {
        let (y, p, w) = ([0., 0., 1., 1.], [0., 0.5, 0.3, 0.9], [1., 2., 3., 4.]);
        let expect = [
            ("ROC", "interpolation", 0.785_714_27),
            ("ROC", "minoring", 0.571_428_6),
            ("PR", "interpolation", 0.916_612_98),
        ];
        for (curve, summation, want) in expect {
            let m = AucMetric::new(config(3, curve, summation)).unwrap();
            let s = run(&m, &y, &p, Some(&w));
            let got: f32 = m.result(&s)[0];
            assert!(
                (f64::from(got) - want).abs() < 1e-6,
                "{curve} {summation}: {got}"
            );
        }
    }

    #[test]
    fn single_class_data() {
        let roc = AucMetric::new(config(200, "ROC", "interpolation")).unwrap();
        let s = run(&roc, &[1., 1.], &[0.2, 0.7], None);
        assert_eq!(roc.result::<f32>(&s), vec![0.0]);
        let pr = AucMetric::new(config(200, "PR", "interpolation")).unwrap();
        let s = run(&pr, &[1., 1.], &[0.2, 0.7], None);
        assert_eq!(pr.result::<f32>(&s), vec![1.0]);
    }

    #[test]
    fn constructor_messages() {
        let err = AucMetric::new(config(1, "ROC", "interpolation")).unwrap_err();
        assert_eq!(
            err.message(),
            "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1"
        );
        let err = AucMetric::new(config(10, "foo", "interpolation")).unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid AUC curve value: \"foo\". Expected values are [\"PR\", \"ROC\", \"PRGAIN\"]"
        );
        assert!(AucMetric::new(config(10, "pr", "Majoring")).is_ok());
        let mut c = config(10, "ROC", "interpolation");
        c.num_labels = Some(3);
        assert!(AucMetric::new(c.clone()).is_err());
        c.multi_label = true;
        c.label_weights = Some(vec![1.0, -1.0, 0.0]);
        assert!(AucMetric::new(c).is_err());
    }

    #[test]
    fn user_thresholds_are_sorted_and_padded() {
        let mut c = config(0, "ROC", "interpolation");
        c.thresholds = Some(vec![0.75, 0.25, 0.5]);
        let m = AucMetric::new(c).unwrap();
        assert_eq!(m.thresholds.values(), &[-1e-7, 0.25, 0.5, 0.75, 1.0 + 1e-7]);
        assert!(m.thresholds.is_even());
    }

    #[test]
    fn out_of_range_predictions_are_refused() {
        let m = AucMetric::new(config(10, "ROC", "interpolation")).unwrap();
        let layout = Layout::align(&[2], &[2], false).unwrap();
        let p = [0.5f32, 1.5];
        let batch = Batch::new(
            Labels::F32(&[0., 1.]),
            Predictions::F32(&p),
            WeightView::None,
            layout,
        )
        .unwrap();
        let shapes = InputShapes {
            y_true: &[2],
            y_pred: &[2],
        };
        let err = m.count(&batch, shapes, 1).unwrap_err();
        assert!(err.message().contains("from_logits"), "{err}");
    }
}
