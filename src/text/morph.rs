//! Korean by morphological analysis (feature `ko-dic`): lindera with the mecab-ko-dic dictionary it carries.
//! Consecutive nominal morphemes are joined into one stem (비핵/NNG + 화/XSN → 비핵화) as the rule-based
//! stemmer's stems are; verb and adjective stems are kept; particles, endings and suffixes are dropped.

use anyhow::{Context, Result};
use lindera_core::mode::Mode;
use lindera_dictionary::{DictionaryConfig, DictionaryKind};
use lindera_tokenizer::tokenizer::{Tokenizer, TokenizerConfig};

pub struct Morph {
    tokenizer: Tokenizer,
}

impl std::fmt::Debug for Morph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Morph(ko-dic)")
    }
}

/// Parts of speech that make up a noun phrase's content (joined into one stem).
const NOMINAL: &[&str] = &["NNG", "NNP", "NNB", "NR", "NP", "XPN", "XSN", "XR", "SN"];
/// Verb and adjective stems, kept on their own.
const PREDICATE: &[&str] = &["VV", "VA"];

impl Morph {
    pub fn load() -> Result<Morph> {
        let config = TokenizerConfig {
            dictionary: DictionaryConfig { kind: Some(DictionaryKind::KoDic), path: None },
            user_dictionary: None,
            mode: Mode::Normal,
        };
        let tokenizer = Tokenizer::from_config(config).context("cannot load the ko-dic dictionary")?;
        Ok(Morph { tokenizer })
    }

    /// The stems of one run of Hangul.
    pub fn stems(&self, run: &str) -> Vec<String> {
        // lindera 0.28 with ko-dic reads a word at the very end of its input badly (한미동맹의 → 한/MM 미동 맹의)
        // and well when a space follows it (한미/NNG 동맹/NNG 의/JKG); the space comes back as an UNK token.
        let padded = format!("{run} ");
        let Ok(mut tokens) = self.tokenizer.tokenize(&padded) else { return vec![run.to_string()] };
        let mut stems = Vec::new();
        let mut nominal = String::new();
        for token in tokens.iter_mut() {
            let text = token.text.to_string();
            let pos = token.get_details().and_then(|d| d.first().map(|p| p.to_string())).unwrap_or_default();
            // Compound tags such as `VV+EP` start with the stem's tag.
            let head = pos.split('+').next().unwrap_or("");
            if NOMINAL.contains(&head) {
                nominal.push_str(&text);
                continue;
            }
            if !nominal.is_empty() {
                stems.push(std::mem::take(&mut nominal));
            }
            if PREDICATE.contains(&head) && !pos.contains('+') {
                stems.push(text);
            }
        }
        if !nominal.is_empty() {
            stems.push(nominal);
        }
        stems
    }
}
