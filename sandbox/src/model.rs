//! Plain value types of the sandbox world: assets, pairs, statuses, and the fee formulas.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places kept for every amount (the wire carries 18 fractional digits).
pub(crate) const SCALE: u32 = 18;

/// Largest amount or price accepted in a request (anything above is `Invalid`).
pub(crate) fn max_input() -> Decimal {
    Decimal::new(1_000_000_000_000_000, 0)
}

/// Commission rate: 0.5 % of the quote-asset value of the base amount.
pub(crate) fn commission_rate() -> Decimal {
    Decimal::new(5, 3)
}

/// Rounds half-even to 18 decimal places.
pub(crate) fn r18(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointNearestEven)
}

/// Rounds toward zero to 18 decimal places.
pub(crate) fn floor18(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(SCALE, RoundingStrategy::ToZero)
}

/// The assets the sandbox knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Asset {
    Usd,
    Usdc,
    Btc,
    Eth,
}

impl Asset {
    pub(crate) const ALL: [Asset; 4] = [Asset::Usd, Asset::Usdc, Asset::Btc, Asset::Eth];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Asset::Usd => "USD",
            Asset::Usdc => "USDC",
            Asset::Btc => "BTC",
            Asset::Eth => "ETH",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Asset> {
        let s = s.trim();
        Asset::ALL
            .into_iter()
            .find(|a| a.code().eq_ignore_ascii_case(s))
    }

    pub(crate) fn display_name(self) -> &'static str {
        match self {
            Asset::Usd => "United States Dollar",
            Asset::Usdc => "USD Coin",
            Asset::Btc => "Bitcoin",
            Asset::Eth => "Ethereum",
        }
    }

    pub(crate) fn is_crypto(self) -> bool {
        self != Asset::Usd
    }

    pub(crate) fn asset_class(self) -> &'static str {
        if self.is_crypto() {
            "Cryptocurrency"
        } else {
            "Currency"
        }
    }

    /// On-chain network fee of one transfer, in units of this asset. Charged on crypto
    /// withdrawals, and (times the pair's price) as the network fee of an exchange whose base
    /// asset this is.
    pub(crate) fn network_fee(self) -> Decimal {
        match self {
            Asset::Usd => Decimal::ZERO,
            Asset::Usdc => Decimal::ONE,
            Asset::Btc => Decimal::new(1, 4),
            Asset::Eth => Decimal::new(1, 3),
        }
    }

    /// The deterministic deposit address of a crypto account.
    pub(crate) fn deposit_address(self, account_id: i64) -> Option<String> {
        match self {
            Asset::Usd => None,
            Asset::Btc => Some(format!("bc1qsandbox{account_id:0>30}")),
            Asset::Eth | Asset::Usdc => Some(format!("0x5a4d{account_id:0>36x}")),
        }
    }
}

impl fmt::Display for Asset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An exchangeable pair: the price is of one unit of `base` in `quote`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Pair {
    pub base: Asset,
    pub quote: Asset,
}

impl Pair {
    pub(crate) const ALL: [Pair; 4] = [
        Pair {
            base: Asset::Btc,
            quote: Asset::Usdc,
        },
        Pair {
            base: Asset::Eth,
            quote: Asset::Usd,
        },
        Pair {
            base: Asset::Usdc,
            quote: Asset::Usd,
        },
        Pair {
            base: Asset::Btc,
            quote: Asset::Usd,
        },
    ];

    pub(crate) fn name(self) -> String {
        format!("{}/{}", self.base.code(), self.quote.code())
    }

    pub(crate) fn parse(s: &str) -> Option<Pair> {
        let (b, q) = s.trim().split_once('/')?;
        let base = Asset::parse(b)?;
        let quote = Asset::parse(q)?;
        Pair::ALL
            .into_iter()
            .find(|p| p.base == base && p.quote == quote)
    }

    /// The seeded price table.
    pub(crate) fn seed_price(self) -> Decimal {
        match (self.base, self.quote) {
            (Asset::Btc, _) => Decimal::new(60_000, 0),
            (Asset::Eth, _) => Decimal::new(3_000, 0),
            _ => Decimal::ONE,
        }
    }

    /// Published limits: (minimum amount of base, maximum amount of base).
    pub(crate) fn amount_limits(self) -> (Decimal, Decimal) {
        match self.base {
            Asset::Btc => (Decimal::new(1, 5), Decimal::new(100, 0)),
            Asset::Eth => (Decimal::new(1, 4), Decimal::new(2_000, 0)),
            _ => (Decimal::ONE, Decimal::new(1_000_000, 0)),
        }
    }

    /// Published limits on the price (quote-asset total): (minimum, maximum).
    pub(crate) fn price_limits(self) -> (Decimal, Decimal) {
        (Decimal::ONE, Decimal::new(10_000_000, 0))
    }
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),* }

        impl $name {
            /// The wire spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),* }
            }

            /// Parses the wire spelling, ignoring ASCII case and surrounding spaces.
            pub fn parse(s: &str) -> Option<Self> {
                let s = s.trim();
                [$($name::$variant),*].into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// Status of an exchange, spelled as on the wire.
    ExchangeStatus {
        WaitingForApproval,
        Rejected,
        WaitingForConfirmation,
        Pending,
        Completed,
        Failed,
    }
);

string_enum!(
    /// Buy or Sell.
    ExchangeType { Buy, Sell }
);

string_enum!(
    /// Whether a request fixes the quote-asset total ("Price") or the base amount ("Amount").
    QuantityType { Price, Amount }
);

/// Transfer types accepted for a sell paid out to a payee.
pub(crate) const TRANSFER_TYPES: [&str; 5] = ["Wire", "ACH", "RTP", "SWIFT", "Internal"];

pub(crate) fn parse_transfer_type(s: &str) -> Option<&'static str> {
    let s = s.trim();
    TRANSFER_TYPES
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(s))
}

/// The terms of an exchange at one market price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Terms {
    /// Base-asset amount exchanged.
    pub amount: Decimal,
    /// Buy: quote asset debited (value + commission + network fee). Sell: value.
    pub price: Decimal,
    /// `price - commission - network fee`: Buy: the value converted. Sell: the proceeds.
    pub net_price: Decimal,
    pub network_fee: Decimal,
    pub commission: Decimal,
    /// Market price of one unit of base in quote used for these terms.
    pub market_price: Decimal,
}

/// Why terms could not be computed: (field, message code).
pub(crate) type TermsError = (&'static str, &'static str);

/// Computes the terms of an exchange. `value` is the requested price (quote-asset total) for
/// `QuantityType::Price`, or the requested base amount for `QuantityType::Amount`.
///
/// Formulas (all in rust_decimal, 18 decimal places):
/// - network fee `N = base.network_fee() * P` (rounded half-even),
/// - amount `A`: given, or derived from a price `Q`: Buy `A = floor((Q - N) / (P * 1.005))`,
///   Sell `A = floor(Q / P)`,
/// - value `V = A * P`, commission `C = 0.005 * V` (rounded half-even); for a price-based buy
///   `C = Q - N - V`, so that the debit is exactly `Q` (0.5 % of `V` up to the rounding of `A`),
/// - Buy: `price = V + C + N`, `netPrice = V`; Sell: `price = V`, `netPrice = V - C - N`.
pub(crate) fn compute_terms(
    pair: Pair,
    kind: ExchangeType,
    qt: QuantityType,
    value: Decimal,
    market_price: Decimal,
) -> Result<Terms, TermsError> {
    let field = match qt {
        QuantityType::Price => "Price",
        QuantityType::Amount => "Amount",
    };
    let overflow = (field, "Invalid");
    let not_positive = (field, "Amount_Must_Be_Positive");
    if value <= Decimal::ZERO {
        return Err(not_positive);
    }
    let p = market_price;
    let n = r18(pair.base.network_fee().checked_mul(p).ok_or(overflow)?);
    let rate = Decimal::ONE + commission_rate();
    let amount = match (qt, kind) {
        (QuantityType::Amount, _) => r18(value),
        (QuantityType::Price, ExchangeType::Buy) => {
            let spendable = value - n;
            if spendable <= Decimal::ZERO {
                return Err(not_positive);
            }
            let unit = p.checked_mul(rate).ok_or(overflow)?;
            floor18(spendable.checked_div(unit).ok_or(overflow)?)
        }
        (QuantityType::Price, ExchangeType::Sell) => floor18(value.checked_div(p).ok_or(overflow)?),
    };
    if amount <= Decimal::ZERO {
        return Err(not_positive);
    }
    let v = r18(amount.checked_mul(p).ok_or(overflow)?);
    let c = match (qt, kind) {
        // The debit of a price-based buy is exactly the requested price: the commission
        // absorbs the rounding remainder of `A` (less than P * 1e-18).
        (QuantityType::Price, ExchangeType::Buy) => value - n - v,
        _ => r18(v.checked_mul(commission_rate()).ok_or(overflow)?),
    };
    let (price, net_price) = match kind {
        ExchangeType::Buy => (v.checked_add(c + n).ok_or(overflow)?, v),
        ExchangeType::Sell => (v, v - c - n),
    };
    if net_price <= Decimal::ZERO {
        return Err(not_positive);
    }
    let (min_a, max_a) = pair.amount_limits();
    if amount < min_a || amount > max_a {
        return Err(("Amount", "Invalid"));
    }
    let (min_p, max_p) = pair.price_limits();
    if price < min_p || price > max_p {
        return Err(("Price", "Invalid"));
    }
    Ok(Terms {
        amount,
        price,
        net_price,
        network_fee: n,
        commission: c,
        market_price: p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn buy_amount_and_price_agree_on_round_numbers() {
        let pair = Pair::parse("btc/usdc").unwrap_or(Pair::ALL[0]);
        let a = compute_terms(
            pair,
            ExchangeType::Buy,
            QuantityType::Amount,
            d("0.1"),
            d("60000"),
        );
        let p = compute_terms(
            pair,
            ExchangeType::Buy,
            QuantityType::Price,
            d("6036"),
            d("60000"),
        );
        let a = a.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(a.price, d("6036"));
        assert_eq!(a.commission, d("30"));
        assert_eq!(a.network_fee, d("6"));
        assert_eq!(a.net_price, d("6000"));
        assert_eq!(p, Ok(a));
    }

    #[test]
    fn sell_amount() {
        let pair = Pair::parse("BTC/USD").unwrap_or(Pair::ALL[0]);
        let t = compute_terms(
            pair,
            ExchangeType::Sell,
            QuantityType::Amount,
            d("0.05"),
            d("60000"),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.price, d("3000"));
        assert_eq!(t.net_price, d("2979"));
    }

    #[test]
    fn fees_above_price_refused() {
        let pair = Pair::ALL[0];
        let t = compute_terms(
            pair,
            ExchangeType::Buy,
            QuantityType::Price,
            d("5"),
            d("60000"),
        );
        assert_eq!(t, Err(("Price", "Amount_Must_Be_Positive")));
    }
}
