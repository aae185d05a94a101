//! hanmi: topic and stance analysis of bilingual (Korean and English) records on the
//! South Korea–United States alliance.
//!
//! The pipeline runs one way, one module per stage:
//! `corpus` (records in) → `text` (analyze) → `vectorize` (TF-IDF) → `cluster` (LSA, k-means, themes)
//! → `stance` → `eras` → `report` (CSV, SVG, manifest). `commands` strings the stages together for each
//! subcommand of the binary; `main.rs` only parses the command line.

pub mod cluster;
pub mod commands;
pub mod config;
pub mod corpus;
pub mod eras;
pub mod report;
pub mod stance;
pub mod text;
pub mod vectorize;

pub use config::Config;
pub use corpus::{Corpus, Lang, PartialDate, ReadOptions, Record};
