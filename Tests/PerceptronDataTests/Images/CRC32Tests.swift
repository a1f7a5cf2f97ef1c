import Testing
import PerceptronData

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

    @Test("checksumming in pieces gives the checksum of the whole")
    func pieces() {
        let bytes = pseudoRandomBytes(1000, seed: 7)
        let register = CRC32.update(CRC32.update(CRC32.start, with: bytes[..<333]), with: bytes[333...])
        #expect(CRC32.finish(register) == CRC32.checksum(bytes))
        #expect(CRC32.checksum(bytes) != CRC32.checksum(bytes.dropLast()))
    }
}
