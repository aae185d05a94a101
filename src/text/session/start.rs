//! The glossary as every session starts with it, built once per analyzer and cloned into each session: building
//! it (interning every phrase's terms, indexing the phrases by their first term) took 0.4–0.6 ms, on each thread,
//! at the start of every count.

use super::table::Interner;
use crate::text::glossary::Phrase;
use crate::text::StringList;

/// A glossary phrase where its first term stands, with its second term, so that the candidates that differ there
/// (most of them: `north` begins a dozen phrases) are turned down without reading the phrase's terms.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) phrase: u32,
    /// [`ONE_WORD`] for a phrase of one term.
    pub(super) second: u32,
}

pub(super) const ONE_WORD: u32 = u32::MAX;

#[derive(Debug, Clone)]
pub(super) struct SessionPhrase {
    pub(super) terms: Vec<u32>,
    pub(super) concept: u32,
    pub(super) form: u32,
    /// How often the phrase matched (0 in the start every session clones).
    pub(super) hits: u64,
}

/// A session's glossary state before its first text: the phrases' terms are the session's first term ids.
#[derive(Debug, Clone)]
pub struct GlossaryStart {
    pub(super) terms: Interner,
    /// The phrases' display forms (a session adds its words' surfaces after them).
    pub(super) surfaces: StringList,
    /// The glossary phrases starting with term `t` (a term interned when the session opened, `t <
    /// starts.len() - 1`): `starting[starts[t]..starts[t + 1]]`, longest first. Flat, so that telling whether a
    /// term may begin a phrase reads no memory of its own.
    pub(super) starts: Vec<u32>,
    pub(super) starting: Vec<Candidate>,
    /// For each term interned when the session opened: the one-word glossary phrase that replaces it wherever it
    /// stands (`u32::MAX`: none, or the term is part of a longer phrase and must wait for its neighbours). Such a
    /// word becomes its concept once, when first seen, instead of at every occurrence.
    pub(super) single: Vec<u32>,
    pub(super) phrases: Vec<SessionPhrase>,
    /// Term ids of the glossary concepts, sorted.
    pub(super) concepts: Vec<u32>,
}

impl GlossaryStart {
    pub fn new(glossary: &[Phrase]) -> GlossaryStart {
        let (mut terms, mut surfaces) = (Interner::default(), StringList::new());
        let mut phrases = Vec::with_capacity(glossary.len());
        for p in glossary {
            let phrase_terms: Vec<u32> = p.terms.iter().map(|t| terms.id(t)).collect();
            let concept = terms.id(&p.concept);
            let form = surfaces.push(&p.form) as u32;
            phrases.push(SessionPhrase { terms: phrase_terms, concept, form, hits: 0 });
        }
        let mut concepts: Vec<u32> = phrases.iter().map(|p| p.concept).collect();
        concepts.sort_unstable();
        concepts.dedup();
        // One-word phrases are applied when a word is first seen, wherever that gives what matching at every
        // occurrence would: neither the word's term nor the concept may be part of a longer phrase (whose match
        // could start or end there).
        let mut order: Vec<u32> = (0..phrases.len() as u32).collect();
        order.sort_by_key(|&i| {
            let terms = &phrases[i as usize].terms;
            (terms[0], std::cmp::Reverse(terms.len()))
        });
        let mut in_longer = vec![false; terms.len()];
        for p in phrases.iter().filter(|p| p.terms.len() > 1) {
            p.terms.iter().for_each(|&t| in_longer[t as usize] = true);
        }
        let mut single = vec![u32::MAX; terms.len()];
        for &i in order.iter().rev() {
            // Reversed: of two one-word phrases of the same term, the first in matching order is written last.
            let p = &phrases[i as usize];
            if let [t] = p.terms[..] {
                if !in_longer[t as usize] && !in_longer[p.concept as usize] {
                    single[t as usize] = i;
                }
            }
        }
        order.retain(|&i| {
            let p = &phrases[i as usize];
            p.terms.len() > 1 || single[p.terms[0] as usize] == u32::MAX
        });
        let mut starts = vec![0; terms.len() + 1];
        for &i in &order {
            starts[phrases[i as usize].terms[0] as usize + 1] += 1;
        }
        for t in 0..terms.len() {
            starts[t + 1] += starts[t];
        }
        let starting = order
            .iter()
            .map(|&phrase| Candidate {
                phrase,
                second: phrases[phrase as usize].terms.get(1).copied().unwrap_or(ONE_WORD),
            })
            .collect();
        GlossaryStart { terms, surfaces, starts, starting, single, phrases, concepts }
    }
}
