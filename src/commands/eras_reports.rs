//! The era reports of `hanmi run`: theme prevalence, stance, keyness and themes over time, with charts.

use std::collections::BTreeMap;

use anyhow::Result;

use super::stance_lexicon::RecordStance;
use crate::eras::{self, EraTable};
use crate::report::{charts, fmt_f64, write_csv, ReportDir};
use crate::vectorize::Vectorized;

/// Terms listed per era and direction in `era_keyness.csv`, and per era and cluster in `era_cluster_terms.csv`.
const ERA_TOP_TERMS: usize = 15;

pub struct EraInputs<'a> {
    pub table: &'a EraTable,
    pub eras: &'a [String],
    pub themes: &'a [String],
    pub theme_names: &'a BTreeMap<String, String>,
    pub clusters: &'a [Option<usize>],
    pub stance: &'a RecordStance,
    pub vectorized: &'a Vectorized,
    pub seed: u64,
}

pub fn write(out: &mut ReportDir, e: &EraInputs) -> Result<()> {
    let opt = |x: Option<f64>| x.map_or(String::new(), |x| fmt_f64(x, 4));
    let prevalence = eras::theme_prevalence(e.table, e.eras, e.themes)?;
    write_csv(
        &out.file("eras.csv"),
        &["era", "start", "end", "docs", "theme", "theme_docs", "share", "ci_low", "ci_high"],
        |w| {
            for r in &prevalence {
                w.write_record([
                    r.era.as_str(),
                    &r.start,
                    &r.end,
                    &r.docs.to_string(),
                    &r.theme,
                    &r.theme_docs.to_string(),
                    &fmt_f64(r.share, 4),
                    &fmt_f64(r.ci_low, 4),
                    &fmt_f64(r.ci_high, 4),
                ])?;
            }
            Ok(())
        },
    )?;
    charts::themes_by_era_svg(&out.file("themes_by_era.svg"), &prevalence, e.theme_names)?;

    let stance = eras::era_stance(e.table, e.eras, &e.stance.axes, &e.stance.by_axis(), e.seed)?;
    write_csv(&out.file("era_stance.csv"), &["era", "axis", "docs", "mean", "ci_low", "ci_high"], |w| {
        for r in &stance {
            w.write_record([
                r.era.as_str(),
                &r.axis,
                &r.docs.to_string(),
                &opt(r.mean),
                &opt(r.ci_low),
                &opt(r.ci_high),
            ])?;
        }
        Ok(())
    })?;
    charts::stance_by_era_svg(&out.file("stance_by_era.svg"), &stance)?;

    let vocab = &e.vectorized.model.vocab;
    let counts = &e.vectorized.counts;
    let keyness = eras::era_keyness(
        e.table,
        e.eras,
        counts,
        &vocab.terms,
        &vocab.display,
        ERA_TOP_TERMS,
        eras::DEFAULT_PRIOR_STRENGTH,
    )?;
    write_csv(
        &out.file("era_keyness.csv"),
        &["era", "term", "display", "count_era", "count_rest", "log_odds", "z"],
        |w| {
            for r in &keyness {
                w.write_record([
                    r.era.as_str(),
                    &r.term,
                    &r.display,
                    &fmt_f64(r.count_era, 0),
                    &fmt_f64(r.count_rest, 0),
                    &fmt_f64(r.log_odds, 4),
                    &fmt_f64(r.z, 3),
                ])?;
            }
            Ok(())
        },
    )?;

    // Records with no cluster are left out of themes over time.
    let clustered: Vec<usize> = (0..e.clusters.len()).filter(|&i| e.clusters[i].is_some()).collect();
    let era_of: Vec<String> = clustered.iter().map(|&i| e.eras[i].clone()).collect();
    let cluster_of: Vec<usize> = clustered.iter().filter_map(|&i| e.clusters[i]).collect();
    let rows = crate::cluster::select_rows(counts, &clustered);
    let over_time =
        eras::era_cluster_terms(e.table, &era_of, &cluster_of, &rows, &vocab.terms, &vocab.display, ERA_TOP_TERMS)?;
    write_csv(&out.file("era_cluster_terms.csv"), &["era", "cluster", "rank", "term", "display", "weight"], |w| {
        for r in &over_time {
            w.write_record([
                r.era.as_str(),
                &r.cluster.to_string(),
                &r.rank.to_string(),
                &r.term,
                &r.display,
                &fmt_f64(r.weight, 6),
            ])?;
        }
        Ok(())
    })
}
