//! An exact-curve state that takes many small updates cheaply: batches' tables
//! kept in levels of decreasing size and merged lazily.
//!
//! Merging every batch into one sorted table costs the whole table per update
//! (quadratic over a stream of small batches). Here a new table is merged
//! only with levels no more than twice its size, as in a binary counter or a
//! log-structured merge tree: each row is copied O(log n) times in all, and a
//! query first merges the levels into one (kept, so the next query is free).

use std::sync::Arc;

use crate::exact_table::ExactTable;

/// Tables whose sizes at least double from the newest to the oldest; shared
/// (`Arc`) so that a snapshot costs no copy.
#[derive(Debug, Clone, Default)]
pub struct ExactLevels {
    levels: Vec<Arc<ExactTable>>,
}

impl ExactLevels {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a batch's table, merging the levels it catches up with.
    pub fn add(&mut self, table: ExactTable) {
        let mut table = table;
        while let Some(last) = self.levels.last() {
            if last.len() > 2 * table.len() {
                break;
            }
            let older = self.levels.pop().unwrap_or_default();
            table = merged(older, table);
        }
        if !table.is_empty() || self.levels.is_empty() {
            self.levels.push(Arc::new(table));
        }
    }

    /// All levels merged into one table (which replaces them).
    pub fn table(&mut self) -> Arc<ExactTable> {
        if self.levels.len() != 1 {
            let mut all = ExactTable::new();
            // Oldest (largest) first, as `add` merges.
            for level in self.levels.drain(..) {
                all = merged(level, all);
            }
            self.levels.push(Arc::new(all));
        }
        Arc::clone(&self.levels[0])
    }

    /// Distinct scores so far (merges the levels).
    pub fn len(&mut self) -> usize {
        self.table().len()
    }

    pub fn is_empty(&self) -> bool {
        self.levels.iter().all(|l| l.is_empty())
    }
}

/// `older` with `newer` merged in, copying `older` only if a snapshot shares it.
fn merged(older: Arc<ExactTable>, newer: ExactTable) -> ExactTable {
    let mut older = Arc::unwrap_or_clone(older);
    older.absorb(newer);
    older
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact_table::{Column, ExactBatch, ExactLabels, ExactScores};

    fn table(labels: &[i64], scores: &[f64]) -> ExactTable {
        ExactTable::build(&ExactBatch {
            labels: ExactLabels::I64(Column::contiguous(labels)),
            scores: ExactScores::F64(Column::contiguous(scores)),
            weights: None,
            pos_label: 1.0,
            binary_labels: false,
        })
        .unwrap()
    }

    #[test]
    fn levels_stay_logarithmic_and_merge_to_the_whole() {
        let mut levels = ExactLevels::new();
        let mut whole = ExactTable::new();
        for i in 0..1000 {
            let labels = [i % 2, (i / 2) % 2];
            let scores = [(i % 37) as f64, (i * 7 % 101) as f64 / 3.0];
            levels.add(table(&labels, &scores));
            whole.merge(&table(&labels, &scores));
            assert!(levels.levels.len() <= 12, "{}", levels.levels.len());
        }
        assert_eq!(*levels.table(), whole);
        assert_eq!(levels.levels.len(), 1);
        levels.add(ExactTable::new());
        assert_eq!(levels.len(), whole.len());
    }
}
