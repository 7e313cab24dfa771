//! One kind of object by ID, noting what changed for the journal and for
//! the size the store is measured at.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A kind of object by ID. Reads see the map; every change goes through a
/// method that notes the ID, so that saving writes only what changed.
#[derive(Debug)]
pub struct Table<V> {
    rows: BTreeMap<Uuid, V>,
    /// Changed since the last save (with `--state`).
    changed: BTreeSet<Uuid>,
    /// Changed since their size was last measured.
    unmeasured: BTreeSet<Uuid>,
}

impl<V> Default for Table<V> {
    fn default() -> Self {
        Table { rows: BTreeMap::new(), changed: BTreeSet::new(), unmeasured: BTreeSet::new() }
    }
}

impl<V> std::ops::Deref for Table<V> {
    type Target = BTreeMap<Uuid, V>;
    fn deref(&self) -> &Self::Target {
        &self.rows
    }
}

impl<V> Table<V> {
    pub(super) fn touch(&mut self, id: Uuid) {
        self.changed.insert(id);
        self.unmeasured.insert(id);
    }

    pub fn get_mut(&mut self, id: &Uuid) -> Option<&mut V> {
        self.rows.get(id)?;
        self.touch(*id);
        self.rows.get_mut(id)
    }

    pub fn insert(&mut self, id: Uuid, row: V) {
        self.touch(id);
        self.rows.insert(id, row);
    }

    pub fn remove(&mut self, id: &Uuid) -> Option<V> {
        self.touch(*id);
        self.rows.remove(id)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&Uuid, &mut V) -> bool) {
        let mut dropped = Vec::new();
        self.rows.retain(|id, row| {
            let kept = keep(id, row);
            if !kept {
                dropped.push(*id);
            }
            kept
        });
        dropped.into_iter().for_each(|id| self.touch(id));
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        let ids: Vec<Uuid> = self.rows.keys().copied().collect();
        ids.into_iter().for_each(|id| self.touch(id));
        self.rows.values_mut()
    }

    pub fn clear(&mut self) {
        let ids: Vec<Uuid> = self.rows.keys().copied().collect();
        ids.into_iter().for_each(|id| self.touch(id));
        self.rows.clear();
    }
}

impl<V: Serialize> Table<V> {
    /// What changed since the last call: each changed ID with its row, or
    /// `None` where it was removed.
    pub(super) fn take_changes(&mut self) -> BTreeMap<Uuid, Option<serde_json::Value>> {
        std::mem::take(&mut self.changed)
            .into_iter()
            .map(|id| (id, self.rows.get(&id).map(|row| serde_json::to_value(row).expect("rows serialize"))))
            .collect()
    }
}

impl<V: Serialize> Table<V> {
    /// The serialized size of each row changed since the last call, or
    /// `None` where it was removed.
    pub(super) fn measure_changes(&mut self) -> Vec<(Uuid, Option<usize>)> {
        std::mem::take(&mut self.unmeasured)
            .into_iter()
            .map(|id| (id, self.rows.get(&id).map(super::json_len)))
            .collect()
    }
}

impl<V: serde::de::DeserializeOwned> Table<V> {
    pub(super) fn apply(&mut self, changes: BTreeMap<Uuid, Option<serde_json::Value>>) -> serde_json::Result<()> {
        for (id, row) in changes {
            match row {
                Some(row) => self.rows.insert(id, serde_json::from_value(row)?),
                None => self.rows.remove(&id),
            };
            self.unmeasured.insert(id);
        }
        Ok(())
    }
}

impl<V: Serialize> Serialize for Table<V> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.rows.serialize(s)
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Table<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows: BTreeMap<Uuid, V> = BTreeMap::deserialize(d)?;
        let unmeasured = rows.keys().copied().collect();
        Ok(Table { rows, changed: BTreeSet::new(), unmeasured })
    }
}
