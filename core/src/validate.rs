//! Client-side validation (rule 10 of docs/wire-rules.md): a clear error naming the argument, nothing sent.

use rust_decimal::Decimal;

use crate::error::ValidationError;

/// The longest account name and destination address the API accepts.
pub const MAX_TEXT_LEN: usize = 100;

pub(crate) fn positive_id(field: &'static str, id: i64) -> Result<(), ValidationError> {
    if id <= 0 {
        return Err(ValidationError::new(
            field,
            format!("must be a positive id, got {id}"),
        ));
    }
    Ok(())
}

pub(crate) fn positive_amount(field: &'static str, value: &Decimal) -> Result<(), ValidationError> {
    if *value <= Decimal::ZERO {
        return Err(ValidationError::new(
            field,
            format!("must be greater than 0, got {value}"),
        ));
    }
    Ok(())
}

pub(crate) fn required_text(field: &'static str, value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(ValidationError::new(
            field,
            "is required and must not be blank",
        ));
    }
    Ok(())
}

/// Counts characters, not bytes: the API's limit is on the string's length.
pub(crate) fn max_len(field: &'static str, value: &str, max: usize) -> Result<(), ValidationError> {
    let len = value.chars().count();
    if len > max {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters, got {len}"),
        ));
    }
    Ok(())
}

/// `BASE/QUOTE`, e.g. `BTC/USDC`.
pub(crate) fn asset_pair(field: &'static str, value: &str) -> Result<(), ValidationError> {
    required_text(field, value)?;
    match value.trim().split_once('/') {
        Some((base, quote))
            if !base.trim().is_empty() && !quote.trim().is_empty() && !quote.contains('/') =>
        {
            Ok(())
        }
        _ => Err(ValidationError::new(
            field,
            "must look like BASE/QUOTE (e.g. BTC/USDC)",
        )),
    }
}

/// No whitespace anywhere (an address pasted with a stray space or line break).
pub(crate) fn no_whitespace(field: &'static str, value: &str) -> Result<(), ValidationError> {
    if value.chars().any(char::is_whitespace) {
        return Err(ValidationError::new(
            field,
            "must not contain whitespace (a pasted address with a stray space or line break?)",
        ));
    }
    Ok(())
}
