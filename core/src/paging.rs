//! Pages and lazy walks over all of them (rule 11 of docs/wire-rules.md).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;
use serde::Serialize;

use crate::endpoint::Endpoint;
use crate::envelope::Envelope;
use crate::error::{Error, Result};

/// One page of a list: its items and the paging fields the API returned.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub items: Vec<T>,
    pub page_number: Option<u32>,
    pub page_size: Option<u32>,
    pub number_of_pages: Option<u32>,
    /// Error items the API listed although it reported success (rare; also logged).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<crate::error::ApiErrorItem>,
}

impl<T> Page<T> {
    pub(crate) fn from_envelope(env: Envelope<Vec<T>>) -> Page<T> {
        Page {
            items: env.details,
            page_number: env.page_number,
            page_size: env.page_size,
            number_of_pages: env.number_of_pages,
            warnings: env.warnings,
        }
    }

    /// The page to ask for next, or `None` at the end. `requested` is what this page was
    /// fetched with (`None` for an unpaginated request).
    pub fn next_page_number(&self, requested: Option<u32>) -> Option<u32> {
        if self.items.is_empty() {
            return None;
        }
        let current = self.page_number.or(requested).unwrap_or(1);
        match (self.number_of_pages, self.page_size) {
            (Some(total), _) => (current < total).then_some(current + 1),
            // Without a page count, a full page may have a successor; a short one has not.
            (None, Some(size)) if requested.is_some() => {
                (self.items.len() >= size as usize && size > 0).then_some(current + 1)
            }
            _ => None,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The same page with its items converted (bindings map to their own objects).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            page_number: self.page_number,
            page_size: self.page_size,
            number_of_pages: self.number_of_pages,
            warnings: self.warnings,
        }
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// A list query that can be moved to another page.
pub trait Paged: Clone + Send + Sync + 'static {
    fn page_number(&self) -> Option<u32>;
    fn set_page_number(&mut self, page: u32);
}

/// The page a list call asked for, checked: a server that ignores the page parameter would make
/// a walk loop forever.
pub(crate) fn checked_page<T>(
    endpoint: &Endpoint,
    requested: Option<u32>,
    env: Envelope<Vec<T>>,
) -> Result<Page<T>> {
    let page = Page::from_envelope(env);
    if let (Some(asked), Some(got)) = (requested, page.page_number) {
        if asked != got {
            return Err(Error::Decode {
                endpoint: endpoint.clone(),
                http_status: 200,
                reason: format!("asked for page {asked}, the server returned page {got}"),
                body_prefix: String::new(),
            });
        }
    }
    Ok(page)
}

type FetchFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;
type Fetch<T> = Arc<dyn Fn(Option<u32>) -> FetchFuture<T> + Send + Sync>;

/// Walks a list page by page, fetching each page only when asked. Cloning the query per page
/// keeps every filter; only the page number changes.
pub struct Pager<T> {
    fetch: Fetch<T>,
    next: Option<Option<u32>>,
}

impl<T: Send + 'static> Pager<T> {
    pub(crate) fn new<Q, F, Fut>(query: Q, fetch: F) -> Pager<T>
    where
        Q: Paged,
        F: Fn(Q) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Page<T>>> + Send + 'static,
    {
        let first = query.page_number();
        let fetch = Arc::new(fetch);
        Pager {
            fetch: Arc::new(move |page: Option<u32>| {
                let mut q = query.clone();
                if let Some(p) = page {
                    q.set_page_number(p);
                }
                Box::pin(fetch(q)) as FetchFuture<T>
            }),
            next: Some(first),
        }
    }

    /// The next page, or `None` after the last one.
    pub async fn next_page(&mut self) -> Result<Option<Page<T>>> {
        let Some(requested) = self.next.take() else {
            return Ok(None);
        };
        // The fetch checks that the server returned the page asked for (`checked_page`).
        let page = (self.fetch)(requested).await?;
        self.next = page.next_page_number(requested).map(Some);
        Ok(Some(page))
    }

    /// The same walk with every item converted (bindings turn items into their own objects).
    pub fn map_items<U: Send + 'static>(
        self,
        f: impl Fn(T) -> U + Send + Sync + 'static,
    ) -> Pager<U> {
        let f = Arc::new(f);
        let fetch = self.fetch;
        Pager {
            fetch: Arc::new(move |page| {
                let (fut, f) = (fetch(page), f.clone());
                Box::pin(async move { fut.await.map(|p| p.map(|t| f(t))) }) as FetchFuture<U>
            }),
            next: self.next,
        }
    }

    /// True once the last page has been returned.
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// Every page as a stream.
    pub fn pages(self) -> impl Stream<Item = Result<Page<T>>> + Send {
        futures_util::stream::unfold((self, false), |(mut pager, failed)| async move {
            if failed {
                return None;
            }
            match pager.next_page().await {
                Ok(Some(page)) => Some((Ok(page), (pager, false))),
                Ok(None) => None,
                Err(e) => Some((Err(e), (pager, true))),
            }
        })
    }

    /// Every item of every page as a stream; pages are fetched as the stream is consumed.
    pub fn items(self) -> impl Stream<Item = Result<T>> + Send {
        use futures_util::StreamExt;
        self.pages().flat_map(|page| {
            let items: Vec<Result<T>> = match page {
                Ok(p) => p.items.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            futures_util::stream::iter(items)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(n: usize, number: Option<u32>, size: Option<u32>, pages: Option<u32>) -> Page<u8> {
        Page {
            items: vec![0; n],
            page_number: number,
            page_size: size,
            number_of_pages: pages,
            warnings: Vec::new(),
        }
    }

    #[test]
    fn next_page_rules() {
        assert_eq!(
            page(10, Some(1), Some(10), Some(3)).next_page_number(Some(1)),
            Some(2)
        );
        assert_eq!(
            page(10, Some(3), Some(10), Some(3)).next_page_number(Some(3)),
            None
        );
        assert_eq!(
            page(0, Some(1), Some(10), Some(3)).next_page_number(Some(1)),
            None
        );
        // No count: a full page may continue, a short one ends.
        assert_eq!(
            page(10, Some(1), Some(10), None).next_page_number(Some(1)),
            Some(2)
        );
        assert_eq!(
            page(4, Some(2), Some(10), None).next_page_number(Some(2)),
            None
        );
        // Unpaginated request: one page.
        assert_eq!(
            page(10, Some(1), Some(10), None).next_page_number(None),
            None
        );
        // Unpaginated request that the server paginated anyway.
        assert_eq!(
            page(10, Some(1), Some(10), Some(2)).next_page_number(None),
            Some(2)
        );
    }
}
