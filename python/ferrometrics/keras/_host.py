"""Running the Rust counter from wherever Keras calls ``update_state``.

Keras calls a metric eagerly (TensorFlow eager, PyTorch, JAX without ``jit``), inside a
TensorFlow graph (``tf.function``), under JAX tracing (``jax.jit``, through Keras's stateless
API), or symbolically while it builds a model. The counter runs on the host, on NumPy arrays:
eagerly it is called directly; in a TensorFlow graph it becomes a ``tf.numpy_function`` op; under
JAX tracing an ordered ``io_callback``, so every executed step counts exactly once and in order.
Symbolic calls count nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import keras
import numpy as np

try:  # Keras 3 keeps these helpers under keras.src; they are stable across 3.x.
    from keras.src.backend.common.stateless_scope import in_stateless_scope
    from keras.src.backend.common.symbolic_scope import in_symbolic_scope
except ImportError:  # pragma: no cover - a Keras without them is refused at import
    raise ImportError("ferrometrics.keras needs Keras >= 3.0") from None

Spec = tuple[tuple[int, ...], Any]  # the shape and dtype of one output

XLA_MESSAGE = (
    "ferrometrics.keras metrics count on the host (in Rust) and cannot run inside an "
    "XLA-compiled TensorFlow step. Compile the model with `jit_compile=False` "
    "(Keras turns XLA on by default when a GPU is present)."
)


def backend() -> str:
    return keras.backend.backend()


def symbolic() -> bool:
    """Keras is building shapes: nothing is to be counted."""
    return in_symbolic_scope()


def eager_outside_stateless_scope() -> bool:
    """A plain eager call: the metric's own state, not values passed through a scope."""
    if in_stateless_scope() or in_symbolic_scope():
        return False
    if backend() == "tensorflow":
        import tensorflow as tf

        return tf.executing_eagerly()
    return True


def plain_python(fn: Callable) -> Callable:
    """``fn`` left as Python by TensorFlow's AutoGraph when a user's ``tf.function`` calls it
    (it builds its graph ops itself; converting it costs time on every traced step)."""
    if backend() == "tensorflow":
        import tensorflow as tf

        return tf.autograph.experimental.do_not_convert(fn)
    return fn


def to_numpy(x: Any) -> np.ndarray:
    """An eager tensor (or anything array-like) as a NumPy array, without a copy where the
    backend allows (``.numpy()``: TensorFlow and PyTorch, whose ``__array__`` predates
    NumPy 2's ``copy`` argument)."""
    if hasattr(x, "detach"):  # a PyTorch tensor, maybe on a GPU or requiring grad
        x = x.detach().cpu()
    if hasattr(x, "numpy"):
        return x.numpy()
    return np.asarray(x)


def wait_for_callbacks() -> None:
    """Makes every counting callback of steps already dispatched finish (JAX runs steps
    asynchronously; the host state must include them before it is read)."""
    if backend() == "jax":
        import jax

        jax.effects_barrier()


def call(fn: Callable[..., list[np.ndarray]], args: Sequence[Any], outputs: Sequence[Spec]):
    """``fn(*numpy arrays)`` (``None`` arguments passed as ``None``), from any context.

    Returns its outputs as NumPy arrays (eagerly) or as tensors of the given shapes and dtypes
    (graph or trace), in the order of ``outputs``.
    """
    present = [i for i, arg in enumerate(args) if arg is not None]

    def on_host(*arrays: Any) -> list[np.ndarray]:
        full: list[Any] = [None] * len(args)
        for i, array in zip(present, arrays):
            full[i] = np.asarray(array)
        return [np.asarray(out, dtype=dtype) for out, (_, dtype) in zip(fn(*full), outputs)]

    given = [args[i] for i in present]
    name = backend()
    if name == "tensorflow":
        return _call_tensorflow(on_host, given, outputs)
    if name == "jax":
        return _call_jax(on_host, given, outputs)
    return on_host(*(to_numpy(arg) for arg in given))


def _call_tensorflow(on_host, given, outputs):
    import tensorflow as tf
    from tensorflow.python.framework import ops as tf_ops
    from tensorflow.python.ops import control_flow_util

    if tf.executing_eagerly():
        return on_host(*(to_numpy(arg) for arg in given))
    if control_flow_util.GraphOrParentsInXlaContext(tf_ops.get_default_graph()):
        raise ValueError(XLA_MESSAGE)
    # Not converted by AutoGraph in the user's own tf.function: plain host code.
    host = tf.autograph.experimental.do_not_convert(on_host)
    results = tf.numpy_function(
        host,
        given,
        Tout=[tf.as_dtype(dtype) for _, dtype in outputs],
        stateful=True,
    )
    for tensor, (shape, _) in zip(results, outputs):
        tensor.set_shape(shape)
    return results


def _call_jax(on_host, given, outputs):
    import jax
    from jax.experimental import io_callback

    if not any(isinstance(arg, jax.core.Tracer) for arg in given):
        return on_host(*(np.asarray(arg) for arg in given))
    specs = [
        jax.ShapeDtypeStruct(shape, jax.dtypes.canonicalize_dtype(dtype))
        for shape, dtype in outputs
    ]

    def on_host_canonical(*arrays: Any) -> list[np.ndarray]:
        return [out.astype(spec.dtype) for out, spec in zip(on_host(*arrays), specs)]

    return io_callback(on_host_canonical, specs, *given, ordered=True)
