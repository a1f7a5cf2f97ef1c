/// Turns unfiltered PNG scanlines into grey intensities in [0, 1] (0 black, 1 white), as
/// described in `PNGDecoder`: samples scaled by 2^depth − 1, colour to luma
/// 0.299 R + 0.587 G + 0.114 B, and transparency composited over white, v·α + (1 − α).
struct PNGGreyConverter {
    /// The luma weights of ITU-R BT.601.
    static let redWeight = 0.299, greenWeight = 0.587, blueWeight = 0.114

    let header: PNGHeader
    /// The file, for error messages.
    let path: String
    /// The largest sample value, 2^depth − 1.
    let maximum: Int
    /// For bit depths up to 8, the intensity of each sample value, `s / maximum`.
    let levels: [Double]
    /// For palette images, the grey of each palette entry, composited over white.
    let paletteGreys: [Double]
    /// For greyscale images with a tRNS chunk, the sample value that is fully transparent.
    let transparentGrey: Int?
    /// For RGB images with a tRNS chunk, the colour that is fully transparent.
    let transparentColour: (red: Int, green: Int, blue: Int)?

    init(header: PNGHeader, palette: [UInt8]?, transparency: [UInt8]?, path: String) throws {
        self.header = header
        self.path = path
        maximum = (1 << header.bitDepth) - 1
        levels = header.bitDepth <= 8 ? (0...maximum).map { [maximum] in Double($0) / Double(maximum) } : []
        let transparency = transparency ?? []
        let pairs = stride(from: 0, to: transparency.count - 1, by: 2).map { Int(transparency[$0]) << 8 | Int(transparency[$0 + 1]) }
        transparentGrey = header.colourType == .grey && transparency.count == 2 ? pairs[0] : nil
        transparentColour = header.colourType == .rgb && transparency.count == 6 ? (pairs[0], pairs[1], pairs[2]) : nil

        guard header.colourType == .palette else {
            paletteGreys = []
            return
        }
        guard let palette else { throw PNGError.missingPalette(path: path) }
        guard palette.count % 3 == 0, (3...768).contains(palette.count) else {
            throw PNGError.badPalette(path: path, length: palette.count)
        }
        paletteGreys = (0 ..< palette.count / 3).map { entry in
            let luma = Self.luma(Int(palette[3 * entry]), Int(palette[3 * entry + 1]), Int(palette[3 * entry + 2]), maximum: 255)
            let alpha = entry < transparency.count ? Double(transparency[entry]) / 255 : 1
            return Self.overWhite(luma, alpha: alpha)
        }
    }

    /// Appends the intensities of the scanline `row` (unfiltered, without its filter byte; row
    /// `number` of the image) to `pixels`.
    func append(row: [UInt8], number: Int, to pixels: inout [Double]) throws {
        let width = header.width
        switch header.colourType {
        case .grey:
            for x in 0..<width {
                let value = sample(row, x)
                pixels.append(value == transparentGrey ? 1 : intensity(value))
            }
        case .rgb:
            for x in 0..<width {
                let (r, g, b) = (sample(row, 3 * x), sample(row, 3 * x + 1), sample(row, 3 * x + 2))
                if let key = transparentColour, key.red == r, key.green == g, key.blue == b {
                    pixels.append(1)
                } else {
                    pixels.append(Self.luma(r, g, b, maximum: maximum))
                }
            }
        case .palette:
            for x in 0..<width {
                let index = sample(row, x)
                guard index < paletteGreys.count else {
                    throw PNGError.paletteIndexOutOfRange(path: path, row: number, index: index, paletteSize: paletteGreys.count)
                }
                pixels.append(paletteGreys[index])
            }
        case .greyAlpha:
            for x in 0..<width {
                let grey = intensity(sample(row, 2 * x))
                pixels.append(Self.overWhite(grey, alpha: intensity(sample(row, 2 * x + 1))))
            }
        case .rgba:
            for x in 0..<width {
                let luma = Self.luma(sample(row, 4 * x), sample(row, 4 * x + 1), sample(row, 4 * x + 2), maximum: maximum)
                pixels.append(Self.overWhite(luma, alpha: intensity(sample(row, 4 * x + 3))))
            }
        }
    }

    /// The intensity of a sample value, `value / maximum`.
    @inline(__always)
    private func intensity(_ value: Int) -> Double {
        header.bitDepth <= 8 ? levels[value] : Double(value) / Double(maximum)
    }

    /// Sample `index` of the scanline (counting samples, not pixels): 16-bit samples are big-endian,
    /// samples of fewer than 8 bits are packed from the most significant bit of each byte.
    @inline(__always)
    private func sample(_ row: [UInt8], _ index: Int) -> Int {
        switch header.bitDepth {
        case 8:
            return Int(row[index])
        case 16:
            return Int(row[2 * index]) << 8 | Int(row[2 * index + 1])
        default:
            let bit = index * header.bitDepth
            return Int(row[bit >> 3] >> (8 - header.bitDepth - (bit & 7))) & maximum
        }
    }

    /// The luma of a colour whose samples go up to `maximum`, in [0, 1].
    static func luma(_ r: Int, _ g: Int, _ b: Int, maximum: Int) -> Double {
        min(1, (redWeight * Double(r) + greenWeight * Double(g) + blueWeight * Double(b)) / Double(maximum))
    }

    /// `value` with opacity `alpha` composited over white.
    static func overWhite(_ value: Double, alpha: Double) -> Double {
        value * alpha + (1 - alpha)
    }
}
