//! A metric's state behind a lock that survives a panicking holder.

use std::sync::{Mutex, MutexGuard, PoisonError};

/// The state of one metric object. Critical sections are short (adding a
/// counted batch, copying the state); counting happens outside.
pub struct Locked<S>(Mutex<S>);

impl<S: Clone> Locked<S> {
    pub fn new(state: S) -> Self {
        Locked(Mutex::new(state))
    }

    pub fn lock(&self) -> MutexGuard<'_, S> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy taken under the lock, so results and merges never hold two locks.
    pub fn snapshot(&self) -> S {
        self.lock().clone()
    }
}
