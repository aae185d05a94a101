//! Numbers as report text: fixed decimals and shortest round-trip forms, the same text as `format!` gives, written
//! into reused buffers without core's general float formatting (Grisu with a Dragon fallback in exact mode was a
//! third of the time of writing `vocab.csv`: 39,000 rows on the YNAT headlines).

/// Formats a float for CSV with a fixed number of decimals, so reports are byte-identical across runs
/// and machines, and `-0` never appears.
pub fn fmt_f64(x: f64, decimals: usize) -> String {
    let mut s = String::new();
    write_f64(&mut s, x, decimals);
    s
}

/// [`fmt_f64`] into `out` (cleared first), for writers of many rows that reuse one buffer.
pub fn write_f64(out: &mut String, x: f64, decimals: usize) {
    out.clear();
    if x.is_nan() {
        return;
    }
    if !write_fixed(out, x, decimals) {
        super::write_display(out, format_args!("{x:.decimals$}"));
    }
    if out.starts_with('-') && out[1..].chars().all(|c| c == '0' || c == '.') {
        out.remove(0);
    }
}

/// `x` as `{x}` writes it (the shortest text that reads back as `x`, never with an exponent), into `out`
/// (cleared first). By ryu where its text is the same: a fraction between 1e-4 and 1e6 (ryu writes `1.0` where
/// Display writes `1`, and exponents outside that range) that is not itself a short decimal (of 18 significant digits
/// or fewer, which can lie halfway between two shortest candidates, where the two may choose differently).
pub fn write_shortest(out: &mut String, x: f64) {
    if x.fract() != 0.0 && (1e-4..1e6).contains(&x.abs()) && !is_short_decimal(x) {
        out.clear();
        out.push_str(ryu::Buffer::new().format_finite(x));
    } else {
        super::write_display(out, x);
    }
}

/// The magnitude of a finite `x` as mantissa × 2^exponent, exactly (0 for zero).
fn parts(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let (biased, fraction) = ((bits >> 52 & 0x7FF) as i32, bits & ((1 << 52) - 1));
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | 1 << 52, biased - 1075)
    }
}

/// Whether the exact decimal value of `x` (finite, not a whole number) might have 18 significant digits or fewer.
/// `x` = odd × 2^-k has the digits of odd × 5^k, whose count is bounded below from the bits of `odd` and `k`.
fn is_short_decimal(x: f64) -> bool {
    let (mantissa, exponent) = parts(x);
    let zeros = mantissa.trailing_zeros() as i32;
    let (odd_bits, k) = (64 - (mantissa >> zeros).leading_zeros() as i32, -(exponent + zeros));
    let log10_2 = std::f64::consts::LOG10_2;
    f64::from(odd_bits - 1) * log10_2 + f64::from(k) * (1.0 - log10_2) < 18.0
}

/// `x` with `decimals` digits after the point, as `{x:.decimals$}` writes it: its exact binary value scaled by
/// 10^decimals and rounded half to even, in 128-bit integers. Returns false, having written nothing, where the
/// scaled value would not fit in 64 bits (or `x` is not finite): `format!` does those.
fn write_fixed(out: &mut String, x: f64, decimals: usize) -> bool {
    const MAX_DECIMALS: usize = 9;
    if decimals > MAX_DECIMALS || !x.is_finite() {
        return false;
    }
    let (mantissa, exponent) = parts(x);
    let scale = 10u128.pow(decimals as u32);
    // Below 2^83 (a 53-bit mantissa times at most 10^9 < 2^30), so shifts up to 40 stay below 2^123.
    let product = u128::from(mantissa) * scale;
    let scaled = match exponent {
        0.. if exponent > 40 => return false,
        0.. => product << exponent,
        // Below one half: rounds to zero.
        ..=-128 => 0,
        _ => {
            let shift = exponent.unsigned_abs();
            let (whole, rest, half) = (product >> shift, product & ((1 << shift) - 1), 1u128 << (shift - 1));
            whole + u128::from(rest > half || (rest == half && whole & 1 == 1))
        }
    };
    let Ok(scaled) = u64::try_from(scaled) else { return false };
    let scale = scale as u64;
    if x.is_sign_negative() {
        out.push('-');
    }
    let mut digits = itoa::Buffer::new();
    out.push_str(digits.format(scaled / scale));
    if decimals > 0 {
        // The fraction with its leading zeros: written after a 1 that is then left out.
        out.push('.');
        out.push_str(&digits.format(scaled % scale + scale)[1..]);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_stable() {
        assert_eq!(fmt_f64(-0.0000001, 4), "0.0000");
        assert_eq!(fmt_f64(-0.0, 2), "0.00");
        assert_eq!(fmt_f64(0.12345, 3), "0.123");
        assert_eq!(fmt_f64(f64::NAN, 3), "");
        assert_eq!(fmt_f64(f64::INFINITY, 1), "inf");
        assert_eq!(fmt_f64(-2.5, 0), "-2");
    }

    /// Values of every kind: ties at each precision (k / 2^n), integers, tiny and huge magnitudes, subnormals, and
    /// a pseudo-random spread of bit patterns.
    fn samples() -> Vec<f64> {
        let mut xs = vec![0.0, -0.0, 0.5, 1.5, 2.5, 0.125, 0.375, -0.625, 1e-300, 5e-324, 1e15, 1.23e18, 9.9e18, 1e19];
        xs.extend((0..4096).map(|k| k as f64 / 1024.0));
        xs.extend((0..2000).map(|k| (k as f64 - 1000.0) * 0.001));
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..20_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if x.is_finite() {
                xs.push(x);
                // The same mantissa at magnitudes a report holds.
                xs.push(f64::from_bits(state & !(0x7FF << 52) | ((1023 + state % 60 - 30) << 52)));
            }
        }
        xs
    }

    #[test]
    fn fixed_decimals_are_what_format_writes() {
        let mut out = String::new();
        for x in samples() {
            for decimals in 0..=10 {
                write_f64(&mut out, x, decimals);
                let mut expected = format!("{x:.decimals$}");
                if expected.starts_with('-') && expected[1..].chars().all(|c| c == '0' || c == '.') {
                    expected.remove(0);
                }
                assert_eq!(out, expected, "{x:e} to {decimals} decimals");
            }
        }
    }

    #[test]
    fn shortest_forms_are_what_display_writes() {
        let mut out = String::new();
        // Short decimals too: the halfway cases where ryu and Display choose differently (6.629364712329373e14 is
        // 662936471232937.25, which ryu writes .2 and Display .3).
        let short = (1..200).map(|k| 1.0 + f64::from(2 * k + 1) / f64::from(1 << 17)).chain([6.629364712329373e14]);
        for x in samples().into_iter().chain(short).chain([1.0, 3.0, 1e-4, 0.00012, 1e6 - 0.5, 12.0, 1e300]) {
            write_shortest(&mut out, x);
            assert_eq!(out, format!("{x}"), "{x:e}");
        }
    }
}
