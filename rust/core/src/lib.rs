//! ferrometrics-core: Keras-exact confusion-matrix metrics without Python.
//!
//! Data flows one way: a [`Batch`] of borrowed slices is counted into a
//! [`Histogram`] (in parallel for large batches, with nothing shared), the
//! histogram is added into a metric's float64 [`ConfusionState`], and results
//! are computed from that state in the metric dtype.

pub mod auc;
pub mod batch;
pub mod confusion;
mod dispatch;
pub mod dtype;
pub mod equal_thresholds;
pub mod error;
pub mod fscore;
mod fscore_kernel;
pub mod histogram;
pub mod kernel;
pub mod operating_point;
pub mod pool;
pub mod ranker;
pub mod real;
mod table_kernel;
pub mod thresholds;
pub mod values;

pub use auc::{AucConfig, AucMetric, Curve, Summation};
pub use batch::{Batch, Columns, Layout, WeightLayout, WeightView};
pub use confusion::{ConfusionKind, ConfusionMetric, ConfusionState};
pub use dtype::MetricDtype;
pub use error::{CoreError, CoreResult};
pub use histogram::Histogram;
pub use thresholds::ThresholdSet;
