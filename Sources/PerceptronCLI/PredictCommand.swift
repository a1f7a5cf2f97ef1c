import ArgumentParser
import Foundation
import Perceptron
import PerceptronRun
import PerceptronData

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Read the digit (or class) in each image file (PNG, JPEG, BMP, PGM or IDX), or in each line of a CSV file, with a saved model.",
        discussion: """
            Each picture is first cleaned — the light evened out, the ink found with Otsu's threshold, ink \
            touching the edge (page edges, shadows, frames) dropped — and then made to look like an MNIST \
            digit (cropped to the ink, scaled into a 20-pixel box, centred by its centre of mass in 28×28); \
            a 28×28 picture with a dark background is taken as already in MNIST's form, and any other \
            picture of at most 28×28 as the digit alone (not cleaned, only cropped, scaled and centred). A JPEG is turned \
            upright by its EXIF orientation and decoded at reduced scale when large. A reading is marked \
            unsure when its top probability is below 60 % or no ink was found. --show prints each step \
            and draws what the network saw. A file that cannot be read is named and the others still \
            read; the command then fails. --csv reads a test file in Kaggle's layout (pixel0,…, one image \
            per line, or label,pixel0,… with the label ignored) and writes the answers as Kaggle's \
            submission, ImageId,Label with ImageId from 1.
            """)

    @Option(help: "The model file (model.safetensors of a training run).")
    var model: String

    @Argument(help: "PNG (grey, RGB, palette, with or without alpha, 8 or 16 bits, interlaced or not), JPEG, BMP, PGM (P2, P5) or IDX image files.")
    var files: [String] = []

    @Option(help: "A CSV file of images in Kaggle's layout, one per line, to answer as a submission (see --out).")
    var csv: String?

    @Option(help: "With --csv: the submission file to write, ImageId,Label (default: print it).")
    var out: String?

    @Flag(help: "Print one JSON object per image.")
    var json = false

    @Flag(help: "Print each preprocessing step and draw the 28×28 input the network saw.")
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
            do {
                images = try ImageFile.readAll(url: URL(fileURLWithPath: file), scaledDownTo: DigitPreprocessing.workingSide)
            } catch {
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
                let preparation = DigitPreprocessing.prepare(image)
                let probabilities = saved.probabilities(of: preparation.input)
                let ranked = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] }
                let unsure = ReadingConfidence.isUnsure(probabilities: probabilities, foundInk: preparation.foundInk)
                if json {
                    let object: [String: Any] = ["file": file, "index": index, "digit": ranked[0], "class": saved.classes[ranked[0]],
                                                 "probabilities": probabilities.map(Double.init),
                                                 "unsure": unsure, "blank": !preparation.foundInk]
                    print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
                } else {
                    let top = ranked.prefix(3).map { "\(saved.classes[$0]) \(percent(Double(probabilities[$0])))" }.joined(separator: ", ")
                    let doubt = !preparation.foundInk ? "   unsure: no ink found"
                        : unsure ? "   unsure: below \(percent(ReadingConfidence.sureProbability))" : ""
                    print("\(name): \(saved.classes[ranked[0]])   (\(top))\(doubt)")
                }
                if show { print(PreparationReport.text(for: preparation)) }
            }
        }
        saved.noteMissingChecksums()
        if !unreadable.isEmpty {
            throw RunError("\(unreadable.count) of \(files.count) files could not be read: \(unreadable.joined(separator: ", "))")
        }
    }
}
