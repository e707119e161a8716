//! The bindings' error: a Python exception, made from a core error or from
//! PyO3's, so `?` carries either across the boundary. Core errors are bad
//! arguments, values or shapes: `ValueError`.

use ferrometrics_core::CoreError;
use pyo3::exceptions::PyValueError;
use pyo3::PyErr;

pub struct Error(PyErr);

pub type Result<T> = std::result::Result<T, Error>;

impl From<CoreError> for Error {
    fn from(err: CoreError) -> Self {
        Error(PyValueError::new_err(err.message().to_owned()))
    }
}

impl From<PyErr> for Error {
    fn from(err: PyErr) -> Self {
        Error(err)
    }
}

impl From<Error> for PyErr {
    fn from(err: Error) -> Self {
        err.0
    }
}
