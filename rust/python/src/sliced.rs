//! `_core.update_groups`: one batch counted into one metric per group in one
//! pass (`ferrometrics_core::sliced`), then added group by group.

use ferrometrics_core::partition::Partition;
use ferrometrics_core::sliced::{check_rows, count_partitioned, slot_ids, SlotIds};
use ferrometrics_core::{CoreError, Metric as CoreMetric};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;

use crate::error::Result;
use crate::metric::{Binding, Metric};
use crate::update::Prepared;

/// Counts `y_true`, `y_pred`, `sample_weight` per group: row `i` (first axis)
/// belongs to group id `groups[i]`. Once the batch is known to be valid as far
/// as the rows go, `make(ids)` is called with the distinct ids (ascending) and
/// returns the core metric of each (configured as `template`); they receive
/// their group's counts. The whole batch is validated and counted before any
/// state changes, and without the GIL when large.
#[pyfunction]
#[pyo3(signature = (template, groups, make, y_true, y_pred, sample_weight=None))]
pub fn update_groups(
    py: Python<'_>,
    template: PyRef<'_, Metric>,
    groups: PyReadonlyArray1<'_, i64>,
    make: &Bound<'_, PyAny>,
    y_true: &Bound<'_, PyAny>,
    y_pred: &Bound<'_, PyAny>,
    sample_weight: Option<&Bound<'_, PyAny>>,
) -> Result<()> {
    let ids = groups
        .as_slice()
        .map_err(|_| CoreError::value("`groups` must be contiguous".to_string()))?;
    template
        .shared()
        .update_groups(py, ids, make, y_true, y_pred, sample_weight)
}

/// [`crate::metric::Shared::update_groups`] for metrics of kind `M`.
pub fn update<M: CoreMetric>(
    py: Python<'_>,
    template: &Binding<M>,
    ids: &[i64],
    make: &Bound<'_, PyAny>,
    y_true: &Bound<'_, PyAny>,
    y_pred: &Bound<'_, PyAny>,
    sample_weight: Option<&Bound<'_, PyAny>>,
) -> Result<()> {
    let metric = &template.metric;
    let prepared = Prepared::new(y_true, y_pred, sample_weight, metric.one_row(), |s| {
        metric.check_shapes(s)
    })?;
    let shapes = prepared.shapes();
    let slot_ids = prepared.run(py, |batch| {
        check_rows(batch, shapes, ids.len())?;
        Ok(slot_ids(ids))
    })?;
    let slots = slot_ids.slots(ids);
    let kernel = prepared.run(py, |batch| Ok(metric.count_slots(batch, shapes, slots)))?;
    let (members, counts) = match kernel {
        Some(counted) => {
            let counted = counted?;
            let present: Vec<usize> = (0..slots.slots).filter(|&s| counted.rows[s] > 0).collect();
            let members = members::<M>(make, &slot_ids, &present, metric)?;
            let mut counts: Vec<Option<M::Counts>> = counted.counts.into_iter().map(Some).collect();
            let counts = present.iter().filter_map(|&s| counts[s].take()).collect();
            (members, counts)
        }
        None => {
            let partition = prepared.run(py, |_| Ok(Partition::new(slots)))?;
            let ranges = partition.ranges();
            let present: Vec<usize> = (0..slots.slots)
                .filter(|&s| !ranges[s].is_empty())
                .collect();
            let members = members::<M>(make, &slot_ids, &present, metric)?;
            let groups = present
                .iter()
                .zip(&members)
                .map(|(&slot, member)| {
                    Ok((slot, metric.width(&binding::<M>(member)?.state.lock(py))))
                })
                .collect::<Result<Vec<_>>>()?;
            let counts = prepared.run(py, |batch| {
                count_partitioned(metric, batch, shapes, &partition, groups)
            })?;
            (members, counts)
        }
    };
    // Every group is valid: each adds its counts under its own lock, one at a time.
    for (member, counts) in members.iter().zip(counts) {
        metric.add(&mut binding::<M>(member)?.state.lock(py), counts)?;
    }
    Ok(())
}

/// The metrics of the groups in `present` (slots), from the caller's `make`.
fn members<M: CoreMetric>(
    make: &Bound<'_, PyAny>,
    slot_ids: &SlotIds,
    present: &[usize],
    metric: &M,
) -> Result<Vec<Py<Metric>>> {
    let values: Vec<i64> = present.iter().map(|&s| slot_ids.value(s)).collect();
    let made: Vec<Py<Metric>> = make.call1((values,))?.extract()?;
    if made.len() != present.len() {
        return Err(CoreError::value("`make` must return one metric per group".to_string()).into());
    }
    for member in &made {
        metric.check_mergeable(&binding::<M>(member)?.metric)?;
    }
    Ok(made)
}

fn binding<M: CoreMetric>(member: &Py<Metric>) -> Result<&Binding<M>> {
    Ok(member
        .get()
        .shared()
        .as_any()
        .downcast_ref::<Binding<M>>()
        .ok_or_else(|| CoreError::value("metrics of different kinds".to_string()))?)
}
