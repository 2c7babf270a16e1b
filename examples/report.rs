//! A touchpoint report from a file of responses.
//!
//! ```sh
//! cargo run --release --example report -- python/cxmetrics/data/demo_responses.csv
//! cargo run --release --example report -- FILE --by channel --weighted
//! ```
//!
//! Reads the CSV or JSON Lines file (see `cxmetrics::read`), lists the rejected records, then prints
//! NPS, CSAT and CES per touchpoint (or per `--by` field: `channel`, `journey_stage`, or any
//! segment attribute) with 95% intervals and the difference from the rest of the responses, with
//! Holm-adjusted p-values.

use std::process::ExitCode;

use cxmetrics::compare::{adjust_p_values, format_p, PAdjust};
use cxmetrics::grouping::{report, GroupedCounts, IndicatorSpec};
use cxmetrics::read::{read_responses, ReadOptions};
use cxmetrics::{Confidence, Indicator, NpsMethod, ProportionMethod, Response};

fn key_of(by: &str) -> impl Fn(&Response) -> String + '_ {
    move |r: &Response| {
        let key = match by {
            "touchpoint" => Some(r.touchpoint().name().to_string()),
            "channel" => r.channel().map(|c| c.to_string()),
            "journey_stage" => r.touchpoint().stage().map(|s| s.to_string()),
            attribute => r.attribute(attribute).map(str::to_string),
        };
        key.unwrap_or_else(|| "(missing)".to_string())
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut by = "touchpoint".to_string();
    let mut weighted = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--by" => by = args.next().ok_or("--by needs a field name")?,
            "--weighted" => weighted = true,
            "-h" | "--help" => {
                println!("usage: report FILE [--by FIELD] [--weighted]");
                return Ok(());
            }
            _ if path.is_none() => path = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}").into()),
        }
    }
    let path = path.ok_or("usage: report FILE [--by FIELD] [--weighted]")?;
    let options = ReadOptions::default();
    let read = read_responses(&path, &options)?;
    println!(
        "{path}: {} records, {} responses read, {} records rejected",
        read.n_records(),
        read.responses.len(),
        read.n_records() - read.responses.len()
    );
    for r in read.rejected.iter().take(10) {
        println!(
            "  rejected: line {}, {} = {:?}: {}",
            r.line, r.field, r.value, r.reason
        );
    }
    if read.rejected.len() > 10 {
        println!("  ... and {} more problems", read.rejected.len() - 10);
    }
    let confidence = Confidence::new(0.95)?;
    let nps_method = if weighted {
        NpsMethod::Wald
    } else {
        NpsMethod::AdjustedWald
    };
    let indicators = [
        (
            "NPS",
            "nps",
            IndicatorSpec::Nps {
                indicator: Indicator::Nps,
                method: nps_method,
            },
        ),
        (
            "CSAT",
            "csat",
            IndicatorSpec::Share {
                indicator: Indicator::Csat,
                top: 2,
                method: ProportionMethod::Wilson,
            },
        ),
        (
            "CES",
            "ces",
            IndicatorSpec::Share {
                indicator: Indicator::Ces,
                top: 3,
                method: ProportionMethod::Wilson,
            },
        ),
    ];
    for (label, item, spec) in indicators {
        let Some(scale) = options.schema.scale(item) else {
            continue;
        };
        if read.responses.iter().all(|r| r.answer(item).is_none()) {
            continue;
        }
        let (keys, grouped) =
            GroupedCounts::from_responses(&read.responses, key_of(&by), item, scale, weighted)?;
        let (overall, groups) = report(&grouped, spec, confidence);
        let p: Vec<f64> = groups
            .iter()
            .filter_map(|g| g.versus_rest.as_ref().map(|c| c.p_value()))
            .collect();
        let mut adjusted = adjust_p_values(&p, PAdjust::Holm)?.into_iter();
        let unit = if label == "NPS" { "points" } else { "%" };
        println!(
            "\n{label} by {by} ({unit}, 95% CI{}; versus the rest, Holm-adjusted p)",
            if weighted { ", weighted" } else { "" }
        );
        println!(
            "{:<24}{:>7}{:>9}{:>18}{:>10}{:>11}",
            by, "n", label, "95% CI", "vs rest", "p (Holm)"
        );
        if let Ok(e) = overall {
            println!(
                "{:<24}{:>7}{:>9.1}{:>18}",
                "(all)",
                e.n(),
                e.value(),
                format!("[{:.1}, {:.1}]", e.lower(), e.upper())
            );
        }
        for (key, g) in keys.iter().zip(&groups) {
            match (&g.estimate, &g.versus_rest) {
                (Some(e), Some(c)) => println!(
                    "{key:<24}{:>7}{:>9.1}{:>18}{:>+10.1}{:>11}",
                    e.n(),
                    e.value(),
                    format!("[{:.1}, {:.1}]", e.lower(), e.upper()),
                    c.difference(),
                    format_p(adjusted.next().unwrap_or(f64::NAN))
                ),
                (Some(e), None) => println!(
                    "{key:<24}{:>7}{:>9.1}{:>18}",
                    e.n(),
                    e.value(),
                    format!("[{:.1}, {:.1}]", e.lower(), e.upper())
                ),
                _ => println!(
                    "{key:<24}{:>7}   (no answers; {} missing)",
                    g.n, g.n_missing
                ),
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
