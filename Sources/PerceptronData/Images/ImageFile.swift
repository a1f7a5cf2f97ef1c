import Foundation

/// Reads an image file of any supported format — PNG, JPEG, BMP, PGM (P2, P5) or IDX images —
/// recognised by its content, not its name (see `ImageFormat`). Gzip-compressed files are
/// decompressed first.
///
/// PNG, JPEG, BMP and PGM files hold one picture, returned as it looks (0 black, 1 white; a JPEG
/// turned upright by its EXIF orientation). Where a `side` is given, a format that can decode at
/// reduced scale does so: JPEG (see `JPEGDecoder`) keeping the longer side at least `side`
/// pixels, PNG that is not interlaced (see `PNGDecoder`) shrinking it to at most `side` as the rows
/// arrive; the others are decoded whole. An IDX image file
/// (such as MNIST's `t10k-images-idx3-ubyte`) holds any number of images of `rows × columns` bytes
/// in MNIST's polarity, 0 background and 255 full ink; each becomes a `GreyImage` with intensity
/// `byte / 255`, that is a light digit on a black background, which `DigitPreprocessing`
/// recognises as such (it decides polarity from the border).
public enum ImageFile {
    /// The one image in the file at `url`; an IDX file must hold exactly one.
    public static func read(url: URL, scaledDownTo side: Int? = nil) throws -> GreyImage {
        try single(readAll(url: url, scaledDownTo: side), path: url.path)
    }

    /// Every image in the file at `url`: one for PNG, JPEG, BMP and PGM, all of an IDX file's (at
    /// least one).
    public static func readAll(url: URL, scaledDownTo side: Int? = nil) throws -> [GreyImage] {
        try decodeAll(FileBytes.read(url), path: url.path, scaledDownTo: side)
    }

    /// The one image in the bytes of a file (an IDX file must hold exactly one). `path` names the
    /// file in error messages.
    public static func decode(_ bytes: [UInt8], path: String, scaledDownTo side: Int? = nil) throws -> GreyImage {
        try single(decodeAll(bytes, path: path, scaledDownTo: side), path: path)
    }

    /// Every image in the bytes of a file: one for PNG, JPEG, BMP and PGM, all of an IDX file's
    /// (at least one). `path` names the file in error messages.
    public static func decodeAll(_ bytes: [UInt8], path: String, scaledDownTo side: Int? = nil) throws -> [GreyImage] {
        var bytes = bytes
        if Gzip.isCompressed(bytes) {
            do {
                bytes = try Gzip.decompress(bytes)
            } catch let problem as GzipError {
                throw FileError.badGzip(path: path, problem: problem)
            }
        }
        switch ImageFormat.detect(bytes) {
        case .png:
            return [try PNGDecoder.decode(bytes, path: path, scaledDownTo: side)]
        case .pgm:
            return [try PGMReader.decode(bytes, path: path)]
        case .jpeg:
            return [try JPEGDecoder.decode(bytes, path: path, scaledDownTo: side)]
        case .bmp:
            return [try BMPDecoder.decode(bytes, path: path)]
        case .idx:
            let images = try IDXReader.readImages(from: bytes, file: path)
            guard images.count > 0 else { throw ImageFileError.noImages(path: path) }
            let size = images.rows * images.columns
            return (0..<images.count).map { index in
                GreyImage(width: images.columns, height: images.rows, bytes: Array(images.pixels[index * size ..< (index + 1) * size]))
            }
        case nil:
            throw ImageFileError.unknownFormat(path: path, found: Array(bytes.prefix(12)))
        }
    }

    /// The only image of `images`.
    private static func single(_ images: [GreyImage], path: String) throws -> GreyImage {
        guard images.count == 1, let image = images.first else {
            throw ImageFileError.severalImages(path: path, count: images.count)
        }
        return image
    }
}
