//! Maps each core [`Error`] variant to its Python exception (defined in `cxmetrics/_errors.py`).

use pyo3::exceptions::{PyFileNotFoundError, PyKeyboardInterrupt, PyOSError, PyPermissionError};
use pyo3::{PyErr, PyResult};

use cxmetrics::error::Error;

pyo3::import_exception!(cxmetrics._errors, CxError);
pyo3::import_exception!(cxmetrics._errors, InvalidScoreError);
pyo3::import_exception!(cxmetrics._errors, MissingValueError);
pyo3::import_exception!(cxmetrics._errors, EmptyDataError);
pyo3::import_exception!(cxmetrics._errors, InvalidWeightError);
pyo3::import_exception!(cxmetrics._errors, LengthMismatchError);
pyo3::import_exception!(cxmetrics._errors, InvalidConfidenceError);
pyo3::import_exception!(cxmetrics._errors, UnknownMethodError);
pyo3::import_exception!(cxmetrics._errors, UnsupportedMethodError);
pyo3::import_exception!(cxmetrics._errors, InvalidScaleError);
pyo3::import_exception!(cxmetrics._errors, InvalidCountsError);
pyo3::import_exception!(cxmetrics._errors, InvalidInputError);
pyo3::import_exception!(cxmetrics._errors, IncomparableError);
pyo3::import_exception!(cxmetrics._errors, InvalidPValueError);
pyo3::import_exception!(cxmetrics._errors, InvalidPlanningError);
pyo3::import_exception!(cxmetrics._errors, InvalidRecordError);
pyo3::import_exception!(cxmetrics._errors, InvalidFileError);
pyo3::import_exception!(cxmetrics._errors, InvalidDriversError);
pyo3::import_exception!(cxmetrics._errors, InvalidParameterError);
pyo3::import_exception!(cxmetrics._errors, InputChangedError);

/// A core result converted to a Python one: `core_call().py()?` (the orphan rule forbids
/// `impl From<cxmetrics::Error> for PyErr` outside the core, and the core knows nothing of Python).
pub(crate) trait IntoPyResult<T> {
    /// The value, or the core error as its Python exception.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, Error> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// An error that becomes a Python exception: a core [`Error`] or a `PyErr` already.
pub(crate) trait ToPyErr {
    /// The Python exception.
    fn into_py_err(self) -> PyErr;
}

impl ToPyErr for Error {
    fn into_py_err(self) -> PyErr {
        to_py(self)
    }
}

impl ToPyErr for PyErr {
    fn into_py_err(self) -> PyErr {
        self
    }
}

/// The Python exception of a core error.
pub(crate) fn to_py(err: Error) -> PyErr {
    let code = err.code();
    let py_err = exception(err);
    pyo3::Python::attach(|py| {
        // The stable code of the core error (`err.code`); a failure to set it leaves the class's.
        let _ = pyo3::types::PyAnyMethods::setattr(py_err.value(py).as_any(), "code", code);
    });
    py_err
}

/// The core message with the Python spelling of what it names: the core speaks of the "missing
/// policy", the Python API of `nan_policy`.
fn python_message(err: &Error) -> String {
    let message = err.to_string();
    let mut inner = err;
    while let Error::InColumn { error, .. } = inner {
        inner = error;
    }
    match inner {
        Error::MissingValue { .. } => message.replace(
            "use the omit missing-value policy",
            "use nan_policy=\"omit\"",
        ),
        Error::UnknownOption {
            option: "missing policy",
            ..
        } => message.replace("unknown missing policy", "unknown nan_policy"),
        _ => message,
    }
}

fn exception(err: Error) -> PyErr {
    {
        let msg = python_message(&err);
        // An error about a named column takes the class of the underlying error.
        let mut err = err;
        while let Error::InColumn { error, .. } = err {
            err = *error;
        }
        match err {
            Error::ScoreOutOfRange { .. } | Error::NonIntegerScore { .. } => {
                InvalidScoreError::new_err(msg)
            }
            Error::MissingValue { .. } => MissingValueError::new_err(msg),
            Error::NonFiniteValue { .. } => InvalidScoreError::new_err(msg),
            Error::ConstantDriver { .. } | Error::CollinearDrivers { .. } => {
                InvalidDriversError::new_err(msg)
            }
            Error::InColumn { .. } => unreachable!("unwrapped above"),
            Error::EmptyData { .. } | Error::InsufficientData { .. } => {
                EmptyDataError::new_err(msg)
            }
            Error::InvalidWeight { .. }
            | Error::ZeroTotalWeight { .. }
            | Error::UnusableWeights { .. } => InvalidWeightError::new_err(msg),
            Error::LengthMismatch { .. } => LengthMismatchError::new_err(msg),
            Error::InvalidGroupCode { .. } => InvalidInputError::new_err(msg),
            Error::InvalidConfidence { .. } => InvalidConfidenceError::new_err(msg),
            Error::UnknownMethod { .. } | Error::UnknownOption { .. } => {
                UnknownMethodError::new_err(msg)
            }
            Error::MethodNotWeighted { .. } => UnsupportedMethodError::new_err(msg),
            Error::InvalidScale { .. } | Error::WrongScale { .. } | Error::InvalidTopBox { .. } => {
                InvalidScaleError::new_err(msg)
            }
            Error::InvalidCounts { .. } | Error::Incompatible { .. } => {
                InvalidCountsError::new_err(msg)
            }
            Error::NotAShare { .. } => InvalidInputError::new_err(msg),
            Error::NotComparable { .. } => IncomparableError::new_err(msg),
            Error::InvalidPValue { .. } => InvalidPValueError::new_err(msg),
            Error::InvalidPlanning { .. } => InvalidPlanningError::new_err(msg),
            Error::InvalidField {
                field,
                value,
                reason,
            } => InvalidRecordError::new_err((msg, None::<u64>, field, value, reason)),
            Error::InvalidRecord {
                line,
                field,
                value,
                reason,
            } => InvalidRecordError::new_err((msg, Some(line), field, value, reason)),
            Error::InvalidParameter {
                parameter,
                value,
                reason,
            } => InvalidParameterError::new_err((msg, parameter, value, reason)),
            Error::Interrupted => PyKeyboardInterrupt::new_err(msg),
            Error::InputChanged { .. } => InputChangedError::new_err(msg),
            Error::Read { kind: None, .. } => InvalidFileError::new_err(msg),
            Error::Read {
                kind: Some(std::io::ErrorKind::NotFound),
                ..
            } => PyFileNotFoundError::new_err(msg),
            Error::Read {
                kind: Some(std::io::ErrorKind::PermissionDenied),
                ..
            } => PyPermissionError::new_err(msg),
            Error::Read { kind: Some(_), .. } => PyOSError::new_err(msg),
            _ => CxError::new_err(msg),
        }
    }
}

/// A type error from the package's hierarchy.
pub(crate) fn invalid_input(msg: String) -> PyErr {
    InvalidInputError::new_err(msg)
}
