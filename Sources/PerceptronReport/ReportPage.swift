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
        return """
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
            </main>
            </body>
            </html>

            """
    }

    /// The small style sheet: a centred column, cards in a wrapping grid, tables that scroll sideways.
    static let style = """
        :root { color-scheme: light; --ink: #1f2937; --muted: #6b7280; --line: #e5e7eb; --panel: #ffffff; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #f6f7f9; color: var(--ink);
               font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1100px; margin: 0 auto; padding: 24px 16px 48px; }
        h1 { font-size: 1.6rem; margin: 0 0 2px; }
        h2 { font-size: 1.15rem; margin: 32px 0 12px; }
        .subtitle { color: var(--muted); margin: 0 0 20px; overflow-wrap: anywhere; }
        .outcome-completed { color: #15803d; }
        .outcome-diverged { color: #b91c1c; font-weight: 600; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; }
        .card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; min-width: 0; }
        .card .label { color: var(--muted); font-size: .8rem; }
        .card .value { font-size: 1.3rem; font-weight: 600; overflow-wrap: anywhere; }
        .card .value.small { font-size: .95rem; font-weight: 500; }
        .card .note { color: var(--muted); font-size: .75rem; }
        figure { margin: 0 0 16px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
        figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
        figcaption { color: var(--muted); font-size: .85rem; margin-top: 8px; }
        .table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; margin-bottom: 16px; }
        table { border-collapse: collapse; width: 100%; font-size: .9rem; font-variant-numeric: tabular-nums; }
        th, td { padding: 6px 12px; text-align: right; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        thead th { background: #f3f4f6; font-weight: 600; }
        tbody tr:last-child td { border-bottom: none; }
        tr.best td { background: #fef3c7; font-weight: 600; }
        tr.average td { border-top: 2px solid var(--line); font-weight: 600; }
        table.config td:last-child, table.config th:last-child { text-align: left; white-space: normal; overflow-wrap: anywhere; }
        .mistakes { color: var(--muted); font-size: .9rem; margin: 0 0 16px; }
        footer { margin-top: 32px; color: var(--muted); font-size: .8rem; }
        @media (max-width: 600px) {
          body { font-size: 14px; }
          main { padding: 16px 10px 32px; }
          h1 { font-size: 1.3rem; }
          figure { padding: 6px; }
          .cards { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 8px; }
          th, td { padding: 5px 8px; }
        }

        """

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
