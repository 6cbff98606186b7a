//! `page.toArrowIPC()` / `page.toArrowIPC({ allPages: true })`: a page, or the page and every
//! page after it, as Arrow IPC stream bytes (a `Buffer` the `apache-arrow` package, DuckDB or
//! pyarrow read). The record batches come from the core (`ibanera::arrow`): camelCase columns,
//! money `decimal128(38, 18)` exact, timestamps in microseconds UTC, enums dictionary-encoded.
//! Pages after this one are fetched ahead on the Tokio runtime while earlier ones convert; the
//! event loop only receives the finished bytes.

use ibanera::Client;
use ibanera::arrow::{DEFAULT_PREFETCH, ExportSchema, Naming, ipc_stream_bytes, to_record_batch};
use ibanera::ops::{Call, Item};
use ibanera::paging::Page;
use napi::bindgen_prelude::*;
use napi_derive::napi;

use crate::error;

/// Column names in JavaScript's idiom: the objects' keys.
const NAMING: Naming = Naming::CamelCase;

/// Options of `toArrowIPC`.
#[napi(object)]
pub struct ArrowIpcOptions {
    /// Also every page after this one (default: this page only).
    pub all_pages: Option<bool>,
}

/// A fetched page: its JSON for the wrapper, and its items for the Arrow export.
#[napi]
pub struct NativePage {
    json: String,
    /// The model of the items (`"Transaction"`).
    model: &'static str,
    page: Page<Item>,
    /// The call of the page after this one (`None` on the last page).
    next: Option<Call>,
    client: Client,
}

impl NativePage {
    pub fn new(
        json: String,
        model: &'static str,
        page: Page<Item>,
        next: Option<Call>,
        client: Client,
    ) -> NativePage {
        NativePage {
            json,
            model,
            page,
            next,
            client,
        }
    }
}

#[napi]
impl NativePage {
    /// The page's user-facing JSON text.
    #[napi(getter)]
    pub fn json(&self) -> String {
        self.json.clone()
    }

    /// Arrow IPC stream bytes of this page (with `allPages`, and of every page after it).
    #[napi]
    pub async fn to_arrow_ipc(&self, options: Option<ArrowIpcOptions>) -> Result<Buffer> {
        let all_pages = options.and_then(|o| o.all_pages).unwrap_or(false);
        let schema = ExportSchema::for_model(self.model, NAMING)
            .unwrap_or_else(|| {
                Err(ibanera::Error::Config(format!(
                    "{} has no Arrow form (a bug in the SDK)",
                    self.model
                )))
            })
            .map_err(error::to_napi)?;
        let batches = match (&self.next, all_pages) {
            (Some(next), true) => {
                let stream = match next.record_batches(&self.client, NAMING, DEFAULT_PREFETCH) {
                    Some(s) => s.map_err(error::to_napi)?,
                    None => return Err(Error::from_reason("this call has no pages to walk")),
                };
                stream
                    .with_first_items(self.page.items.clone())
                    .collect_batches()
                    .await
                    .map_err(error::to_napi)?
            }
            _ => vec![to_record_batch(&schema, &self.page.items, 0).map_err(error::to_napi)?],
        };
        let bytes = ipc_stream_bytes(&schema.schema(), &batches).map_err(error::to_napi)?;
        Ok(Buffer::from(bytes))
    }
}
