//! Monomorphised calls over a batch's element types: one generic function,
//! instantiated for every (prediction, label, weight) combination.

/// `with_inputs!(batch, f, args...)` calls `f(predictions, labels, weights, args...)`
/// with the concrete slices of `batch` and a [`crate::kernel::WeightAt`] for its weights.
macro_rules! with_inputs {
    ($batch:expr, $f:expr $(, $arg:expr)*) => {{
        use $crate::batch::{Labels, Predictions, WeightView};
        use $crate::kernel::{Constant, Strided, Unit};
        macro_rules! weights {
            ($p:expr, $l:expr) => {
                match $batch.weights {
                    WeightView::None => $f($p, $l, Unit $(, $arg)*),
                    WeightView::Scalar(w) => $f($p, $l, Constant(w) $(, $arg)*),
                    WeightView::F32 { data, row_stride, col_stride } => {
                        $f($p, $l, Strided { data, row_stride, col_stride } $(, $arg)*)
                    }
                    WeightView::F64 { data, row_stride, col_stride } => {
                        $f($p, $l, Strided { data, row_stride, col_stride } $(, $arg)*)
                    }
                }
            };
        }
        macro_rules! labels {
            ($p:expr) => {
                match $batch.labels {
                    Labels::Bool(l) => weights!($p, l),
                    Labels::U8(l) => weights!($p, l),
                    Labels::I8(l) => weights!($p, l),
                    Labels::I32(l) => weights!($p, l),
                    Labels::I64(l) => weights!($p, l),
                    Labels::F32(l) => weights!($p, l),
                    Labels::F64(l) => weights!($p, l),
                }
            };
        }
        match $batch.predictions {
            Predictions::F16(p) => labels!(p),
            Predictions::F32(p) => labels!(p),
            Predictions::F64(p) => labels!(p),
        }
    }};
}

pub(crate) use with_inputs;
