import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Read the digit (or class) in each image file (PNG, PGM or IDX), or in each line of a CSV file, with a saved model.",
        discussion: """
            Each picture is first made to look like an MNIST digit (greyscale, ink light on dark, cropped, \
            scaled into a 20-pixel box, centred by its centre of mass in 28×28); a 28×28 picture with a \
            dark background is taken as already in MNIST's form. --show draws what the network saw. \
            --csv reads a test file in Kaggle's layout (pixel0,…, one image per line, or label,pixel0,… with the \
            label ignored) and writes the answers as Kaggle's submission, ImageId,Label with ImageId from 1.
            """)

    @Option(help: "The model file (model.safetensors of a training run).")
    var model: String

    @Argument(help: "PNG (grey, RGB, palette, with or without alpha, 8 or 16 bits), PGM (P2, P5) or IDX image files.")
    var files: [String] = []

    @Option(help: "A CSV file of images in Kaggle's layout, one per line, to answer as a submission (see --out).")
    var csv: String?

    @Option(help: "With --csv: the submission file to write, ImageId,Label (default: print it).")
    var out: String?

    @Flag(help: "Print one JSON object per image.")
    var json = false

    @Flag(help: "Draw the 28×28 input the network saw.")
    var show = false

    func validate() throws {
        guard !files.isEmpty || csv != nil else { throw ValidationError("name at least one image file, or a CSV file with --csv") }
        guard out == nil || csv != nil else { throw ValidationError("--out writes the submission of --csv; give --csv FILE too") }
    }

    func run() throws {
        OneDNN.threadCount = 1
        let saved = try SavedModel(path: model)
        if let csv { try CSVPrediction(model: saved, csv: csv, out: out).run() }
        guard files.isEmpty || saved.inputs == DigitPreprocessing.side * DigitPreprocessing.side else {
            throw RunError("\(saved.url.path) takes \(saved.inputs) inputs, not 28×28 = 784 pixels")
        }
        // A file that cannot be read is reported and the others still read; one file alone fails as it is.
        var unreadable: [String] = []
        for file in files {
            let images: [GreyImage]
            do { images = try ImageFile.readAll(url: URL(fileURLWithPath: file)) } catch {
                guard files.count > 1 else { throw error }
                unreadable.append(file)
                if json {
                    let record = ["file": file, "error": "\(error)"]
                    print(String(decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    FileHandle.standardError.write(Data("\(error)\n".utf8))
                }
                continue
            }
            for (index, image) in images.enumerated() {
                let name = images.count == 1 ? file : "\(file)[\(index)]"
                let input = DigitPreprocessing.networkInput(from: image)
                let probabilities = saved.probabilities(of: input)
                let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
                if json {
                    let object: [String: Any] = ["file": file, "index": index, "digit": ranked[0], "class": saved.classes[ranked[0]],
                                                 "probabilities": probabilities.map(Double.init)]
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    let top = ranked.prefix(3).map { "\(saved.classes[$0]) \(percent(Double(probabilities[$0])))" }.joined(separator: ", ")
                    print("\(name): \(saved.classes[ranked[0]])   (\(top))")
                }
                if show { print(TerminalImage.render(input, side: DigitPreprocessing.side)) }
            }
        }
        saved.noteMissingChecksums()
        if !unreadable.isEmpty {
            throw RunError("\(unreadable.count) of \(files.count) files could not be read: \(unreadable.joined(separator: ", "))")
        }
    }
}

/// A 28×28 input drawn with shade characters, two per pixel so it keeps its shape.
enum TerminalImage {
    static func render(_ pixels: [UInt8], side: Int) -> String {
        let shades: [Character] = [" ", "░", "▒", "▓", "█"]
        let border = "+" + String(repeating: "-", count: 2 * side) + "+"
        var lines = [border]
        for row in 0..<side {
            let cells = (0..<side).map { column -> String in
                let shade = shades[min(Int(pixels[row * side + column]) * shades.count / 256, shades.count - 1)]
                return String(repeating: shade, count: 2)
            }
            lines.append("|" + cells.joined() + "|")
        }
        lines.append(border)
        return lines.joined(separator: "\n")
    }
}
