//! Key terms: a hand-computed example of the Monroe-Colaresi-Quinn log-odds, planted vocabularies,
//! tokenisation rules.

use cxmetrics::text::{key_terms, KeyTermsOptions, Language, LanguageChoice, Tokenizer};

fn close(got: f64, want: f64) {
    assert!(
        (got - want).abs() <= 1e-12 * want.abs().max(1.0),
        "got {got}, want {want}"
    );
}

#[test]
fn hand_computed_log_odds_and_z_scores() {
    // Group 0: "slow slow refund" (3 words), group 1: "fast refund" (2 words); N = 5, prior 0.01:
    // alpha_0 = 0.05, alpha_slow = 0.02, alpha_refund = 0.02, alpha_fast = 0.01.
    // slow, group 0: delta = ln(2.02 / (3 + 0.05 - 2.02)) - ln(0.02 / (2 + 0.05 - 0.02)) = 5.2935975...,
    // var = 1/2.02 + 1/0.02, z = 0.74494895...; refund, group 0: ln(1.02/2.03) - ln(1.02/1.03).
    let texts = [Some("slow slow refund"), Some("fast refund")];
    let options = {
        let mut o = KeyTermsOptions::default();
        o.language = LanguageChoice::Fixed(Language::English);
        o.min_count = 1;
        o.ngram = (1, 1);
        o
    };
    let r = key_terms(&texts, &[0, 1], 2, &options).unwrap();
    let get = |g: u32, term: &str| {
        r.terms
            .iter()
            .find(|t| t.group == g && t.term == term)
            .unwrap()
    };
    let slow = get(0, "slow");
    assert_eq!(slow.count, 2);
    close(slow.log_odds, 5.293597507653411);
    close(slow.z_score, 0.7449489562559033);
    close(slow.rate, 1000.0 * 2.0 / 3.0);
    close(get(0, "refund").log_odds, -0.6784769908121516);
    close(get(0, "refund").z_score, -0.4845294870298105);
    close(get(1, "refund").z_score, 0.4845294870298105);
    close(get(1, "fast").log_odds, 5.687757319106109);
    close(get(1, "fast").z_score, 0.5659807482544459);
    // Ranked by z within each group.
    assert_eq!(r.terms[0].term, "slow");
    assert_eq!(r.n_words, [3, 2]);
}

#[test]
fn planted_words_come_out_on_top_and_common_words_do_not() {
    // 3000 comments; detractors over-use "espera" / "late", promoters "amable" / "fast"; "store" and
    // "tienda" are equally frequent in both groups.
    let mut state = 17u64;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let common = [
        "store", "tienda", "product", "producto", "order", "pedido", "price", "precio",
    ];
    let mut texts = Vec::new();
    let mut groups = Vec::new();
    for i in 0..3000u32 {
        let group = i % 2;
        let mut words: Vec<&str> = (0..8)
            .map(|_| common[next(common.len() as u64) as usize])
            .collect();
        if next(10) < 6 {
            words.push(if group == 0 { "espera" } else { "amable" });
        }
        if next(10) < 6 {
            words.push(if group == 0 { "late" } else { "fast" });
        }
        texts.push(words.join(" "));
        groups.push(group);
    }
    let texts: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    let r = key_terms(&texts, &groups, 2, &{
        let mut o = KeyTermsOptions::default();
        o.ngram = (1, 1);
        o
    })
    .unwrap();
    let top: Vec<&str> = r
        .terms
        .iter()
        .filter(|t| t.group == 0)
        .take(2)
        .map(|t| t.term.as_str())
        .collect();
    assert!(top.contains(&"espera") && top.contains(&"late"), "{top:?}");
    let top: Vec<&str> = r
        .terms
        .iter()
        .filter(|t| t.group == 1)
        .take(2)
        .map(|t| t.term.as_str())
        .collect();
    assert!(top.contains(&"amable") && top.contains(&"fast"), "{top:?}");
    for t in &r.terms {
        if ["espera", "late", "amable", "fast"].contains(&t.term.as_str()) {
            assert!(t.z_score > 10.0, "{t:?}");
        }
        if common.contains(&t.term.as_str()) {
            assert!(t.z_score.abs() < 4.0, "{t:?}");
        }
    }
}

#[test]
fn accents_case_stop_words_numbers_urls_and_bigrams() {
    let texts = [
        Some("Mala ATENCIÓN, esperé 3 días: https://tienda.es/pedido/123"),
        Some("mala atencion y nada más"),
        Some("   "),
        None,
        Some("great service, the staff was great"),
    ];
    let options = {
        let mut o = KeyTermsOptions::default();
        o.min_count = 1;
        o
    };
    let r = key_terms(&texts, &[0, 0, 0, 0, 1], 2, &options).unwrap();
    let terms: Vec<(&str, u64)> = r
        .terms
        .iter()
        .filter(|t| t.group == 0)
        .map(|t| (t.term.as_str(), t.count))
        .collect();
    // "atención" and "atencion" are one term, shown as written most often (a tie: the accented
    // form sorts first); "mala atención" is a bigram; "y", "nada", "más" are Spanish stop words;
    // 3 and the URL are dropped; "esperé días" is not a bigram (a number stands between).
    assert!(
        terms.contains(&("mala atención", 2)) || terms.contains(&("mala atencion", 2)),
        "{terms:?}"
    );
    assert!(terms
        .iter()
        .any(|(t, c)| t.starts_with("atenci") && *c == 2));
    assert!(!terms
        .iter()
        .any(|(t, _)| t.contains("3") || t.contains("http") || *t == "nada"));
    assert!(!terms.iter().any(|(t, _)| *t == "esperé días"));
    assert_eq!(r.n_empty, 2);
    assert_eq!(r.n_comments, [2, 1]);
    assert_eq!(r.languages, [1, 1, 1]); // the first comment has no stop word of either list
    let group1: Vec<&str> = r
        .terms
        .iter()
        .filter(|t| t.group == 1)
        .map(|t| t.term.as_str())
        .collect();
    // "service, the staff": punctuation and the stop word "the" break the bigrams.
    assert!(
        group1.contains(&"great service") && !group1.contains(&"service staff"),
        "{group1:?}"
    );
    let words = Tokenizer::default()
        .words("Don’t wait", LanguageChoice::Auto)
        .0;
    assert_eq!(
        words
            .iter()
            .flatten()
            .map(|w| w.key.as_str())
            .collect::<Vec<_>>(),
        ["wait"]
    );
}

#[test]
fn invalid_options_are_errors() {
    let texts = [Some("a b"), Some("c d")];
    assert!(key_terms(&texts, &[0, 0], 1, &KeyTermsOptions::default()).is_err());
    assert!(key_terms(&texts, &[0, 2], 2, &KeyTermsOptions::default()).is_err());
    let bad = {
        let mut o = KeyTermsOptions::default();
        o.prior = 0.0;
        o
    };
    assert!(key_terms(&texts, &[0, 1], 2, &bad).is_err());
    let bad = {
        let mut o = KeyTermsOptions::default();
        o.ngram = (2, 1);
        o
    };
    assert!(key_terms(&texts, &[0, 1], 2, &bad).is_err());
}
