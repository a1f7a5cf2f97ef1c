extension DigitPreprocessing {
    /// The ink below which a flattened picture holds no digit, and the least ink a pixel needs to
    /// be taken for ink by Otsu's threshold: 0.25, a pixel a quarter darker than the paper around
    /// it. What flattening leaves of uneven light (at most about 0.2, in dark corners) stays below.
    public static let minimumInk = 0.25
    /// Where the estimated paper level is below this (0.05), nothing can be read and the pixel is
    /// taken as paper.
    public static let minimumPaper = 0.05
    /// How far the ink found by Otsu's threshold grows into fainter ink around it, as a share of
    /// the longer side of its bounding box (at least 2 pixels): 0.08.
    public static let growthShare = 0.08
    /// A component touching the picture's edge along at most this share of its shorter side
    /// (0.25) is kept when nothing else is left: a digit drawn up to the edge.
    public static let shortBorderContact = 0.25
    /// A component of fewer pixels than this share (0.02) of the largest one kept is a speck.
    public static let speckShare = 0.02

    /// What `clean(_:)` found and made at each step, for tests and for `perceptron predict --show`.
    public struct Cleaning: Sendable, Equatable {
        /// The width of the picture given.
        public var width: Int
        /// The height of the picture given.
        public var height: Int
        /// The whole factor k the picture was reduced by (step 1).
        public var reduction: Int
        /// The picture reduced (step 1), as it looks.
        public var working: GreyImage
        /// Whether the paper is lighter than the ink (step 2); if not, the steps after work on the
        /// picture inverted.
        public var lightPaper: Bool
        /// The paper level (step 3).
        public var illumination: Illumination
        /// The picture divided by the paper level: paper near 1, ink dark (step 3).
        public var flattened: GreyImage
        /// The strongest ink, 1 − the darkest flattened pixel (step 4).
        public var strongestInk: Double
        /// Otsu's threshold on the ink (step 4); nil when the ink is too weak to split.
        public var otsuThreshold: Double?
        /// The threshold used: Otsu's, at least `minimumInk` (step 4).
        public var threshold: Double
        /// Every connected piece of ink above the threshold and what became of it (step 5).
        public var components: [InkComponent]
        /// How many steps the kept ink grew into fainter ink around it (step 6).
        public var growthSteps: Int
        /// The ink kept, dark on white, at the working size: what `steps(from:)` crops, scales
        /// and centres (step 7).
        public var cleaned: GreyImage
        /// Whether any ink was kept.
        public var foundInk: Bool
    }

    /// Finds the digit's ink in a photo, a scan or a drawing and wipes out everything else, giving
    /// the ink dark on white for MNIST's normalisation (`steps(from:)`):
    ///
    /// 1. **Reduce** the picture to at most `workingSide` (1024) pixels along its longer side by a
    ///    whole factor, averaging blocks (`reduced(_:toAtMost:)`): enough for a digit that ends up
    ///    20 pixels high, and it averages away sensor noise.
    /// 2. **Polarity.** With m the median intensity and q₀, q₁ its 0.1 % and 99.9 % quantiles (of
    ///    a 256-bin histogram), the paper is light if m − q₀ ≥ q₁ − m: ink is the rare tail of
    ///    the histogram, below the paper for ink on paper, above it for chalk on a board. The
    ///    background's own level does not decide, so dim paper is still paper, and a dark frame
    ///    around a scan (a minority of the pixels) does not make the page look like ink. A picture
    ///    with light ink on dark is inverted for the steps below.
    /// 3. **Flatten the light.** The paper level L is estimated by a closing at reduced resolution
    ///    (`Illumination`), and the picture divided by it: f = min(1, v / L), or 1 where
    ///    L < `minimumPaper`. Paper becomes nearly 1 everywhere, under a shadow or in the light,
    ///    and ink a fraction of the paper around it, so the same pen is the same ink in any corner.
    /// 4. **Threshold.** The ink of a pixel is r = 1 − f. If the strongest ink is below
    ///    `minimumInk` the picture holds no digit. Otherwise Otsu's threshold of the ink values
    ///    (`otsuThreshold(_:bins:)`), raised to `minimumInk` if below, splits ink from paper: it
    ///    adapts to the pen and the paper, where a fixed level would not.
    /// 5. **Drop what touches the edge.** The pixels above the threshold form eight-connected
    ///    components (`InkComponent`). A component touching the picture's outermost rows or
    ///    columns is a page edge, the desk, a shadow or a frame, and is dropped. Only if that
    ///    leaves nothing are the components that touch the edge along at most `shortBorderContact`
    ///    (a quarter) of the shorter side kept: a digit drawn up to the edge of the picture, as on
    ///    the drawing pad, while a frame or a page edge runs along a whole side.
    ///    Of the components kept, those hardly darker than the paper around them are dropped as
    ///    faint: a component's contrast is its strongest ink less the median ink of its bounding
    ///    box widened on every side by a quarter of its longer side (at least 2 pixels), and must
    ///    be at least `minimumInk`. Pen strokes stand out from the paper next to them; what
    ///    flattening leaves of uneven light (brighter estimates near the picture's edges, where
    ///    the closing's square is cut short) rises slowly and does not. Then those of fewer
    ///    pixels than `speckShare` (2 %) of the largest left are specks (dust, noise) and are
    ///    dropped too.
    /// 6. **Grow into the soft edges.** The kept ink grows through pixels of ink at least
    ///    `inkThreshold` (0.1) × the strongest ink, by at most `growthShare` (8 %) of its
    ///    bounding box's longer side (at least 2 steps to a neighbour), so that the anti-aliased
    ///    edges of the strokes are kept (as MNIST's digits have them) without following faint
    ///    paths far away.
    /// 7. **The result** is 1 − r on the kept and grown pixels and 1 (white) elsewhere, at the
    ///    working size. No kept ink gives an all-white picture (`foundInk` false).
    ///
    /// Colour ink is ink: the picture is luma (see `GreyImage`), so a blue or red pen is darker
    /// than the paper, and after flattening its contrast is relative to the paper it is on.
    /// Deterministic, never traps; a picture whose pixels do not number `width × height` holds
    /// no digit.
    public static func clean(_ image: GreyImage) -> Cleaning {
        let (width, height) = (image.width, image.height)
        guard width > 0, height > 0, image.pixels.count == width * height else {
            let white = GreyImage(width: 1, height: 1, filledWith: 1)
            return Cleaning(width: width, height: height, reduction: 1, working: white, lightPaper: true,
                            illumination: Illumination(paper: white), flattened: white, strongestInk: 0,
                            otsuThreshold: nil, threshold: 1, components: [], growthSteps: 0, cleaned: white, foundInk: false)
        }
        // 1. Reduce.
        let (working, reduction) = reduced(image, toAtMost: workingSide)
        let (w, h) = (working.width, working.height)

        // 2. Polarity.
        let lightPaper = isLightPaper(working.pixels)
        let paper = lightPaper ? working : working.inverted

        // 3. Flatten.
        let illumination = Illumination(paper: paper)
        let levels = illumination.pixelLevels(width: w, height: h)
        var flattened = paper
        for index in flattened.pixels.indices {
            let level = levels[index]
            flattened.pixels[index] = level < minimumPaper ? 1 : min(1, paper.pixels[index] / level)
        }

        // 4. Threshold.
        let ink = flattened.pixels.map { 1 - $0 }
        let strongest = ink.max() ?? 0
        let otsu = strongest >= minimumInk ? otsuThreshold(ink) : nil
        let threshold = otsu.map { max($0, minimumInk) } ?? 1
        var result = Cleaning(width: width, height: height, reduction: reduction, working: working, lightPaper: lightPaper,
                              illumination: illumination, flattened: flattened, strongestInk: strongest,
                              otsuThreshold: otsu, threshold: threshold, components: [], growthSteps: 0,
                              cleaned: GreyImage(width: w, height: h, filledWith: 1), foundInk: false)
        guard otsu != nil else { return result }

        // 5. Components; drop those touching the edge.
        let strong = ink.map { $0 >= threshold }
        var (labels, components) = inkComponents(of: strong, width: w, height: h)
        for index in components.indices where components[index].touchesBorder {
            components[index].fate = .border
        }
        if !components.contains(where: { $0.fate == .kept }) {
            let shortContact = Double(min(w, h)) * shortBorderContact
            for index in components.indices where Double(components[index].borderContact) <= shortContact {
                components[index].fate = .kept
            }
        }
        var peaks = [Double](repeating: 0, count: components.count)
        for index in labels.indices where labels[index] != 0 {
            peaks[Int(labels[index]) - 1] = max(peaks[Int(labels[index]) - 1], ink[index])
        }
        for index in components.indices where components[index].fate == .kept {
            let surroundings = median(of: ink, width: w, height: h, around: components[index].box)
            components[index].contrast = peaks[index] - surroundings
            if components[index].contrast < minimumInk { components[index].fate = .faint }
        }
        let largest = components.filter { $0.fate == .kept }.map(\.pixels).max() ?? 0
        for index in components.indices where components[index].fate == .kept
            && Double(components[index].pixels) < speckShare * Double(largest) {
            components[index].fate = .speck
        }
        result.components = components
        let kept = components.indices.filter { components[$0].fate == .kept }
        guard !kept.isEmpty else { return result }

        // 6. Grow into the soft edges.
        let keptLabels = Set(kept.map { Int32($0 + 1) })
        var seeds = [Bool](repeating: false, count: labels.count)
        for index in labels.indices where labels[index] != 0 && keptLabels.contains(labels[index]) {
            seeds[index] = true
        }
        labels = []  // no longer needed
        let boxes = kept.map { components[$0].box }
        let keptWidth = (boxes.map { $0.x + $0.width }.max() ?? 0) - (boxes.map(\.x).min() ?? 0)
        let keptHeight = (boxes.map { $0.y + $0.height }.max() ?? 0) - (boxes.map(\.y).min() ?? 0)
        let steps = max(2, Int((growthShare * Double(max(keptWidth, keptHeight))).rounded(.up)))
        let soft = ink.map { $0 >= inkThreshold * strongest }
        let reached = grow(seeds, through: soft, steps: steps, width: w, height: h)

        // 7. The kept ink, dark on white.
        for index in reached.indices where reached[index] {
            result.cleaned.pixels[index] = 1 - ink[index]
        }
        result.growthSteps = steps
        result.foundInk = true
        return result
    }

    /// The median of the `width × height` `values` (in [0, 1], row-major) in `box` widened on every
    /// side by a quarter of its longer side, at least 2 pixels, and cut to the picture: from a
    /// 256-bin histogram, each bin at its centre.
    static func median(of values: [Double], width: Int, height: Int, around box: PixelBox) -> Double {
        let margin = max(2, max(box.width, box.height) / 4)
        let (left, right) = (max(0, box.x - margin), min(width, box.x + box.width + margin))
        let (top, bottom) = (max(0, box.y - margin), min(height, box.y + box.height + margin))
        var counts = [Int](repeating: 0, count: 256)
        for y in top..<bottom {
            for x in left..<right {
                counts[bin(of: values[y * width + x], bins: 256)] += 1
            }
        }
        return quantile(0.5, of: counts)
    }

    /// Whether pixels in [0, 1] are ink on light paper rather than light ink on a dark ground:
    /// with m the median and q₀, q₁ the 0.1 % and 99.9 % quantiles of a 256-bin histogram (each
    /// bin at its centre), m − q₀ ≥ q₁ − m (step 2 of `clean(_:)`).
    static func isLightPaper(_ pixels: [Double]) -> Bool {
        let counts = histogram(pixels, bins: 256)
        let (low, median, high) = (quantile(0.001, of: counts), quantile(0.5, of: counts), quantile(0.999, of: counts))
        return median - low >= high - median
    }
}
