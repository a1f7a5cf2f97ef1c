import Foundation
import Perceptron
import PerceptronData

/// `perceptron predict --csv FILE [--out submission.csv]`: every image of a CSV file in Kaggle's
/// layout read by a model, the answers written as Kaggle's submission (``KaggleCSV``).
struct CSVPrediction {
    let model: SavedModel
    let csv: String
    let out: String?

    /// Reads the file's images, runs the network over them in batches as `evaluate` does (the same
    /// answers, image by image), and writes `ImageId,Label`, the label the class's name.
    func run() throws {
        let threads = OneDNN.threadCount
        OneDNN.threadCount = ProcessInfo.processInfo.activeProcessorCount
        defer { OneDNN.threadCount = threads }
        let inputs = model.network.sizes[0]
        let pixels = try KaggleCSV.readTest(from: URL(fileURLWithPath: csv), pixels: inputs)
        // The evaluator answers labelled images; these labels are placeholders, only its predictions are used.
        let images = LabeledImages(images: pixels, labels: [UInt8](repeating: 0, count: pixels.count / inputs), rows: 1, columns: inputs)
        var evaluator = Evaluator<Float>()
        let labels = evaluator.evaluate(model.network, on: images).predictions.map { model.classes[Int($0)] }
        if let out {
            try KaggleCSV.writeSubmission(labels, to: URL(fileURLWithPath: out))
            print("wrote the answers for \(labels.count) images of \(csv) to \(out)")
        } else {
            print(String(decoding: KaggleCSV.submission(labels), as: UTF8.self), terminator: "")
        }
    }
}
