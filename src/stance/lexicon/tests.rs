use super::*;

const SEED_INTEGRATION: &str = include_str!("../../../data/seeds/000_afddf31a8481b1f2.txt");
const SEED_GRUDGING_PARTNER: &str = include_str!("../../../data/seeds/001_324070740f088e89.txt");

fn stance() -> LexiconStance {
    LexiconStance::new(&AnalyzerConfig::default(), &StanceConfig::default()).unwrap()
}

fn stance_with(toml_text: &str) -> Result<LexiconStance> {
    let config: StanceConfig = toml::from_str(toml_text).unwrap();
    LexiconStance::new(&AnalyzerConfig::default(), &config)
}

fn axis<'s>(scores: &'s [AxisScore], id: &str) -> &'s AxisScore {
    scores.iter().find(|s| s.axis == id).unwrap()
}

fn alliance(text: &str) -> AxisScore {
    axis(&stance().score(text), "alliance").clone()
}

fn north_korea(text: &str) -> AxisScore {
    axis(&stance().score(text), "north_korea_policy").clone()
}

#[test]
fn built_in_axes_in_file_order() {
    let ids: Vec<String> =
        stance().axes().into_iter().map(|a| format!("{}:{}:{}", a.id, a.positive, a.negative)).collect();
    assert_eq!(ids, ["alliance:cooperation:strain", "north_korea_policy:engagement:pressure"]);
}

/// Alliance score 0.556 (18 matches: 14 cooperation, 4 strain): "strategic integration", "strengthen",
/// "restore", "cooperation" against "disintegration", "disharmony", "buck-passing".
#[test]
fn seed_strategic_integration_scores_0_556_towards_cooperation() {
    let score = alliance(SEED_INTEGRATION);
    println!("{score:?}");
    assert!(score.score.unwrap() > 0.0);
    assert_eq!((score.label, score.pole_label.as_str()), ("positive", "cooperation"));
    for item in ["+Integration", "+strengthen", "-disintegration", "-disharmony", "-buck-passing", "+restore"] {
        assert!(score.evidence.split("; ").any(|e| e == item), "{item} not in {}", score.evidence);
    }
    assert!(score.evidence.ends_with("; …"), "{} matches, at most 12 shown", score.matches);
}

/// Alliance score −0.714 (7 matches: "Grudging", "strained", "rift", "ambivalent", "unilateralist",
/// "anti-American" against the "Partner" of the title); North Korea policy −0.5 ("deterrent" twice, "preemption"
/// against "reconciliation").
#[test]
fn seed_grudging_partner_scores_minus_0_714_towards_strain() {
    let scores = stance().score(SEED_GRUDGING_PARTNER);
    println!("{scores:?}");
    let score = axis(&scores, "alliance");
    assert!(score.score.unwrap() < 0.0);
    assert_eq!((score.label, score.pole_label.as_str()), ("negative", "strain"));
    assert_eq!(score.evidence, "-Grudging; +Partner; -strained; -rift; -ambivalent; -unilateralist; -anti-American");
    assert_eq!(score.score, Some((1.0 - 6.0) / 7.0));
    let nk = axis(&scores, "north_korea_policy");
    assert_eq!((nk.score, nk.label, nk.matches), (Some(-0.5), "negative", 4));
}

#[test]
fn english_cue_flips_a_term_within_the_window_after_it() {
    let score = alliance("The new government did not strengthen the alliance.");
    assert_eq!((score.score, score.label, score.evidence.as_str()), (Some(-1.0), "negative", "-(not) strengthen"));
    // Four words after the cue: out of the window of 3.
    assert_eq!(alliance("Not everyone expected that they would strengthen ties.").score, Some(1.0));
    // A sentence end stops the cue.
    // A sentence end or a blank line stops the cue; a wrapped line does not.
    assert_eq!(alliance("They did not object. Both sides strengthen the alliance.").score, Some(1.0));
    assert_eq!(alliance("An alliance without\n\nStrengthening Ties").score, Some(1.0));
    assert_eq!(alliance("The allies did not\nstrengthen ties.").score, Some(-1.0));
    // No rift and no friction: each has its cue.
    assert_eq!(alliance("There is no rift, and never any friction.").evidence, "+(no) rift; +(never) friction");
    assert_eq!(north_korea("Talks resumed without sanctions relief.").evidence, "+Talks; +(without) sanctions");
    // A failed summit is a negated one; "hardly" stems to "hard" but only "hardly" is the cue.
    assert_eq!(north_korea("The summit failed; they failed to hold summits.").evidence, "+summit; -(failed) summits");
    assert_eq!(north_korea("A hard line on dialogue.").score, Some(1.0));
}

#[test]
fn not_only_and_no_doubt_negate_nothing() {
    let score = alliance("They will not only strengthen but also deepen the alliance; no doubt trust will follow.");
    assert_eq!((score.score, score.matches), (Some(1.0), 3));
}

#[test]
fn korean_cue_after_the_verb_flips_the_terms_before_it() {
    let score = alliance("한미 공조를 강화하지 않았다");
    assert_eq!(score.score, Some(-1.0));
    assert_eq!(score.evidence, "-공조를 (않았다); -강화하지 (않았다)");
    assert_eq!(alliance("협력을 안 했다.").evidence, "-협력을 (안)");
    assert_eq!(alliance("협력하지 못했다").evidence, "-협력하지 (못했다)");
    assert_eq!(alliance("협력이 아닌 갈등을 택했다").evidence, "-협력이 (아닌); -갈등을");
    assert_eq!(north_korea("대화 없이 제재만 강화했다").evidence, "-대화 (없이); -제재만");
    // The cue inside the term's own word, after its stem.
    assert_eq!(north_korea("대화없이 끝났다").evidence, "-대화없이 (없)");
    assert_eq!(alliance("강화하지않았다").evidence, "-강화하지않았다 (않)");
    // 협력 is a spelling of the glossary's `cooperation`, whose English form comes first in the lexicon.
    assert_eq!(alliance("협력하지않았다").evidence, "-협력하지않았다 (않)");
}

#[test]
fn two_cues_cancel_out_and_idioms_negate_nothing() {
    assert_eq!(alliance("Seoul never fails to strengthen the alliance.").evidence, "+strengthen");
    assert_eq!(north_korea("Not without dialogue.").evidence, "+dialogue");
    // "Cannot but cooperate", "cooperation is a must".
    assert_eq!(alliance("한미는 협력하지 않을 수 없다").evidence, "+협력하지");
    assert_eq!(alliance("협력이 없으면 안 된다").evidence, "+협력이");
    // Formidable backlash; provocations regardless of sanctions.
    assert_eq!(alliance("반발이 만만치 않았다").evidence, "-반발이");
    assert_eq!(north_korea("제재에 아랑곳 않고 도발을 이어갔다").evidence, "-제재에; -도발을");
}

#[test]
fn a_korean_cue_negates_the_predicate_just_before_it() {
    // Headlines: "no interest in the provocations", "sanctions will have no effect", "trust is not a matter of…".
    assert_eq!(north_korea("잇따른 도발에 아무 관심 없다").evidence, "-도발에");
    assert_eq!(north_korea("대북 제재 영향 안 받을 것").evidence, "-제재");
    assert_eq!(alliance("신뢰란 선악의 문제 아닌 이익의 균형").evidence, "+신뢰란");
    // Between the term and the cue: the negated verb, 수, an adverb of negation.
    assert_eq!(north_korea("북한과의 대화에 전혀 나서지 않았다").evidence, "-대화에 (않았다)");
    assert_eq!(alliance("신뢰할 수 없다").evidence, "-신뢰할 (없다)");
    assert_eq!(north_korea("협상의 여지 없다").evidence, "-협상의 (없다)");
}

#[test]
fn words_that_begin_with_an_means_security_not_negation() {
    let score = alliance("안보 협력을 강화했다");
    assert_eq!((score.score, score.evidence.as_str()), (Some(1.0), "+협력을; +강화했다"));
    assert_eq!(alliance("협력은 안정과 안전을 위한 것이다").score, Some(1.0));
    // 못지않은 ("no less than") is praise, not negation.
    assert_eq!(alliance("동맹 못지않은 협력").score, Some(1.0));
    // 안 at the end of a sentence negates no verb.
    assert_eq!(alliance("협력 안").score, Some(1.0));
}

#[test]
fn korean_words_the_rules_leave_whole_match_by_their_start() {
    let score = alliance("동맹이 흔들리고 있다는 우려에도 철통같은 찰떡같은 공조를 과시했다");
    assert_eq!(score.evidence, "-흔들리고; +철통같은; +찰떡같은; +공조를");
    // A word that goes on past the term with no ending is another word: 강경화 is a foreign minister.
    assert_eq!(north_korea("강경화 장관은 강경파의 강경책을 비판했다").evidence, "-강경파의; -강경책을");
    assert_eq!(alliance("이탈리아는 이탈했다").evidence, "-이탈했다");
    // 청구서 (a bill to pay) is cut to 청구 (a claim) by the suffix rules: it matches only as written.
    assert_eq!(alliance("방위비 청구서를 내밀었다. 손해배상 청구를 했다").evidence, "-청구서를");
}

#[test]
fn korean_sentences_and_their_english_translations_score_alike() {
    let pairs = [
        (
            "Seoul and Washington agreed to strengthen their ironclad alliance and deepen cooperation.",
            "서울과 워싱턴은 철통같은 동맹을 강화하고 협력을 심화하기로 합의했다.",
        ),
        ("Anti-American protests and distrust strained the alliance.", "반미 시위와 불신이 동맹을 흔들었다."),
        ("The two allies did not restore trust.", "두 동맹국은 신뢰를 회복하지 못했다."),
    ];
    for (en, ko) in pairs {
        let (en_score, ko_score) = (alliance(en), alliance(ko));
        println!("{en}: {en_score:?}\n{ko}: {ko_score:?}");
        assert_eq!(en_score.score, ko_score.score, "{en} / {ko}");
    }
    let en = north_korea("The government chose dialogue and engagement with Pyongyang instead of sanctions.");
    let ko = north_korea("정부는 제재 대신 북한과의 대화와 관여를 택했다.");
    assert_eq!((en.score, ko.score), (Some(1.0 / 3.0), Some(1.0 / 3.0)));
    assert_eq!((en.label, ko.pole_label.as_str()), ("positive", "engagement"));
}

#[test]
fn several_words_match_as_one_term_longest_first() {
    let score = north_korea("Washington returned to maximum pressure, not strategic patience.");
    assert_eq!(score.evidence, "-maximum pressure; +(not) strategic patience");
    // Stems match: "share values" is the same terms; "share" alone is no term.
    assert_eq!(alliance("They share values.").evidence, "+share values");
    assert_eq!(alliance("They share a border.").score, None);
    assert_eq!(alliance("Shared values bind them.").evidence, "+Shared values");
}

#[test]
fn nothing_matched_is_none_and_a_balance_is_neutral() {
    for score in stance().score("The weather in Seoul was mild on Tuesday. 서울의 날씨는 화요일에 온화했다.")
    {
        assert_eq!((score.score, score.label, score.pole_label.as_str(), score.matches), (None, "none", "none", 0));
        assert_eq!(score.evidence, "");
    }
    let score = alliance("Trust grew, and so did friction.");
    assert_eq!((score.score, score.label, score.pole_label.as_str()), (Some(0.0), "neutral", "neutral"));
    let wide = stance_with("neutral_band = 0.5").unwrap();
    let score = axis(&wide.score("Trust, unity and friction."), "alliance").clone();
    assert_eq!((score.score, score.label), (Some(1.0 / 3.0), "neutral"));
}

#[test]
fn evidence_stops_at_twelve_matches() {
    let score = alliance(&"strengthen ".repeat(13));
    assert_eq!(score.matches, 13);
    assert_eq!(score.evidence, format!("{}; …", ["+strengthen"; 12].join("; ")));
}

#[test]
fn scores_are_deterministic() {
    let (a, b) = (stance(), stance());
    let mut reused = a.scorer();
    reused.score("한미 공조를 강화하지 않았다. The alliance did not strengthen.");
    for text in [SEED_INTEGRATION, SEED_GRUDGING_PARTNER] {
        let first = a.score(text);
        assert_eq!(first, a.score(text));
        assert_eq!(first, b.score(text));
        assert_eq!(first, reused.score(text));
    }
}

#[test]
fn config_adds_and_replaces_axes() {
    let stance = stance_with(
        r#"
        [[extra_axes]]
        id = "china_policy"
        positive = "engagement"
        negative = "balancing"
        positive_terms = ["strategic partnership", "전략적 동반자"]
        negative_terms = ["containment", "decoupling", "견제"]

        [[extra_axes]]
        id = "alliance"
        positive = "integration"
        negative = "autonomy"
        positive_terms = ["integration"]
        negative_terms = ["autonomy", "자주"]
        "#,
    )
    .unwrap();
    let ids: Vec<String> = stance.axes().into_iter().map(|a| a.id).collect();
    assert_eq!(ids, ["alliance", "north_korea_policy", "china_policy"]);
    let scores = stance.score("Strategic autonomy, not integration, and the containment of China. 대중 견제.");
    assert_eq!(axis(&scores, "china_policy").score, Some(-1.0));
    assert_eq!(axis(&scores, "alliance").evidence, "-autonomy; -(not) integration");
    assert_eq!(axis(&scores, "alliance").pole_label, "autonomy");
    assert_eq!(axis(&scores, "china_policy").evidence, "-containment; -견제");
}

#[test]
fn an_inflected_korean_term_matches_its_stem() {
    let stance = stance_with(
        "[[extra_axes]]\nid = \"x\"\npositive = \"a\"\nnegative = \"b\"\npositive_terms = [\"지지하다\"]\n",
    )
    .unwrap();
    assert_eq!(axis(&stance.score("정부는 지지했다"), "x").evidence, "+지지했다");
}

#[test]
fn a_term_on_two_poles_or_with_no_words_is_an_error_naming_it() {
    let both = stance_with(
        "[[extra_axes]]\nid = \"talks\"\npositive = \"a\"\nnegative = \"b\"\npositive_terms = [\"Dialogue\"]\n",
    );
    let message = format!("{:#}", both.err().unwrap());
    assert!(message.contains("\"Dialogue\"") && message.contains("north_korea_policy"), "{message}");
    let same_axis = stance_with(
        "[[extra_axes]]\nid = \"x\"\npositive = \"a\"\nnegative = \"b\"\npositive_terms = [\"rifts\"]\nnegative_terms = [\"rift\"]\n",
    );
    let message = format!("{:#}", same_axis.err().unwrap());
    assert!(message.contains("\"rift\"") && message.contains("x, a"), "{message}");
    let empty =
        stance_with("[[extra_axes]]\nid = \"x\"\npositive = \"a\"\nnegative = \"b\"\npositive_terms = [\"--\"]\n");
    assert!(format!("{:#}", empty.err().unwrap()).contains("\"--\" has no words"));
    assert!(stance_with("neutral_band = 1.5").is_err());
    assert!(toml::from_str::<StanceConfig>("neutral_bandd = 0.2").is_err());
}

#[test]
fn default_config_is_the_empty_table() {
    assert_eq!(toml::from_str::<StanceConfig>("").unwrap(), StanceConfig::default());
    assert_eq!(StanceConfig::default().neutral_band, 0.1);
    let config: crate::Config = toml::from_str(
        "[stance]\nneutral_band = 0.2\n[[stance.extra_axes]]\nid = \"x\"\npositive = \"a\"\nnegative = \"b\"\n",
    )
    .unwrap();
    assert_eq!((config.stance.neutral_band, config.stance.extra_axes[0].id.as_str()), (0.2, "x"));
}
