//! Lists that page themselves: Rocket.Chat pages lists with `offset` and `count` and answers
//! `total` beside the items. One state machine ([`Pager`]) decides which page to ask for next;
//! the async [`ItemStream`] and the blocking `blocking::Items` only drive it.

#[cfg(feature = "blocking")]
use crate::Decode;
use crate::{Call, Error, Operation, Request, Transport};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The page size asked for when the input sets none: the server's default `count`.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// The largest page size asked for by a list that steps by [`PageStep::CountRequested`]: the
/// server's default "Max Record Amount" (`API_Upper_Count_Limit`), which it clamps `count` to
/// without saying so.
pub const MAX_REQUESTED_STEP: u64 = 100;

/// How far `offset` moves after a page (the spec's `x-pagination: {step: ...}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageStep {
    /// By the items received: the server may clamp `count` without saying so, and an empty
    /// page ends the list.
    ItemsReceived,
    /// By the `count` asked for: the server pages first and then drops items it cannot
    /// describe (`teams.listRoomsOfUser`), so a short or empty page is not the end; `total`
    /// is. The page size is at most [`MAX_REQUESTED_STEP`], so the server's clamp cannot
    /// make the list skip items (unless an administrator set the limit lower).
    CountRequested,
}

/// A list operation (`x-pagination` in the spec): how to ask for a page and where its items
/// are. The generated crate implements it on the operation's marker type.
pub trait Paginated: Operation<Input: Clone + Sized> {
    type Item;
    /// How far `offset` moves after a page.
    const STEP: PageStep = PageStep::ItemsReceived;
    /// Failure messages (the exact `error` of a 400 that names no other `errorType`) that the
    /// server answers instead of an empty page (the spec's `x-pagination: {empty-on-errors:
    /// [...]}`): `teams.listChildren` fails this way when nothing matches. Such a failure ends
    /// the list without an error.
    const EMPTY_ON_ERRORS: &'static [&'static str] = &[];
    /// The `offset` and `count` the caller set, if any.
    fn requested(input: &Self::Input) -> (Option<i64>, Option<i64>);
    /// `input` asking for `count` items from `offset`.
    fn page(input: &Self::Input, offset: u64, count: u64) -> Self::Input;
    /// The items of a page, and the `total` the server reported.
    fn into_page(output: Self::Output) -> Page<Self::Item>;
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: Option<u64>,
}

/// Which page comes next. It never asks for `count=0` (which the server reads as "all"),
/// moves `offset` by the items actually received (the server clamps `count` to its "Max
/// Record Amount" without saying so) or, for a list the server filters after paging, by the
/// count asked ([`PageStep`]), stops at an empty page (of the first kind), at the latest
/// `total`, or at the caller's limit, and stops for good after an error (which is yielded,
/// unless it is the server's way of saying the list is empty).
#[derive(Debug, Clone)]
pub struct Pager<O: Paginated> {
    input: O::Input,
    offset: u64,
    page_size: u64,
    total: Option<u64>,
    /// Items still to yield before the caller's limit; `None` for no limit.
    remaining: Option<u64>,
    /// The `count` of the request in flight.
    asked: u64,
    buffered: VecDeque<O::Item>,
    done: bool,
}

impl<O: Paginated> Pager<O> {
    pub fn new(input: O::Input) -> Self {
        let (offset, count) = O::requested(&input);
        let offset = offset.and_then(|offset| u64::try_from(offset).ok()).unwrap_or(0);
        let page_size = count.and_then(|count| u64::try_from(count).ok()).filter(|&count| count > 0);
        let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
        let page_size = match O::STEP {
            PageStep::ItemsReceived => page_size,
            PageStep::CountRequested => page_size.min(MAX_REQUESTED_STEP),
        };
        Self {
            input,
            offset,
            page_size,
            total: None,
            remaining: None,
            asked: 0,
            buffered: VecDeque::new(),
            done: false,
        }
    }

    /// Yields at most `limit` items in all.
    pub fn limit(mut self, limit: u64) -> Self {
        self.remaining = Some(limit);
        self
    }

    /// The next item already fetched.
    pub fn next_buffered(&mut self) -> Option<O::Item> {
        if self.remaining == Some(0) {
            return None;
        }
        let item = self.buffered.pop_front()?;
        if let Some(remaining) = &mut self.remaining {
            *remaining -= 1;
        }
        Some(item)
    }

    /// The request for the next page, or `None` when the list is done.
    pub fn next_request(&mut self) -> Option<Result<Request, Error>> {
        let finished = self.done || self.remaining == Some(0) || self.total.is_some_and(|total| self.offset >= total);
        if finished {
            self.done = true;
            return None;
        }
        let count = self.remaining.map_or(self.page_size, |remaining| remaining.min(self.page_size));
        self.asked = count;
        Some(O::request(&O::page(&self.input, self.offset, count)))
    }

    /// Takes in the page the last request returned.
    pub fn accept(&mut self, output: O::Output) {
        let page = O::into_page(output);
        let step = match O::STEP {
            PageStep::ItemsReceived => page.items.len() as u64,
            // A server that sent more than asked paged by more.
            PageStep::CountRequested => self.asked.max(page.items.len() as u64),
        };
        // Without a total, an empty page is the only end there is.
        let ends = page.items.is_empty() && (O::STEP == PageStep::ItemsReceived || page.total.is_none());
        if ends {
            self.done = true;
        }
        self.offset += step;
        self.total = page.total;
        self.buffered.extend(page.items);
    }

    /// Ends the list after an error: the error to yield, or `None` when the failure is the
    /// server's way of answering an empty page ([`Paginated::EMPTY_ON_ERRORS`]).
    pub fn end_after(&mut self, error: Error) -> Option<Error> {
        self.done = true;
        if means_empty::<O>(&error) {
            tracing::debug!(operation = O::ID, %error, "read as an empty page, as the spec says the server answers one");
            return None;
        }
        Some(error)
    }
}

/// A 400 whose `error` is one of the listed texts, and that names no other code: the runtime
/// reads a bare code as the message's own code (`team-does-not-exist`), so that one counts
/// as none.
fn means_empty<O: Paginated>(error: &Error) -> bool {
    let Error::Api(failure) = error else { return false };
    let Some(message) = failure.message.as_deref() else { return false };
    failure.status == http::StatusCode::BAD_REQUEST
        && failure.error_type.as_deref().is_none_or(|code| code == message)
        && O::EMPTY_ON_ERRORS.contains(&message)
}

/// The items of a list operation, fetched page after page: an async [`Stream`]
/// (`futures_core::Stream`), with [`ItemStream::next`] and [`ItemStream::try_collect`] for
/// use without a futures library.
///
/// With a [`RetryPolicy`](crate::RetryPolicy) on the transport, a page answered with 429 is
/// retried after the wait the server asks for; any other error ends the stream after it is
/// yielded, but for a failure the spec names as the server's empty page
/// ([`Paginated::EMPTY_ON_ERRORS`]), which ends it without an error.
///
/// [`Stream`]: futures_core::Stream
#[must_use = "a stream does nothing unless polled"]
pub struct ItemStream<'a, O: Paginated> {
    transport: &'a Transport,
    pager: Pager<O>,
    in_flight: Option<Call<'a, O::Output, O::Decoder>>,
}

impl<'a, O: Paginated> ItemStream<'a, O> {
    pub fn new(transport: &'a Transport, input: &O::Input) -> Self {
        Self { transport, pager: Pager::new(input.clone()), in_flight: None }
    }

    /// Yields at most `limit` items in all (and asks for no more than that).
    pub fn limit(mut self, limit: u64) -> Self {
        self.pager = self.pager.limit(limit);
        self
    }

    /// The next item, fetching the next page when needed.
    pub async fn next(&mut self) -> Option<Result<O::Item, Error>>
    where
        O::Item: Unpin,
        O::Input: Unpin,
    {
        std::future::poll_fn(|context| Pin::new(&mut *self).poll_item(context)).await
    }

    /// Every item, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<O::Item>, Error>
    where
        O::Item: Unpin,
        O::Input: Unpin,
    {
        let mut items = Vec::new();
        while let Some(item) = self.next().await {
            items.push(item?);
        }
        Ok(items)
    }

    fn poll_item(&mut self, context: &mut Context<'_>) -> Poll<Option<Result<O::Item, Error>>> {
        loop {
            if let Some(item) = self.pager.next_buffered() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(call) = &mut self.in_flight {
                let result = std::task::ready!(Pin::new(call).poll(context));
                self.in_flight = None;
                match result {
                    Ok(output) => self.pager.accept(output),
                    Err(error) => return Poll::Ready(self.pager.end_after(error).map(Err)),
                }
                continue;
            }
            match self.pager.next_request() {
                None => return Poll::Ready(None),
                Some(request) => {
                    let sending = self.transport.sending(request);
                    self.in_flight = Some(Call::new(sending, O::Decoder::default()));
                }
            }
        }
    }
}

impl<O: Paginated> futures_core::Stream for ItemStream<'_, O>
where
    O::Item: Unpin,
    O::Input: Unpin,
{
    type Item = Result<O::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(context)
    }
}

impl<O: Paginated> fmt::Debug for ItemStream<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream").field("operation", &O::ID).finish_non_exhaustive()
    }
}

/// The items of a list operation, fetched page after page, blocking the calling thread.
#[cfg(feature = "blocking")]
pub struct Items<'a, O: Paginated> {
    transport: &'a crate::blocking::Transport,
    pager: Pager<O>,
}

#[cfg(feature = "blocking")]
impl<'a, O: Paginated> Items<'a, O> {
    pub fn new(transport: &'a crate::blocking::Transport, input: &O::Input) -> Self {
        Self { transport, pager: Pager::new(input.clone()) }
    }

    /// Yields at most `limit` items in all (and asks for no more than that).
    pub fn limit(mut self, limit: u64) -> Self {
        self.pager = self.pager.limit(limit);
        self
    }
}

#[cfg(feature = "blocking")]
impl<O: Paginated> Iterator for Items<'_, O> {
    type Item = Result<O::Item, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.pager.next_buffered() {
                return Some(Ok(item));
            }
            let request = self.pager.next_request()?;
            let page = request
                .and_then(|request| self.transport.send_request(request))
                .and_then(|response| O::Decoder::default().decode(response));
            match page {
                Ok(output) => self.pager.accept(output),
                Err(error) => return self.pager.end_after(error).map(Err),
            }
        }
    }
}

#[cfg(feature = "blocking")]
impl<O: Paginated> fmt::Debug for Items<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("operation", &O::ID).finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, StatusCode};

    /// A list whose server answers two texts instead of an empty page, one of them a bare code.
    struct Quirky;

    impl Operation for Quirky {
        const ID: &'static str = "quirky.list";
        const METHOD: http::Method = http::Method::GET;
        const PATH: &'static str = "/api/v1/quirky.list";
        type Input = ();
        type Output = Vec<u8>;
        type Decoder = crate::Json;
        fn request(_: &()) -> Result<Request, Error> {
            Ok(Request::of::<Self>(Self::PATH))
        }
    }

    impl Paginated for Quirky {
        type Item = u8;
        const EMPTY_ON_ERRORS: &'static [&'static str] = &["Cannot read it", "nothing-here"];
        fn requested(_: &()) -> (Option<i64>, Option<i64>) {
            (None, None)
        }
        fn page(_: &(), _: u64, _: u64) {}
        fn into_page(output: Vec<u8>) -> Page<u8> {
            Page { items: output, total: None }
        }
    }

    fn failure(status: u16, body: &str) -> Error {
        let status = StatusCode::from_u16(status).unwrap();
        crate::response::classify_response(status, HeaderMap::new(), body.as_bytes().to_vec()).unwrap_err()
    }

    #[test]
    fn only_a_listed_400_ends_a_list_quietly() {
        let ends_quietly =
            |status: u16, body: &str| Pager::<Quirky>::new(()).end_after(failure(status, body)).is_none();
        assert!(ends_quietly(400, r#"{"success": false, "error": "Cannot read it"}"#));
        // A bare code is read as the message's own code: listed, it still counts.
        assert!(ends_quietly(400, r#"{"success": false, "error": "nothing-here"}"#));

        assert!(!ends_quietly(400, r#"{"success": false, "error": "Cannot read it", "errorType": "error-x"}"#));
        assert!(!ends_quietly(400, r#"{"success": false, "error": "Cannot read it [error-x]"}"#));
        assert!(!ends_quietly(400, r#"{"success": false, "error": "cannot read it"}"#));
        assert!(!ends_quietly(500, r#"{"success": false, "error": "Cannot read it"}"#));
        assert!(!ends_quietly(403, r#"{"success": false, "error": "Cannot read it"}"#));
        assert!(!ends_quietly(400, "Cannot read it"));
    }

    #[test]
    fn the_list_is_over_after_any_failure() {
        let mut pager = Pager::<Quirky>::new(());
        assert!(pager.next_request().is_some());
        assert!(pager.end_after(failure(400, r#"{"error": "Cannot read it"}"#)).is_none());
        assert!(pager.next_request().is_none());
        let mut pager = Pager::<Quirky>::new(());
        assert!(pager.end_after(failure(400, r#"{"error": "room-not-found"}"#)).is_some());
        assert!(pager.next_request().is_none());
    }
}
