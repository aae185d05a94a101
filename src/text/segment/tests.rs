use super::*;

fn runs(text: &str) -> Vec<(String, Script)> {
    let mut out = Vec::new();
    for_each_run(text, |w, s| out.push((w.to_string(), s)));
    out
}

#[test]
fn ascii_words_match_unicode_segmentation() {
    let text = "The U.S.-ROK alliance's 2021 summit (Biden, Moon) in F-35 talks; e.g. it's 3.5% done.";
    let ours: Vec<String> = runs(text).into_iter().map(|r| r.0).collect();
    let uax: Vec<&str> = text.unicode_words().collect();
    assert_eq!(ours, uax);
}

#[test]
fn block_masks_match_the_byte_table() {
    let text =
        "The U.S.-ROK alliance's 2021 summit\t(Biden,\r\nMoon) in F-35 talks; e.g. it's 3.5% done—동맹\x0c\x0b@[`{~";
    let bytes: Vec<u8> = text.bytes().chain(0..=255).collect();
    for block in bytes.windows(64).step_by(7) {
        let block: &[u8; 64] = block.try_into().unwrap();
        assert_eq!(Masks::of(block), Masks::by_table(block));
    }
}

#[test]
fn words_across_blocks_and_long_pieces_are_whole() {
    // Every split point of the 64-byte blocks, a piece longer than a block, non-ASCII next to ASCII.
    let base = "alliance's U.S.-ROK 2021 F35 3.5% e.g. Korea’s 동맹의 a.b.c x' 'y www.mofa.go.kr/eng/ 한·미 (북한) \
                2021년 SK텔레콤 美FTA “동맹” it's 10%↑ 힣 가…";
    for pad in 0..70 {
        let text = format!("{}{base} {} end.", " ".repeat(pad), "z".repeat(pad + 60));
        let mut expected = Vec::new();
        pieces(&text, 0, text.len(), &mut |w, s| expected.push((w.to_string(), s)));
        assert_eq!(runs(&text), expected, "pad {pad}");
    }
}

#[test]
fn hangul_pieces_match_unicode_segmentation() {
    let mut pieces = vec![
        "동맹의".to_string(),
        "(북한)".into(),
        "\"미국\"".into(),
        "한·미".into(),
        "북한.미국".into(),
        "한미-일".into(),
        "![가]?".into(),
        "힣가".into(),
        "가…".into(),
        "北핵".into(),
        "美中…북한".into(),
        "2021년".into(),
        "제1차·2차".into(),
        "한·미·일".into(),
        "·한·".into(),
        "“동맹”".into(),
        "北美1".into(),
        "1·2".into(),
        "10%↑".into(),
        "SK텔레콤".into(),
        "LG전자·KT".into(),
        "K2전차".into(),
        "3D프린터".into(),
        "텔레콤SK".into(),
        "G20정상회의".into(),
        "美FTA".into(),
        "(KT)".into(),
        "ICT…5G".into(),
        "北ICBM".into(),
        "코로나19".into(),
        "a1b2가".into(),
        "128GB·G6".into(),
        "A·B·가".into(),
        "1가2나3다4라5마6바7사8아9자".into(),
        "1가2나3다4라5마6바7사8아9자0차".into(),
    ];
    for c in ['·', '…', '“', '”', '北', '0', '美', 'A', 'z', '7'] {
        pieces.push(format!("통일{c}안보{c}{c}1{c}"));
        pieces.push(format!("{c}가{c}"));
    }
    // Every ASCII character between and after syllables, and syllables from the whole block.
    for b in 0x21u8..0x7F {
        pieces.push(format!("통일{}안보{}", b as char, b as char));
    }
    for code in (0x4E00u32..=0x9FFF).step_by(31) {
        let c = char::from_u32(code).unwrap();
        pieces.push(format!("{c}{c}가1{c}"));
    }
    for code in (0xAC00u32..=0xD7A3).step_by(97) {
        let c = char::from_u32(code).unwrap();
        pieces.push(format!("{c}{c}-{c}"));
    }
    for piece in &pieces {
        let mut fast = Vec::new();
        let handled = hangul_words(piece, &mut |w, s| fast.push((w.to_string(), s)));
        let mut slow = Vec::new();
        for word in piece.unicode_words() {
            split_scripts(word, &mut |w, s| slow.push((w.to_string(), s)));
        }
        if handled {
            assert_eq!(fast, slow, "{piece}");
        } else {
            assert!(fast.is_empty(), "{piece}");
        }
    }
}

#[test]
fn syllable_only_pieces_are_told_exactly_and_are_one_hangul_run() {
    // Every character of three bytes and the blocks' neighbours, alone and between syllables.
    let chars = (0x800u32..=0xFFFF).filter_map(char::from_u32).chain(['a', '1', 'é', '😀']);
    for c in chars {
        for piece in [c.to_string(), format!("가{c}"), format!("{c}힣"), format!("동{c}맹")] {
            let syllables = piece.chars().all(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
            assert_eq!(only_syllables(piece.as_bytes()), syllables, "{piece:?}");
            if syllables {
                let mut runs = Vec::new();
                assert!(hangul_words(&piece, &mut |w, s| runs.push((w.to_string(), s))));
                assert_eq!(runs, [(piece.clone(), Script::Hangul)]);
            }
        }
    }
    assert!(!only_syllables(b""));
}

#[test]
fn mixed_scripts_are_split() {
    assert_eq!(
        runs("ROK-US동맹 2021년 한미동맹의(strategic)"),
        vec![
            ("ROK".into(), Script::Latin),
            ("US".into(), Script::Latin),
            ("동맹".into(), Script::Hangul),
            ("2021".into(), Script::Digits),
            ("년".into(), Script::Hangul),
            ("한미동맹의".into(), Script::Hangul),
            ("strategic".into(), Script::Latin),
        ]
    );
}

#[test]
fn dotted_acronyms_and_possessives_stay_whole() {
    let words: Vec<String> = runs("U.S. policy, Korea’s role — the alliance's").into_iter().map(|r| r.0).collect();
    assert_eq!(words, ["U.S", "policy", "Korea’s", "role", "the", "alliance's"]);
}
