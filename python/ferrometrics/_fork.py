"""Fork safety (docs/semantics.md §10): metric state stays consistent in a forked child.

Each metric keeps its state behind a lock in the Rust core. A thread of the parent may hold
one (adding a batch, possibly with the GIL released) at the moment another thread calls
``os.fork()``; the child would inherit it locked and hang on its first use of that metric.
As glibc does for malloc, the forking thread takes every state lock (and the thread-pool
registry lock) just before the fork and releases them just after it, in parent and child.
"""

from __future__ import annotations

import os

from . import _core

_registered = False


def register() -> None:
    """Installs the fork hooks once (no-op where ``os.register_at_fork`` is missing)."""
    global _registered
    if _registered or not hasattr(os, "register_at_fork"):
        return
    os.register_at_fork(
        before=_core._fork_prepare,
        after_in_parent=_core._fork_release,
        after_in_child=_core._fork_release,
    )
    _registered = True
