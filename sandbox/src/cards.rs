//! Top-up cards: the seeded cards, card balances and transactions, transfers between accounts
//! and cards (with their fee), card creation, and the eight card endpoints.
//!
//! Cards hold USD. Every card movement is a card transaction (ids from [`CARD_TX_START`]),
//! completed at once; a card's balance is the sum of its transactions. A transfer takes its fee
//! out of the amount: the source gives `amount`, the destination gets `amount - fee`, the fee
//! leaves to the sandbox's fee account ([`World::card_fees`]). So the sum of every account and
//! card balance plus the fees collected does not change across transfers.

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::{Value, json};

use crate::api::present;
use crate::error::SandboxError;
use crate::model::{Asset, max_input};
use crate::server::Shared;
use crate::webhooks::EventType;
use crate::wire::{
    ApiError, ApiResult, Fields, Validator, envelope, money, paged, parse_date, timestamp,
};
use crate::world::{MANAGEE_ID, MANAGER_ID, TxKind, TxStatus, UNVERIFIED_ID, World, seed_time};

/// First id of a card created at run time; the seeded cards are 1201 to 1203.
pub(crate) const CARD_START: i64 = 1300;
/// First card transaction id (the seeded cards' funding transactions come first).
pub(crate) const CARD_TX_START: i64 = 60000;
/// The one card program cards may be created in (`cardProgramID`).
pub(crate) const CARD_PROGRAM_ID: i64 = 1002;
/// Fee of a transfer to a card (TopUpCard) or between cards: this share of the amount ...
fn fee_rate() -> Decimal {
    Decimal::new(1, 2)
}
/// ... but at least this much (USD).
fn minimum_fee() -> Decimal {
    Decimal::ONE
}

pub(crate) const MANAGER_CARD: i64 = 1201;
pub(crate) const MANAGER_DEACTIVATED_CARD: i64 = 1202;
pub(crate) const MANAGEE_CARD: i64 = 1203;

/// The seeded cards: (id, customer, active, balance in cents).
const SEED_CARDS: [(i64, i64, bool, i64); 3] = [
    (MANAGER_CARD, MANAGER_ID, true, 50_000),
    (MANAGER_DEACTIVATED_CARD, MANAGER_ID, false, 0),
    (MANAGEE_CARD, MANAGEE_ID, true, 15_000),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CardStatus {
    Active,
    Deactivated,
}

impl CardStatus {
    fn as_str(self) -> &'static str {
        match self {
            CardStatus::Active => "Active",
            CardStatus::Deactivated => "Deactivated",
        }
    }
}

pub(crate) struct Card {
    pub id: i64,
    pub customer_id: i64,
    pub holder: String,
    pub number: String,
    pub cvc: String,
    pub expiry_month: u32,
    pub expiry_year: i32,
    pub status: CardStatus,
    pub total: Decimal,
    pub tx_ids: Vec<i64>,
}

impl Card {
    fn last4(&self) -> &str {
        &self.number[self.number.len().saturating_sub(4)..]
    }

    /// First six and last four digits, as a statement shows them.
    fn masked(&self) -> String {
        format!("{}******{}", &self.number[..6], self.last4())
    }
}

pub(crate) struct CardTx {
    pub id: i64,
    pub card_id: i64,
    pub amount: Decimal,
    pub description: String,
    pub time: DateTime<Utc>,
}

/// The Luhn check digit of `payload` (digits only).
fn luhn_check_digit(payload: &str) -> u32 {
    let sum: u32 = payload
        .chars()
        .rev()
        .filter_map(|c| c.to_digit(10))
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// A test card number: Visa's test prefix 411111, the card id on 9 digits, a Luhn check digit.
fn card_number(id: i64) -> String {
    let payload = format!("411111{id:09}");
    let check = luhn_check_digit(&payload);
    format!("{payload}{check}")
}

/// The name printed on the seeded customers' cards.
fn holder_name(customer_id: i64) -> String {
    match customer_id {
        MANAGER_ID => "Alex Manager".into(),
        MANAGEE_ID => "Sam Managee".into(),
        UNVERIFIED_ID => "Jo Unverified".into(),
        other => format!("Customer {other}"),
    }
}

/// The fee of a card transfer: TopUpCard and CardToCard 1 % of the amount rounded half-even to
/// cents, at least 1.00; TopUpAccount free.
pub(crate) fn card_fee(kind: CardTransferKind, amount: Decimal) -> Decimal {
    match kind {
        CardTransferKind::TopUpAccount => Decimal::ZERO,
        _ => (amount * fee_rate())
            .round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
            .max(minimum_fee()),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CardTransferKind {
    TopUpCard,
    TopUpAccount,
    CardToCard,
}

impl CardTransferKind {
    fn parse(s: &str) -> Option<CardTransferKind> {
        let s = s.trim();
        [
            ("TopUpCard", CardTransferKind::TopUpCard),
            ("TopUpAccount", CardTransferKind::TopUpAccount),
            ("CardToCard", CardTransferKind::CardToCard),
        ]
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|(_, k)| k)
    }
}

pub(crate) struct CardTransfer {
    pub kind: CardTransferKind,
    pub customer_id: i64,
    pub amount: Decimal,
    pub reference: Option<String>,
    pub account: Option<i64>,
    pub source_card: Option<i64>,
    pub destination_card: Option<i64>,
}

pub(crate) struct CardTransferDone {
    pub from_tx: i64,
    pub to_tx: i64,
    pub fee_tx: Option<i64>,
    pub fee: Decimal,
    pub description: String,
}

/// A new card's details (validated).
pub(crate) struct NewCard {
    pub customer_id: i64,
}

impl World {
    pub(crate) fn seed_cards(&mut self) {
        for (k, (id, customer, active, cents)) in SEED_CARDS.into_iter().enumerate() {
            self.insert_card(id, customer, active);
            if cents > 0 {
                let time = seed_time(40 + k as i64);
                self.push_card_tx(
                    id,
                    Decimal::new(cents, 2),
                    "Initial card top-up".into(),
                    time,
                );
            }
        }
    }

    fn insert_card(&mut self, id: i64, customer_id: i64, active: bool) {
        self.cards.insert(
            id,
            Card {
                id,
                customer_id,
                holder: holder_name(customer_id),
                number: card_number(id),
                cvc: format!("{:03}", (id * 37 + 123) % 1000),
                expiry_month: (id % 12) as u32 + 1,
                expiry_year: 2029 + (id % 3) as i32,
                status: if active {
                    CardStatus::Active
                } else {
                    CardStatus::Deactivated
                },
                total: Decimal::ZERO,
                tx_ids: Vec::new(),
            },
        );
    }

    fn push_card_tx(
        &mut self,
        card_id: i64,
        amount: Decimal,
        description: String,
        time: DateTime<Utc>,
    ) -> i64 {
        let id = CARD_TX_START + self.card_txs.len() as i64;
        if let Some(c) = self.cards.get_mut(&card_id) {
            c.total += amount;
            c.tx_ids.push(id);
        }
        self.card_txs.push(CardTx {
            id,
            card_id,
            amount,
            description,
            time,
        });
        id
    }

    pub(crate) fn card(&self, id: i64, field: &'static str) -> Result<&Card, SandboxError> {
        self.cards
            .get(&id)
            .ok_or_else(|| SandboxError::not_found("card", field, id))
    }

    /// Activates or deactivates a card. Activating a managee's card is the manager's approval
    /// (`MANAGEE_CARD_APPROVAL_UPDATED`).
    pub(crate) fn set_card_active(&mut self, id: i64, active: bool) -> Result<(), SandboxError> {
        let card = self
            .cards
            .get_mut(&id)
            .ok_or_else(|| SandboxError::not_found("card", "CardId", id))?;
        let was = card.status;
        card.status = if active {
            CardStatus::Active
        } else {
            CardStatus::Deactivated
        };
        let managee = card.customer_id != MANAGER_ID;
        if active && was != CardStatus::Active && managee {
            let data = self.card_approval_data(id);
            self.emit(EventType::ManageeCardApprovalUpdated, data);
        }
        Ok(())
    }

    pub(crate) fn create_card(&mut self, new: NewCard) -> Result<i64, SandboxError> {
        self.verified_customer(new.customer_id)?;
        let id = self.next_card;
        self.next_card += 1;
        self.insert_card(id, new.customer_id, false);
        Ok(id)
    }

    /// Moves money between an account and a card or between two cards.
    pub(crate) fn transfer_card_funds(
        &mut self,
        t: CardTransfer,
    ) -> Result<CardTransferDone, SandboxError> {
        self.customer(t.customer_id)?;
        let customer = t.customer_id;
        if let Some(a) = t.account {
            let acc = self.account(a, "CustomerAssetAccountId")?;
            if acc.customer_id != customer {
                return Err(SandboxError::invalid(
                    "CustomerAssetAccountId",
                    "Invalid",
                    format!("account {a} is not one of customer {customer}'s"),
                ));
            }
            if acc.asset != Asset::Usd {
                return Err(SandboxError::invalid(
                    "CustomerAssetAccountId",
                    "Invalid",
                    format!("account {a} holds {}, cards move USD", acc.asset),
                ));
            }
        }
        let check_card = |w: &World, id: i64, field: &'static str, own: bool| {
            let card = w.card(id, field)?;
            if own && card.customer_id != customer {
                return Err(SandboxError::invalid(
                    field,
                    "Invalid",
                    format!("card {id} is not one of customer {customer}'s"),
                ));
            }
            if card.status != CardStatus::Active {
                return Err(SandboxError::invalid(
                    field,
                    "Invalid",
                    format!("card {id} is deactivated"),
                ));
            }
            Ok(())
        };
        if let Some(c) = t.source_card {
            check_card(self, c, "SourceCardId", true)?;
        }
        if let Some(c) = t.destination_card {
            // A card-to-card transfer may go to any card the API user reaches (a managee's).
            let own = t.kind == CardTransferKind::TopUpCard;
            check_card(self, c, "DestinationCardId", own)?;
        }
        let fee = card_fee(t.kind, t.amount);
        if t.amount <= fee {
            return Err(SandboxError::invalid(
                "Amount",
                "Amout_Less_Than_Fee",
                format!("the amount {} does not cover the fee {fee}", t.amount),
            ));
        }
        let available = match (t.kind, t.account, t.source_card) {
            (CardTransferKind::TopUpCard, Some(a), _) => {
                self.accounts.get(&a).map(|a| a.available())
            }
            (_, _, Some(c)) => self.cards.get(&c).map(|c| c.total),
            _ => None,
        }
        .unwrap_or_default();
        if available < t.amount {
            return Err(SandboxError::invalid(
                "Amount",
                "Insufficient_Funds",
                format!("available {available} USD < {}", t.amount),
            ));
        }
        let net = t.amount - fee;
        let reference = t.reference.unwrap_or_else(|| match t.kind {
            CardTransferKind::TopUpCard => "Top Up Funds".into(),
            CardTransferKind::TopUpAccount => "Withdraw Funds".into(),
            CardTransferKind::CardToCard => "Card To Card".into(),
        });
        let description = format!("Card transfer - {reference}");
        let time = self.now();
        let (from_tx, fee_tx, to_tx) = match t.kind {
            CardTransferKind::TopUpCard => {
                let (account, card) = (t.account.unwrap_or_default(), t.destination_card);
                let from = self.push_account_tx(account, -net, TxKind::CardTransfer, &description);
                let fee_tx = (fee > Decimal::ZERO)
                    .then(|| self.push_account_tx(account, -fee, TxKind::Fee, "Card transfer fee"));
                if let (Some(f), Some(tx)) = (fee_tx, self.tx_mut(from)) {
                    tx.fee_tx = Some(f);
                }
                let to =
                    self.push_card_tx(card.unwrap_or_default(), net, description.clone(), time);
                (from, fee_tx, to)
            }
            CardTransferKind::TopUpAccount => {
                let card = t.source_card.unwrap_or_default();
                let from = self.push_card_tx(card, -net, description.clone(), time);
                let fee_tx = (fee > Decimal::ZERO)
                    .then(|| self.push_card_tx(card, -fee, "Card transfer fee".into(), time));
                let to = self.push_account_tx(
                    t.account.unwrap_or_default(),
                    net,
                    TxKind::CardTransfer,
                    &description,
                );
                (from, fee_tx, to)
            }
            CardTransferKind::CardToCard => {
                let card = t.source_card.unwrap_or_default();
                let from = self.push_card_tx(card, -net, description.clone(), time);
                let fee_tx = (fee > Decimal::ZERO)
                    .then(|| self.push_card_tx(card, -fee, "Card transfer fee".into(), time));
                let to = self.push_card_tx(
                    t.destination_card.unwrap_or_default(),
                    net,
                    description.clone(),
                    time,
                );
                (from, fee_tx, to)
            }
        };
        self.card_fees += fee;
        Ok(CardTransferDone {
            from_tx,
            to_tx,
            fee_tx,
            fee,
            description,
        })
    }

    fn push_account_tx(
        &mut self,
        account: i64,
        amount: Decimal,
        kind: TxKind,
        description: &str,
    ) -> i64 {
        self.push_tx(
            account,
            amount,
            TxStatus::Completed,
            kind,
            description.to_string(),
            None,
        )
    }

    // ----- rendering -----

    fn card_summary_json(c: &Card) -> Value {
        json!({
            "id": c.id,
            "currency": "USD",
            "cardNumber": c.masked(),
            "totalBalance": money(c.total),
            "availableBalance": money(c.total),
            "pendingBalance": money(Decimal::ZERO),
            "bSuppressed": c.status == CardStatus::Deactivated,
        })
    }

    fn customer_cards_json(&self, customer_id: i64) -> Value {
        let cards: Vec<Value> = self
            .cards
            .values()
            .filter(|c| c.customer_id == customer_id)
            .map(World::card_summary_json)
            .collect();
        json!({
            "customersId": customer_id,
            "customersReference": self.customer_reference(customer_id),
            "cards": cards,
        })
    }

    fn card_balance_json(&self, c: &Card) -> Value {
        json!({
            "id": c.id,
            "customersReference": self.customer_reference(c.customer_id),
            "cardHolderName": c.holder,
            "cardLast4": c.last4(),
            // The newer example types it as a string.
            "customersID": c.customer_id.to_string(),
            "currency": "USD",
            "totalBalance": money(c.total),
            "availableBalance": money(c.total),
            "pendingBalance": money(Decimal::ZERO),
            "status": c.status.as_str(),
        })
    }

    fn card_tx_json(t: &CardTx) -> Value {
        json!({
            "id": t.id,
            "cardsId": t.card_id,
            "amount": money(t.amount),
            "currency": "USD",
            "description": t.description,
            "dateTime": timestamp(t.time),
            "bPending": false,
            "RefundTransactionsID": null,
        })
    }

    /// Every card's balance.
    #[cfg(test)]
    pub(crate) fn card_totals(&self) -> Decimal {
        self.cards.values().map(|c| c.total).sum()
    }
}

// ----- endpoints -----

fn card_id(f: &Fields) -> Result<i64, ApiError> {
    let mut v = Validator::default();
    let id = v.id(f, "CardId");
    v.finish()?;
    present(id, "CardId")
}

/// `GET /api/v1/customer/cards/byuser/list`: every customer the API user manages (itself
/// included) with its cards, paged by customer.
pub(crate) fn list_by_user(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let page = v.page(f);
    v.finish()?;
    let page = present(page, "PageNumber")?;
    let w = s.world();
    let ids: Vec<i64> = w.customers.keys().copied().collect();
    let total = ids.len();
    let items = ids[page.range(total)]
        .iter()
        .map(|c| w.customer_cards_json(*c))
        .collect();
    Ok(paged(0, items, &page, total))
}

/// `GET /api/v1/customer/cards/byuser?customersId=`: that customer's cards (an array of one
/// customer object, as the page's text says); without `customersId`, every customer.
pub(crate) fn by_user(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.opt_id(f, "CustomersId");
    v.finish()?;
    let w = s.world();
    let ids: Vec<i64> = match customer {
        Some(c) => {
            w.customer(c)?;
            vec![c]
        }
        None => w.customers.keys().copied().collect(),
    };
    let items = ids.iter().map(|c| w.customer_cards_json(*c)).collect();
    Ok(envelope(0, Value::Array(items)))
}

/// `GET /api/v1/customer/cards/balances`: every card, optionally one customer's, paged.
pub(crate) fn balances(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.opt_id(f, "CustomersID");
    let page = v.page(f);
    v.finish()?;
    let page = present(page, "PageNumber")?;
    let w = s.world();
    if let Some(c) = customer {
        w.customer(c)?;
    }
    let all: Vec<Value> = w
        .cards
        .values()
        .filter(|c| customer.is_none_or(|id| c.customer_id == id))
        .map(|c| w.card_balance_json(c))
        .collect();
    let total = all.len();
    Ok(paged(0, all[page.range(total)].to_vec(), &page, total))
}

/// `GET /api/v1/customer/cards/transactions`: newest first, optionally of one card and within
/// dates.
pub(crate) fn transactions(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let card = v.opt_id(f, "CardsId");
    let mut date = |name: &str, end: bool| {
        let text = v.opt_str(f, name)?;
        let d = parse_date(&text, end);
        if d.is_none() {
            v.error(name, "Invalid");
        }
        d
    };
    let from = date("FromDate", false);
    let to = date("ToDate", true);
    let page = v.page(f);
    v.finish()?;
    let page = present(page, "PageNumber")?;
    let w = s.world();
    if let Some(c) = card {
        w.card(c, "CardsId")?;
    }
    let all: Vec<&CardTx> = w
        .card_txs
        .iter()
        .rev()
        .filter(|t| card.is_none_or(|c| t.card_id == c))
        .filter(|t| from.is_none_or(|d| t.time >= d) && to.is_none_or(|d| t.time <= d))
        .collect();
    let total = all.len();
    let items = all[page.range(total)]
        .iter()
        .map(|t| World::card_tx_json(t))
        .collect();
    Ok(paged(0, items, &page, total))
}

/// `GET /api/v1/customer/cards/carddetails?CardId=`.
pub(crate) fn card_details(s: &Shared, f: &Fields) -> ApiResult {
    let id = card_id(f)?;
    let w = s.world();
    let c = w.card(id, "CardId")?;
    Ok(envelope(
        0,
        json!({
            "customersID": c.customer_id,
            "customersReference": w.customer_reference(c.customer_id),
            "cardHolderName": c.holder,
            "cardLast4": c.last4(),
            "currency": "USD",
            "totalBalance": money(c.total),
            "availableBalance": money(c.total),
            "status": c.status.as_str(),
        }),
    ))
}

/// `GET /api/v1/customer/cards/sensitive-details?CardId=`. The page's example is empty: these
/// fields are the sandbox's own.
pub(crate) fn sensitive_details(s: &Shared, f: &Fields) -> ApiResult {
    let id = card_id(f)?;
    let w = s.world();
    let c = w.card(id, "CardId")?;
    Ok(envelope(
        0,
        json!({
            "id": c.id,
            "cardNumber": c.number,
            "cvc": c.cvc,
            "expiryMonth": c.expiry_month,
            "expiryYear": c.expiry_year,
            "nameOnCard": c.holder,
        }),
    ))
}

/// A card amount: required, positive, at most 10^15, at most 2 decimal places (cents).
fn card_amount(v: &mut Validator, f: &Fields) -> Option<Decimal> {
    let had = f.get("Amount").is_some();
    match v.opt_decimal(f, "Amount") {
        None if !had => {
            v.error("Amount", "Required");
            None
        }
        None => None,
        Some(d) if d <= Decimal::ZERO || d > max_input() || d.normalize().scale() > 2 => {
            v.error("Amount", "Invalid");
            None
        }
        Some(d) => Some(d),
    }
}

/// `POST /api/v1/customer/cards/transferfunds`.
pub(crate) fn transfer_funds(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let amount = card_amount(&mut v, f);
    let reference = v.opt_str(f, "Reference");
    if reference.as_ref().is_some_and(|r| r.chars().count() > 100) {
        v.error("Reference", "Invalid");
    }
    let kind_text = v.str(f, "TransferTypes");
    let kind = kind_text.as_deref().and_then(CardTransferKind::parse);
    if kind_text.is_some() && kind.is_none() {
        v.error("TransferTypes", "Invalid");
    }
    let currency = v.str(f, "CurrencyType");
    let currency_ok = currency
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case("USD") || c.eq_ignore_ascii_case("dUSD"));
    let usd = currency
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case("USD"));
    if currency.is_some() && (!currency_ok || (kind == Some(CardTransferKind::CardToCard) && !usd))
    {
        // Card-to-card transfers are always USD.
        v.error("CurrencyType", "Invalid");
    }
    let customer = v.id(f, "CustomersId");
    let (mut account, mut source, mut destination) = (None, None, None);
    match kind {
        Some(CardTransferKind::TopUpCard) => {
            destination = v.id(f, "DestinationCardId");
            account = v.id(f, "CustomerAssetAccountId");
        }
        Some(CardTransferKind::TopUpAccount) => {
            source = v.id(f, "SourceCardId");
            account = v.id(f, "CustomerAssetAccountId");
        }
        Some(CardTransferKind::CardToCard) => {
            source = v.id(f, "SourceCardId");
            destination = v.id(f, "DestinationCardId");
            if source.is_some() && source == destination {
                v.error("DestinationCardId", "Invalid");
            }
        }
        None => {}
    }
    v.finish()?;
    let (amount, kind, customer) = (
        present(amount, "Amount")?,
        present(kind, "TransferTypes")?,
        present(customer, "CustomersId")?,
    );
    let mut w = s.world();
    let done = w.transfer_card_funds(CardTransfer {
        kind,
        customer_id: customer,
        amount,
        reference,
        account,
        source_card: source,
        destination_card: destination,
    })?;
    Ok(envelope(
        done.from_tx,
        json!({
            "FromTransactionId": done.from_tx,
            "ToTransactionId": done.to_tx,
            "FeeTransactionId": done.fee_tx,
            "amount": money(amount),
            "feeAmount": money(done.fee),
            "description": done.description,
            "bPending": false,
        }),
    ))
}

/// A required non-empty string of a nested object; errors name `Parent.Field`.
fn sub_str(v: &mut Validator, sub: &Fields, parent: &str, key: &str) -> Option<String> {
    let field = format!("{parent}.{}{}", key[..1].to_ascii_uppercase(), &key[1..]);
    match sub.get(key) {
        Some(Value::String(t)) if !t.trim().is_empty() => {
            if t.chars().count() > 100 {
                v.error(&field, "Invalid");
            }
            Some(t.clone())
        }
        None | Some(Value::String(_)) => {
            v.error(&field, "Required");
            None
        }
        Some(_) => {
            v.error(&field, "Invalid");
            None
        }
    }
}

fn object_field(v: &mut Validator, f: &Fields, name: &str, required: bool) -> Option<Fields> {
    match f.get(name) {
        None => {
            if required {
                v.error(name, "Required");
            }
            None
        }
        Some(Value::Object(m)) => Some(Fields::from_map(m.clone())),
        Some(_) => {
            v.error(name, "Invalid");
            None
        }
    }
}

fn one_of(v: &mut Validator, f: &Fields, name: &str, allowed: &[&str], required: bool) {
    let text = if required {
        v.str(f, name)
    } else {
        v.opt_str(f, name)
    };
    if text
        .as_deref()
        .is_some_and(|t| !allowed.iter().any(|a| a.eq_ignore_ascii_case(t)))
    {
        v.error(name, "Invalid");
    }
}

/// `POST /api/v1/customer/cards/create`: a Deactivated card (activate it with the control).
pub(crate) fn create(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.id(f, "CustomersId");
    one_of(&mut v, f, "Currency", &["USD"], true);
    let reference = v.str(f, "CardReferenceId");
    if reference.as_ref().is_some_and(|r| r.chars().count() > 100) {
        v.error("CardReferenceId", "Invalid");
    }
    one_of(&mut v, f, "ShippingMethod", &["Standard", "Express"], true);
    let program = v.id(f, "CardProgramID");
    if program.is_some_and(|p| p != CARD_PROGRAM_ID) {
        v.error("CardProgramID", "Invalid");
    }
    one_of(&mut v, f, "CardType", &["Physical", "Virtual"], false);
    if let Some(addr) = object_field(&mut v, f, "ShippingAddress", true) {
        for key in [
            "shippingAddressLine1",
            "shippingAddressCity",
            "shippingAddressState",
            "shippingAddressPostcode",
            "shippingAddressCountry",
        ] {
            sub_str(&mut v, &addr, "ShippingAddress", key);
        }
    }
    if let Some(b) = object_field(&mut v, f, "BusinessReviewDetails", false) {
        for key in [
            "legalEntityName",
            "doingBusinessAs",
            "registeredAddressStreet",
            "registeredAddressCity",
            "registeredAddressState",
            "registeredAddressPostcode",
        ] {
            sub_str(&mut v, &b, "BusinessReviewDetails", key);
        }
        let types = ["LLC", "Corporation", "Partnership", "Sole Proprietor"];
        if let Some(t) = sub_str(&mut v, &b, "BusinessReviewDetails", "entityType") {
            if !types.iter().any(|x| x.eq_ignore_ascii_case(t.trim())) {
                v.error("BusinessReviewDetails.EntityType", "Invalid");
            }
        }
    }
    // Fields not visible on the page: accepted as any object.
    object_field(&mut v, f, "PersonalReviewDetails", false);
    v.finish()?;
    let customer = present(customer, "CustomersId")?;
    let mut w = s.world();
    let id = w.create_card(NewCard {
        customer_id: customer,
    })?;
    let c = w.card(id, "CardId")?;
    Ok(envelope(
        id,
        json!({
            "customersId": customer,
            "customersReference": w.customer_reference(customer),
            "card": {
                "id": c.id,
                "currency": "USD",
                "totalBalance": money(c.total),
                "availableBalance": money(c.total),
                "pendingBalance": money(Decimal::ZERO),
                "status": c.status.as_str(),
            },
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_pass_luhn() {
        assert_eq!(luhn_check_digit("411111111111111"), 1);
        assert_eq!(card_number(1201), "4111110000012018");
        for id in [1201, 1202, 1203, 1300, 99_999] {
            let n = card_number(id);
            assert_eq!(n.len(), 16);
            let (payload, check) = n.split_at(15);
            assert_eq!(luhn_check_digit(payload).to_string(), check);
        }
    }

    #[test]
    fn fees() {
        let d = |s: &str| s.parse::<Decimal>().unwrap_or_default();
        assert_eq!(card_fee(CardTransferKind::TopUpCard, d("10")), d("1"));
        assert_eq!(card_fee(CardTransferKind::TopUpCard, d("250")), d("2.50"));
        assert_eq!(
            card_fee(CardTransferKind::CardToCard, d("100.50")),
            d("1.00")
        );
        // 1 % of 1234.50 is 12.345: half-even to cents.
        assert_eq!(
            card_fee(CardTransferKind::CardToCard, d("1234.50")),
            d("12.34")
        );
        assert_eq!(
            card_fee(CardTransferKind::TopUpAccount, d("5")),
            Decimal::ZERO
        );
    }

    #[test]
    fn transfers_conserve_money() {
        let mut w = World::seeded();
        let before = w.card_totals() + w.accounts().map(|a| a.total).sum::<Decimal>();
        let done = w.transfer_card_funds(CardTransfer {
            kind: CardTransferKind::TopUpCard,
            customer_id: MANAGER_ID,
            amount: Decimal::new(250, 0),
            reference: None,
            account: Some(1055),
            source_card: None,
            destination_card: Some(1201),
        });
        assert!(done.is_ok());
        let after = w.card_totals() + w.accounts().map(|a| a.total).sum::<Decimal>();
        assert_eq!(before, after + w.card_fees);
        assert_eq!(w.card_fees, Decimal::new(250, 2));
    }
}
