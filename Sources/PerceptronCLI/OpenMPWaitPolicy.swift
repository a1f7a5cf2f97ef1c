#if os(Linux)
import Glibc

/// How oneDNN's threads wait between two products.
///
/// oneDNN threads with OpenMP (libgomp on Linux), whose idle threads spin, polling for the next
/// parallel region, before they sleep. On an idle machine that saves a wake-up; when another program
/// holds one of the cores, every product waits for a thread that is not running while the spinning
/// one burns the other core — and the element-wise passes, which run on Dispatch's threads, wait for
/// the spinner too. Measured (`perceptron bench --arch B --precision bf16`, s per epoch, one core kept
/// busy by a shell loop): 2.24–2.65 spinning, 1.15–1.17 with `OMP_WAIT_POLICY=passive`; idle, back
/// to back, the two were within the machine's noise (0.81–0.94 against 0.71–0.85).
///
/// libgomp reads `OMP_WAIT_POLICY` once, when it is loaded — before `main` — so the variable has to
/// be in the environment the process starts with: ``makeThreadsSleep()`` runs the program again with
/// it. A value the user set is left alone (`OMP_WAIT_POLICY=active` keeps the spinning).
enum OpenMPWaitPolicy {
    /// Unless `OMP_WAIT_POLICY` is set: sets it to `passive` and replaces this process by the same
    /// program with the same arguments (same process, same pid). If that fails, carries on as it is.
    static func makeThreadsSleep() {
        guard getenv("OMP_WAIT_POLICY") == nil else { return }
        setenv("OMP_WAIT_POLICY", "passive", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
#endif
