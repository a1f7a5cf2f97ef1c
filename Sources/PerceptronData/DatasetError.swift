/// Why a data set cannot be loaded, or split as the protocol needs.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    /// Neither `name` nor `name.gz` is in `directory`.
    case missingFile(dataset: Dataset, directory: String, name: String)
    /// The file's SHA-256 is not the published one.
    case checksumMismatch(path: String, expected: String, actual: String)
    /// A CSV file or class folders given as MNIST or Fashion-MNIST, which are four IDX files.
    case notIDX(dataset: Dataset, path: String, layout: DataLayout)
    /// Too few labelled images to hold a validation and a test share out of (each needs an image, and so does training).
    case tooFewToHoldOut(images: Int, validationShare: Double, testShare: Double)

    public var description: String {
        switch self {
        case .missingFile(let dataset, let directory, let name):
            let remedy = switch dataset {
            case .mnist: "run `perceptron fetch` to download MNIST there, or set PERCEPTRON_DATA to a directory that holds it"
            case .fashion: "install the Debian package dataset-fashion-mnist (`apt install dataset-fashion-mnist`), or put the four files there"
            case .custom: "a folder of IDX files holds at least train-images-idx3-ubyte and train-labels-idx1-ubyte "
                + "(and for a test set t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte), each as is or as NAME.gz"
            }
            let set = dataset == .custom ? "a data set of your own" : "the \(dataset.rawValue) dataset"
            return "\(directory): missing \(name) (or \(name).gz) of \(set); \(remedy)"
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path): SHA-256 mismatch: expected \(expected), found \(actual); the file is damaged or not the published one, run `perceptron fetch --force` (for IDX files of your own, not MNIST, name them with --dataset custom)"
        case .notIDX(let dataset, let path, let layout):
            return "\(path) \(layout == .csv ? "is a CSV file" : "holds class folders"), not the four IDX files of \(dataset.rawValue); "
                + "to train on it as a data set of your own, leave out --dataset (or give --dataset custom)"
        case .tooFewToHoldOut(let images, let validationShare, let testShare):
            return "\(images) labelled images are too few to hold out a validation share of \(validationShare) and a test share of \(testShare) "
                + "and still train on some: each of the three sets needs at least one image; add images, or change the shares with --holdout"
        }
    }
}
