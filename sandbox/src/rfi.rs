//! Information requests (RFIs): compliance asks a customer about a transaction or an attempt.
//! The provider documents the list and details endpoints' paths and the list's `CustomersId`
//! filter, not the fields: the sandbox's own shape is in README.md ("Information requests").

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::error::SandboxError;
use crate::webhooks::EventType;
use crate::wire::{Page, timestamp};
use crate::world::{Exchange, World};

/// The first information request id (`seed::FIRST_INFORMATION_REQUEST_ID`).
pub(crate) const RFI_START: i64 = 4000;

/// What compliance asks for in every request: (type, description).
const REQUESTED: [(&str, &str); 2] = [
    ("Question", "What is the purpose of this transaction?"),
    ("Document", "Proof of the source of funds"),
];

macro_rules! rfi_status {
    ($($variant:ident),* $(,)?) => {
        /// The status of an information request.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum RfiStatus { $($variant),* }

        impl RfiStatus {
            pub(crate) fn as_str(self) -> &'static str {
                match self { $(RfiStatus::$variant => stringify!($variant)),* }
            }

            pub(crate) fn parse(s: &str) -> Option<RfiStatus> {
                let s = s.trim();
                [$(RfiStatus::$variant),*].into_iter().find(|v| v.as_str().eq_ignore_ascii_case(s))
            }
        }
    };
}

rfi_status!(Open, MoreInformationRequired, Accepted, Rejected);

impl RfiStatus {
    /// Waiting for the customer.
    pub(crate) fn is_open(self) -> bool {
        matches!(self, RfiStatus::Open | RfiStatus::MoreInformationRequired)
    }
}

pub(crate) struct Rfi {
    pub id: i64,
    pub customer_id: i64,
    pub transaction_id: Option<i64>,
    pub status: RfiStatus,
    pub reason: String,
    pub created: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
}

impl Rfi {
    pub(crate) fn to_json(&self) -> Value {
        let requested: Vec<Value> = REQUESTED
            .iter()
            .enumerate()
            .map(|(i, (kind, text))| json!({"id": i + 1, "type": kind, "description": text}))
            .collect();
        json!({
            "id": self.id,
            "customersId": self.customer_id,
            "transactionsId": self.transaction_id,
            "status": self.status.as_str(),
            "reason": self.reason,
            "dateCreated": timestamp(self.created),
            "dateUpdated": self.updated.map(timestamp),
            "requestedInformation": requested,
        })
    }
}

impl World {
    /// Opens a request (already checked) and sends `INFORMATION_REQUESTED`.
    pub(crate) fn open_rfi(
        &mut self,
        customer_id: i64,
        transaction_id: Option<i64>,
        reason: String,
    ) -> i64 {
        let id = self.next_rfi;
        self.next_rfi += 1;
        let created = self.now();
        self.rfis.insert(
            id,
            Rfi {
                id,
                customer_id,
                transaction_id,
                status: RfiStatus::Open,
                reason,
                created,
                updated: None,
            },
        );
        let data = self.information_request_data(customer_id, &id.to_string());
        self.emit(EventType::InformationRequested, data);
        id
    }

    /// The control's `open_information_request`: the customer must exist, and the
    /// transaction, if given, must be one of the customer's.
    pub(crate) fn open_information_request(
        &mut self,
        customer_id: i64,
        transaction_id: Option<i64>,
        reason: Option<String>,
    ) -> Result<i64, SandboxError> {
        self.customer(customer_id)?;
        if let Some(t) = transaction_id {
            let tx = self
                .tx(t)
                .ok_or_else(|| SandboxError::not_found("transaction", "TransactionsId", t))?;
            let owner = self.accounts.get(&tx.account_id).map(|a| a.customer_id);
            if owner != Some(customer_id) {
                return Err(SandboxError::invalid(
                    "TransactionsId",
                    "Invalid",
                    format!("transaction {t} is not one of customer {customer_id}'s"),
                ));
            }
        }
        let reason = reason.unwrap_or_else(|| match transaction_id {
            Some(t) => format!("Transaction {t} needs a compliance review"),
            None => "The customer's activity needs a compliance review".to_string(),
        });
        Ok(self.open_rfi(customer_id, transaction_id, reason))
    }

    /// Compliance decides on a request: `INFORMATION_REQUEST_UPDATED`. Accepted and Rejected
    /// are final; MoreInformationRequired keeps it open.
    pub(crate) fn resolve_information_request(
        &mut self,
        id: i64,
        status: RfiStatus,
    ) -> Result<(), SandboxError> {
        if status == RfiStatus::Open {
            return Err(SandboxError::invalid(
                "Status",
                "Invalid",
                "a request is resolved as Accepted, Rejected or MoreInformationRequired",
            ));
        }
        let now = self.now();
        let rfi = self
            .rfis
            .get_mut(&id)
            .ok_or_else(|| SandboxError::not_found("information request", "Id", id))?;
        if !rfi.status.is_open() {
            return Err(SandboxError::invalid(
                "InformationRequestsId",
                "Invalid_State",
                format!(
                    "information request {id} is {} already",
                    rfi.status.as_str()
                ),
            ));
        }
        rfi.status = status;
        rfi.updated = Some(now);
        let customer = rfi.customer_id;
        let data = self.information_request_data(customer, &id.to_string());
        self.emit(EventType::InformationRequestUpdated, data);
        Ok(())
    }

    pub(crate) fn rfi(&self, id: i64, field: &'static str) -> Result<&Rfi, SandboxError> {
        self.rfis
            .get(&id)
            .ok_or_else(|| SandboxError::not_found("information request", field, id))
    }

    /// Newest first.
    pub(crate) fn list_rfis(&self, customer_id: Option<i64>, page: Page) -> (Vec<Value>, usize) {
        let all: Vec<&Rfi> = self
            .rfis
            .values()
            .rev()
            .filter(|r| customer_id.is_none_or(|c| r.customer_id == c))
            .collect();
        let total = all.len();
        let items = all[page.range(total)].iter().map(|r| r.to_json()).collect();
        (items, total)
    }

    /// Whether an open request is about one of the exchange's transactions.
    pub(crate) fn exchange_has_open_rfi(&self, ex: &Exchange) -> bool {
        let txs = [Some(ex.from_tx), ex.fee_tx, ex.to_tx];
        self.rfis.values().any(|r| {
            r.status.is_open() && r.transaction_id.is_some() && txs.contains(&r.transaction_id)
        })
    }

    /// (customer, id) of the newest request.
    pub(crate) fn newest_information_request(&self) -> Option<(i64, i64)> {
        self.rfis
            .values()
            .next_back()
            .map(|r| (r.customer_id, r.id))
    }
}
