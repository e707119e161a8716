//! Python bindings of ferrometrics-core: the extension module `ferrometrics._core`.
//! Array intake, GIL release, locking and error mapping only; all Keras rules
//! live in the core.

mod auc;
mod confusion;
mod convert;
mod equal_thresholds;
mod error;
mod exact;
mod fork;
mod fscore;
mod gil_lock;
mod intake;
mod metric;
mod operating_point;
mod state;
mod update;

#[pyo3::pymodule]
mod _core {
    #[pymodule_export]
    use super::auc::AucMetric;
    #[pymodule_export]
    use super::confusion::ConfusionMetric;
    #[pymodule_export]
    use super::equal_thresholds::precision_recall_at_equal_thresholds;
    #[pymodule_export]
    use super::exact::ExactCurve;
    #[pymodule_export]
    use super::fork::{fork_prepare, fork_release};
    #[pymodule_export]
    use super::fscore::FBetaMetric;
    #[pymodule_export]
    use super::metric::Metric;
    #[pymodule_export]
    use super::operating_point::OperatingPointMetric;

    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("__version__", env!("CARGO_PKG_VERSION"))?;
        m.add("STATE_FORMAT", ferrometrics_core::STATE_FORMAT)
    }
}
