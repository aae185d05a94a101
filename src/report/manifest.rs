//! `manifest.json`: what a run read, with which options, what it wrote, how long each stage took.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::corpus::{Corpus, InputSummary};

/// Seconds per stage, in the order the stages ran.
#[derive(Debug, Default)]
pub struct Timings {
    stages: Vec<(String, f64)>,
}

impl Timings {
    /// Runs `f` and records its wall time under `name`.
    pub fn time<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.add(name, start.elapsed().as_secs_f64());
        out
    }

    pub fn add(&mut self, name: &str, seconds: f64) {
        match self.stages.iter_mut().find(|(n, _)| n == name) {
            Some((_, s)) => *s += seconds,
            None => self.stages.push((name.to_string(), seconds)),
        }
    }

    pub fn get(&self, name: &str) -> Option<f64> {
        self.stages.iter().find(|(n, _)| n == name).map(|(_, s)| *s)
    }
}

impl Serialize for Timings {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.stages.len()))?;
        for (name, secs) in &self.stages {
            map.serialize_entry(name, secs)?;
        }
        map.end()
    }
}

/// The run manifest. Everything but `timings_s` is the same for the same inputs, options and seed.
#[derive(Debug, Serialize)]
pub struct Manifest {
    pub hanmi_version: &'static str,
    pub command: String,
    pub config: serde_json::Value,
    pub inputs: Vec<InputSummary>,
    pub skipped_files: Vec<String>,
    pub records: usize,
    pub records_rejected: usize,
    pub records_empty_text: usize,
    pub warnings: Vec<String>,
    /// Notes on how the run decided things a reader may wonder about (e.g. how year-only dates meet eras).
    pub notes: BTreeMap<String, String>,
    pub outputs: Vec<String>,
    pub timings_s: Timings,
}

impl Manifest {
    pub fn new(command: &str, config: &impl Serialize, corpus: &Corpus) -> Manifest {
        Manifest {
            hanmi_version: env!("CARGO_PKG_VERSION"),
            command: command.to_string(),
            config: serde_json::to_value(config).unwrap_or(serde_json::Value::Null),
            inputs: corpus.inputs.clone(),
            skipped_files: corpus.skipped_files.clone(),
            records: corpus.records.len(),
            records_rejected: corpus.rejected.len(),
            records_empty_text: corpus.records.iter().filter(|r| r.is_empty_text()).count(),
            warnings: corpus.warnings.clone(),
            notes: BTreeMap::new(),
            outputs: Vec::new(),
            timings_s: Timings::default(),
        }
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        super::write_atomic(path, |w| {
            serde_json::to_writer_pretty(&mut *w, self)?;
            w.write_all(b"\n")?;
            Ok(())
        })
    }
}
