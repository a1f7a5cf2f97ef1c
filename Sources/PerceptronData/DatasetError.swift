/// Why a dataset directory does not hold the expected dataset.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
    /// Neither `name` nor `name.gz` is in `directory`.
    case missingFile(dataset: Dataset, directory: String, name: String)
    /// The file's SHA-256 is not the published one.
    case checksumMismatch(path: String, expected: String, actual: String)

    public var description: String {
        switch self {
        case .missingFile(let dataset, let directory, let name):
            let remedy = switch dataset {
            case .mnist: "run `perceptron fetch` to download MNIST there, or set PERCEPTRON_DATA to a directory that holds it"
            case .fashion: "install the Debian package dataset-fashion-mnist (`apt install dataset-fashion-mnist`), or put the four files there"
            }
            return "\(directory): missing \(name) (or \(name).gz) of the \(dataset.rawValue) dataset; \(remedy)"
        case .checksumMismatch(let path, let expected, let actual):
            return "\(path): SHA-256 mismatch: expected \(expected), found \(actual); the file is damaged or not the published one, run `perceptron fetch --force`"
        }
    }
}
