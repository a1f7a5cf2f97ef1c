import Testing
import Perceptron

@Suite("CRC-32")
struct CRC32Tests {
    @Test("the check value of \"123456789\" is 0xCBF43926")
    func checkValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test("the CRC of no bytes is 0, and of the IEND chunk type is the well-known AE 42 60 82")
    func knownValues() {
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("IEND".utf8)) == 0xAE42_6082)
    }

    @Test("any collection of bytes gives the checksum of the same bytes in an array, and one byte more changes it")
    func collections() {
        var generator = SplitMix64(seed: 7)
        let bytes = (0..<1000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        #expect(CRC32.checksum(bytes[333...]) == CRC32.checksum(Array(bytes[333...])))
        #expect(CRC32.checksum(bytes.reversed()) == CRC32.checksum(Array(bytes.reversed())))
        #expect(CRC32.checksum(bytes) != CRC32.checksum(bytes.dropLast()))
    }
}
