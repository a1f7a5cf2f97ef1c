import Perceptron
import PerceptronReport
import PerceptronRun
import Testing

@Suite("Report page")
struct ReportPageTests {
    static let metrics = plausibleMetrics(history: plausibleHistory(epochs: 4))
    static let confusion = ConfusionMatrix(classes: 10, labels: (0..<50).map { UInt8($0 % 10) },
                                           predictions: (0..<50).map { UInt8($0 % 10 == 3 ? 5 : $0 % 10) })

    static func page() throws -> XMLNode {
        try #require(parseXML(ReportPage.html(metrics: metrics, confusion: confusion)), "index.html is not well-formed")
    }

    @Test("the page shows the four figures as images of the files beside it")
    func figures() throws {
        let sources = try Self.page().elements(named: "img").map { $0.attributes["src"] }
        #expect(sources == ["curves.svg", "confusion.svg", "errors.svg", "weights.svg"])
        #expect(try Self.page().elements(named: "img").allSatisfy { !($0.attributes["alt"] ?? "").isEmpty })
    }

    @Test("the headline cards give the test accuracies, best epoch and loss, time, backend, architecture, parameters")
    func headline() throws {
        let cards = try Self.page().elements(classed: "card").map { card in
            (card.children[0].text, card.children[1].text)
        }
        let values = Dictionary(uniqueKeysWithValues: cards)
        #expect(values["Test accuracy"] == "96.34%")
        #expect(values["Test accuracy, all 10k"] == "96.41%")
        #expect(values["Best epoch"] == "4")
        #expect(values["Best validation loss"] == "0.1550")
        #expect(values["Training time"] == "12.8 s")
        #expect(values["Backend"] == "oneDNN (test)")
        #expect(values["Architecture"] == "784-16-10")
        #expect(values["Parameters"] == "12,730")
    }

    @Test("the history table has one row per epoch, epoch 0 first, the best one marked")
    func history() throws {
        let tables = try Self.page().elements(named: "table")
        let history = try #require(tables.first { $0.elements(named: "th").first?.text == "epoch" })
        let rows = history.elements(named: "tbody")[0].children
        #expect(rows.count == 5)
        #expect(rows.map { $0.children[0].text } == ["0", "1", "2", "3", "4"])
        #expect(rows.filter { $0.attributes["class"] == "best" }.map { $0.children[0].text } == ["4"])
        #expect(rows[0].children.map(\.text) == ["0", "2.3100", "2.3000", "9.80%", "0.00", "0.21"])
    }

    @Test("the configuration table lists every option under its metrics.json name, values escaped")
    func configuration() throws {
        let html = ReportPage.html(metrics: Self.metrics, confusion: Self.confusion)
        #expect(html.contains("runs/&lt;test &amp; &quot;report&quot;&gt;"))
        let table = try #require(try Self.page().elements(named: "table").first { $0.attributes["class"] == "config" })
        let rows = table.elements(named: "tbody")[0].children.map { ($0.children[0].text, $0.children[1].text) }
        #expect(Set(rows.map(\.0)) == RunConfiguration.keys)
        #expect(rows.count == RunConfiguration.keys.count)
        #expect(rows.prefix(6).map(\.0) == ["dataset", "data", "hidden", "activation", "init", "optimizer"])
        let values = Dictionary(uniqueKeysWithValues: rows)
        #expect(values["hidden"] == "16")
        #expect(values["lr"] == "0.05")
        #expect(values["patience"] == "default")
        #expect(values["init"] == "default")
        #expect(values["threads"] == "2")
        #expect(values["nesterov"] == "false")
        #expect(values["out"] == #"runs/<test & "report">"#)
    }

    @Test("the per-class table has a row per class and the mean, and the worst mistake is named")
    func perClass() throws {
        let page = try Self.page()
        let table = try #require(page.elements(named: "table").first { $0.elements(named: "th").first?.text == "class" })
        let rows = table.elements(named: "tbody")[0].children
        #expect(rows.count == 11)
        #expect(rows[3].children.map(\.text) == ["3", "0.0%", "0.0%", "0.0%", "5"])
        #expect(rows[10].children[0].text == "mean")
        #expect(page.elements(classed: "mistakes").first?.text.contains("3 → 5 (5×)") == true)
    }

    @Test("the page is self-contained and made for small screens too")
    func offline() {
        let html = ReportPage.html(metrics: Self.metrics, confusion: Self.confusion)
        #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script"))
        #expect(html.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1"/>"#))
        #expect(html.contains("@media (max-width: 600px)"))
    }

    @Test("a diverged run with NaN numbers and missing test results still renders")
    func diverged() throws {
        var metrics = Self.metrics
        metrics.history[3].valLoss = .nan
        metrics.testAccuracy = nil
        metrics.test10kAccuracy = nil
        metrics.bestValidationLoss = .nan
        metrics.outcome = "diverged"
        let page = try #require(parseXML(ReportPage.html(metrics: metrics, confusion: Self.confusion)))
        let values = Dictionary(uniqueKeysWithValues: page.elements(classed: "card").map { ($0.children[0].text, $0.children[1].text) })
        #expect(values["Test accuracy"] == "—")
        #expect(values["Best validation loss"] == "NaN")
        #expect(page.elements(classed: "outcome-diverged").first?.text == "diverged")
    }
}
