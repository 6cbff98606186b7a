//! The sandbox's state: customers, accounts, the ledger of transactions, exchanges, prices
//! and quotes. Every money movement goes through [`World::push_tx`] / [`World::set_tx_status`],
//! which keep each account's cached balances equal to the sums over its transactions:
//!
//! - `totalBalance`     = sum of the account's `Completed` transactions plus its `Pending`
//!   credits (incoming money not yet settled is in the total, as the provider's "total minus
//!   incoming pending amounts" describes the available balance),
//! - `pendingBalance`   = the sum of the magnitudes of its `Pending` transactions (a
//!   reservation or a pending debit, and a pending credit, each shows as a positive amount),
//! - `availableBalance` = `totalBalance - pendingBalance` = sum of its `Completed` transactions
//!   and `Pending` debits: held money is not available, money on its way in not yet.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone, Timelike, Utc};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::error::SandboxError;
use crate::model::{
    Asset, ExchangeStatus, ExchangeType, Pair, QuantityType, Terms, compute_terms, r18,
};
use crate::webhooks::{EventType, PendingEvent};
use crate::wire::{Page, money, opt_money, timestamp};

pub(crate) const MANAGER_ID: i64 = 1004;
pub(crate) const MANAGEE_ID: i64 = 1005;
pub(crate) const UNVERIFIED_ID: i64 = 1006;
pub(crate) const PAYEE_ID: i64 = 1011;
pub(crate) const ACCOUNT_START: i64 = 3000;
pub(crate) const TX_START: i64 = 10000;
pub(crate) const EXCHANGE_START: i64 = 23000;
pub(crate) const FX_START: i64 = 7000;
pub(crate) const MAX_ACCOUNTS: usize = 8;
pub(crate) const SCREENED_ADDRESS: &str = "bc1qscreened0000000000000000000000000000";
pub(crate) const FX_VALIDITY_SECS: i64 = 60;
pub(crate) const USD_ROUTING: &str = "021214891";
pub(crate) const EXTERNAL_BTC: &str = "bc1qexternalsender000000000000000000000000";
const EXTERNAL_EVM: &str = "0x00000000000000000000000000000000000e7e5d";
/// Largest `count` accepted by `seed_transactions` in one call.
pub(crate) const MAX_SEED: u64 = 1_000_000;

pub(crate) struct Customer {
    pub reference: String,
    pub verified: bool,
}

pub(crate) struct Payee {
    pub customer_id: i64,
}

pub(crate) struct Account {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub asset: Asset,
    pub date_added: DateTime<Utc>,
    pub total: Decimal,
    pub hold: Decimal,
    pub tx_ids: Vec<i64>,
}

impl Account {
    pub(crate) fn available(&self) -> Decimal {
        self.total - self.hold
    }

    pub(crate) fn account_number(&self) -> Option<String> {
        (!self.asset.is_crypto()).then(|| format!("3579{:08}", self.id))
    }

    fn routing_number(&self) -> Option<&'static str> {
        (!self.asset.is_crypto()).then_some(USD_ROUTING)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TxStatus {
    Pending,
    Completed,
    Failed,
}

impl TxStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TxStatus::Pending => "Pending",
            TxStatus::Completed => "Completed",
            TxStatus::Failed => "Failed",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TxKind {
    Deposit,
    Withdrawal,
    Fee,
    Exchange,
    /// Between an account and a card.
    CardTransfer,
}

impl TxKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TxKind::Deposit => "Deposit",
            TxKind::Withdrawal => "Withdrawal",
            TxKind::Fee => "Fee",
            TxKind::Exchange => "AssetExchange",
            TxKind::CardTransfer => "CardTransfer",
        }
    }
}

pub(crate) struct Tx {
    pub id: i64,
    pub account_id: i64,
    pub amount: Decimal,
    pub description: String,
    pub time: DateTime<Utc>,
    pub status: TxStatus,
    pub kind: TxKind,
    pub exchange_id: Option<i64>,
    pub fee_tx: Option<i64>,
    /// (from, to) wallet addresses of an on-chain movement.
    pub wallet: Option<(String, String)>,
    /// How an incoming fiat deposit arrived.
    pub fiat: Option<FiatTransfer>,
}

/// The rail of an incoming fiat transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum FiatRail {
    Ach,
    Wire,
    Swift,
}

impl FiatRail {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FiatRail::Ach => "ACH",
            FiatRail::Wire => "WIRE",
            FiatRail::Swift => "SWIFT",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<FiatRail> {
        let s = s.trim();
        [FiatRail::Ach, FiatRail::Wire, FiatRail::Swift]
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s))
    }
}

/// An incoming fiat transfer's details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FiatTransfer {
    pub rail: FiatRail,
    /// The sender's reference; `None` = the account's (`REF<id>`).
    pub reference: Option<String>,
    /// The destination account holder's name as the sender gave it.
    pub name: Option<String>,
}

impl FiatTransfer {
    pub(crate) fn ach() -> FiatTransfer {
        FiatTransfer {
            rail: FiatRail::Ach,
            reference: None,
            name: None,
        }
    }

    /// A wire's IMAD (input message accountability data): date, a source id, a sequence.
    pub(crate) fn imad(&self, tx: &Tx) -> Option<String> {
        (self.rail != FiatRail::Ach).then(|| {
            format!(
                "{}SBXFED01{:06}",
                tx.time.format("%Y%m%d"),
                tx.id % 1_000_000
            )
        })
    }
}

#[derive(Clone)]
pub(crate) struct Exchange {
    pub id: i64,
    pub kind: ExchangeType,
    pub status: ExchangeStatus,
    pub customer_id: i64,
    pub pair: Pair,
    pub quantity_type: QuantityType,
    /// The requested price (Price) or amount (Amount), kept to re-quote after a price move.
    pub requested: Decimal,
    pub terms: Terms,
    pub payees_id: Option<i64>,
    pub transfer_type: Option<String>,
    pub from_account: i64,
    pub to_account: Option<i64>,
    pub from_tx: i64,
    pub fee_tx: Option<i64>,
    pub to_tx: Option<i64>,
}

pub(crate) struct FxRate {
    pub pair: Pair,
    pub kind: ExchangeType,
    pub quantity_type: QuantityType,
    pub requested: Decimal,
    pub customer_id: i64,
    pub market_price: Decimal,
    pub expires: DateTime<Utc>,
}

/// An exchange to create (validated fields).
pub(crate) struct NewExchange {
    pub kind: ExchangeType,
    pub customer_id: i64,
    pub pair: Pair,
    pub quantity_type: QuantityType,
    pub requested: Decimal,
    pub market_price: Decimal,
    pub payees_id: Option<i64>,
    pub transfer_type: Option<String>,
}

/// A quote handed out, with the fx rate that remembers it.
pub(crate) struct Quote {
    pub terms: Terms,
    pub fx_rate_id: i64,
    pub expires: DateTime<Utc>,
}

/// Filters of the exchanges list.
#[derive(Default)]
pub(crate) struct ExchangeFilter {
    pub customer_id: Option<i64>,
    pub pair: Option<Pair>,
    pub kind: Option<ExchangeType>,
    pub status: Option<ExchangeStatus>,
}

pub(crate) struct World {
    pub(crate) customers: BTreeMap<i64, Customer>,
    pub(crate) payees: BTreeMap<i64, Payee>,
    pub(crate) accounts: BTreeMap<i64, Account>,
    pub(crate) txs: Vec<Tx>,
    pub(crate) exchanges: BTreeMap<i64, Exchange>,
    prices: Vec<(Pair, Decimal)>,
    fx_rates: BTreeMap<i64, FxRate>,
    pub(crate) next_account: i64,
    pub(crate) next_exchange: i64,
    next_fx: i64,
    last_time: DateTime<Utc>,
    /// Callback events of the changes made under the current lock (see `server::WorldGuard`).
    pub(crate) outbox: Vec<PendingEvent>,
    pub(crate) cards: BTreeMap<i64, crate::cards::Card>,
    /// Card transactions, ids from `cards::CARD_TX_START` (index = id - start).
    pub(crate) card_txs: Vec<crate::cards::CardTx>,
    pub(crate) next_card: i64,
    /// Fees of card transfers, collected outside every account and card.
    pub(crate) card_fees: Decimal,
    pub(crate) rfis: BTreeMap<i64, crate::rfi::Rfi>,
    pub(crate) next_rfi: i64,
}

pub(crate) fn seed_time(minutes: i64) -> DateTime<Utc> {
    let base = Utc
        .with_ymd_and_hms(2024, 1, 15, 9, 30, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    base + TimeDelta::minutes(minutes)
}

fn not_found_exchange(id: i64) -> SandboxError {
    SandboxError::not_found("exchange", "ExchangesId", id)
}

impl World {
    /// The seeded world (see README.md for the table).
    pub(crate) fn seeded() -> World {
        let mut w = World {
            customers: BTreeMap::new(),
            payees: BTreeMap::new(),
            accounts: BTreeMap::new(),
            txs: Vec::new(),
            exchanges: BTreeMap::new(),
            prices: Pair::ALL.iter().map(|p| (*p, p.seed_price())).collect(),
            fx_rates: BTreeMap::new(),
            next_account: ACCOUNT_START,
            next_exchange: EXCHANGE_START,
            next_fx: FX_START,
            last_time: seed_time(0),
            outbox: Vec::new(),
            cards: BTreeMap::new(),
            card_txs: Vec::new(),
            next_card: crate::cards::CARD_START,
            card_fees: Decimal::ZERO,
            rfis: BTreeMap::new(),
            next_rfi: crate::rfi::RFI_START,
        };
        for (id, verified) in [
            (MANAGER_ID, true),
            (MANAGEE_ID, true),
            (UNVERIFIED_ID, false),
        ] {
            w.customers.insert(
                id,
                Customer {
                    reference: format!("CST{id}"),
                    verified,
                },
            );
        }
        w.payees.insert(
            PAYEE_ID,
            Payee {
                customer_id: MANAGER_ID,
            },
        );
        let seed: [(i64, i64, Asset, &str, i64, u32); 7] = [
            (1055, MANAGER_ID, Asset::Usd, "USD Account", 100_000, 0),
            (1056, MANAGER_ID, Asset::Usdc, "USDC Account", 50_000, 0),
            (1057, MANAGER_ID, Asset::Btc, "BTC Account", 25, 1),
            (1058, MANAGER_ID, Asset::Eth, "ETH Account", 40, 0),
            (1060, MANAGEE_ID, Asset::Usd, "USD Account", 2_500, 0),
            (1061, MANAGEE_ID, Asset::Usdc, "USDC Account", 1_000, 0),
            (1062, UNVERIFIED_ID, Asset::Usd, "USD Account", 0, 0),
        ];
        for (k, (id, customer_id, asset, name, _, _)) in seed.into_iter().enumerate() {
            w.accounts.insert(
                id,
                Account {
                    id,
                    customer_id,
                    name: name.to_string(),
                    asset,
                    date_added: seed_time(k as i64),
                    total: Decimal::ZERO,
                    hold: Decimal::ZERO,
                    tx_ids: Vec::new(),
                },
            );
        }
        for (k, (id, _, asset, _, units, scale)) in seed.into_iter().enumerate() {
            if units == 0 {
                continue;
            }
            let time = seed_time(30 + k as i64);
            w.push_tx_at(
                id,
                Decimal::new(units, scale),
                TxStatus::Completed,
                TxKind::Deposit,
                format!("Initial {asset} deposit"),
                None,
                w.deposit_wallet(asset, id),
                time,
            );
        }
        w.seed_cards();
        w
    }

    // ----- clock -----

    /// Current time at 100 ns resolution, strictly increasing so that transactions keep
    /// their order.
    pub(crate) fn now(&mut self) -> DateTime<Utc> {
        let n = Utc::now();
        let n = n.with_nanosecond(n.nanosecond() / 100 * 100).unwrap_or(n);
        let t = if n > self.last_time {
            n
        } else {
            self.last_time + TimeDelta::nanoseconds(100)
        };
        self.last_time = t;
        t
    }

    // ----- lookups -----

    pub(crate) fn customer(&self, id: i64) -> Result<&Customer, SandboxError> {
        self.customers
            .get(&id)
            .ok_or_else(|| SandboxError::not_found("customer", "CustomersId", id))
    }

    /// The customer, which must have passed KYC.
    pub(crate) fn verified_customer(&self, id: i64) -> Result<&Customer, SandboxError> {
        let c = self.customer(id)?;
        if !c.verified {
            return Err(SandboxError::invalid(
                "CustomersId",
                "Documents_Not_Verified",
                format!("customer {id} has not passed KYC"),
            ));
        }
        Ok(c)
    }

    pub(crate) fn account(&self, id: i64, field: &'static str) -> Result<&Account, SandboxError> {
        self.accounts
            .get(&id)
            .ok_or_else(|| SandboxError::not_found("account", field, id))
    }

    pub(crate) fn tx(&self, id: i64) -> Option<&Tx> {
        let idx = usize::try_from(id.checked_sub(TX_START)?).ok()?;
        self.txs.get(idx)
    }

    pub(crate) fn tx_mut(&mut self, id: i64) -> Option<&mut Tx> {
        let idx = usize::try_from(id.checked_sub(TX_START)?).ok()?;
        self.txs.get_mut(idx)
    }

    pub(crate) fn exchange(&self, id: i64) -> Result<&Exchange, SandboxError> {
        self.exchanges
            .get(&id)
            .ok_or_else(|| not_found_exchange(id))
    }

    pub(crate) fn payee_of(&self, payee_id: i64, customer_id: i64) -> Result<(), SandboxError> {
        match self.payees.get(&payee_id) {
            Some(p) if p.customer_id == customer_id => Ok(()),
            _ => Err(SandboxError::not_found("payee", "PayeesId", payee_id)),
        }
    }

    pub(crate) fn price(&self, pair: Pair) -> Decimal {
        self.prices
            .iter()
            .find(|(p, _)| *p == pair)
            .map(|(_, d)| *d)
            .unwrap_or_else(|| pair.seed_price())
    }

    pub(crate) fn set_price(&mut self, pair: Pair, price: Decimal) -> Result<(), SandboxError> {
        if price <= Decimal::ZERO || price > crate::model::max_input() {
            return Err(SandboxError::invalid(
                "Price",
                "Invalid",
                format!("a price must be > 0 and at most 10^15, got {price}"),
            ));
        }
        let price = r18(price);
        match self.prices.iter_mut().find(|(p, _)| *p == pair) {
            Some(slot) => slot.1 = price,
            None => self.prices.push((pair, price)),
        }
        Ok(())
    }

    /// The customer's first (lowest id) account in `asset`.
    fn primary_account(&self, customer_id: i64, asset: Asset) -> Option<i64> {
        self.accounts
            .values()
            .find(|a| a.customer_id == customer_id && a.asset == asset)
            .map(|a| a.id)
    }

    pub(crate) fn deposit_wallet(&self, asset: Asset, account_id: i64) -> Option<(String, String)> {
        let to = asset.deposit_address(account_id)?;
        let from = if asset == Asset::Btc {
            EXTERNAL_BTC
        } else {
            EXTERNAL_EVM
        };
        Some((from.to_string(), to))
    }

    // ----- ledger -----

    fn apply(acc: &mut Account, amount: Decimal, status: TxStatus, sign: Decimal) {
        match status {
            TxStatus::Completed => acc.total += amount * sign,
            // A pending credit is in the total and on hold; a pending debit only on hold.
            TxStatus::Pending if amount > Decimal::ZERO => {
                acc.total += amount * sign;
                acc.hold += amount * sign;
            }
            TxStatus::Pending => acc.hold -= amount * sign,
            TxStatus::Failed => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push_tx_at(
        &mut self,
        account_id: i64,
        amount: Decimal,
        status: TxStatus,
        kind: TxKind,
        description: String,
        exchange_id: Option<i64>,
        wallet: Option<(String, String)>,
        time: DateTime<Utc>,
    ) -> i64 {
        let id = TX_START + self.txs.len() as i64;
        if let Some(acc) = self.accounts.get_mut(&account_id) {
            Self::apply(acc, amount, status, Decimal::ONE);
            acc.tx_ids.push(id);
        }
        self.txs.push(Tx {
            id,
            account_id,
            amount,
            description,
            time,
            status,
            kind,
            exchange_id,
            fee_tx: None,
            wallet,
            fiat: None,
        });
        id
    }

    pub(crate) fn push_tx(
        &mut self,
        account_id: i64,
        amount: Decimal,
        status: TxStatus,
        kind: TxKind,
        description: String,
        exchange_id: Option<i64>,
    ) -> i64 {
        let time = self.now();
        self.push_tx_at(
            account_id,
            amount,
            status,
            kind,
            description,
            exchange_id,
            None,
            time,
        )
    }

    pub(crate) fn set_tx_status(&mut self, id: i64, status: TxStatus) {
        let Some(tx) = self.tx_mut(id) else { return };
        let (old, amount, account_id) = (tx.status, tx.amount, tx.account_id);
        tx.status = status;
        if let Some(acc) = self.accounts.get_mut(&account_id) {
            Self::apply(acc, amount, old, -Decimal::ONE);
            Self::apply(acc, amount, status, Decimal::ONE);
        }
    }

    fn set_tx_amount(&mut self, id: i64, amount: Decimal) {
        let Some(tx) = self.tx_mut(id) else { return };
        let (old, status, account_id) = (tx.amount, tx.status, tx.account_id);
        tx.amount = amount;
        if let Some(acc) = self.accounts.get_mut(&account_id) {
            Self::apply(acc, old, status, -Decimal::ONE);
            Self::apply(acc, amount, status, Decimal::ONE);
        }
    }

    fn create_account_unchecked(&mut self, customer_id: i64, name: String, asset: Asset) -> i64 {
        let id = self.next_account;
        self.next_account += 1;
        let date_added = self.now();
        self.accounts.insert(
            id,
            Account {
                id,
                customer_id,
                name,
                asset,
                date_added,
                total: Decimal::ZERO,
                hold: Decimal::ZERO,
                tx_ids: Vec::new(),
            },
        );
        id
    }

    // ----- accounts -----

    pub(crate) fn create_account(
        &mut self,
        customer_id: i64,
        name: String,
        asset: Asset,
    ) -> Result<i64, SandboxError> {
        self.verified_customer(customer_id)?;
        let count = self
            .accounts
            .values()
            .filter(|a| a.customer_id == customer_id)
            .count();
        if count >= MAX_ACCOUNTS {
            return Err(SandboxError::invalid(
                "CustomersId",
                "Account_Limit_Reached",
                format!("customer {customer_id} already has {MAX_ACCOUNTS} accounts"),
            ));
        }
        Ok(self.create_account_unchecked(customer_id, name, asset))
    }

    pub(crate) fn credit_deposit(
        &mut self,
        account_id: i64,
        amount: Decimal,
    ) -> Result<i64, SandboxError> {
        let asset = self.account(account_id, "AccountsId")?.asset;
        if amount <= Decimal::ZERO {
            return Err(SandboxError::invalid(
                "Amount",
                "Amount_Must_Be_Positive",
                format!("a deposit must be > 0, got {amount}"),
            ));
        }
        if amount > crate::model::max_input() {
            return Err(SandboxError::invalid(
                "Amount",
                "Invalid",
                "a deposit must be at most 10^15",
            ));
        }
        let time = self.now();
        let wallet = self.deposit_wallet(asset, account_id);
        let id = self.push_tx_at(
            account_id,
            r18(amount),
            TxStatus::Completed,
            TxKind::Deposit,
            format!("{asset} deposit"),
            None,
            wallet,
            time,
        );
        if !asset.is_crypto() {
            if let Some(tx) = self.tx_mut(id) {
                tx.fiat = Some(FiatTransfer::ach());
            }
        }
        self.emit_deposit(id);
        Ok(id)
    }

    /// A simulated incoming fiat transfer: a Pending deposit (held, `bFlagged` in its
    /// callback) until the control settles or fails it.
    pub(crate) fn simulate_payin(
        &mut self,
        account_id: i64,
        transfer: FiatTransfer,
        amount: Decimal,
    ) -> Result<i64, SandboxError> {
        let asset = self.account(account_id, "DestinationAccountId")?.asset;
        if asset.is_crypto() {
            return Err(SandboxError::invalid(
                "DestinationAccountId",
                "Invalid",
                format!("account {account_id} holds {asset}: pay-ins go to fiat accounts"),
            ));
        }
        let description = match &transfer.reference {
            Some(r) => format!("{} deposit - {r}", transfer.rail.as_str()),
            None => format!("{} deposit", transfer.rail.as_str()),
        };
        let id = self.push_tx(
            account_id,
            r18(amount),
            TxStatus::Pending,
            TxKind::Deposit,
            description,
            None,
        );
        if let Some(tx) = self.tx_mut(id) {
            tx.fiat = Some(transfer);
        }
        self.emit_deposit(id);
        Ok(id)
    }

    /// `count` deposits of 1 unit each.
    pub(crate) fn seed_transactions(
        &mut self,
        account_id: i64,
        count: u64,
    ) -> Result<(), SandboxError> {
        let asset = self.account(account_id, "AccountsId")?.asset;
        if count > MAX_SEED {
            return Err(SandboxError::invalid(
                "Count",
                "Invalid",
                format!("at most {MAX_SEED} transactions per call"),
            ));
        }
        let wallet = self.deposit_wallet(asset, account_id);
        self.txs.reserve(count as usize);
        for k in 0..count {
            let time = self.now();
            self.push_tx_at(
                account_id,
                Decimal::ONE,
                TxStatus::Completed,
                TxKind::Deposit,
                format!("Seeded {asset} deposit #{}", k + 1),
                None,
                wallet.clone(),
                time,
            );
        }
        Ok(())
    }

    /// Withdraws `amount` plus the asset's network fee to `address`; returns the withdrawal
    /// transaction. Held (`hold`): both transactions stay Pending until settled or failed.
    pub(crate) fn withdraw(
        &mut self,
        account_id: i64,
        amount: Decimal,
        address: &str,
        hold: bool,
    ) -> Result<i64, SandboxError> {
        let acc = self.account(account_id, "AccountsId")?;
        let (asset, customer_id, available) = (acc.asset, acc.customer_id, acc.available());
        if !asset.is_crypto() {
            return Err(SandboxError::invalid(
                "AccountsId",
                "Invalid",
                format!("account {account_id} holds {asset}, not a crypto asset"),
            ));
        }
        self.verified_customer(customer_id)?;
        if address.trim().eq_ignore_ascii_case(SCREENED_ADDRESS) {
            // Refused, and compliance asks the customer about it.
            self.open_rfi(
                customer_id,
                None,
                format!("A withdrawal to {SCREENED_ADDRESS} failed screening"),
            );
            return Err(SandboxError::invalid(
                "Screening",
                "Transaction_Blocked",
                "the destination address failed screening",
            ));
        }
        let fee = asset.network_fee();
        if available < amount + fee {
            return Err(SandboxError::invalid(
                "Amount",
                "Insufficient_Funds",
                format!("available {available} {asset} < {amount} + network fee {fee}"),
            ));
        }
        let from = asset.deposit_address(account_id).unwrap_or_default();
        let wallet = Some((from, address.trim().to_string()));
        let status = if hold {
            TxStatus::Pending
        } else {
            TxStatus::Completed
        };
        let time = self.now();
        let id = self.push_tx_at(
            account_id,
            -amount,
            status,
            TxKind::Withdrawal,
            format!("{asset} withdrawal"),
            None,
            wallet.clone(),
            time,
        );
        let time = self.now();
        let fee_id = self.push_tx_at(
            account_id,
            -fee,
            status,
            TxKind::Fee,
            format!("{asset} withdrawal network fee"),
            None,
            wallet,
            time,
        );
        if let Some(tx) = self.tx_mut(id) {
            tx.fee_tx = Some(fee_id);
        }
        self.emit_crypto(EventType::CryptoWithdrawalCreated, id, TxStatus::Pending);
        if !hold {
            self.emit_crypto(EventType::CryptoWithdrawalUpdated, id, TxStatus::Completed);
        }
        Ok(id)
    }

    /// A transaction the control may settle or fail: a pending withdrawal or deposit (not one
    /// of an exchange, which moves through the exchange lifecycle, nor a fee, which follows
    /// its transaction).
    fn settleable(&self, id: i64, action: &str) -> Result<&Tx, SandboxError> {
        let tx = self
            .tx(id)
            .ok_or_else(|| SandboxError::not_found("transaction", "TransactionsId", id))?;
        if tx.exchange_id.is_some() || !matches!(tx.kind, TxKind::Withdrawal | TxKind::Deposit) {
            return Err(SandboxError::invalid(
                "TransactionsId",
                "Invalid_State",
                format!(
                    "transaction {id} is {} {}: only a pending withdrawal or deposit can be {action}",
                    if tx.exchange_id.is_some() {
                        "part of exchange"
                    } else {
                        "a"
                    },
                    tx.exchange_id
                        .map(|e| e.to_string())
                        .unwrap_or_else(|| tx.kind.as_str().to_string()),
                ),
            ));
        }
        if tx.status != TxStatus::Pending {
            return Err(SandboxError::invalid(
                "TransactionsId",
                "Invalid_State",
                format!(
                    "transaction {id} is {}, only a Pending one can be {action}",
                    tx.status.as_str()
                ),
            ));
        }
        Ok(tx)
    }

    /// Settles a pending withdrawal or deposit (and its fee): Completed.
    pub(crate) fn settle_transaction(&mut self, id: i64) -> Result<TxStatus, SandboxError> {
        self.finish_transaction(id, TxStatus::Completed, "settled")
    }

    /// Fails a pending withdrawal or deposit (and its fee): Failed, the hold released.
    pub(crate) fn fail_transaction(&mut self, id: i64) -> Result<TxStatus, SandboxError> {
        self.finish_transaction(id, TxStatus::Failed, "failed")
    }

    fn finish_transaction(
        &mut self,
        id: i64,
        status: TxStatus,
        action: &str,
    ) -> Result<TxStatus, SandboxError> {
        let fee = self.settleable(id, action)?.fee_tx;
        self.set_tx_status(id, status);
        if let Some(f) = fee.filter(|f| self.tx(*f).is_some_and(|t| t.status == TxStatus::Pending))
        {
            self.set_tx_status(f, status);
        }
        self.emit_settled(id);
        Ok(status)
    }

    /// The transactions `settle_transaction` / `fail_transaction` accept, oldest first.
    pub(crate) fn pending_transactions(&self) -> Vec<&Tx> {
        self.txs
            .iter()
            .filter(|t| t.status == TxStatus::Pending && t.exchange_id.is_none())
            .filter(|t| matches!(t.kind, TxKind::Withdrawal | TxKind::Deposit))
            .collect()
    }

    /// A pending outgoing withdrawal may still be cancelled; nothing else can.
    pub(crate) fn cancellable(&self, tx: &Tx) -> bool {
        tx.kind == TxKind::Withdrawal && tx.status == TxStatus::Pending && tx.exchange_id.is_none()
    }

    // ----- quotes and exchanges -----

    pub(crate) fn terms(
        &self,
        pair: Pair,
        kind: ExchangeType,
        qt: QuantityType,
        requested: Decimal,
        market_price: Decimal,
    ) -> Result<Terms, SandboxError> {
        compute_terms(pair, kind, qt, requested, market_price).map_err(|(field, code)| {
            SandboxError::invalid(
                field,
                code,
                format!(
                    "no {kind} of {} for {requested} at {market_price}",
                    pair.name()
                ),
            )
        })
    }

    pub(crate) fn quote(
        &mut self,
        customer_id: i64,
        pair: Pair,
        kind: ExchangeType,
        qt: QuantityType,
        requested: Decimal,
    ) -> Result<Quote, SandboxError> {
        self.verified_customer(customer_id)?;
        let market_price = self.price(pair);
        let terms = self.terms(pair, kind, qt, requested, market_price)?;
        let now = self.now();
        self.fx_rates
            .retain(|_, r| r.expires + TimeDelta::minutes(10) > now);
        let id = self.next_fx;
        self.next_fx += 1;
        let expires = now + TimeDelta::seconds(FX_VALIDITY_SECS);
        self.fx_rates.insert(
            id,
            FxRate {
                pair,
                kind,
                quantity_type: qt,
                requested,
                customer_id,
                market_price,
                expires,
            },
        );
        Ok(Quote {
            terms,
            fx_rate_id: id,
            expires,
        })
    }

    /// A still valid fx rate handed out by a quote of a sell of this customer.
    pub(crate) fn fx_rate(&mut self, id: i64, customer_id: i64) -> Result<&FxRate, SandboxError> {
        let now = self.now();
        match self.fx_rates.get(&id) {
            None => Err(SandboxError::invalid(
                "FxRateId",
                "Invalid",
                format!("no quote with fxRateId {id}"),
            )),
            Some(r) if r.customer_id != customer_id || r.kind != ExchangeType::Sell => {
                Err(SandboxError::invalid(
                    "FxRateId",
                    "Invalid",
                    format!("fxRateId {id} is not a sell quote of customer {customer_id}"),
                ))
            }
            Some(r) if r.expires <= now => Err(SandboxError::invalid(
                "FxRateId",
                "Invalid",
                format!("fxRateId {id} expired at {}", timestamp(r.expires)),
            )),
            Some(r) => Ok(r),
        }
    }

    /// Creates an exchange in WaitingForApproval and reserves the funds it debits.
    pub(crate) fn create_exchange(&mut self, new: NewExchange) -> Result<i64, SandboxError> {
        self.verified_customer(new.customer_id)?;
        if let Some(p) = new.payees_id {
            self.payee_of(p, new.customer_id)?;
        }
        let terms = self.terms(
            new.pair,
            new.kind,
            new.quantity_type,
            new.requested,
            new.market_price,
        )?;
        let (from_asset, debit) = match new.kind {
            ExchangeType::Buy => (new.pair.quote, terms.price),
            ExchangeType::Sell => (new.pair.base, terms.amount),
        };
        let from_account = self.primary_account(new.customer_id, from_asset);
        let available = from_account
            .and_then(|id| self.accounts.get(&id))
            .map(Account::available)
            .unwrap_or_default();
        let Some(from_account) = from_account.filter(|_| available >= debit) else {
            return Err(SandboxError::invalid(
                "Amount",
                "Insufficient_Funds",
                format!("available {available} {from_asset} < {debit}"),
            ));
        };
        let id = self.next_exchange;
        self.next_exchange += 1;
        let name = new.pair.name();
        let (from_tx, fee_tx) = match new.kind {
            ExchangeType::Buy => {
                let from_tx = self.push_tx(
                    from_account,
                    -terms.net_price,
                    TxStatus::Pending,
                    TxKind::Exchange,
                    format!("Buy {name}, exchange {id}"),
                    Some(id),
                );
                let fee_tx = self.push_tx(
                    from_account,
                    -(terms.commission + terms.network_fee),
                    TxStatus::Pending,
                    TxKind::Fee,
                    format!("Commission and network fee, exchange {id}"),
                    Some(id),
                );
                if let Some(tx) = self.tx_mut(from_tx) {
                    tx.fee_tx = Some(fee_tx);
                }
                (from_tx, Some(fee_tx))
            }
            ExchangeType::Sell => {
                let from_tx = self.push_tx(
                    from_account,
                    -terms.amount,
                    TxStatus::Pending,
                    TxKind::Exchange,
                    format!("Sell {name}, exchange {id}"),
                    Some(id),
                );
                (from_tx, None)
            }
        };
        self.exchanges.insert(
            id,
            Exchange {
                id,
                kind: new.kind,
                status: ExchangeStatus::WaitingForApproval,
                customer_id: new.customer_id,
                pair: new.pair,
                quantity_type: new.quantity_type,
                requested: new.requested,
                terms,
                payees_id: new.payees_id,
                transfer_type: new.transfer_type,
                from_account,
                to_account: None,
                from_tx,
                fee_tx,
                to_tx: None,
            },
        );
        self.emit_exchange(id);
        Ok(id)
    }

    fn require(
        &self,
        id: i64,
        action: &'static str,
        allowed: &[ExchangeStatus],
        expected: &'static str,
    ) -> Result<&Exchange, SandboxError> {
        let ex = self.exchange(id)?;
        if !allowed.contains(&ex.status) {
            return Err(SandboxError::InvalidState {
                exchange_id: id,
                status: ex.status,
                action,
                expected,
            });
        }
        Ok(ex)
    }

    fn set_status(&mut self, id: i64, status: ExchangeStatus) {
        if let Some(ex) = self.exchanges.get_mut(&id) {
            ex.status = status;
        }
    }

    /// Releases the reservation of an exchange (its pending transactions fail).
    fn release(&mut self, id: i64) {
        let Ok(ex) = self.exchange(id) else { return };
        let txs = [Some(ex.from_tx), ex.fee_tx];
        for tx in txs.into_iter().flatten() {
            if self.tx(tx).map(|t| t.status) == Some(TxStatus::Pending) {
                self.set_tx_status(tx, TxStatus::Failed);
            }
        }
    }

    pub(crate) fn approve(&mut self, id: i64) -> Result<ExchangeStatus, SandboxError> {
        let ex = self.require(
            id,
            "approve",
            &[ExchangeStatus::WaitingForApproval],
            "WaitingForApproval",
        )?;
        let status = if self.price(ex.pair) == ex.terms.market_price {
            ExchangeStatus::Pending
        } else {
            ExchangeStatus::WaitingForConfirmation
        };
        self.set_status(id, status);
        self.emit_exchange(id);
        Ok(status)
    }

    pub(crate) fn reject(&mut self, id: i64) -> Result<ExchangeStatus, SandboxError> {
        self.require(
            id,
            "reject",
            &[ExchangeStatus::WaitingForApproval],
            "WaitingForApproval",
        )?;
        self.release(id);
        self.set_status(id, ExchangeStatus::Rejected);
        self.emit_exchange(id);
        Ok(ExchangeStatus::Rejected)
    }

    pub(crate) fn fail(&mut self, id: i64) -> Result<ExchangeStatus, SandboxError> {
        self.require(id, "fail", &[ExchangeStatus::Pending], "Pending")?;
        self.release(id);
        self.set_status(id, ExchangeStatus::Failed);
        self.emit_exchange(id);
        Ok(ExchangeStatus::Failed)
    }

    pub(crate) fn cancel(&mut self, id: i64) -> Result<ExchangeStatus, SandboxError> {
        self.require(
            id,
            "cancel",
            &[ExchangeStatus::WaitingForConfirmation],
            "WaitingForConfirmation",
        )?;
        self.release(id);
        self.set_status(id, ExchangeStatus::Failed);
        self.emit_exchange(id);
        Ok(ExchangeStatus::Failed)
    }

    /// Settles a Pending exchange: the reservation is debited, the proceeds credited.
    pub(crate) fn complete(&mut self, id: i64) -> Result<ExchangeStatus, SandboxError> {
        let ex = self
            .require(id, "complete", &[ExchangeStatus::Pending], "Pending")?
            .clone();
        self.set_tx_status(ex.from_tx, TxStatus::Completed);
        if let Some(fee) = ex.fee_tx {
            self.set_tx_status(fee, TxStatus::Completed);
        }
        let name = ex.pair.name();
        let mut to_account = None;
        let mut to_tx = None;
        let mut fee_tx = ex.fee_tx;
        match ex.kind {
            ExchangeType::Buy => {
                let acc = self.primary_or_new(ex.customer_id, ex.pair.base);
                let tx = self.push_tx(
                    acc,
                    ex.terms.amount,
                    TxStatus::Completed,
                    TxKind::Exchange,
                    format!("{} bought, exchange {id} ({name})", ex.pair.base),
                    Some(id),
                );
                to_account = Some(acc);
                to_tx = Some(tx);
            }
            ExchangeType::Sell if ex.payees_id.is_none() => {
                let acc = self.primary_or_new(ex.customer_id, ex.pair.quote);
                let tx = self.push_tx(
                    acc,
                    ex.terms.price,
                    TxStatus::Completed,
                    TxKind::Exchange,
                    format!("{} proceeds, exchange {id} ({name})", ex.pair.quote),
                    Some(id),
                );
                let fee = self.push_tx(
                    acc,
                    -(ex.terms.commission + ex.terms.network_fee),
                    TxStatus::Completed,
                    TxKind::Fee,
                    format!("Commission and network fee, exchange {id}"),
                    Some(id),
                );
                if let Some(t) = self.tx_mut(tx) {
                    t.fee_tx = Some(fee);
                }
                to_account = Some(acc);
                to_tx = Some(tx);
                fee_tx = Some(fee);
            }
            // Proceeds leave to the payee: only the base-asset debit moves a sandbox account.
            ExchangeType::Sell => {}
        }
        if let Some(e) = self.exchanges.get_mut(&id) {
            e.status = ExchangeStatus::Completed;
            e.to_account = to_account;
            e.to_tx = to_tx;
            e.fee_tx = fee_tx;
        }
        self.emit_exchange(id);
        Ok(ExchangeStatus::Completed)
    }

    fn primary_or_new(&mut self, customer_id: i64, asset: Asset) -> i64 {
        match self.primary_account(customer_id, asset) {
            Some(id) => id,
            None => self.create_account_unchecked(customer_id, format!("{asset} Account"), asset),
        }
    }

    /// The terms of a WaitingForConfirmation exchange at the current price.
    pub(crate) fn review(&self, id: i64) -> Result<(Exchange, Terms), SandboxError> {
        let ex = self.require(
            id,
            "review",
            &[ExchangeStatus::WaitingForConfirmation],
            "WaitingForConfirmation",
        )?;
        let terms = self.terms(
            ex.pair,
            ex.kind,
            ex.quantity_type,
            ex.requested,
            self.price(ex.pair),
        )?;
        Ok((ex.clone(), terms))
    }

    /// Confirms a reviewed sell at the current price; `amount` and `price` must be the review's.
    pub(crate) fn confirm_sell(
        &mut self,
        id: i64,
        amount: Decimal,
        price: Decimal,
    ) -> Result<ExchangeStatus, SandboxError> {
        let ex = self.exchange(id)?;
        if ex.kind != ExchangeType::Sell || ex.status != ExchangeStatus::WaitingForConfirmation {
            return Err(SandboxError::InvalidState {
                exchange_id: id,
                status: ex.status,
                action: "confirm",
                expected: "a Sell in WaitingForConfirmation",
            });
        }
        let (ex, terms) = self.review(id)?;
        if amount != terms.amount {
            return Err(SandboxError::invalid(
                "Amount",
                "Invalid",
                format!("the reviewed amount is {}, got {amount}", terms.amount),
            ));
        }
        if price != terms.price {
            return Err(SandboxError::invalid(
                "Price",
                "Invalid",
                format!("the reviewed price is {}, got {price}", terms.price),
            ));
        }
        let available = self
            .accounts
            .get(&ex.from_account)
            .map(Account::available)
            .unwrap_or_default();
        let extra = terms.amount - ex.terms.amount;
        if extra > available {
            return Err(SandboxError::invalid(
                "Amount",
                "Insufficient_Funds",
                format!("available {available} < {extra} more needed at the new price"),
            ));
        }
        self.set_tx_amount(ex.from_tx, -terms.amount);
        if let Some(e) = self.exchanges.get_mut(&id) {
            e.terms = terms;
            e.status = ExchangeStatus::Pending;
        }
        self.emit_exchange(id);
        Ok(ExchangeStatus::Pending)
    }

    // ----- rendering -----

    pub(crate) fn customer_reference(&self, id: i64) -> String {
        self.customers
            .get(&id)
            .map(|c| c.reference.clone())
            .unwrap_or_default()
    }

    /// The full account object (get account, list-accounts).
    pub(crate) fn account_json(&self, a: &Account) -> Value {
        json!({
            "id": a.id,
            "customersId": a.customer_id,
            "name": a.name,
            "routingNumber": a.routing_number(),
            "accountNumber": a.account_number(),
            "swiftCode": null,
            "virtualAccountNumber": null,
            "reference": format!("REF{}", a.id),
            "asset": a.asset.code(),
            "assetDisplayName": a.asset.display_name(),
            "totalBalance": money(a.total),
            "availableBalance": money(a.available()),
            "pendingBalance": money(a.hold),
            "bSuppressed": false,
            "dateAdded": timestamp(a.date_added),
        })
    }

    /// The account object of a create response.
    pub(crate) fn created_account_json(&self, a: &Account) -> Value {
        json!({
            "id": a.id,
            "name": a.name,
            "routingNumber": a.routing_number(),
            "accountNumber": a.account_number(),
            "swiftCode": null,
            "reference": format!("REF{}", a.id),
            "asset": a.asset.code(),
            "totalBalance": money(a.total),
            "availableBalance": money(a.available()),
            "pendingBalance": money(a.hold),
            "bSuppressed": false,
        })
    }

    pub(crate) fn balance_json(a: &Account) -> Value {
        json!({
            "id": a.id,
            "asset": a.asset.code(),
            "totalBalance": money(a.total),
            "availableBalance": money(a.available()),
            "pendingBalance": money(a.hold),
            "bSuppressed": false,
        })
    }

    pub(crate) fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    /// (fromTransactionsId, fromAccountsId, toTransactionsId, toAccountsId) of a transaction.
    pub(crate) fn links(&self, tx: &Tx) -> (Option<i64>, Option<i64>, Option<i64>, Option<i64>) {
        if let Some(ex) = tx.exchange_id.and_then(|id| self.exchanges.get(&id)) {
            return (
                Some(ex.from_tx),
                Some(ex.from_account),
                ex.to_tx,
                ex.to_account,
            );
        }
        match tx.kind {
            TxKind::Deposit => (None, None, Some(tx.id), Some(tx.account_id)),
            TxKind::CardTransfer if tx.amount > Decimal::ZERO => {
                (None, None, Some(tx.id), Some(tx.account_id))
            }
            _ => (Some(tx.id), Some(tx.account_id), None, None),
        }
    }

    pub(crate) fn tx_list_json(&self, tx: &Tx) -> Value {
        let (ft, fa, tt, ta) = self.links(tx);
        json!({
            "id": tx.id,
            "accountsId": tx.account_id,
            "fromTransactionsId": ft,
            "fromAccountsId": fa,
            "toTransactionsId": tt,
            "toAccountsId": ta,
            "amount": money(tx.amount),
            "description": tx.description,
            "dateTime": timestamp(tx.time),
            "bPending": tx.status == TxStatus::Pending,
            "bCancellable": self.cancellable(tx),
        })
    }

    pub(crate) fn tx_details_json(&self, tx: &Tx) -> Value {
        let acc = self.accounts.get(&tx.account_id);
        let asset = acc.map(|a| a.asset).unwrap_or(Asset::Usd);
        let customer_id = acc.map(|a| a.customer_id).unwrap_or_default();
        let fee_amount = tx.fee_tx.and_then(|f| self.tx(f)).map(|f| f.amount);
        let exchange = tx
            .exchange_id
            .and_then(|id| self.exchanges.get(&id))
            .map(|ex| self.exchange_details_json(ex));
        let wallet = tx
            .wallet
            .as_ref()
            .map(|(from, to)| json!({"fromWalletAddress": from, "toWalletAddress": to}));
        let fiat_deposit = tx.kind == TxKind::Deposit && !asset.is_crypto();
        let rail = fiat_deposit.then(|| tx.fiat.as_ref().map_or(FiatRail::Ach, |f| f.rail));
        let receiver = tx
            .fiat
            .as_ref()
            .and_then(|f| f.name.clone())
            .unwrap_or_else(|| self.customer_reference(customer_id));
        let account_number = acc.and_then(Account::account_number);
        let completed_at = (tx.status == TxStatus::Completed).then(|| timestamp(tx.time));
        let ach = (rail == Some(FiatRail::Ach)).then(|| {
            json!({
                "paymentType": "ACH",
                "achTransactionType": "Credit",
                "direction": "Incoming",
                "accountNumber": account_number,
                "originatorRoutingNumber": crate::events::SENDER_ROUTING,
                "originatorName": crate::events::SENDER_NAME,
                "receiverRoutingNumber": USD_ROUTING,
                "receiverName": receiver,
            })
        });
        let imad = tx.fiat.as_ref().and_then(|f| f.imad(tx));
        let wire = (rail == Some(FiatRail::Wire)).then(|| {
            json!({
                "wirePaymentType": "Incoming",
                "accountNumber": account_number,
                "imad": imad,
                "senderRoutingNumber": crate::events::SENDER_ROUTING,
                "senderName": crate::events::SENDER_NAME,
                "receiverRoutingNumber": USD_ROUTING,
                "receiverName": receiver,
                "originatorName": crate::events::SENDER_NAME,
                "beneficiaryName": receiver,
                "completedAt": completed_at,
            })
        });
        let external = (rail == Some(FiatRail::Swift)).then(|| {
            json!({
                "paymentType": "SWIFT",
                "transferType": "SWIFT",
                "direction": "Incoming",
                "imad": imad,
                "senderAccountNumber": crate::events::SENDER_ACCOUNT,
                "senderRoutingNumber": null,
                "senderSwiftCode": crate::events::SENDER_SWIFT,
                "senderIban": crate::events::SENDER_IBAN,
                "senderName": crate::events::SENDER_NAME,
                "originatorName": crate::events::SENDER_NAME,
                "receiverAccountNumber": account_number,
                "receiverRoutingNumber": USD_ROUTING,
                "receiverSwiftCode": null,
                "receiverIban": null,
                "receiverName": receiver,
                "beneficiaryName": receiver,
                "reference": tx.fiat.as_ref().and_then(|f| f.reference.clone()),
                "completedAt": completed_at,
            })
        });
        json!({
            "transactionId": tx.id,
            "customerId": customer_id,
            "assetAccountId": tx.account_id,
            "assetClass": asset.asset_class(),
            "asset": asset.code(),
            "amount": money(tx.amount),
            "description": tx.description,
            "timestamp": timestamp(tx.time),
            "transactionStatus": tx.status.as_str(),
            "rollbackTransactionId": null,
            "originalTransactionId": null,
            "transactionType": tx.kind.as_str(),
            "feeTransactionId": tx.fee_tx,
            "feeTransactionAmount": opt_money(fee_amount),
            "bEligibleForReversal": false,
            "assetExchangeTransferDetails": exchange,
            "achTransferDetails": ach,
            "wireTransferDetails": wire,
            "bookTransferDetails": null,
            "internalTransferDetails": null,
            "walletTransferDetails": wallet,
            "externalTransferDetails": external,
        })
    }

    fn exchange_details_json(&self, ex: &Exchange) -> Value {
        let (from, to) = match ex.kind {
            ExchangeType::Buy => (ex.pair.quote, ex.pair.base),
            ExchangeType::Sell => (ex.pair.base, ex.pair.quote),
        };
        let (from_amount, to_amount) = match ex.kind {
            ExchangeType::Buy => (ex.terms.price, ex.terms.amount),
            ExchangeType::Sell => (ex.terms.amount, ex.terms.price),
        };
        let done = ex.status == ExchangeStatus::Completed;
        json!({
            "assetExchangeId": ex.id,
            "assetExchangeType": ex.kind.as_str(),
            "customerId": ex.customer_id,
            "assetExchangeStatus": ex.status.as_str(),
            "fromTransactionsId": ex.from_tx,
            "toTransactionsId": ex.to_tx,
            "fromAsset": from.code(),
            "toAsset": to.code(),
            "fromAssetClass": from.asset_class(),
            "toAssetClass": to.asset_class(),
            "fromAssetRequestedAmount": money(from_amount),
            "toAssetRequestedAmount": money(to_amount),
            "toAssetExecutedAmount": opt_money(done.then_some(to_amount)),
            "requestAmount": money(ex.terms.amount),
            "requestPrice": money(ex.terms.price),
            "executedAmount": opt_money(done.then_some(ex.terms.amount)),
            "executedPrice": opt_money(done.then_some(ex.terms.price)),
            "commissionFee": money(ex.terms.commission),
            "payeesId": ex.payees_id,
            "fromCustomerAssetAccountId": ex.from_account,
            "toCustomerAssetAccountId": ex.to_account,
        })
    }

    pub(crate) fn exchange_json(&self, ex: &Exchange) -> Value {
        let done = ex.status == ExchangeStatus::Completed;
        json!({
            "id": ex.id,
            "exchangeType": ex.kind.as_str(),
            "status": ex.status.as_str(),
            "fromTransactionsId": ex.from_tx,
            "toTransactionsId": ex.to_tx,
            "customersId": ex.customer_id,
            "assetPair": ex.pair.name(),
            "requestAmount": money(ex.terms.amount),
            "requestPrice": money(ex.terms.price),
            "executedAmount": opt_money(done.then_some(ex.terms.amount)),
            "executedPrice": opt_money(done.then_some(ex.terms.price)),
            "commissionFee": money(ex.terms.commission),
            "payeesId": ex.payees_id,
            "transferType": ex.transfer_type,
            "bHasOpenRfi": self.exchange_has_open_rfi(ex),
        })
    }

    // ----- lists -----

    /// Transactions, newest first, filtered; returns one page and the total count.
    pub(crate) fn list_transactions(
        &self,
        account_id: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        page: Page,
    ) -> (Vec<Value>, usize) {
        let matches =
            |tx: &&Tx| from.is_none_or(|f| tx.time >= f) && to.is_none_or(|t| tx.time <= t);
        let range = |total: usize| page.range(total);
        match account_id.and_then(|id| self.accounts.get(&id)) {
            Some(acc) => {
                let ids: Vec<&Tx> = acc
                    .tx_ids
                    .iter()
                    .rev()
                    .filter_map(|id| self.tx(*id))
                    .filter(matches)
                    .collect();
                let total = ids.len();
                let items = ids[range(total)]
                    .iter()
                    .map(|t| self.tx_list_json(t))
                    .collect();
                (items, total)
            }
            None => {
                let all: Vec<&Tx> = self.txs.iter().rev().filter(matches).collect();
                let total = all.len();
                let items = all[range(total)]
                    .iter()
                    .map(|t| self.tx_list_json(t))
                    .collect();
                (items, total)
            }
        }
    }

    pub(crate) fn list_exchanges(&self, f: &ExchangeFilter, page: Page) -> (Vec<Value>, usize) {
        let all: Vec<&Exchange> = self
            .exchanges
            .values()
            .rev()
            .filter(|e| f.customer_id.is_none_or(|c| e.customer_id == c))
            .filter(|e| f.pair.is_none_or(|p| e.pair == p))
            .filter(|e| f.kind.is_none_or(|k| e.kind == k))
            .filter(|e| f.status.is_none_or(|s| e.status == s))
            .collect();
        let total = all.len();
        let items = all[page.range(total)]
            .iter()
            .map(|e| self.exchange_json(e))
            .collect();
        (items, total)
    }

    #[cfg(test)]
    fn check_ledger(&self) {
        for acc in self.accounts.values() {
            let mut completed = Decimal::ZERO;
            let mut pending = Decimal::ZERO;
            for tx in acc.tx_ids.iter().filter_map(|id| self.tx(*id)) {
                match tx.status {
                    TxStatus::Completed => completed += tx.amount,
                    TxStatus::Pending => pending += tx.amount,
                    TxStatus::Failed => {}
                }
            }
            let credits: Decimal = acc
                .tx_ids
                .iter()
                .filter_map(|id| self.tx(*id))
                .filter(|t| t.status == TxStatus::Pending && t.amount > Decimal::ZERO)
                .map(|t| t.amount)
                .sum();
            assert_eq!(acc.total, completed + credits, "account {}", acc.id);
            assert_eq!(acc.hold, credits + credits - pending, "account {}", acc.id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(kind: ExchangeType, pair: &str, qt: QuantityType, v: i64, scale: u32) -> NewExchange {
        let pair = Pair::parse(pair).unwrap_or(Pair::ALL[0]);
        NewExchange {
            kind,
            customer_id: MANAGER_ID,
            pair,
            quantity_type: qt,
            requested: Decimal::new(v, scale),
            market_price: pair.seed_price(),
            payees_id: None,
            transfer_type: None,
        }
    }

    #[test]
    fn buy_reserve_complete_keeps_sums() {
        let mut w = World::seeded();
        let id = w
            .create_exchange(new(
                ExchangeType::Buy,
                "BTC/USDC",
                QuantityType::Amount,
                1,
                1,
            ))
            .unwrap_or_default();
        w.check_ledger();
        let usdc = w.account(1056, "Id").map(|a| (a.total, a.hold)).ok();
        assert_eq!(usdc, Some((Decimal::new(50_000, 0), Decimal::new(6036, 0))));
        assert_eq!(w.approve(id).ok(), Some(ExchangeStatus::Pending));
        assert!(w.reject(id).is_err());
        assert_eq!(w.complete(id).ok(), Some(ExchangeStatus::Completed));
        w.check_ledger();
        let btc = w.account(1057, "Id").map(|a| a.total).ok();
        assert_eq!(btc, Some(Decimal::new(26, 1)));
    }

    #[test]
    fn sell_price_move_confirm() {
        let mut w = World::seeded();
        let id = w
            .create_exchange(new(
                ExchangeType::Sell,
                "BTC/USD",
                QuantityType::Amount,
                5,
                2,
            ))
            .unwrap_or_default();
        let pair = Pair::parse("BTC/USD").unwrap_or(Pair::ALL[0]);
        assert!(w.set_price(pair, Decimal::new(61_000, 0)).is_ok());
        assert_eq!(
            w.approve(id).ok(),
            Some(ExchangeStatus::WaitingForConfirmation)
        );
        let (_, t) = w.review(id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.price, Decimal::new(3050, 0));
        assert!(w.confirm_sell(id, t.amount, t.price).is_ok());
        assert!(w.complete(id).is_ok());
        w.check_ledger();
    }
}
