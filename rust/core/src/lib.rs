//! ferrometrics-core: Keras-exact confusion-matrix metrics without Python.
//!
//! Every metric implements [`Metric`]: a batch of borrowed slices ([`Batch`])
//! is counted without touching the state (threshold metrics into a
//! [`Histogram`], in parallel for large batches, with nothing shared), the
//! counts are added into a float64 state, and results are computed from that
//! state in the metric dtype. `docs/ARCHITECTURE.md` walks through one update.

pub mod auc;
pub mod batch;
mod block_kernel;
pub mod confusion;
pub mod confusion_state;
mod count;
mod dispatch;
pub mod dtype;
pub mod equal_thresholds;
pub mod error;
mod exact_curves;
mod exact_delong;
pub mod exact_levels;
pub mod exact_sort;
pub mod exact_table;
pub mod float;
pub mod fscore;
mod fscore_kernel;
pub mod group_kernel;
pub mod histogram;
pub mod logit;
pub mod metric;
pub mod operating_point;
pub mod partition;
pub mod plan;
pub mod pool;
pub mod ranker;
mod segments;
pub mod sliced;
mod table_kernel;
pub mod thresholds;
pub mod tuning;
pub mod validate;
pub mod values;
mod weights;

pub use auc::{AucConfig, AucMetric, Curve, Summation};
pub use batch::{Batch, Columns, Layout, WeightLayout, WeightView};
pub use confusion::{ConfusionKind, ConfusionMetric};
pub use confusion_state::ConfusionState;
pub use dtype::{MetricDtype, Values};
pub use error::{CoreError, CoreResult};
pub use exact_curves::CurveArrays;
pub use exact_delong::DelongParts;
pub use exact_levels::ExactLevels;
pub use exact_table::{Column, ExactBatch, ExactLabels, ExactScores, ExactTable, ExactWeights};
pub use histogram::Histogram;
pub use metric::{InputShapes, Metric, SavedArray, SavedState, Variable, STATE_FORMAT};
pub use thresholds::ThresholdSet;
