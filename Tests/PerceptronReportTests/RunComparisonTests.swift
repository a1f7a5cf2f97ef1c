import Perceptron
@testable import PerceptronReport
import PerceptronRun
import Testing

@Suite("Comparing runs")
struct RunComparisonTests {
    static func run(_ name: String, lr: Double, seed: UInt64, accuracy: Double) -> RunComparison.Run {
        var metrics = plausibleMetrics(history: plausibleHistory(epochs: 3))
        metrics.config.learningRate = lr
        metrics.config.seed = seed
        metrics.config.out = "runs/\(name)"
        metrics.testAccuracy = accuracy
        return RunComparison.Run(name: name, metrics: metrics)
    }

    @Test("only the options that differ are listed, the run folder aside")
    func differing() {
        let comparison = RunComparison(runs: [Self.run("a", lr: 0.1, seed: 1, accuracy: 0.9), Self.run("b", lr: 0.5, seed: 1, accuracy: 0.95)])
        #expect(comparison.differingOptions.map(\.name) == ["lr"])
        #expect(comparison.differingOptions[0].values == ["0.1", "0.5"])
        #expect(comparison.seedGroups == [[0], [1]])
    }

    @Test("runs that differ only in their seed form a group, with the mean and range of their test accuracy")
    func seeds() throws {
        let comparison = RunComparison(runs: [Self.run("a1", lr: 0.1, seed: 1, accuracy: 0.90), Self.run("b1", lr: 0.5, seed: 1, accuracy: 0.95),
                                              Self.run("a2", lr: 0.1, seed: 2, accuracy: 0.92)])
        #expect(comparison.seedGroups == [[0, 2], [1]])
        let spread = try #require(comparison.testAccuracySpread([0, 2]))
        #expect(abs(spread.mean - 0.91) < 1e-12 && spread.lowest == 0.90 && spread.highest == 0.92)
    }

    @Test("the page overlays every run's curves and tables the differing options")
    func page() {
        let comparison = RunComparison(runs: [Self.run("a", lr: 0.1, seed: 1, accuracy: 0.9), Self.run("b", lr: 0.5, seed: 1, accuracy: 0.95)])
        let html = ComparisonPage.html(comparison)
        #expect(html.contains("class=\"differences\""))
        #expect(html.contains("run-0") && html.contains("run-1"))
        #expect(!html.contains("<?xml"))
    }
}
