import Foundation
import Perceptron

/// A live progress line for the epoch being trained, on a terminal only:
/// `epoch 3 [██████████··········] 234/469  61,250 samples/s  ETA 0.8 s  loss 0.0812`
///
/// It redraws at most ten times a second, in place (`\r`), and is wiped before the epoch's log line.
/// When the output is not a terminal (CI, a pipe, a file) it prints nothing, so logs hold plain lines.
struct ProgressBar {
    let enabled: Bool
    private let clock = ContinuousClock()
    private var epochStart: ContinuousClock.Instant?
    private var lastDraw: ContinuousClock.Instant?
    private var drawn = false

    init(enabled: Bool = isatty(STDOUT_FILENO) != 0) {
        self.enabled = enabled
    }

    mutating func update(_ progress: TrainingProgress) {
        guard enabled else { return }
        let now = clock.now
        if progress.batch == 1 { epochStart = now }
        if progress.batch == 1 { return }  // no rate to show yet
        if let lastDraw, now - lastDraw < .milliseconds(100), progress.batch < progress.batchCount { return }
        lastDraw = now
        let elapsed = epochStart.map { (now - $0).seconds } ?? 0
        let rate = elapsed > 0 ? Double(progress.examplesDone) / elapsed : 0
        let remaining = rate > 0 ? Double(progress.examplesDone) / Double(progress.batch) * Double(progress.batchCount - progress.batch) / rate : 0
        let width = 24
        let filled = progress.batch * width / max(progress.batchCount, 1)
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "epoch \(progress.epoch) [\(bar)] \(progress.batch)/\(progress.batchCount)  "
            + "\(Int(rate).formatted()) samples/s  ETA \(fixed(remaining, 1)) s  loss \(fixed(progress.runningLoss))"
        FileHandle.standardOutput.write(Data(("\r" + line + "\u{1B}[K").utf8))
        drawn = true
    }

    /// Wipes the live line, so the next line printed starts clean.
    mutating func clear() {
        guard enabled, drawn else { return }
        FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
