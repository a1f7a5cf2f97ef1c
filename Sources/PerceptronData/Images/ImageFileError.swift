/// Why `ImageFile` cannot give the image(s) of a file, beyond the errors of the format's own
/// reader (`PNGError`, `PGMError`, `IDXError`, `FileError`).
///
/// Every case carries the file's path; `description` is one line saying what is wrong, what was
/// expected, what was found, and what to do.
public enum ImageFileError: Error, CustomStringConvertible, Equatable {
    /// The first bytes (up to 12, enough to tell WebP) are not those of a PNG, JPEG, BMP, PGM or IDX image file.
    case unknownFormat(path: String, found: [UInt8])
    /// An IDX image file holding no images.
    case noImages(path: String)
    /// A file holding several images (an IDX file) where one was expected.
    case severalImages(path: String, count: Int)

    public var description: String {
        switch self {
        case .unknownFormat(let path, let found):
            let guess = ImageFormat.guess(found).map { " (\($0))" } ?? ""
            return "\(path): unknown image format: expected a PNG, JPEG, BMP, PGM (P2 or P5) or IDX image (idx3-ubyte) file, found the bytes \(PNGError.hex(found))\(guess); save or export the image as PNG or JPEG"
        case .noImages(let path):
            return "\(path): the IDX file holds no images: expected at least one; check that it is the right file"
        case .severalImages(let path, let count):
            return "\(path): the file holds \(count) images where one was expected; pass a file with a single image, or read it with `ImageFile.readAll`"
        }
    }
}
