//! Helpers shared by the integration tests: where the shared corpora are, and running the binary.

#![allow(dead_code)] // each test file uses a different subset

use std::path::PathBuf;
use std::process::{Command, Output};

/// `../shared/data/<rel>` if it exists; otherwise prints why the test is skipped and returns None.
pub fn shared_data(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: {} is absent (the shared corpora are not on this machine)", path.display());
        None
    }
}

/// A file of the repository, e.g. `data/seeds/000_afddf31a8481b1f2.txt`.
pub fn repo_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Runs the `hanmi` binary with `args`.
pub fn hanmi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hanmi")).args(args).output().expect("the hanmi binary runs")
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
