/// Writes binary PGM (P5) files (see `PGMReader` for the format) with maxval 255:
/// the header `P5\n<width> <height>\n255\n` and then one byte per pixel, row by row.
///
/// The arguments come from the program, not from a file: a pixel count that does not match the
/// size is a programming error and stops the program.
public enum PGMWriter {
    /// A P5 file of `width × height` bytes, row-major, 0 = black and 255 = white.
    public static func encode(grey8 pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        precondition(width > 0 && height > 0 && pixels.count == width * height,
                     "a \(width)×\(height) PGM image needs \(width * height) bytes, not \(pixels.count)")
        return Array("P5\n\(width) \(height)\n255\n".utf8) + pixels
    }

    /// A P5 file of `image`, intensities rounded to bytes (see `GreyImage.bytes`).
    public static func encode(_ image: GreyImage) -> [UInt8] {
        encode(grey8: image.bytes, width: image.width, height: image.height)
    }
}
