import CKernels

/// Greyscale images kept as bytes, image after image, each `rows × columns` row-major (0 is
/// background, 255 full ink), with one class label per image.
///
/// The network never sees these bytes directly: each batch is converted to scalars in [0, 1] as it
/// is gathered (``Workspace/load(_:indices:)``), so the 60,000 MNIST training images stay 47 MB.
public struct LabeledImages: Sendable, Equatable {
    /// `count × rows × columns` bytes.
    public var images: [UInt8]
    /// `count` labels.
    public var labels: [UInt8]
    /// The height of every image, in pixels (28 for MNIST).
    public let rows: Int
    /// The width of every image, in pixels: row `r` of image `i` starts at byte `(i·rows + r)·columns`.
    public let columns: Int

    /// `labels.count` images of `rows × columns` pixels, their bytes in `images` (exactly
    /// `labels.count × rows × columns` of them); both sizes must be positive.
    public init(images: [UInt8], labels: [UInt8], rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0 && images.count == labels.count * rows * columns,
                     "\(labels.count) images of \(rows)×\(columns) need \(labels.count * rows * columns) bytes, not \(images.count)")
        self.images = images
        self.labels = labels
        self.rows = rows
        self.columns = columns
    }

    /// The number of images.
    public var count: Int { labels.count }

    /// `rows × columns`
    public var pixelsPerImage: Int { rows * columns }

    /// The pixels of image `index`.
    public func pixels(of index: Int) -> ArraySlice<UInt8> {
        images[index * pixelsPerImage ..< (index + 1) * pixelsPerImage]
    }

    /// Asks the memory system to bring the pixels of the images at `indices` into the cache, and
    /// returns at once: a hint, which changes no value. A training step calls it for the next
    /// batch, whose random rows of a training set larger than the caches then arrive while this
    /// batch computes, rather than when ``Workspace/load(_:indices:)`` reads them.
    public func prefetch(_ indices: ArraySlice<Int>) {
        let bytes = pixelsPerImage
        images.withUnsafeBytes { pixels in
            indices.withUnsafeBufferPointer { indices in
                guard let base = pixels.baseAddress, let first = indices.baseAddress else { return }
                first.withMemoryRebound(to: Int64.self, capacity: indices.count) {
                    perceptron_prefetch_rows(base, $0, Int64(indices.count), Int64(bytes))
                }
            }
        }
    }

    /// The images and labels at `indices`, in that order.
    public func subset(_ indices: some Sequence<Int>) -> LabeledImages {
        var images: [UInt8] = []
        var labels: [UInt8] = []
        for index in indices {
            images.append(contentsOf: pixels(of: index))
            labels.append(self.labels[index])
        }
        return LabeledImages(images: images, labels: labels, rows: rows, columns: columns)
    }
}
