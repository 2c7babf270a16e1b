//! Maps each core [`Error`] variant to its Python exception (the classes of `cxmetrics/_errors.py`,
//! handed over at import: see [`crate::hooks`]).

use pyo3::exceptions::{PyFileNotFoundError, PyKeyboardInterrupt, PyOSError, PyPermissionError};
use pyo3::{PyErr, PyResult};

use cxmetrics::error::Error;

use crate::hooks::{new_err, ErrorClass::*};

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
                new_err(InvalidScoreError, msg)
            }
            Error::MissingValue { .. } => new_err(MissingValueError, msg),
            Error::NonFiniteValue { .. } => new_err(InvalidScoreError, msg),
            Error::ConstantDriver { .. } | Error::CollinearDrivers { .. } => {
                new_err(InvalidDriversError, msg)
            }
            Error::InColumn { .. } => unreachable!("unwrapped above"),
            Error::EmptyData { .. } | Error::InsufficientData { .. } => {
                new_err(EmptyDataError, msg)
            }
            Error::InvalidWeight { .. }
            | Error::ZeroTotalWeight { .. }
            | Error::UnusableWeights { .. } => new_err(InvalidWeightError, msg),
            Error::LengthMismatch { .. } => new_err(LengthMismatchError, msg),
            Error::InvalidGroupCode { .. } => new_err(InvalidInputError, msg),
            Error::InvalidConfidence { .. } => new_err(InvalidConfidenceError, msg),
            Error::UnknownMethod { .. } | Error::UnknownOption { .. } => {
                new_err(UnknownMethodError, msg)
            }
            Error::MethodNotWeighted { .. } => new_err(UnsupportedMethodError, msg),
            Error::InvalidScale { .. } | Error::WrongScale { .. } | Error::InvalidTopBox { .. } => {
                new_err(InvalidScaleError, msg)
            }
            Error::InvalidCounts { .. } | Error::Incompatible { .. } => {
                new_err(InvalidCountsError, msg)
            }
            Error::NotAShare { .. } => new_err(InvalidInputError, msg),
            Error::NotComparable { .. } => new_err(IncomparableError, msg),
            Error::InvalidPValue { .. } => new_err(InvalidPValueError, msg),
            Error::InvalidPlanning { .. } => new_err(InvalidPlanningError, msg),
            Error::InvalidField {
                field,
                value,
                reason,
            } => new_err(InvalidRecordError, (msg, None::<u64>, field, value, reason)),
            Error::InvalidRecord {
                line,
                field,
                value,
                reason,
            } => new_err(InvalidRecordError, (msg, Some(line), field, value, reason)),
            Error::InvalidParameter {
                parameter,
                value,
                reason,
            } => new_err(InvalidParameterError, (msg, parameter, value, reason)),
            Error::Interrupted => PyKeyboardInterrupt::new_err(msg),
            Error::InputChanged { .. } => new_err(InputChangedError, msg),
            Error::Read { kind: None, .. } => new_err(InvalidFileError, msg),
            Error::Read {
                kind: Some(std::io::ErrorKind::NotFound),
                ..
            } => PyFileNotFoundError::new_err(msg),
            Error::Read {
                kind: Some(std::io::ErrorKind::PermissionDenied),
                ..
            } => PyPermissionError::new_err(msg),
            Error::Read { kind: Some(_), .. } => PyOSError::new_err(msg),
            _ => new_err(CxError, msg),
        }
    }
}

/// A type error from the package's hierarchy.
pub(crate) fn invalid_input(msg: String) -> PyErr {
    new_err(InvalidInputError, msg)
}
