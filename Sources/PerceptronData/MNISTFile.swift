/// The four files of the MNIST distribution, with the SHA-256 of each file's decompressed bytes.
///
/// Fashion-MNIST uses the same four names and the same layout, but different contents, so the
/// checksums apply to MNIST only.
public enum MNISTFile: String, CaseIterable, Sendable {
    case trainImages = "train-images-idx3-ubyte"
    case trainLabels = "train-labels-idx1-ubyte"
    case testImages = "t10k-images-idx3-ubyte"
    case testLabels = "t10k-labels-idx1-ubyte"

    /// The file name as distributed, without `.gz`.
    public var name: String { rawValue }

    /// The SHA-256 of MNIST's (decompressed) file, as 64 lowercase hexadecimal digits.
    public var sha256: String {
        switch self {
        case .trainImages: "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
        case .trainLabels: "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
        case .testImages: "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
        case .testLabels: "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
        }
    }

    /// The number of images (or labels) in the file: 60,000 for training, 10,000 for testing.
    public var count: Int {
        switch self {
        case .trainImages, .trainLabels: 60_000
        case .testImages, .testLabels: 10_000
        }
    }

    /// The height and width of every image in both datasets.
    public static let imageRows = 28
    public static let imageColumns = 28
}
