/// Why a folder of class folders cannot be read as labelled images (see ``ClassFolders``).
public enum ClassFoldersError: Error, CustomStringConvertible, Equatable {
    /// Fewer than two class folders.
    case tooFewClasses(path: String, names: [String])
    /// More class folders than labels fit in a byte.
    case tooManyClasses(path: String, count: Int)
    /// A class folder whose name holds a comma or a line break.
    case badName(path: String)
    /// A folder inside a class folder.
    case nestedFolder(path: String)
    /// A class folder without images.
    case emptyClass(path: String)

    public var description: String {
        switch self {
        case .tooFewClasses(let path, let names):
            let found = names.isEmpty ? "none" : "only \(names[0])"
            return "\(path): class folders: expected a folder per class (at least two, such as cat/ and dog/), found \(found)"
        case .tooManyClasses(let path, let count):
            return "\(path): \(count) class folders, more than the 256 classes a data set may have"
        case .badName(let path):
            return "\(path): a class folder's name may not hold a comma or a line break; rename the folder"
        case .nestedFolder(let path):
            return "\(path): a folder inside a class folder; a class folder holds image files only (move the folder out, or its images up)"
        case .emptyClass(let path):
            return "\(path): the class folder holds no images; put images of the class in it, or remove it"
        }
    }
}
