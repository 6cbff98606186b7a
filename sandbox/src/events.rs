//! The callback events of the world's changes, and the data of triggered ones. Data keys are
//! spelled as the provider's callback examples spell them (PascalCase, `bX` flags), money is an
//! exact JSON number with the amount's own digits (`25`, `0.0001`, `-100`), timestamps are
//! shaped like the examples (`2023-10-16T14:14:44.43+00:00`; the managee callbacks without an
//! offset: `2024-04-04T15:41:52.15`).

use chrono::{DateTime, Timelike, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Number, Value, json};
use sha2::{Digest, Sha256};

use crate::error::SandboxError;
use crate::model::{Asset, ExchangeStatus, ExchangeType, Pair, QuantityType};
use crate::webhooks::{EventType, PendingEvent, WebhookEvent, guid};
use crate::world::{
    EXTERNAL_BTC, Exchange, MANAGEE_ID, MANAGER_ID, TX_START, Tx, TxKind, TxStatus, World,
};

/// `ManageeCustomerUsersId` of the seeded managee's login (a customer's user ids are the
/// customer id plus this).
pub(crate) const CUSTOMER_USER_OFFSET: i64 = 1000;
/// `TopUpCardsId` of a triggered `MANAGEE_CARD_APPROVAL_UPDATED`: the managee's card.
pub(crate) const MANAGEE_CARD_ID: i64 = crate::cards::MANAGEE_CARD;
/// `UpdatedInformationRequestIds` of a triggered information-request callback when no
/// request was opened yet.
pub(crate) const DEFAULT_INFORMATION_REQUEST_ID: i64 = crate::rfi::RFI_START;

/// Sender of the sandbox's fiat deposits (also in the transactions' ACH details).
pub(crate) const SENDER_ROUTING: &str = "011000015";
pub(crate) const SENDER_ACCOUNT: &str = "0123456789";
pub(crate) const SENDER_NAME: &str = "Sandbox Originator";
pub(crate) const SENDER_SWIFT: &str = "SBXBGB2L";
pub(crate) const SENDER_IBAN: &str = "GB33BUKB20201555555555";

/// Money in a callback: an exact JSON number, trailing zeros dropped.
pub(crate) fn plain(d: Decimal) -> Value {
    let text = d.normalize().to_string();
    serde_json::from_str::<Number>(&text)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn fraction(t: DateTime<Utc>) -> String {
    let n = t.nanosecond() % 1_000_000_000 / 100;
    if n == 0 {
        return String::new();
    }
    let digits = format!("{n:07}");
    format!(".{}", digits.trim_end_matches('0'))
}

/// `2023-10-16T14:14:44.43+00:00`: up to 7 fractional digits, trailing zeros dropped.
pub(crate) fn callback_time(t: DateTime<Utc>) -> String {
    format!("{}{}+00:00", t.format("%Y-%m-%dT%H:%M:%S"), fraction(t))
}

/// `2024-04-04T15:41:52.15`: like [`callback_time`] without the offset (the managee
/// callbacks' examples).
pub(crate) fn callback_local_time(t: DateTime<Utc>) -> String {
    format!("{}{}", t.format("%Y-%m-%dT%H:%M:%S"), fraction(t))
}

/// A deterministic chain transaction hash for a sandbox transaction: 64 hex digits (`0x` first
/// on Ethereum).
fn tx_hash(asset: Asset, id: i64) -> String {
    let digest: [u8; 32] = Sha256::digest(format!("ibanera-sandbox-tx-{id}").as_bytes()).into();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    if asset == Asset::Btc {
        hex
    } else {
        format!("0x{hex}")
    }
}

/// What the external sender of a crypto deposit paid the network: the chain's own asset
/// (a USDC transfer pays its gas in ETH).
fn deposit_network_fee(asset: Asset) -> (Asset, Decimal) {
    match asset {
        Asset::Btc => (Asset::Btc, Decimal::new(141, 8)),
        Asset::Eth => (Asset::Eth, Decimal::new(21, 6)),
        Asset::Usdc => (Asset::Eth, Decimal::new(8_518_119_213_712, 18)),
        Asset::Usd => (Asset::Usd, Decimal::ZERO),
    }
}

fn crypto_status(s: TxStatus) -> &'static str {
    s.as_str()
}

/// An ordered object from (key, value) pairs.
fn object(pairs: Vec<(&str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// The defaults with the overrides applied: an override whose key matches a default key
/// ignoring case replaces it in place (with the override's spelling); the others follow.
fn merge(defaults: Value, overrides: &Map<String, Value>) -> Value {
    let Value::Object(defaults) = defaults else {
        return Value::Object(overrides.clone());
    };
    let mut used = vec![false; overrides.len()];
    let mut out = Map::new();
    for (k, v) in defaults {
        match overrides
            .iter()
            .enumerate()
            .find(|(_, (ok, _))| ok.eq_ignore_ascii_case(&k))
        {
            Some((i, (ok, ov))) => {
                used[i] = true;
                out.insert(ok.clone(), ov.clone());
            }
            None => {
                out.insert(k, v);
            }
        }
    }
    for (i, (k, v)) in overrides.iter().enumerate() {
        if !used[i] {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

impl World {
    pub(crate) fn emit(&mut self, kind: EventType, data: Value) {
        self.outbox.push(PendingEvent::new(kind, data));
    }

    /// The events of the changes made since the last call.
    pub(crate) fn take_events(&mut self) -> Vec<PendingEvent> {
        std::mem::take(&mut self.outbox)
    }

    // ----- the events of state changes -----

    pub(crate) fn emit_exchange(&mut self, id: i64) {
        if let Some(ex) = self.exchanges.get(&id) {
            let data = self.exchange_data(ex);
            self.emit(EventType::ExchangeStatusUpdated, data);
        }
    }

    pub(crate) fn emit_crypto(&mut self, kind: EventType, tx_id: i64, status: TxStatus) {
        if let Some(tx) = self.tx(tx_id) {
            let data = self.crypto_data(tx, status);
            self.emit(kind, data);
        }
    }

    /// A credited deposit: crypto deposits are created Pending and updated at once to their
    /// status; fiat deposits are received.
    pub(crate) fn emit_deposit(&mut self, tx_id: i64) {
        let Some(tx) = self.tx(tx_id) else { return };
        let status = tx.status;
        if self.asset_of(tx).is_crypto() {
            self.emit_crypto(EventType::CryptoDepositCreated, tx_id, TxStatus::Pending);
            if status != TxStatus::Pending {
                self.emit_crypto(EventType::CryptoDepositUpdated, tx_id, status);
            }
        } else {
            let data = self.fiat_deposit_data(tx);
            self.emit(EventType::FiatDepositReceived, data);
        }
    }

    /// A pending withdrawal or deposit was settled or failed.
    pub(crate) fn emit_settled(&mut self, tx_id: i64) {
        let Some(tx) = self.tx(tx_id) else { return };
        let (kind, status, crypto) = (tx.kind, tx.status, self.asset_of(tx).is_crypto());
        match (kind, crypto) {
            (TxKind::Withdrawal, true) => {
                self.emit_crypto(EventType::CryptoWithdrawalUpdated, tx_id, status)
            }
            (TxKind::Deposit, true) => {
                self.emit_crypto(EventType::CryptoDepositUpdated, tx_id, status)
            }
            _ => {
                let data = self.transaction_status_data(tx);
                self.emit(EventType::TransactionStatusUpdated, data);
            }
        }
    }

    fn asset_of(&self, tx: &Tx) -> Asset {
        self.accounts
            .get(&tx.account_id)
            .map(|a| a.asset)
            .unwrap_or(Asset::Usd)
    }

    // ----- data -----

    /// `EXCHANGE_STATUS_UPDATED`.
    pub(crate) fn exchange_data(&self, ex: &Exchange) -> Value {
        let done = ex.status == ExchangeStatus::Completed;
        let mut pairs = vec![
            ("Id", json!(ex.id)),
            ("ExchangeType", json!(ex.kind.as_str())),
            ("Status", json!(ex.status.as_str())),
            ("FromTransactionsId", json!(ex.from_tx)),
            ("ToTransactionsId", json!(ex.to_tx)),
            ("ManageesId", json!(ex.customer_id)),
            ("AssetPair", json!(ex.pair.name())),
            ("RequestAmount", plain(ex.terms.amount)),
            ("RequestPrice", plain(ex.terms.price)),
            (
                "ExecutedAmount",
                if done {
                    plain(ex.terms.amount)
                } else {
                    Value::Null
                },
            ),
            (
                "ExecutedPrice",
                if done {
                    plain(ex.terms.price)
                } else {
                    Value::Null
                },
            ),
            ("CommissionFee", plain(ex.terms.commission)),
            ("PayeesId", json!(ex.payees_id)),
        ];
        // The page: TransferType is present when PayeesId is not null.
        if ex.payees_id.is_some() {
            pairs.push(("TransferType", json!(ex.transfer_type)));
        }
        pairs.extend([
            ("bHasOpenRfi", json!(self.exchange_has_open_rfi(ex))),
            ("FromCustomerAssetAccountId", json!(ex.from_account)),
            ("ToCustomerAssetAccountId", json!(ex.to_account)),
        ]);
        object(pairs)
    }

    /// `CRYPTO_DEPOSIT_*` / `CRYPTO_WITHDRAWAL_*`: amounts are positive, the network fee of a
    /// withdrawal is the one charged, of a deposit the one its sender paid.
    pub(crate) fn crypto_data(&self, tx: &Tx, status: TxStatus) -> Value {
        let asset = self.asset_of(tx);
        let (from, to) = tx.wallet.clone().unwrap_or_default();
        let (source_account, destination_account, fee) = match tx.kind {
            TxKind::Deposit => (None, Some(tx.account_id), deposit_network_fee(asset)),
            _ => {
                let charged = tx
                    .fee_tx
                    .and_then(|f| self.tx(f))
                    .map(|f| f.amount.abs())
                    .unwrap_or_else(|| asset.network_fee());
                (Some(tx.account_id), None, (asset, charged))
            }
        };
        object(vec![
            ("AccountsId", json!(tx.account_id)),
            ("TransactionsId", json!(tx.id)),
            ("SourceAccountsId", json!(source_account)),
            ("DestinationAccountsId", json!(destination_account)),
            ("TransactionHash", json!(tx_hash(asset, tx.id))),
            ("SourceAddress", json!(from)),
            ("DestinationAddress", json!(to)),
            (
                "Amount",
                json!({"Asset": asset.code(), "Amount": plain(tx.amount.abs())}),
            ),
            (
                "NetworkFee",
                json!({"Asset": fee.0.code(), "Amount": plain(fee.1)}),
            ),
            ("Status", json!(crypto_status(status))),
        ])
    }

    /// `FIAT_DEPOSIT_RECEIVED`: a pending deposit is one held for review (`bFlagged`); a
    /// `TRANSACTION_STATUS_UPDATED` follows when it is settled or failed.
    pub(crate) fn fiat_deposit_data(&self, tx: &Tx) -> Value {
        let fiat = tx.fiat.as_ref();
        let reference = fiat
            .and_then(|f| f.reference.clone())
            .unwrap_or_else(|| format!("REF{}", tx.account_id));
        let imad = fiat.and_then(|f| f.imad(tx));
        object(vec![
            ("AccountsId", json!(tx.account_id)),
            ("TransactionsId", json!(tx.id)),
            ("OriginalTransactionsId", Value::Null),
            ("Reference", json!(reference)),
            (
                "SenderDetails",
                json!({
                    "RoutingNumber": SENDER_ROUTING,
                    "AccountNumber": SENDER_ACCOUNT,
                    "Name": SENDER_NAME,
                    "AddressLine1": "1 Sandbox Plaza",
                    "AddressLine2": "New York, NY 10001",
                    "AddressLine3": null,
                }),
            ),
            ("Amount", plain(tx.amount)),
            ("Imad", json!(imad)),
            ("Date", json!(callback_time(tx.time))),
            ("bReversal", json!(false)),
            ("bFlagged", json!(tx.status == TxStatus::Pending)),
        ])
    }

    /// `TRANSACTION_STATUS_UPDATED`.
    pub(crate) fn transaction_status_data(&self, tx: &Tx) -> Value {
        let (ft, fa, tt, ta) = self.links(tx);
        object(vec![
            ("Id", json!(tx.id)),
            ("AccountsId", json!(tx.account_id)),
            ("FromTransactionsId", json!(ft)),
            ("FromAccountsId", json!(fa)),
            ("ToTransactionsId", json!(tt)),
            ("ToAccountsId", json!(ta)),
            ("RollbackTransactionsId", Value::Null),
            ("Amount", plain(tx.amount)),
            ("Description", json!(tx.description)),
            ("DateTime", json!(callback_time(tx.time))),
            ("bPending", json!(tx.status == TxStatus::Pending)),
            ("bCompleted", json!(tx.status == TxStatus::Completed)),
            ("bRejected", json!(tx.status == TxStatus::Failed)),
        ])
    }

    pub(crate) fn information_request_data(&self, customer_id: i64, ids: &str) -> Value {
        json!({"CustomersId": customer_id, "UpdatedInformationRequestIds": ids})
    }

    // ----- triggered events -----

    /// Sends an event of any of the 12 types: realistic data from the sandbox's state (the
    /// newest matching exchange or transaction), with `overrides` applied, `Type` exactly as
    /// given. Returns what was queued.
    pub(crate) fn trigger(
        &mut self,
        type_text: &str,
        overrides: Option<&Map<String, Value>>,
        id: Option<String>,
    ) -> Result<WebhookEvent, SandboxError> {
        let kind = EventType::parse(type_text).ok_or_else(|| {
            let codes: Vec<&str> = EventType::ALL.iter().map(|t| t.code()).collect();
            SandboxError::invalid(
                "Type",
                "Invalid",
                format!(
                    "unknown callback type {type_text:?}; the types are {}",
                    codes.join(", ")
                ),
            )
        })?;
        let mut data = self.default_data(kind);
        if let Some(o) = overrides {
            data = merge(data, o);
        }
        let event = PendingEvent {
            id: id.unwrap_or_else(guid),
            type_text: type_text.to_string(),
            data,
        };
        let out = WebhookEvent {
            id: event.id.clone(),
            event_type: event.type_text.clone(),
            data: event.data.clone(),
        };
        self.outbox.push(event);
        Ok(out)
    }

    fn newest_tx(&self, f: impl Fn(&Tx, Asset) -> bool) -> Option<&Tx> {
        self.txs
            .iter()
            .rev()
            .find(|t| t.exchange_id.is_none() && f(t, self.asset_of(t)))
    }

    fn default_data(&mut self, kind: EventType) -> Value {
        match kind {
            EventType::ManageeJumioCompleted => {
                let now = self.now();
                object(vec![
                    ("ManageesId", json!(MANAGEE_ID)),
                    (
                        "ManageeCustomerUsersId",
                        json!(MANAGEE_ID + CUSTOMER_USER_OFFSET),
                    ),
                    ("DateJumioCompleted", json!(callback_local_time(now))),
                ])
            }
            EventType::ManageeKycUpdated => {
                let now = self.now();
                object(vec![
                    ("ManageesId", json!(MANAGEE_ID)),
                    ("VerificationStatus", json!("Accepted")),
                    ("AcceptDate", json!(callback_local_time(now))),
                    ("RejectReason", Value::Null),
                    ("RejectDate", Value::Null),
                ])
            }
            EventType::ManageeCardApprovalUpdated => self.card_approval_data(MANAGEE_CARD_ID),
            EventType::CryptoDepositCreated | EventType::CryptoDepositUpdated => {
                let deposit = self.newest_tx(|t, a| t.kind == TxKind::Deposit && a.is_crypto());
                match deposit {
                    Some(tx) => {
                        let status = if kind == EventType::CryptoDepositCreated {
                            TxStatus::Pending
                        } else {
                            tx.status
                        };
                        self.crypto_data(tx, status)
                    }
                    None => self.synthetic_crypto(TxKind::Deposit, kind),
                }
            }
            EventType::CryptoWithdrawalCreated | EventType::CryptoWithdrawalUpdated => {
                let withdrawal =
                    self.newest_tx(|t, a| t.kind == TxKind::Withdrawal && a.is_crypto());
                match withdrawal {
                    Some(tx) => {
                        let status = if kind == EventType::CryptoWithdrawalCreated {
                            TxStatus::Pending
                        } else {
                            tx.status
                        };
                        self.crypto_data(tx, status)
                    }
                    None => self.synthetic_crypto(TxKind::Withdrawal, kind),
                }
            }
            EventType::ExchangeStatusUpdated => match self.exchanges.values().next_back() {
                Some(ex) => self.exchange_data(ex),
                None => self.synthetic_exchange(),
            },
            EventType::FiatDepositReceived | EventType::TransactionStatusUpdated => {
                let deposit = self.newest_tx(|t, a| t.kind == TxKind::Deposit && !a.is_crypto());
                match (deposit, kind) {
                    (Some(tx), EventType::FiatDepositReceived) => self.fiat_deposit_data(tx),
                    (Some(tx), _) => self.transaction_status_data(tx),
                    (None, _) => json!({}),
                }
            }
            EventType::InformationRequested | EventType::InformationRequestUpdated => {
                let (customer, id) = self
                    .newest_information_request()
                    .unwrap_or((MANAGER_ID, DEFAULT_INFORMATION_REQUEST_ID));
                self.information_request_data(customer, &id.to_string())
            }
        }
    }

    pub(crate) fn card_approval_data(&self, card_id: i64) -> Value {
        object(vec![
            ("TopUpCardsId", json!(card_id)),
            ("RequestedTopUpCardsId", json!(card_id)),
            ("Status", json!("Approved")),
            ("bManuallyUpdated", json!(true)),
        ])
    }

    /// A plausible crypto transfer of the manager's BTC account when the sandbox has none of
    /// that kind yet (its transaction id is the next one, not yet used).
    fn synthetic_crypto(&mut self, kind: TxKind, event: EventType) -> Value {
        let account = crate::seed::MANAGER_BTC_ACCOUNT;
        let own = Asset::Btc.deposit_address(account).unwrap_or_default();
        let (amount, wallet) = match kind {
            TxKind::Deposit => (Decimal::new(1, 2), (EXTERNAL_BTC.to_string(), own)),
            _ => (Decimal::new(-1, 2), (own, EXTERNAL_BTC.to_string())),
        };
        let time = self.now();
        let tx = Tx {
            id: TX_START + self.txs.len() as i64,
            account_id: account,
            amount,
            description: "BTC transfer".into(),
            time,
            status: TxStatus::Pending,
            kind,
            exchange_id: None,
            fee_tx: None,
            wallet: Some(wallet),
            fiat: None,
        };
        let status = match event {
            EventType::CryptoDepositUpdated | EventType::CryptoWithdrawalUpdated => {
                TxStatus::Completed
            }
            _ => TxStatus::Pending,
        };
        self.crypto_data(&tx, status)
    }

    /// A plausible buy of 0.1 BTC for USDC at the current price when no exchange exists yet
    /// (its id is the next one, not yet used).
    fn synthetic_exchange(&self) -> Value {
        let pair = Pair::ALL[0];
        let terms = self.terms(
            pair,
            ExchangeType::Buy,
            QuantityType::Amount,
            Decimal::new(1, 1),
            self.price(pair),
        );
        let Ok(terms) = terms else {
            return json!({"Id": self.next_exchange, "Status": "WaitingForApproval"});
        };
        let next_tx = TX_START + self.txs.len() as i64;
        let ex = Exchange {
            id: self.next_exchange,
            kind: ExchangeType::Buy,
            status: ExchangeStatus::WaitingForApproval,
            customer_id: MANAGER_ID,
            pair,
            quantity_type: QuantityType::Amount,
            requested: terms.amount,
            terms,
            payees_id: None,
            transfer_type: None,
            from_account: crate::seed::MANAGER_USDC_ACCOUNT,
            to_account: None,
            from_tx: next_tx,
            fee_tx: Some(next_tx + 1),
            to_tx: None,
        };
        self.exchange_data(&ex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn money_keeps_its_digits() {
        let s = |d: Decimal| serde_json::to_string(&plain(d)).unwrap_or_default();
        assert_eq!(s(Decimal::new(2500, 2)), "25");
        assert_eq!(s(Decimal::new(-100, 0)), "-100");
        assert_eq!(
            s(Decimal::new(8_518_119_213_712, 18)),
            "0.000008518119213712"
        );
        assert_eq!(s(Decimal::ZERO), "0");
    }

    #[test]
    fn timestamps_like_the_examples() {
        let t = Utc
            .with_ymd_and_hms(2023, 10, 16, 14, 14, 44)
            .single()
            .and_then(|t| t.with_nanosecond(430_000_000));
        assert_eq!(
            t.map(callback_time).as_deref(),
            Some("2023-10-16T14:14:44.43+00:00")
        );
        assert_eq!(
            t.map(callback_local_time).as_deref(),
            Some("2023-10-16T14:14:44.43")
        );
        let whole = Utc.with_ymd_and_hms(2024, 4, 4, 15, 41, 52).single();
        assert_eq!(
            whole.map(callback_time).as_deref(),
            Some("2024-04-04T15:41:52+00:00")
        );
    }

    #[test]
    fn overrides_replace_in_place_ignoring_case() {
        let defaults = json!({"A": 1, "Status": "Pending", "C": 3});
        let o = json!({"status": "Frozen", "Extra": true});
        let merged = merge(defaults, o.as_object().unwrap_or(&Map::new()));
        assert_eq!(
            serde_json::to_string(&merged).unwrap_or_default(),
            r#"{"A":1,"status":"Frozen","C":3,"Extra":true}"#
        );
    }

    #[test]
    fn chain_hashes_are_deterministic() {
        let h = tx_hash(Asset::Eth, 10006);
        assert!(h.starts_with("0x") && h.len() == 66, "{h}");
        assert_eq!(h, tx_hash(Asset::Eth, 10006));
        assert_eq!(tx_hash(Asset::Btc, 10006).len(), 64);
    }
}
