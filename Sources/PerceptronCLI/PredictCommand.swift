import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Read the digit in each image file (PNG, PGM or IDX) with a saved model.",
        discussion: """
            Each picture is first made to look like an MNIST digit (greyscale, ink light on dark, cropped, \
            scaled into a 20-pixel box, centred by its centre of mass in 28×28); a 28×28 picture with a \
            dark background is taken as already in MNIST's form. --show draws what the network saw.
            """)

    @Option(help: "The model file (model.safetensors of a training run).")
    var model: String

    @Argument(help: "PNG (grey, RGB, palette, with or without alpha, 8 or 16 bits), PGM (P2, P5) or IDX image files.")
    var files: [String]

    @Flag(help: "Print one JSON object per image.")
    var json = false

    @Flag(help: "Draw the 28×28 input the network saw.")
    var show = false

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one image file") }
    }

    func run() throws {
        OneDNN.threadCount = 1
        let saved = try SavedModel(path: model)
        guard saved.network.sizes[0] == DigitPreprocessing.side * DigitPreprocessing.side else {
            throw RunError("\(saved.url.path) takes \(saved.network.sizes[0]) inputs, not 28×28 = 784 pixels")
        }
        for file in files {
            let images = try ImageFile.readAll(url: URL(fileURLWithPath: file))
            for (index, image) in images.enumerated() {
                let name = images.count == 1 ? file : "\(file)[\(index)]"
                let input = DigitPreprocessing.networkInput(from: image)
                let probabilities = saved.probabilities(of: input)
                let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
                if json {
                    let object: [String: Any] = ["file": file, "index": index, "digit": ranked[0],
                                                 "probabilities": probabilities.map(Double.init)]
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    let top = ranked.prefix(3).map { "\($0) \(percent(Double(probabilities[$0])))" }.joined(separator: ", ")
                    print("\(name): \(ranked[0])   (\(top))")
                }
                if show { print(TerminalImage.render(input, side: DigitPreprocessing.side)) }
            }
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
