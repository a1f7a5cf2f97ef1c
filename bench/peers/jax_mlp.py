#!/usr/bin/env python3
"""JAX peer of `perceptron bench`: one jax.jit of the whole training step (batch gather, forward,
backward, momentum update), parameters and velocity donated, on the CPU backend (XLA), float32.

    python bench/peers/jax_mlp.py --arch B --epochs 3 --threads 2 --json

Before the first timed epoch, warm-up steps on copies of the parameters compile the step for the
full batch of 128 and for the last batch of 96 (and the prediction); that time is reported as
compile_seconds, not timed: every timed epoch is a warm one, and the median is over all of them.
Each epoch ends with block_until_ready.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

args = common.parse_args("jax", extra=lambda p: p.add_argument(
    "--schedule", choices=["constant", "cosine"], default="constant",
    help="the learning rate per step: constant, or η₀·(1 + cos(π·t/T))/2 with t the epochs done after the step"))
threads = common.configure_threads(args.threads)
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_default_matmul_precision", "highest")  # true fp32 products (the CPU default anyway)


def build(arch):
    mu = jnp.float32(common.MOMENTUM)
    act = jax.nn.relu if arch.activation == "relu" else jax.nn.sigmoid

    def logits_of(params, x):
        h = x
        for W, b in params[:-1]:
            h = act(h @ W + b)
        W, b = params[-1]
        return h @ W + b

    def loss_fn(params, x, y):
        logits = logits_of(params, x)
        logp = jax.nn.log_softmax(logits)
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    def step(params, velocity, X, Y, idx, lr):
        x = jnp.take(X, idx, axis=0)
        y = jnp.take(Y, idx, axis=0)
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        velocity = jax.tree_util.tree_map(lambda v, g: mu * v - lr * g, velocity, grads)
        params = jax.tree_util.tree_map(lambda p, v: p + v, params, velocity)
        return params, velocity, loss

    def predict(params, x):
        return jnp.argmax(logits_of(params, x), axis=1)

    return jax.jit(step, donate_argnums=(0, 1)), jax.jit(predict)


def main():
    arch = common.ARCHS[args.arch]
    xtr, ytr, xte, yte = common.load_mnist(common.data_dir(args.data))
    X, Y = jax.device_put(xtr), jax.device_put(ytr)
    Xte = jax.device_put(xte)
    params = [(jnp.asarray(W), jnp.asarray(b)) for W, b in common.init_params(arch, args.seed)]
    velocity = jax.tree_util.tree_map(jnp.zeros_like, params)
    step, predict = build(arch)
    rng = np.random.default_rng([args.seed, 1])

    # Warm-up: compile (and run once) the step for the full batch and for the last partial batch, on
    # copies of the parameters (they are donated), and the prediction; none of it is timed.
    copy = lambda tree: jax.tree_util.tree_map(lambda a: jnp.array(a, copy=True), tree)  # noqa: E731
    with common.Stopwatch() as cw:
        for n in sorted({common.BATCH_SIZE, common.TRAIN_COUNT % common.BATCH_SIZE or common.BATCH_SIZE}):
            jax.block_until_ready(step(copy(params), copy(velocity), X, Y, np.arange(n, dtype=np.int32), np.float32(arch.learning_rate)))
        jax.block_until_ready(predict(params, Xte))
    common.log(f"jax {arch.name}: warm-up (compilation) {cw.seconds:.2f} s")

    epoch_seconds, losses = [], []
    counts = np.array([len(idx) for idx in common.epoch_order(np.random.default_rng(0))], dtype=np.float64)
    batches = len(counts)
    for epoch in range(args.epochs):
        step_losses = []
        with common.Stopwatch() as sw:
            for b, idx in enumerate(common.epoch_order(rng)):
                t = epoch + (b + 1) / batches  # as perceptron's LearningRateSchedule
                rate = arch.learning_rate
                if args.schedule == "cosine":
                    rate *= (1 + np.cos(np.pi * min(t / args.epochs, 1))) / 2
                params, velocity, loss = step(params, velocity, X, Y, idx, np.float32(rate))
                step_losses.append(loss)
            jax.block_until_ready(params)
        epoch_seconds.append(sw.seconds)
        batch_losses = np.asarray(jax.device_get(step_losses), dtype=np.float64)
        losses.append(float(batch_losses @ counts) / common.TRAIN_COUNT)
        common.log(f"jax {arch.name} epoch {epoch + 1}: {sw.seconds:.3f} s, loss {losses[-1]:.4f}")

    with common.Stopwatch() as ev:
        predicted = np.asarray(jax.block_until_ready(predict(params, Xte)))
    accuracy = float(np.mean(predicted == yte))

    import jaxlib
    res = common.result(
        "jax", args, arch, epoch_seconds, accuracy, ev.seconds, train_loss=losses,
        timing="warm-up steps compile before timing (compile_seconds, not timed); median over all timed epochs; training loop only",
        compile_seconds=cw.seconds, jax_version=jax.__version__, jaxlib_version=jaxlib.__version__,
        numpy_version=np.__version__, devices=[str(d) for d in jax.devices()], cpus=threads["cpus"],
        backend=f"XLA CPU, jax {jax.__version__}")
    common.emit(res, args.json)


if __name__ == "__main__":
    main()
