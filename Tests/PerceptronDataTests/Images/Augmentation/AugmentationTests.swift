import Foundation
import Perceptron
import PerceptronData
import Testing

@Suite("Augmentation")
struct AugmentationTests {
    // MARK: - Fixtures

    /// A `side × side` image of random bytes: any misplaced pixel shows.
    static func noise(side: Int, seed: UInt64) -> [UInt8] {
        var generator = SplitMix64(seed: seed)
        return (0..<side * side).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
    }

    /// A digit-like 28 × 28 image: a ring of ink 2–3 pixels thick around (13.5, 13.5) with radius
    /// 5 + `n % 4`, and a bar from its right side down, shaded smoothly at the edges.
    static func stroke(_ n: Int) -> [UInt8] {
        let radius = 5 + Double(n % 4)
        return (0..<784).map { i in
            let x = Double(i % 28) - 13.5, y = Double(i / 28) - 13.5
            let ring = max(0, 1.5 - abs((x * x + y * y).squareRoot() - radius))
            let bar = y > 0 && y < 11 ? max(0, 1.5 - abs(x - radius)) : 0
            return UInt8(min(1, max(ring, bar)) * 255)
        }
    }

    /// `count` 28 × 28 digit-like images with labels 0, 1, …, 9, 0, …
    static func strokes(count: Int) -> LabeledImages {
        LabeledImages(images: (0..<count).flatMap { stroke($0) }, labels: (0..<count).map { UInt8($0 % 10) },
                      rows: 28, columns: 28)
    }

    static func pixel(_ image: [UInt8], _ side: Int, _ row: Int, _ column: Int) -> UInt8 {
        row >= 0 && row < side && column >= 0 && column < side ? image[row * side + column] : 0
    }

    static func ink(_ image: some Collection<UInt8>) -> Double { image.reduce(0.0) { $0 + Double($1) } }

    static func augmented(_ augmentation: Augmentation, _ source: LabeledImages, epoch: Int, seed: UInt64 = 5,
                          threads: Int? = nil) -> LabeledImages {
        var target = source
        augmentation.augment(source, epoch: epoch, generator: SplitMix64(seed: seed), into: &target, threads: threads)
        return target
    }

    // MARK: - Explicit transforms

    @Test("the identity map gives the image back byte for byte")
    func identity() {
        let image = Self.noise(side: 28, seed: 1)
        #expect(Augmentation.distort(image, rows: 28, columns: 28) == image)
        #expect(Augmentation.distort(image, rows: 28, columns: 28, affine: AffineDistortion(rotation: 360)) == image)
    }

    @Test("a whole-pixel shift moves the content exactly, right and down for positive shifts, with 0 coming in",
          arguments: [(2, 0), (0, 3), (-1, 2), (5, -4)])
    func integerShift(_ shift: (x: Int, y: Int)) {
        let image = Self.noise(side: 28, seed: 2)
        let moved = Augmentation.distort(image, rows: 28, columns: 28,
                                         affine: AffineDistortion(shiftX: Double(shift.x), shiftY: Double(shift.y)))
        let expected = (0..<784).map { i in Self.pixel(image, 28, i / 28 - shift.y, i % 28 - shift.x) }
        #expect(moved == expected)
    }

    @Test("a quarter turn is the array turned counterclockwise: out[r][c] = in[c][n−1−r]; a half turn reverses it",
          arguments: [28, 9])
    func quarterTurns(_ side: Int) {
        let image = Self.noise(side: side, seed: 3)
        let turned = Augmentation.distort(image, rows: side, columns: side, affine: AffineDistortion(rotation: 90))
        let expected = (0..<side * side).map { i in image[(i % side) * side + side - 1 - i / side] }
        #expect(turned == expected)
        let back = Augmentation.distort(turned, rows: side, columns: side, affine: AffineDistortion(rotation: -90))
        #expect(back == image)
        #expect(Augmentation.distort(image, rows: side, columns: side, affine: AffineDistortion(rotation: 180)) == Array(image.reversed()))
    }

    @Test("a small rotation is a quarter turn's neighbour: 89.999° differs from 90° by at most one level")
    func nearQuarterTurn() {
        let image = Self.noise(side: 28, seed: 4)
        let exact = Augmentation.distort(image, rows: 28, columns: 28, affine: AffineDistortion(rotation: 90))
        let near = Augmentation.distort(image, rows: 28, columns: 28, affine: AffineDistortion(rotation: 89.9999))
        #expect(zip(exact, near).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
    }

    @Test("a shear of 1 moves each row right by its distance below the centre (strokes slant like \\)")
    func shear() {
        let side = 9, centre = 4
        let image = Self.noise(side: side, seed: 5)
        let sheared = Augmentation.distort(image, rows: side, columns: side, affine: AffineDistortion(shear: 1))
        let expected = (0..<side * side).map { i in Self.pixel(image, side, i / side, i % side - (i / side - centre)) }
        #expect(sheared == expected)
    }

    @Test("scaling by ½ about the centre reads every second pixel outward from it, and 0 beyond the image")
    func halfSize() {
        let side = 9, centre = 4
        let image = Self.noise(side: side, seed: 6)
        let shrunk = Augmentation.distort(image, rows: side, columns: side, affine: AffineDistortion(scaleX: 0.5, scaleY: 0.5))
        let expected = (0..<side * side).map { i in
            Self.pixel(image, side, centre + 2 * (i / side - centre), centre + 2 * (i % side - centre))
        }
        #expect(shrunk == expected)
    }

    @Test("a half-pixel shift averages neighbours: bilinear sampling")
    func halfPixel() {
        let image: [UInt8] = [0, 100, 200, 50]  // one row of 4
        let moved = Augmentation.distort(image, rows: 1, columns: 4, affine: AffineDistortion(shiftX: 0.5))
        #expect(moved == [0, 50, 150, 125])  // 0 from outside, then averages, rounded half up
    }

    @Test("a displacement field of (1, 0) reads one pixel to the right: the content moves left")
    func constantField() {
        let image = Self.noise(side: 28, seed: 7)
        let field = DisplacementField(rows: 28, columns: 28, constant: 1, 0)
        let moved = Augmentation.distort(image, rows: 28, columns: 28, displacement: field)
        #expect(moved == (0..<784).map { Self.pixel(image, 28, $0 / 28, $0 % 28 + 1) })
        // Composed with the affine map: shifting right by 1 and reading 1 to the right cancel.
        let both = Augmentation.distort(image, rows: 28, columns: 28, affine: AffineDistortion(shiftX: 1), displacement: field)
        #expect(both == image)
    }

    // MARK: - The elastic field

    @Test("elastic distortion with α = 0 is the identity")
    func zeroAlpha() {
        var generator = SplitMix64(seed: 8)
        let field = ElasticDistortion(alpha: 0, sigma: 4).displacement(rows: 28, columns: 28, using: &generator)
        #expect(field.x.allSatisfy { $0 == 0 } && field.y.allSatisfy { $0 == 0 })
        let image = Self.noise(side: 28, seed: 8)
        #expect(Augmentation.distort(image, rows: 28, columns: 28, displacement: field) == image)
        let source = Self.strokes(count: 20)
        #expect(Self.augmented(Augmentation(elasticAlpha: 0, elasticSigma: 4), source, epoch: 1) == source)
    }

    @Test("the kernel is the normalised Gaussian cut at ⌈3σ⌉")
    func kernel() {
        let elastic = ElasticDistortion(alpha: 34, sigma: 4)
        #expect(elastic.radius == 12)
        let sum = Double(elastic.kernel[0]) + 2 * elastic.kernel.dropFirst().reduce(0.0) { $0 + Double($1) }
        #expect(abs(sum - 1) < 1e-6)
        #expect(abs(Double(elastic.kernel[4] / elastic.kernel[0]) / exp(-0.5) - 1) < 1e-6)
        #expect(ElasticDistortion(alpha: 1, sigma: 0.5).radius == 2)
    }

    @Test("away from the borders the field has mean 0 and standard deviation α·Σg²/√3, and it is smooth")
    func fieldStatistics() {
        let elastic = ElasticDistortion(alpha: 34, sigma: 4)
        let g2 = Double(elastic.kernel[0] * elastic.kernel[0]) + 2 * elastic.kernel.dropFirst().reduce(0.0) { $0 + Double($1 * $1) }
        let predicted = 34 * g2 / 3.0.squareRoot()
        #expect(abs(predicted - 1.38) < 0.02)  // Simard's setting moves pixels by about 1.4 pixels
        var generator = SplitMix64(seed: 9)
        var sum = 0.0, squares = 0.0, neighbourSquares = 0.0, n = 0.0
        for _ in 0..<40 {
            let field = elastic.displacement(rows: 64, columns: 64, using: &generator)
            for component in [field.x, field.y] {
                for row in 12..<52 {
                    for column in 12..<52 {
                        let d = Double(component[row * 64 + column])
                        sum += d
                        squares += d * d
                        neighbourSquares += pow(d - Double(component[row * 64 + column + 1]), 2)
                        n += 1
                    }
                }
            }
        }
        let deviation = (squares / n).squareRoot()
        #expect(abs(sum / n) < 0.05 * predicted, "mean \(sum / n)")
        #expect(abs(deviation - predicted) < 0.07 * predicted, "standard deviation \(deviation), predicted \(predicted)")
        #expect((neighbourSquares / n).squareRoot() < 0.25 * deviation, "neighbours differ too much for a smooth field")
    }

    @Test("the field fades to 0 outside the image: the noise there is 0")
    func fieldAtTheBorder() {
        var generator = SplitMix64(seed: 10)
        var corner = 0.0, centre = 0.0
        for _ in 0..<200 {
            let field = ElasticDistortion(alpha: 34, sigma: 4).displacement(rows: 28, columns: 28, using: &generator)
            corner += Double(field.x[0] * field.x[0])
            centre += Double(field.x[14 * 28 + 14] * field.x[14 * 28 + 14])
        }
        // A corner sees a quarter of the kernel's mass: its variance is about 1/4 of the centre's.
        #expect(corner < 0.5 * centre && corner > 0.1 * centre, "corner \(corner), centre \(centre)")
    }

    // MARK: - Augmenting a data set

    @Test("`none` leaves every byte unchanged")
    func none() {
        let source = Self.strokes(count: 30)
        var target = LabeledImages(images: Array(repeating: 7, count: 30 * 784), labels: Array(repeating: 9, count: 30),
                                   rows: 28, columns: 28)
        Augmentation.none.augment(source, epoch: 3, generator: SplitMix64(seed: 1), into: &target)
        #expect(target == source)
        #expect(!Augmentation.none.isActive && Augmentation.standard.isActive)
    }

    @Test("labels are copied and every image changes, each differently")
    func labelsAndImages() {
        let one = Self.stroke(0)
        let source = LabeledImages(images: Array(repeating: one, count: 10).flatMap { $0 }, labels: (0..<10).map(UInt8.init),
                                   rows: 28, columns: 28)
        var target = LabeledImages(images: Array(repeating: 0, count: 10 * 784), labels: Array(repeating: 0, count: 10),
                                   rows: 28, columns: 28)
        Augmentation.standard.augment(source, epoch: 1, generator: SplitMix64(seed: 2), into: &target)
        #expect(target.labels == source.labels)
        #expect(target.rows == 28 && target.columns == 28 && target.count == 10)
        let variants = (0..<10).map { Array(target.pixels(of: $0)) }
        #expect(variants.allSatisfy { $0 != one })
        #expect(Set(variants).count == 10, "the same image at different indices gets different distortions")
    }

    @Test("a target of another size is replaced by one of the right size")
    func resizedTarget() {
        let source = Self.strokes(count: 5)
        var target = LabeledImages(images: [], labels: [], rows: 28, columns: 28)
        Augmentation.standard.augment(source, epoch: 1, generator: SplitMix64(seed: 3), into: &target)
        #expect(target.count == 5 && target.labels == source.labels && target.images != source.images)
    }

    @Test("the same generator and epoch give identical bytes; another epoch or seed gives other ones")
    func determinism() {
        let source = Self.strokes(count: 50)
        let first = Self.augmented(.standard, source, epoch: 4)
        #expect(Self.augmented(.standard, source, epoch: 4) == first)
        #expect(Self.augmented(.standard, source, epoch: 5).images != first.images)
        #expect(Self.augmented(.standard, source, epoch: 4, seed: 6).images != first.images)
        // Reusing the target from another epoch changes nothing: each epoch rewrites every byte.
        var reused = Self.augmented(.standard, source, epoch: 9)
        Augmentation.standard.augment(source, epoch: 4, generator: SplitMix64(seed: 5), into: &reused)
        #expect(reused == first)
    }

    @Test("the result is the same for any number of threads", arguments: [1, 2, 3, 8])
    func threads(_ threads: Int) {
        let source = Self.strokes(count: 37)
        #expect(Self.augmented(.standard, source, epoch: 2, threads: threads) == Self.augmented(.standard, source, epoch: 2, threads: 1))
    }

    @Test("augmentedImage gives the very image that augment writes")
    func singleImage() {
        let source = Self.strokes(count: 12)
        let all = Self.augmented(.standard, source, epoch: 3)
        for index in [0, 5, 11] {
            let one = Augmentation.standard.augmentedImage(index, of: source, epoch: 3, generator: SplitMix64(seed: 5))
            #expect(one == Array(all.pixels(of: index)))
        }
    }

    @Test("small affine transforms roughly preserve the ink: within 12 % per image, 3 % on average",
          arguments: ["rotation=10", "shear=0.15", "shift=1", "rotation=10,shear=0.15,shift=1"])
    func inkMass(_ text: String) throws {
        let augmentation = try #require(Augmentation(text))
        let source = Self.strokes(count: 40)
        let target = Self.augmented(augmentation, source, epoch: 1)
        let ratios = (0..<40).map { Self.ink(target.pixels(of: $0)) / Self.ink(source.pixels(of: $0)) }
        #expect(ratios.allSatisfy { abs($0 - 1) < 0.12 }, "\(ratios)")
        #expect(abs(ratios.reduce(0, +) / 40 - 1) < 0.03)
    }

    @Test("elastic distortion stretches and squeezes strokes locally but keeps the ink on average: within 5 %")
    func elasticInkMass() throws {
        // Simard's field changes the local area by tens of percent (its gradient is about α·Σg²/(√3·σ)),
        // so single images gain or lose up to a third of their ink; the average stays.
        for text in ["alpha=34,sigma=4", "rotation=10,shear=0.15,shift=1,alpha=34,sigma=4"] {
            let source = Self.strokes(count: 200)
            let target = Self.augmented(try #require(Augmentation(text)), source, epoch: 1)
            let ratios = (0..<200).map { Self.ink(target.pixels(of: $0)) / Self.ink(source.pixels(of: $0)) }
            #expect(ratios.allSatisfy { abs($0 - 1) < 0.5 }, "\(text): \(ratios.min()!)…\(ratios.max()!)")
            #expect(abs(ratios.reduce(0, +) / 200 - 1) < 0.05, "\(text): mean \(ratios.reduce(0, +) / 200)")
        }
    }

    @Test("scaling changes the ink by the area factor sx·sy")
    func scaledInk() {
        let image = Self.stroke(2)
        let larger = Augmentation.distort(image, rows: 28, columns: 28, affine: AffineDistortion(scaleX: 1.2, scaleY: 1.1))
        #expect(abs(Self.ink(larger) / Self.ink(image) - 1.32) < 0.04)
    }

    @Test("rotation, scaling and shear turn about the centre: a dot there stays; a shift moves it")
    func rotationKeepsTheCentre() {
        // A dot at the centre of a 29 × 29 image: rotation, scaling and shear about the centre keep it there.
        var dot = [UInt8](repeating: 0, count: 29 * 29)
        dot[14 * 29 + 14] = 255
        let source = LabeledImages(images: Array(repeating: dot, count: 20).flatMap { $0 }, labels: Array(repeating: 1, count: 20),
                                   rows: 29, columns: 29)
        let target = Self.augmented(Augmentation("rotation=30,scale=0.2,shear=0.3")!, source, epoch: 1)
        #expect((0..<20).allSatisfy { target.pixels(of: $0)[$0 * 841 + 14 * 29 + 14] == 255 })
        let shifted = Self.augmented(Augmentation("shift=3")!, source, epoch: 1)
        #expect((0..<20).contains { shifted.pixels(of: $0)[$0 * 841 + 14 * 29 + 14] != 255 })
    }

    // MARK: - Stroke thickness

    /// A 7 × 7 image with one vertical stroke of 200 in column 3, rows 1–5, and a pixel of 100 at (3, 1).
    static let bar: [UInt8] = (0..<49).map { (i: Int) -> UInt8 in
        if i % 7 == 3 && (1...5).contains(i / 7) { return 200 }
        return i == 3 * 7 + 1 ? 100 : 0
    }

    @Test("thickness 1 is the dilation by the cross: each pixel the largest of itself and its four neighbours")
    func dilation() {
        let thick = Augmentation.distort(Self.bar, rows: 7, columns: 7, thickness: 1)
        for row in 0..<7 {
            for column in 0..<7 {
                let cross = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)].map { Self.pixel(Self.bar, 7, row + $0.0, column + $0.1) }
                #expect(thick[row * 7 + column] == cross.max()!, "pixel (\(row), \(column))")
            }
        }
        #expect(thick[0 * 7 + 3] == 200 && thick[2 * 7 + 2] == 200 && thick[3 * 7 + 0] == 100)
    }

    @Test("thickness −1 is the erosion by the cross, with 0 beyond the image: a one-pixel stroke disappears")
    func erosion() {
        #expect(Augmentation.distort(Self.bar, rows: 7, columns: 7, thickness: -1).allSatisfy { $0 == 0 })
        let square = (0..<49).map { i -> UInt8 in (1...5).contains(i / 7) && (1...5).contains(i % 7) ? 255 : 0 }
        let thin = Augmentation.distort(square, rows: 7, columns: 7, thickness: -1)
        #expect(thin == (0..<49).map { (i: Int) -> UInt8 in (2...4).contains(i / 7) && (2...4).contains(i % 7) ? 255 : 0 })
    }

    @Test("a share t of a pixel blends: out = round(I + |t|·(D − I)) for t > 0, with E for t < 0; t = 0 changes nothing")
    func blend() {
        let half = Augmentation.distort(Self.bar, rows: 7, columns: 7, thickness: 0.5)
        #expect(half[2 * 7 + 2] == 100 && half[3 * 7 + 2] == 100 && half[3 * 7 + 1] == 100 && half[2 * 7 + 3] == 200 && half[0] == 0)
        let thinner = Augmentation.distort(Self.bar, rows: 7, columns: 7, thickness: -0.25)
        #expect(thinner[2 * 7 + 3] == 150 && thinner[3 * 7 + 1] == 75)
        #expect(Augmentation.distort(Self.bar, rows: 7, columns: 7, thickness: 0) == Self.bar)
    }

    @Test("thickness alone turns augmentation on; each digit gets its own change, thicker or thinner, the ink moving with it")
    func randomThickness() {
        let source = Self.strokes(count: 40)
        let augmentation = Augmentation(thickness: 1)
        #expect(augmentation.isActive)
        let target = Self.augmented(augmentation, source, epoch: 1)
        let ratios = (0..<40).map { Self.ink(target.pixels(of: $0)) / Self.ink(source.pixels(of: $0)) }
        #expect(ratios.contains { $0 > 1.2 } && ratios.contains { $0 < 0.8 })
        #expect(Set(ratios.map { ($0 * 1000).rounded() }).count > 30)
        #expect(Self.augmented(augmentation, source, epoch: 1, threads: 3).images == target.images)
    }

    @Test("without thickness the other parts draw exactly as before it existed: adding it changes only the strokes")
    func thicknessDrawsLast() {
        let source = Self.strokes(count: 10)
        let plain = Augmentation("rotation=15,scale=0.15,shift=2,alpha=36,sigma=5.5")!
        let thick = Augmentation("rotation=15,scale=0.15,shift=2,alpha=36,sigma=5.5,thickness=1")!
        let a = Self.augmented(plain, source, epoch: 2), b = Self.augmented(thick, source, epoch: 2)
        #expect(a.images != b.images)
        // Each thick image is its plain one made thicker or thinner, never moved: ink stays near ink.
        for n in 0..<10 {
            let p = Array(a.pixels(of: n)), q = Array(b.pixels(of: n))
            let dilated = Augmentation.distort(p, rows: 28, columns: 28, thickness: 1)
            let eroded = Augmentation.distort(p, rows: 28, columns: 28, thickness: -1)
            #expect((0..<784).allSatisfy { q[$0] <= dilated[$0] && q[$0] >= eroded[$0] }, "image \(n)")
        }
    }

    // MARK: - Text

    @Test("canonical texts round-trip", arguments: [
        "none", "rotation=12", "scale=0.1", "shear=0.15", "shift=2", "alpha=34,sigma=4", "sigma=4",
        "rotation=12,scale=0.1,shear=0.15,shift=2,alpha=34,sigma=4", "rotation=7.5,shift=0.5", "thickness=0.5",
        "rotation=15,scale=0.15,shear=0.15,shift=2,alpha=36,sigma=5.5,thickness=1",
    ])
    func roundTrip(_ text: String) throws {
        let augmentation = try #require(Augmentation(text))
        #expect(augmentation.description == text)
        let json = try JSONEncoder().encode([augmentation])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(text)\"]")
        #expect(try JSONDecoder().decode([Augmentation].self, from: json) == [augmentation])
    }

    @Test("keys in any order, spaces and capitals are accepted; the text is written in canonical order")
    func lenientReading() {
        #expect(Augmentation("sigma=4, alpha=34 ,Rotation=12")?.description == "rotation=12,alpha=34,sigma=4")
        #expect(Augmentation("shift=2.0")?.description == "shift=2")
        #expect(Augmentation("rotation=0") == Augmentation.none)
        #expect(Augmentation("standard") == Augmentation.standard)
        #expect(Augmentation(Augmentation.standard.description) == Augmentation.standard)
        #expect(Augmentation.standard.description == "rotation=10,scale=0.1,shear=0.15,shift=1,alpha=34,sigma=4")
        #expect(Augmentation("rotation=10")?.rotation == 10)
        #expect(Augmentation("alpha=34,sigma=4")?.elasticAlpha == 34)
        #expect(Augmentation("alpha=34,sigma=4")?.elasticSigma == 4)
    }

    @Test("bad text is nil", arguments: [
        "", "nothing", "rotation", "rotation=", "=3", "rotation=x", "rotation=-1", "shift=-0.5", "spin=3",
        "rotation=1,rotation=2", "rotation=1,", ",rotation=1", "rotation=1;shift=2", "rotation=1=2", "scale=1", "scale=1.5",
        "alpha=34", "alpha=34,sigma=0", "sigma=101", "thickness=1.5", "thickness=-0.5", "rotation=nan", "rotation=inf", "none,rotation=1", "standard,shift=1",
    ])
    func badText(_ text: String) {
        #expect(Augmentation(text) == nil)
    }

    @Test("a bad text in a configuration file is an error that lists what is accepted")
    func badJSON() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([Augmentation].self, from: Data(#"["rotation=-3"]"#.utf8)) }
        #expect(Augmentation.expectedForms.contains("rotation=12,scale=0.1"))
    }
}
