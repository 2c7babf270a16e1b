//! What the Python package lends the native module: its exception classes, its argument conversion
//! and its plotting entry point, handed over once at import by `cxmetrics/_hooks.py` through
//! [`install_hooks`].
//!
//! The native module never imports the package (no `import cxmetrics.…` from Rust): the layers run
//! one way, package over native module over core. The package owns the exception hierarchy (classes
//! with Python `__init__`/`__reduce__` and a `CxError`-and-`TypeError` base), the one conversion of
//! each kind of argument (`_convert`) and matplotlib (`plot`, imported only when a plot is drawn);
//! this module only keeps references to them.

use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};
use pyo3::PyErrArguments;

macro_rules! error_classes {
    ($($name:ident),* $(,)?) => {
        /// The package's exception classes the native module raises (`cxmetrics._errors`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(clippy::enum_variant_names)]
        pub(crate) enum ErrorClass {
            $(
                #[doc = concat!("`cxmetrics.", stringify!($name), "`.")]
                $name,
            )*
        }

        impl ErrorClass {
            /// Every class, in declaration order (the index of each is its position here).
            pub(crate) const ALL: &'static [ErrorClass] = &[$(ErrorClass::$name),*];

            /// The class's Python name.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(ErrorClass::$name => stringify!($name),)*
                }
            }
        }
    };
}

error_classes!(
    CxError,
    InvalidScoreError,
    MissingValueError,
    EmptyDataError,
    InvalidWeightError,
    LengthMismatchError,
    InvalidConfidenceError,
    UnknownMethodError,
    UnsupportedMethodError,
    InvalidScaleError,
    InvalidCountsError,
    InvalidInputError,
    IncomparableError,
    InvalidPValueError,
    InvalidPlanningError,
    InvalidRecordError,
    InvalidFileError,
    InvalidDriversError,
    InvalidParameterError,
    InputChangedError,
);

/// The references the package handed over.
struct Hooks {
    /// One class per [`ErrorClass`], in the order of [`ErrorClass::ALL`].
    errors: Vec<Py<PyType>>,
    /// The package's conversion module (`cxmetrics._convert`).
    convert: Py<PyAny>,
    /// `plot(function, obj, ax)`: draws `obj` with `cxmetrics.plot.<function>`.
    plot: Py<PyAny>,
}

static HOOKS: PyOnceLock<Hooks> = PyOnceLock::new();

/// Hands the package's exception classes (a dict from class name to class, holding every class the
/// native module raises, each a subclass of `ValueError`), its conversion module and its plot entry
/// point (`plot(function, obj, ax)`) to the native module. Called once, by `cxmetrics/_hooks.py`
/// at import; later calls (a reload of the package) keep the first references.
#[pyfunction]
pub(crate) fn install_hooks(
    py: Python<'_>,
    errors: &Bound<'_, PyDict>,
    convert: Bound<'_, PyAny>,
    plot: Bound<'_, PyAny>,
) -> PyResult<()> {
    let mut classes = Vec::with_capacity(ErrorClass::ALL.len());
    for class in ErrorClass::ALL {
        let value = errors.get_item(class.name())?.ok_or_else(|| {
            PyTypeError::new_err(format!(
                "install_hooks: errors has no class {}",
                class.name()
            ))
        })?;
        let value = value.cast_into::<PyType>().map_err(|_| {
            PyTypeError::new_err(format!("install_hooks: {} is not a class", class.name()))
        })?;
        if !value.is_subclass_of::<PyValueError>()? {
            return Err(PyTypeError::new_err(format!(
                "install_hooks: {} is not a ValueError subclass",
                class.name()
            )));
        }
        classes.push(value.unbind());
    }
    if !plot.is_callable() {
        return Err(PyTypeError::new_err("install_hooks: plot must be callable"));
    }
    // A second call (the package reloaded) keeps the references of the first.
    let _ = HOOKS.set(
        py,
        Hooks {
            errors: classes,
            convert: convert.unbind(),
            plot: plot.unbind(),
        },
    );
    Ok(())
}

fn hooks(py: Python<'_>) -> PyResult<&Hooks> {
    HOOKS.get(py).ok_or_else(|| {
        PyRuntimeError::new_err(
            "cxmetrics._native was loaded without the cxmetrics package (import cxmetrics)",
        )
    })
}

/// The exception `class(*args)`, built lazily when raised. Before the package installed its
/// hooks (the native module loaded on its own) it is a `ValueError` with the same arguments.
pub(crate) fn new_err<A>(class: ErrorClass, args: A) -> PyErr
where
    A: PyErrArguments + Send + Sync + 'static,
{
    Python::attach(|py| match HOOKS.get(py) {
        Some(hooks) => {
            // Fieldless variants numbered in declaration order: the index into `ALL`.
            PyErr::from_type(hooks.errors[class as usize].bind(py).clone(), args)
        }
        None => PyValueError::new_err(args),
    })
}

/// The package's conversion module (`cxmetrics._convert`).
pub(crate) fn convert(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    Ok(hooks(py)?.convert.bind(py).clone())
}

/// Draws `obj` with the package's `plot.<function>` on `ax` (a new figure when `None`); returns the
/// Axes.
pub(crate) fn plot<'py>(
    obj: &Bound<'py, PyAny>,
    function: &str,
    ax: Option<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = obj.py();
    hooks(py)?.plot.bind(py).call1((function, obj, ax))
}
