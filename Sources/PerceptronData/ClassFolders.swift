import Foundation
import Perceptron

/// A folder of class folders: `DIR/cat/*.png`, `DIR/dog/*.jpg`, `DIR/3/*.png`.
///
/// Each folder in `DIR` is a class, named by the folder's name; sorted by name (in Unicode
/// order), the folders give the labels 0, 1, 2, …. Every file in a class folder, in name order,
/// is read as `predict` reads an image (``ImageFile/readAll(url:scaledDownTo:)``: any format it
/// knows, by content, a large JPEG at reduced scale to ``DigitPreprocessing/workingSide``; each
/// image of an IDX file counts) and made into the network's input as `predict` makes it
/// (``DigitPreprocessing/networkInput(from:)``: a photo cleaned, then a 28 × 28 digit in MNIST's form), so a
/// network trained here reads pictures as `predict` shows them to it. Hidden entries (names
/// starting with `.`) and files beside the class folders are skipped; a folder inside a class
/// folder is refused, as is a class folder without images, and a name with a comma or a line
/// break (the model file keeps the names comma-separated).
public enum ClassFolders {
    /// The labelled images of the class folders in `directory`, as a data set without a test set.
    public static func read(from directory: URL) throws -> DatasetSplits {
        let classes = classNames(in: directory)
        guard classes.count >= 2 else { throw ClassFoldersError.tooFewClasses(path: directory.path, names: classes) }
        guard classes.count <= 256 else { throw ClassFoldersError.tooManyClasses(path: directory.path, count: classes.count) }
        if let bad = classes.first(where: { $0.contains(",") || $0.contains("\n") || $0.contains("\r") }) {
            throw ClassFoldersError.badName(path: directory.appendingPathComponent(bad).path)
        }
        var images: [UInt8] = []
        var labels: [UInt8] = []
        for (label, name) in classes.enumerated() {
            let folder = directory.appendingPathComponent(name, isDirectory: true)
            let before = labels.count
            for file in try visibleEntries(of: folder) {
                let url = folder.appendingPathComponent(file)
                guard !isFolder(url) else { throw ClassFoldersError.nestedFolder(path: url.path) }
                for image in try ImageFile.readAll(url: url, scaledDownTo: DigitPreprocessing.workingSide) {
                    images += DigitPreprocessing.networkInput(from: image)
                    labels.append(UInt8(label))
                }
            }
            guard labels.count > before else { throw ClassFoldersError.emptyClass(path: folder.path) }
        }
        let side = DigitPreprocessing.side
        return DatasetSplits(train: LabeledImages(images: images, labels: labels, rows: side, columns: side), test: nil,
                             classes: classes, dataset: .custom)
    }

    /// The names of the folders in `directory` that are not hidden, sorted; none if it is not a folder.
    public static func classNames(in directory: URL) -> [String] {
        ((try? visibleEntries(of: directory)) ?? []).filter { isFolder(directory.appendingPathComponent($0)) }
    }

    /// The names in `folder` that do not start with `.`, sorted.
    private static func visibleEntries(of folder: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        } catch {
            throw FileError.unreadable(path: folder.path, reason: FileBytes.reasonText(error))
        }
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
