import Foundation
import Testing
import PerceptronData

@Suite("Digit preprocessing")
struct DigitPreprocessingTests {
    /// A white `width × height` canvas with the black rectangle `box` on it.
    private func blackBox(width: Int, height: Int, x: Int, y: Int, boxWidth: Int, boxHeight: Int) -> GreyImage {
        var image = GreyImage(width: width, height: height, filledWith: 1)
        for row in y ..< y + boxHeight {
            for column in x ..< x + boxWidth {
                image[column, row] = 0
            }
        }
        return image
    }

    /// The synthetic "0" drawn black on white, 3× larger, off-centre on a 200 × 150 canvas.
    private var bigZeroOnWhite: GreyImage {
        let coverage = SyntheticDigit.zero.render(width: 200, height: 150, scale: 3, originX: 100, originY: 10)
        return GreyImage(width: 200, height: 150, pixels: coverage.map { 1 - $0 })
    }

    @Test("an MNIST-like digit, already boxed to 20 pixels and centred, comes out nearly unchanged")
    func mnistLikeDigitUnchanged() {
        let digit = SyntheticDigit.zero.mnistBytes
        let steps = DigitPreprocessing.steps(from: GreyImage(width: 28, height: 28, bytes: digit))
        #expect(steps.inkBox?.height == 20)
        #expect(!steps.lightBackground)
        // Not moved: the box's corner lands where it was.
        #expect(steps.offsetX == steps.inkBox?.x && steps.offsetY == steps.inkBox?.y)
        #expect(correlation(steps.output, digit) > 0.99)
    }

    @Test("the same digit drawn black on white, 3× larger and off-centre on 200×150, gives nearly the same input")
    func largeOffCentreDigit() throws {
        let small = DigitPreprocessing.mnistInput(from: GreyImage(width: 28, height: 28, bytes: SyntheticDigit.zero.mnistBytes))
        // Through a PNG file, as a user's drawing would arrive.
        let file = PNGEncoder.encode(bigZeroOnWhite)
        let large = try DigitPreprocessing.steps(from: ImageFile.decode(file, path: "zero.png"))
        #expect(large.lightBackground)
        #expect(large.inkBox?.height == 60)
        #expect(correlation(large.output, small) > 0.95)
    }

    @Test("the centre of mass lands within half a pixel of (14, 14), in pixel indices", arguments: [0, 1, 2])
    func centreOfMassAt14(case number: Int) {
        let image = [
            bigZeroOnWhite,
            blackBox(width: 90, height: 70, x: 3, y: 40, boxWidth: 17, boxHeight: 29),  // off-centre, odd sizes
            GreyImage(width: 28, height: 28, bytes: SyntheticDigit.zero.mnistBytes),
        ][number]
        let steps = DigitPreprocessing.steps(from: image)
        // Exactly: the shift is the rounded distance, so at most half a pixel remains.
        #expect(abs(steps.centreOfMassX + Double(steps.offsetX) - 14) <= 0.5)
        #expect(abs(steps.centreOfMassY + Double(steps.offsetY) - 14) <= 0.5)
        // In the bytes, quantisation moves it by far less than a further 0.05.
        let (x, y) = centreOfMass(steps.output)
        #expect(abs(x - 14) <= 0.55 && abs(y - 14) <= 0.55, "centre of mass (\(x), \(y))")
    }

    @Test("a 40×20 box shrinks to 20×10 and its centre of mass (9.5, 4.5) moves to (14, 14), halves rounded up")
    func shrinkKnownAnswer() {
        let steps = DigitPreprocessing.steps(from: blackBox(width: 60, height: 60, x: 11, y: 30, boxWidth: 40, boxHeight: 20))
        #expect(steps.inkBox == DigitPreprocessing.PixelBox(x: 11, y: 30, width: 40, height: 20))
        #expect(steps.scaledWidth == 20 && steps.scaledHeight == 10)
        #expect(steps.scaledInk.allSatisfy { $0 == 1 })
        #expect(steps.offsetX == 5 && steps.offsetY == 10)
        var expected = [UInt8](repeating: 0, count: 784)
        for row in 10..<20 {
            for column in 5..<25 {
                expected[row * 28 + column] = 255
            }
        }
        #expect(steps.output == expected)
    }

    @Test("shrinking averages areas: a 3-pixel-wide bar halved is one full column and one half column")
    func areaAveraging() {
        let steps = DigitPreprocessing.steps(from: blackBox(width: 50, height: 50, x: 20, y: 5, boxWidth: 3, boxHeight: 40))
        #expect(steps.scaledWidth == 2 && steps.scaledHeight == 20)
        #expect(steps.scaledInk == Array([1, 0.5].repeated(20)))
        // Centre of mass x = 0.5 / 1.5 → offset round(13.67) = 14; y = 9.5 → offset round(4.5) = 5.
        #expect(steps.offsetX == 14 && steps.offsetY == 5)
        #expect(steps.output[5 * 28 + 14] == 255 && steps.output[5 * 28 + 15] == 128)
        #expect(steps.output[24 * 28 + 14] == 255 && steps.output[25 * 28 + 14] == 0)
    }

    @Test("enlarging interpolates bilinearly between pixel centres, clamped at the edges")
    func bilinearEnlarging() {
        // Two pixels on white: black above, mid-grey below → ink 1 above 0.5; box 1×2 → 10×20.
        var image = GreyImage(width: 9, height: 9, filledWith: 1)
        image[4, 3] = 0
        image[4, 4] = 0.5
        let steps = DigitPreprocessing.steps(from: image)
        #expect(steps.scaledWidth == 10 && steps.scaledHeight == 20)
        #expect(steps.scaledInk[0] == 1)              // row 0 samples y = −0.45, clamped to the top pixel
        #expect(steps.scaledInk[19 * 10 + 9] == 0.5)  // row 19 samples y = 1.45, clamped to the bottom pixel
        #expect(abs(steps.scaledInk[9 * 10] - 0.775) < 1e-12)  // row 9 samples y = 0.45
    }

    @Test("light ink on black, dark ink on white and a low-contrast photo on grey paper give the same input")
    func polarityAndContrast() {
        let coverage = SyntheticDigit.zero.render(width: 120, height: 100, scale: 2.5, originX: 20, originY: 5)
        let lightOnDark = DigitPreprocessing.steps(from: GreyImage(width: 120, height: 100, pixels: coverage))
        let darkOnLight = DigitPreprocessing.steps(from: GreyImage(width: 120, height: 100, pixels: coverage.map { 1 - $0 }))
        // Grey paper (0.75) with pencil (0.35) and ±0.03 of noise.
        let noise = pseudoRandomBytes(coverage.count, seed: 11).map { (Double($0) / 255 - 0.5) * 0.06 }
        let photo = DigitPreprocessing.steps(from: GreyImage(width: 120, height: 100, pixels: zip(coverage, noise).map { 0.75 - 0.4 * $0 + $1 }))
        #expect(!lightOnDark.lightBackground && darkOnLight.lightBackground && photo.lightBackground)
        #expect(lightOnDark.output == darkOnLight.output)
        #expect(photo.inkBox == darkOnLight.inkBox)
        #expect(correlation(photo.output, darkOnLight.output) > 0.98)
    }

    @Test("a digit touching the edge does not flip the polarity (the border's median decides)")
    func digitTouchingEdge() {
        let steps = DigitPreprocessing.steps(from: blackBox(width: 30, height: 30, x: 0, y: 0, boxWidth: 4, boxHeight: 30))
        #expect(steps.lightBackground)
        #expect(steps.inkBox == DigitPreprocessing.PixelBox(x: 0, y: 0, width: 4, height: 30))
    }

    @Test("pictures without a digit give all zeros", arguments: [0.0, 0.5, 1.0])
    func blankPictures(level: Double) {
        let steps = DigitPreprocessing.steps(from: GreyImage(width: 40, height: 30, filledWith: level))
        #expect(steps.inkBox == nil)
        #expect(steps.output == [UInt8](repeating: 0, count: 784))
        // Faint marks below the minimum contrast are not a digit either.
        var faint = GreyImage(width: 40, height: 30, filledWith: 1)
        faint[20, 15] = 0.95
        #expect(DigitPreprocessing.mnistInput(from: faint) == [UInt8](repeating: 0, count: 784))
    }

    @Test("degenerate images do not crash: 1×1, 1×500 and 500×1 lines, no pixels, wrong pixel count, NaN")
    func degenerateImages() {
        let zeros = [UInt8](repeating: 0, count: 784)
        #expect(DigitPreprocessing.mnistInput(from: GreyImage(width: 1, height: 1, pixels: [0])) == zeros)
        #expect(DigitPreprocessing.mnistInput(from: GreyImage(width: 1, height: 500, filledWith: 0)) == zeros)
        #expect(DigitPreprocessing.mnistInput(from: GreyImage(width: 0, height: 0, pixels: [])) == zeros)

        // A black stroke in a 1-pixel-wide white strip becomes a full-ink vertical line 20 pixels long.
        var strip = GreyImage(width: 1, height: 500, filledWith: 1)
        for y in 200...300 { strip[0, y] = 0 }
        let line = DigitPreprocessing.steps(from: strip)
        #expect(line.scaledWidth == 1 && line.scaledHeight == 20)
        #expect(line.output.filter { $0 == 255 }.count == 20)
        let wide = DigitPreprocessing.mnistInput(from: GreyImage(width: 500, height: 1, pixels: strip.pixels))
        #expect(wide.filter { $0 == 255 }.count == 20)

        var broken = GreyImage(width: 10, height: 10, filledWith: 1)
        broken.pixels.removeLast()
        #expect(DigitPreprocessing.mnistInput(from: broken) == zeros)

        var strange = blackBox(width: 30, height: 30, x: 10, y: 5, boxWidth: 5, boxHeight: 20)
        strange[0, 0] = .nan
        strange[1, 0] = .infinity
        strange[12, 10] = -.infinity
        #expect(DigitPreprocessing.mnistInput(from: strange).filter { $0 == 255 }.count > 50)
    }

    @Test("a large photo-sized image is handled")
    func largeImage() {
        let image = blackBox(width: 3000, height: 2000, x: 1200, y: 300, boxWidth: 150, boxHeight: 1200)
        let steps = DigitPreprocessing.steps(from: image)
        #expect(steps.scaledWidth == 3 && steps.scaledHeight == 20)
        #expect(steps.output.filter { $0 > 0 }.count == 60)
    }
}

private extension Array {
    /// The elements repeated `count` times.
    func repeated(_ count: Int) -> [Element] {
        (0..<count).flatMap { _ in self }
    }
}
