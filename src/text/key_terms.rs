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
//!
//! Methods and sources: `docs/methods.md#log-odds-with-informative-dirichlet-prior`.

use serde::Serialize;

use super::stopwords::Language;
use super::tokenize::{choose, fold, is_stop, scan, LanguageChoice, Piece, Tokenizer};
use crate::error::{Error, Result};

use crate::hash::FxMap;

/// Options of [`key_terms`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
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

with_setters!(KeyTermsOptions {
    /// Stop words of `language` (or detected per comment).
    with_language(language: LanguageChoice),
    /// Report only terms seen at least `min_count` times over all groups.
    with_min_count(min_count: u64),
    /// The prior's scale (`alpha_w = prior * count_w`).
    with_prior(prior: f64),
    /// The smallest and largest n-gram order.
    with_ngram(ngram: (usize, usize)),
    /// Report `top` terms per group.
    with_top(top: usize),
});

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

const BOUNDARY: u32 = u32::MAX;
const END: u32 = u32::MAX - 1;

/// Phase 1, per thread: the comments as streams of local word ids.
#[derive(Default)]
struct Scanned {
    ids: FxMap<String, u32>,
    surfaces: Vec<String>,
    /// `END` closes each kept comment; `BOUNDARY` separates runs.
    stream: Vec<u32>,
    /// The group of each kept comment, in stream order.
    groups: Vec<u32>,
    n_comments: Vec<u64>,
    n_words: Vec<u64>,
    n_empty: u64,
    languages: [u64; 3],
}

fn scan_slice(
    texts: &[Option<&str>],
    groups: &[u32],
    n_groups: usize,
    choice: LanguageChoice,
) -> Scanned {
    let tokenizer = Tokenizer::default();
    let mut out = Scanned {
        n_comments: vec![0; n_groups],
        n_words: vec![0; n_groups],
        ..Scanned::default()
    };
    let mut stop: Vec<(bool, bool)> = Vec::new();
    let mut buffer = String::new();
    let mut comment: Vec<u32> = Vec::new();
    for (text, &group) in texts.iter().zip(groups) {
        let Some(text) = text else {
            out.n_empty += 1;
            continue;
        };
        comment.clear();
        scan(text, &mut buffer, |piece| match piece {
            Piece::Word(w) => {
                let id = match out.ids.get(w) {
                    Some(&id) => id,
                    None => {
                        let id = out.surfaces.len() as u32;
                        out.ids.insert(w.to_string(), id);
                        out.surfaces.push(w.to_string());
                        stop.push(tokenizer.stop_flags(&fold(w)));
                        id
                    }
                };
                comment.push(id);
            }
            Piece::Boundary => comment.push(BOUNDARY),
        });
        let (english, spanish) =
            comment
                .iter()
                .filter(|&&id| id != BOUNDARY)
                .fold((0, 0), |(e, s), &id| {
                    let (a, b) = stop[id as usize];
                    (e + usize::from(a), s + usize::from(b))
                });
        let language = choose(choice, english, spanish);
        let mut n_words = 0u64;
        for id in comment.iter_mut() {
            if *id != BOUNDARY {
                let (a, b) = stop[*id as usize];
                if is_stop(language, a, b) {
                    *id = BOUNDARY;
                } else {
                    n_words += 1;
                }
            }
        }
        if n_words == 0 {
            out.n_empty += 1;
            continue;
        }
        out.n_comments[group as usize] += 1;
        out.n_words[group as usize] += n_words;
        out.languages[match language {
            Some(Language::English) => 0,
            Some(Language::Spanish) => 1,
            None => 2,
        }] += 1;
        out.stream.extend_from_slice(&comment);
        out.stream.push(END);
        out.groups.push(group);
    }
    out
}

/// A term of up to three word keys, packed: key ids in bits 0-31, 32-63 and 64-95 (stored + 1
/// after the first, 0 = absent). Bits 96-127 are free for a group.
fn pack(keys: &[u32]) -> u128 {
    let mut code = u128::from(keys[0]);
    for (k, &id) in keys.iter().enumerate().skip(1) {
        code |= (u128::from(id) + 1) << (32 * k);
    }
    code
}

/// Term-by-group counts, one entry per (term, group) with the group in bits 96-127 of the key (a
/// single hash lookup per occurrence; measured faster than a row of groups per term).
struct TermCounts(FxMap<u128, u64>);

impl TermCounts {
    fn new() -> Self {
        TermCounts(FxMap::default())
    }

    #[inline]
    fn add(&mut self, term: u128, group: u32, n: u64) {
        *self.0.entry(term | (u128::from(group) << 96)).or_insert(0) += n;
    }

    fn merge(&mut self, other: TermCounts) {
        self.0.reserve(other.0.len() / 2);
        for (key, n) in other.0 {
            *self.0.entry(key).or_insert(0) += n;
        }
    }

    /// Calls `f(term, counts by group)` for every term.
    fn for_each_term(&self, groups: usize, mut f: impl FnMut(u128, &[u64])) {
        let mut rows: FxMap<u128, Vec<u64>> = FxMap::default();
        for (&key, &n) in &self.0 {
            rows.entry(key & TERM_MASK)
                .or_insert_with(|| vec![0; groups])[(key >> 96) as usize] += n;
        }
        for (term, row) in &rows {
            f(*term, row);
        }
    }
}

fn unpack(term: u128) -> Vec<u32> {
    let mut keys = vec![term as u32];
    for k in 1..3 {
        let id = (term >> (32 * k)) as u32;
        if id == 0 {
            break;
        }
        keys.push(id - 1);
    }
    keys
}

const TERM_MASK: u128 = (1u128 << 96) - 1;

/// Phase 3, per thread: term-by-group counts and surface counts of a remapped stream.
fn count_stream(
    stream: &[u32],
    groups: &[u32],
    key_of: &[u32],
    surfaces: usize,
    (lo, hi): (usize, usize),
) -> (TermCounts, Vec<u64>) {
    let mut counts = TermCounts::new();
    let mut surface_counts = vec![0u64; surfaces];
    let mut group_index = 0;
    let mut run: Vec<u32> = Vec::new();
    let flush = |run: &mut Vec<u32>, group: u32, counts: &mut TermCounts| {
        for order in lo..=hi {
            for window in run.windows(order) {
                counts.add(pack(window), group, 1);
            }
        }
        run.clear();
    };
    for &token in stream {
        match token {
            END => {
                flush(&mut run, groups[group_index], &mut counts);
                group_index += 1;
            }
            BOUNDARY => flush(&mut run, groups[group_index], &mut counts),
            surface => {
                surface_counts[surface as usize] += 1;
                run.push(key_of[surface as usize]);
            }
        }
    }
    (counts, surface_counts)
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
/// let mut options = KeyTermsOptions::default();
/// options.min_count = 2;
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
    let invalid = |parameter: &str, value: String, reason: &str| {
        Error::invalid_parameter(parameter, value, reason)
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
            crate::error::Shortest(options.prior).to_string(),
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
    let threads = crate::parallel::threads();
    let threads = if texts.len() < 20_000 { 1 } else { threads };
    let chunk = texts.len().div_ceil(threads).max(1);
    // Phase 1: scan the comments on every thread, with thread-local word ids.
    let mut parts: Vec<Scanned> =
        crate::parallel::map_blocks_in_order(texts.len().div_ceil(chunk), threads, |b| {
            let range = b * chunk..((b + 1) * chunk).min(texts.len());
            scan_slice(
                &texts[range.clone()],
                &groups[range],
                n_groups,
                options.language,
            )
        });
    // Phase 2: one vocabulary; surface ids of the streams made global; a key id per folded word.
    let mut surface_ids: FxMap<String, u32> = FxMap::default();
    let mut surface_text: Vec<String> = Vec::new();
    let mut key_ids: FxMap<String, u32> = FxMap::default();
    let mut key_of: Vec<u32> = Vec::new();
    let (mut n_comments, mut n_words, mut n_empty, mut languages) =
        (vec![0u64; n_groups], vec![0u64; n_groups], 0, [0u64; 3]);
    for part in &mut parts {
        let global: Vec<u32> = part
            .surfaces
            .iter()
            .map(|surface| {
                *surface_ids.entry(surface.clone()).or_insert_with(|| {
                    let key = fold(surface);
                    let next = key_ids.len() as u32;
                    let key_id = *key_ids.entry(key).or_insert(next);
                    surface_text.push(surface.clone());
                    key_of.push(key_id);
                    (surface_text.len() - 1) as u32
                })
            })
            .collect();
        for token in part.stream.iter_mut() {
            if *token < END {
                *token = global[*token as usize];
            }
        }
        for g in 0..n_groups {
            n_comments[g] += part.n_comments[g];
            n_words[g] += part.n_words[g];
        }
        n_empty += part.n_empty;
        for (a, b) in languages.iter_mut().zip(part.languages) {
            *a += b;
        }
    }
    // Phase 3: count terms by group on every thread, then add the tables.
    let n_surfaces = surface_text.len();
    let key_of = &key_of;
    let parts = &parts;
    let mut counted: Vec<(TermCounts, Vec<u64>)> =
        crate::parallel::map_blocks_in_order(parts.len(), threads, |b| {
            let part = &parts[b];
            count_stream(
                &part.stream,
                &part.groups,
                key_of,
                n_surfaces,
                options.ngram,
            )
        });
    let (mut counts, mut surface_counts) = counted
        .pop()
        .unwrap_or_else(|| (TermCounts::new(), Vec::new()));
    surface_counts.resize(n_surfaces, 0);
    for (more, more_surfaces) in counted {
        counts.merge(more);
        for (a, b) in surface_counts.iter_mut().zip(more_surfaces) {
            *a += b;
        }
    }
    // Each folded word is shown as written most often (ties: the first in sort order).
    let mut shown: Vec<Option<u32>> = vec![None; key_ids.len()];
    for (surface, &key) in key_of.iter().enumerate() {
        let best = &mut shown[key as usize];
        let better = match *best {
            None => true,
            Some(b) => {
                let (cb, cs) = (surface_counts[b as usize], surface_counts[surface]);
                cs > cb || (cs == cb && surface_text[surface] < surface_text[b as usize])
            }
        };
        if better {
            *best = Some(surface as u32);
        }
    }
    let text_of = |term: u128| -> String {
        unpack(term)
            .iter()
            .map(|&k| {
                surface_text[shown[k as usize].expect("every key has a surface") as usize].as_str()
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    // n_i: all term occurrences of group i; alpha_0 = prior * N.
    let mut n_terms = vec![0u64; n_groups];
    for (&key, &c) in &counts.0 {
        n_terms[(key >> 96) as usize] += c;
    }
    let total: u64 = n_terms.iter().sum();
    let alpha_0 = options.prior * total as f64;
    let mut by_group: Vec<Vec<(f64, f64, u64, u128)>> = vec![Vec::new(); n_groups];
    counts.for_each_term(n_groups, |term, row| {
        let count_w: u64 = row.iter().sum();
        if count_w < options.min_count.max(1) {
            return;
        }
        let alpha_w = options.prior * count_w as f64;
        for (g, &y_i) in row.iter().enumerate() {
            if y_i == 0 {
                continue; // not a term of this group
            }
            let y_j = count_w - y_i;
            let (n_i, n_j) = (n_terms[g] as f64, (total - n_terms[g]) as f64);
            let (yi, yj) = (y_i as f64, y_j as f64);
            let log_odds = ((yi + alpha_w) / (n_i + alpha_0 - yi - alpha_w)).ln()
                - ((yj + alpha_w) / (n_j + alpha_0 - yj - alpha_w)).ln();
            let variance = 1.0 / (yi + alpha_w) + 1.0 / (yj + alpha_w);
            by_group[g].push((log_odds / variance.sqrt(), log_odds, y_i, term));
        }
    });
    let mut terms = Vec::new();
    for (g, mut group_terms) in by_group.into_iter().enumerate() {
        // By z-score, equal ones alphabetically (the text is only built for ties).
        let by_z = |a: &(f64, f64, u64, u128), b: &(f64, f64, u64, u128)| {
            b.0.total_cmp(&a.0)
                .then_with(|| text_of(a.3).cmp(&text_of(b.3)))
        };
        if group_terms.len() > options.top {
            group_terms.select_nth_unstable_by(options.top, by_z);
            group_terms.truncate(options.top);
        }
        group_terms.sort_by(by_z);
        let rows: Vec<KeyTerm> = group_terms
            .into_iter()
            .map(|(z_score, log_odds, count, term)| KeyTerm {
                group: g as u32,
                term: text_of(term),
                count,
                rate: if n_words[g] > 0 {
                    1000.0 * count as f64 / n_words[g] as f64
                } else {
                    f64::NAN
                },
                log_odds,
                z_score,
            })
            .collect();
        terms.extend(rows);
    }
    Ok(KeyTerms {
        terms,
        n_comments,
        n_empty,
        n_words,
        languages,
    })
}
