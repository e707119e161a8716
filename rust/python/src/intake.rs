//! Array intake: any array-like becomes a borrowed, C-contiguous slice.
//!
//! NumPy arrays of the dtypes the kernels read (float16/32/64 predictions;
//! bool, every integer and float16/32/64 labels; float32/64 weights) that are
//! C-contiguous, aligned and in native byte order are read in place. Anything
//! else (lists, tensors with `__array__`, other dtypes, strided views,
//! big-endian data) goes through `numpy.asarray` and, if needed, one
//! conversion to a readable dtype: the only copies, and never on the common path.

use ferrometrics_core::batch::{Labels, Predictions};
use half::f16;
use numpy::{
    Element, PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyReadonlyArrayDyn, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyString;

/// Which argument an array is, for conversions and messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Labels,
    Predictions,
    Weights,
}

impl Role {
    fn name(self) -> &'static str {
        match self {
            Role::Labels => "y_true",
            Role::Predictions => "y_pred",
            Role::Weights => "sample_weight",
        }
    }
}

fn numpy(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static NUMPY: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    NUMPY
        .get_or_try_init(py, || py.import("numpy").map(Bound::unbind))
        .map(|m| m.bind(py))
}

/// `obj` as a NumPy array of real numbers (bool, integer or float dtype).
pub fn as_ndarray<'py>(
    obj: &Bound<'py, PyAny>,
    role: Role,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    let py = obj.py();
    if obj.is_none() || obj.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "`{}` must be an array-like of numbers. Received: {}",
            role.name(),
            obj.repr()
                .map_or_else(|_| "?".to_string(), |r| r.to_string())
        )));
    }
    let array = match obj.cast::<PyUntypedArray>() {
        Ok(array) => array.clone(),
        Err(_) => numpy(py)?
            .call_method1("asarray", (obj,))
            .map_err(|e| {
                PyValueError::new_err(format!(
                    "`{}` could not be converted to an array: {}",
                    role.name(),
                    e.value(py)
                ))
            })?
            .cast_into::<PyUntypedArray>()
            .map_err(|_| PyTypeError::new_err(format!("`{}` is not an array", role.name())))?,
    };
    let array = if array.dtype().kind() == b'O' {
        numeric_object_array(array, role)?
    } else {
        array
    };
    let kind = array.dtype().kind();
    if !matches!(kind, b'b' | b'i' | b'u' | b'f') {
        return Err(PyTypeError::new_err(format!(
            "`{}` must contain real numbers (bool, integer or float). Received: an array of dtype {}",
            role.name(),
            array.dtype()
        )));
    }
    Ok(array)
}

/// An object array whose elements are all real numbers (Python or NumPy ints,
/// floats, bools) as float64; any other element is a `TypeError`.
fn numeric_object_array<'py>(
    array: Bound<'py, PyUntypedArray>,
    role: Role,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    static REAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let py = array.py();
    let real = REAL
        .get_or_try_init(py, || {
            py.import("numbers")
                .and_then(|m| m.getattr("Real"))
                .map(Bound::unbind)
        })?
        .bind(py);
    for element in array.call_method0("ravel")?.try_iter()? {
        let element = element?;
        if !element.is_instance(real)? {
            return Err(PyTypeError::new_err(format!(
                "`{}` must contain real numbers. Received: {} of type {}",
                role.name(),
                element.repr()?,
                element.get_type().name()?
            )));
        }
    }
    converted(&array, "float64", role)
}

/// A readonly view of `array` if it has element type `T` and can be read in place.
fn in_place<'py, T: Element>(
    array: &Bound<'py, PyUntypedArray>,
) -> Option<PyReadonlyArrayDyn<'py, T>> {
    let typed = array.cast::<PyArrayDyn<T>>().ok()?;
    if !typed.is_c_contiguous() {
        return None;
    }
    let view = typed.try_readonly().ok()?;
    view.as_slice().is_ok().then_some(view)
}

/// `read(array)`, or else `read` of one copy converted to `dtype` (which is
/// always readable in place, being fresh, contiguous and native).
fn read_or_convert<'py, A>(
    array: &Bound<'py, PyUntypedArray>,
    dtype: impl FnOnce(&Bound<'py, PyUntypedArray>) -> &'static str,
    read: impl Fn(&Bound<'py, PyUntypedArray>) -> Option<A>,
    role: Role,
) -> PyResult<A> {
    if let Some(view) = read(array) {
        return Ok(view);
    }
    let copy = converted(array, dtype(array), role)?;
    read(&copy).ok_or_else(|| PyTypeError::new_err(format!("`{}` could not be read", role.name())))
}

/// `array` copied to a C-contiguous native array of `dtype`.
fn converted<'py>(
    array: &Bound<'py, PyUntypedArray>,
    dtype: &str,
    role: Role,
) -> PyResult<Bound<'py, PyUntypedArray>> {
    let py = array.py();
    // `require` also copies arrays that are contiguous but not aligned (buffers
    // unpickled by Dask's distributed workers can be), which cannot be read as slices.
    let copy = numpy(py)?
        .call_method1("require", (array, dtype, "CA"))
        .map_err(|e| {
            // Python ints beyond float64 (`10**400`): a bad value, not an overflow.
            if e.is_instance_of::<PyOverflowError>(py) {
                PyValueError::new_err(format!(
                    "`{}` must contain finite numbers: a value is too large for {dtype} ({})",
                    role.name(),
                    e.value(py)
                ))
            } else {
                e
            }
        })?;
    Ok(copy.cast_into::<PyUntypedArray>()?)
}

/// Predictions with their owner kept alive while the slice is borrowed.
pub enum PredictionArray<'py> {
    F16(PyReadonlyArrayDyn<'py, f16>),
    F32(PyReadonlyArrayDyn<'py, f32>),
    F64(PyReadonlyArrayDyn<'py, f64>),
}

impl PredictionArray<'_> {
    pub fn view(&self) -> Predictions<'_> {
        match self {
            PredictionArray::F16(a) => Predictions::F16(a.as_slice().unwrap_or(&[])),
            PredictionArray::F32(a) => Predictions::F32(a.as_slice().unwrap_or(&[])),
            PredictionArray::F64(a) => Predictions::F64(a.as_slice().unwrap_or(&[])),
        }
    }
}

pub fn predictions<'py>(array: &Bound<'py, PyUntypedArray>) -> PyResult<PredictionArray<'py>> {
    let read = |a: &Bound<'py, PyUntypedArray>| {
        in_place::<f32>(a)
            .map(PredictionArray::F32)
            .or_else(|| in_place::<f64>(a).map(PredictionArray::F64))
            .or_else(|| in_place::<f16>(a).map(PredictionArray::F16))
    };
    let dtype = |a: &Bound<'py, PyUntypedArray>| match (a.dtype().kind(), a.dtype().itemsize()) {
        (b'f', 4) => "float32",
        (b'f', 2) => "float16",
        _ => "float64",
    };
    read_or_convert(array, dtype, read, Role::Predictions)
}

/// Labels with their owner kept alive while the slice is borrowed.
pub enum LabelArray<'py> {
    Bool(PyReadonlyArrayDyn<'py, bool>),
    U8(PyReadonlyArrayDyn<'py, u8>),
    I8(PyReadonlyArrayDyn<'py, i8>),
    U16(PyReadonlyArrayDyn<'py, u16>),
    I16(PyReadonlyArrayDyn<'py, i16>),
    U32(PyReadonlyArrayDyn<'py, u32>),
    I32(PyReadonlyArrayDyn<'py, i32>),
    U64(PyReadonlyArrayDyn<'py, u64>),
    I64(PyReadonlyArrayDyn<'py, i64>),
    F16(PyReadonlyArrayDyn<'py, f16>),
    F32(PyReadonlyArrayDyn<'py, f32>),
    F64(PyReadonlyArrayDyn<'py, f64>),
}

impl LabelArray<'_> {
    pub fn view(&self) -> Labels<'_> {
        match self {
            LabelArray::Bool(a) => Labels::Bool(a.as_slice().unwrap_or(&[])),
            LabelArray::U8(a) => Labels::U8(a.as_slice().unwrap_or(&[])),
            LabelArray::I8(a) => Labels::I8(a.as_slice().unwrap_or(&[])),
            LabelArray::U16(a) => Labels::U16(a.as_slice().unwrap_or(&[])),
            LabelArray::I16(a) => Labels::I16(a.as_slice().unwrap_or(&[])),
            LabelArray::U32(a) => Labels::U32(a.as_slice().unwrap_or(&[])),
            LabelArray::I32(a) => Labels::I32(a.as_slice().unwrap_or(&[])),
            LabelArray::U64(a) => Labels::U64(a.as_slice().unwrap_or(&[])),
            LabelArray::I64(a) => Labels::I64(a.as_slice().unwrap_or(&[])),
            LabelArray::F16(a) => Labels::F16(a.as_slice().unwrap_or(&[])),
            LabelArray::F32(a) => Labels::F32(a.as_slice().unwrap_or(&[])),
            LabelArray::F64(a) => Labels::F64(a.as_slice().unwrap_or(&[])),
        }
    }
}

pub fn labels<'py>(array: &Bound<'py, PyUntypedArray>) -> PyResult<LabelArray<'py>> {
    // Dispatch on the dtype's kind and size: one typed attempt, not a chain.
    let read = |a: &Bound<'py, PyUntypedArray>| match (a.dtype().kind(), a.dtype().itemsize()) {
        (b'f', 4) => in_place::<f32>(a).map(LabelArray::F32),
        (b'f', 8) => in_place::<f64>(a).map(LabelArray::F64),
        (b'f', 2) => in_place::<f16>(a).map(LabelArray::F16),
        (b'b', _) => in_place::<bool>(a).map(LabelArray::Bool),
        (b'i', 1) => in_place::<i8>(a).map(LabelArray::I8),
        (b'i', 2) => in_place::<i16>(a).map(LabelArray::I16),
        (b'i', 4) => in_place::<i32>(a).map(LabelArray::I32),
        (b'i', 8) => in_place::<i64>(a).map(LabelArray::I64),
        (b'u', 1) => in_place::<u8>(a).map(LabelArray::U8),
        (b'u', 2) => in_place::<u16>(a).map(LabelArray::U16),
        (b'u', 4) => in_place::<u32>(a).map(LabelArray::U32),
        (b'u', 8) => in_place::<u64>(a).map(LabelArray::U64),
        _ => None,
    };
    // Same kind and size (a strided, unaligned or byte-swapped array becomes
    // one contiguous native copy of its own dtype); anything else (float128)
    // becomes float64, which holds every label dtype's 0 and 1 exactly.
    let dtype = |a: &Bound<'py, PyUntypedArray>| match (a.dtype().kind(), a.dtype().itemsize()) {
        (b'b', _) => "bool",
        (b'i', 1) => "int8",
        (b'i', 2) => "int16",
        (b'i', 4) => "int32",
        (b'i', 8) => "int64",
        (b'u', 1) => "uint8",
        (b'u', 2) => "uint16",
        (b'u', 4) => "uint32",
        (b'u', 8) => "uint64",
        (b'f', 2) => "float16",
        (b'f', 4) => "float32",
        _ => "float64",
    };
    read_or_convert(array, dtype, read, Role::Labels)
}

/// Weights with their owner kept alive while the slice is borrowed.
pub enum WeightArray<'py> {
    F32(PyReadonlyArrayDyn<'py, f32>),
    F64(PyReadonlyArrayDyn<'py, f64>),
}

impl WeightArray<'_> {
    pub fn slice_f32(&self) -> Option<&[f32]> {
        match self {
            WeightArray::F32(a) => a.as_slice().ok(),
            WeightArray::F64(_) => None,
        }
    }

    pub fn slice_f64(&self) -> Option<&[f64]> {
        match self {
            WeightArray::F64(a) => a.as_slice().ok(),
            WeightArray::F32(_) => None,
        }
    }

    /// The first value (for a weight of size 1).
    pub fn first(&self) -> Option<f64> {
        self.slice_f32()
            .and_then(|s| s.first().map(|&v| f64::from(v)))
            .or_else(|| self.slice_f64().and_then(|s| s.first().copied()))
    }
}

pub fn weights<'py>(array: &Bound<'py, PyUntypedArray>) -> PyResult<WeightArray<'py>> {
    let read = |a: &Bound<'py, PyUntypedArray>| {
        in_place::<f32>(a)
            .map(WeightArray::F32)
            .or_else(|| in_place::<f64>(a).map(WeightArray::F64))
    };
    let dtype = |a: &Bound<'py, PyUntypedArray>| match (a.dtype().kind(), a.dtype().itemsize()) {
        (b'f', 4) => "float32",
        _ => "float64",
    };
    read_or_convert(array, dtype, read, Role::Weights)
}

/// `weights` (already aligned to the labels' rank rules) broadcast to `shape`
/// and copied: the rare layouts strides cannot express.
pub fn broadcast_dense<'py>(
    weights: &Bound<'py, PyUntypedArray>,
    label_rank: usize,
    shape: &[usize],
) -> PyResult<Bound<'py, PyUntypedArray>> {
    let py = weights.py();
    let mut dims: Vec<usize> = weights.shape().to_vec();
    if dims.len() == label_rank + 1 && dims.last() == Some(&1) {
        dims.pop();
    }
    dims.resize(label_rank, 1);
    let reshaped = weights.call_method1("reshape", (dims,))?;
    let broadcast = numpy(py)?.call_method1("broadcast_to", (reshaped, shape.to_vec()))?;
    Ok(numpy(py)?
        .call_method1("ascontiguousarray", (broadcast, "float64"))?
        .cast_into::<PyUntypedArray>()?)
}
