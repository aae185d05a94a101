//! The `hanmi` command line: parses arguments and calls the library. Nothing else lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hanmi::cluster::KChoice;
use hanmi::commands::{self, CommonOptions};
use hanmi::corpus::{Lang, ReadOptions};
use hanmi::text::KoreanMode;
use hanmi::vectorize::{DfBound, Norm, TfidfParams};

/// mimalloc, built without transparent huge pages. The stages allocate and free large buffers one after the
/// other; after the count, glibc's malloc faulted in 5,800 pages for the fit on the KCNA stories, mimalloc 3,900
/// (the vectorize stage there: 19 ms → 12 ms). Huge pages would save more faults but stall on compaction where
/// memory is fragmented (after a scikit-learn run, analysis took 30% longer).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "hanmi",
    version,
    about = "Topic and stance analysis of Korean and English records on the South Korea–United States alliance",
    after_help = "Examples:\n  hanmi run                                   # analyse data/, write reports/\n  \
hanmi run --input speeches.csv --text-col text --eras rok-presidents --out reports/speeches\n  \
hanmi tokens --input ../shared/data/seeds/000_afddf31a8481b1f2.txt\n  \
hanmi vectorize --input corpus.csv --out tfidf/ --min-df 5 --max-df 0.5 --sublinear-tf\n  \
hanmi eval --input labelled.csv --label-col label --k 4"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// The whole pipeline: read, analyze, vectorize, cluster, stance, eras, and write every report.
    #[command(after_help = "Examples:\n  hanmi run\n  \
hanmi run --input archive.csv --text-col abstract --text-col title --out reports/archive\n  \
hanmi run --input ../shared/data/ungd/ungdc_6countries_1946_2024.csv --eras rok-presidents --filter country_iso=KOR --filter country_iso=PRK")]
    Run(RunArgs),
    /// Each record's features as JSON Lines: {"id", "lang", "tokens"}.
    #[command(after_help = "Examples:\n  hanmi tokens --input ../shared/data/seeds/000_afddf31a8481b1f2.txt\n  \
hanmi tokens --input headlines.csv --text-col text --out tokens.jsonl --no-glossary --keep-stopwords")]
    Tokens(TokensArgs),
    /// TF-IDF with scikit-learn's options: vocab.csv, tfidf.mtx (Matrix Market), documents.csv, manifest.json.
    #[command(after_help = "Examples:\n  hanmi vectorize --input corpus.csv --out tfidf/\n  \
hanmi vectorize --input corpus.csv --out tfidf/ --min-df 5 --max-df 0.5 --sublinear-tf --norm l1 --no-smooth-idf")]
    Vectorize(VectorizeArgs),
    /// Cluster a labelled corpus and score the clusters against the labels (metrics.csv).
    #[command(
        after_help = "Example:\n  hanmi eval --input ../shared/data/20ng/20ng_sklearn_kmeans_example_4cat.csv --label-col label --k 4 --seed 0"
    )]
    Eval(EvalArgs),
    /// Stance: a classifier learned from labelled records (--train), or Wordscores from reference texts (--reference).
    #[command(after_help = "Examples:\n  hanmi stance --train tweets.csv --label-col label --out reports/stance\n  \
hanmi stance --train claims.csv --label-col label --target-col topic --input new.csv\n  \
hanmi stance --train ../shared/data/stance/ibm_claim_stance.csv --label-col label --split-col split\n  \
hanmi stance --reference manifestos.csv --position-col position --input speeches.csv")]
    Stance(StanceArgs),
}

/// Options shared by every subcommand.
#[derive(Args, Clone)]
struct CommonArgs {
    /// Column(s) holding the text; several are joined. Detected by name when not given (text, abstract, body…).
    #[arg(long = "text-col", value_name = "COL")]
    text_col: Vec<String>,
    /// Column holding the record id (default: `id` if present, else FILE:ROW).
    #[arg(long, value_name = "COL")]
    id_col: Option<String>,
    /// Column holding the title (default: `title`).
    #[arg(long, value_name = "COL")]
    title_col: Option<String>,
    /// Column holding the date or year (default: `date`, else `year`).
    #[arg(long, value_name = "COL")]
    date_col: Option<String>,
    /// Column holding a gold label (default: `label`).
    #[arg(long, value_name = "COL")]
    label_col: Option<String>,
    /// Language of the texts: detected per record (auto), or forced.
    #[arg(long, value_enum, default_value_t = LangArg::Auto)]
    lang: LangArg,
    /// Korean analysis: suffix rules, or the morphological analyzer (build with --features ko-dic).
    #[arg(long, value_enum)]
    korean: Option<KoreanArg>,
    /// Set bad records aside instead of stopping: named on standard error, and where the command writes a folder,
    /// listed in rejected.csv and counted in manifest.json.
    #[arg(long)]
    skip_bad_records: bool,
    /// Seed for every random step; the same seed gives the same reports.
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// Config file (default: hanmi.toml in the working folder, if any).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Auto,
    Ko,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum KoreanArg {
    Rules,
    Morph,
}

#[derive(Clone, Copy, ValueEnum)]
enum NormArg {
    L2,
    L1,
    None,
}

impl CommonArgs {
    fn options(&self) -> CommonOptions {
        CommonOptions {
            read: ReadOptions {
                text_cols: self.text_col.clone(),
                id_col: self.id_col.clone(),
                title_col: self.title_col.clone(),
                date_col: self.date_col.clone(),
                label_col: self.label_col.clone(),
                lang: match self.lang {
                    LangArg::Auto => None,
                    LangArg::Ko => Some(Lang::Ko),
                    LangArg::En => Some(Lang::En),
                },
                skip_bad_records: self.skip_bad_records,
            },
            config: self.config.clone(),
            seed: self.seed,
            threads: self.threads,
            korean: self.korean.map(|k| match k {
                KoreanArg::Rules => KoreanMode::Rules,
                KoreanArg::Morph => KoreanMode::Morph,
            }),
        }
    }
}

#[derive(Args)]
struct RunArgs {
    /// Input files or folders (CSV, TSV, JSONL, .txt pages); repeatable.
    #[arg(long = "input", value_name = "PATH", default_value = "data")]
    inputs: Vec<PathBuf>,
    /// Report folder.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    out: PathBuf,
    /// Number of clusters, or `auto` to choose it.
    #[arg(long)]
    k: Option<KChoice>,
    /// Era table: us-presidents, rok-presidents, dprk-leaders, decades, or a TOML/CSV file of your own.
    #[arg(long, value_name = "NAME|FILE")]
    eras: Option<String>,
    /// Analyse a subset: COL=VALUE; repeat a column for alternatives, name several columns to require all.
    #[arg(long, value_name = "COL=VALUE")]
    filter: Vec<String>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct TokensArgs {
    #[arg(long = "input", value_name = "PATH", required = true)]
    inputs: Vec<PathBuf>,
    /// Output file (default: standard output).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Do not map words to glossary concepts.
    #[arg(long)]
    no_glossary: bool,
    /// Keep stop words.
    #[arg(long)]
    keep_stopwords: bool,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct VectorizeArgs {
    #[arg(long = "input", value_name = "PATH", required = true)]
    inputs: Vec<PathBuf>,
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Keep terms found in at least this many documents: a whole number is a count, a number with a point a
    /// share (1.0 = every document).
    #[arg(long, value_name = "X", default_value = "1", value_parser = parse_df)]
    min_df: DfBound,
    /// Keep terms found in at most this many documents: a whole number is a count (1 = a single document), a
    /// number with a point a share.
    #[arg(long, value_name = "X", default_value = "1.0", value_parser = parse_df)]
    max_df: DfBound,
    /// Keep only the N most frequent terms.
    #[arg(long, value_name = "N")]
    max_features: Option<usize>,
    /// Use 1 + ln(tf) instead of tf.
    #[arg(long)]
    sublinear_tf: bool,
    #[arg(long, value_enum, default_value_t = NormArg::L2)]
    norm: NormArg,
    /// Use ln(n/df) + 1 instead of ln((1+n)/(1+df)) + 1.
    #[arg(long)]
    no_smooth_idf: bool,
    /// Term frequencies only, no IDF weighting.
    #[arg(long)]
    no_idf: bool,
    /// Word n-grams from MIN to MAX words, as scikit-learn's ngram_range (e.g. 1,2).
    #[arg(long, value_name = "MIN,MAX", value_parser = parse_range)]
    ngram_range: Option<(usize, usize)>,
    /// Save the fitted model (analyzer options, vocabulary, IDF) to FILE, to apply it later with --model.
    #[arg(long, value_name = "FILE")]
    save_model: Option<PathBuf>,
    /// Apply a model saved with --save-model instead of fitting one (IDF stays the fitted one).
    #[arg(long, value_name = "FILE", conflicts_with = "save_model")]
    model: Option<PathBuf>,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct EvalArgs {
    #[arg(long = "input", value_name = "PATH", required = true)]
    inputs: Vec<PathBuf>,
    #[arg(long)]
    k: Option<KChoice>,
    #[arg(long, value_name = "DIR", default_value = "reports")]
    out: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args)]
struct StanceArgs {
    /// Labelled records to learn a classifier from.
    #[arg(long, value_name = "FILE", conflicts_with = "reference")]
    train: Option<PathBuf>,
    /// Learn one model per value of this column (e.g. the debate topic).
    #[arg(long, value_name = "COL", requires = "train")]
    target_col: Option<String>,
    /// Folds of the stratified cross-validation that scores the classifier.
    #[arg(long, value_name = "K", default_value_t = 5, requires = "train")]
    folds: usize,
    /// Evaluate on a held-out split instead of cross-validating: this column marks each training record
    /// `train` or `test` (e.g. a corpus's official split); the test records are labelled in stance.csv.
    #[arg(long, value_name = "COL", requires = "train")]
    split_col: Option<String>,
    /// Reference texts with known positions (Wordscores).
    #[arg(long, value_name = "FILE", requires = "position_col")]
    reference: Option<PathBuf>,
    /// Column holding the reference positions.
    #[arg(long, value_name = "COL")]
    position_col: Option<String>,
    /// Records to score.
    #[arg(long = "input", value_name = "PATH")]
    inputs: Vec<PathBuf>,
    #[arg(long, value_name = "DIR", default_value = "reports")]
    out: PathBuf,
    #[command(flatten)]
    common: CommonArgs,
}

/// `1,2`: the smallest and largest n of word n-grams, as scikit-learn's `ngram_range`.
fn parse_range(s: &str) -> Result<(usize, usize), String> {
    let (a, b) = s.split_once(',').ok_or_else(|| format!("{s:?}: expected MIN,MAX such as 1,2"))?;
    let parse = |x: &str| x.trim().parse::<usize>().map_err(|_| format!("{s:?}: expected MIN,MAX such as 1,2"));
    Ok((parse(a)?, parse(b)?))
}

/// `5` is a count, `0.5` or `1.0` a share, as scikit-learn reads min_df and max_df (a share above 1 is an error).
fn parse_df(s: &str) -> Result<DfBound, String> {
    if s.contains('.') {
        match s.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(DfBound::Share(x)),
            _ => Err(format!("a share must be between 0.0 and 1.0, not {s:?}")),
        }
    } else {
        s.parse::<usize>().map(DfBound::Count).map_err(|_| format!("expected a count or a share, not {s:?}"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => commands::run(&commands::RunOptions {
            common: a.common.options(),
            inputs: a.inputs,
            out: a.out,
            k: a.k,
            eras: a.eras,
            filters: a.filter,
        }),
        Command::Tokens(a) => commands::tokens(&commands::TokensOptions {
            common: a.common.options(),
            inputs: a.inputs,
            out: a.out,
            no_glossary: a.no_glossary,
            keep_stopwords: a.keep_stopwords,
        }),
        Command::Vectorize(a) => commands::vectorize(&commands::VectorizeOptions {
            common: a.common.options(),
            inputs: a.inputs,
            out: a.out,
            params: TfidfParams {
                min_df: a.min_df,
                max_df: a.max_df,
                max_features: a.max_features,
                sublinear_tf: a.sublinear_tf,
                norm: match a.norm {
                    NormArg::L2 => Norm::L2,
                    NormArg::L1 => Norm::L1,
                    NormArg::None => Norm::None,
                },
                smooth_idf: !a.no_smooth_idf,
                use_idf: !a.no_idf,
            },
            ngram_range: a.ngram_range,
            save_model: a.save_model,
            model: a.model,
        }),
        Command::Eval(a) => {
            commands::eval(&commands::EvalOptions { common: a.common.options(), inputs: a.inputs, out: a.out, k: a.k })
        }
        Command::Stance(a) => commands::stance(&commands::StanceOptions {
            common: a.common.options(),
            train: a.train,
            target_col: a.target_col,
            folds: a.folds,
            split_col: a.split_col,
            reference: a.reference,
            position_col: a.position_col,
            inputs: a.inputs,
            out: a.out,
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hanmi: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
