//! `hanmi tokens`: each record's features as JSON Lines, `{"id", "lang", "tokens"}`.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use rayon::prelude::*;

use super::CommonOptions;
use crate::text::{Analyzer, TokenSession, Tokenize};

#[derive(Debug, Clone)]
pub struct TokensOptions {
    pub common: CommonOptions,
    pub inputs: Vec<PathBuf>,
    /// Where to write; standard output when `None`.
    pub out: Option<PathBuf>,
    pub no_glossary: bool,
    pub keep_stopwords: bool,
}

pub fn tokens(opts: &TokensOptions) -> Result<()> {
    opts.common.init_threads()?;
    let (mut config, _) = opts.common.config()?;
    if opts.no_glossary {
        config.text.glossary = false;
    }
    if opts.keep_stopwords {
        config.text.stopwords = false;
    }
    let analyzer = Analyzer::new(&config.text)?;
    let corpus = opts.common.read(&opts.inputs)?;
    let lines: Vec<String> = corpus
        .records
        .par_iter()
        .map_init(
            || analyzer.session(),
            |session, r| {
                let line = serde_json::json!({ "id": r.id, "lang": r.lang(), "tokens": session.terms(&r.text) });
                line.to_string()
            },
        )
        .collect();
    let write = |w: &mut dyn Write| -> Result<()> {
        for line in &lines {
            w.write_all(line.as_bytes())?;
            w.write_all(b"\n")?;
        }
        Ok(())
    };
    match &opts.out {
        Some(path) => crate::report::write_atomic(path, write),
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            write(&mut lock)?;
            lock.flush()?;
            Ok(())
        }
    }
}
