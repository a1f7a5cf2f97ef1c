import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData
import PerceptronReport

struct AugmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "augment",
        abstract: "Show what data augmentation does to the training images, as an SVG grid of originals and their variants.",
        discussion: """
            --show writes one row per training image: the image as it is, then as augmentation redraws it \
            in epochs 1, 2, …: the very images `perceptron train --seed S --augment SPEC` trains on (image i \
            of epoch e depends only on the seed, e and i). --time measures instead how long augmenting the \
            whole training set takes, on one thread and on every core.
            """)

    @Flag(help: "Write the grid of augmented examples (to --out).")
    var show = false

    @Flag(help: "Time the augmentation of the whole training set: one thread, then every core (median of 5 epochs).")
    var time = false

    @Option(name: .customLong("augment"),
            help: "none, standard, or KEY=VALUE,… with keys rotation (degrees), scale, shear, shift (pixels), alpha and sigma (pixels), thickness (a share of a pixel, at most 1) (default: standard).")
    var augmentation: String?

    @Option(help: "The number of training images shown, one per row, picked with the seed.")
    var count = 10

    @Option(help: "The number of augmented variants of each image, one per epoch.")
    var variants = 8

    @Option(help: "The seed that picks the images and draws the distortions, as for train.")
    var seed: UInt64 = 1

    @Option(help: "The data folder (default: $PERCEPTRON_DATA or data/mnist; for fashion /usr/share/datasets/fashion-mnist).")
    var data: String?

    @Option(help: "mnist or fashion (default: mnist).")
    var dataset: Dataset?

    @Option(help: "The SVG file to write.")
    var out = "augmented.svg"

    func run() throws {
        guard show || time else {
            throw RunError("nothing to do: give --show to write the grid of augmented examples, or --time to time the augmentation")
        }
        let augmentation = try parsedAugmentation()
        guard count >= 1 else { throw RunError("--count must be at least 1, not \(count)") }
        guard (1...100).contains(variants) else { throw RunError("--variants must be between 1 and 100, not \(variants)") }
        let dataset = dataset ?? .mnist
        let folder = data.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory(for: dataset)
        let train = try DataPreparation.load(dataset, from: folder, log: { print($0) }).train
        guard count <= train.count else {
            throw RunError("--count \(count) is more than the \(train.count) training images in \(folder.path)")
        }
        // The trainer's generator for augmentation: its shuffler's stream "augment".
        let generator = SplitMix64(seed: seed).stream("shuffle").stream("augment")
        if show { try writeGrid(of: train, augmentation: augmentation, generator: generator) }
        if time { measure(on: train, augmentation: augmentation, generator: generator) }
    }

    /// `--augment`, or the standard augmentation.
    private func parsedAugmentation() throws -> Augmentation {
        guard let text = augmentation else { return .standard }
        guard let parsed = Augmentation(text) else {
            throw RunError("--augment '\(text)' is not one of \(Augmentation.expectedForms)")
        }
        return parsed
    }

    /// `--count` images picked with the seed (shown in label order), each followed by its variants
    /// for epochs 1…`--variants`, written to `--out`.
    private func writeGrid(of train: LabeledImages, augmentation: Augmentation, generator: SplitMix64) throws {
        var picker = SplitMix64(seed: seed).stream("augment-show")
        var order = Array(0..<train.count)
        order.shuffle(with: &picker)
        let chosen = order.prefix(count).sorted { (train.labels[$0], $0) < (train.labels[$1], $1) }
        let originals = train.subset(chosen)
        let variantImages = (1...variants).map { epoch in
            LabeledImages(images: chosen.flatMap { augmentation.augmentedImage($0, of: train, epoch: epoch, generator: generator) },
                          labels: originals.labels, rows: train.rows, columns: train.columns)
        }
        let svg = AugmentationGrid.svg(originals: originals, variants: variantImages, augmentation: augmentation.description)
        let url = URL(fileURLWithPath: out)
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw RunError("cannot write \(url.path): there is no folder \(folder.path); choose another file with --out")
        }
        do { try AtomicFile.write(svg, to: url) } catch {
            throw RunError("cannot write \(url.path): \(error.localizedDescription); choose another file with --out")
        }
        print("wrote \(url.path): \(count) training image\(count == 1 ? "" : "s"), each with its variant\(variants == 1 ? "" : "s") "
              + "for epoch\(variants == 1 ? " 1" : "s 1–\(variants)") (\(augmentation))")
    }

    /// Seconds per augmented epoch of the whole training set, median of 5, on one thread and on
    /// every core: the time that passes, and the processor time used (which a busy machine inflates less).
    private func measure(on train: LabeledImages, augmentation: Augmentation, generator: SplitMix64) {
        var target = train
        augmentation.augment(train, epoch: 0, generator: generator, into: &target)  // target's own copy, made once
        let cores = ProcessInfo.processInfo.activeProcessorCount
        for threads in cores > 1 ? [1, cores] : [1] {
            var wall: [Double] = [], processor: [Double] = []
            for epoch in 1...5 {
                let startProcessor = clock()
                let duration = ContinuousClock().measure {
                    augmentation.augment(train, epoch: epoch, generator: generator, into: &target, threads: threads)
                }
                processor.append(Double(clock() - startProcessor) / Double(CLOCKS_PER_SEC))
                wall.append(Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18)
            }
            let seconds = wall.sorted()[2], processorSeconds = processor.sorted()[2]
            let images = Double(train.count)
            print("\(threads) thread\(threads == 1 ? "" : "s"): \(fixed(seconds, 3)) s per epoch of \(train.count) images, "
                  + "\(fixed(seconds / images * 1e6, 2)) µs per image; processor time \(fixed(processorSeconds / images * 1e6, 2)) µs per image "
                  + "(medians of 5; \(augmentation))")
        }
    }
}
