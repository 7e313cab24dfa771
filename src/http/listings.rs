//! Listings shared by the reads of one process. Keys and event streams can
//! only be read by listing their owner's, so a refresh of 50 keys of one
//! project would list them 50 times; here it lists once.
//!
//! - Single flight: readers of one listing wait for the one call in flight.
//! - A write to an owner's keys or streams (create, set, delete, whatever
//!   its outcome) forgets that owner's listing, so a read that starts after
//!   a write returned is never served from before it.
//! - Only reads by ID use it. Listings that must be fresh (the baselines of
//!   create recovery, data sources) always call the API.
//! - A single object read whole (a project's document) is held the same
//!   way; a write that answers with the whole object puts it in its place.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::Error;

/// A listing as its readers use it: decoded once, whatever its type.
type Shared = Arc<dyn Any + Send + Sync>;
type Cell = Arc<tokio::sync::OnceCell<Shared>>;

#[derive(Default)]
pub(super) struct Listings {
    by_path: Mutex<HashMap<String, Cell>>,
}

impl Listings {
    /// The listing at `path`, as `fetch` makes it: the one already made in
    /// this process since the last write to it, the one in flight, or a new
    /// one. Each path is always read as one type `T`.
    pub async fn get<T: Send + Sync + 'static>(
        &self,
        path: &str,
        fetch: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<Arc<T>, Error> {
        let cell = self.by_path.lock().unwrap_or_else(|p| p.into_inner()).entry(path.to_string()).or_default().clone();
        let shared = cell.get_or_try_init(|| async { fetch.await.map(|t| Arc::new(t) as Shared) }).await?;
        Ok(shared.clone().downcast::<T>().expect("a path is always read as one type"))
    }

    /// Holds `value` as what a read of `path` gives now: the answer of a
    /// write that returned the whole object, so the next read needs no call.
    pub fn put<T: Send + Sync + 'static>(&self, path: &str, value: Arc<T>) {
        let cell = tokio::sync::OnceCell::new_with(Some(value as Shared));
        self.by_path.lock().unwrap_or_else(|p| p.into_inner()).insert(path.to_string(), Arc::new(cell));
    }

    /// Forgets every listing under `prefix`, after its owner was deleted.
    pub fn forget_under(&self, prefix: &str) {
        self.by_path.lock().unwrap_or_else(|p| p.into_inner()).retain(|path, _| !path.starts_with(prefix));
    }

    /// Forgets the listing at `path`, after a write to what it lists.
    pub fn forget(&self, path: &str) {
        self.by_path.lock().unwrap_or_else(|p| p.into_inner()).remove(path);
    }
}
