//! Monomorphised calls over a batch's element types: one generic function,
//! instantiated for every prediction, label, weight and ranker type.

/// `with_labels!(labels, l => body)`: `body` with `l` bound to the concrete
/// label slice of a [`crate::batch::Labels`].
macro_rules! with_labels {
    ($labels:expr, $l:ident => $body:expr) => {{
        use $crate::batch::Labels;
        match $labels {
            Labels::Bool($l) => $body,
            Labels::U8($l) => $body,
            Labels::I8($l) => $body,
            Labels::U16($l) => $body,
            Labels::I16($l) => $body,
            Labels::U32($l) => $body,
            Labels::I32($l) => $body,
            Labels::U64($l) => $body,
            Labels::I64($l) => $body,
            Labels::F16($l) => $body,
            Labels::F32($l) => $body,
            Labels::F64($l) => $body,
        }
    }};
}

/// `with_weights!(weights, w => body)`: `body` with `w` bound to the
/// [`crate::weights::WeightAt`] of a [`crate::batch::WeightView`].
macro_rules! with_weights {
    ($weights:expr, $w:ident => $body:expr) => {{
        use $crate::batch::WeightView;
        use $crate::weights::{Constant, Strided, Unit};
        match $weights {
            WeightView::None => {
                let $w = Unit;
                $body
            }
            WeightView::Scalar(value) => {
                let $w = Constant(value);
                $body
            }
            WeightView::F32 {
                data,
                row_stride,
                col_stride,
            } => {
                let $w = Strided {
                    data,
                    row_stride,
                    col_stride,
                };
                $body
            }
            WeightView::F64 {
                data,
                row_stride,
                col_stride,
            } => {
                let $w = Strided {
                    data,
                    row_stride,
                    col_stride,
                };
                $body
            }
        }
    }};
}

/// `with_ranker!(ranker, r => body)`: `body` with `r` bound to the concrete
/// ranker of a [`crate::ranker::AnyRanker`].
macro_rules! with_ranker {
    ($ranker:expr, $r:ident => $body:expr) => {{
        use $crate::ranker::AnyRanker;
        match $ranker {
            AnyRanker::EvenF32($r) => $body,
            AnyRanker::EvenF64($r) => $body,
            AnyRanker::FewF32($r) => $body,
            AnyRanker::FewF64($r) => $body,
            AnyRanker::DirectF32($r) => $body,
            AnyRanker::DirectF64($r) => $body,
            AnyRanker::LogitF32($r) => $body,
            AnyRanker::LogitF64($r) => $body,
        }
    }};
}

/// `with_inputs!(batch, f, args...)` calls `f(predictions, labels, weights, args...)`
/// with the concrete slices of `batch` and a [`crate::weights::WeightAt`] for its weights.
macro_rules! with_inputs {
    ($batch:expr, $f:expr $(, $arg:expr)*) => {{
        use $crate::batch::Predictions;
        match $batch.predictions {
            Predictions::F16(p) => $crate::dispatch::with_labels!($batch.labels, l => $crate::dispatch::with_weights!($batch.weights, w => $f(p, l, w $(, $arg)*))),
            Predictions::F32(p) => $crate::dispatch::with_labels!($batch.labels, l => $crate::dispatch::with_weights!($batch.weights, w => $f(p, l, w $(, $arg)*))),
            Predictions::F64(p) => $crate::dispatch::with_labels!($batch.labels, l => $crate::dispatch::with_weights!($batch.weights, w => $f(p, l, w $(, $arg)*))),
        }
    }};
}

pub(crate) use {with_inputs, with_labels, with_ranker, with_weights};
