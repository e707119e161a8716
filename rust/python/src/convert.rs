//! Core values out to NumPy: results in the metric dtype, float64 variables
//! with Keras's shapes, and saved variables back in.

use ferrometrics_core::{SavedArray, SavedState, Values};
use numpy::{PyArray1, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::error::Result;

/// `values` as a NumPy array of `shape` in their dtype.
pub fn shaped<'py>(py: Python<'py>, values: Values, shape: &[usize]) -> Result<Bound<'py, PyAny>> {
    let array = match values {
        Values::F32(v) => PyArray1::from_vec(py, v).reshape(shape)?.into_any(),
        Values::F64(v) => PyArray1::from_vec(py, v).reshape(shape)?.into_any(),
    };
    Ok(array)
}

/// float64 `values` as a NumPy array of `shape`.
pub fn float64<'py>(py: Python<'py>, values: &[f64], shape: &[usize]) -> Result<Bound<'py, PyAny>> {
    Ok(PyArray1::from_slice(py, values).reshape(shape)?.into_any())
}

/// A result: a NumPy scalar of the metric dtype (its one value), or a 1-D array.
pub fn result<'py>(py: Python<'py>, values: Values, scalar: bool) -> Result<Bound<'py, PyAny>> {
    let len = values.len();
    let array = shaped(py, values, &[len])?;
    if scalar {
        Ok(array.get_item(0)?)
    } else {
        Ok(array)
    }
}

/// A saved variable read back: any array-like of real numbers.
pub fn saved_array(index: usize, variable: &Bound<'_, PyAny>) -> Result<SavedArray> {
    let corrupt = || {
        PyValueError::new_err(format!(
            "Corrupt checkpoint: variable {index} is not an array of real numbers"
        ))
    };
    let numpy = variable.py().import("numpy")?;
    let array = numpy
        .call_method1("asarray", (variable, "float64"))
        .map_err(|_| corrupt())?
        .cast_into::<PyUntypedArray>()
        .map_err(|_| corrupt())?;
    let shape = array.shape().to_vec();
    let values: Vec<f64> = array
        .call_method0("ravel")?
        .call_method0("tolist")?
        .extract()
        .map_err(|_| corrupt())?;
    Ok(SavedArray { shape, values })
}

/// A checkpoint's parts read back; anything that is not a format number, a
/// width (None or a count) and a list of arrays is a corrupt checkpoint.
pub fn saved_state(
    format: &Bound<'_, PyAny>,
    width: &Bound<'_, PyAny>,
    variables: &Bound<'_, PyAny>,
) -> Result<SavedState> {
    let corrupt = |what: &str| PyValueError::new_err(format!("Corrupt checkpoint: {what}"));
    let format: i64 = format
        .extract()
        .map_err(|_| corrupt("the state format is not an integer"))?;
    let width: Option<usize> = width
        .extract()
        .map_err(|_| corrupt("the width is not a non-negative integer or None"))?;
    let variables = variables
        .try_iter()
        .map_err(|_| corrupt("the variables are not a list"))?
        .enumerate()
        .map(|(i, v)| saved_array(i, &v?))
        .collect::<Result<Vec<_>>>()?;
    Ok(SavedState {
        format,
        width,
        variables,
    })
}
