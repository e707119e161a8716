//! The rayon pool used for large batches, safe across `fork()`.
//!
//! A forked child inherits rayon's global registry but none of its threads, so
//! the first parallel call in the child would wait forever. We keep our own
//! pool tagged with the process id and build a fresh one when the id changes.
//!
//! The registry's own lock must not be inherited locked either (a thread of
//! the parent may be inside [`pool`] when another one forks): a fork hook
//! holds it across `fork()` with [`ForkGuard`], as glibc does for malloc.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError, TryLockError};

use rayon::{ThreadPool, ThreadPoolBuilder};

type Registry = Option<(u32, Arc<ThreadPool>)>;

static POOL: Mutex<Registry> = Mutex::new(None);

/// The pool of the current process; `None` if no thread could be started (the
/// caller then counts on its own thread).
pub fn pool() -> Option<Arc<ThreadPool>> {
    let pid = std::process::id();
    let mut guard = POOL.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((owner, pool)) = guard.as_ref() {
        if *owner == pid {
            return Some(Arc::clone(pool));
        }
        // Inherited from the parent: its threads do not exist here, so it must
        // be neither used nor dropped (dropping would signal absent threads).
        if let Some(stale) = guard.take() {
            std::mem::forget(stale);
        }
    }
    let pool = Arc::new(
        ThreadPoolBuilder::new()
            .thread_name(|i| format!("ferrometrics-{i}"))
            .build()
            .ok()?,
    );
    *guard = Some((pid, Arc::clone(&pool)));
    Some(pool)
}

/// The pool registry locked, for a `fork()` hook: taken just before the fork
/// and dropped just after it, in the parent and in the child (the thread that
/// forks is the child's only thread, so the child unlocks a lock it owns).
/// While it is held, [`pool`] waits.
pub struct ForkGuard {
    _guard: MutexGuard<'static, Registry>,
}

impl ForkGuard {
    /// Waits for the registry lock.
    pub fn lock() -> Self {
        ForkGuard {
            _guard: POOL.lock().unwrap_or_else(PoisonError::into_inner),
        }
    }

    /// The registry lock if it is free now (callers that must not block, such
    /// as a hook holding an interpreter lock, wait some other way and retry).
    pub fn try_lock() -> Option<Self> {
        match POOL.try_lock() {
            Ok(guard) => Some(ForkGuard { _guard: guard }),
            Err(TryLockError::Poisoned(poisoned)) => Some(ForkGuard {
                _guard: poisoned.into_inner(),
            }),
            Err(TryLockError::WouldBlock) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fork_guard_excludes_the_pool_until_dropped() {
        let held = ForkGuard::lock();
        assert!(ForkGuard::try_lock().is_none());
        let (sender, receiver) = std::sync::mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let pool = pool();
            sender.send(()).ok();
            pool.is_some()
        });
        let waited = receiver.recv_timeout(std::time::Duration::from_millis(100));
        assert!(waited.is_err(), "pool() ran while the fork guard was held");
        drop(held);
        assert!(waiter.join().unwrap());
    }
}
