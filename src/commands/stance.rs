//! `hanmi stance`: a supervised classifier learned from labelled records (`--train`), evaluated by stratified
//! cross-validation (or on a held-out split) and applied to `--input`; or Wordscores placing the records of
//! `--input` on the dimension of reference texts with known positions (`--reference`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::CommonOptions;
use crate::corpus::{Corpus, ReadOptions, Record, RecordError};
use crate::report::{fmt_f64, write_csv, write_rejected, Manifest, ReportDir, Timings};
use crate::stance::classifier::{Labelled, StanceModel, SvmParams};
use crate::stance::cv::{cross_validate, evaluate, Evaluation};
use crate::stance::features::{FeatureConfig, Featurizer};
use crate::stance::wordscores::{rescale_lbg, Wordscores, Z_95};
use crate::text::Analyzer;
use crate::vectorize::{self, TfidfParams};

/// Features of a record that back its label in `stance.csv`.
const EVIDENCE_FEATURES: usize = 5;

#[derive(Debug, Clone)]
pub struct StanceOptions {
    pub common: CommonOptions,
    /// Labelled records to learn from (`--train`).
    pub train: Option<PathBuf>,
    pub target_col: Option<String>,
    /// Folds of the cross-validation.
    pub folds: usize,
    /// A column marking each training record `train` or `test`: evaluate on the `test` rows instead of
    /// cross-validating (a corpus's official split).
    pub split_col: Option<String>,
    /// Reference texts with known positions (`--reference`, Wordscores).
    pub reference: Option<PathBuf>,
    pub position_col: Option<String>,
    /// Records to score.
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
}

pub fn stance(opts: &StanceOptions) -> Result<()> {
    opts.common.init_threads()?;
    match (&opts.train, &opts.reference) {
        (Some(train), None) => supervised(opts, train),
        (None, Some(reference)) => wordscores(opts, reference),
        (Some(_), Some(_)) => bail!("--train (a classifier) and --reference (Wordscores) are two methods: give one"),
        (None, None) => bail!(
            "give --train FILE --label-col COL (a classifier) or --reference FILE --position-col COL --input PATH \
             (Wordscores)"
        ),
    }
}

/// Records of one target (all records when there is no target column), split for fitting and evaluation.
struct Group {
    target: String,
    /// Records the model learns from (all of the group, or its `train` rows).
    train: Vec<usize>,
    /// Held-out records (`test` rows of `--split-col`); empty when cross-validating.
    test: Vec<usize>,
}

fn supervised(opts: &StanceOptions, train_path: &Path) -> Result<()> {
    let (config, config_source) = opts.common.config()?;
    let mut timings = Timings::default();
    let mut corpus = timings.time("read", || Corpus::read(&[train_path.to_path_buf()], &opts.common.read))?;
    let label_col = opts.common.read.label_col.clone().unwrap_or_else(|| "label".to_string());
    if corpus.records.iter().all(|r| r.label.is_none()) {
        bail!("{}: no record has a label in the column {label_col:?}: name it with --label-col", train_path.display());
    }
    drop_unlabelled(&mut corpus, &label_col, opts.common.read.skip_bad_records)?;
    let groups = groups(&corpus, train_path, opts.target_col.as_deref(), opts.split_col.as_deref())?;
    let inputs = if opts.inputs.is_empty() {
        None
    } else {
        // The records to label need no label column.
        let read = ReadOptions { label_col: None, ..opts.common.read.clone() };
        Some(timings.time("read", || Corpus::read(&opts.inputs, &read))?)
    };
    if let Some(inputs) = &inputs {
        check_inputs_have_targets(inputs, opts.target_col.as_deref(), &groups)?;
    }

    let feature_config = FeatureConfig::standard(&config.text);
    let svm = SvmParams::default();
    let featurizer = Featurizer::new(&feature_config)?;
    let texts: Vec<&str> = corpus.records.iter().map(|r| r.text.as_str()).collect();
    let counted = timings.time("features", || featurizer.count(&texts));
    let input_counted = inputs.as_ref().map(|c| {
        let texts: Vec<&str> = c.records.iter().map(|r| r.text.as_str()).collect();
        timings.time("features", || featurizer.count(&texts))
    });

    let mut warnings = Vec::new();
    let mut evaluations: Vec<(String, Evaluation)> = Vec::new();
    // (record, axis, class name, labelled), in output order: by target, then input order.
    let mut labelled: Vec<(&Record, String, String, Labelled)> = Vec::new();
    for group in &groups {
        let name = if group.target.is_empty() { String::new() } else { format!("target {:?}: ", group.target) };
        let all: Vec<usize> = group.train.iter().chain(&group.test).copied().collect();
        let mut classes: Vec<String> = all.iter().filter_map(|&i| corpus.records[i].label.clone()).collect();
        classes.sort();
        classes.dedup();
        let class_of =
            |i: usize| classes.binary_search(corpus.records[i].label.as_ref().expect("labelled")).unwrap_or(0);
        let train_y: Vec<usize> = group.train.iter().map(|&i| class_of(i)).collect();
        let train_counted = counted.rows(&group.train);
        let seed = config.seed;
        let model = timings.time("fit", || {
            StanceModel::fit(&train_counted, &train_y, &classes, featurizer.tfidf(), &svm, seed)
                .with_context(|| format!("{name}fitting on {} records", group.train.len()))
        })?;
        if !model.converged() {
            warnings.push(format!("{name}the solver stopped at its iteration limit before the tolerance"));
        }
        let evaluation = if opts.split_col.is_some() {
            let test_y: Vec<usize> = group.test.iter().map(|&i| class_of(i)).collect();
            let test_labelled = model.label(&counted.rows(&group.test), EVIDENCE_FEATURES);
            let predicted: Vec<usize> = test_labelled.iter().map(|l| l.class).collect();
            let axis = if group.target.is_empty() { label_col.clone() } else { group.target.clone() };
            for (&i, l) in group.test.iter().zip(test_labelled) {
                labelled.push((&corpus.records[i], axis.clone(), classes[l.class].clone(), l));
            }
            evaluate(&test_y, &predicted, &classes)
        } else {
            let folds = opts.folds.min(group.train.len());
            if folds < opts.folds {
                warnings.push(format!("{name}{folds} records only: cross-validated with {folds} folds"));
            }
            let cv = timings
                .time("cross_validation", || {
                    cross_validate(&train_counted, &train_y, &classes, folds, featurizer.tfidf(), &svm, seed)
                })
                .with_context(|| format!("{name}cross-validation"))?;
            warnings.extend(cv.warnings.iter().map(|w| format!("{name}{w}")));
            evaluate(&train_y, &cv.predicted, &classes)
        };
        if let (Some(inputs), Some(input_counted)) = (&inputs, &input_counted) {
            let rows = input_rows(inputs, opts.target_col.as_deref(), &group.target);
            let axis = if group.target.is_empty() { label_col.clone() } else { group.target.clone() };
            for (&i, l) in rows.iter().zip(model.label(&input_counted.rows(&rows), EVIDENCE_FEATURES)) {
                labelled.push((&inputs.records[i], axis.clone(), classes[l.class].clone(), l));
            }
        }
        eprintln!(
            "hanmi stance: {name}{} records, accuracy {:.3}, macro-F1 {:.3}, F_avg {}",
            evaluation.records,
            evaluation.accuracy,
            evaluation.macro_f1,
            evaluation.f_avg.map_or("-".to_string(), |f| format!("{f:.3}"))
        );
        evaluations.push((group.target.clone(), evaluation));
    }

    let mut out = ReportDir::create(&opts.out)?;
    write_evaluation(&out.file("stance_eval.csv"), &evaluations)?;
    if !labelled.is_empty() {
        write_csv(&out.file("stance.csv"), &["id", "axis", "score", "label", "evidence"], |w| {
            for (record, axis, label, l) in &labelled {
                let evidence: Vec<String> =
                    l.evidence.iter().map(|(f, c)| format!("{f} ({})", fmt_f64(*c, 4))).collect();
                w.write_record([&record.id, axis, &fmt_f64(l.score, 6), label, &evidence.join("; ")])?;
            }
            Ok(())
        })?;
    }
    write_rejected(&mut out, &corpus.rejected)?;
    let method = if opts.split_col.is_some() { "held-out split" } else { "stratified k-fold cross-validation" };
    let settings = serde_json::json!({
        "text": config.text,
        "stance": {
            "method": "supervised", "evaluation": method, "folds": opts.folds, "seed": config.seed,
            "label_col": label_col, "target_col": opts.target_col, "split_col": opts.split_col,
            "word_ngrams": feature_config.words.ngram_range, "word_stopwords_kept": !feature_config.words.stopwords,
            "char_wb_ngrams": [feature_config.chars.min, feature_config.chars.max], "tfidf": feature_config.tfidf,
            "classifier": "L2-regularized L2-loss linear SVM (dual coordinate descent), one-vs-rest",
            "c": svm.c, "tol": svm.tol, "max_iter": svm.max_iter,
        }
    });
    let mut manifest = Manifest::new("stance", &settings, &corpus);
    if let Some(inputs) = &inputs {
        manifest.inputs.extend(inputs.inputs.iter().cloned());
        manifest.warnings.extend(inputs.warnings.iter().cloned());
    }
    if let Some(src) = config_source {
        manifest.notes.insert("config_file".into(), src.display().to_string());
    }
    manifest.notes.insert(
        "stance_eval".into(),
        format!(
            "{method}: TF-IDF vocabularies and the classifier are fitted on the training rows only; rows \
             accuracy, macro_f1 and f_avg hold their value in f1 and the number of records in support"
        ),
    );
    if inputs.is_none() && opts.split_col.is_none() {
        manifest.notes.insert("stance_csv".into(), "not written: no --input records to label".into());
    }
    manifest.warnings.extend(warnings);
    manifest.outputs = out.written.clone();
    manifest.timings_s = timings;
    manifest.write(&out.file("manifest.json"))?;
    Ok(())
}

/// Records without a label stop the run, or with `--skip-bad-records` are set aside as rejected.
fn drop_unlabelled(corpus: &mut Corpus, label_col: &str, skip: bool) -> Result<()> {
    let mut kept = Vec::with_capacity(corpus.records.len());
    for record in std::mem::take(&mut corpus.records) {
        if record.label.is_some() {
            kept.push(record);
            continue;
        }
        let message = format!("record {:?}: no label in the column {label_col:?}", record.id);
        corpus.reject(RecordError { origin: record.origin, message, raw: record.id }, skip)?;
    }
    corpus.records = kept;
    Ok(())
}

/// The records of each target (sorted), split into training and held-out rows by `split_col`.
fn groups(corpus: &Corpus, file: &Path, target_col: Option<&str>, split_col: Option<&str>) -> Result<Vec<Group>> {
    let mut by_target: BTreeMap<String, Group> = BTreeMap::new();
    for (i, record) in corpus.records.iter().enumerate() {
        let target = match target_col {
            Some(col) => required_field(record, col, "target")?,
            None => String::new(),
        };
        let group =
            by_target.entry(target.clone()).or_insert_with(|| Group { target, train: Vec::new(), test: Vec::new() });
        match split_col.map(|col| required_field(record, col, "split")).transpose()?.as_deref() {
            None | Some("train") => group.train.push(i),
            Some("test") => group.test.push(i),
            Some(other) => bail!(
                "{}: record {:?}: the split column holds {other:?}; expected train or test",
                record.origin,
                record.id
            ),
        }
    }
    if by_target.is_empty() {
        bail!("{}: no labelled records to learn from", file.display());
    }
    for group in by_target.values() {
        let name = if group.target.is_empty() { String::new() } else { format!(" of target {:?}", group.target) };
        if group.train.is_empty() {
            bail!("{}: no training records{name}", file.display());
        }
        if split_col.is_some() && group.test.is_empty() {
            bail!("{}: no test records{name} in the split column", file.display());
        }
    }
    Ok(by_target.into_values().collect())
}

/// A column every record must have (with a non-empty value); the error names the record and the column.
fn required_field(record: &Record, col: &str, what: &str) -> Result<String> {
    match record.field(col) {
        Some(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        _ => bail!("{}: record {:?} has no value in the {what} column {col:?}", record.origin, record.id),
    }
}

/// The input records of one target (all of them without a target column).
fn input_rows(inputs: &Corpus, target_col: Option<&str>, target: &str) -> Vec<usize> {
    (0..inputs.records.len())
        .filter(|&i| target_col.is_none_or(|col| inputs.records[i].field(col).is_some_and(|v| v.trim() == target)))
        .collect()
}

/// Every input record must name a target the training data has a model for.
fn check_inputs_have_targets(inputs: &Corpus, target_col: Option<&str>, groups: &[Group]) -> Result<()> {
    let Some(col) = target_col else { return Ok(()) };
    for record in &inputs.records {
        let target = required_field(record, col, "target")?;
        if !groups.iter().any(|g| g.target == target) {
            bail!("{}: record {:?}: no training records for the target {target:?}", record.origin, record.id);
        }
    }
    Ok(())
}

/// `stance_eval.csv`: per target, one row per class, then accuracy, macro_f1 and f_avg (value in `f1`).
fn write_evaluation(path: &Path, evaluations: &[(String, Evaluation)]) -> Result<()> {
    write_csv(path, &["target", "class", "precision", "recall", "f1", "support"], |w| {
        for (target, e) in evaluations {
            for c in &e.classes {
                let (p, r, f) = (fmt_f64(c.precision, 6), fmt_f64(c.recall, 6), fmt_f64(c.f1, 6));
                w.write_record([target, &c.class, &p, &r, &f, &c.support.to_string()])?;
            }
            let n = e.records.to_string();
            w.write_record([target, "accuracy", "", "", &fmt_f64(e.accuracy, 6), &n])?;
            w.write_record([target, "macro_f1", "", "", &fmt_f64(e.macro_f1, 6), &n])?;
            w.write_record([target, "f_avg", "", "", &e.f_avg.map_or(String::new(), |f| fmt_f64(f, 6)), &n])?;
        }
        Ok(())
    })
}

fn wordscores(opts: &StanceOptions, reference_path: &Path) -> Result<()> {
    let Some(position_col) = opts.position_col.as_deref() else {
        bail!("--reference needs --position-col COL: the column holding each reference text's position");
    };
    if opts.inputs.is_empty() {
        bail!("Wordscores places the records of --input on the reference dimension: give --input PATH");
    }
    let (config, config_source) = opts.common.config()?;
    let mut timings = Timings::default();
    let mut refs = timings.time("read", || Corpus::read(&[reference_path.to_path_buf()], &opts.common.read))?;
    let virgins = timings.time("read", || Corpus::read(&opts.inputs, &opts.common.read))?;
    if refs.records.iter().all(|r| r.field(position_col).is_none()) {
        bail!("{}: the position column {position_col:?} is not there", reference_path.display());
    }
    let mut positions = Vec::new();
    let mut kept = Vec::new();
    for record in std::mem::take(&mut refs.records) {
        let value = record.field(position_col).unwrap_or_default();
        match value.trim().parse::<f64>() {
            Ok(p) if p.is_finite() => {
                positions.push(p);
                kept.push(record);
            }
            _ => {
                let error = format!("the position {value:?} in the column {position_col:?} is not a number");
                if !opts.common.read.skip_bad_records {
                    bail!("{}: reference {:?}: {error}", record.origin, record.id);
                }
                refs.warnings.push(format!("skipped bad reference: {}: {error}", record.origin));
            }
        }
    }
    refs.records = kept;

    let analyzer = Analyzer::new(&config.text)?;
    let (ref_counts, virgin_counts) = timings.time("analyze", || -> Result<_> {
        let ref_texts: Vec<&str> = refs.records.iter().map(|r| r.text.as_str()).collect();
        let fitted = vectorize::fit(&vectorize::count(&analyzer, &ref_texts), &TfidfParams::default())
            .with_context(|| format!("{}: the reference texts", reference_path.display()))?;
        let virgin_texts: Vec<&str> = virgins.records.iter().map(|r| r.text.as_str()).collect();
        let virgin_counts = fitted.model.counts(&analyzer, &virgin_texts);
        Ok((fitted.counts, virgin_counts))
    })?;
    let model = Wordscores::fit(ref_counts.view(), &positions)
        .with_context(|| format!("{}: Wordscores reference texts", reference_path.display()))?;
    let scores = model.score(virgin_counts.view())?;
    let rescaled = rescale_lbg(&scores, &positions);

    let mut out = ReportDir::create(&opts.out)?;
    let header = ["id", "axis", "score", "se", "ci_low", "ci_high", "label", "evidence"];
    write_csv(&out.file("stance.csv"), &header, |w| {
        for (v, (record, s)) in virgins.records.iter().zip(&scores).enumerate() {
            let (score, se) = match &rescaled {
                Some(r) => (r[v].map(|r| r.score), r[v].map(|r| r.se)),
                None => (s.raw, s.se),
            };
            let cell = |x: Option<f64>| x.map_or(String::new(), |x| fmt_f64(x, 6));
            let interval = score.zip(se).map(|(s, e)| (s - Z_95 * e, s + Z_95 * e));
            w.write_record([
                record.id.as_str(),
                position_col,
                &cell(score),
                &cell(se),
                &cell(interval.map(|i| i.0)),
                &cell(interval.map(|i| i.1)),
                "",
                &format!("{} scored words", fmt_f64(s.words_scored, 0)),
            ])?;
        }
        Ok(())
    })?;
    let settings = serde_json::json!({
        "text": config.text,
        "stance": { "method": "wordscores", "position_col": position_col, "rescaling": "lbg", "references": positions.len() }
    });
    let mut manifest = Manifest::new("stance", &settings, &refs);
    manifest.inputs.extend(virgins.inputs.iter().cloned());
    manifest.warnings.extend(virgins.warnings.iter().cloned());
    if let Some(src) = config_source {
        manifest.notes.insert("config_file".into(), src.display().to_string());
    }
    let unscored = scores.iter().filter(|s| s.raw.is_none()).count();
    if unscored > 0 {
        manifest.warnings.push(format!("{unscored} input record(s) share no word with the reference texts: no score"));
    }
    let note = if rescaled.is_some() {
        "scores, standard errors and 95% intervals after LBG's standard transformation".to_string()
    } else {
        manifest.warnings.push(
            "LBG rescaling is impossible (fewer than 2 scored input records, or all raw scores equal): stance.csv \
             holds raw scores"
                .into(),
        );
        "raw Wordscores scores (not rescaled) with their standard errors and 95% intervals".to_string()
    };
    manifest.notes.insert("stance_csv".into(), note);
    manifest.outputs = out.written.clone();
    manifest.timings_s = timings;
    manifest.write(&out.file("manifest.json"))?;
    eprintln!(
        "hanmi stance: Wordscores from {} references, {} records scored → {}",
        positions.len(),
        scores.len() - unscored,
        opts.out.display()
    );
    Ok(())
}
