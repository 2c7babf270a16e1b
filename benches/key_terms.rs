//! Key terms on 10^6 comments of 20 words (Zipf-distributed vocabulary of 3000 words, one in ten
//! with an accent), three groups: words only, and words with bigrams (the default).
//!
//! Run: `cargo bench --bench key_terms`. (Under `cargo test --benches` it runs once on 10^4 comments.)

use criterion::{criterion_group, criterion_main, Criterion};
use cxmetrics::text::{key_terms, KeyTermsOptions};

fn comments(n: usize) -> Vec<String> {
    let mut state = 1u64;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let letters: Vec<char> = "abcdefghijklmnopqrstuvwxyz".chars().collect();
    let accented: Vec<char> = "áéíóúñ".chars().collect();
    let vocab: Vec<String> = (0..3000)
        .map(|_| {
            let (len, accent) = (3 + next(6), next(10) == 0);
            (0..len)
                .map(|k| {
                    if accent && k == 1 {
                        accented[next(6) as usize]
                    } else {
                        letters[next(26) as usize]
                    }
                })
                .collect()
        })
        .collect();
    // Word rank drawn with probability ~ 1/rank (Zipf), by inverting the log-uniform CDF.
    let mut zipf = move || {
        let u = (next(1 << 30) as f64 + 0.5) / (1u64 << 30) as f64;
        ((3000f64).powf(u) as usize - 1).min(2999)
    };
    (0..n)
        .map(|_| {
            (0..20)
                .map(|_| vocab[zipf()].as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn bench_key_terms(c: &mut Criterion) {
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full { 1_000_000 } else { 10_000 };
    let texts = comments(n);
    let refs: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
    let groups: Vec<u32> = (0..n).map(|i| (i % 3) as u32).collect();
    let mut group = c.benchmark_group(format!("key_terms_{n}_comments"));
    group.sample_size(10);
    for (label, ngram) in [("words", (1, 1)), ("words_and_bigrams", (1, 2))] {
        let options = {
            let mut o = KeyTermsOptions::default();
            o.ngram = ngram;
            o
        };
        group.bench_function(label, |b| {
            b.iter(|| key_terms(&refs, &groups, 3, &options).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, bench_key_terms);
criterion_main!(benches);
