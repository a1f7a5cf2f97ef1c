import Perceptron
@testable import PerceptronReport
import Testing

@Suite("Curves plot")
struct CurvesPlotTests {
    @Test("one point per epoch in each series, epoch 0 included", arguments: [1, 12, 60])
    func pointsPerEpoch(epochs: Int) throws {
        let history = plausibleHistory(epochs: epochs)
        let root = try checkedSVG(CurvesPlot.svg(history: history, bestEpoch: epochs / 2))
        #expect(root.elements(classed: "point", "val-loss").count == history.count)
        #expect(root.elements(classed: "point", "train-loss").count == history.count)
        #expect(root.elements(classed: "point", "val-accuracy").count == history.count)
        #expect(root.elements(classed: "point").count == 3 * history.count)
        #expect(root.elements(classed: "clamped").isEmpty)
    }

    @Test("points run left to right in epoch order, and a falling loss is drawn ever lower")
    func geometry() throws {
        let root = try checkedSVG(CurvesPlot.svg(history: plausibleHistory(epochs: 5), bestEpoch: 5))
        let points = root.elements(classed: "point", "val-loss")
        let xs = points.compactMap { Double($0.attributes["cx"] ?? "") }
        let ys = points.compactMap { Double($0.attributes["cy"] ?? "") }
        #expect(xs.count == 6 && xs == xs.sorted() && Set(xs).count == 6)
        // The validation loss falls every epoch; on screen y grows downwards.
        #expect(ys == ys.sorted())
    }

    @Test("the best epoch is marked by a vertical line at its points and labelled")
    func bestEpoch() throws {
        let root = try checkedSVG(CurvesPlot.svg(history: plausibleHistory(epochs: 10), bestEpoch: 7))
        let line = try #require(root.elements(classed: "best-epoch").first)
        #expect(line.attributes["x1"] == line.attributes["x2"])
        let seventh = root.elements(classed: "point", "val-loss")[7]
        #expect(line.attributes["x1"] == seventh.attributes["cx"])
        #expect(root.elements(classed: "best-epoch-label").first?.text == "best epoch 7")
    }

    @Test("axes are labelled: epoch, loss on the left, accuracy in percent on the right; there is a legend")
    func axesAndLegend() throws {
        let root = try checkedSVG(CurvesPlot.svg(history: plausibleHistory(epochs: 10), bestEpoch: 7))
        let texts = root.elements(named: "text").map(\.text)
        #expect(texts.contains("epoch"))
        #expect(texts.contains("cross-entropy loss (log scale)"))
        #expect(texts.contains("validation accuracy"))
        #expect(texts.contains("100%"))
        #expect(texts.contains("0.0") || texts.contains("0"))
        #expect(root.elements(classed: "legend").map(\.text) == ["training loss", "validation loss", "validation accuracy (right axis)"])
    }

    @Test("NaN and infinite losses of a diverged run are skipped and the lines break there")
    func diverged() throws {
        var history = plausibleHistory(epochs: 6)
        history[4].trainLoss = .nan
        history[5].valLoss = .infinity
        history[5].trainLoss = .nan
        history[6].valLoss = .nan
        history[6].trainLoss = .nan
        history[6].valAccuracy = .nan
        let document = CurvesPlot.svg(history: history, bestEpoch: 3)
        let root = try checkedSVG(document)
        #expect(!document.contains("NaN") && !document.contains("nan") && !document.contains("inf"))
        #expect(root.elements(classed: "point", "val-loss").count == 5)
        #expect(root.elements(classed: "point", "train-loss").count == 4)
        #expect(root.elements(classed: "point", "val-accuracy").count == 6)
        // The validation loss line covers epochs 0–4 in one piece; the training loss line stops at epoch 3.
        #expect(root.elements(classed: "line", "val-loss").map { $0.attributes["points"]!.split(separator: " ").count } == [5])
        #expect(root.elements(classed: "line", "train-loss").map { $0.attributes["points"]!.split(separator: " ").count } == [4])
    }

    @Test("a history that is all NaN still makes a valid, empty plot")
    func allNaN() throws {
        let history = [EpochRecord(epoch: 0, trainLoss: .nan, valLoss: .nan, valAccuracy: .nan, trainSeconds: 0, evalSeconds: 0)]
        let root = try checkedSVG(CurvesPlot.svg(history: history, bestEpoch: 0))
        #expect(root.elements(classed: "point").isEmpty)
    }

    @Test("a single epoch gives one point per series")
    func singleEpoch() throws {
        let root = try checkedSVG(CurvesPlot.svg(history: plausibleHistory(epochs: 0), bestEpoch: 0))
        #expect(root.elements(classed: "point", "val-loss").count == 1)
        #expect(root.elements(classed: "line").isEmpty)
    }

    @Test("no history gives a note instead of points")
    func noHistory() throws {
        let root = try checkedSVG(CurvesPlot.svg(history: [], bestEpoch: nil))
        #expect(root.elements(classed: "point").isEmpty)
        #expect(root.elements(named: "text").contains { $0.text == "no epochs recorded" })
    }

    @Test("a loss that explodes is clamped to the top of an axis set by the first loss, and marked")
    func explodingLoss() throws {
        var history = plausibleHistory(epochs: 5)
        history[5].trainLoss = 4.2e7
        history[5].valLoss = 1e30
        #expect(CurvesPlot.ceiling(history) == 3 * 2.31)
        let root = try checkedSVG(CurvesPlot.svg(history: history, bestEpoch: 4))
        let clamped = root.elements(classed: "clamped")
        #expect(clamped.count == 2)
        #expect(root.elements(classed: "point", "val-loss").count == 6)
        // The normal points keep a readable spread: epoch 0 sits well inside the plot.
        let first = try #require(Double(root.elements(classed: "point", "val-loss")[0].attributes["cy"] ?? ""))
        let top = clamped.compactMap { $0.attributes["points"] }.first.flatMap { Double($0.split(separator: ",")[1]) }
        #expect(first > (top ?? 0) + 50)
    }

    @Test("losses spanning orders of magnitude without exploding keep the whole range")
    func wideRange() {
        let history = (0...3).map { EpochRecord(epoch: $0, trainLoss: [2.3, 0.1, 0.001, 0.0001][$0], valLoss: 5,
                                                  valAccuracy: 0.5, trainSeconds: 1, evalSeconds: 1) }
        #expect(CurvesPlot.ceiling(history) == 5)
    }
}

@Suite("Log scale")
struct LogScaleTests {
    @Test("equal ratios take equal room: 0.01 → 0.1 as far as 0.1 → 1; the range widens to whole decades")
    func ratios() {
        let scale = LogScale.covering(lower: 0.013, upper: 2.4, start: 300, end: 0)
        #expect(scale.lower == 0.01 && abs(scale.upper - 10) < 1e-12)
        let decade = scale.position(0.01) - scale.position(0.1)
        #expect(abs(decade - (scale.position(0.1) - scale.position(1))) < 1e-9)
        #expect(abs(scale.position(0.01) - 300) < 1e-9 && abs(scale.position(10)) < 1e-9)
    }

    @Test("ticks at 1, 2, 5 × 10ᵏ within three decades, powers of ten alone beyond")
    func ticks() {
        let near = LogScale(lower: 0.01, upper: 1, start: 0, end: 1)
        #expect(near.ticks.map(near.label) == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
        let far = LogScale(lower: 1e-5, upper: 10, start: 0, end: 1)
        #expect(far.ticks.map(far.label) == ["1e-05", "0.0001", "0.001", "0.01", "0.1", "1", "10"])
    }
}
