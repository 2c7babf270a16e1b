//! Distinctive terms per group: the log-odds ratio with an informative Dirichlet prior.
//!
//! B. L. Monroe, M. P. Colaresi and K. M. Quinn (2008), "Fightin' Words: Lexical Feature Selection
//! and Evaluation for Identifying the Content of Political Conflict", Political Analysis 16(4),
//! 372-403, section 3.5. For group `i` against all other groups together (`j`), with `y_iw` the count
//! of term `w` in `i`, `n_i` the count of all terms in `i`, `alpha_w = prior * (count of w over all
//! groups)` and `alpha_0 = sum_w alpha_w`:
//!
//! `delta_w = log((y_iw + alpha_w) / (n_i + alpha_0 - y_iw - alpha_w))
//!          - log((y_jw + alpha_w) / (n_j + alpha_0 - y_jw - alpha_w))`,
//! `var = 1/(y_iw + alpha_w) + 1/(y_jw + alpha_w)`, `z = delta_w / sqrt(var)`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

use super::tokenize::{LanguageChoice, Tokenizer, Word};
use crate::error::{Error, Result};

/// A fast multiplicative hasher for the vocabulary (FxHash, as in rustc): the keys are short strings
/// from the data, where SipHash's flooding resistance is not needed.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(word))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Options of [`key_terms`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyTermsOptions {
    /// Stop-word language (per-comment detection by default).
    pub language: LanguageChoice,
    /// Terms seen fewer times than this over all groups are not reported.
    pub min_count: u64,
    /// The prior's scale: `alpha_w = prior * count_w`.
    pub prior: f64,
    /// The smallest and largest n-gram order (1 = words, 2 = pairs of adjacent words).
    pub ngram: (usize, usize),
    /// The number of terms reported per group.
    pub top: usize,
}

impl Default for KeyTermsOptions {
    fn default() -> Self {
        KeyTermsOptions {
            language: LanguageChoice::Auto,
            min_count: 5,
            prior: 0.01,
            ngram: (1, 2),
            top: 20,
        }
    }
}

/// One distinctive term of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyTerm {
    /// The group (its code).
    pub group: u32,
    /// The term as most often written (lower case, accents kept; n-grams joined by spaces).
    pub term: String,
    /// Its count in the group.
    pub count: u64,
    /// Its rate per 1000 words of the group.
    pub rate: f64,
    /// The log-odds ratio `delta_w`.
    pub log_odds: f64,
    /// `delta_w / sqrt(var)`.
    pub z_score: f64,
}

/// The result of [`key_terms`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyTerms {
    /// For each group in order, its `top` terms by decreasing z-score.
    pub terms: Vec<KeyTerm>,
    /// Comments with at least one word, per group.
    pub n_comments: Vec<u64>,
    /// Comments missing, empty or without any word (excluded).
    pub n_empty: u64,
    /// Words (after stop-word removal) per group: the denominators of `rate`.
    pub n_words: Vec<u64>,
    /// Comments whose language was detected as English, Spanish, or neither.
    pub languages: [u64; 3],
}

/// Counts of one slice of comments.
#[derive(Default)]
struct Counts {
    ids: FxMap<String, u32>,
    /// Per term: its surface forms and their counts (usually one).
    surfaces: Vec<Vec<(String, u64)>>,
    /// Per term and group: `counts[term][group]`, stored sparse.
    per_group: Vec<Vec<(u32, u64)>>,
    n_comments: Vec<u64>,
    n_words: Vec<u64>,
    n_empty: u64,
    languages: [u64; 3],
}

fn bump<K: PartialEq + ?Sized + ToOwned<Owned = O>, O: std::borrow::Borrow<K>>(
    list: &mut Vec<(O, u64)>,
    key: &K,
    times: u64,
) {
    match list.iter_mut().find(|(k, _)| k.borrow() == key) {
        Some(entry) => entry.1 += times,
        None => list.push((key.to_owned(), times)),
    }
}

impl Counts {
    fn id_of(&mut self, key: &str) -> usize {
        if let Some(&id) = self.ids.get(key) {
            return id as usize;
        }
        let id = self.surfaces.len();
        self.ids.insert(key.to_string(), id as u32);
        self.surfaces.push(Vec::new());
        self.per_group.push(Vec::new());
        id
    }

    fn add(&mut self, key: &str, surface: &str, group: u32, times: u64) {
        let id = self.id_of(key);
        bump(&mut self.surfaces[id], surface, times);
        bump(&mut self.per_group[id], &group, times);
    }

    fn merge(&mut self, other: Counts) {
        for (key, &id) in &other.ids {
            let mine = self.id_of(key);
            for (surface, n) in &other.surfaces[id as usize] {
                bump(&mut self.surfaces[mine], surface.as_str(), *n);
            }
            for (group, n) in &other.per_group[id as usize] {
                bump(&mut self.per_group[mine], group, *n);
            }
        }
        for (a, b) in self.n_comments.iter_mut().zip(other.n_comments) {
            *a += b;
        }
        for (a, b) in self.n_words.iter_mut().zip(other.n_words) {
            *a += b;
        }
        self.n_empty += other.n_empty;
        for (a, b) in self.languages.iter_mut().zip(other.languages) {
            *a += b;
        }
    }
}

fn count_slice(
    texts: &[Option<&str>],
    groups: &[u32],
    n_groups: usize,
    options: &KeyTermsOptions,
) -> Counts {
    let tokenizer = Tokenizer::default();
    let mut counts = Counts {
        n_comments: vec![0; n_groups],
        n_words: vec![0; n_groups],
        ..Counts::default()
    };
    let (lo, hi) = options.ngram;
    let mut key = String::new();
    let mut surface = String::new();
    for (text, &group) in texts.iter().zip(groups) {
        let Some(text) = text else {
            counts.n_empty += 1;
            continue;
        };
        let (words, language) = tokenizer.words(text, options.language);
        let n_words = words.iter().flatten().count() as u64;
        if n_words == 0 {
            counts.n_empty += 1;
            continue;
        }
        counts.n_comments[group as usize] += 1;
        counts.n_words[group as usize] += n_words;
        counts.languages[match language.map(|l| l.code()) {
            Some("en") => 0,
            Some("es") => 1,
            _ => 2,
        }] += 1;
        // Runs of consecutive words (between boundaries) give the n-grams.
        for run in words.split(Option::is_none) {
            let run: Vec<&Word> = run.iter().flatten().collect();
            for order in lo..=hi {
                for window in run.windows(order) {
                    key.clear();
                    surface.clear();
                    for (k, w) in window.iter().enumerate() {
                        if k > 0 {
                            key.push(' ');
                            surface.push(' ');
                        }
                        key.push_str(&w.key);
                        surface.push_str(&w.surface);
                    }
                    counts.add(&key, &surface, group, 1);
                }
            }
        }
    }
    counts
}

/// The terms that distinguish each group of comments from all the others together, by the
/// log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008; see the module
/// documentation for the formulas).
///
/// `texts[i]` belongs to group `groups[i]` (`0..n_groups`); `None` or blank texts (and texts without
/// any word once stop words, numbers and URLs are dropped) are excluded and counted in `n_empty`.
/// Terms are words and n-grams of adjacent words (`options.ngram`), matched case- and
/// accent-insensitively; `n_i` is the count of all terms (of every order asked for) in group `i`.
/// Terms seen fewer than `min_count` times over all groups are not reported. Multi-threaded.
///
/// # Errors
/// [`Error::LengthMismatch`]; [`Error::InvalidGroupCode`]; [`Error::InvalidField`] for fewer than
/// two groups, a prior that is not positive and finite, or an n-gram range outside 1-3.
///
/// # Examples
/// ```
/// use cxmetrics::text::{key_terms, KeyTermsOptions};
/// let texts = [Some("late delivery again"), Some("late delivery, rude driver"), Some("great price"), Some("great service")];
/// let groups = [0, 0, 1, 1];
/// let options = KeyTermsOptions { min_count: 2, ..KeyTermsOptions::default() };
/// let result = key_terms(&texts, &groups, 2, &options)?;
/// let first = &result.terms[0];
/// assert_eq!((first.group, first.count), (0, 2));
/// assert!(["late", "delivery", "late delivery"].contains(&first.term.as_str()));
/// # Ok::<(), cxmetrics::Error>(())
/// ```
pub fn key_terms(
    texts: &[Option<&str>],
    groups: &[u32],
    n_groups: usize,
    options: &KeyTermsOptions,
) -> Result<KeyTerms> {
    if texts.len() != groups.len() {
        return Err(Error::LengthMismatch {
            left_name: "texts",
            left: texts.len(),
            right_name: "groups",
            right: groups.len(),
        });
    }
    if let Some(position) = groups.iter().position(|&g| g as usize >= n_groups) {
        return Err(Error::InvalidGroupCode {
            code: u64::from(groups[position]),
            position,
            n_groups,
        });
    }
    let invalid = |field: &str, value: String, reason: &str| Error::InvalidField {
        field: field.into(),
        value,
        reason: reason.into(),
    };
    if n_groups < 2 {
        return Err(invalid(
            "groups",
            n_groups.to_string(),
            "key terms need at least two groups to contrast",
        ));
    }
    if !(options.prior.is_finite() && options.prior > 0.0) {
        return Err(invalid(
            "prior",
            options.prior.to_string(),
            "must be positive and finite",
        ));
    }
    let (lo, hi) = options.ngram;
    if !(1 <= lo && lo <= hi && hi <= 3) {
        return Err(invalid(
            "ngram",
            format!("({lo}, {hi})"),
            "must be (min, max) with 1 <= min <= max <= 3",
        ));
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = if texts.len() < 20_000 { 1 } else { threads };
    let chunk = texts.len().div_ceil(threads).max(1);
    let mut parts: Vec<Counts> = std::thread::scope(|scope| {
        let handles: Vec<_> = texts
            .chunks(chunk)
            .zip(groups.chunks(chunk))
            .map(|(t, g)| scope.spawn(move || count_slice(t, g, n_groups, options)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("counting cannot panic"))
            .collect()
    });
    let mut counts = if parts.is_empty() {
        count_slice(&[], &[], n_groups, options)
    } else {
        parts.remove(0)
    };
    for part in parts {
        counts.merge(part);
    }
    // n_i: all term occurrences of group i; alpha_0 = prior * N.
    let mut n_terms = vec![0u64; n_groups];
    for per_group in &counts.per_group {
        for &(g, c) in per_group {
            n_terms[g as usize] += c;
        }
    }
    let total: u64 = n_terms.iter().sum();
    let alpha_0 = options.prior * total as f64;
    let mut by_group: Vec<Vec<KeyTerm>> = vec![Vec::new(); n_groups];
    for (id, per_group) in counts.per_group.iter().enumerate() {
        let count_w: u64 = per_group.iter().map(|(_, c)| c).sum();
        if count_w < options.min_count.max(1) {
            continue;
        }
        let alpha_w = options.prior * count_w as f64;
        let term = counts.surfaces[id]
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(s, _)| s.clone())
            .expect("every term has a surface form");
        for g in 0..n_groups {
            let y_i = per_group
                .iter()
                .find(|(h, _)| *h as usize == g)
                .map_or(0, |(_, c)| *c);
            if y_i == 0 {
                continue; // not a term of this group
            }
            let y_j = count_w - y_i;
            let (n_i, n_j) = (n_terms[g] as f64, (total - n_terms[g]) as f64);
            let (yi, yj) = (y_i as f64, y_j as f64);
            let log_odds = ((yi + alpha_w) / (n_i + alpha_0 - yi - alpha_w)).ln()
                - ((yj + alpha_w) / (n_j + alpha_0 - yj - alpha_w)).ln();
            let variance = 1.0 / (yi + alpha_w) + 1.0 / (yj + alpha_w);
            by_group[g].push(KeyTerm {
                group: g as u32,
                term: term.clone(),
                count: y_i,
                rate: if counts.n_words[g] > 0 {
                    1000.0 * yi / counts.n_words[g] as f64
                } else {
                    f64::NAN
                },
                log_odds,
                z_score: log_odds / variance.sqrt(),
            });
        }
    }
    let mut terms = Vec::new();
    for mut group_terms in by_group {
        group_terms.sort_by(|a, b| {
            b.z_score
                .total_cmp(&a.z_score)
                .then_with(|| a.term.cmp(&b.term))
        });
        group_terms.truncate(options.top);
        terms.extend(group_terms);
    }
    Ok(KeyTerms {
        terms,
        n_comments: counts.n_comments,
        n_empty: counts.n_empty,
        n_words: counts.n_words,
        languages: counts.languages,
    })
}
