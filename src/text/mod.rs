//! The customer's "why": what distinguishes the comments of one group (detractors, a touchpoint,
//! this month) from the others.
//!
//! [`Tokenizer`] turns a comment into words (Unicode UAX #29 word boundaries, lower case, accents
//! folded for matching, stop words, numbers and URLs dropped); [`key_terms`] ranks the words and
//! n-grams of each group by the log-odds ratio with an informative Dirichlet prior.

mod key_terms;
mod stopwords;
mod tokenize;

pub use key_terms::{key_terms, KeyTerm, KeyTerms, KeyTermsOptions};
pub use stopwords::Language;
pub use tokenize::{LanguageChoice, Tokenizer, Word, Words};
