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

    /// Forgets every listing under `prefix`, after its owner was deleted.
    pub fn forget_under(&self, prefix: &str) {
        self.by_path.lock().unwrap_or_else(|p| p.into_inner()).retain(|path, _| !path.starts_with(prefix));
    }

    /// Forgets the listing at `path`, after a write to what it lists.
    pub fn forget(&self, path: &str) {
        self.by_path.lock().unwrap_or_else(|p| p.into_inner()).remove(path);
    }
}

#[cfg(test)]
mod tests {
    use crate::console::testbed::Bed;
    use crate::console::{EventStreamBody, Owner};

    #[tokio::test]
    async fn concurrent_reads_share_one_listing_and_a_read_after_a_write_is_fresh() {
        let bed = Bed::start().await;
        let project = bed.project().await;
        let keys = bed.client.api_keys(Owner::Project(&project));
        let mut ids = Vec::new();
        for n in 0..5 {
            ids.push(keys.create(&format!("k{n}"), None).await.unwrap().id);
        }
        let before = bed.count("listProjectApiKeys").await;
        // Fifty reads at once, ten of each key: one listing.
        let reads = (0..50).map(|n| keys.find(&ids[n % ids.len()]));
        let found = futures::future::join_all(reads).await;
        assert!(found.iter().all(|k| matches!(k, Ok(Some(_)))));
        assert_eq!(bed.count("listProjectApiKeys").await - before, 1);
        // Another read, with no write between: still that listing.
        keys.find(&ids[0]).await.unwrap().unwrap();
        assert_eq!(bed.count("listProjectApiKeys").await - before, 1);

        // After a delete and after a create, reads see them.
        keys.delete(&ids[0]).await.unwrap();
        assert!(keys.find(&ids[0]).await.unwrap().is_none(), "a read after a delete is fresh");
        let made = keys.create("new", None).await.unwrap();
        assert!(keys.find(&made.id).await.unwrap().is_some(), "a read after a create is fresh");
        // A write elsewhere (another project's keys) does not cost this listing.
        let other = bed.project().await;
        let settled = bed.count("listProjectApiKeys").await;
        bed.client.api_keys(Owner::Project(&other)).create("x", None).await.unwrap();
        let spent = bed.count("listProjectApiKeys").await - settled;
        keys.find(&made.id).await.unwrap().unwrap();
        assert_eq!(bed.count("listProjectApiKeys").await - settled, spent, "only the other project's create listed");

        // Streams: one listing for many reads; a set is seen by the next read.
        let streams = bed.client.event_streams(&project);
        let body = |status: &str| EventStreamBody {
            kind: Some("https".into()),
            https_endpoint: Some("https://hooks.example.com/ory".into()),
            status: Some(status.into()),
            ..Default::default()
        };
        let stream = streams.create(&body("active")).await.unwrap();
        let before = bed.count("listEventStreams").await;
        let found = futures::future::join_all((0..20).map(|_| streams.find(&stream.id))).await;
        assert!(found.iter().all(|s| matches!(s, Ok(Some(_)))));
        assert_eq!(bed.count("listEventStreams").await - before, 1);
        streams.set(&stream.id, &body("paused")).await.unwrap();
        let read = streams.find(&stream.id).await.unwrap().unwrap();
        assert_eq!(read.status, Some(crate::console::EventStreamStatus::Paused), "a read after a set is fresh");
    }
}
