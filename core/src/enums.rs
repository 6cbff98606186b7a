//! Wire enums that keep unknown values verbatim (rule 8 of docs/wire-rules.md).

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

use crate::error::ValidationError;

/// Defines an enum of known wire values plus `Other(String)` for values the provider adds later.
/// Decoding never fails on an unknown value; user input (`parse_input`) is checked instead, so a
/// typo is caught before anything is sent.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this SDK does not know yet, kept exactly as received.
            Other(String),
        }

        impl $name {
            /// Every documented value, in the spec's order.
            pub const KNOWN: &'static [&'static str] = &[$($wire),+];

            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)+
                    $name::Other(s) => s.as_str(),
                }
            }

            /// Reads a received value: known values match case-insensitively, anything else
            /// (trimmed) is kept in `Other`.
            pub fn from_wire(s: &str) -> Self {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($wire) { return $name::$variant; })+
                $name::Other(t.to_string())
            }

            /// Reads a value a user passed for `field`: only documented values are accepted
            /// (case-insensitively), so a typo fails before anything is sent.
            pub fn parse_input(field: &'static str, s: &str) -> Result<Self, ValidationError> {
                match Self::from_wire(s) {
                    $name::Other(_) => Err(ValidationError::new(
                        field,
                        format!("must be one of {}", Self::KNOWN.join(", ")),
                    )),
                    known => Ok(known),
                }
            }

            /// True for a value outside the documented set.
            pub fn is_unknown(&self) -> bool {
                matches!(self, $name::Other(_))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from_wire(s)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                // Known values, or any other string kept verbatim.
                schemars::json_schema!({"anyOf": [{"enum": Self::KNOWN}, {"type": "string"}]})
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::from_wire(v))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

wire_enum!(
    /// Buy or sell.
    ExchangeType {
        Buy => "Buy",
        Sell => "Sell",
    }
);

wire_enum!(
    /// Where an exchange is in its lifecycle.
    ExchangeStatus {
        /// Awaiting review by the transaction compliance team.
        WaitingForApproval => "WaitingForApproval",
        /// Rejected by transaction compliance.
        Rejected => "Rejected",
        /// The price moved during review: the customer must confirm or cancel.
        WaitingForConfirmation => "WaitingForConfirmation",
        AwaitingRfi => "AwaitingRfi",
        /// Processing.
        Pending => "Pending",
        Completed => "Completed",
        /// Failed or voided (also the state after a cancel).
        Failed => "Failed",
    }
);

wire_enum!(
    /// Whether the price (quote-asset value) or the amount (base-asset quantity) is fixed.
    QuantityType {
        Price => "Price",
        Amount => "Amount",
    }
);

wire_enum!(
    /// How sale proceeds travel to a payee.
    TransferType {
        /// FedWire, US accounts.
        Wire => "Wire",
        Ach => "ACH",
        /// Real-time US payments (FedNow).
        Rtp => "RTP",
        /// International accounts.
        Swift => "SWIFT",
        /// Internal transfer to an Ibanera fiat account.
        Internal => "Internal",
    }
);

wire_enum!(
    /// Which way `cards.transfer_funds` moves money.
    CardTransferType {
        /// From an asset account onto a card.
        TopUpCard => "TopUpCard",
        /// From a card back to an asset account.
        TopUpAccount => "TopUpAccount",
        /// From one card to another (USD only).
        CardToCard => "CardToCard",
    }
);

wire_enum!(
    /// The currency of a card transfer: USD, or dUSD (a subledger customer's account).
    CardCurrency {
        Usd => "USD",
        DUsd => "dUSD",
    }
);

wire_enum!(
    /// How a physical card is shipped.
    ShippingMethod {
        Standard => "Standard",
        Express => "Express",
    }
);

wire_enum!(
    /// A physical or a virtual card.
    CardType {
        Physical => "Physical",
        Virtual => "Virtual",
    }
);

wire_enum!(
    /// The legal form of a business (a card's business review details).
    EntityType {
        Llc => "LLC",
        Corporation => "Corporation",
        Partnership => "Partnership",
        SoleProprietor => "Sole Proprietor",
    }
);

wire_enum!(
    /// How a simulated deposit arrives: ACH or WIRE for a US account, SWIFT for an
    /// international one.
    PayinTransferType {
        Ach => "ACH",
        Wire => "WIRE",
        Swift => "SWIFT",
    }
);

wire_enum!(
    /// Category of an asset.
    AssetClass {
        Currency => "Currency",
        Cryptocurrency => "Cryptocurrency",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_values_are_kept() {
        let s: ExchangeStatus = serde_json::from_str(r#""OnHold""#).unwrap();
        assert_eq!(s, ExchangeStatus::Other("OnHold".into()));
        assert_eq!(serde_json::to_string(&s).unwrap(), r#""OnHold""#);
        let t: TransferType = serde_json::from_str(r#""ach""#).unwrap();
        assert_eq!(t, TransferType::Ach);
        assert_eq!(t.as_str(), "ACH");
        assert!(ExchangeStatus::from_wire("text").is_unknown());
    }

    #[test]
    fn user_input_is_checked() {
        assert_eq!(
            TransferType::parse_input("transfer_type", "swift").unwrap(),
            TransferType::Swift
        );
        let e = TransferType::parse_input("transfer_type", "Wirre").unwrap_err();
        assert_eq!(e.field, "transfer_type");
        assert!(
            e.rule.contains("Wire, ACH, RTP, SWIFT, Internal"),
            "{}",
            e.rule
        );
    }
}
