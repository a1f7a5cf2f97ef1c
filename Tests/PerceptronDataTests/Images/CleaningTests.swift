import Foundation
import Testing
import PerceptronData

/// Pictures for the photo steps, drawn here: the synthetic "0" on paper of any light.
private enum Photo {
    /// The ink coverage of the "0" drawn `scale` times larger at (`x`, `y`) on `width × height`.
    static func zero(width: Int, height: Int, scale: Double, x: Double, y: Double) -> [Double] {
        SyntheticDigit.zero.render(width: width, height: height, scale: scale, originX: x, originY: y, samples: 2)
    }

    /// Paper whose brightness falls from `bright` at the right to `dark` at the left, with the ink
    /// `coverage` as dark as `ink` × the paper there, and ±`noise` of deterministic noise.
    static func lit(_ coverage: [Double], width: Int, height: Int, bright: Double = 0.9, dark: Double = 0.35,
                    ink: Double = 0.25, noise: Double = 0.02) -> GreyImage {
        let jitter = pseudoRandomBytes(coverage.count, seed: 7).map { (Double($0) / 255 - 0.5) * 2 * noise }
        let pixels = coverage.indices.map { index -> Double in
            let light = dark + (bright - dark) * Double(index % width) / Double(width - 1)
            return light * (1 - (1 - ink) * coverage[index]) + jitter[index]
        }
        return GreyImage(width: width, height: height, pixels: pixels)
    }

    /// `image` with a dark frame `border` pixels wide of intensity `level` around it.
    static func framed(_ image: GreyImage, border: Int, level: Double) -> GreyImage {
        var framed = image
        for y in 0..<image.height {
            for x in 0..<image.width where x < border || y < border || x >= image.width - border || y >= image.height - border {
                framed[x, y] = level
            }
        }
        return framed
    }
}

@Suite("Cleaning photos")
struct CleaningTests {
    /// The clean input for the "0" as the drawn-on-white picture gives it.
    private var cleanZero: [UInt8] {
        let coverage = Photo.zero(width: 240, height: 180, scale: 5, x: 50, y: 15)
        return DigitPreprocessing.mnistInput(from: GreyImage(width: 240, height: 180, pixels: coverage.map { 1 - $0 }))
    }

    @Test("Otsu's threshold lies between two groups of values, in the middle of an empty gap; one value has none")
    func otsu() throws {
        let values = [Double](repeating: 0.1, count: 90) + [Double](repeating: 0.8, count: 10)
        let threshold = try #require(DigitPreprocessing.otsuThreshold(values))
        #expect(threshold > 0.1 && threshold <= 0.8)
        #expect(abs(threshold - 0.45) < 0.01)
        #expect(DigitPreprocessing.otsuThreshold([Double](repeating: 0.3, count: 50)) == nil)
        // Unequal spreads: the threshold separates them, whatever the share of each.
        let paper: [Double] = (0..<1000).map { 0.05 + 0.04 * Double($0 % 10) / 10 }
        let ink: [Double] = (0..<30).map { 0.7 + 0.2 * Double($0) / 30 }
        let noisy = paper + ink
        let split = try #require(DigitPreprocessing.otsuThreshold(noisy))
        #expect(split > 0.09 && split <= 0.7)
    }

    @Test("reducing averages k × k blocks, the blocks at the edges cut short")
    func reduction() {
        // 5 × 3 reduced to at most 2 along the longer side: k = 3, 2 × 1.
        let image = GreyImage(width: 5, height: 3, pixels: (0..<15).map { Double($0) / 15 })
        let (reduced, factor) = DigitPreprocessing.reduced(image, toAtMost: 2)
        #expect(factor == 3 && reduced.width == 2 && reduced.height == 1)
        // Block 0: columns 0–2, rows 0–2: mean of 0, 1, 2, 5, 6, 7, 10, 11, 12 = 6; block 1, columns
        // 3–4 only: mean of 3, 4, 8, 9, 13, 14 = 8.5.
        #expect(abs(reduced.pixels[0] - 6.0 / 15) < 1e-12 && abs(reduced.pixels[1] - 8.5 / 15) < 1e-12)
        #expect(DigitPreprocessing.reduced(image, toAtMost: 5).factor == 1)
    }

    @Test("the paper level follows light that falls off to one side and fills in the ink")
    func illumination() {
        let (width, height) = (400, 300)
        let blank = Photo.lit([Double](repeating: 0, count: width * height), width: width, height: height, noise: 0)
        let inked = Photo.lit(Photo.zero(width: width, height: height, scale: 8, x: 90, y: 30), width: width, height: height, noise: 0)
        for image in [blank, inked] {
            let levels = DigitPreprocessing.Illumination(paper: image).pixelLevels(width: width, height: height)
            let errors = zip(levels, blank.pixels).map { $0 - $1 }
            // A closing never darkens; but a cell partly covered by ink keeps only the paper of its
            // other part, and interpolation carries that to the next cell: up to about two cells of
            // the ramp (14 pixels, 0.02 of light here) darker.
            #expect(errors.min() ?? -1 > -0.02, "the level is up to \(-(errors.min() ?? -1)) darker")
            // Inside, the ramp is kept; within the closing's reach of the dark edge it reads brighter,
            // by at most the light's change over that reach (the radius of 6 cells and one more of
            // 7 pixels: 49 pixels, 0.068 here).
            let inside = errors.indices.filter { (60..<340).contains($0 % width) }.map { errors[$0] }
            #expect(inside.max() ?? 1 < 0.02)
            #expect(errors.max() ?? 1 < 0.07)
        }
    }

    @Test("polarity: ink is the rare tail, whatever the paper's own level or a dark frame")
    func polarity() {
        let coverage = Photo.zero(width: 120, height: 100, scale: 3, x: 20, y: 10)
        let dimPaper = GreyImage(width: 120, height: 100, pixels: coverage.map { 0.4 - 0.3 * $0 })
        let chalk = GreyImage(width: 120, height: 100, pixels: coverage.map { 0.15 + 0.7 * $0 })
        let framedCard = Photo.framed(GreyImage(width: 120, height: 100, pixels: coverage.map { 1 - $0 }), border: 10, level: 0.1)
        #expect(DigitPreprocessing.clean(dimPaper).lightPaper)
        #expect(!DigitPreprocessing.clean(chalk).lightPaper)
        #expect(DigitPreprocessing.clean(framedCard).lightPaper)
    }

    @Test("a photo with light falling off to one side reads as the clean drawing does")
    func unevenLight() {
        let (width, height) = (480, 360)
        let photo = Photo.lit(Photo.zero(width: width, height: height, scale: 10, x: 40, y: 30), width: width, height: height)
        let prepared = DigitPreprocessing.prepare(photo)
        #expect(prepared.foundInk)
        #expect(correlation(prepared.input, cleanZero) > 0.95)
        // Without the flattening, the dark side would be taken for ink: MNIST's steps alone do not read it.
        #expect(correlation(DigitPreprocessing.mnistInput(from: photo), cleanZero) < 0.8)
    }

    @Test("a dark frame around a scan touches the edge and is dropped; the digit inside is read")
    func darkFrame() throws {
        let card = GreyImage(width: 240, height: 180, pixels: Photo.zero(width: 240, height: 180, scale: 5, x: 50, y: 15).map { 1 - $0 })
        let scan = Photo.framed(card, border: 10, level: 0.15)
        let cleaning = DigitPreprocessing.clean(scan)
        let frame = try #require(cleaning.components.first { $0.fate == .border })
        #expect(frame.box == DigitPreprocessing.PixelBox(x: 0, y: 0, width: 240, height: 180))
        #expect(cleaning.components.filter { $0.fate == .kept }.count == 1)
        #expect(correlation(DigitPreprocessing.networkInput(from: scan), cleanZero) > 0.98)
        // MNIST's steps alone take the frame for the background and the page for ink.
        #expect(correlation(DigitPreprocessing.mnistInput(from: scan), cleanZero) < 0.5)
    }

    @Test("blank paper, a lit page, and a page edge alone hold no ink", arguments: [0, 1, 2])
    func noInk(case number: Int) {
        let (width, height) = (300, 200)
        let empty = [Double](repeating: 0, count: width * height)
        let pictures = [
            GreyImage(width: width, height: height, filledWith: 0.8),
            Photo.lit(empty, width: width, height: height),
            // The desk shows along the left edge: a dark band touching the border.
            GreyImage(width: width, height: height, pixels: empty.indices.map { $0 % width < 25 ? 0.2 : 0.85 }),
        ]
        let prepared = DigitPreprocessing.prepare(pictures[number])
        #expect(!prepared.foundInk)
        #expect(prepared.input == [UInt8](repeating: 0, count: 784))
        #expect(prepared.cleaning?.foundInk == false)
    }

    @Test("light falling off steeply into the corners leaves faint residue near the edges, dropped as faint, not ink")
    func steepCorners() throws {
        let (width, height) = (400, 300)
        var paper = GreyImage(width: width, height: height, filledWith: 0)
        for y in 0..<height {
            for x in 0..<width {
                let (u, v) = (Double(x) / Double(width - 1) - 0.5, Double(y) / Double(height - 1) - 0.5)
                paper[x, y] = 0.9 - 1.4 * (u * u + v * v) * (1 + 0.5 * sin(Double(x) / 9) * sin(Double(y) / 7))
            }
        }
        let cleaning = DigitPreprocessing.clean(paper)
        #expect(!cleaning.foundInk)
        #expect(cleaning.components.allSatisfy { $0.fate != .kept })
        #expect(cleaning.components.contains { $0.fate == .faint }, "\(cleaning.components.map(\.fate))")
    }

    @Test("a digit drawn up to the edge is kept when nothing else is left; a speck beside a digit is dropped")
    func edgeAndSpecks() throws {
        // A bar from the top edge to the bottom edge, as a "1" drawn across the whole pad.
        var pad = GreyImage(width: 280, height: 280, filledWith: 1)
        for y in 0..<280 { for x in 130..<151 { pad[x, y] = 0 } }
        let one = DigitPreprocessing.clean(pad)
        #expect(one.foundInk)
        #expect(one.components.count == 1 && one.components[0].fate == .kept && one.components[0].touchesBorder)

        var dusty = GreyImage(width: 240, height: 180, pixels: Photo.zero(width: 240, height: 180, scale: 5, x: 50, y: 15).map { 1 - $0 })
        dusty[200, 20] = 0
        dusty[201, 20] = 0
        let cleaning = DigitPreprocessing.clean(dusty)
        #expect(cleaning.components.map(\.fate).sorted { $0.rawValue < $1.rawValue } == [.kept, .speck])
        #expect(DigitPreprocessing.networkInput(from: dusty) == cleanZero)
    }

    @Test("blue, red and green ink read as black ink does (as luma through an RGB PNG)")
    func colourInk() throws {
        let coverage = Photo.zero(width: 240, height: 180, scale: 5, x: 50, y: 15)
        for colour in [[20, 40, 160], [200, 30, 30], [30, 140, 40]] as [[Double]] {
            let rgb = coverage.flatMap { c in colour.map { UInt8((250 * (1 - c) + $0 * c).rounded()) } }
            let image = try PNGDecoder.decode(PNGEncoder.encode(rgb8: rgb, width: 240, height: 180), path: "ink.png")
            #expect(correlation(DigitPreprocessing.networkInput(from: image), cleanZero) > 0.97, "ink \(colour)")
        }
    }

    @Test("a clean drawing is read as MNIST's steps alone read it")
    func cleanDrawingUnchanged() {
        let drawing = GreyImage(width: 240, height: 180, pixels: Photo.zero(width: 240, height: 180, scale: 5, x: 50, y: 15).map { 1 - $0 })
        #expect(DigitPreprocessing.networkInput(from: drawing) == cleanZero)
        let prepared = DigitPreprocessing.prepare(drawing)
        #expect(prepared.cleaning?.reduction == 1)
        #expect(prepared.normalisation?.inkBox == DigitPreprocessing.steps(from: drawing).inkBox)
    }

    @Test("a 12-megapixel picture is worked on at 1024 pixels at most, and an MNIST digit is used as it is")
    func sizes() {
        let large = GreyImage(width: 4000, height: 3000, filledWith: 0.9)
        let cleaning = DigitPreprocessing.clean(large)
        #expect(cleaning.reduction == 4 && cleaning.working.width == 1000 && cleaning.working.height == 750)
        let digit = GreyImage(width: 28, height: 28, bytes: SyntheticDigit.zero.mnistBytes)
        let prepared = DigitPreprocessing.prepare(digit)
        #expect(prepared.cleaning == nil && prepared.input == SyntheticDigit.zero.mnistBytes)
    }

    @Test("a picture of at most 28×28 is the digit alone: normalised as MNIST's steps alone, not cleaned, even where its ink touches every edge")
    func digitSized() {
        // An 8 × 8 "7" in scikit-learn's manner, light on black, cropped to the digit: its bar runs
        // along the top row and its stroke down to the bottom row.
        let seven: [UInt8] = [
            255, 255, 255, 255, 255, 255, 255, 255,
              0,   0,   0,   0,   0,   0, 240,  60,
              0,   0,   0,   0,   0, 230,  90,   0,
              0,   0,   0,   0, 220, 120,   0,   0,
              0,   0,   0, 200, 160,   0,   0,   0,
              0,   0,  60, 230,   0,   0,   0,   0,
              0,   0, 200, 120,   0,   0,   0,   0,
              0,   0, 255,   0,   0,   0,   0,   0,
        ]
        let digit = GreyImage(width: 8, height: 8, bytes: seven)
        #expect(!DigitPreprocessing.clean(digit).foundInk, "cleaning would drop the digit as touching the edge")
        let prepared = DigitPreprocessing.prepare(digit)
        #expect(prepared.cleaning == nil && prepared.foundInk)
        #expect(prepared.input == DigitPreprocessing.mnistInput(from: digit))
        let larger = GreyImage(width: 29, height: 28, filledWith: 1)
        #expect(DigitPreprocessing.isDigitSized(GreyImage(width: 28, height: 20, filledWith: 1)))
        #expect(!DigitPreprocessing.isDigitSized(larger) && DigitPreprocessing.prepare(larger).cleaning != nil)
    }

    @Test("degenerate pictures do not crash: 1×1, lines, no pixels, a wrong pixel count, NaN")
    func degenerate() {
        var broken = GreyImage(width: 10, height: 10, filledWith: 1)
        broken.pixels.removeLast()
        var strange = GreyImage(width: 30, height: 30, filledWith: 1)
        strange[3, 3] = .nan
        strange[4, 4] = -.infinity
        strange[5, 5] = .infinity
        for image in [GreyImage(width: 1, height: 1, pixels: [0]), GreyImage(width: 1, height: 500, filledWith: 0),
                      GreyImage(width: 500, height: 1, filledWith: 1), GreyImage(width: 0, height: 0, pixels: []), broken, strange] {
            #expect(DigitPreprocessing.networkInput(from: image).count == 784)
        }
    }
}

@Suite("Unsure readings")
struct ReadingConfidenceTests {
    @Test("unsure below 0.6, or with no ink, whatever the probabilities")
    func unsure() {
        var probabilities = [Float](repeating: 0.04, count: 10)
        probabilities[3] = 0.64
        #expect(!ReadingConfidence.isUnsure(probabilities: probabilities, foundInk: true))
        #expect(ReadingConfidence.isUnsure(probabilities: probabilities, foundInk: false))
        probabilities[3] = 0.59
        #expect(ReadingConfidence.isUnsure(probabilities: probabilities, foundInk: true))
    }
}
