//! NumPy input without copies: scores in any integer or float dtype are read in place (a strided
//! array is gathered once); other inputs go through `numpy.asarray(..., dtype=float64)`.

use numpy::{
    AllowTypeChange, PyArray1, PyArrayLike1, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods,
};
use numpy::{PyArrayDescrMethods, PyReadonlyArray1};
use pyo3::prelude::*;

use super::errors::invalid_input;
use cxmetrics::counts::{MissingPolicy, ScoreCounts, ScoreValue};
use cxmetrics::grouping::ScoreColumn;
use cxmetrics::scale::Scale;
use cxmetrics::Result as CxResult;

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

/// A contiguous slice of `view`, or of `owned` after gathering a strided view into it.
pub(crate) fn contiguous<'a, T: Copy>(
    view: &'a numpy::ndarray::ArrayView1<'_, T>,
    owned: &'a mut Vec<T>,
) -> &'a [T] {
    match view.as_slice() {
        Some(slice) => slice,
        None => {
            *owned = view.iter().copied().collect();
            owned
        }
    }
}

/// Runs `f` on the scores and the optional weights as contiguous slices (a strided array is gathered
/// once), with the GIL released throughout.
fn with_slices<T, R>(
    py: Python<'_>,
    scores: &PyReadonlyArray1<'_, T>,
    weights: Option<&Weights<'_>>,
    f: impl FnOnce(&[T], Option<&[f64]>) -> CxResult<R> + Send,
) -> PyResult<R>
where
    T: numpy::Element + Copy + Send + Sync,
    R: Send,
{
    let weights = weights.map(|w| w.readonly());
    let w_view = weights.as_ref().map(|w| w.as_array());
    let s_view = scores.as_array();
    super::detach_interruptible(py, || {
        let (mut s_owned, mut w_owned) = (Vec::new(), Vec::new());
        let s = contiguous(&s_view, &mut s_owned);
        let w = w_view.as_ref().map(|v| contiguous(v, &mut w_owned));
        f(s, w)
    })
}

impl Scores<'_> {
    /// Counts the scores on `scale` (weighted when `weights` is given), with the GIL released.
    pub(crate) fn count(
        &self,
        py: Python<'_>,
        scale: Scale,
        policy: MissingPolicy,
        weights: Option<&Weights<'_>>,
    ) -> PyResult<ScoreCounts> {
        macro_rules! count {
            ($($variant:ident),*) => {
                match self { $(Scores::$variant(a) => with_slices(py, a, weights, |s, w| match w {
                    None => ScoreCounts::from_scores(s, scale, policy),
                    Some(w) => ScoreCounts::from_weighted_scores(s, w, scale, policy),
                }),)* }
            };
        }
        count!(I8, I16, I32, I64, U8, U16, U32, U64, F32, F64)
    }

    /// The scores as a borrowed column, when the array is contiguous.
    pub(crate) fn column(&self) -> Option<ScoreColumn<'_>> {
        macro_rules! column {
            ($($variant:ident),*) => {
                match self { $(Scores::$variant(a) => ScoreColumn::$variant(a.as_slice().ok()?),)* }
            };
        }
        Some(column!(I8, I16, I32, I64, U8, U16, U32, U64, F32, F64))
    }

    /// Runs `f` on the scores as float64 and the weights as a contiguous slice, with the GIL
    /// released (the computations that take rows, such as the weighted bootstrap).
    pub(crate) fn with_f64_rows<R: Send>(
        &self,
        py: Python<'_>,
        weights: &Weights<'_>,
        f: impl FnOnce(&[f64], &[f64]) -> CxResult<R> + Send,
    ) -> PyResult<R> {
        let values = self.to_f64_vec();
        let weights = weights.readonly();
        let view = weights.as_array();
        super::detach_interruptible(py, || {
            let mut owned = Vec::new();
            f(&values, contiguous(&view, &mut owned))
        })
    }

    /// The scores gathered into float64 (for strided arrays).
    pub(crate) fn to_f64_vec(&self) -> Vec<f64> {
        macro_rules! gather {
            ($($variant:ident),*) => {
                match self { $(Scores::$variant(a) => a.as_array().iter().map(|&x| ScoreValue::to_f64(x)).collect(),)* }
            };
        }
        gather!(I8, I16, I32, I64, U8, U16, U32, U64, F32, F64)
    }
}
