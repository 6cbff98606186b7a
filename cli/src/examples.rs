//! One example per subcommand, shown in its `--help`. The values work against `ibanera sandbox`
//! (its seeded world: customers 1004 and 1005, accounts 1055-1058 and 1060, cards 1201-1203,
//! exchanges from 23000, quotes from 7000, information requests from 4000 once one is opened). A unit test runs every example through clap and `ops::parse`, so an example that
//! stops matching the core's table fails the build's tests, not a user.

use ibanera::ops::OpSpec;

use crate::cli::dashed;

/// The flags of the example of each operation.
const EXAMPLES: &[(&str, &[&str])] = &[
    (
        "accounts.create",
        &[
            "--customers-id",
            "1004",
            "--name",
            "Trading USDC",
            "--asset",
            "USDC",
        ],
    ),
    ("accounts.get", &["1055"]),
    ("accounts.balances", &[]),
    ("accounts.list", &["--customers-id", "1004"]),
    (
        "accounts.transactions",
        &["--accounts-id", "1055", "--from-date", "2024-01-01"],
    ),
    ("accounts.transaction", &["10000"]),
    (
        "accounts.withdraw_crypto",
        &[
            "--accounts-id",
            "1057",
            "--amount",
            "0.005",
            "--destination-address",
            "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh",
        ],
    ),
    ("accounts.deposit_address", &["1057"]),
    ("exchanges.pairs", &[]),
    (
        "exchanges.quote",
        &[
            "--customers-id",
            "1004",
            "--asset-pair",
            "BTC/USDC",
            "--quantity-type",
            "Amount",
            "--exchange-type",
            "Buy",
            "--amount",
            "0.1",
        ],
    ),
    (
        "exchanges.sell",
        &[
            "--customers-id",
            "1004",
            "--asset-pair",
            "BTC/USD",
            "--quantity-type",
            "Amount",
            "--amount",
            "0.05",
        ],
    ),
    (
        "exchanges.buy",
        &[
            "--customers-id",
            "1004",
            "--asset-pair",
            "BTC/USDC",
            "--quantity-type",
            "Price",
            "--price",
            "6036",
        ],
    ),
    (
        "exchanges.list",
        &["--customers-id", "1004", "--status", "WaitingForApproval"],
    ),
    ("exchanges.review_quote", &["23000"]),
    (
        "exchanges.confirm_sell",
        &[
            "--exchanges-id",
            "23000",
            "--amount",
            "0.05",
            "--price",
            "3050",
        ],
    ),
    ("exchanges.cancel", &["23000"]),
    ("cards.list", &[]),
    ("cards.by_customer", &["--customers-id", "1005"]),
    ("cards.balances", &["--customers-id", "1005"]),
    (
        "cards.transactions",
        &["--cards-id", "1203", "--from-date", "2024-01-01"],
    ),
    ("cards.get", &["1203"]),
    ("cards.sensitive_details", &["1203"]),
    (
        "cards.transfer_funds",
        &[
            "--transfer-type",
            "TopUpCard",
            "--amount",
            "10",
            "--currency-type",
            "USD",
            "--customers-id",
            "1005",
            "--destination-card-id",
            "1203",
            "--customer-asset-account-id",
            "1060",
        ],
    ),
    (
        "cards.create",
        &[
            "--customers-id",
            "1005",
            "--currency",
            "USD",
            "--card-reference-id",
            "CARD-REF-001",
            "--shipping-method",
            "Standard",
            "--card-program-id",
            "1002",
            // One word (`--flag=JSON` without spaces), so help wrapping cannot split it.
            r#"--shipping-address={"shippingAddressLine1":"Suite-500","shippingAddressCity":"Austin","shippingAddressState":"TX","shippingAddressPostcode":"73301","shippingAddressCountry":"USA"}"#,
        ],
    ),
    ("fx.pairs", &[]),
    (
        "simulations.payin",
        &[
            "--destination-account-id",
            "1055",
            "--transfer-type",
            "ACH",
            "--amount",
            "5",
        ],
    ),
    ("information_requests.list", &["--customers-id", "1005"]),
    ("information_requests.get", &["4000"]),
    ("transactions.cancellation_eligibility", &["10000"]),
];

/// The example's flags; an operation without a written example gets its positional argument
/// or nothing (a unit test flags the gap).
pub fn words(op: &OpSpec) -> Vec<&'static str> {
    EXAMPLES
        .iter()
        .find(|(name, _)| *name == op.name)
        .map(|(_, words)| words.to_vec())
        .unwrap_or_default()
}

#[cfg(test)]
fn has_example(op: &OpSpec) -> bool {
    EXAMPLES.iter().any(|(name, _)| *name == op.name)
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Help lines are kept this short so that help wrapping never splits a command.
const LINE: usize = 72;

/// `ibanera accounts get 1055`, continued with ` \` past [`LINE`] columns (a flag stays with
/// its value).
pub fn command_line_with(op: &OpSpec, extra: &[&str]) -> String {
    let mut words: Vec<String> = vec!["ibanera".into(), dashed(op.area()), dashed(op.method())];
    words.extend(self::words(op).iter().map(|w| shell_quote(w)));
    // Extras are shell syntax already (`> file`).
    words.extend(extra.iter().map(|w| w.to_string()));
    // Pair each flag with its value.
    let mut groups: Vec<String> = Vec::new();
    for w in words {
        match groups.last_mut() {
            Some(last)
                if (last.starts_with('-') || last == ">")
                    && !last.contains(' ')
                    && !w.starts_with('-') =>
            {
                last.push(' ');
                last.push_str(&w);
            }
            _ => groups.push(w),
        }
    }
    let mut text = String::new();
    let mut line_len = 0;
    for g in groups {
        if line_len > 0 && line_len + 1 + g.len() > LINE {
            text.push_str(" \\\n      ");
            line_len = 6;
        } else if line_len > 0 {
            text.push(' ');
            line_len += 1;
        }
        line_len += g.len();
        text.push_str(&g);
    }
    text
}

pub fn command_line(op: &OpSpec) -> String {
    command_line_with(op, &[])
}

/// The `after_help` of an operation's subcommand.
pub fn help_text(op: &OpSpec) -> String {
    let mut text = format!(
        "{} {}\n\nExample:\n  $ {}",
        op.endpoint.method,
        op.endpoint.path,
        command_line(op)
    );
    if op.is_paged() {
        let file = format!("{}.csv", op.method());
        text.push_str(&format!(
            "\n  $ {}",
            command_line_with(
                op,
                &["--all", "--page-size", "100", "-o", "csv", ">", &file]
            )
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_an_example() {
        for op in ibanera::ops::OPERATIONS {
            assert!(has_example(op), "{} has no example", op.name);
        }
        for (name, _) in EXAMPLES {
            assert!(
                ibanera::ops::find(name).is_some(),
                "{name} is not an operation"
            );
        }
    }

    #[test]
    fn long_examples_are_continued() {
        let op = ibanera::ops::find("exchanges.quote").unwrap();
        let text = command_line(op);
        assert!(text.contains(" \\\n      --"), "{text}");
        assert!(text.lines().all(|l| l.len() <= LINE + 2), "{text}");
        let get = ibanera::ops::find("accounts.get").unwrap();
        assert_eq!(command_line(get), "ibanera accounts get 1055");
    }

    #[test]
    fn quoting() {
        assert_eq!(shell_quote("BTC/USDC"), "BTC/USDC");
        assert_eq!(shell_quote("Trading USDC"), "'Trading USDC'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }
}
