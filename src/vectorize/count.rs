//! Parallel counting: texts into term counts per document, with a vocabulary that does not depend on how
//! the work was split between threads.

use rayon::prelude::*;

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

/// Strings one after the other in one buffer: no allocation per string.
#[derive(Debug, Default)]
struct StringList {
    text: String,
    ends: Vec<usize>,
}

impl StringList {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.ends.push(self.text.len());
    }

    fn get(&self, i: usize) -> &str {
        &self.text[if i == 0 { 0 } else { self.ends[i - 1] }..self.ends[i]]
    }
}

/// What one thread counted: rows over its session's own term ids (each row in first-occurrence order).
struct Share {
    /// The session's terms, by local id.
    terms: StringList,
    concept: Vec<bool>,
    /// Whether each term occurs in some row (a session also knows terms of glossary phrases and of words that
    /// only ever occurred inside a phrase).
    occurs: Vec<bool>,
    /// The local ids, sorted by term.
    sorted: Vec<u32>,
    /// Surface forms: (local term id, count) with the surface at the same index of `surface_text`.
    surfaces: Vec<(u32, u64)>,
    surface_text: StringList,
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
    // Per-document counts by term id; `indices[row_start..]` lists the ids touched, to reset them after.
    let mut tally: Vec<u32> = Vec::new();
    for text in texts {
        ids.clear();
        session.tokens(text.as_ref(), &mut ids);
        if tally.len() < session.term_count() {
            tally.resize(session.term_count(), 0);
        }
        let row_start = indices.len();
        for &id in &ids {
            let n = &mut tally[id as usize];
            if *n == 0 {
                indices.push(id);
            }
            *n += 1;
        }
        for &id in &indices[row_start..] {
            values.push(std::mem::take(&mut tally[id as usize]));
        }
        indptr.push(indices.len());
    }
    let n = session.term_count();
    let mut terms = StringList::default();
    (0..n as u32).for_each(|id| terms.push(session.term(id)));
    let concept = (0..n as u32).map(|id| session.is_concept(id)).collect();
    let mut occurs = vec![false; n];
    indices.iter().for_each(|&id| occurs[id as usize] = true);
    let mut sorted: Vec<u32> = (0..n as u32).collect();
    sorted.sort_unstable_by(|&a, &b| terms.get(a as usize).cmp(terms.get(b as usize)));
    let (mut surfaces, mut surface_text) = (Vec::new(), StringList::default());
    session.for_each_surface(&mut |id, surface, c| {
        surfaces.push((id, c));
        surface_text.push(surface);
    });
    Share { terms, concept, occurs, sorted, surfaces, surface_text, indptr, indices, values }
}

/// Joins the shares over one sorted vocabulary of the terms that occur.
fn merge(shares: Vec<Share>) -> Counts {
    // Merge the shares' sorted term lists into the terms that occur in some share; `maps[s][local]` is the
    // global id (u32::MAX: the term occurs in no share), also in shares where the term itself does not occur,
    // so that their surface forms count.
    let mut maps: Vec<Vec<u32>> = shares.iter().map(|s| vec![u32::MAX; s.terms.ends.len()]).collect();
    let mut all: Vec<&str> = Vec::new();
    let mut next = vec![0usize; shares.len()];
    let head = |s: usize, next: &[usize]| shares[s].sorted.get(next[s]).map(|&l| shares[s].terms.get(l as usize));
    while let Some(least) = (0..shares.len()).filter_map(|s| head(s, &next)).min() {
        let holds = |s: usize, next: &[usize]| head(s, next) == Some(least);
        let occurs = (0..shares.len()).any(|s| holds(s, &next) && shares[s].occurs[shares[s].sorted[next[s]] as usize]);
        for s in 0..shares.len() {
            if holds(s, &next) {
                if occurs {
                    maps[s][shares[s].sorted[next[s]] as usize] = all.len() as u32;
                }
                next[s] += 1;
            }
        }
        if occurs {
            all.push(least);
        }
    }
    let mut concept = vec![false; all.len()];
    let mut forms: Vec<(u32, &str, u64)> = Vec::new();
    for (share, map) in shares.iter().zip(&maps) {
        for (local, &g) in map.iter().enumerate() {
            if g != u32::MAX {
                concept[g as usize] |= share.concept[local];
            }
        }
        for (k, &(id, c)) in share.surfaces.iter().enumerate() {
            let g = map[id as usize];
            if g != u32::MAX {
                forms.push((g, share.surface_text.get(k), c));
            }
        }
    }
    // Each term's most frequent surface form; ties go to the smaller string so the choice is stable.
    forms.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let mut best: Vec<Option<(&str, u64)>> = vec![None; all.len()];
    let mut k = 0;
    while k < forms.len() {
        let (g, surface) = (forms[k].0, forms[k].1);
        let mut total = 0;
        while k < forms.len() && forms[k].0 == g && forms[k].1 == surface {
            total += forms[k].2;
            k += 1;
        }
        let slot = &mut best[g as usize];
        if slot.is_none_or(|(_, c)| total > c) {
            *slot = Some((surface, total));
        }
    }
    let display =
        all.iter().zip(&best).map(|(term, b)| b.map_or_else(|| ngram_display(term, &all, &best), |(s, _)| s.into()));
    let display = display.collect();
    // Rows over global ids, sorted by column, each share's rows in parallel.
    let rows: Vec<(Vec<usize>, Vec<u32>, Vec<u32>)> =
        shares.par_iter().zip(&maps).map(|(s, m)| remap_rows(s, m)).collect();
    let nnz = rows.iter().map(|r| r.1.len()).sum();
    let (mut indptr, mut indices, mut values) = (vec![0], Vec::with_capacity(nnz), Vec::with_capacity(nnz));
    for (ptr, idx, val) in rows {
        let base = indices.len();
        indptr.extend(ptr[1..].iter().map(|p| p + base));
        indices.extend(idx);
        values.extend(val);
    }
    Counts { terms: all.into_iter().map(String::from).collect(), display, concept, indptr, indices, values }
}

/// One share's rows with global column ids, each row sorted by column.
fn remap_rows(share: &Share, map: &[u32]) -> (Vec<usize>, Vec<u32>, Vec<u32>) {
    let mut row: Vec<u64> = Vec::new();
    let (mut indices, mut values) = (Vec::with_capacity(share.indices.len()), Vec::with_capacity(share.values.len()));
    for d in 0..share.indptr.len() - 1 {
        let (a, b) = (share.indptr[d], share.indptr[d + 1]);
        row.clear();
        // (column, count) packed in one integer: sorting it sorts by column.
        row.extend(
            share.indices[a..b]
                .iter()
                .zip(&share.values[a..b])
                .map(|(&id, &c)| (map[id as usize] as u64) << 32 | c as u64),
        );
        row.sort_unstable();
        indices.extend(row.iter().map(|&e| (e >> 32) as u32));
        values.extend(row.iter().map(|&e| e as u32));
    }
    (share.indptr.clone(), indices, values)
}

/// An n-gram has no surface of its own: its words' display forms, joined. Neighbours that read the same (two
/// syllable bigrams of one Korean stem, 사거 거리 → 사거리) are shown once.
fn ngram_display(term: &str, all: &[&str], best: &[Option<(&str, u64)>]) -> String {
    let mut parts: Vec<&str> = term
        .split(' ')
        .map(|part| all.binary_search(&part).ok().and_then(|g| best[g]).map_or(part, |(s, _)| s))
        .collect();
    parts.dedup();
    parts.join(" ")
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
