extension DigitPreprocessing {
    /// What the network is given for `image`: a picture already in MNIST's form — 28 × 28, light
    /// ink on a dark background, like a digit of MNIST's files — as it is, quantised to bytes; a
    /// picture of the digit alone (``isDigitSized(_:)``: at most 28 × 28, such as scikit-learn's
    /// 8 × 8 digits) brought into MNIST's form (``mnistInput(from:)``); any other picture cleaned
    /// first (``clean(_:)``: the light flattened, the ink found, what touches the edge dropped).
    /// See ``prepare(_:)`` for the steps.
    ///
    /// Running MNIST's own normalisation again on an MNIST digit would crop and rescale it a second
    /// time and blur it slightly; a digit exported from MNIST must read exactly as in `evaluate`.
    public static func networkInput(from image: GreyImage) -> [UInt8] {
        prepare(image).input
    }

    /// Whether `image` is 28 × 28 with a dark background (the median of its border below ½).
    public static func isMNISTForm(_ image: GreyImage) -> Bool {
        image.width == side && image.height == side && image.pixels.count == side * side
            && !steps(from: image).lightBackground
    }

    /// Whether `image` is at most 28 × 28 pixels, MNIST's side: a picture of the digit alone,
    /// cropped to it or nearly so, with no room for a page edge, a desk or a frame. Such a digit
    /// touches the picture's edges wherever its strokes reach them, so ``clean(_:)`` would drop it
    /// as something touching the edge; it goes to MNIST's normalisation as it is.
    public static func isDigitSized(_ image: GreyImage) -> Bool {
        image.width <= side && image.height <= side
    }

    /// The input `networkInput(from:)` makes of a picture, and how.
    public struct Preparation: Sendable, Equatable {
        /// The cleaning (nil for a picture in MNIST's form, used as it is, and for a digit-sized
        /// one, normalised without cleaning).
        public var cleaning: Cleaning?
        /// MNIST's normalisation of the cleaned picture (nil for a picture in MNIST's form).
        public var normalisation: Steps?
        /// The 784 bytes for the network, 0 background and 255 full ink.
        public var input: [UInt8]

        /// Whether any ink was found: false for blank paper or a photo without a digit, whose
        /// input is all zeros.
        public var foundInk: Bool {
            input.contains { $0 > 0 }
        }
    }

    /// `networkInput(from:)` with its steps: a picture in MNIST's form as it is, a digit-sized one
    /// through `steps(from:)` alone, any other through `clean(_:)` and then `steps(from:)` on the
    /// cleaned picture.
    public static func prepare(_ image: GreyImage) -> Preparation {
        if isMNISTForm(image) {
            let input = image.pixels.map { UInt8((min(max($0.isNaN ? 0 : $0, 0), 1) * 255).rounded()) }
            return Preparation(cleaning: nil, normalisation: nil, input: input)
        }
        if isDigitSized(image) {
            let normalisation = steps(from: image)
            return Preparation(cleaning: nil, normalisation: normalisation, input: normalisation.output)
        }
        let cleaning = clean(image)
        let normalisation = steps(from: cleaning.cleaned)
        return Preparation(cleaning: cleaning, normalisation: normalisation, input: normalisation.output)
    }
}
