//! Consistent state in a forked child: every metric's state lock, and the
//! core's pool registry lock, held across `fork()`, as glibc's malloc holds
//! its arenas.
//!
//! `fork()` copies memory but only the thread that forks, so a lock another
//! thread held at that moment stays locked in the child forever. Python calls
//! [`fork_prepare`] just before `os.fork()` and [`fork_release`] just after it,
//! in both processes (`os.register_at_fork`, in `ferrometrics/_fork.py`): the
//! forking thread takes every lock, so no other thread is inside a critical
//! section when the process is copied, and then drops them in parent and
//! child alike (in the child it is the only thread, and it owns the locks).
//!
//! Between the two calls other Python threads may still run (other fork hooks
//! run Python code). They never block on a lock held here with the GIL held:
//! every lock taken with the GIL waits with it released (`gil_lock.rs`).
//! Lock order: the registry, the states, the pool registry; no other code
//! holds two of them at once.

use std::any::Any;
use std::cell::RefCell;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use ferrometrics_core::pool::ForkGuard;
use pyo3::prelude::*;

use crate::gil_lock::{acquire_attached, lock_attached};

/// A metric's state lock, which the fork hook can take and keep.
pub trait Hold: Send + Sync {
    /// Takes the lock (with the GIL held, never blocking while holding it);
    /// the returned token unlocks it when dropped.
    fn hold(self: Arc<Self>, py: Python<'_>) -> Box<dyn Any>;
}

/// A guard that owns (a share of) its mutex.
struct OwnedGuard<S: 'static> {
    // Declared first, so dropped first: unlocks before `_mutex` may free the mutex.
    _guard: MutexGuard<'static, S>,
    _mutex: Arc<Mutex<S>>,
}

impl<S: Send + 'static> Hold for Mutex<S> {
    fn hold(self: Arc<Self>, py: Python<'_>) -> Box<dyn Any> {
        let guard = lock_attached(py, &self);
        // SAFETY: the guard borrows the mutex inside the `Arc` allocation, which
        // does not move when the `Arc` does and lives as long as `_mutex`; the
        // `OwnedGuard` keeps both and drops the guard first, so the guard never
        // outlives its mutex, and nothing else can see the `'static` lifetime.
        let guard =
            unsafe { std::mem::transmute::<MutexGuard<'_, S>, MutexGuard<'static, S>>(guard) };
        Box::new(OwnedGuard {
            _guard: guard,
            _mutex: self,
        })
    }
}

/// The live metric states, weakly: a state is freed with its metric and its
/// entry pruned later.
struct Registry {
    states: Vec<Weak<dyn Hold>>,
    /// Dead entries are pruned when the list reaches this length (twice the
    /// live entries after the last pruning): amortised constant time.
    prune_at: usize,
}

const MIN_PRUNE_AT: usize = 64;

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    states: Vec::new(),
    prune_at: MIN_PRUNE_AT,
});

/// Adds a new metric's state (with the GIL held).
pub fn register(py: Python<'_>, state: Weak<dyn Hold>) {
    let mut registry = lock_attached(py, &REGISTRY);
    if registry.states.len() >= registry.prune_at {
        registry.states.retain(|state| state.strong_count() > 0);
        registry.prune_at = (2 * registry.states.len()).max(MIN_PRUNE_AT);
    }
    registry.states.push(state);
}

/// Everything [`fork_prepare`] holds, released in reverse order of taking.
struct Held {
    _pool: ForkGuard,
    _states: Vec<Box<dyn Any>>,
    _registry: MutexGuard<'static, Registry>,
}

thread_local! {
    /// The forking thread's locks, from `fork_prepare` to `fork_release`. Per
    /// thread: Python runs both hooks on the thread that forks (the child's
    /// only thread), and a stray release elsewhere frees nothing.
    static HELD: RefCell<Option<Held>> = const { RefCell::new(None) };
}

/// Before `fork()`: takes the registry lock (no state is created until
/// released), every live state's lock, then the pool registry lock.
#[pyfunction]
#[pyo3(name = "_fork_prepare")]
pub fn fork_prepare(py: Python<'_>) {
    if HELD.with(|held| held.borrow().is_some()) {
        return; // already held by this thread
    }
    let registry = lock_attached(py, &REGISTRY);
    let states = registry
        .states
        .iter()
        .filter_map(Weak::upgrade)
        .map(|state| state.hold(py))
        .collect();
    let pool = acquire_attached(py, ForkGuard::try_lock, || drop(ForkGuard::lock()));
    let held = Held {
        _pool: pool,
        _states: states,
        _registry: registry,
    };
    HELD.with(|slot| *slot.borrow_mut() = Some(held));
}

/// After `fork()`, in the parent and in the child: drops what
/// [`fork_prepare`] took on this thread (nothing if it took nothing).
#[pyfunction]
#[pyo3(name = "_fork_release")]
pub fn fork_release() {
    let held = HELD.with(|slot| slot.borrow_mut().take());
    drop(held);
}
