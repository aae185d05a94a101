//! Parallel counting: texts into term counts per document, with a vocabulary that does not depend on how
//! the work was split between threads.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::text::{TokenSession, Tokenize};

/// Term counts of every document over the sorted vocabulary of every term seen.
#[derive(Debug, Clone)]
pub struct Counts {
    /// Every term seen, sorted (byte order, as scikit-learn sorts its vocabulary).
    pub terms: Vec<String>,
    /// The most frequent surface form behind each term.
    pub display: Vec<String>,
    /// Whether each term is a glossary concept.
    pub concept: Vec<bool>,
    /// CSR rows: `indptr[d]..indptr[d+1]` index `indices` (sorted columns) and `values` (counts).
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<u32>,
}

impl Counts {
    pub fn n_docs(&self) -> usize {
        self.indptr.len() - 1
    }
}

/// What one thread counted: rows over its session's own term ids.
struct Share {
    terms: Vec<String>,
    concept: Vec<bool>,
    surfaces: Vec<(u32, String, u64)>,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<u32>,
}

/// Counts the terms of `texts` with `tokenizer`, in parallel.
pub fn count<T: AsRef<str> + Sync>(tokenizer: &(impl Tokenize + ?Sized), texts: &[T]) -> Counts {
    let bounds = split_evenly(texts, rayon::current_num_threads());
    let shares: Vec<Share> = bounds.par_windows(2).map(|w| count_share(tokenizer, &texts[w[0]..w[1]])).collect();
    merge(shares)
}

/// Cuts `texts` into `parts` contiguous ranges of about the same number of bytes.
fn split_evenly<T: AsRef<str>>(texts: &[T], parts: usize) -> Vec<usize> {
    let total: usize = texts.iter().map(|t| t.as_ref().len() + 1).sum();
    let per = total.div_ceil(parts.max(1)).max(1);
    let mut bounds = vec![0];
    let mut acc = 0;
    for (i, t) in texts.iter().enumerate() {
        acc += t.as_ref().len() + 1;
        if acc >= per * bounds.len() && i + 1 < texts.len() {
            bounds.push(i + 1);
        }
    }
    bounds.push(texts.len());
    bounds.dedup();
    if bounds.len() == 1 {
        bounds.push(0);
    }
    bounds
}

fn count_share<T: AsRef<str>>(tokenizer: &(impl Tokenize + ?Sized), texts: &[T]) -> Share {
    let mut session = tokenizer.session();
    let mut ids = Vec::new();
    let (mut indptr, mut indices, mut values) = (vec![0], Vec::new(), Vec::new());
    for text in texts {
        ids.clear();
        session.tokens(text.as_ref(), &mut ids);
        ids.sort_unstable();
        let mut k = 0;
        while k < ids.len() {
            let id = ids[k];
            let run = ids[k..].iter().take_while(|&&x| x == id).count();
            indices.push(id);
            values.push(run as u32);
            k += run;
        }
        indptr.push(indices.len());
    }
    let n = session.term_count();
    let terms = (0..n as u32).map(|id| session.term(id).to_string()).collect();
    let concept = (0..n as u32).map(|id| session.is_concept(id)).collect();
    let mut surfaces = Vec::new();
    session.for_each_surface(&mut |id, surface, c| surfaces.push((id, surface.to_string(), c)));
    Share { terms, concept, surfaces, indptr, indices, values }
}

/// Joins the shares over one sorted vocabulary of the terms that occur.
fn merge(shares: Vec<Share>) -> Counts {
    // Terms that occur in some document, with the global id they get once sorted.
    let mut occurs: Vec<Vec<bool>> = shares.iter().map(|s| vec![false; s.terms.len()]).collect();
    for (share, seen) in shares.iter().zip(&mut occurs) {
        for &id in &share.indices {
            seen[id as usize] = true;
        }
    }
    let mut all: Vec<&str> = Vec::new();
    for (share, seen) in shares.iter().zip(&occurs) {
        all.extend(share.terms.iter().zip(seen).filter(|(_, &s)| s).map(|(t, _)| t.as_str()));
    }
    all.sort_unstable();
    all.dedup();
    let global: FxHashMap<&str, u32> = all.iter().enumerate().map(|(i, t)| (*t, i as u32)).collect();
    let mut concept = vec![false; all.len()];
    let mut surfaces: Vec<FxHashMap<&str, u64>> = vec![FxHashMap::default(); all.len()];
    let maps: Vec<Vec<u32>> = shares
        .iter()
        .map(|s| s.terms.iter().map(|t| global.get(t.as_str()).copied().unwrap_or(u32::MAX)).collect())
        .collect();
    for (share, map) in shares.iter().zip(&maps) {
        for (local, &g) in map.iter().enumerate() {
            if g != u32::MAX {
                concept[g as usize] |= share.concept[local];
            }
        }
        for (id, surface, c) in &share.surfaces {
            let g = map[*id as usize];
            if g != u32::MAX {
                *surfaces[g as usize].entry(surface.as_str()).or_insert(0) += c;
            }
        }
    }
    let display = all
        .iter()
        .zip(&surfaces)
        .map(|(term, forms)| {
            // Most frequent form; ties go to the smaller string so the choice is stable.
            let best = forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)));
            best.map_or_else(|| ngram_display(term, &global, &surfaces), |(s, _)| s.to_string())
        })
        .collect();
    let (mut indptr, mut indices, mut values) = (vec![0], Vec::new(), Vec::new());
    let mut row: Vec<(u32, u32)> = Vec::new();
    for (share, map) in shares.iter().zip(&maps) {
        for d in 0..share.indptr.len() - 1 {
            let (a, b) = (share.indptr[d], share.indptr[d + 1]);
            row.clear();
            row.extend(share.indices[a..b].iter().zip(&share.values[a..b]).map(|(&id, &c)| (map[id as usize], c)));
            row.sort_unstable_by_key(|e| e.0);
            indices.extend(row.iter().map(|e| e.0));
            values.extend(row.iter().map(|e| e.1));
            indptr.push(indices.len());
        }
    }
    Counts { terms: all.into_iter().map(String::from).collect(), display, concept, indptr, indices, values }
}

/// An n-gram has no surface of its own: its words' display forms, joined.
fn ngram_display(term: &str, global: &FxHashMap<&str, u32>, surfaces: &[FxHashMap<&str, u64>]) -> String {
    term.split(' ')
        .map(|part| {
            let forms = global.get(part).map(|&g| &surfaces[g as usize]);
            let best = forms.and_then(|f| f.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))));
            best.map_or(part, |(s, _)| *s)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evenly_split_ranges_cover_everything() {
        let texts = ["a"; 10];
        for parts in 1..12 {
            let b = split_evenly(&texts, parts);
            assert_eq!((b[0], *b.last().unwrap()), (0, 10));
            assert!(b.windows(2).all(|w| w[0] < w[1]), "{b:?}");
        }
        let none: [&str; 0] = [];
        assert_eq!(split_evenly(&none, 4), [0, 0]);
    }
}
