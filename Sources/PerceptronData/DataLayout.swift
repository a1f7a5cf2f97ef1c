import Foundation

/// How the labelled images at a path are laid out, told from what is there.
///
/// - `.csv`: a file: one CSV file in Kaggle's layout (``KaggleCSV``). A path ending in `.csv` or
///   `.csv.gz` that does not exist is reported as a missing file.
/// - `.idx`: a folder holding any of MNIST's four file names (``MNISTFile``, as is or as `.gz`)
///   (`IDXFolder`); also a folder that does not exist or holds neither IDX files nor folders,
///   where MNIST can be fetched.
/// - `.classFolders`: a folder holding folders (not hidden ones) and none of MNIST's file names
///   (``ClassFolders``).
public enum DataLayout: String, Sendable, Equatable {
    /// One CSV file in Kaggle's layout.
    case csv
    /// A folder of IDX files under MNIST's names.
    case idx
    /// A folder of class folders.
    case classFolders = "class folders"

    /// The layout at `url`; throws `FileError.missing` for a CSV file that is not there.
    public init(of url: URL) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            let name = url.lastPathComponent.lowercased()
            if name.hasSuffix(".csv") || name.hasSuffix(".csv.gz") { throw FileError.missing(path: url.path) }
            self = .idx
            return
        }
        guard isFolder.boolValue else {
            self = .csv
            return
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        let idxNames = Set(MNISTFile.allCases.flatMap { [$0.name, $0.name + ".gz"] })
        if names.contains(where: idxNames.contains) {
            self = .idx
        } else if !ClassFolders.classNames(in: url).isEmpty {
            self = .classFolders
        } else {
            self = .idx
        }
    }
}
