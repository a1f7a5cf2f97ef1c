import Foundation
import PerceptronData

/// What `predict --show` prints about how a picture became the network's input: one line per
/// step of `DigitPreprocessing.clean(_:)` and `steps(from:)`, the picture, its flattened form and
/// the ink kept side by side, then the 28×28 input. A picture already in MNIST's form shows the
/// input alone; a digit-sized one (at most 28×28, not cleaned) MNIST's steps and the input.
enum PreparationReport {
    /// The width of each of the three pictures, in characters.
    static let panelColumns = 36

    static func text(for preparation: DigitPreprocessing.Preparation) -> String {
        let input = TerminalImage.render(preparation.input, side: DigitPreprocessing.side)
        guard let normalisation = preparation.normalisation else {
            return "  already in MNIST's form (28×28, light on dark): used as it is\n" + input
        }
        guard let cleaning = preparation.cleaning else {
            let lines = ["at most 28×28: the digit alone, not cleaned"] + normalisationSteps(normalisation, from: 1)
            return (lines.map { "  " + $0 } + ["  what the network saw (28×28):", input]).joined(separator: "\n")
        }
        return (steps(cleaning, normalisation).map { "  " + $0 } + [pictures(cleaning), "  what the network saw (28×28):", input])
            .joined(separator: "\n")
    }

    /// One line per step.
    static func steps(_ cleaning: DigitPreprocessing.Cleaning, _ normalisation: DigitPreprocessing.Steps) -> [String] {
        let (w, h) = (cleaning.working.width, cleaning.working.height)
        var lines: [String] = []
        let size = "\(cleaning.width)×\(cleaning.height)"
        lines.append("1 reduce     " + (cleaning.reduction == 1 ? "\(size), used at that size"
            : "\(size) → \(w)×\(h), each pixel the mean of \(cleaning.reduction)×\(cleaning.reduction)"))
        lines.append("2 polarity   " + (cleaning.lightPaper ? "dark ink on light paper" : "light ink on a dark ground: inverted"))
        let light = cleaning.illumination
        let (darkest, brightest) = (light.levels.min() ?? 0, light.levels.max() ?? 0)
        let square = 2 * DigitPreprocessing.Illumination.closingRadius + 1
        lines.append("3 light      paper level \(fixed(darkest, 2)) to \(fixed(brightest, 2)) (a closing over \(square)×\(square) cells of \(light.cell) px), divided out")
        guard let otsu = cleaning.otsuThreshold else {
            lines.append("4 threshold  the strongest ink is \(fixed(cleaning.strongestInk, 2)), below \(DigitPreprocessing.minimumInk): no digit")
            return lines
        }
        lines.append("4 threshold  strongest ink \(fixed(cleaning.strongestInk, 2)); Otsu's threshold \(fixed(otsu, 2))"
            + (cleaning.threshold > otsu ? ", raised to \(fixed(cleaning.threshold, 2))" : ""))
        let kept = cleaning.components.filter { $0.fate == .kept }
        let dropped = cleaning.components.filter { $0.fate == .border }
        let specks = cleaning.components.filter { $0.fate == .speck }
        let faint = cleaning.components.filter { $0.fate == .faint }
        let keptEdge = kept.filter(\.touchesBorder).count
        lines.append("5 edges      \(count(cleaning.components.count, "piece")) of ink: \(count(kept.count, "kept", plural: "kept"))"
            + (keptEdge > 0 ? " (\(keptEdge) touching the edge only briefly, nothing else left)" : "")
            + (dropped.isEmpty ? "" : ", \(count(dropped.count, "touching the edge", plural: "touching the edge")) dropped (\(dropped.map(\.pixels).reduce(0, +)) px)")
            + (faint.isEmpty ? "" : ", \(count(faint.count, "faint one", plural: "faint ones")) dropped")
            + (specks.isEmpty ? "" : ", \(count(specks.count, "speck")) dropped"))
        guard cleaning.foundInk, normalisation.inkBox != nil else {
            lines.append("6 no ink is left: nothing to read")
            return lines
        }
        lines.append("6 grow       up to \(count(cleaning.growthSteps, "step")) into the fainter ink around")
        return lines + normalisationSteps(normalisation, from: 7)
    }

    /// MNIST's crop and normalisation, numbered from `first`; a line saying so when there is no ink.
    static func normalisationSteps(_ normalisation: DigitPreprocessing.Steps, from first: Int) -> [String] {
        guard let box = normalisation.inkBox else { return ["\(first) no ink: nothing to read"] }
        return ["\(first) crop       the ink's box \(box.width)×\(box.height) at (\(box.x), \(box.y))",
                "\(first + 1) normalise  scaled to \(normalisation.scaledWidth)×\(normalisation.scaledHeight), centre of mass ("
                    + "\(fixed(normalisation.centreOfMassX, 1)), \(fixed(normalisation.centreOfMassY, 1))) moved to (14, 14)"]
    }

    /// The picture at the working size, flattened, and the ink: kept full, dropped as the lightest shade.
    static func pictures(_ cleaning: DigitPreprocessing.Cleaning) -> String {
        let (w, h) = (cleaning.working.width, cleaning.working.height)
        let picture = cleaning.working.pixels.map { 1 - $0 }
        let flattened = cleaning.flattened.pixels.map { 1 - $0 }
        let ink = zip(cleaning.flattened.pixels, cleaning.cleaned.pixels).map { flat, kept in
            kept < 1 ? 1 - kept : 1 - flat >= cleaning.threshold ? 0.25 : 0
        }
        let columns = panelColumns
        return TerminalImage.sideBySide([
            ("picture", TerminalImage.panel(picture, width: w, height: h, columns: columns)),
            ("flattened", TerminalImage.panel(flattened, width: w, height: h, columns: columns)),
            ("ink kept (dropped: ░)", TerminalImage.panel(ink, width: w, height: h, columns: columns)),
        ])
    }

    /// "1 piece", "3 pieces".
    static func count(_ n: Int, _ singular: String, plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }
}
