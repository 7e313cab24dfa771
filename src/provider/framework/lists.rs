//! The entries of the lists of each project's shared document, indexed by
//! key: a refresh of N entries of one list (500 actions) finds each by one
//! lookup, where a scan of the list for each made it quadratic.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use serde_json::Value as Json;

use super::ownership::KeyOf;

/// Each list's index, for the latest document of its project it was asked of.
#[derive(Default)]
pub struct ListIndexes(Mutex<HashMap<Indexing, Indexed>>);

/// A list of a project, keyed one way.
#[derive(PartialEq, Eq, Hash)]
struct Indexing {
    project: String,
    list: String,
    keyed: (bool, &'static str),
}

struct Indexed {
    /// Held weakly: the document is not kept alive by its index, and its
    /// address is never another document's while the index is kept.
    document: Weak<Json>,
    positions: HashMap<String, Vec<usize>>,
}

impl ListIndexes {
    /// The positions, in order, of the entries of the list at `list` in
    /// `document` (a read of `project`) whose key is `key`.
    pub fn positions(&self, project: &str, document: &Arc<Json>, list: &str, key_of: KeyOf, key: &str) -> Vec<usize> {
        let indexing = Indexing { project: project.to_string(), list: list.to_string(), keyed: key_of.name() };
        let mut indexes = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let current = |i: &Indexed| std::ptr::eq(i.document.as_ptr(), Arc::as_ptr(document));
        let indexed = match indexes.get(&indexing) {
            Some(indexed) if current(indexed) => indexed,
            _ => {
                let made = Indexed { document: Arc::downgrade(document), positions: index(document, list, key_of) };
                indexes.entry(indexing).insert_entry(made).into_mut()
            }
        };
        indexed.positions.get(key).cloned().unwrap_or_default()
    }
}

fn index(document: &Json, list: &str, key_of: KeyOf) -> HashMap<String, Vec<usize>> {
    let mut positions: HashMap<String, Vec<usize>> = HashMap::new();
    let entries = document.pointer(list).and_then(Json::as_array).map(Vec::as_slice).unwrap_or_default();
    for (at, entry) in entries.iter().enumerate() {
        if let Some(key) = key_of.of(entry) {
            positions.entry(key).or_default().push(at);
        }
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_those_of_a_scan_and_a_new_read_is_indexed_anew() {
        let lists = ListIndexes::default();
        let by_id = KeyOf::Field("id");
        let first = Arc::new(serde_json::json!({"l": [{"id": "a"}, {"id": "b"}, {"id": "a"}, {"id": 1}]}));
        assert_eq!(lists.positions("p", &first, "/l", by_id, "a"), [0, 2]);
        assert_eq!(lists.positions("p", &first, "/l", by_id, "b"), [1]);
        assert!(lists.positions("p", &first, "/l", by_id, "1").is_empty(), "keys are strings, as the field is");
        assert!(lists.positions("p", &first, "/none", by_id, "a").is_empty());
        let second = Arc::new(serde_json::json!({"l": [{"id": "b"}]}));
        assert_eq!(lists.positions("p", &second, "/l", by_id, "b"), [0]);
        assert!(lists.positions("p", &second, "/l", by_id, "a").is_empty());
        assert_eq!(lists.positions("q", &first, "/l", by_id, "b"), [1], "each project its own");
        let by_name = KeyOf::Made("name", |e| e["name"].as_str().map(str::to_string));
        assert!(lists.positions("p", &second, "/l", by_name, "b").is_empty(), "each keying its own");
    }
}
