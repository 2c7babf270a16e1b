//! Comments to terms: Unicode word boundaries, case and accent folding, stop words, numbers and
//! URLs dropped, n-grams that never cross a dropped word or punctuation.
//!
//! Methods and sources: `docs/methods.md#tokenisation`.

use std::collections::HashSet;

use unicode_segmentation::UnicodeSegmentation;

use super::stopwords::Language;

/// Which stop words to remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LanguageChoice {
    /// Per comment, the language whose stop words it uses most (ties and comments without any stop
    /// word: both lists are removed).
    #[default]
    Auto,
    /// Always this language.
    Fixed(Language),
}

impl std::str::FromStr for LanguageChoice {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> crate::error::Result<Self> {
        match s {
            "auto" => Ok(LanguageChoice::Auto),
            "en" | "english" => Ok(LanguageChoice::Fixed(Language::English)),
            "es" | "spanish" => Ok(LanguageChoice::Fixed(Language::Spanish)),
            _ => Err(crate::error::Error::UnknownOption {
                option: "language",
                name: s.to_string(),
                valid: &["auto", "en", "es"],
            }),
        }
    }
}

/// Folds a lower-case letter's accent: `á à â ä ã å → a`, ... ; `ñ` is a letter of its own in
/// Spanish and is kept. Covers Latin-1 and Latin Extended-A, where the accents of Spanish,
/// Portuguese, French, Catalan and German live.
fn fold_char(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        '’' | 'ʼ' => '\'',
        c => c,
    }
}

/// A word, lower-cased (`surface`) and accent-folded (`key`: what terms are matched by).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The lower-case word as written (accents kept), apostrophes normalised.
    pub surface: String,
    /// The accent-folded form.
    pub key: String,
}

/// A comment's words in order, `None` marking a boundary no n-gram may cross (a stop word, a number,
/// a URL, punctuation).
pub type Words = Vec<Option<Word>>;

fn is_url(chunk: &str) -> bool {
    let b = chunk.as_bytes();
    chunk.contains("://")
        || (b.len() > 4 && b[..4].eq_ignore_ascii_case(b"www."))
        || (chunk.contains('@') && chunk.contains('.'))
}

/// A piece of a comment, as [`scan`] sees it.
pub(crate) enum Piece<'a> {
    /// A word in lower case (apostrophes normalised), borrowed from the text or from a buffer.
    Word(&'a str),
    /// Something no n-gram may cross: a number, a URL, punctuation.
    Boundary,
}

/// Splits `text` into words and boundaries (Unicode UAX #29 word boundaries within
/// whitespace-separated chunks; URLs and e-mail addresses whole), lower-casing words without
/// allocating when they already are lower-case ASCII.
pub(crate) fn scan(text: &str, buffer: &mut String, mut emit: impl FnMut(Piece<'_>)) {
    for chunk in text.split_whitespace() {
        if is_url(chunk) {
            emit(Piece::Boundary);
            continue;
        }
        if chunk.is_ascii() {
            scan_ascii(chunk, &mut emit);
            continue;
        }
        for segment in chunk.split_word_bounds() {
            let bytes = segment.as_bytes();
            if bytes.iter().all(|b| b.is_ascii_lowercase() || *b == b'\'')
                && bytes.iter().any(u8::is_ascii_lowercase)
            {
                emit(Piece::Word(segment));
            } else if segment.chars().any(char::is_alphanumeric) {
                if segment.chars().any(char::is_numeric) {
                    emit(Piece::Boundary); // numbers, and words with digits (order ids, dates)
                    continue;
                }
                buffer.clear();
                for c in segment.chars().flat_map(char::to_lowercase) {
                    buffer.push(if c == '’' || c == 'ʼ' { '\'' } else { c });
                }
                emit(Piece::Word(buffer));
            } else if !segment.chars().all(char::is_whitespace) {
                emit(Piece::Boundary); // punctuation
            }
        }
    }
}

/// UAX #29 word segmentation restricted to ASCII (the common case, several times faster than the
/// general segmenter; the `ascii_scan_agrees_with_uax29` test checks them against each other): words
/// are runs of letters, digits and `_`; `'`, `.` and `:` join two letters (rules WB6-7), `'`, `.`, `,`
/// and `;` join two digits (WB11-12); every other character stands alone.
fn scan_ascii(chunk: &str, emit: &mut impl FnMut(Piece<'_>)) {
    let b = chunk.as_bytes();
    let word_byte = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut lower = String::new();
    let mut i = 0;
    while i < b.len() {
        if !word_byte(b[i]) {
            if !b[i].is_ascii_whitespace() {
                emit(Piece::Boundary);
            }
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < b.len() && word_byte(b[i]) {
                i += 1;
            }
            // A single joiner between two letters, or between two digits, continues the word.
            if i + 1 < b.len() && i > start {
                let (before, mid, after) = (b[i - 1], b[i], b[i + 1]);
                let letters = before.is_ascii_alphabetic()
                    && after.is_ascii_alphabetic()
                    && matches!(mid, b'\'' | b'.' | b':');
                let digits = before.is_ascii_digit()
                    && after.is_ascii_digit()
                    && matches!(mid, b'\'' | b'.' | b',' | b';');
                if letters || digits {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        let word = &chunk[start..i];
        if word.bytes().any(|c| c.is_ascii_digit())
            || !word.bytes().any(|c| c.is_ascii_alphabetic())
        {
            emit(Piece::Boundary); // numbers, words with digits, lone underscores
        } else if word.bytes().all(|c| !c.is_ascii_uppercase()) {
            emit(Piece::Word(word));
        } else {
            lower.clear();
            lower.push_str(word);
            lower.make_ascii_lowercase();
            emit(Piece::Word(&lower));
        }
    }
}

/// The accent-folded form of a lower-case word.
pub(crate) fn fold(word: &str) -> String {
    word.chars().map(fold_char).collect()
}

/// The tokenizer, with its stop-word sets.
#[derive(Debug, Clone)]
pub struct Tokenizer {
    english: HashSet<&'static str>,
    spanish: HashSet<&'static str>,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            english: Language::English.stop_words().iter().copied().collect(),
            spanish: Language::Spanish.stop_words().iter().copied().collect(),
        }
    }
}

impl Tokenizer {
    /// The words of `text` (stop words of the chosen language replaced by boundaries) and the language
    /// chosen (`None`: no stop word of either list, or as many of each: both lists removed).
    ///
    /// # Examples
    /// ```
    /// use cxmetrics::text::{LanguageChoice, Tokenizer};
    /// let t = Tokenizer::default();
    /// let (words, language) = t.words("La atención fue muy lenta, 3 días! Ver https://x.es", LanguageChoice::Auto);
    /// let keys: Vec<Option<&str>> = words.iter().map(|w| w.as_ref().map(|w| w.key.as_str())).collect();
    /// assert_eq!(
    ///     keys,
    ///     [None, Some("atencion"), None, None, Some("lenta"), None, None, Some("dias"), None, Some("ver"), None]
    /// );
    /// assert_eq!(words[1].as_ref().unwrap().surface, "atención");
    /// assert_eq!(language.unwrap().code(), "es");
    /// ```
    pub fn words(&self, text: &str, choice: LanguageChoice) -> (Words, Option<Language>) {
        let mut raw: Vec<Option<Word>> = Vec::new();
        let mut buffer = String::new();
        scan(text, &mut buffer, |piece| match piece {
            Piece::Word(w) => raw.push(Some(Word {
                surface: w.to_string(),
                key: fold(w),
            })),
            Piece::Boundary => raw.push(None),
        });
        let (english, spanish) = raw.iter().flatten().fold((0usize, 0usize), |(e, s), w| {
            (
                e + usize::from(self.english.contains(w.key.as_str())),
                s + usize::from(self.spanish.contains(w.key.as_str())),
            )
        });
        let language = choose(choice, english, spanish);
        let is_stop = |key: &str| {
            is_stop(
                language,
                self.english.contains(key),
                self.spanish.contains(key),
            )
        };
        let words = raw
            .into_iter()
            .map(|w| w.filter(|w| !is_stop(&w.key)))
            .collect();
        (words, language)
    }
}

/// The stop-word language of a comment with `english` and `spanish` stop-word hits.
pub(crate) fn choose(choice: LanguageChoice, english: usize, spanish: usize) -> Option<Language> {
    match choice {
        LanguageChoice::Fixed(language) => Some(language),
        LanguageChoice::Auto if english > spanish => Some(Language::English),
        LanguageChoice::Auto if spanish > english => Some(Language::Spanish),
        LanguageChoice::Auto => None,
    }
}

/// Whether a word in both, one or neither list is a stop word in `language` (`None`: either list).
pub(crate) fn is_stop(language: Option<Language>, english: bool, spanish: bool) -> bool {
    match language {
        Some(Language::English) => english,
        Some(Language::Spanish) => spanish,
        None => english || spanish,
    }
}

impl Tokenizer {
    /// Whether a folded word is an English / a Spanish stop word.
    pub(crate) fn stop_flags(&self, key: &str) -> (bool, bool) {
        (self.english.contains(key), self.spanish.contains(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, ascii: bool) -> Vec<Option<String>> {
        let mut out = Vec::new();
        let mut push = |p: Piece<'_>| {
            out.push(match p {
                Piece::Word(w) => Some(w.to_string()),
                Piece::Boundary => None,
            })
        };
        if ascii {
            for chunk in text.split_whitespace() {
                scan_ascii(chunk, &mut push);
            }
        } else {
            // The general path, forced: the same rules as `scan` without the ASCII shortcut.
            for chunk in text.split_whitespace() {
                for segment in chunk.split_word_bounds() {
                    if segment.chars().any(char::is_alphanumeric) {
                        if segment.chars().any(char::is_numeric) {
                            push(Piece::Boundary);
                        } else {
                            push(Piece::Word(&segment.to_lowercase()));
                        }
                    } else if !segment.chars().all(char::is_whitespace) {
                        push(Piece::Boundary);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn ascii_scan_agrees_with_uax29() {
        let alphabet = b"aZ9_'.:,;!?-/ ()\"xQ0";
        let mut state = 99u64;
        for _ in 0..20_000 {
            let len = 1 + (state % 12) as usize;
            let text: String = (0..len)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    alphabet[((state >> 33) % alphabet.len() as u64) as usize] as char
                })
                .collect();
            assert_eq!(pieces(&text, true), pieces(&text, false), "{text:?}");
        }
        for text in [
            "don't stop",
            "e.g. this",
            "3.14 and 1,000",
            "U.S.A. rocks",
            "a'b'c",
            "foo_bar baz_9",
            "end.",
            "'quoted'",
        ] {
            assert_eq!(pieces(text, true), pieces(text, false), "{text:?}");
        }
    }
}
