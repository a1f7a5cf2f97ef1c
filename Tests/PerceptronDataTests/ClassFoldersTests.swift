import Foundation
import Testing
import Perceptron
import PerceptronData

@Suite("Class folders")
struct ClassFoldersTests {
    /// A 12×10 picture: a dark bar on white, its position set by `shift`.
    func picture(_ shift: Int) -> [UInt8] {
        (0..<120).map { index in (index % 10 == 2 + shift || index % 10 == 3 + shift) && index / 10 > 1 ? 20 : 240 }
    }

    /// `DIR/dog/{a.png, b.pgm}`, `DIR/cat/c.png`, a hidden file, and a file beside the class folders.
    func writeFolders() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for name in ["dog", "cat"] {
            try FileManager.default.createDirectory(at: directory.url.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        try directory.write(PNGEncoder.encode(grey8: picture(0), width: 10, height: 12), to: "dog/a.png")
        try directory.write(PGMWriter.encode(grey8: picture(3), width: 10, height: 12), to: "dog/b.pgm")
        try directory.write(PNGEncoder.encode(grey8: picture(5), width: 10, height: 12), to: "cat/c.png")
        try directory.write("not an image", to: "cat/.DS_Store")
        try directory.write("about these images", to: "README.txt")
        return directory
    }

    @Test("the folders, sorted by name, are the classes; each image is preprocessed to 28×28 as predict does it")
    func readsClasses() throws {
        let directory = try writeFolders()
        let data = try ClassFolders.read(from: directory.url)
        #expect(data.classes == ["cat", "dog"])
        #expect(data.train.labels == [0, 1, 1])
        #expect(data.train.rows == 28 && data.train.columns == 28)
        #expect(data.test == nil)
        #expect(data.dataset == .custom)
        let files = ["cat/c.png", "dog/a.png", "dog/b.pgm"]
        for (index, file) in files.enumerated() {
            let expected = DigitPreprocessing.networkInput(from: try ImageFile.read(url: directory.url.appendingPathComponent(file)))
            #expect(Array(data.train.pixels(of: index)) == expected)
        }
        #expect(try DataLayout(of: directory.url) == .classFolders)
        #expect(try loadDataset(nil, from: directory.url).train == data.train)
    }

    @Test("a folder inside a class folder is refused, named")
    func nestedFolder() throws {
        let directory = try writeFolders()
        let nested = directory.url.appendingPathComponent("dog/puppies")
        try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
        #expect(throws: ClassFoldersError.nestedFolder(path: nested.path)) { try ClassFolders.read(from: directory.url) }
    }

    @Test("a class folder without images is refused, named")
    func emptyClass() throws {
        let directory = try writeFolders()
        let empty = directory.url.appendingPathComponent("emu", isDirectory: true)
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let error = try #require(throws: ClassFoldersError.self) { try ClassFolders.read(from: directory.url) }
        #expect(error == .emptyClass(path: empty.path))
    }

    @Test("a file that is not an image is refused with the image reader's error, naming it")
    func notAnImage() throws {
        let directory = try writeFolders()
        let url = try directory.write("cat notes", to: "cat/notes.txt")
        let error = try #require(throws: ImageFileError.self) { try ClassFolders.read(from: directory.url) }
        #expect(error.description.contains(url.path))
    }

    @Test("one class folder is not enough to learn from; a comma in a class's name cannot be kept")
    func badClasses() throws {
        let one = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: one.url.appendingPathComponent("cat"), withIntermediateDirectories: true)
        #expect(throws: ClassFoldersError.tooFewClasses(path: one.url.path, names: ["cat"])) { try ClassFolders.read(from: one.url) }

        let comma = try writeFolders()
        try FileManager.default.createDirectory(at: comma.url.appendingPathComponent("cats,dogs"), withIntermediateDirectories: true)
        let error = try #require(throws: ClassFoldersError.self) { try ClassFolders.read(from: comma.url) }
        #expect(error == .badName(path: comma.url.appendingPathComponent("cats,dogs").path))
    }
}
