//! Taking a lock on a thread that holds the GIL without ever blocking while
//! holding it.
//!
//! A thread blocked on a lock while holding the GIL would deadlock with the
//! fork hook (`fork.rs`), which holds every state lock and then needs the GIL
//! back to fork; so a thread that finds a lock busy waits for it with the GIL
//! released, then tries again.

use std::sync::{Mutex, MutexGuard, TryLockError};

use pyo3::Python;

/// `mutex` locked by a thread holding the GIL (a poisoned lock is taken as is:
/// every critical section leaves its state whole).
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
