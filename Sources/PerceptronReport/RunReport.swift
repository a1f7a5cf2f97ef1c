import Foundation
import Perceptron
import PerceptronRun

/// Writes the offline report of a training run into its folder:
///
/// ```
/// curves.svg     loss and accuracy per epoch              (CurvesPlot)
/// confusion.svg  the test confusion matrix                 (ConfusionHeatMap)
/// errors.svg     misclassified test images                 (ErrorGallery)
/// weights.svg    the first layer's weights as images        (WeightTiles)
/// index.html     the page that shows them with the numbers  (ReportPage)
/// ```
/// Each file is written atomically, the page last, so the page never refers to a missing figure.
public enum RunReport {
    public static let curvesFile = "curves.svg"
    public static let confusionFile = "confusion.svg"
    public static let errorsFile = "errors.svg"
    public static let weightsFile = "weights.svg"
    public static let pageFile = "index.html"
    /// Every file the report writes, in the order it writes them.
    public static let files = [curvesFile, confusionFile, errorsFile, weightsFile, pageFile]

    /// Writes the report of a run with `metrics`, whose selected `network` gave `evaluation` on the
    /// `test` images, into `folder` (created if missing).
    public static func write(to folder: URL, metrics: RunMetrics, network: Network<Float>, test: LabeledImages,
                             evaluation: Evaluation) throws {
        precondition(evaluation.predictions.count == test.count,
                     "an evaluation of \(evaluation.predictions.count) images cannot describe \(test.count) test images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let classes = max(network.sizes.last ?? 0, (evaluation.labels + evaluation.predictions).map { Int($0) + 1 }.max() ?? 0, 1)
        let confusion = ConfusionMatrix(classes: classes, labels: evaluation.labels, predictions: evaluation.predictions)
        let documents = [
            (curvesFile, CurvesPlot.svg(history: metrics.history, bestEpoch: metrics.bestEpoch)),
            (confusionFile, ConfusionHeatMap.svg(confusion)),
            (errorsFile, ErrorGallery.svg(images: test, predictions: evaluation.predictions)),
            (weightsFile, WeightTiles.svg(weight: network.layers[0].weight)),
            (pageFile, ReportPage.html(metrics: metrics, confusion: confusion)),
        ]
        for (name, text) in documents {
            try AtomicFile.write(text, to: folder.appendingPathComponent(name))
        }
    }
}
