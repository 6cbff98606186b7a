//! Exact decimals on the wire (rule 6 of docs/wire-rules.md).
//!
//! Money arrives as JSON numbers with up to 18 fractional digits. It is read from the number's
//! text (serde_json's `arbitrary_precision`), never through `f64`, and written back as an exact
//! JSON number. A value needing more than 28 significant digits once its trailing zeros are
//! dropped is rounded half-even to what `rust_decimal` can hold instead of failing the call.

use rust_decimal::Decimal;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

/// The most significant digits a [`Decimal`] holds for any value.
const MAX_DIGITS: usize = 28;
/// The largest scale a [`Decimal`] supports.
const MAX_SCALE: u32 = 28;

/// The exact value of decimal text as (negative, significant digits, power of ten of the last
/// digit); zero is `(false, "", 0)`. `None` when the text is not a decimal number.
fn exact_value(text: &str) -> Option<(bool, String, i64)> {
    let s = text.trim();
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], body[i + 1..].parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let mut power = exponent.checked_sub(frac_part.len() as i64)?;
    let trimmed_end = digits.trim_end_matches('0');
    power = power.checked_add((digits.len() - trimmed_end.len()) as i64)?;
    let significant = trimmed_end.trim_start_matches('0');
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, significant.to_string(), power))
}

/// Parses decimal text a user asks to send: exactly, or not at all. Unlike [`parse_decimal`]
/// (for what the API sends), a value that a [`Decimal`] cannot hold exactly (more than 28
/// significant digits, or more than 28 decimal places) is refused, never rounded: a rounded
/// amount would move different money.
pub fn parse_decimal_exact(text: &str) -> Result<Decimal, String> {
    let d = parse_decimal(text)?;
    let wanted = exact_value(text).ok_or_else(|| "is not a decimal number".to_string())?;
    let got = exact_value(&d.to_string()).ok_or_else(|| "is not a decimal number".to_string())?;
    if wanted != got {
        return Err(format!(
            "has more digits than can be sent exactly (at most {MAX_DIGITS} significant digits and {MAX_SCALE} decimal places)"
        ));
    }
    Ok(d)
}

/// Parses decimal text exactly, keeping its scale (`"100.00"` stays `100.00`).
///
/// Accepts an optional sign, digits with an optional fraction, and an optional exponent
/// (`1.5e-3`), as JSON numbers may be written. Values with more than 28 significant digits are
/// rounded half-even; only a magnitude beyond `Decimal::MAX` (about 7.9e28) is an error.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let s = text.trim();
    // Fast path: plain digits that rust_decimal holds exactly (every amount the API sends).
    if s.len() <= 30 && !s.contains(['e', 'E', '_']) {
        if let Ok(d) = Decimal::from_str_exact(s) {
            if d.mantissa().unsigned_abs() < 10u128.pow(MAX_DIGITS as u32) {
                // Money has no negative zero.
                return Ok(if d.is_zero() {
                    Decimal::new(0, d.scale())
                } else {
                    d
                });
            }
        }
    }
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => {
            let exp: i64 = body[i + 1..]
                .parse()
                .map_err(|_| format!("`{text}` is not a decimal number"))?;
            (&body[..i], exp)
        }
        None => (body, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.bytes().all(|b| b.is_ascii_digit())
        || !frac_part.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("`{text}` is not a decimal number"));
    }
    // digits * 10^-scale, scale possibly negative before normalisation.
    let mut digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b - b'0')
        .collect();
    let mut scale: i64 = frac_part.len() as i64 - exponent;
    if scale < 0 {
        if -scale > 64 {
            return Err(format!("`{text}` is out of range for a decimal"));
        }
        digits.extend(std::iter::repeat_n(0, (-scale) as usize));
        scale = 0;
    }
    // Leading zeros carry no value.
    let first_nonzero = digits.iter().position(|&d| d != 0).unwrap_or(digits.len());
    digits.drain(..first_nonzero);
    if digits.is_empty() {
        // Zero: keep the scale the text gave (0.000 stays 0.000) up to the maximum; "-0" is
        // plain zero (money has no negative zero).
        let scale = scale.min(MAX_SCALE as i64) as u32;
        return Ok(Decimal::new(0, scale));
    }
    if let Some(d) = assemble(&digits, scale, negative) {
        return Ok(d);
    }
    // Too many digits: drop trailing fractional zeros first (they change no value), only as
    // many as needed so the scale received is kept as far as possible.
    while (digits.len() > MAX_DIGITS || scale > MAX_SCALE as i64)
        && scale > 0
        && digits.last() == Some(&0)
    {
        digits.pop();
        scale -= 1;
    }
    if let Some(d) = assemble(&digits, scale, negative) {
        return Ok(d);
    }
    // Still too many: round half-even to 28 significant digits and a scale of at most 28.
    let excess_digits = digits.len().saturating_sub(MAX_DIGITS) as i64;
    let excess_scale = (scale - MAX_SCALE as i64).max(0);
    let drop = excess_digits.max(excess_scale);
    if drop > scale {
        return Err(format!("`{text}` is out of range for a decimal"));
    }
    let drop = drop as usize;
    if drop >= digits.len() {
        // Every significant digit lies below the rounding position (0.000...0001 with more
        // than 28 places): pad so one kept digit (0) remains, and round that.
        let pad = drop + 1 - digits.len();
        digits.splice(0..0, std::iter::repeat_n(0, pad));
    }
    let keep_len = digits.len() - drop;
    let (kept, rest) = digits.split_at(keep_len);
    let mut kept = kept.to_vec();
    let round_up = match rest.first() {
        Some(&d) if d > 5 => true,
        Some(&5) => rest[1..].iter().any(|&d| d != 0) || kept.last().is_some_and(|d| d % 2 == 1),
        _ => false,
    };
    if round_up {
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                break;
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    let mut scale = scale - drop as i64;
    if kept.len() > MAX_DIGITS && scale > 0 && kept.last() == Some(&0) {
        kept.pop();
        scale -= 1;
    }
    if kept.is_empty() {
        kept.push(0);
    }
    assemble(&kept, scale, negative)
        .ok_or_else(|| format!("`{text}` is out of range for a decimal"))
}

/// Builds a Decimal from significant digits and a scale, or `None` if it does not fit.
fn assemble(digits: &[u8], scale: i64, negative: bool) -> Option<Decimal> {
    if scale > MAX_SCALE as i64 || digits.len() > MAX_DIGITS {
        return None;
    }
    let mut mantissa: i128 = 0;
    for &d in digits {
        mantissa = mantissa * 10 + d as i128;
    }
    if negative {
        mantissa = -mantissa;
    }
    Decimal::try_from_i128_with_scale(mantissa, scale as u32).ok()
}

struct DecimalVisitor;

impl<'de> Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a decimal number")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_decimal(v).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
        // serde_json hands a number decoded from a `Value` over as an f64 when its text is the
        // f64's shortest form (`1.0`), which `{:?}` reproduces with its scale (`Display` would
        // give `1` and lose it). Other deserializers have no text to keep.
        parse_decimal(&format!("{v:?}")).map_err(E::custom)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        // serde_json's arbitrary_precision hands a number over as a one-entry map: its private
        // token as the key, the number's exact text as the value. The text is read in place
        // (no `serde_json::Number`, which would check it a second time); any other object is
        // refused.
        match map.next_key_seed(NumberToken)? {
            Some(true) => map.next_value_seed(DecimalText),
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

/// The key of serde_json's arbitrary-precision number map (`true` when it is that token).
struct NumberToken;

/// serde_json's private token for arbitrary-precision numbers (stable since serde_json 1.0.0).
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

impl<'de> de::DeserializeSeed<'de> for NumberToken {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = bool;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
                Ok(v == NUMBER_TOKEN)
            }
        }
        d.deserialize_str(V)
    }
}

/// A number's text, parsed straight into a Decimal.
struct DecimalText;

impl<'de> de::DeserializeSeed<'de> for DecimalText {
    type Value = Decimal;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_str(DecimalVisitor)
    }
}

/// Serde helpers for money fields as they travel on the wire: read from a JSON number (or a
/// numeric string), written as an exact JSON number.
pub mod wire {
    use super::*;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(&to_json_number(value), s)
    }

    /// The same, for optional fields: `null` and absent are `None`.
    pub mod option {
        use super::*;

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
            struct Opt;
            impl<'de> Visitor<'de> for Opt {
                type Value = Option<Decimal>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a decimal number or null")
                }
                fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(DecimalVisitor).map(Some)
                }
            }
            d.deserialize_option(Opt)
        }

        pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::serialize(v, s),
                None => s.serialize_none(),
            }
        }
    }
}

/// An exact JSON number with the decimal's digits and scale (`100.00` stays `100.00`).
pub fn to_json_number(value: &Decimal) -> serde_json::Number {
    // Decimal's Display never uses an exponent, so the text is a valid JSON number.
    serde_json::Number::from_string_unchecked(value.to_string())
}

/// Serializes money for users (Node objects, CLI JSON, `to_dict`): a string with the exact digits.
pub(crate) mod user {
    use super::*;

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => s.collect_str(v),
                None => s.serialize_none(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slow decoding path goes through a `serde_json::Value` (a repeated key); the scale of
    /// every amount survives it.
    #[test]
    fn amounts_keep_their_scale_through_a_json_value() {
        #[derive(serde::Deserialize)]
        struct M {
            #[serde(deserialize_with = "crate::decimal::wire::deserialize")]
            a: Decimal,
        }
        for text in [
            "1.0",
            "2.5",
            "100.00",
            "58.983359712153660000",
            "0.000008518119213712",
            "1e-7",
            "0.0000001",
            "-3.0",
        ] {
            let v: serde_json::Value = serde_json::from_str(&format!("{{\"a\":{text}}}")).unwrap();
            let via_value: M = serde_json::from_value(v).unwrap();
            let direct: M = serde_json::from_str(&format!("{{\"a\":{text}}}")).unwrap();
            assert_eq!(via_value.a.to_string(), direct.a.to_string(), "{text}");
            assert_eq!(via_value.a.scale(), direct.a.scale(), "{text}");
        }
    }

    fn p(s: &str) -> String {
        parse_decimal(s).unwrap().to_string()
    }

    #[test]
    fn keeps_digits_and_scale() {
        assert_eq!(p("999935.160000000000000000"), "999935.160000000000000000");
        assert_eq!(p("-50.000000000000000000"), "-50.000000000000000000");
        assert_eq!(p("0.0"), "0.0");
        assert_eq!(p("100.00"), "100.00");
        assert_eq!(p("10"), "10");
        assert_eq!(p("0.00037578"), "0.00037578");
        assert_eq!(p("5037.320301634090314320"), "5037.320301634090314320");
        assert_eq!(p("0.000000000000000000"), "0.000000000000000000");
    }

    #[test]
    fn exponents_and_signs() {
        assert_eq!(p("1.5e-3"), "0.0015");
        assert_eq!(p("2E2"), "200");
        assert_eq!(p("+7"), "7");
        assert_eq!(p("-0.5"), "-0.5");
        assert_eq!(p("-0.00"), "0.00");
    }

    #[test]
    fn drops_trailing_zeros_before_rounding() {
        // 30 digits with trailing zeros: exact once two of them go.
        assert_eq!(
            p("12345678901.0000000000000000000"),
            "12345678901.00000000000000000"
        );
    }

    #[test]
    fn rounds_half_even_beyond_28_digits() {
        // 31 significant digits -> 28.
        assert_eq!(
            p("1000000000000.000000000000000001"),
            "1000000000000.000000000000000"
        );
        assert_eq!(
            p("1.0000000000000000000000000005"),
            "1.000000000000000000000000000"
        );
        assert_eq!(
            p("1.0000000000000000000000000015"),
            "1.000000000000000000000000002"
        );
        assert_eq!(
            p("1.00000000000000000000000000051"),
            "1.000000000000000000000000001"
        );
        assert_eq!(
            p("-2.99999999999999999999999999999"),
            "-3.000000000000000000000000000"
        );
        // Scale beyond 28 with few digits: rounded at the 28th fractional digit.
        assert_eq!(
            p("0.00000000000000000000000000015"),
            "0.0000000000000000000000000002"
        );
    }

    /// Random shapes of number text (long digit runs, leading/trailing zeros, exponents): the
    /// parser never panics, and whatever it returns is within half a unit of the last place.
    #[test]
    fn never_panics_on_any_shape() {
        let mut rng = fastrand::Rng::with_seed(6238);
        for _ in 0..50_000 {
            let mut t = String::new();
            if rng.bool() {
                t.push('-');
            }
            for _ in 0..rng.usize(0..40) {
                t.push(if rng.u8(0..4) == 0 {
                    '0'
                } else {
                    char::from(b'0' + rng.u8(0..10))
                });
            }
            if rng.bool() {
                t.push('.');
                for _ in 0..rng.usize(0..45) {
                    t.push(if rng.u8(0..3) == 0 {
                        '0'
                    } else {
                        char::from(b'0' + rng.u8(0..10))
                    });
                }
            }
            if rng.u8(0..4) == 0 {
                t.push_str(&format!("e{}", rng.i32(-70..70)));
            }
            if let Ok(d) = parse_decimal(&t) {
                assert!(d.scale() <= 28, "{t} -> {d}");
                // Whatever rust_decimal holds exactly is kept exactly, scale included.
                if let Ok(exact) = Decimal::from_str_exact(&t) {
                    if !t.contains('e') && exact.mantissa().unsigned_abs() < 10u128.pow(28) {
                        assert_eq!(d.to_string(), exact.to_string(), "{t}");
                    }
                }
            }
        }
    }

    #[test]
    fn inputs_are_exact_or_refused() {
        for ok in [
            "0.005",
            "100.00",
            "-0",
            "1e3",
            "1.5E-3",
            "1234567890123456789012345678",
            "0.0000000000000000000000000001",
            "79228162514264337593543950.3300",
        ] {
            let d = parse_decimal_exact(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(exact_value(&d.to_string()), exact_value(ok), "{ok}");
        }
        for too_long in [
            "1000000000000.0000000000000000000000000000001",
            "1234567890123456789012345.6789",
            "0.00000000000000000000000000001",
            "123456789012345678901234567890123456789012.34",
        ] {
            let e = parse_decimal_exact(too_long).unwrap_err();
            assert!(
                e.contains("exactly") || e.contains("out of range"),
                "{too_long}: {e}"
            );
        }
        assert!(parse_decimal_exact("abc").is_err());
    }

    #[test]
    fn refuses_what_is_not_a_number_or_too_large() {
        assert!(parse_decimal("abc").is_err());
        assert!(parse_decimal("").is_err());
        assert!(parse_decimal("1.2.3").is_err());
        assert!(parse_decimal("NaN").is_err());
        assert!(parse_decimal("100000000000000000000000000000000").is_err());
    }

    #[test]
    fn json_numbers_round_trip_exactly() {
        #[derive(serde::Deserialize, serde::Serialize)]
        struct T {
            #[serde(with = "wire")]
            a: Decimal,
            #[serde(with = "wire::option", default)]
            b: Option<Decimal>,
        }
        let t: T = serde_json::from_str(r#"{"a": 58.983359712153660000, "b": null}"#).unwrap();
        assert_eq!(t.a.to_string(), "58.983359712153660000");
        assert_eq!(t.b, None);
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"a":58.983359712153660000,"b":null}"#
        );
        let t: T = serde_json::from_str(r#"{"a": "1.10", "b": 2}"#).unwrap();
        assert_eq!(t.a.to_string(), "1.10");
        assert_eq!(t.b.unwrap().to_string(), "2");
        // Through serde_json::Value as well (the repeated-key path).
        let v: serde_json::Value = serde_json::from_str(r#"{"a": 0.100000000000000000}"#).unwrap();
        let t: T = serde_json::from_value(v).unwrap();
        assert_eq!(t.a.to_string(), "0.100000000000000000");
        // An object is not a number, even one shaped like serde_json's number map.
        assert!(serde_json::from_str::<T>(r#"{"a": {"x": "1.5"}}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": true}"#).is_err());
    }
}
