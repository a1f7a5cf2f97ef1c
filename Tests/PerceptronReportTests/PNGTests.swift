@testable import PerceptronReport
import Testing

@Suite("PNG encoder")
struct PNGTests {
    @Test("CRC-32 and Adler-32 give the published check values")
    func checksums() {
        #expect(PNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(PNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(PNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    @Test("a greyscale image decodes back to its pixels")
    func greyscaleRoundTrip() throws {
        let pixels: [UInt8] = (0..<12).map { UInt8($0 * 20) }
        let decoded = try Decoded(PNG.greyscale(width: 4, height: 3, pixels: pixels))
        #expect(decoded.width == 4 && decoded.height == 3)
        #expect(decoded.colourType == 0)
        #expect(decoded.samples == pixels)
        #expect(decoded.palette == nil)
    }

    @Test("an indexed image carries its palette and indices")
    func indexedRoundTrip() throws {
        let palette = [Colour.white, Colour(red: 1, green: 2, blue: 3)]
        let decoded = try Decoded(PNG.indexed(width: 2, height: 2, indices: [0, 1, 1, 0], palette: palette))
        #expect(decoded.colourType == 3)
        #expect(decoded.palette == [255, 255, 255, 1, 2, 3])
        #expect(decoded.samples == [0, 1, 1, 0])
    }

    @Test("data longer than one stored block is split into blocks of at most 65,535 bytes")
    func manyBlocks() throws {
        let pixels = (0..<(300 * 300)).map { UInt8($0 % 251) }
        let decoded = try Decoded(PNG.greyscale(width: 300, height: 300, pixels: pixels))
        #expect(decoded.samples == pixels)
        #expect(decoded.blocks == 2)
    }

    /// A PNG read back chunk by chunk, checking every CRC, the zlib header, the stored blocks and the
    /// Adler-32, and removing the filter bytes (all 0).
    struct Decoded {
        var width = 0, height = 0, colourType: UInt8 = 255
        var palette: [UInt8]?
        var samples: [UInt8] = []
        var blocks = 0

        struct Invalid: Error { let reason: String }

        init(_ png: [UInt8]) throws {
            guard png.prefix(8) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] else { throw Invalid(reason: "signature") }
            func uint32(_ at: Int) -> Int { png[at ..< at + 4].reduce(0) { $0 << 8 | Int($1) } }
            var offset = 8
            var zlib: [UInt8] = []
            var types: [String] = []
            while offset < png.count {
                let length = uint32(offset)
                let typed = Array(png[offset + 4 ..< offset + 8 + length])
                guard PNG.crc32(typed) == UInt32(uint32(offset + 8 + length)) else { throw Invalid(reason: "CRC") }
                let type = String(decoding: typed.prefix(4), as: UTF8.self)
                let data = Array(typed.dropFirst(4))
                types.append(type)
                switch type {
                case "IHDR":
                    width = data[0 ..< 4].reduce(0) { $0 << 8 | Int($1) }
                    height = data[4 ..< 8].reduce(0) { $0 << 8 | Int($1) }
                    guard data[8] == 8 else { throw Invalid(reason: "bit depth") }
                    colourType = data[9]
                case "PLTE": palette = data
                case "IDAT": zlib += data
                default: break
                }
                offset += 12 + length
            }
            guard types.first == "IHDR", types.last == "IEND" else { throw Invalid(reason: "chunk order \(types)") }
            guard (Int(zlib[0]) << 8 | Int(zlib[1])) % 31 == 0, zlib[0] & 0x0F == 8 else { throw Invalid(reason: "zlib header") }
            var position = 2
            var inflated: [UInt8] = []
            var last = false
            while !last {
                last = zlib[position] & 1 == 1
                guard zlib[position] >> 1 == 0 else { throw Invalid(reason: "not a stored block") }
                let length = Int(zlib[position + 1]) | Int(zlib[position + 2]) << 8
                let complement = Int(zlib[position + 3]) | Int(zlib[position + 4]) << 8
                guard length ^ complement == 0xFFFF else { throw Invalid(reason: "LEN/NLEN") }
                inflated += zlib[position + 5 ..< position + 5 + length]
                position += 5 + length
                blocks += 1
            }
            let adler = zlib[position ..< position + 4].reduce(0) { $0 << 8 | UInt32($1) }
            guard adler == PNG.adler32(inflated) else { throw Invalid(reason: "Adler-32") }
            for row in 0..<height {
                let start = row * (width + 1)
                guard inflated[start] == 0 else { throw Invalid(reason: "filter") }
                samples += inflated[start + 1 ..< start + 1 + width]
            }
        }
    }
}
