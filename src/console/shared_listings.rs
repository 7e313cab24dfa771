//! The console's reads by ID share one listing (see `http::listings`).

use super::testbed::Bed;
use super::{EventStreamBody, Owner};

#[tokio::test]
async fn concurrent_reads_share_one_listing_and_a_read_after_a_write_is_fresh() {
    let bed = Bed::start().await;
    let project = bed.project().await;
    let keys = bed.client.api_keys(Owner::Project(project.clone()));
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
    bed.client.api_keys(Owner::Project(other.clone())).create("x", None).await.unwrap();
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
    assert_eq!(read.status, Some(super::EventStreamStatus::Paused), "a read after a set is fresh");
}
