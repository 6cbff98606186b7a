//! `operations!`: the macro that turns the API's declaration (`api.rs`) into code.
//!
//! One invocation lists every area and, in it, every operation: its request struct, Rust method,
//! result, HTTP method and path, whether the arguments travel in the query or the body, and each
//! argument once (name, Rust type, wire key, doc, extra rules), plus the operation's
//! positional argument, hand-written cross-field check and pager method. From that it writes:
//!
//! - per area, a module (`ibanera::accounts`) with the request structs (`validate`,
//!   `to_query` or the JSON body with the wire keys, sending), the area's struct
//!   (`Accounts`) with one typed method per operation (and a `*_pager` for lists), and
//!   `Client::accounts()`;
//! - the operation table `ops::OPERATIONS`, the loose-argument reader behind `ops::parse`, and
//!   `ops::Call` / `ops::Output` / `ops::Item` with their dispatch (`op`, `validate`, `run`,
//!   `pager`, `page_number`, `at_page`, `Output::visit`);
//! - the list of result models the JSON Schema description covers.
//!
//! What a field's Rust type means (its `ArgType`, how loose input is read, the rule its type
//! implies, its wire form) is in `args.rs`; `Option<T>` makes an argument optional.
//!
//! Grammar of one operation (inside `area name: Struct { ... }`):
//!
//! ```text
//! #[derive(Default)]                       // optional attributes of the request struct
//! Request: method(FORM) -> KIND(Model) {   // FORM: &Self | field: type | (nothing)
//!     doc: "what it does",                 // KIND: one | list | page | secret | nothing
//!     http: GET "/api/v1/...",              //   (secret: one object never printed; nothing:
//!     query: {                             //   no model) -- or body: { ... }, sparse_body
//!         field: Type = "WireKey" [as text], "doc" [, rule(args)]... ;
//!     },
//!     positional: field,                   // optional: may be passed positionally
//!     check: function,                     // optional: fn(&Request) -> Result<(), ValidationError>
//!     pager: method_pager,                 // optional, lists: the Rust pager method's name
//! }
//! ```
//!
//! `as text` sends the field as a JSON string of its text (an id the API takes as a string);
//! `body` sends every argument (`null` when absent), `sparse_body` only those given.
//!
//! A rule `r(args)` calls `crate::validate::r("field", &value, args)` when the field has a
//! value, after the rule of the field's type; the operation's `check` runs last.

macro_rules! operations {
    // ---- Result kinds ------------------------------------------------------------------------
    (@ret_ty one($m:ident)) => { $m };
    (@ret_ty list($m:ident)) => { ::std::vec::Vec<$m> };
    (@ret_ty page($m:ident)) => { $crate::paging::Page<$m> };
    (@ret_ty secret($m:ident)) => { $m };
    (@ret_ty nothing) => { () };

    (@out_ty $area:ident one($m:ident)) => { $area::$m };
    (@out_ty $area:ident list($m:ident)) => { ::std::vec::Vec<$area::$m> };
    (@out_ty $area:ident page($m:ident)) => { $crate::paging::Page<$area::$m> };
    (@out_ty $area:ident secret($m:ident)) => { $area::$m };
    (@out_ty $area:ident nothing) => { () };

    (@details_ty one($m:ident)) => { $m };
    (@details_ty list($m:ident)) => { $crate::serde_util::OneOrMany<$m> };
    (@details_ty page($m:ident)) => { ::std::vec::Vec<$m> };
    (@details_ty secret($m:ident)) => { $m };
    (@details_ty nothing) => { $crate::serde_util::Ignored };

    // The type a binding's visitor receives (the model, or `()`).
    (@model_ty $area:ident one($m:ident)) => { $area::$m };
    (@model_ty $area:ident list($m:ident)) => { $area::$m };
    (@model_ty $area:ident page($m:ident)) => { $area::$m };
    (@model_ty $area:ident secret($m:ident)) => { $area::$m };
    (@model_ty $area:ident nothing) => { () };

    (@finish $env:ident, $req:ident, one($m:ident)) => { $env.details };
    (@finish $env:ident, $req:ident, list($m:ident)) => { $env.details.0 };
    (@finish $env:ident, $req:ident, page($m:ident)) => {
        $crate::paging::checked_page(&Self::ENDPOINT, $req.page_number, $env)?
    };
    (@finish $env:ident, $req:ident, secret($m:ident)) => { $env.details };
    (@finish $env:ident, $req:ident, nothing) => { { let _ = $env; } };

    (@returns one($m:ident)) => { $crate::ops::Returns::One(stringify!($m)) };
    (@returns list($m:ident)) => { $crate::ops::Returns::List(stringify!($m)) };
    (@returns page($m:ident)) => { $crate::ops::Returns::Page(stringify!($m)) };
    (@returns secret($m:ident)) => { $crate::ops::Returns::Secret(stringify!($m)) };
    (@returns nothing) => { $crate::ops::Returns::Nothing };

    (@visit $v:ident, $x:ident, $area:ident one($m:ident)) => {
        $crate::ops::Visitor::<$area::$m>::one($v, $x)
    };
    (@visit $v:ident, $x:ident, $area:ident list($m:ident)) => {
        $crate::ops::Visitor::<$area::$m>::list($v, $x)
    };
    (@visit $v:ident, $x:ident, $area:ident page($m:ident)) => {
        $crate::ops::Visitor::<$area::$m>::page($v, $x)
    };
    (@visit $v:ident, $x:ident, $area:ident secret($m:ident)) => {
        $crate::ops::Visitor::<$area::$m>::one($v, $x)
    };
    (@visit $v:ident, $x:ident, $area:ident nothing) => {
        $crate::ops::Visitor::<()>::one($v, $x)
    };

    (@schema_model $g:ident, nothing) => {};
    (@schema_model $g:ident, $kind:ident($m:ident)) => { $g.subschema_for::<$m>(); };

    // ---- Paging ------------------------------------------------------------------------------
    (@pager_of $r:ident, $client:ident, $Req:ident page($m:ident)) => {
        Some($r.clone().pager($client).map_items(Item::$Req))
    };
    (@pager_of $r:ident, $client:ident, $Req:ident $($other:tt)*) => { { let _ = ($r, $client); None } };

    (@page_number_of $r:ident, page($m:ident)) => { $r.page_number };
    (@page_number_of $r:ident, $($other:tt)*) => { { let _ = $r; None } };

    (@at_page $r:ident, $n:ident, $Req:ident page($m:ident)) => {{
        let mut next = $r.clone();
        next.page_number = Some($n);
        Some(Call::$Req(next))
    }};
    (@at_page $r:ident, $n:ident, $Req:ident $($other:tt)*) => { { let _ = ($r, $n); None } };

    (@paged_impls $Area:ident, $Req:ident, page($m:ident), $($pager:ident)?) => {
        impl $crate::paging::Paged for $Req {
            fn page_number(&self) -> Option<u32> {
                self.page_number
            }
            fn set_page_number(&mut self, page: u32) {
                self.page_number = Some(page);
            }
        }

        impl $Req {
            /// Every page from this query's, fetched lazily.
            pub(crate) fn pager(self, client: &$crate::Client) -> $crate::paging::Pager<$m> {
                let client = client.clone();
                $crate::paging::Pager::new(self, move |query: Self| {
                    let client = client.clone();
                    async move { query.send(&client).await }
                })
            }
        }

        $(
            impl $Area {
                #[doc = concat!(
                    "Every page of `", stringify!($Req), "`'s list, from its `page_number` ",
                    "(default 1) to the last, each fetched only when the walk reaches it."
                )]
                pub fn $pager(&self, query: $Req) -> $crate::paging::Pager<$m> {
                    query.pager(&self.client)
                }
            }
        )?
    };
    (@paged_impls $Area:ident, $Req:ident, $($other:tt)*) => {};

    // ---- Where the arguments travel ----------------------------------------------------------
    (@place query, $Req:ident, [$($f:ident = $wire:literal $(as $wform:ident)?),*]) => {
        impl $Req {
            /// The query string pairs (wire keys, only the arguments given).
            pub fn to_query(&self) -> Vec<(&'static str, String)> {
                #[allow(unused_mut)]
                let mut q = Vec::new();
                $( $crate::args::push_query(&mut q, $wire, &self.$f); )*
                q
            }

            async fn fetch<T: ::serde::de::DeserializeOwned>(
                &self,
                client: &$crate::Client,
            ) -> $crate::Result<$crate::Envelope<T>> {
                client.call(&Self::ENDPOINT, &self.to_query(), None).await
            }
        }
    };
    (@place body, $Req:ident, [$($f:ident = $wire:literal $(as $wform:ident)?),*]) => {
        /// The JSON body: every argument under its wire key, an absent one as `null`.
        impl ::serde::Serialize for $Req {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let fields: &[&str] = &[$($wire),*];
                #[allow(unused_mut)]
                let mut body = s.serialize_struct(stringify!($Req), fields.len())?;
                $( body.serialize_field($wire, &operations!(@wire &self.$f $(, $wform)?))?; )*
                body.end()
            }
        }

        impl $Req {
            async fn fetch<T: ::serde::de::DeserializeOwned>(
                &self,
                client: &$crate::Client,
            ) -> $crate::Result<$crate::Envelope<T>> {
                client.post(&Self::ENDPOINT, self).await
            }
        }
    };

    (@place sparse_body, $Req:ident, [$($f:ident = $wire:literal $(as $wform:ident)?),*]) => {
        /// The JSON body: the arguments given, each under its wire key (an absent one is left
        /// out, as the provider's examples leave it out).
        impl ::serde::Serialize for $Req {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                #[allow(unused_mut)]
                let mut body = s.serialize_map(None)?;
                $(
                    if $crate::args::ArgField::value(&self.$f).is_some() {
                        body.serialize_entry($wire, &operations!(@wire &self.$f $(, $wform)?))?;
                    }
                )*
                body.end()
            }
        }

        impl $Req {
            async fn fetch<T: ::serde::de::DeserializeOwned>(
                &self,
                client: &$crate::Client,
            ) -> $crate::Result<$crate::Envelope<T>> {
                client.post(&Self::ENDPOINT, self).await
            }
        }
    };

    (@wire $e:expr) => { $crate::args::Wire($e) };
    (@wire $e:expr, text) => { $crate::args::WireText($e) };

    // ---- The Rust method of an operation -----------------------------------------------------
    (@method $Area:ident, $method:ident, $Req:ident, [&Self], $ret:ty, $doc:expr) => {
        impl $Area {
            #[doc = $doc]
            pub async fn $method(&self, request: &$Req) -> $crate::Result<$ret> {
                request.send(&self.client).await
            }
        }
    };
    (@method $Area:ident, $method:ident, $Req:ident, [$a:ident : $aty:ty], $ret:ty, $doc:expr) => {
        impl $Area {
            #[doc = $doc]
            pub async fn $method(&self, $a: $aty) -> $crate::Result<$ret> {
                $Req { $a }.send(&self.client).await
            }
        }
    };
    (@method $Area:ident, $method:ident, $Req:ident, [], $ret:ty, $doc:expr) => {
        impl $Area {
            #[doc = $doc]
            pub async fn $method(&self) -> $crate::Result<$ret> {
                $Req {}.send(&self.client).await
            }
        }
    };

    (@opt_name $p:ident) => { Some(stringify!($p)) };
    (@opt_name) => { None };

    // ---- One operation: its request struct and method ----------------------------------------
    (@op $area:ident, $Area:ident,
        $(#[$meta:meta])*
        $Req:ident: $method:ident [$($form:tt)*] -> $kind:ident $(($model:ident))? {
            doc: $doc:literal,
            http: $verb:ident $path:literal,
            $place:ident: {
                $(
                    $f:ident : $fty:ty = $wire:literal $(as $wform:ident)?, $fdoc:literal
                    $(, $rule:ident $(($($rarg:expr),*))?)*;
                )*
            },
            $(positional: $pos:ident,)?
            $(check: $check:path,)?
            $(pager: $pager:ident,)?
        }
    ) => {
        $(#[$meta])*
        #[doc = concat!(
            "The arguments of `", stringify!($area), ".", stringify!($method), "` (",
            stringify!($verb), " `", $path, "`): ", $doc
        )]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $Req {
            $( #[doc = $fdoc] pub $f: $fty, )*
        }

        impl $Req {
            /// The operation's name, `area.method`.
            pub const NAME: &'static str = concat!(stringify!($area), ".", stringify!($method));
            /// The operation's HTTP method and path.
            pub const ENDPOINT: $crate::Endpoint =
                $crate::Endpoint::new($crate::Method::$verb, $path);

            /// The operation's row of [`OPERATIONS`](crate::ops::OPERATIONS).
            pub fn spec() -> &'static $crate::ops::OpSpec {
                &$crate::ops::OPERATIONS[super::Index::$Req as usize]
            }

            /// The row, as the table is built from it.
            pub(crate) const SPEC: $crate::ops::OpSpec = $crate::ops::OpSpec {
                name: Self::NAME,
                endpoint: Self::ENDPOINT,
                args: &[
                    $(
                        $crate::ops::ArgSpec {
                            name: stringify!($f),
                            wire: $wire,
                            ty: <$fty as $crate::args::ArgField>::TYPE,
                            required: <$fty as $crate::args::ArgField>::REQUIRED,
                            doc: $fdoc,
                        },
                    )*
                ],
                positional: operations!(@opt_name $($pos)?),
                returns: operations!(@returns $kind $(($model))?),
                doc: $doc,
            };

            /// The request from loosely typed arguments (read by the operation's row).
            pub(crate) fn read(
                #[allow(unused_variables)] args: &$crate::ops::Args,
            ) -> Result<Self, $crate::ValidationError> {
                Ok($Req {
                    $(
                        $f: <$fty as $crate::args::ArgField>::from_arg(
                            stringify!($f),
                            args.get(stringify!($f)),
                        )?,
                    )*
                })
            }

            /// The client-side checks (nothing is sent when one fails): each argument's type
            /// rule and declared rules, then the rules that span several arguments.
            pub fn validate(&self) -> Result<(), $crate::ValidationError> {
                $(
                    $crate::args::ArgField::check(&self.$f, stringify!($f))?;
                    if let Some(value) = $crate::args::ArgField::value(&self.$f) {
                        let _ = value;
                        $( $crate::validate::$rule(stringify!($f), value $(, $($rarg),*)?)?; )*
                    }
                )*
                $( $check(self)?; )?
                Ok(())
            }

            /// Adds the result model and the arguments' enums to `generator`'s definitions.
            #[cfg(feature = "schema")]
            pub(crate) fn add_schemas(generator: &mut ::schemars::SchemaGenerator) {
                operations!(@schema_model generator, $kind $(($model))?);
                $( <<$fty as $crate::args::ArgField>::Value as $crate::args::ArgValue>::add_schema(generator); )*
            }

            /// Validates, sends once (GETs are retried, a POST only if it never left) and
            /// decodes the result.
            pub(crate) async fn send(
                &self,
                client: &$crate::Client,
            ) -> $crate::Result<operations!(@ret_ty $kind $(($model))?)> {
                self.validate().map_err(|v| v.at(&Self::ENDPOINT))?;
                let env: $crate::Envelope<operations!(@details_ty $kind $(($model))?)> =
                    self.fetch(client).await?;
                Ok(operations!(@finish env, self, $kind $(($model))?))
            }
        }

        operations!(@place $place, $Req, [$($f = $wire $(as $wform)?),*]);
        operations!(@paged_impls $Area, $Req, $kind $(($model))?, $($pager)?);
        operations!(@method $Area, $method, $Req, [$($form)*],
            operations!(@ret_ty $kind $(($model))?),
            concat!(
                $doc, "\n\n`", stringify!($verb), " ", $path, "`",
                operations!(@money_note $verb)
            )
        );
    };

    (@money_note GET) => { "." };
    (@money_note $verb:ident) => {
        ". Sent at most once: never re-sent once its bytes may have reached the server."
    };

    // ---- Items of lists (a muncher keeps only the paged operations) --------------------------
    (@items [$($acc:tt)*]) => {
        /// An item of a list operation's page (what a [`Call::pager`] yields).
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum Item {
            $($acc)*
        }
    };
    (@items [$($acc:tt)*] [$area:ident $Req:ident page($m:ident)] $($rest:tt)*) => {
        operations!(@items [$($acc)* $Req($area::$m),] $($rest)*);
    };
    (@items [$($acc:tt)*] [$area:ident $Req:ident $($other:tt)*] $($rest:tt)*) => {
        operations!(@items [$($acc)*] $($rest)*);
    };

    // ---- The declaration ---------------------------------------------------------------------
    (
        $(
            $(#[doc = $area_doc:literal])*
            area $area:ident: $Area:ident {
                $(
                    $(#[$meta:meta])*
                    $Req:ident: $method:ident ($($form:tt)*) -> $kind:ident $(($model:ident))? {
                        $($body:tt)*
                    }
                )*
            }
        )*
    ) => {
        $(
            $(#[doc = $area_doc])*
            pub mod $area {
                #[allow(unused_imports)]
                use $crate::enums::*;
                #[allow(unused_imports)]
                use $crate::time::DateBound;
                #[allow(unused_imports)]
                use $crate::validate::MAX_TEXT_LEN;
                #[allow(unused_imports)]
                use ::rust_decimal::Decimal;

                #[allow(unused_imports)]
                use $crate::args::JsonObject;

                // An area may have no model of its own (its operations return nothing).
                #[allow(unused_imports)]
                pub use $crate::models::$area::*;

                $(#[doc = $area_doc])*
                #[derive(Debug, Clone)]
                pub struct $Area {
                    client: $crate::Client,
                }

                impl $Area {
                    pub(crate) fn new(client: $crate::Client) -> Self {
                        $Area { client }
                    }
                }

                $(
                    operations!(@op $area, $Area,
                        $(#[$meta])*
                        $Req: $method [$($form)*] -> $kind $(($model))? { $($body)* }
                    );
                )*
            }
        )*

        impl $crate::Client {
            $(
                $(#[doc = $area_doc])*
                pub fn $area(&self) -> $area::$Area {
                    $area::$Area::new(self.clone())
                }
            )*
        }

        /// Every area, in the declaration's order.
        pub static AREAS: &[$crate::ops::AreaSpec] = &[
            $(
                $crate::ops::AreaSpec {
                    name: stringify!($area),
                    doc: concat!($($area_doc),*).trim_ascii(),
                },
            )*
        ];

        /// The position of each operation in [`OPERATIONS`].
        #[allow(dead_code)]
        #[repr(usize)]
        enum Index {
            $($( $Req, )*)*
        }

        /// Every typed operation, in the declaration's order.
        pub static OPERATIONS: &[$crate::ops::OpSpec] = &[ $($( $area::$Req::SPEC, )*)* ];

        /// A call with its arguments read into the operation's request struct.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        // A call lives for one request; boxing the larger requests would buy nothing.
        #[allow(clippy::large_enum_variant)]
        pub enum Call {
            $($( $Req($area::$Req), )*)*
        }

        /// The typed result of a [`Call`]. It serializes to the user-facing JSON form
        /// (camelCase, money as exact strings), so a binding can write JSON text straight from
        /// it, or hand it to a [`Visitor`](crate::ops::Visitor) to build its own objects.
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Output {
            $($( $Req(operations!(@out_ty $area $kind $(($model))?)), )*)*
        }

        operations!(@items [] $($( [$area $Req $kind $(($model))?] )*)*);

        /// A visitor that takes every result type of the table (bindings implement
        /// [`Visitor`](crate::ops::Visitor) once, generically, and get this for free).
        pub trait VisitOutput<R>:
            Sized $($( + $crate::ops::Visitor<operations!(@model_ty $area $kind $(($model))?), Out = R> )*)*
        {
        }

        impl<R, V> VisitOutput<R> for V where
            V: Sized $($( + $crate::ops::Visitor<operations!(@model_ty $area $kind $(($model))?), Out = R> )*)*
        {
        }

        impl Output {
            /// Hands the result to `visitor`: `one`, `list` or `page` with the model's type.
            pub fn visit<R, V: VisitOutput<R>>(self, visitor: V) -> R {
                match self {
                    $($( Output::$Req(x) => operations!(@visit visitor, x, $area $kind $(($model))?), )*)*
                }
            }
        }

        impl Call {
            /// The operation this call is for.
            pub fn op(&self) -> &'static $crate::ops::OpSpec {
                match self {
                    $($( Call::$Req(_) => $area::$Req::spec(), )*)*
                }
            }

            /// The client-side checks (rule 10 of docs/wire-rules.md); the typed methods run them too.
            pub fn validate(&self) -> Result<(), $crate::ValidationError> {
                match self {
                    $($( Call::$Req(r) => r.validate(), )*)*
                }
            }

            /// Runs the call with its operation's typed method; the typed result (one page for
            /// list operations).
            pub async fn run(&self, client: &$crate::Client) -> $crate::Result<Output> {
                Ok(match self {
                    $($( Call::$Req(r) => Output::$Req(r.send(client).await?), )*)*
                })
            }

            /// A lazy walk over every page of a list call; `None` for calls that do not return
            /// pages.
            pub fn pager(&self, client: &$crate::Client) -> Option<$crate::paging::Pager<Item>> {
                match self {
                    $($( Call::$Req(r) => operations!(@pager_of r, client, $Req $kind $(($model))?), )*)*
                }
            }

            /// The page a list call asks for (`None` for the first page by default, and for
            /// calls that do not return pages).
            pub fn page_number(&self) -> Option<u32> {
                match self {
                    $($( Call::$Req(r) => operations!(@page_number_of r, $kind $(($model))?), )*)*
                }
            }

            /// The same list call for page `n` (every other argument kept); `None` for calls
            /// that do not return pages.
            pub fn at_page(&self, n: u32) -> Option<Call> {
                match self {
                    $($( Call::$Req(r) => operations!(@at_page r, n, $Req $kind $(($model))?), )*)*
                }
            }
        }

        /// Reads the arguments of the operation `args` is for into its request struct.
        pub(crate) fn read_call(
            args: &$crate::ops::Args,
        ) -> Result<Call, $crate::ValidationError> {
            $($(
                if args.op().name == $area::$Req::NAME {
                    return Ok(Call::$Req($area::$Req::read(args)?));
                }
            )*)*
            Err($crate::ValidationError::new(
                "operation",
                format!("`{}` is not an operation", args.op().name),
            ))
        }

        /// Adds every result model to `generator`'s definitions.
        #[cfg(feature = "schema")]
        pub(crate) fn schema_models(generator: &mut ::schemars::SchemaGenerator) {
            $($( $area::$Req::add_schemas(generator); )*)*
        }
    };
}
