//! scikit-learn's exact ranking metrics from an [`ExactTable`]: the curves
//! (`_binary_clf_curve`, `roc_curve`, `precision_recall_curve`), ROC AUC with
//! McClish's partial AUC, and average precision, each in one pass over the
//! distinct scores (highest first).
//!
//! The arithmetic follows scikit-learn 1.9's formulas step by step (rates as
//! cumulative count over total, its `drop_intermediate` tests on the
//! cumulative counts, `numpy.interp`'s interpolation), so that points kept or
//! dropped and degenerate cases (NaN rates, a class absent) come out the same.
//! Sums may associate differently, which changes a result by rounding only.

use crate::error::{CoreError, CoreResult};
use crate::exact_table::ExactTable;
use crate::thresholds::py_float;

/// One row of the cumulative curve: weighted false and true positives at or
/// above the row's score.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    fps: f64,
    tps: f64,
}

/// The three curve arrays of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveArrays {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub thresholds: Vec<f64>,
}

impl ExactTable {
    /// Calls `visit(point, score)` on every row whose point `keep(prev, cur,
    /// next)` keeps; the first and last rows are always kept, and every row
    /// when `drop` is false or there are at most two rows. Stops when `visit`
    /// returns false.
    fn visit_points(
        &self,
        drop: bool,
        keep: impl Fn(Point, Point, Point) -> bool,
        mut visit: impl FnMut(Point, f64) -> bool,
    ) {
        let n = self.len();
        let drop = drop && n > 2;
        let (pos, neg, scores) = (self.positives(), self.negatives(), self.scores());
        let at = |prev: Point, i: usize| Point {
            fps: prev.fps + neg[i],
            tps: prev.tps + pos[i],
        };
        if n == 0 {
            return;
        }
        let mut prev = Point { fps: 0.0, tps: 0.0 };
        let mut cur = at(prev, 0);
        for (i, &score) in scores.iter().enumerate() {
            let next = if i + 1 < n { at(cur, i + 1) } else { cur };
            let kept = !drop || i == 0 || i + 1 == n || keep(prev, cur, next);
            if kept && !visit(cur, score) {
                return;
            }
            prev = cur;
            cur = next;
        }
    }

    /// The cumulative weighted false positives and true positives at each
    /// distinct score, and the scores (decreasing): scikit-learn's
    /// `_binary_clf_curve` (`confusion_matrix_at_thresholds`'s `fps`, `tps`).
    pub fn binary_clf_curve(&self) -> CurveArrays {
        let mut curve = CurveArrays::with_capacity(self.len());
        self.visit_points(false, |_, _, _| true, |p, s| curve.push(p.fps, p.tps, s));
        curve
    }

    /// `(fpr, tpr, thresholds)` as scikit-learn's `roc_curve`: a first point
    /// (0, 0) at threshold +inf, then one point per distinct score, without
    /// the points collinear with both neighbours when `drop_intermediate`.
    /// A rate is NaN everywhere when its class's total weight is not positive.
    pub fn roc_curve(&self, drop_intermediate: bool) -> CurveArrays {
        let mut counts = CurveArrays::with_capacity(self.len() + 1);
        counts.push(0.0, 0.0, f64::INFINITY);
        self.visit_points(drop_intermediate, roc_corner, |p, s| {
            counts.push(p.fps, p.tps, s)
        });
        let (fps_total, tps_total) = (last(&counts.x), last(&counts.y));
        CurveArrays {
            x: rates(&counts.x, fps_total),
            y: rates(&counts.y, tps_total),
            thresholds: counts.thresholds,
        }
    }

    /// `(precision, recall, thresholds)` as scikit-learn's
    /// `precision_recall_curve`: thresholds increasing, then a final point
    /// (precision 1, recall 0) without threshold. Precision is 0 where nothing
    /// is predicted positive; recall is 1 everywhere without positives. With
    /// `drop_intermediate`, rows whose true positives equal both neighbours'
    /// are dropped.
    pub fn precision_recall_curve(&self, drop_intermediate: bool) -> CurveArrays {
        let mut counts = CurveArrays::with_capacity(self.len());
        self.visit_points(drop_intermediate, pr_step, |p, s| {
            counts.push(p.fps, p.tps, s)
        });
        let tps_total = last(&counts.y);
        let mut precision: Vec<f64> = counts
            .x
            .iter()
            .zip(&counts.y)
            .rev()
            .map(|(&fps, &tps)| precision(fps, tps))
            .collect();
        precision.push(1.0);
        let mut recall: Vec<f64> = counts
            .y
            .iter()
            .rev()
            .map(|&t| recall(t, tps_total))
            .collect();
        recall.push(0.0);
        let mut thresholds = counts.thresholds;
        thresholds.reverse();
        CurveArrays {
            x: precision,
            y: recall,
            thresholds,
        }
    }

    /// The area under the ROC curve by trapezoids (a score shared by positives
    /// and negatives counts half), or with `max_fpr` in (0, 1) McClish's
    /// standardised partial area up to that false-positive rate. NaN when a
    /// class's total weight is not positive (no data, one class only).
    ///
    /// Errors: `max_fpr` outside (0, 1]; a false-positive rate that decreases
    /// somewhere (negative weights), which scikit-learn refuses too.
    pub fn roc_auc(&self, max_fpr: Option<f64>) -> CoreResult<f64> {
        if let Some(m) = max_fpr {
            if !(m > 0.0 && m <= 1.0) {
                return Err(CoreError::value(format!(
                    "Expected max_fpr in range (0, 1], got: {}",
                    py_float(m)
                )));
            }
        }
        let (neg_total, pos_total) = (self.negative_total(), self.positive_total());
        if !(neg_total > 0.0 && pos_total > 0.0) {
            return Ok(f64::NAN);
        }
        // Only negative weights can make the false positives decrease.
        if self.negatives().iter().any(|&q| q < 0.0) && self.fps_decreases() {
            return Err(CoreError::value(
                "The false-positive rate decreases somewhere (negatives with negative sample \
                 weights): the ROC curve is neither increasing nor decreasing and has no area"
                    .to_string(),
            ));
        }
        match max_fpr {
            Some(m) if m < 1.0 => Ok(self.partial_roc_auc(m, neg_total, pos_total)),
            _ => Ok(self.full_roc_auc(neg_total, pos_total)),
        }
    }

    fn fps_decreases(&self) -> bool {
        let mut previous = 0.0;
        let mut decreasing = false;
        self.visit_points(
            false,
            |_, _, _| true,
            |p, _| {
                decreasing |= p.fps < previous;
                previous = p.fps;
                !decreasing
            },
        );
        decreasing
    }

    /// Trapezoids in count space, scaled once: `sum(dfps * (tps + tps_prev)) / (2 P N)`.
    fn full_roc_auc(&self, neg_total: f64, pos_total: f64) -> f64 {
        let (pos, neg) = (self.positives(), self.negatives());
        let (mut tps, mut area) = (0.0f64, 0.0f64);
        for (&p, &q) in pos.iter().zip(neg) {
            let next = tps + p;
            area += q * (tps + next);
            tps = next;
        }
        area / neg_total / pos_total / 2.0
    }

    /// scikit-learn's partial AUC: trapezoids over the `drop_intermediate`
    /// ROC curve up to its first point beyond `max_fpr`, with a last point at
    /// `max_fpr` interpolated linearly, standardised so that a random ranking
    /// scores 0.5 and a perfect one 1.
    fn partial_roc_auc(&self, max_fpr: f64, neg_total: f64, pos_total: f64) -> f64 {
        let (mut x0, mut y0) = (0.0f64, 0.0f64);
        let mut area = 0.0;
        self.visit_points(true, roc_corner, |p, _| {
            let (x, y) = (p.fps / neg_total, p.tps / pos_total);
            if x > max_fpr {
                let y_at = interpolate(max_fpr, (x0, y0), (x, y));
                area += (max_fpr - x0) * (y_at + y0) / 2.0;
                return false;
            }
            area += (x - x0) * (y + y0) / 2.0;
            (x0, y0) = (x, y);
            true
        });
        let min_area = 0.5 * max_fpr * max_fpr;
        let max_area = max_fpr;
        0.5 * (1.0 + (area - min_area) / (max_area - min_area))
    }

    /// scikit-learn's average precision: `sum_n (R_n - R_{n-1}) P_n` over the
    /// distinct scores from the highest (precision and recall at each score,
    /// `R_{-1} = 0`), without interpolation; never below 0. Without positives
    /// recall is 1 everywhere, so the result is the precision at the highest
    /// score (0). NaN-free: a NaN sum gives 0, as scikit-learn's `max(0, ...)`.
    pub fn average_precision(&self) -> f64 {
        let tps_total = self.positive_total();
        let mut recall_prev = 0.0;
        let mut sum = 0.0;
        self.visit_points(
            false,
            |_, _, _| true,
            |p, _| {
                let r = recall(p.tps, tps_total);
                sum += (r - recall_prev) * precision(p.fps, p.tps);
                recall_prev = r;
                true
            },
        );
        if sum > 0.0 {
            sum
        } else {
            0.0
        }
    }
}

impl CurveArrays {
    fn with_capacity(n: usize) -> Self {
        CurveArrays {
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            thresholds: Vec::with_capacity(n),
        }
    }

    fn push(&mut self, x: f64, y: f64, threshold: f64) -> bool {
        self.x.push(x);
        self.y.push(y);
        self.thresholds.push(threshold);
        true
    }
}

/// ROC's `drop_intermediate`: a point is kept where the second difference of
/// the false or the true positives is not 0 (a corner).
fn roc_corner(prev: Point, cur: Point, next: Point) -> bool {
    let second = |a: f64, b: f64, c: f64| (c - b) - (b - a);
    second(prev.fps, cur.fps, next.fps) != 0.0 || second(prev.tps, cur.tps, next.tps) != 0.0
}

/// PR's `drop_intermediate`: a point is kept where the true positives change
/// from the previous or to the next point.
fn pr_step(prev: Point, cur: Point, next: Point) -> bool {
    cur.tps - prev.tps != 0.0 || next.tps - cur.tps != 0.0
}

fn last(values: &[f64]) -> f64 {
    values.last().copied().unwrap_or(0.0)
}

/// `counts / total`, or NaN everywhere when `total` is not positive.
fn rates(counts: &[f64], total: f64) -> Vec<f64> {
    if total > 0.0 {
        counts.iter().map(|c| c / total).collect()
    } else {
        vec![f64::NAN; counts.len()]
    }
}

fn precision(fps: f64, tps: f64) -> f64 {
    let predicted = tps + fps;
    if predicted != 0.0 {
        tps / predicted
    } else {
        0.0
    }
}

fn recall(tps: f64, tps_total: f64) -> f64 {
    if tps_total == 0.0 {
        1.0
    } else {
        tps / tps_total
    }
}

/// `numpy.interp(x, [x0, x1], [y0, y1])` for `x0 <= x < x1`, step for step.
fn interpolate(x: f64, (x0, y0): (f64, f64), (x1, y1): (f64, f64)) -> f64 {
    if x == x0 {
        return y0;
    }
    let slope = (y1 - y0) / (x1 - x0);
    let y = slope * (x - x0) + y0;
    if !y.is_nan() {
        return y;
    }
    let y = slope * (x - x1) + y1;
    if y.is_nan() && y0 == y1 {
        y0
    } else {
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact_table::{Column, ExactBatch, ExactLabels, ExactScores, ExactWeights};

    fn table(labels: &[i64], scores: &[f64], weights: Option<&[f64]>) -> ExactTable {
        ExactTable::build(&ExactBatch {
            labels: ExactLabels::I64(Column::contiguous(labels)),
            scores: ExactScores::F64(Column::contiguous(scores)),
            weights: weights.map(|w| ExactWeights::F64(Column::contiguous(w))),
            pos_label: 1.0,
        })
        .unwrap()
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-15 * b.abs().max(1.0)
    }

    // scikit-learn's documentation example: labels [0, 0, 1, 1], scores
    // [0.1, 0.4, 0.35, 0.8]. By score: 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-).
    fn docs_example() -> ExactTable {
        table(&[0, 0, 1, 1], &[0.1, 0.4, 0.35, 0.8], None)
    }

    #[test]
    fn binary_clf_curve_accumulates_from_the_highest_score() {
        let c = docs_example().binary_clf_curve();
        assert_eq!(c.x, [0.0, 1.0, 1.0, 2.0]); // fps
        assert_eq!(c.y, [1.0, 1.0, 2.0, 2.0]); // tps
        assert_eq!(c.thresholds, [0.8, 0.4, 0.35, 0.1]);
    }

    #[test]
    fn roc_curve_and_auc_by_hand() {
        let t = docs_example();
        let c = t.roc_curve(true);
        assert_eq!(c.x, [0.0, 0.0, 0.5, 0.5, 1.0]);
        assert_eq!(c.y, [0.0, 0.5, 0.5, 1.0, 1.0]);
        assert_eq!(c.thresholds, [f64::INFINITY, 0.8, 0.4, 0.35, 0.1]);
        // Pairs (positive, negative) ranked right: 0.8 beats both, 0.35 beats 0.1: 3/4.
        assert_eq!(t.roc_auc(None).unwrap(), 0.75);
        assert_eq!(t.roc_auc(Some(1.0)).unwrap(), 0.75);
        // Partial area to fpr 0.5: the square 0.5 x 0.5 at tpr 0.5 = 0.25; McClish:
        // 0.5 * (1 + (0.25 - 0.125) / (0.5 - 0.125)) = 2/3.
        assert!(close(t.roc_auc(Some(0.5)).unwrap(), 2.0 / 3.0));
        assert!(t.roc_auc(Some(0.0)).is_err());
        assert!(t.roc_auc(Some(1.5)).is_err());
    }

    #[test]
    fn ties_count_half() {
        // 0.9 (+), 0.5 (+, -), 0.2 (-): pairs won 2 + 1, tied 1: (3 + 0.5) / 4.
        let t = table(&[0, 1, 0, 1], &[0.5, 0.5, 0.2, 0.9], None);
        assert_eq!(t.scores(), [0.9, 0.5, 0.2]);
        assert_eq!(t.positives(), [1.0, 1.0, 0.0]);
        assert_eq!(t.negatives(), [0.0, 1.0, 1.0]);
        assert_eq!(t.roc_auc(None).unwrap(), 0.875);
        // AP: at 0.9 recall 1/2, precision 1; at 0.5 recall 1, precision 2/3.
        assert!(close(t.average_precision(), 0.5 + 0.5 * 2.0 / 3.0));
    }

    #[test]
    fn precision_recall_curve_by_hand() {
        let c = docs_example().precision_recall_curve(false);
        assert_eq!(c.x, [0.5, 2.0 / 3.0, 0.5, 1.0, 1.0]);
        assert_eq!(c.y, [1.0, 1.0, 0.5, 0.5, 0.0]);
        assert_eq!(c.thresholds, [0.1, 0.35, 0.4, 0.8]);
        // Recall 0.5 at 0.8 (precision 1) and 1 at 0.35 (precision 2/3).
        assert!(close(
            docs_example().average_precision(),
            0.5 + 0.5 * 2.0 / 3.0
        ));
        // drop_intermediate keeps rows whose tps differ from a neighbour's:
        // tps [1, 1, 2, 2] keeps all four; [1, 1, 1, 2] drops the middle one.
        let t = table(&[1, 0, 0, 1], &[0.9, 0.8, 0.7, 0.6], None);
        assert_eq!(t.precision_recall_curve(true).thresholds, [0.6, 0.7, 0.9]);
    }

    #[test]
    fn roc_drop_intermediate_removes_collinear_points() {
        // (fps, tps) by score: 0.9 (0, 1), 0.8 (1, 1), 0.7 (2, 1), 0.6 (3, 1), 0.5 (3, 2):
        // 0.8 and 0.7 lie on the segment from 0.9 to 0.6.
        let t = table(&[1, 0, 0, 0, 1], &[0.9, 0.8, 0.7, 0.6, 0.5], None);
        let kept = t.roc_curve(true);
        assert_eq!(kept.thresholds, [f64::INFINITY, 0.9, 0.6, 0.5]);
        assert_eq!(t.roc_curve(false).thresholds.len(), 6);
    }

    #[test]
    fn degenerate_cases_follow_scikit_learn() {
        let empty = ExactTable::new();
        assert!(empty.roc_auc(None).unwrap().is_nan());
        let negatives_only = table(&[0, 0], &[0.3, 0.7], None);
        assert!(negatives_only.roc_auc(None).unwrap().is_nan());
        let roc = negatives_only.roc_curve(true);
        assert_eq!(roc.x, [0.0, 0.5, 1.0]);
        assert!(roc.y.iter().all(|v| v.is_nan()));
        // No positives: recall 1 everywhere, precision 0; AP 0.
        let pr = negatives_only.precision_recall_curve(false);
        assert_eq!(pr.x, [0.0, 0.0, 1.0]);
        assert_eq!(pr.y, [1.0, 1.0, 0.0]);
        assert_eq!(negatives_only.average_precision(), 0.0);
    }

    #[test]
    fn weights_scale_and_zero_weights_vanish() {
        let t = table(
            &[1, 0, 1, 0],
            &[0.9, 0.8, 0.7, 0.6],
            Some(&[2.0, 0.0, 1.0, 3.0]),
        );
        assert_eq!(t.scores(), [0.9, 0.7, 0.6]);
        assert_eq!(t.positive_total(), 3.0);
        assert_eq!(t.negative_total(), 3.0);
        assert_eq!(t.roc_auc(None).unwrap(), 1.0);
        // A decreasing false-positive rate has no area.
        let bad = table(&[0, 0, 1], &[0.9, 0.8, 0.7], Some(&[2.0, -1.0, 1.0]));
        assert!(bad.roc_auc(None).is_err());
    }
}
