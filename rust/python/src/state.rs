//! A metric's state behind a lock that survives a panicking holder.
//!
//! A thread holding the GIL never blocks on a state lock ([`Locked::lock`]
//! waits with the GIL released), and no critical section needs the GIL or a
//! second lock: a lock holder can always finish, whoever holds the GIL.

use std::sync::{Mutex, MutexGuard, PoisonError, TryLockError};

use pyo3::Python;

/// The state of one metric object. Critical sections are short (adding a
/// counted batch, copying the state); counting happens outside.
pub struct Locked<S>(Mutex<S>);

impl<S: Clone + Send> Locked<S> {
    pub fn new(state: S) -> Self {
        Locked(Mutex::new(state))
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

/// Takes `mutex` with the GIL held but never blocks holding it: while the
/// lock is busy, waits for it with the GIL released, then tries again (the
/// holder may be a thread that needs the GIL back before it can go on).
pub fn lock_attached<'m, T>(py: Python<'_>, mutex: &'m Mutex<T>) -> MutexGuard<'m, T>
where
    T: Send,
{
    acquire_attached(
        py,
        || match mutex.try_lock() {
            Ok(guard) => Some(guard),
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        },
        || drop(mutex.lock()),
    )
}

/// [`lock_attached`] for any lock: `try_lock` with the GIL held, and `wait`
/// (lock and unlock) with it released whenever `try_lock` finds it busy.
pub fn acquire_attached<G>(
    py: Python<'_>,
    try_lock: impl Fn() -> Option<G>,
    wait: impl Fn() + Sync,
) -> G {
    loop {
        if let Some(guard) = try_lock() {
            return guard;
        }
        py.detach(&wait);
    }
}
