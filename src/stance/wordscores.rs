//! Wordscores (Laver, Benoit & Garry 2003, "Extracting policy positions from political texts using words as
//! data"): place "virgin" texts on a dimension defined by reference texts with known positions.
//!
//! Every word that occurs in a reference text gets a score, the mean reference position weighted by how much more
//! often the word occurs in one reference than in the others; a virgin text's raw score is the mean score of its
//! scored words. Raw scores bunch around the middle of the scale because common words score near the centre, so
//! LBG rescale them to the spread of the reference positions (the "standard transformation").

use anyhow::{bail, Result};
use sprs::{CsMat, CsMatView};

/// z for a two-sided 95% interval, as LBG report it.
pub const Z_95: f64 = 1.96;

/// Word scores fitted on reference texts: `word_scores[w]` is `None` for a word (column) that no reference uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Wordscores {
    pub word_scores: Vec<Option<f64>>,
}

/// A virgin text's raw score, its LBG standard error, and how many of its words carried a score. `raw` and `se`
/// are `None` when none of its words occurs in a reference text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VirginScore {
    pub raw: Option<f64>,
    pub se: Option<f64>,
    pub words_scored: f64,
}

/// A virgin score after LBG rescaling, with its standard error and 95% interval rescaled by the same factor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RescaledScore {
    pub score: f64,
    pub se: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Checks that every stored count of a row is a finite, non-negative number.
fn check_counts(kind: &str, row: usize, counts: &[f64]) -> Result<()> {
    if let Some(bad) = counts.iter().find(|c| !c.is_finite() || **c < 0.0) {
        bail!("{kind} text {row} has an invalid word count {bad} (counts must be finite and non-negative)");
    }
    Ok(())
}

impl Wordscores {
    /// Fits word scores from reference texts (rows: raw word counts, one column per term) and their positions.
    ///
    /// S_w = Σ_r P_wr · A_r with P_wr = F_wr / Σ_r F_wr and F_wr = count of w in r / words in r.
    /// Errors: fewer than 2 references, a position count that does not match the rows, a non-finite position,
    /// all positions equal, a reference with no words, or an invalid count.
    pub fn fit(refs: CsMatView<'_, f64>, positions: &[f64]) -> Result<Wordscores> {
        if refs.rows() < 2 {
            bail!("Wordscores needs at least 2 reference texts, got {}", refs.rows());
        }
        if positions.len() != refs.rows() {
            bail!("{} reference positions for {} reference texts", positions.len(), refs.rows());
        }
        if let Some((row, bad)) = positions.iter().enumerate().find(|(_, p)| !p.is_finite()) {
            bail!("reference text {row} has a position that is not a number: {bad}");
        }
        if positions.iter().all(|&p| p == positions[0]) {
            bail!(
                "all {} reference texts have the same position {}: they define no dimension",
                refs.rows(),
                positions[0]
            );
        }
        let converted: CsMat<f64>;
        let refs = if refs.is_csr() {
            refs
        } else {
            converted = refs.to_other_storage();
            converted.view()
        };
        // Σ_r F_wr and Σ_r F_wr · A_r per word; S_w is their ratio.
        let mut share_sums = vec![0.0f64; refs.cols()];
        let mut weighted_sums = vec![0.0f64; refs.cols()];
        for (row, (counts, &position)) in refs.outer_iterator().zip(positions).enumerate() {
            check_counts("reference", row, counts.data())?;
            let total: f64 = counts.data().iter().sum();
            if total == 0.0 {
                bail!("reference text {row} has no words, so it cannot give any word a score");
            }
            for (word, &count) in counts.iter() {
                let share = count / total;
                share_sums[word] += share;
                weighted_sums[word] += share * position;
            }
        }
        let word_scores = share_sums
            .iter()
            .zip(&weighted_sums)
            .map(|(&share_sum, &weighted)| (share_sum > 0.0).then(|| weighted / share_sum))
            .collect();
        Ok(Wordscores { word_scores })
    }

    /// Raw scores and LBG standard errors of virgin texts (rows: raw word counts over the reference columns).
    ///
    /// Only scored words count: F_wv is w's share among the virgin's N_v scored words, S_v = Σ_w F_wv · S_w,
    /// V_v = Σ_w F_wv (S_w − S_v)², SE = sqrt(V_v / N_v). Errors when the columns differ from the references' or a
    /// count is invalid.
    pub fn score(&self, virgins: CsMatView<'_, f64>) -> Result<Vec<VirginScore>> {
        if virgins.cols() != self.word_scores.len() {
            bail!(
                "virgin texts have {} word columns but the reference texts had {}",
                virgins.cols(),
                self.word_scores.len()
            );
        }
        let converted: CsMat<f64>;
        let virgins = if virgins.is_csr() {
            virgins
        } else {
            converted = virgins.to_other_storage();
            converted.view()
        };
        let mut scores = Vec::with_capacity(virgins.rows());
        for (row, counts) in virgins.outer_iterator().enumerate() {
            check_counts("virgin", row, counts.data())?;
            let scored: Vec<(f64, f64)> =
                counts.iter().filter_map(|(word, &count)| self.word_scores[word].map(|s| (count, s))).collect();
            let words_scored: f64 = scored.iter().map(|&(count, _)| count).sum();
            if words_scored == 0.0 {
                scores.push(VirginScore { raw: None, se: None, words_scored });
                continue;
            }
            let raw: f64 = scored.iter().map(|&(count, s)| count / words_scored * s).sum();
            let variance: f64 = scored.iter().map(|&(count, s)| count / words_scored * (s - raw).powi(2)).sum();
            scores.push(VirginScore { raw: Some(raw), se: Some((variance / words_scored).sqrt()), words_scored });
        }
        Ok(scores)
    }
}

/// Sample standard deviation (n − 1); `None` for fewer than 2 values.
fn sample_sd(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let squares: f64 = values.iter().map(|v| (v - mean).powi(2)).sum();
    Some((squares / (values.len() - 1) as f64).sqrt())
}

/// LBG's standard transformation: S*_v = (S_v − S̄_v) · (SD_r / SD_v) + S̄_v, with S̄_v and SD_v the mean and
/// standard deviation of the raw virgin scores and SD_r that of the reference `positions`. Both standard
/// deviations are sample ones (n − 1), as quanteda's `textmodel_wordscores` with `rescaling = "lbg"`. Standard
/// errors are multiplied by the same factor and the interval is S*_v ± 1.96 · SE*.
///
/// The result lines up with `scores`; a virgin without a raw score stays `None`. Returns `None` when rescaling
/// is undefined — fewer than 2 virgins with a raw score, all raw scores equal, or reference positions without
/// spread — and the caller should then report the raw scores and say they are not rescaled.
pub fn rescale_lbg(scores: &[VirginScore], positions: &[f64]) -> Option<Vec<Option<RescaledScore>>> {
    let raw: Vec<f64> = scores.iter().filter_map(|s| s.raw).collect();
    let reference_sd = sample_sd(positions).filter(|sd| sd.is_finite() && *sd > 0.0)?;
    let virgin_sd = sample_sd(&raw).filter(|sd| sd.is_finite() && *sd > 0.0)?;
    let virgin_mean = raw.iter().sum::<f64>() / raw.len() as f64;
    let stretch = reference_sd / virgin_sd;
    let rescaled = scores
        .iter()
        .map(|s| {
            let raw = s.raw?;
            let score = (raw - virgin_mean) * stretch + virgin_mean;
            let se = s.se.unwrap_or(0.0) * stretch;
            Some(RescaledScore { score, se, lo: score - Z_95 * se, hi: score + Z_95 * se })
        })
        .collect();
    Some(rescaled)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sprs::TriMat;

    const TOL: f64 = 1e-9;

    /// Dense rows of counts to a CSR matrix (zeros left out).
    fn csr(rows: &[[f64; 7]]) -> CsMat<f64> {
        let mut triplets = TriMat::new((rows.len(), 7));
        for (r, row) in rows.iter().enumerate() {
            for (c, &count) in row.iter().enumerate() {
                if count != 0.0 {
                    triplets.add_triplet(r, c, count);
                }
            }
        }
        triplets.to_csr()
    }

    fn assert_close(got: f64, expected: f64, what: &str) {
        assert!((got - expected).abs() < TOL, "{what}: got {got}, expected {expected}");
    }

    // The worked example. Words w0..w6; w6 occurs in no reference text.
    const POSITIONS: [f64; 5] = [-1.5, -0.75, 0.0, 0.75, 1.5];
    const REFERENCES: [[f64; 7]; 5] = [
        [6.0, 3.0, 1.0, 0.0, 0.0, 0.0, 0.0],  // R1, 10 words, A = -1.5
        [2.0, 4.0, 2.0, 2.0, 0.0, 0.0, 0.0],  // R2, 10 words, A = -0.75
        [0.0, 2.0, 4.0, 2.0, 2.0, 0.0, 0.0],  // R3, 10 words, A = 0
        [0.0, 0.0, 2.0, 4.0, 2.0, 2.0, 0.0],  // R4, 10 words, A = 0.75
        [0.0, 0.0, 2.0, 2.0, 6.0, 10.0, 0.0], // R5, 20 words, A = 1.5
    ];
    const VIRGINS: [[f64; 7]; 4] = [
        [4.0, 4.0, 2.0, 0.0, 0.0, 0.0, 5.0], // V1: 10 scored words (+5 unscored w6)
        [0.0, 0.0, 3.0, 3.0, 2.0, 2.0, 0.0], // V2: 10 scored words
        [0.0, 1.0, 0.0, 1.0, 0.0, 2.0, 3.0], // V3: 4 scored words (+3 unscored w6)
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 4.0], // V4: no scored word
    ];

    fn fitted() -> Wordscores {
        Wordscores::fit(csr(&REFERENCES).view(), &POSITIONS).unwrap()
    }

    #[test]
    fn word_scores_of_the_worked_example() {
        // Write f_wr = 20 · F_wr (counts ×2 in R1..R4, ×1 in R5). P_wr = f_wr / Σ_r f_wr, so
        // S_w = Σ_r f_wr A_r / Σ_r f_wr:
        //   w0: f = 12, 4            → (12·-1.5 + 4·-0.75) / 16 = -21/16 = -1.3125
        //   w1: f = 6, 8, 4          → (-9 - 6 + 0) / 18 = -5/6
        //   w2: f = 2, 4, 8, 4, 2    → (-3 - 3 + 0 + 3 + 3) / 20 = 0
        //   w3: f = 4, 4, 8, 2 (R2..R5) → (-3 + 0 + 6 + 3) / 18 = 1/3
        //   w4: f = 4, 4, 6 (R3..R5) → (0 + 3 + 9) / 14 = 6/7
        //   w5: f = 4, 10 (R4, R5)   → (3 + 15) / 14 = 9/7
        //   w6: in no reference      → no score
        let expected = [-21.0 / 16.0, -5.0 / 6.0, 0.0, 1.0 / 3.0, 6.0 / 7.0, 9.0 / 7.0];
        let model = fitted();
        for (w, e) in expected.iter().enumerate() {
            assert_close(model.word_scores[w].unwrap(), *e, &format!("S_w{w}"));
        }
        assert_eq!(model.word_scores[6], None);
    }

    #[test]
    fn raw_scores_and_standard_errors_of_the_worked_example() {
        let scores = fitted().score(csr(&VIRGINS).view()).unwrap();
        assert_eq!(scores.len(), 4);
        // V1: F = .4, .4, .2 on w0, w1, w2 (w6 ignored), N = 10.
        //   S = .4·-21/16 + .4·-5/6 + 0 = -21/40 - 1/3 = -103/120
        //   deviations S_w - S = -109/240, 6/240, 206/240
        //   V = (.4·11881 + .4·36 + .2·42436) / 57600 = 13254/57600 = 2209/9600; SE = sqrt(2209/96000)
        // V2: F = .3, .3, .2, .2 on w2..w5, N = 10.
        //   S = 0 + .1 + .2·6/7 + .2·9/7 = 1/10 + 3/7 = 37/70
        //   deviations -37/70, -41/210, 23/70, 53/70
        //   V = (.3·1369 + .2·529 + .2·2809) / 4900 + .3·1681 / 44100 = 10209/44100; SE = sqrt(10209/441000)
        // V3: F = .25, .25, .5 on w1, w3, w5, N = 4.
        //   S = -5/24 + 1/12 + 9/14 = 29/56
        //   deviations -227/168, -31/168, 129/168
        //   V = (.25·51529 + .25·961 + .5·16641) / 28224 = 21443/28224; SE = sqrt(21443/112896)
        let expected = [
            (-103.0 / 120.0, (2209.0f64 / 96000.0).sqrt(), 10.0),
            (37.0 / 70.0, (10209.0f64 / 441000.0).sqrt(), 10.0),
            (29.0 / 56.0, (21443.0f64 / 112896.0).sqrt(), 4.0),
        ];
        for (v, (raw, se, words)) in expected.iter().enumerate() {
            assert_close(scores[v].raw.unwrap(), *raw, &format!("raw V{}", v + 1));
            assert_close(scores[v].se.unwrap(), *se, &format!("se V{}", v + 1));
            assert_eq!(scores[v].words_scored, *words);
        }
        // V4 uses only w6: no score rather than NaN.
        assert_eq!(scores[3], VirginScore { raw: None, se: None, words_scored: 0.0 });
    }

    #[test]
    fn lbg_rescaling_of_the_worked_example() {
        let scores = fitted().score(csr(&VIRGINS).view()).unwrap();
        let rescaled = rescale_lbg(&scores, &POSITIONS).unwrap();
        // Raw scores over 2520: -2163, 1332, 1305; mean S̄ = 474/3 / 2520 = 79/1260.
        // Deviations from the mean over 2520: -2321, 1174, 1147; squares sum 8080926, so
        //   SD_v = sqrt(8080926 / 2) / 2520 = sqrt(4040463) / 2520 ≈ 0.79765488
        // SD_r = sqrt((2.25 + 0.5625 + 0 + 0.5625 + 2.25) / 4) = sqrt(1.40625) ≈ 1.18585412
        // S* = (S - S̄) · SD_r / SD_v + S̄; SE* = SE · SD_r / SD_v; interval S* ± 1.96 SE*.
        let mean = 79.0 / 1260.0;
        let stretch = 1.40625f64.sqrt() / (4040463.0f64.sqrt() / 2520.0);
        assert_close(stretch, 1.4866756951632205, "SD_r / SD_v");
        let raw_and_se = [
            (-103.0 / 120.0, (2209.0f64 / 96000.0).sqrt()),
            (37.0 / 70.0, (10209.0f64 / 441000.0).sqrt()),
            (29.0 / 56.0, (21443.0f64 / 112896.0).sqrt()),
        ];
        for (v, (raw, se)) in raw_and_se.iter().enumerate() {
            let got = rescaled[v].unwrap();
            let score = (raw - mean) * stretch + mean;
            assert_close(got.score, score, &format!("S* V{}", v + 1));
            assert_close(got.se, se * stretch, &format!("SE* V{}", v + 1));
            assert_close(got.lo, score - 1.96 * se * stretch, &format!("lo V{}", v + 1));
            assert_close(got.hi, score + 1.96 * se * stretch, &format!("hi V{}", v + 1));
        }
        // The same numbers from an independent Python run of the formulas.
        assert_close(rescaled[0].unwrap().score, -1.306577098600728, "S* V1 (python)");
        assert_close(rescaled[1].unwrap().score, 0.7553005024292146, "S* V2 (python)");
        assert_close(rescaled[2].unwrap().hi, 2.0092902121082687, "hi V3 (python)");
        assert_eq!(rescaled[3], None);
    }

    #[test]
    fn lbg_rescaling_is_undefined_for_one_virgin_or_no_spread() {
        let model = fitted();
        let one = model.score(csr(&VIRGINS[..1]).view()).unwrap();
        assert!(one[0].raw.is_some());
        assert_eq!(rescale_lbg(&one, &POSITIONS), None);
        // One scored virgin plus one without scored words is still one score.
        let one_scored = model.score(csr(&[VIRGINS[0], VIRGINS[3]]).view()).unwrap();
        assert_eq!(rescale_lbg(&one_scored, &POSITIONS), None);
        let identical = model.score(csr(&[VIRGINS[1], VIRGINS[1]]).view()).unwrap();
        assert_eq!(rescale_lbg(&identical, &POSITIONS), None);
    }

    #[test]
    fn column_order_input_gives_the_same_scores() {
        let by_rows = fitted();
        let by_columns = Wordscores::fit(csr(&REFERENCES).to_csc().view(), &POSITIONS).unwrap();
        assert_eq!(by_rows, by_columns);
        let virgins = csr(&VIRGINS);
        assert_eq!(by_rows.score(virgins.view()).unwrap(), by_rows.score(virgins.to_csc().view()).unwrap());
    }

    #[test]
    fn fit_rejects_bad_references() {
        let refs = csr(&REFERENCES);
        let err = |m: &CsMat<f64>, p: &[f64]| Wordscores::fit(m.view(), p).unwrap_err().to_string();
        assert!(err(&csr(&REFERENCES[..1]), &[0.0]).contains("at least 2"));
        assert!(err(&refs, &[1.0; 5]).contains("same position"));
        assert!(err(&refs, &POSITIONS[..4]).contains("4 reference positions"));
        assert!(err(&refs, &[0.0, 1.0, f64::NAN, 0.0, 0.0]).contains("not a number"));
        let mut empty_row = REFERENCES;
        empty_row[2] = [0.0; 7];
        assert!(err(&csr(&empty_row), &POSITIONS).contains("reference text 2 has no words"));
        let mut negative = REFERENCES;
        negative[1][0] = -1.0;
        assert!(err(&csr(&negative), &POSITIONS).contains("invalid word count"));
    }

    #[test]
    fn score_rejects_mismatched_columns() {
        let narrow: CsMat<f64> = TriMat::new((1, 3)).to_csr();
        let message = fitted().score(narrow.view()).unwrap_err().to_string();
        assert!(message.contains("3 word columns"), "{message}");
    }
}
