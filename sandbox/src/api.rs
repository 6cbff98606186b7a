//! The Customer API endpoints and the login (the card endpoints are in `cards.rs`).

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{Response, StatusCode};
use axum::routing::{MethodRouter, get, post};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::cards;
use crate::error::SandboxError;
use crate::model::{Asset, ExchangeStatus, ExchangeType, Pair, QuantityType, parse_transfer_type};
use crate::model::{SCALE, commission_rate};
use crate::server::Shared;
use crate::wire::{
    ApiError, ApiResult, Fields, Page, Validator, envelope, json_response, money, paged,
    parse_date, timestamp,
};
use crate::world::{ExchangeFilter, FiatRail, FiatTransfer, MANAGER_ID, NewExchange, World};

type Handler = fn(&Shared, &Fields) -> ApiResult;

fn respond(r: ApiResult) -> Response<Body> {
    match r {
        Ok(v) => json_response(StatusCode::OK, &v),
        Err(e) => e.response(),
    }
}

fn get_route(h: Handler) -> MethodRouter<Arc<Shared>> {
    get(
        move |State(s): State<Arc<Shared>>, RawQuery(q): RawQuery| async move {
            respond(h(&s, &Fields::from_query(q.as_deref())))
        },
    )
}

fn post_route(h: Handler) -> MethodRouter<Arc<Shared>> {
    post(
        move |State(s): State<Arc<Shared>>, body: Bytes| async move {
            match Fields::from_body(&body) {
                Ok(f) => respond(h(&s, &f)),
                Err(e) => e.response(),
            }
        },
    )
}

/// The whole router: API, control endpoints, 404/405 envelopes.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(
            crate::auth::LOGIN_PATH,
            post(|State(s): State<Arc<Shared>>, body: Bytes| async move {
                respond(s.auth.login(&body))
            }),
        )
        .route(
            "/api/v2/customer/accounts/create",
            post_route(create_account),
        )
        .route("/api/v1/customer/accounts/account", get_route(get_account))
        .route("/api/v1/customer/accounts/balances", get_route(balances))
        .route(
            "/api/v1/customer/accounts/list-accounts",
            get_route(list_accounts),
        )
        .route(
            "/api/v1/customer/accounts/transactions",
            get_route(transactions),
        )
        .route(
            "/api/v2/customer/accounts/transactions/get",
            get_route(transaction),
        )
        .route(
            "/api/v1/customer/accounts/crypto/withdraw",
            post_route(withdraw),
        )
        .route(
            "/api/v1/customer/accounts/crypto/depositaddress",
            get_route(deposit_address),
        )
        .route(
            "/api/v1/customer/crypto-exchanges/availablepairs",
            get_route(pairs),
        )
        .route("/api/v1/customer/crypto-exchanges/quote", post_route(quote))
        .route("/api/v1/customer/crypto-exchanges/sell", post_route(sell))
        .route("/api/v1/customer/crypto-exchanges/buy", post_route(buy))
        .route(
            "/api/v1/customer/crypto-exchanges/list",
            get_route(list_exchanges),
        )
        .route(
            "/api/v1/customer/crypto-exchanges/reviewquote",
            post_route(review_quote),
        )
        .route(
            "/api/v1/customer/crypto-exchanges/confirmsell",
            post_route(confirm_sell),
        )
        .route(
            "/api/v1/customer/crypto-exchanges/cancel",
            post_route(cancel),
        )
        .route(
            "/api/v1/customer/cards/byuser/list",
            get_route(cards::list_by_user),
        )
        .route("/api/v1/customer/cards/byuser", get_route(cards::by_user))
        .route(
            "/api/v1/customer/cards/balances",
            get_route(cards::balances),
        )
        .route(
            "/api/v1/customer/cards/transactions",
            get_route(cards::transactions),
        )
        .route(
            "/api/v1/customer/cards/carddetails",
            get_route(cards::card_details),
        )
        .route(
            "/api/v1/customer/cards/sensitive-details",
            get_route(cards::sensitive_details),
        )
        .route(
            "/api/v1/customer/cards/transferfunds",
            post_route(cards::transfer_funds),
        )
        .route("/api/v1/customer/cards/create", post_route(cards::create))
        .route(
            "/api/v1/customer/simulations/payins",
            post_route(simulate_payin),
        )
        .route(
            "/api/v1/customer/informationrequests/getinformationrequestlist",
            get_route(information_requests),
        )
        .route(
            "/api/v1/customer/informationrequests/getinformationrequestdetails",
            get_route(information_request),
        )
        .route(
            "/api/v1/customer/transactions/cancel",
            get_route(cancellation_eligibility),
        )
        .route(
            "/api/v1/customer/foreign-exchanges/pairs",
            get_route(fx_pairs),
        )
        .merge(crate::control::routes())
        .fallback(|| async { ApiError::not_found("").response() })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed().response() })
        .with_state(shared)
}

/// After `Validator::finish` every required value is present; this turns a (never expected)
/// absence into a 400 instead of a panic.
pub(crate) fn present<T>(v: Option<T>, field: &str) -> Result<T, ApiError> {
    v.ok_or_else(|| ApiError::bad(field, "Required"))
}

fn name_length(v: &mut Validator, field: &str, s: &Option<String>) {
    if s.as_ref().is_some_and(|s| s.chars().count() > 100) {
        v.error(field, "Invalid_Length");
    }
}

// ----- accounts -----

fn create_account(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.id(f, "CustomersId");
    let name = v.str(f, "Name");
    name_length(&mut v, "Name", &name);
    let asset_text = v.str(f, "Asset");
    let asset = asset_text.as_deref().and_then(Asset::parse);
    if asset_text.is_some() && asset.is_none() {
        v.error("Asset", "Invalid");
    }
    v.finish()?;
    let (customer, name, asset) = (
        present(customer, "CustomersId")?,
        present(name, "Name")?,
        present(asset, "Asset")?,
    );
    let mut w = s.world();
    let id = w.create_account(customer, name, asset)?;
    let acc = w.account(id, "Id")?;
    Ok(envelope(
        0,
        json!({
            "customersId": customer,
            "customersReference": w.customer_reference(customer),
            "accounts": [w.created_account_json(acc)],
        }),
    ))
}

fn get_account(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let id = v.id(f, "Id");
    v.finish()?;
    let id = present(id, "Id")?;
    let w = s.world();
    let acc = w.account(id, "Id")?;
    let mut out = envelope(id, w.account_json(acc));
    if let Value::Object(m) = &mut out {
        m.insert("pageSize".into(), json!(10));
        m.insert("pageNumber".into(), json!(1));
        m.insert("numberOfPages".into(), json!(1));
    }
    Ok(out)
}

fn balances(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let unpaged = f.get("PageNumber").is_none() && f.get("PageSize").is_none();
    let page = v.page(f);
    v.finish()?;
    let w = s.world();
    let all: Vec<Value> = w
        .accounts()
        .filter(|a| a.customer_id == MANAGER_ID)
        .map(World::balance_json)
        .collect();
    let total = all.len();
    if unpaged {
        let page = Page {
            number: 1,
            size: total,
        };
        return Ok(paged(0, all, &page, total));
    }
    let page = present(page, "PageNumber")?;
    let items = all[page.range(total)].to_vec();
    Ok(paged(0, items, &page, total))
}

fn list_accounts(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.opt_id(f, "CustomersId");
    let asset = v.opt_str(f, "Asset");
    let page = v.page(f);
    v.finish()?;
    let page = present(page, "PageNumber")?;
    let w = s.world();
    if let Some(c) = customer {
        w.customer(c)?;
    }
    let all: Vec<Value> = w
        .accounts()
        .filter(|a| customer.is_none_or(|c| a.customer_id == c))
        .filter(|a| {
            asset
                .as_deref()
                .is_none_or(|x| a.asset.code().eq_ignore_ascii_case(x.trim()))
        })
        .map(|a| w.account_json(a))
        .collect();
    let total = all.len();
    let items = all[page.range(total)].to_vec();
    Ok(paged(0, items, &page, total))
}

fn transactions(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let account = v.opt_id(f, "AccountsId");
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
    if let Some(a) = account {
        w.account(a, "AccountsId")?;
    }
    let (items, total) = w.list_transactions(account, from, to, page);
    Ok(paged(0, items, &page, total))
}

fn transaction(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let id = v.id(f, "Id");
    v.finish()?;
    let id = present(id, "Id")?;
    let w = s.world();
    let tx = w
        .tx(id)
        .ok_or_else(|| SandboxError::not_found("transaction", "Id", id))?;
    Ok(envelope(0, w.tx_details_json(tx)))
}

fn withdraw(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let account = v.id(f, "AccountsId");
    let amount = v.amount(f, "Amount");
    let address = v.str(f, "DestinationAddress");
    name_length(&mut v, "DestinationAddress", &address);
    if address
        .as_deref()
        .is_some_and(|a| !a.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        v.error("DestinationAddress", "Invalid");
    }
    v.finish()?;
    let (account, amount, address) = (
        present(account, "AccountsId")?,
        present(amount, "Amount")?,
        present(address, "DestinationAddress")?,
    );
    let hold = s.hold_withdrawals();
    let mut w = s.world();
    let id = w.withdraw(account, amount, &address, hold)?;
    let tx = w
        .tx(id)
        .ok_or_else(|| SandboxError::not_found("transaction", "Id", id))?;
    Ok(envelope(
        0,
        json!({
            "id": tx.id,
            "accountsId": tx.account_id,
            "amount": money(amount),
            "description": tx.description,
            "dateTime": timestamp(tx.time),
            "bPending": hold,
        }),
    ))
}

fn deposit_address(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let account = v.id(f, "AccountsId");
    v.finish()?;
    let account = present(account, "AccountsId")?;
    let w = s.world();
    let acc = w.account(account, "AccountsId")?;
    let address = acc
        .asset
        .deposit_address(acc.id)
        .ok_or_else(|| ApiError::bad("AccountsId", "Invalid"))?;
    Ok(envelope(0, json!({"address": address})))
}

// ----- exchanges -----

fn pairs(_s: &Shared, _f: &Fields) -> ApiResult {
    let items: Vec<Value> = Pair::ALL
        .iter()
        .map(|p| {
            let (min_a, max_a) = p.amount_limits();
            let (min_p, max_p) = p.price_limits();
            json!({
                "assetPair": p.name(),
                "baseAsset": p.base.code(),
                "quoteAsset": p.quote.code(),
                "minimumAmount": money(min_a),
                "maximumAmount": money(max_a),
                "minimumPrice": money(min_p),
                "maximumPrice": money(max_p),
                // The names another copy of the page documents, with the same values.
                "commissionFeePercentage": money(commission_rate() * Decimal::ONE_HUNDRED),
                "minTradeAmount": money(min_a),
                "maxTradeAmount": money(max_a),
                "minTradePrice": money(min_p),
                "maxTradePrice": money(max_p),
                "maxDecimalPrecision": SCALE,
            })
        })
        .collect();
    Ok(envelope(0, Value::Array(items)))
}

fn pair_field(v: &mut Validator, f: &Fields, required: bool) -> Option<Pair> {
    let text = if required {
        v.str(f, "AssetPair")
    } else {
        v.opt_str(f, "AssetPair")
    }?;
    let pair = Pair::parse(&text);
    if pair.is_none() {
        v.error("AssetPair", "Invalid");
    }
    pair
}

fn enum_field<T>(
    v: &mut Validator,
    f: &Fields,
    name: &str,
    required: bool,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let text = if required {
        v.str(f, name)
    } else {
        v.opt_str(f, name)
    }?;
    let value = parse(&text);
    if value.is_none() {
        v.error(name, "Invalid");
    }
    value
}

/// The requested value matching the quantity type (`Price` or `Amount`).
fn value_field(v: &mut Validator, f: &Fields, qt: Option<QuantityType>) -> Option<Decimal> {
    match qt? {
        QuantityType::Price => v.amount(f, "Price"),
        QuantityType::Amount => v.amount(f, "Amount"),
    }
}

/// `transferType`: required for a sell whose `payeesId` is set, else optional; validated.
fn transfer_field(v: &mut Validator, f: &Fields, required: bool) -> Option<String> {
    let text = if required {
        v.str(f, "TransferType")
    } else {
        v.opt_str(f, "TransferType")
    }?;
    let t = parse_transfer_type(&text);
    if t.is_none() {
        v.error("TransferType", "Invalid");
    }
    t.map(str::to_string)
}

fn terms_json(
    customer: i64,
    payee: Option<i64>,
    qt: QuantityType,
    pair: Pair,
    t: &crate::model::Terms,
) -> serde_json::Map<String, Value> {
    let v = json!({
        "customersId": customer,
        "payeesId": payee,
        "quantityType": qt.as_str(),
        "assetPair": pair.name(),
        "amount": money(t.amount),
        "netPrice": money(t.net_price),
        "networkFee": money(t.network_fee),
        "commissionFee": money(t.commission),
        "price": money(t.price),
    });
    match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

fn quote(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.id(f, "CustomersId");
    let payee = v.opt_id(f, "PayeesId");
    let pair = pair_field(&mut v, f, true);
    let qt = enum_field(&mut v, f, "QuantityType", true, QuantityType::parse);
    let kind = enum_field(&mut v, f, "ExchangeType", true, ExchangeType::parse);
    transfer_field(
        &mut v,
        f,
        payee.is_some() && kind == Some(ExchangeType::Sell),
    );
    let value = value_field(&mut v, f, qt);
    v.finish()?;
    let (customer, pair, qt, kind, value) = (
        present(customer, "CustomersId")?,
        present(pair, "AssetPair")?,
        present(qt, "QuantityType")?,
        present(kind, "ExchangeType")?,
        present(value, "Amount")?,
    );
    let mut w = s.world();
    w.verified_customer(customer)?;
    if let Some(p) = payee {
        w.payee_of(p, customer)?;
    }
    let q = w.quote(customer, pair, kind, qt, value)?;
    let mut m = terms_json(customer, payee, qt, pair, &q.terms);
    m.insert("fxRateId".into(), json!(q.fx_rate_id));
    m.insert("fxRateExpiryDate".into(), json!(timestamp(q.expires)));
    Ok(envelope(0, Value::Object(m)))
}

fn exchange_reply(w: &World, id: i64, envelope_id: i64) -> ApiResult {
    let ex = w.exchange(id)?;
    Ok(envelope(envelope_id, w.exchange_json(ex)))
}

fn buy(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.id(f, "CustomersId");
    let pair = pair_field(&mut v, f, true);
    let qt = enum_field(&mut v, f, "QuantityType", true, QuantityType::parse);
    let value = value_field(&mut v, f, qt);
    v.finish()?;
    let (customer, pair, qt, value) = (
        present(customer, "CustomersId")?,
        present(pair, "AssetPair")?,
        present(qt, "QuantityType")?,
        present(value, "Amount")?,
    );
    let mut w = s.world();
    let market_price = w.price(pair);
    let id = w.create_exchange(NewExchange {
        kind: ExchangeType::Buy,
        customer_id: customer,
        pair,
        quantity_type: qt,
        requested: value,
        market_price,
        payees_id: None,
        transfer_type: None,
    })?;
    exchange_reply(&w, id, 0)
}

fn sell(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.id(f, "CustomersId");
    let payee = v.opt_id(f, "PayeesId");
    let fx = v.opt_id(f, "FxRateId");
    let pair = pair_field(&mut v, f, fx.is_none());
    let qt = enum_field(&mut v, f, "QuantityType", fx.is_none(), QuantityType::parse);
    let transfer = transfer_field(&mut v, f, payee.is_some());
    let _purpose = v.opt_str(f, "PurposeCode");
    // With an fxRateId, a missing price/amount is taken from the quote.
    let value = match (qt, fx) {
        (Some(QuantityType::Price), Some(_)) if f.get("Price").is_none() => None,
        (Some(QuantityType::Amount), Some(_)) if f.get("Amount").is_none() => None,
        _ => value_field(&mut v, f, qt),
    };
    v.finish()?;
    let customer = present(customer, "CustomersId")?;
    let mut w = s.world();
    w.verified_customer(customer)?;
    let (pair, qt, value, market_price) = match fx {
        None => {
            let pair = present(pair, "AssetPair")?;
            let price = w.price(pair);
            (
                pair,
                present(qt, "QuantityType")?,
                present(value, "Amount")?,
                price,
            )
        }
        Some(fx) => {
            let rate = w.fx_rate(fx, customer)?;
            if pair.is_some_and(|p| p != rate.pair) {
                return Err(ApiError::bad("FxRateId", "Invalid"));
            }
            let qt = qt.unwrap_or(rate.quantity_type);
            let value = match value {
                Some(v) => v,
                None if qt == rate.quantity_type => rate.requested,
                None => {
                    let field = match qt {
                        QuantityType::Price => "Price",
                        QuantityType::Amount => "Amount",
                    };
                    return Err(ApiError::bad(field, "Required"));
                }
            };
            (rate.pair, qt, value, rate.market_price)
        }
    };
    let id = w.create_exchange(NewExchange {
        kind: ExchangeType::Sell,
        customer_id: customer,
        pair,
        quantity_type: qt,
        requested: value,
        market_price,
        payees_id: payee,
        transfer_type: transfer,
    })?;
    exchange_reply(&w, id, 0)
}

fn list_exchanges(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.opt_id(f, "CustomersId");
    let pair = pair_field(&mut v, f, false);
    let kind = enum_field(&mut v, f, "ExchangeType", false, ExchangeType::parse);
    let status = enum_field(&mut v, f, "Status", false, ExchangeStatus::parse);
    let page = v.page(f);
    v.finish()?;
    let page = present(page, "PageNumber")?;
    let filter = ExchangeFilter {
        customer_id: customer,
        pair,
        kind,
        status,
    };
    let w = s.world();
    let (items, total) = w.list_exchanges(&filter, page);
    Ok(paged(0, items, &page, total))
}

fn exchange_id(f: &Fields) -> Result<i64, ApiError> {
    let mut v = Validator::default();
    let id = v.id(f, "ExchangesId");
    v.finish()?;
    present(id, "ExchangesId")
}

fn review_quote(s: &Shared, f: &Fields) -> ApiResult {
    let id = exchange_id(f)?;
    let w = s.world();
    let (ex, t) = w.review(id)?;
    let mut m = terms_json(ex.customer_id, ex.payees_id, ex.quantity_type, ex.pair, &t);
    m.insert("previousPrice".into(), money(ex.terms.price));
    m.insert("previousAmount".into(), money(ex.terms.amount));
    m.insert("fxRateId".into(), Value::Null);
    m.insert("fxRateExpiryDate".into(), Value::Null);
    Ok(envelope(id, Value::Object(m)))
}

fn confirm_sell(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let id = v.id(f, "ExchangesId");
    let amount = v.amount(f, "Amount");
    let price = v.amount(f, "Price");
    v.finish()?;
    let (id, amount, price) = (
        present(id, "ExchangesId")?,
        present(amount, "Amount")?,
        present(price, "Price")?,
    );
    let mut w = s.world();
    w.confirm_sell(id, amount, price)?;
    exchange_reply(&w, id, id)
}

fn cancel(s: &Shared, f: &Fields) -> ApiResult {
    let id = exchange_id(f)?;
    let mut w = s.world();
    w.cancel(id)?;
    exchange_reply(&w, id, 0)
}

// ----- simulated pay-ins -----

/// `POST /api/v1/customer/simulations/payins`: a Pending deposit; the answer has no
/// `details`, like the page's example.
fn simulate_payin(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let account = v.id(f, "DestinationAccountId");
    let rail = enum_field(&mut v, f, "TransferType", true, FiatRail::parse);
    let amount = v.amount(f, "Amount");
    let name = v.opt_str(f, "Name");
    name_length(&mut v, "Name", &name);
    let reference = v.opt_str(f, "Reference");
    name_length(&mut v, "Reference", &reference);
    v.finish()?;
    let (account, rail, amount) = (
        present(account, "DestinationAccountId")?,
        present(rail, "TransferType")?,
        present(amount, "Amount")?,
    );
    s.world().simulate_payin(
        account,
        FiatTransfer {
            rail,
            reference,
            name,
        },
        amount,
    )?;
    Ok(json!({"id": 0, "status": "1", "errors": []}))
}

// ----- information requests -----

fn information_requests(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let customer = v.opt_id(f, "CustomersId");
    let page = v.page(f);
    v.finish()?;
    let page = present(page, "PageNumber")?;
    let w = s.world();
    if let Some(c) = customer {
        w.customer(c)?;
    }
    let (items, total) = w.list_rfis(customer, page);
    Ok(paged(0, items, &page, total))
}

/// The id parameter is not documented: `Id`, `InformationRequestId` and
/// `InformationRequestsId` are all read (any case).
const RFI_ID_NAMES: [&str; 3] = ["Id", "InformationRequestId", "InformationRequestsId"];

fn information_request(s: &Shared, f: &Fields) -> ApiResult {
    let name = RFI_ID_NAMES
        .into_iter()
        .find(|n| f.get(n).is_some())
        .unwrap_or("Id");
    let mut v = Validator::default();
    let id = v.id(f, name);
    v.finish()?;
    let id = present(id, name)?;
    let w = s.world();
    Ok(envelope(0, w.rfi(id, name)?.to_json()))
}

// ----- transaction cancellation -----

/// `GET /api/v1/customer/transactions/cancel`: whether the transaction may still be cancelled
/// (a pending outgoing withdrawal). An unknown transaction, or one of another customer than
/// `CustomersId`, is 400 with the page's code `BadRequest`.
fn cancellation_eligibility(s: &Shared, f: &Fields) -> ApiResult {
    let mut v = Validator::default();
    let id = v.id(f, "TransactionsId");
    let customer = v.opt_id(f, "CustomersId");
    v.finish()?;
    let id = present(id, "TransactionsId")?;
    let w = s.world();
    if let Some(c) = customer {
        w.customer(c)
            .map_err(|_| ApiError::bad("CustomersId", "BadRequest"))?;
    }
    let tx = w
        .tx(id)
        .ok_or_else(|| ApiError::bad("TransactionsId", "BadRequest"))?;
    let owner = w
        .account(tx.account_id, "TransactionsId")
        .map(|a| a.customer_id);
    if customer.is_some_and(|c| owner.ok() != Some(c)) {
        return Err(ApiError::bad("TransactionsId", "BadRequest"));
    }
    Ok(envelope(
        id,
        json!({"id": id, "bCancellable": w.cancellable(tx)}),
    ))
}

// ----- foreign exchange -----

/// The currency pairs enabled for the API user: (source, destination, rate in 1/10000).
/// The page does not show the fields: these are the sandbox's own (README.md).
const FX_PAIRS: [(&str, &str, i64); 4] = [
    ("USD", "EUR", 9215),
    ("USD", "GBP", 7890),
    ("EUR", "USD", 10852),
    ("GBP", "USD", 12674),
];

fn fx_pairs(_s: &Shared, _f: &Fields) -> ApiResult {
    let items: Vec<Value> = FX_PAIRS
        .iter()
        .enumerate()
        .map(|(i, (from, to, rate))| {
            json!({
                "id": i + 1,
                "currencyPair": format!("{from}/{to}"),
                "sourceCurrency": from,
                "destinationCurrency": to,
                "rate": money(Decimal::new(*rate, 4)),
                "commissionFeePercentage": money(Decimal::new(25, 2)),
                "minTradeAmount": money(Decimal::new(10, 0)),
                "maxTradeAmount": money(Decimal::new(250_000, 0)),
                "maxDecimalPrecision": 2,
            })
        })
        .collect();
    Ok(envelope(0, Value::Array(items)))
}
