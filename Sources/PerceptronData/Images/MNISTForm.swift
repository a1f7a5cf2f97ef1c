extension DigitPreprocessing {
    /// What the network is given for `image`: a picture already in MNIST's form — 28 × 28, light
    /// ink on a dark background, like a digit of MNIST's files — as it is, quantised to bytes; any
    /// other picture through ``mnistInput(from:)``.
    ///
    /// Running MNIST's own normalisation again on an MNIST digit would crop and rescale it a second
    /// time and blur it slightly; a digit exported from MNIST must read exactly as in `evaluate`.
    public static func networkInput(from image: GreyImage) -> [UInt8] {
        guard isMNISTForm(image) else { return mnistInput(from: image) }
        return image.pixels.map { UInt8((min(max($0.isNaN ? 0 : $0, 0), 1) * 255).rounded()) }
    }

    /// Whether `image` is 28 × 28 with a dark background (the median of its border below ½).
    public static func isMNISTForm(_ image: GreyImage) -> Bool {
        image.width == side && image.height == side && image.pixels.count == side * side
            && !steps(from: image).lightBackground
    }
}
