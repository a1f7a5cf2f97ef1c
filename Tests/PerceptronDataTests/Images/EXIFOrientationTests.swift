import Testing
import PerceptronData

@Suite("EXIF orientation")
struct EXIFOrientationTests {
    /// A JPEG start, an APP1 segment holding `tiff` after "Exif\0\0", and the start of the image data.
    private func jpeg(tiff: [UInt8], before: [[UInt8]] = []) -> [UInt8] {
        let data = Array("Exif".utf8) + [0, 0] + tiff
        let length = data.count + 2
        return [0xFF, 0xD8] + before.flatMap { $0 } + [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + data + [0xFF, 0xDA, 0, 2]
    }

    /// TIFF data with one IFD0 entry: `tag` of `type`, count 1, value `value`.
    private func tiff(littleEndian: Bool, tag: UInt16 = 0x0112, type: UInt16 = 3, value: UInt16, entries: UInt16 = 1) -> [UInt8] {
        func u16(_ v: UInt16) -> [UInt8] { littleEndian ? [UInt8(v & 0xFF), UInt8(v >> 8)] : [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func u32(_ v: UInt32) -> [UInt8] { littleEndian ? u16(UInt16(v & 0xFFFF)) + u16(UInt16(v >> 16)) : u16(UInt16(v >> 16)) + u16(UInt16(v & 0xFFFF)) }
        let order: [UInt8] = littleEndian ? [0x49, 0x49] : [0x4D, 0x4D]
        return order + u16(42) + u32(8) + u16(entries) + u16(tag) + u16(type) + u32(1) + u16(value) + [0, 0] + u32(0)
    }

    @Test("the orientation tag is read in either byte order, after other segments")
    func readsTheTag() {
        let app0: [UInt8] = [0xFF, 0xE0, 0, 6] + Array("JFIF".utf8)
        for value in 1...8 {
            #expect(EXIFOrientation.find(in: jpeg(tiff: tiff(littleEndian: true, value: UInt16(value)))).rawValue == value)
            #expect(EXIFOrientation.find(in: jpeg(tiff: tiff(littleEndian: false, value: UInt16(value)), before: [app0])).rawValue == value)
        }
    }

    @Test("absent, out-of-range and damaged EXIF data mean upright",
          arguments: [0, 1, 2, 3, 4, 5, 6, 7])
    func damaged(case number: Int) {
        let good = jpeg(tiff: tiff(littleEndian: true, value: 6))
        let files: [[UInt8]] = [
            [0xFF, 0xD8, 0xFF, 0xDA, 0, 2],                                   // no EXIF
            jpeg(tiff: tiff(littleEndian: true, value: 9)),                     // value 9
            jpeg(tiff: tiff(littleEndian: true, type: 4, value: 6)),            // not a SHORT
            jpeg(tiff: tiff(littleEndian: true, tag: 0x0110, value: 6)),        // another tag
            jpeg(tiff: tiff(littleEndian: true, tag: 0x0110, value: 6, entries: 60000)),  // entries beyond the end
            jpeg(tiff: [0x49, 0x4D] + Array(tiff(littleEndian: true, value: 6).dropFirst(2))),  // bad byte order
            Array(good.prefix(20)),                                             // cut inside the segment
            [0xFF, 0xD8] + [0xFF, 0xE1, 0xFF, 0xFF] + Array(good.dropFirst(6)), // a length past the end
        ]
        #expect(EXIFOrientation.find(in: files[number]) == .identity)
    }

    @Test("upright: each orientation moves the stored pixels as the EXIF table says")
    func transforms() {
        // Stored 3 × 2:  a b c
        //                d e f
        let stored = Array("abcdef")
        let expected: [EXIFOrientation: (String, Int, Int)] = [
            .identity: ("abcdef", 3, 2), .flipHorizontal: ("cbafed", 3, 2), .rotate180: ("fedcba", 3, 2),
            .flipVertical: ("defabc", 3, 2), .transpose: ("adbecf", 2, 3), .rotate90Clockwise: ("daebfc", 2, 3),
            .transverse: ("fcebda", 2, 3), .rotate90CounterClockwise: ("cfbead", 2, 3),
        ]
        for orientation in EXIFOrientation.allCases {
            let turned = orientation.upright(stored, width: 3, height: 2)
            let (pixels, width, height) = expected[orientation]!
            #expect(String(turned.pixels) == pixels && turned.width == width && turned.height == height, "\(orientation)")
            #expect(orientation.swapsSides == (width == 2))
        }
    }
}
