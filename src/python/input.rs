//! NumPy input without copies: scores in any integer or float dtype are read in place (a strided
//! array is gathered once); other inputs go through `numpy.asarray(..., dtype=float64)`.

use numpy::{
    AllowTypeChange, PyArray1, PyArrayLike1, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods,
};
use numpy::{PyArrayDescrMethods, PyReadonlyArray1};
use pyo3::prelude::*;

use super::errors::invalid_input;
use crate::counts::{MissingPolicy, ScoreCounts, ScoreValue};
use crate::error::Result as CxResult;
use crate::grouping::GroupedCounts;
use crate::scale::Scale;

/// Scores as a read-only NumPy array of one of the supported dtypes.
pub(crate) enum Scores<'py> {
    I8(PyReadonlyArray1<'py, i8>),
    I16(PyReadonlyArray1<'py, i16>),
    I32(PyReadonlyArray1<'py, i32>),
    I64(PyReadonlyArray1<'py, i64>),
    U8(PyReadonlyArray1<'py, u8>),
    U16(PyReadonlyArray1<'py, u16>),
    U32(PyReadonlyArray1<'py, u32>),
    U64(PyReadonlyArray1<'py, u64>),
    F32(PyReadonlyArray1<'py, f32>),
    F64(PyReadonlyArray1<'py, f64>),
}

/// Weights as a float64 array (converted only when not already float64).
pub(crate) type Weights<'py> = PyArrayLike1<'py, f64, AllowTypeChange>;

fn readonly<'py, T: numpy::Element>(ob: &Bound<'py, PyAny>) -> Option<PyReadonlyArray1<'py, T>> {
    ob.cast::<PyArray1<T>>()
        .ok()
        .and_then(|a| a.try_readonly().ok())
}

impl<'py> FromPyObject<'_, 'py> for Scores<'py> {
    type Error = PyErr;

    fn extract(ob: Borrowed<'_, 'py, PyAny>) -> PyResult<Self> {
        let ob = ob.to_owned();
        if let Ok(arr) = ob.cast::<PyUntypedArray>() {
            if arr.ndim() != 1 {
                return Err(invalid_input(format!(
                    "scores must be one-dimensional, got an array with {} dimensions",
                    arr.ndim()
                )));
            }
            let kind = arr.dtype().kind();
            if !matches!(kind, b'i' | b'u' | b'f') {
                return Err(invalid_input(format!(
                    "scores must be numbers (integer or float dtype), got dtype {}",
                    arr.dtype()
                )));
            }
        }
        macro_rules! try_dtype {
            ($($variant:ident: $t:ty),*) => {$(
                if let Some(a) = readonly::<$t>(&ob) {
                    return Ok(Scores::$variant(a));
                }
            )*};
        }
        try_dtype!(U8: u8, I64: i64, F64: f64, I32: i32, F32: f32, I8: i8, I16: i16, U16: u16, U32: u32, U64: u64);
        // Anything else (lists, non-native byte order, float16...) is converted once to float64.
        let converted: PyArrayLike1<'py, f64, AllowTypeChange> = ob
            .extract()
            .map_err(|e| invalid_input(format!("scores must be a 1-D sequence of numbers: {e}")))?;
        Ok(Scores::F64(converted.readonly()))
    }
}

/// Runs `f` on the array's elements as a contiguous slice (gathering a strided view first), with the
/// GIL released.
fn with_slice<T, R>(
    py: Python<'_>,
    a: &PyReadonlyArray1<'_, T>,
    f: impl FnOnce(&[T]) -> R + Send,
) -> R
where
    T: numpy::Element + Copy + Send + Sync,
    R: Send,
{
    match a.as_slice() {
        Ok(slice) => py.detach(|| f(slice)),
        Err(_) => {
            let gathered: Vec<T> = a.as_array().iter().copied().collect();
            py.detach(|| f(&gathered))
        }
    }
}

impl Scores<'_> {
    /// The number of scores.
    pub(crate) fn len(&self) -> usize {
        macro_rules! len {
            ($($variant:ident),*) => { match self { $(Scores::$variant(a) => a.len(),)* } };
        }
        len!(I8, I16, I32, I64, U8, U16, U32, U64, F32, F64)
    }

    /// Counts the scores on `scale` (weighted when `weights` is given), with the GIL released.
    pub(crate) fn count(
        &self,
        py: Python<'_>,
        scale: Scale,
        policy: MissingPolicy,
        weights: Option<&Weights<'_>>,
    ) -> CxResult<ScoreCounts> {
        macro_rules! count {
            ($($variant:ident),*) => {
                match self { $(Scores::$variant(a) => count_array(py, a, scale, policy, weights),)* }
            };
        }
        count!(I8, I16, I32, I64, U8, U16, U32, U64, F32, F64)
    }
}

impl Scores<'_> {
    /// Counts the scores per group (`codes[i]` is the group of `scores[i]`), GIL released.
    pub(crate) fn count_grouped(
        &self,
        py: Python<'_>,
        codes: &[u32],
        n_groups: usize,
        scale: Scale,
        policy: MissingPolicy,
        weights: Option<&Weights<'_>>,
    ) -> CxResult<GroupedCounts> {
        macro_rules! count {
            ($($variant:ident),*) => {
                match self { $(Scores::$variant(a) => count_grouped_array(py, codes, n_groups, a, scale, policy, weights),)* }
            };
        }
        count!(I8, I16, I32, I64, U8, U16, U32, U64, F32, F64)
    }
}

fn count_grouped_array<T>(
    py: Python<'_>,
    codes: &[u32],
    n_groups: usize,
    scores: &PyReadonlyArray1<'_, T>,
    scale: Scale,
    policy: MissingPolicy,
    weights: Option<&Weights<'_>>,
) -> CxResult<GroupedCounts>
where
    T: numpy::Element + ScoreValue,
{
    match weights {
        None => with_slice(py, scores, |s| {
            GroupedCounts::from_scores(codes, n_groups, s, scale, policy)
        }),
        Some(w) => {
            let w = w.readonly();
            let w_view = w.as_array();
            with_slice(py, scores, |s| match w_view.as_slice() {
                Some(w_slice) => {
                    GroupedCounts::from_weighted_scores(codes, n_groups, s, w_slice, scale, policy)
                }
                None => {
                    let gathered: Vec<f64> = w_view.iter().copied().collect();
                    GroupedCounts::from_weighted_scores(
                        codes, n_groups, s, &gathered, scale, policy,
                    )
                }
            })
        }
    }
}

fn count_array<T>(
    py: Python<'_>,
    scores: &PyReadonlyArray1<'_, T>,
    scale: Scale,
    policy: MissingPolicy,
    weights: Option<&Weights<'_>>,
) -> CxResult<ScoreCounts>
where
    T: numpy::Element + ScoreValue,
{
    match weights {
        None => with_slice(py, scores, |s| ScoreCounts::from_scores(s, scale, policy)),
        Some(w) => {
            let w = w.readonly();
            let weights: Vec<f64>;
            let w_slice = match w.as_slice() {
                Ok(s) => s,
                Err(_) => {
                    weights = w.as_array().iter().copied().collect();
                    &weights
                }
            };
            with_slice(py, scores, |s| {
                ScoreCounts::from_weighted_scores(s, w_slice, scale, policy)
            })
        }
    }
}
