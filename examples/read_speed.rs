//! Ad-hoc timing of the readers (not committed).
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let options = cxmetrics::read::ReadOptions::default();
    let t = std::time::Instant::now();
    let mut out = cxmetrics::read::read_responses(&path, &options).unwrap();
    let a = t.elapsed();
    let responses = std::mem::take(&mut out.responses);
    let table = cxmetrics::read::ResponseTable::new(&responses, &out.fields, &options.schema);
    let b = t.elapsed();
    eprintln!(
        "read {:?} table {:?} ({} rows, {} cols)",
        a,
        b - a,
        responses.len(),
        table.columns().len()
    );
    let t = std::time::Instant::now();
    let file = std::fs::File::open(&path).unwrap();
    let mut n = 0;
    for item in cxmetrics::read::ResponseReader::new_in(
        cxmetrics::read::Format::of_path(&path),
        file,
        "x",
        options.clone(),
    )
    .unwrap()
    {
        if item.is_ok() {
            n += 1;
        }
    }
    eprintln!("stream {:?} ({n})", t.elapsed());
}
