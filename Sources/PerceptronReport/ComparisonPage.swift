import Perceptron
import PerceptronRun

/// `index.html` of `perceptron compare` (and of a sweep): several runs on one offline page.
///
/// From the top: the overlaid curves (``ComparisonPlot``, inline SVG: the page is one file); the
/// options that differ between the runs (``RunComparison/differingOptions``), one column per run;
/// each run's results (best epoch, its validation loss, test accuracy, seconds of training), and for
/// runs that differ only in their seed, the mean and spread of the test accuracy; then what the
/// training doctor found in each run.
public enum ComparisonPage {
    /// The page comparing `comparison`'s runs.
    public static func html(_ comparison: RunComparison) -> String {
        let runs = comparison.runs
        let curves = runs.map { (name: $0.name, history: $0.metrics.history) }
        let options = comparison.differingOptions
        let optionRows = options.map { ReportPage.row([$0.name] + $0.values) }
        let resultRows = runs.map { run in
            let m = run.metrics
            return ReportPage.row([run.name, String(m.bestEpoch), Format.decimal(m.bestValidationLoss, 4),
                                   m.testAccuracy.map { Format.percent($0) } ?? "–", m.trainSeconds.map { Format.decimal($0, 1) } ?? "–",
                                   m.outcome.replacingOccurrences(of: "_", with: " ")])
        }
        let groups = comparison.seedGroups.filter { $0.count > 1 }
        let groupRows = groups.compactMap { group -> String? in
            guard let spread = comparison.testAccuracySpread(group) else { return nil }
            return ReportPage.row([group.map { runs[$0].name }.joined(separator: ", "), String(group.count), Format.percent(spread.mean),
                                   Format.percent(spread.lowest) + " – " + Format.percent(spread.highest)])
        }
        let diagnoses = runs.map { run in
            let items = run.metrics.diagnoses.map { "<li><b>\(ReportPage.e($0.code))</b> (epoch \($0.epoch)): \(ReportPage.e($0.message))</li>" }
            return "<h3>\(ReportPage.e(run.name))</h3>" + (items.isEmpty ? "<p>nothing found</p>" : "<ul>\(items.joined())</ul>")
        }
        return ReportPage.document(title: "Perceptron: \(runs.count) runs compared", body: """
            <header><h1>\(runs.count) runs compared</h1></header>
            <h2>Learning curves</h2>
            <figure class="loss">\(inline(ComparisonPlot.lossSVG(curves)))</figure>
            <figure class="accuracy">\(inline(ComparisonPlot.accuracySVG(curves)))</figure>
            <h2>What differs</h2>
            \(options.isEmpty ? "<p>The runs have the same options.</p>" : ReportPage.table(header: ["option"] + runs.map(\.name), rows: optionRows, class: "differences"))
            <h2>Results</h2>
            \(ReportPage.table(header: ["run", "best epoch", "val loss", "test accuracy", "train s", "outcome"], rows: resultRows, class: "results"))
            \(groupRows.isEmpty ? "" : "<h2>Over seeds</h2>\n" + ReportPage.table(header: ["runs", "seeds", "mean test accuracy", "range"], rows: groupRows, class: "seeds"))
            <h2>The doctor</h2>
            \(diagnoses.joined(separator: "\n"))
            <footer>Written by <code>perceptron compare</code> from each run's <code>metrics.json</code>.</footer>
            """)
    }

    /// An SVG document as an element of the page: without its XML declaration.
    private static func inline(_ document: String) -> String {
        guard document.hasPrefix("<?xml"), let end = document.range(of: "?>") else { return document }
        return String(document[end.upperBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
