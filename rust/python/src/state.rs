//! A metric's state behind a lock that survives a panicking holder and `fork()`.
//!
//! Two rules keep the lock safe next to the GIL and the fork hook (`fork.rs`),
//! which holds every state lock across `fork()` while other Python threads may
//! still run: a thread holding the GIL never blocks on a state lock ([`Locked::lock`]
//! waits with the GIL released), and no critical section needs the GIL or a
//! second lock.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};

use pyo3::Python;

use crate::fork::{self, Hold};
use crate::gil_lock::lock_attached;

/// The state of one metric object. Critical sections are short (adding a
/// counted batch, copying the state); counting happens outside. The mutex is
/// shared with the fork hook's registry (weakly), so the hook can hold it.
pub struct Locked<S>(Arc<Mutex<S>>);

impl<S: Clone + Send + 'static> Locked<S> {
    /// A new state, registered with the fork hook.
    pub fn new(py: Python<'_>, state: S) -> Self {
        let mutex = Arc::new(Mutex::new(state));
        let weak: Weak<Mutex<S>> = Arc::downgrade(&mutex);
        fork::register(py, weak as Weak<dyn Hold>);
        Locked(mutex)
    }

    /// The state, locked by a thread holding the GIL.
    pub fn lock(&self, py: Python<'_>) -> MutexGuard<'_, S> {
        lock_attached(py, &self.0)
    }

    /// The state, locked by a thread that released the GIL (inside `py.detach`).
    /// With the GIL held, use [`Locked::lock`].
    pub fn lock_detached(&self) -> MutexGuard<'_, S> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy taken under the lock, so results and merges never hold two locks.
    pub fn snapshot(&self, py: Python<'_>) -> S {
        self.lock(py).clone()
    }
}
