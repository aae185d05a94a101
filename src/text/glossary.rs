//! The bilingual glossary: Korean and English forms of one concept counted as one feature, so that a Korean
//! and an English record on the same subject share features (북한 / North Korea / DPRK → `north_korea`).

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// The built-in glossary, `data/builtin/glossary.toml`.
pub const BUILTIN_GLOSSARY: &str = include_str!("../../data/builtin/glossary.toml");

/// One concept and its forms in each language, as written in the glossary (phrases allowed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: String,
    #[serde(default)]
    pub en: Vec<String>,
    #[serde(default)]
    pub ko: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GlossaryFile {
    concept: Vec<Concept>,
}

/// Parses glossary TOML (`[[concept]] id, en, ko`); `origin` names the file in errors.
pub fn parse(text: &str, origin: &str) -> Result<Vec<Concept>> {
    let file: GlossaryFile = toml::from_str(text).with_context(|| format!("{origin}: not a valid glossary"))?;
    for c in &file.concept {
        if c.id.is_empty() || !c.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            bail!("{origin}: concept id {:?} must be lowercase ascii letters, digits and _", c.id);
        }
    }
    Ok(file.concept)
}

/// A glossary form after analysis: the terms it is made of, the concept it stands for, and how it was written.
#[derive(Debug, Clone)]
pub struct Phrase {
    pub terms: Vec<String>,
    pub concept: String,
    pub form: String,
}

/// Analyzes every form with `terms_of` (the analyzer without its glossary), so that forms match the records'
/// terms whatever inflection, case or particle they carry. A form that analyzes to nothing (only stop words)
/// or that an earlier concept already claims is left out, and the returned list says which and why (the
/// built-in glossary has none with the rule-based Korean analyzer; a morphological analyzer may cut two forms
/// alike).
pub fn compile(concepts: &[Concept], mut terms_of: impl FnMut(&str) -> Vec<String>) -> (Vec<Phrase>, Vec<String>) {
    let mut conflicts = Vec::new();
    let mut seen: HashMap<Vec<String>, (&str, &str)> = HashMap::new();
    let mut phrases = Vec::new();
    for concept in concepts {
        for form in concept.en.iter().chain(&concept.ko) {
            let terms = terms_of(form);
            if terms.is_empty() {
                conflicts.push(format!(
                    "glossary concept {}: the form {form:?} has no words left after analysis",
                    concept.id
                ));
                continue;
            }
            if let Some((other, other_form)) = seen.get(&terms) {
                if *other != concept.id {
                    conflicts.push(format!(
                        "glossary: the form {form:?} of {} is left out: it analyzes to {terms:?} as {other_form:?} of {other} does",
                        concept.id
                    ));
                }
                continue;
            }
            seen.insert(terms.clone(), (&concept.id, form));
            phrases.push(Phrase { terms, concept: concept.id.clone(), form: form.clone() });
        }
    }
    (phrases, conflicts)
}
