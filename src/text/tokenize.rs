//! Comments to terms: Unicode word boundaries, case and accent folding, stop words, numbers and
//! URLs dropped, n-grams that never cross a dropped word or punctuation.

use std::collections::HashSet;

use unicode_segmentation::UnicodeSegmentation;

use super::stopwords::Language;

/// Which stop words to remove.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    let lower = chunk.to_lowercase();
    lower.contains("://")
        || lower.starts_with("www.")
        || (lower.contains('@') && lower.contains('.'))
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
        for chunk in text.split_whitespace() {
            if is_url(chunk) {
                raw.push(None);
                continue;
            }
            for segment in chunk.split_word_bounds() {
                if segment.chars().any(char::is_alphanumeric) {
                    if segment.chars().any(|c| c.is_numeric()) {
                        raw.push(None); // numbers, and words with digits (order ids, dates)
                        continue;
                    }
                    let surface: String = segment
                        .to_lowercase()
                        .chars()
                        .map(|c| if c == '’' || c == 'ʼ' { '\'' } else { c })
                        .collect();
                    let key: String = surface.chars().map(fold_char).collect();
                    raw.push(Some(Word { surface, key }));
                } else if !segment.chars().all(char::is_whitespace) {
                    raw.push(None); // punctuation
                }
            }
        }
        let (english, spanish) = raw.iter().flatten().fold((0usize, 0usize), |(e, s), w| {
            (
                e + usize::from(self.english.contains(w.key.as_str())),
                s + usize::from(self.spanish.contains(w.key.as_str())),
            )
        });
        let language = match choice {
            LanguageChoice::Fixed(language) => Some(language),
            LanguageChoice::Auto if english > spanish => Some(Language::English),
            LanguageChoice::Auto if spanish > english => Some(Language::Spanish),
            LanguageChoice::Auto => None,
        };
        let is_stop = |key: &str| match language {
            Some(Language::English) => self.english.contains(key),
            Some(Language::Spanish) => self.spanish.contains(key),
            None => self.english.contains(key) || self.spanish.contains(key),
        };
        let words = raw
            .into_iter()
            .map(|w| w.filter(|w| !is_stop(&w.key)))
            .collect();
        (words, language)
    }
}
