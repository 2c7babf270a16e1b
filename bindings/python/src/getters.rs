//! One macro for the result classes: a `#[pymethods]` block whose read-only properties delegate to
//! the wrapped core value (`self.0`), each written as one line, followed by the class's other
//! methods verbatim. The getters are thus generated, with their docstrings, not written out one by
//! one.

/// `pymethods_with_getters! { impl PyType { getters |e| { /// doc \n name -> Type = expr; ... } other methods } }`
/// expands to one `#[pymethods] impl PyType` holding a `#[getter] fn name(&self) -> Type` per line
/// (with `e` bound to `&self.0`) and the other methods.
macro_rules! pymethods_with_getters {
    (
        impl $ty:ty {
            getters |$e:ident| {
                $( $(#[doc = $doc:literal])* $name:ident -> $ret:ty = $body:expr; )*
            }
            $($rest:tt)*
        }
    ) => {
        #[pyo3::pymethods]
        impl $ty {
            $(
                $(#[doc = $doc])*
                #[getter]
                fn $name(&self) -> $ret {
                    let $e = &self.0;
                    $body
                }
            )*
            $($rest)*
        }
    };
}

pub(crate) use pymethods_with_getters;
