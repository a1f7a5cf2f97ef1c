import Perceptron
import PerceptronRun

/// `index.html`: the one page of a run's report, readable offline from `file://`.
///
/// From the top: the architecture and outcome; headline cards (test accuracy, best epoch, …); the
/// four figures, each an `<img>` of its SVG file beside the page; the per-class precision, recall
/// and F1 with the most frequent mistakes; the history, one row per epoch with the selected one
/// highlighted; and the configuration. Plain HTML with a small embedded style sheet — no script, no
/// external resource — laid out to a readable column that narrows to a phone's width (wide tables
/// scroll sideways inside their box). Void elements are closed (`<img …/>`), so the page is also
/// well-formed XML.
public enum ReportPage {
    /// The page for a run with `metrics` whose test images gave `confusion`.
    public static func html(metrics: RunMetrics, confusion: ConfusionMatrix) -> String {
        let title = "Perceptron run \(metrics.architecture)"
        return document(title: title, body: """
            <header>
            <h1>\(e(title))</h1>
            <p class="subtitle">\(e(metrics.config.dataset.rawValue)) · \(e(metrics.config.activation.rawValue)) · <span class="outcome outcome-\(e(metrics.outcome))">\(e(metrics.outcome.replacingUnderscores))</span> · \(e(metrics.config.out ?? ""))</p>
            </header>
            \(headline(metrics, confusion: confusion))
            <h2>Learning curves</h2>
            \(figure(RunReport.curvesFile, alt: "Training and validation loss and validation accuracy per epoch",
                     caption: "Loss per epoch on the left axis (epoch 0 is the untrained network), validation accuracy on the right; the dashed line marks the epoch kept."))
            <h2>Test set</h2>
            \(figure(RunReport.confusionFile, alt: "Confusion matrix of the test images",
                     caption: "Rows are the true classes, columns the predicted ones; colour shows the share of the row."))
            \(classTable(confusion))
            \(figure(RunReport.errorsFile, alt: "Misclassified test images", caption: "Test images the network gets wrong, with their true and predicted class."))
            <h2>First-layer weights</h2>
            \(figure(RunReport.weightsFile, alt: "First-layer weights of the hidden units as images",
                     caption: "The weights into each hidden unit, laid out like the input image: red positive, blue negative."))
            <h2>History</h2>
            \(historyTable(metrics))
            <h2>Configuration</h2>
            \(configurationTable(metrics.config))
            <footer>Written by <code>perceptron train</code>; the numbers come from <code>metrics.json</code> beside this page.</footer>
            """)
    }

    /// A whole page of the report's kind: `body` inside `<main>`, under `title`, with the style sheet.
    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(e(title))</title>
        <link rel="icon" href="data:,"/>
        <style>
        \(style)</style>
        </head>
        <body>
        <main>
        \(body)
        </main>
        </body>
        </html>

        """
    }

    /// The small style sheet, `Resources/report.css` (embedded in the binary when it is built): a
    /// centred column, cards in a wrapping grid, tables that scroll sideways.
    static let style = String(decoding: PackageResources.report_css, as: UTF8.self)

    // MARK: - Sections

    private static func headline(_ metrics: RunMetrics, confusion: ConfusionMatrix) -> String {
        let best = metrics.history.first { $0.epoch == metrics.bestEpoch }
        let cards: [(label: String, value: String, note: String?, small: Bool)] = [
            ("Test accuracy", Format.percent(metrics.testAccuracy), "\(Format.count(confusion.total)) held-out test images", false),
            ("Test accuracy, all 10k", Format.percent(metrics.test10kAccuracy), "including the validation half", false),
            ("Best epoch", String(metrics.bestEpoch), "of \(max(metrics.history.count - 1, 0)) trained", false),
            ("Best validation loss", Format.decimal(metrics.bestValidationLoss, 4),
             best.map { "validation accuracy \(Format.percent($0.valAccuracy))" }, false),
            ("Test loss", Format.decimal(metrics.testLoss, 4), nil, false),
            ("Training time", Format.seconds(metrics.trainSeconds), nil, false),
            ("Architecture", metrics.architecture, metrics.config.activation.rawValue, false),
            ("Parameters", Format.count(metrics.parameters), nil, false),
            ("Backend", metrics.backend, nil, true),
        ]
        let items = cards.map { card in
            "<div class=\"card\"><div class=\"label\">\(e(card.label))</div>"
                + "<div class=\"value\(card.small ? " small" : "")\">\(e(card.value))</div>"
                + (card.note.map { "<div class=\"note\">\(e($0))</div>" } ?? "") + "</div>"
        }
        return "<section class=\"cards\">\n" + items.joined(separator: "\n") + "\n</section>"
    }

    private static func figure(_ file: String, alt: String, caption: String) -> String {
        "<figure><img src=\"\(e(file))\" alt=\"\(e(alt))\"/><figcaption>\(e(caption))</figcaption></figure>"
    }

    private static func classTable(_ confusion: ConfusionMatrix) -> String {
        let metrics = ClassMetrics.all(confusion)
        var rows = metrics.map { m in
            row([String(m.label), Format.percent(m.precision, 1), Format.percent(m.recall, 1), Format.percent(m.f1, 1), Format.count(m.support)])
        }
        let average = ClassMetrics.macroAverage(metrics)
        rows.append(row(["mean", Format.percent(average.precision, 1), Format.percent(average.recall, 1),
                         Format.percent(average.f1, 1), Format.count(average.support)], class: "average"))
        let mistakes = confusion.mostConfused(5)
        let list = mistakes.isEmpty ? "none"
            : mistakes.map { "\($0.actual) → \($0.predicted) (\($0.count)×)" }.joined(separator: ", ")
        return table(header: ["class", "precision", "recall", "F1", "support"], rows: rows)
            + "\n<p class=\"mistakes\">Most frequent mistakes, true → predicted: \(e(list))</p>"
    }

    private static func historyTable(_ metrics: RunMetrics) -> String {
        let rows = metrics.history.map { r in
            row([String(r.epoch), Format.decimal(r.trainLoss, 4), Format.decimal(r.valLoss, 4), Format.percent(r.valAccuracy),
                 Format.decimal(r.trainSeconds, 2), Format.decimal(r.evalSeconds, 2)],
                class: r.epoch == metrics.bestEpoch ? "best" : nil)
        }
        return table(header: ["epoch", "train loss", "val loss", "val accuracy", "train s", "eval s"], rows: rows)
    }

    private static func configurationTable(_ config: RunMetrics.Configuration) -> String {
        table(header: ["option", "value"], rows: ConfigurationTable.rows(config).map { row([$0.name, $0.value]) }, class: "config")
    }

    // MARK: - Markup

    static func table(header: [String], rows: [String], class name: String? = nil) -> String {
        let head = "<tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>"
        return "<div class=\"table-wrap\"><table\(name.map { " class=\"\($0)\"" } ?? "")>\n<thead>\(head)</thead>\n<tbody>\n"
            + rows.joined(separator: "\n") + "\n</tbody></table></div>"
    }

    static func row(_ cells: [String], class name: String? = nil) -> String {
        "<tr\(name.map { " class=\"\($0)\"" } ?? "")>" + cells.map { "<td>\(e($0))</td>" }.joined() + "</tr>"
    }

    /// Escapes text for HTML (the XML escaping is right for HTML text and attributes too).
    static func e(_ text: String) -> String { SVG.escape(text) }
}

private extension String {
    /// `stopped_early` → `stopped early`.
    var replacingUnderscores: String { split(separator: "_", omittingEmptySubsequences: false).joined(separator: " ") }
}
