import ArgumentParser
import Foundation
import Perceptron
import PerceptronData

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training of one benchmark architecture on MNIST, and its GEMMs alone on the same shapes.",
        discussion: """
            A 784-100-10 sigmoid (lr 0.5), B 784-800-10 ReLU (lr 0.05), C 784-1024-1024-10 ReLU (lr 0.05); \
            batch 128, momentum 0.9, float32 parameters; the products in float32, or with --precision bf16 in \
            bfloat16 (float32 accumulation; falls back to fp32 on CPUs without bfloat16 instructions). \
            `make bench` runs all three interleaved with JAX, PyTorch and numpy peers (bench/run.py).
            """)

    enum Architecture: String, ExpressibleByArgument, CaseIterable {
        case A, B, C

        var hidden: [Int] { switch self { case .A: [100]; case .B: [800]; case .C: [1024, 1024] } }
        var activation: Activation { self == .A ? .sigmoid : .relu }
        var learningRate: Double { self == .A ? 0.5 : 0.05 }
    }

    @Option(help: "A, B or C.")
    var arch: Architecture = .B

    @Option(help: "Epochs to time.")
    var epochs = 3

    @Option(help: "Threads (default: every core).")
    var threads: Int?

    @Option(help: "The data folder (default: $PERCEPTRON_DATA or data/mnist).")
    var data: String?

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    @Option(help: "The seed.")
    var seed: UInt64 = 1

    @Option(help: "The number format of the matrix products: fp32, or bf16 (where the CPU has bfloat16 instructions).")
    var precision: Precision = .fp32

    @Flag(help: "Run the element-wise passes on one thread, to measure what splitting them over the cores gains.")
    var serialPasses = false

    @Flag(help: "Split the element-wise passes over Dispatch's threads instead of OpenMP's, to measure the difference.")
    var dispatchPasses = false

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        OneDNN.threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        Parallel.isEnabled = !serialPasses
        Parallel.useOpenMP = !dispatchPasses
        let folder = data.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory(for: .mnist)
        let splits = try DataPreparation.load(.mnist, from: folder, log: { _ in })
        let sizes = [784] + arch.hidden + [10]
        let batchSize = 128
        let effective = precision.supported
        if effective != precision {
            FileHandle.standardError.write(Data("note: this CPU has no bfloat16 instructions (oneDNN: \(OneDNN.instructionSet)); measuring fp32\n".utf8))
        }

        let root = SplitMix64(seed: seed)
        var initGenerator = root.stream("init")
        let network = Network<Float>(sizes: sizes, hiddenActivation: arch.activation, using: &initGenerator)
        var options = TrainingOptions(epochs: epochs, batchSize: batchSize, learningRate: arch.learningRate, momentum: 0.9)
        options.precision = effective
        var trainer = Trainer(network: network, optimizer: Momentum<Float>(learningRate: Float(arch.learningRate), momentum: 0.9),
                              options: options, shuffler: root.stream("shuffle"))
        let steps = (splits.train.count + batchSize - 1) / batchSize
        let products = ProductTiming(sizes: sizes, activation: arch.activation, batchSize: batchSize, precision: effective, momentum: 0.9)
        // Each epoch, then right after it the same epoch's products alone (in training order, nothing
        // between them), so that every "epoch ÷ products" is measured back to back: this host's pace
        // changes from one minute to the next. The peak RSS is training's own, read before each
        // replay, whose buffers are then dropped from the high-water mark where the system allows it.
        var epochSeconds: [Double] = [], productSeconds: [Double] = []
        var peakRSS = 0.0, peakIsTrainingOnly = true
        let split = try ProtocolSplit(splits, seed: seed)
        _ = trainer.train(on: split.train, validation: split.validation) { end in
            guard end.record.epoch > 0 else { return }
            epochSeconds.append(end.record.trainSeconds)
            if peakIsTrainingOnly { peakRSS = max(peakRSS, Self.peakResidentMegabytes()) }
            productSeconds.append(products.secondsInOrder(steps: steps))
            peakIsTrainingOnly = Self.resetPeakResident()
        }

        var evaluator = Evaluator<Float>()
        let clock = ContinuousClock()
        let evalStart = clock.now
        let testSet = splits.test ?? split.test  // MNIST's 10,000 (the data always has them)
        let test = evaluator.evaluate(trainer.best, on: testSet)
        let evalSeconds = (clock.now - evalStart).seconds

        // The training doctor's cost per epoch: statistics of every layer on 500 validation images,
        // as in every epoch after the first (whose examination also makes the products' kernels).
        var doctor = TrainingDoctor(validation: split.validation, learningRate: arch.learningRate)
        var doctorSeconds = 0.0
        for _ in 0..<2 {
            let doctorStart = clock.now
            _ = doctor.examine(trainer.network, history: trainer.history, updateRatios: trainer.updateRatios, updateShrinkages: trainer.updateShrinkages)
            doctorSeconds = (clock.now - doctorStart).seconds
        }

        let measured = products.measure()
        let gemmSeconds = Self.median(productSeconds)
        let epochOverProducts = Self.median(zip(epochSeconds, productSeconds).map { $0 / $1 })
        // The floor of this CPU and library: every product of an epoch at the fastest way measured
        // for its shape (ours or a bare primitive, whichever was faster), nothing between them.
        let floorSeconds = measured.reduce(0) { $0 + min($1.seconds, $1.bestSeconds) } * Double(steps)
        let flopsPerEpoch = measured.reduce(0) { $0 + $1.product.flops } * Double(steps)
        let median = Self.median(epochSeconds)

        let result: [String: Any] = [
            "engine": "perceptron", "arch": arch.rawValue, "precision": effective.rawValue,
            "requested_precision": precision.rawValue, "parallel_passes": !serialPasses, "sizes": sizes,
            "activation": arch.activation.rawValue, "threads": OneDNN.threadCount, "backend": OneDNN.backendDescription(for: effective),
            "epoch_seconds": epochSeconds, "median_epoch_seconds": median,
            "min_epoch_seconds": epochSeconds.min()!, "max_epoch_seconds": epochSeconds.max()!,
            "samples_per_second": Double(splits.train.count) / median,
            "gflops": flopsPerEpoch / median / 1e9, "cpu": ProductTiming.cpuModel, "isa": OneDNN.instructionSet,
            "products": measured.map(\.json),
            "gemm_seconds_per_epoch": gemmSeconds, "gemm_gflops": flopsPerEpoch / gemmSeconds / 1e9,
            "product_efficiency": measured.map(\.efficiency).min() ?? 0, "epoch_over_products": epochOverProducts,
            "product_seconds_per_epoch": productSeconds,
            "gemm_share": gemmSeconds / median, "floor_seconds_per_epoch": floorSeconds,
            "peak_rss_mb": peakRSS, "eval_images_per_second": Double(testSet.count) / evalSeconds,
            "test_accuracy": test.accuracy,
            "doctor_seconds_per_epoch": doctorSeconds, "doctor_share": doctorSeconds / median,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("arch \(arch.rawValue) \(sizes.map(String.init).joined(separator: "-")) \(arch.activation.rawValue), \(OneDNN.backendDescription(for: effective))")
            print("  CPU            \(ProductTiming.cpuModel), oneDNN ISA \(OneDNN.instructionSet)")
            print("  s/epoch        median \(fixed(median, 3))  min \(fixed(epochSeconds.min()!, 3))  max \(fixed(epochSeconds.max()!, 3))  over \(epochSeconds.count) epochs")
            print("  samples/s      \(Int(Double(splits.train.count) / median))")
            print("  GFLOP/s        \(fixed(flopsPerEpoch / median / 1e9, 1)) (training), \(fixed(flopsPerEpoch / gemmSeconds / 1e9, 1)) (products alone)")
            print("  products alone \(fixed(gemmSeconds, 3)) s per epoch, replayed after each epoch; the epoch is \(fixed(epochOverProducts, 2))× that (GEMM share \(percent(gemmSeconds / median)))")
            print("  floor          \(fixed(floorSeconds, 3)) s per epoch: each product at the fastest way measured for its shape")
            for m in measured {
                print("  product        \(m.product) [\(m.role)] \(m.implementation): \(fixed(m.gflops, 1)) GFLOP/s; "
                      + "best bare \(fixed(m.bestGFLOPS, 1)) (\(m.best)): efficiency \(percent(m.efficiency))")
            }
            print("  peak RSS       \(fixed(peakRSS, 1)) MB")
            print("  evaluation     \(Int(Double(testSet.count) / evalSeconds)) images/s")
            print("  doctor         \(fixed(doctorSeconds, 3)) s per epoch (\(percent(doctorSeconds / median)) of an epoch's training)")
            print("  test accuracy  \(percent(test.accuracy)) (10,000 images, after \(epochs) epochs)")
        }
    }

    /// The median; of an even count, the mean of the middle two (as the peers).
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    /// Sets the peak resident size back to the present one (Linux: `5` into /proc/self/clear_refs);
    /// false where the system has no way to.
    static func resetPeakResident() -> Bool {
        #if os(Linux)
        guard let file = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? file.close() }
        return (try? file.write(contentsOf: Data("5".utf8))) != nil
        #else
        return false
        #endif
    }

    /// The peak resident size, in MB: VmHWM on Linux (which ``resetPeakResident()`` resets), else
    /// the rusage maximum.
    static func peakResidentMegabytes() -> Double {
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") {
            return kilobytes / 1024
        }
        #endif
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        #if os(Linux)
        return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
        #else
        return Double(usage.ru_maxrss) / (1024 * 1024)  // bytes on macOS
        #endif
    }
}

