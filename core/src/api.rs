//! The API's typed operations, each declared once: its name (`area.method`), HTTP method and
//! path, arguments (snake_case name, Rust type, wire key, doc, rules) and result. The request
//! structs, the `client.<area>()` methods, the operation table `ops::OPERATIONS`, the
//! loose-argument reader and `ops::Call` come from here (`declare.rs` says how); the Python and
//! Node packages and the CLI are generated from the table.
//!
//! A field of type `T` is a required argument, `Option<T>` an optional one. Its type implies a
//! rule: ids are positive, counts 1 or more, money > 0, required text not blank, enums one of
//! their documented values; text is sent trimmed. Rules that span several arguments are the
//! `check` functions next to the models (`models/<area>.rs`).
//!
//! `positional` names the argument that may also be passed positionally: the id of the object
//! of the operation's own area that it acts on (an account for `accounts.*`, an exchange for
//! `exchanges.*`), when it is the first required argument. A customer id is not: the
//! customer is who the operation is for, not what it acts on (`accounts.create`,
//! `exchanges.buy`).
//!
//! Adding an endpoint: declare it here (and its result model in `models/<area>.rs`), then
//! regenerate the bindings (`make python-generate`, `npm run gen:types`), add its vector
//! (`tests/vectors/<area>.<method>.json`) and its CLI example (`cli/src/examples.rs`).

operations! {
    /// The Accounts module: asset accounts, balances, transactions, crypto withdrawals and
    /// deposit addresses.
    area accounts: Accounts {
        CreateAccount: create(&Self) -> one(CreatedAccounts) {
            doc: "Create an asset account for a customer.",
            http: POST "/api/v2/customer/accounts/create",
            body: {
                customers_id: i64 = "customersId", "the customer the account is for";
                name: String = "name", "account name, at most 100 characters",
                    max_len(MAX_TEXT_LEN);
                asset: String = "asset", "USD or a supported cryptocurrency";
            },
        }

        GetAccount: get(id: i64) -> one(Account) {
            doc: "One account with its balances.",
            http: GET "/api/v1/customer/accounts/account",
            query: {
                id: i64 = "Id", "the account id";
            },
            positional: id,
        }

        /// Without paging arguments the API returns every balance on one page.
        #[derive(Default)]
        BalancesQuery: balances(&Self) -> page(Balance) {
            doc: "The manager's balances (all on one page without paging arguments).",
            http: GET "/api/v1/customer/accounts/balances",
            query: {
                page_number: Option<u32> = "pageNumber", "page to return, from 1";
                page_size: Option<u32> = "pageSize", "items per page";
            },
            pager: balances_pager,
        }

        #[derive(Default)]
        ListAccounts: list(&Self) -> page(Account) {
            doc: "A customer's accounts with balances.",
            http: GET "/api/v1/customer/accounts/list-accounts",
            query: {
                customers_id: Option<i64> = "customersId", "the manager or a managee";
                asset: Option<String> = "asset", "only accounts of this asset";
                page_number: Option<u32> = "pageNumber", "page to return, from 1";
                page_size: Option<u32> = "pageSize", "items per page";
            },
            pager: list_pager,
        }

        #[derive(Default)]
        ListTransactions: transactions(&Self) -> page(Transaction) {
            doc: "Transactions, newest first.",
            http: GET "/api/v1/customer/accounts/transactions",
            query: {
                accounts_id: Option<i64> = "AccountsId", "only this account's transactions";
                from_date: Option<DateBound> = "FromDate", "from this date (inclusive)";
                to_date: Option<DateBound> = "ToDate", "up to this date";
                page_number: Option<u32> = "PageNumber", "page to return, from 1";
                page_size: Option<u32> = "PageSize", "items per page";
            },
            check: check_transactions,
            pager: transactions_pager,
        }

        // v2, although the spec's request example says v1 (rule 9 of docs/wire-rules.md).
        GetTransaction: transaction(id: i64) -> one(TransactionDetails) {
            doc: "One transaction with its detail objects.",
            http: GET "/api/v2/customer/accounts/transactions/get",
            query: {
                id: i64 = "Id", "the transaction id";
            },
            positional: id,
        }

        WithdrawCrypto: withdraw_crypto(&Self) -> one(Withdrawal) {
            doc: "Send crypto to an external wallet. Never re-sent once it may have arrived.",
            http: POST "/api/v1/customer/accounts/crypto/withdraw",
            body: {
                accounts_id: i64 = "accountsId", "the crypto account debited";
                amount: Decimal = "amount", "amount to send, > 0";
                destination_address: String = "destinationAddress",
                    "on-chain address, at most 100 characters",
                    max_len(MAX_TEXT_LEN), no_whitespace;
            },
            positional: accounts_id,
        }

        // The spec lists `accountsId` as a body parameter of this GET: it is the query's
        // `AccountsId` (rule 9 of docs/wire-rules.md).
        GetDepositAddress: deposit_address(accounts_id: i64) -> one(DepositAddress) {
            doc: "The address that deposits to a crypto account go to.",
            http: GET "/api/v1/customer/accounts/crypto/depositaddress",
            query: {
                accounts_id: i64 = "AccountsId", "the crypto account";
            },
            positional: accounts_id,
        }
    }

    /// The Crypto Exchanges module: pairs, quotes, buys and sells, and the compliance review
    /// flow.
    area exchanges: Exchanges {
        #[derive(Default)]
        ListPairs: pairs() -> list(AssetPair) {
            doc: "Asset pairs enabled for exchanges, with limits.",
            http: GET "/api/v1/customer/crypto-exchanges/availablepairs",
            query: {},
        }

        QuoteRequest: quote(&Self) -> one(Quote) {
            doc: "Price an exchange without executing it.",
            http: POST "/api/v1/customer/crypto-exchanges/quote",
            body: {
                customers_id: i64 = "customersId", "the customer exchanging";
                asset_pair: String = "assetPair", "BASE/QUOTE, e.g. BTC/USDC", asset_pair;
                quantity_type: QuantityType = "quantityType",
                    "Price: fix the quote-asset value; Amount: fix the base-asset quantity";
                exchange_type: ExchangeType = "exchangeType", "Buy or Sell";
                price: Option<Decimal> = "price", "with quantity_type Price";
                amount: Option<Decimal> = "amount", "with quantity_type Amount";
                payees_id: Option<i64> = "payeesId", "receiving payee (passthrough accounts)";
                transfer_type: Option<TransferType> = "transferType",
                    "required for a sell with a payee";
            },
            check: check_quote,
        }

        SellRequest: sell(&Self) -> one(Exchange) {
            doc: "Sell an asset. Never re-sent once it may have arrived.",
            http: POST "/api/v1/customer/crypto-exchanges/sell",
            body: {
                customers_id: i64 = "customersId", "the customer selling";
                asset_pair: String = "assetPair", "BASE/QUOTE, e.g. BTC/USD", asset_pair;
                quantity_type: Option<QuantityType> = "quantityType",
                    "required unless fx_rate_id is given";
                price: Option<Decimal> = "price", "with quantity_type Price";
                amount: Option<Decimal> = "amount", "with quantity_type Amount";
                fx_rate_id: Option<FxRateId> = "fxRateId", "from a quote, passed unchanged";
                payees_id: Option<i64> = "payeesId", "payee credited with the proceeds";
                transfer_type: Option<TransferType> = "transferType", "required with payees_id";
                purpose_code: Option<String> = "purposeCode",
                    "reason code, required for FX sells";
            },
            check: check_sell,
        }

        BuyRequest: buy(&Self) -> one(Exchange) {
            doc: "Buy an asset. Never re-sent once it may have arrived.",
            http: POST "/api/v1/customer/crypto-exchanges/buy",
            body: {
                customers_id: i64 = "customersId", "the customer buying";
                asset_pair: String = "assetPair", "BASE/QUOTE, e.g. BTC/USDC", asset_pair;
                quantity_type: QuantityType = "quantityType", "Price or Amount";
                price: Option<Decimal> = "price", "with quantity_type Price";
                amount: Option<Decimal> = "amount", "with quantity_type Amount";
            },
            check: check_buy,
        }

        // `/list`, although the spec's heading says `/buy` (rule 9 of docs/wire-rules.md).
        #[derive(Default)]
        ListExchanges: list(&Self) -> page(Exchange) {
            doc: "Exchanges, filtered.",
            http: GET "/api/v1/customer/crypto-exchanges/list",
            query: {
                customers_id: Option<i64> = "CustomersId", "only this customer's exchanges";
                asset_pair: Option<String> = "AssetPair", "only this pair", asset_pair;
                exchange_type: Option<ExchangeType> = "ExchangeType", "Buy or Sell";
                status: Option<ExchangeStatus> = "Status", "only exchanges in this state";
                page_number: Option<u32> = "PageNumber", "page to return, from 1";
                page_size: Option<u32> = "PageSize", "items per page";
            },
            pager: list_pager,
        }

        ReviewQuoteRequest: review_quote(exchanges_id: i64) -> one(ReviewQuote) {
            doc: "The new price of an exchange whose price moved during review.",
            http: POST "/api/v1/customer/crypto-exchanges/reviewquote",
            body: {
                exchanges_id: i64 = "exchangesId", "an exchange waiting for confirmation";
            },
            positional: exchanges_id,
        }

        ConfirmSell: confirm_sell(&Self) -> one(Exchange) {
            doc: "Accept the reviewed price of a sell. Never re-sent once it may have arrived.",
            http: POST "/api/v1/customer/crypto-exchanges/confirmsell",
            body: {
                exchanges_id: i64 = "exchangesId", "the reviewed exchange";
                amount: Decimal = "amount", "as review_quote returned it";
                price: Decimal = "price", "as review_quote returned it";
            },
            positional: exchanges_id,
        }

        CancelExchange: cancel(exchanges_id: i64) -> one(Exchange) {
            doc: "Cancel an exchange whose price moved during review.",
            http: POST "/api/v1/customer/crypto-exchanges/cancel",
            body: {
                exchanges_id: i64 = "exchangesId", "an exchange waiting for confirmation";
            },
            positional: exchanges_id,
        }
    }

    /// The Cards module: customers' cards, their balances, transactions and details, their
    /// sensitive details, transfers between cards and accounts, and new cards.
    area cards: Cards {
        #[derive(Default)]
        ListCards: list(&Self) -> page(CustomerCards) {
            doc: "Every managed customer with their cards.",
            http: GET "/api/v1/customer/cards/byuser/list",
            query: {
                page_number: Option<u32> = "PageNumber", "page to return, from 1";
                page_size: Option<u32> = "PageSize", "items per page";
            },
            pager: list_pager,
        }

        // The page shows both `details` as a list and as one customer: either is read.
        #[derive(Default)]
        CardsByCustomer: by_customer(&Self) -> list(CustomerCards) {
            doc: "A customer's cards.",
            http: GET "/api/v1/customer/cards/byuser",
            query: {
                customers_id: Option<i64> = "customersId", "the customer (a managee)";
            },
        }

        #[derive(Default)]
        CardBalancesQuery: balances(&Self) -> page(CardBalance) {
            doc: "The cards' balances, current at the time of the call.",
            http: GET "/api/v1/customer/cards/balances",
            query: {
                customers_id: Option<i64> = "CustomersID", "only this customer's cards";
                page_number: Option<u32> = "PageNumber", "page to return, from 1";
                page_size: Option<u32> = "PageSize", "items per page";
            },
            pager: balances_pager,
        }

        #[derive(Default)]
        ListCardTransactions: transactions(&Self) -> page(CardTransaction) {
            doc: "Card transactions.",
            http: GET "/api/v1/customer/cards/transactions",
            query: {
                cards_id: Option<i64> = "CardsId", "only this card's transactions";
                from_date: Option<DateBound> = "fromDate", "from this date (inclusive)";
                to_date: Option<DateBound> = "toDate", "up to this date";
                page_number: Option<u32> = "PageNumber", "page to return, from 1";
                page_size: Option<u32> = "PageSize", "items per page";
            },
            check: check_card_transactions,
            pager: transactions_pager,
        }

        GetCard: get(card_id: i64) -> one(CardDetails) {
            doc: "One card's holder, last digits and balances.",
            http: GET "/api/v1/customer/cards/carddetails",
            query: {
                card_id: i64 = "CardId", "the card";
            },
            positional: card_id,
        }

        GetSensitiveCardDetails: sensitive_details(card_id: i64) -> secret(SensitiveCardDetails) {
            doc: "A card's number, bank details and CVC (secret: shown only when asked for).",
            http: GET "/api/v1/customer/cards/sensitive-details",
            query: {
                card_id: i64 = "CardId", "the card";
            },
            positional: card_id,
        }

        // Keys as the provider's examples spell them; `CustomersId` is a string there.
        TransferFunds: transfer_funds(&Self) -> one(CardTransfer) {
            doc: "Card top-ups, withdrawals and card-to-card moves. Never re-sent once it may \
                  have arrived.",
            http: POST "/api/v1/customer/cards/transferfunds",
            sparse_body: {
                transfer_type: CardTransferType = "transferTypes",
                    "TopUpCard (account to card), TopUpAccount (card to account) or CardToCard";
                amount: Decimal = "amount", "amount to move, > 0";
                currency_type: CardCurrency = "currencyType", "USD or dUSD (CardToCard: USD)";
                customers_id: i64 = "CustomersId" as text,
                    "the customer whose card it is (sent as a string)";
                source_card_id: Option<i64> = "SourceCardId",
                    "the card debited (TopUpAccount, CardToCard)";
                destination_card_id: Option<i64> = "DestinationCardId",
                    "the card credited (TopUpCard, CardToCard)";
                customer_asset_account_id: Option<i64> = "CustomerAssetAccountId",
                    "the asset account (TopUpCard, TopUpAccount)";
                reference: Option<String> = "reference", "a note the transfer carries";
            },
            check: check_transfer_funds,
        }

        CreateCard: create(&Self) -> one(CreatedCard) {
            doc: "Issue a card (it starts deactivated). Never re-sent once it may have arrived.",
            http: POST "/api/v1/customer/cards/create",
            sparse_body: {
                customers_id: i64 = "customersId", "the customer the card is for";
                currency: String = "currency", "the card's currency (USD)";
                card_reference_id: String = "cardReferenceId", "your identifier for the card";
                shipping_method: ShippingMethod = "shippingMethod", "Standard or Express";
                card_program_id: i64 = "cardProgramID", "an existing card program";
                card_type: Option<CardType> = "cardType", "Physical or Virtual";
                shipping_address: ShippingAddress = "shippingAddress",
                    "where a physical card is shipped";
                business_review_details: Option<BusinessReviewDetails> = "businessReviewDetails",
                    "a business's review details (customers older than 6 months)";
                personal_review_details: Option<JsonObject> = "personalReviewDetails",
                    "a person's review details (customers older than 6 months; keys as the API \
                     takes them)";
            },
        }
    }

    /// The Foreign Currency Exchange module: the currency pairs enabled for exchange (its
    /// quote and execution are not documented: reachable through `Client::request`).
    area fx: Fx {
        #[derive(Default)]
        ListCurrencyPairs: pairs() -> list(CurrencyPair) {
            doc: "Currency pairs enabled for foreign exchange, with their limits.",
            http: GET "/api/v1/customer/foreign-exchanges/pairs",
            query: {},
        }
    }

    /// Simulated testing (the provider's sandbox only): inbound deposits on demand.
    area simulations: Simulations {
        // Its success has no `details`: nothing to return.
        SimulatePayin: payin(&Self) -> nothing {
            doc: "Simulate an inbound deposit to one of your accounts (sandbox only).",
            http: POST "/api/v1/customer/simulations/payins",
            sparse_body: {
                destination_account_id: i64 = "DestinationAccountId", "the account credited";
                transfer_type: PayinTransferType = "TransferType",
                    "ACH or WIRE (US account), SWIFT (international account)";
                amount: Decimal = "Amount", "amount deposited, > 0";
                name: Option<String> = "Name", "the destination account holder's name";
                reference: Option<String> = "Reference",
                    "required for FBO and pooled accounts";
            },
        }
    }

    /// The Information Requests module: compliance's requests for information (RFIs) about
    /// flagged transactions (answering one is not documented: reachable through
    /// `Client::request`).
    area information_requests: InformationRequests {
        #[derive(Default)]
        ListInformationRequests: list(&Self) -> page(InformationRequest) {
            doc: "Requests for information.",
            http: GET "/api/v1/customer/informationrequests/getinformationrequestlist",
            query: {
                customers_id: Option<i64> = "CustomersId", "only this customer's requests";
                page_number: Option<u32> = "PageNumber", "page to return, from 1";
                page_size: Option<u32> = "PageSize", "items per page";
            },
            pager: list_pager,
        }

        // The page prints the path with a stray space (dropped) and shows no query parameter:
        // `Id`, as the other "by id" endpoints name it.
        GetInformationRequest: get(id: i64) -> one(InformationRequest) {
            doc: "One request for information.",
            http: GET "/api/v1/customer/informationrequests/getinformationrequestdetails",
            query: {
                id: i64 = "Id", "the request";
            },
            positional: id,
        }
    }

    /// The Transactions module: whether an outgoing transfer can still be cancelled (submitting
    /// the cancellation is not documented: reachable through `Client::request`).
    area transactions: Transactions {
        CancellationEligibilityQuery: cancellation_eligibility(&Self) -> one(CancellationEligibility) {
            doc: "Whether a transaction can still be cancelled.",
            http: GET "/api/v1/customer/transactions/cancel",
            query: {
                transactions_id: i64 = "TransactionsId", "the outgoing transaction";
                customers_id: Option<i64> = "CustomersId", "the managed customer it belongs to";
            },
            positional: transactions_id,
        }
    }
}
