#if os(Linux)
import Glibc

/// How oneDNN's threads wait between two products.
///
/// oneDNN threads with OpenMP (libgomp on Linux). A thread that sleeps between two products must be
/// woken for the next (a futex, tens of microseconds); a thread that spins forever burns a core that
/// another program may need. A training step runs a dozen products and passes within a millisecond,
/// so a short spin keeps the threads awake across a step and lets them sleep between epochs or when
/// the process waits: `GOMP_SPINCOUNT=20000` (about 20–60 µs of polling).
///
/// Measured on an AMD EPYC (Zen 5, 2 cores), `perceptron bench --arch B`, s per epoch: with
/// `OMP_WAIT_POLICY=passive` (the earlier setting) every product paid a wake-up, and a 128×10·10×800
/// product ran at 5–40 GFLOP/s instead of 170–230; see BENCHMARKS.md for the epochs.
///
/// libgomp reads these variables once, when it is loaded — before `main` — so they have to be in
/// the environment the process starts with: ``configure()`` runs the program again with them. A
/// value the user set is left alone (`OMP_WAIT_POLICY=passive` or `active`, `GOMP_SPINCOUNT=…`).
enum OpenMPWaitPolicy {
    static let spinCount = "20000"

    /// Unless `OMP_WAIT_POLICY` or `GOMP_SPINCOUNT` is set: sets `GOMP_SPINCOUNT` and replaces this
    /// process by the same program with the same arguments (same pid). If that fails, carries on.
    static func configure() {
        guard getenv("OMP_WAIT_POLICY") == nil, getenv("GOMP_SPINCOUNT") == nil else { return }
        setenv("GOMP_SPINCOUNT", spinCount, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
#endif
