/// The SHA-256 hash function (FIPS 180-4, section 6.2), used to check that dataset files are
/// exactly the published ones.
///
/// The message is padded to a multiple of 64 bytes: a single `0x80` byte, then zeros, then the
/// message length in bits as a 64-bit big-endian number in the last 8 bytes. Each 64-byte block
/// is expanded into 64 words and mixed into eight 32-bit state words by 64 rounds; the final state,
/// written big-endian, is the 32-byte digest.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        // Hash straight from the collection's memory when it has contiguous storage (arrays,
        // `Data`, array slices); otherwise copy it into an array first.
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(buffer: $0) }) {
            return digest
        }
        return Array(bytes).withUnsafeBufferPointer { hash(buffer: $0) }
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal digits, the form `sha256sum` prints.
    public static func hexDigest(_ bytes: some Collection<UInt8>) -> String {
        hexString(hash(bytes))
    }

    /// `bytes` written as lowercase hexadecimal, two digits per byte.
    public static func hexString(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    // MARK: - The algorithm

    private static func hash(buffer message: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var state = initialState
        var schedule = [UInt32](repeating: 0, count: 64)

        // Whole 64-byte blocks straight from the message.
        let wholeBlocks = message.count / 64
        for block in 0..<wholeBlocks {
            compress(&state, block: UnsafeBufferPointer(rebasing: message[block * 64..<block * 64 + 64]), schedule: &schedule)
        }

        // The rest of the message, the padding and the length: one or two more blocks.
        var tail = Array(message[(wholeBlocks * 64)...])
        tail.append(0x80)
        while tail.count % 64 != 56 {
            tail.append(0)
        }
        let bitLength = UInt64(message.count) &* 8
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift)))
        }
        tail.withUnsafeBufferPointer { tail in
            for start in stride(from: 0, to: tail.count, by: 64) {
                compress(&state, block: UnsafeBufferPointer(rebasing: tail[start..<start + 64]), schedule: &schedule)
            }
        }

        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in state {
            digest.append(UInt8(truncatingIfNeeded: word >> 24))
            digest.append(UInt8(truncatingIfNeeded: word >> 16))
            digest.append(UInt8(truncatingIfNeeded: word >> 8))
            digest.append(UInt8(truncatingIfNeeded: word))
        }
        return digest
    }

    /// Mixes one 64-byte block into the state (FIPS 180-4, 6.2.2). `schedule` is scratch space
    /// for the 64 message-schedule words, passed in so it is allocated once per message.
    private static func compress(_ state: inout [UInt32], block: UnsafeBufferPointer<UInt8>, schedule: inout [UInt32]) {
        schedule.withUnsafeMutableBufferPointer { w in
            // 1. The message schedule: the block as 16 big-endian words, then 48 derived words.
            for t in 0..<16 {
                w[t] = UInt32(block[4 * t]) << 24 | UInt32(block[4 * t + 1]) << 16
                    | UInt32(block[4 * t + 2]) << 8 | UInt32(block[4 * t + 3])
            }
            for t in 16..<64 {
                let s0 = rotateRight(w[t - 15], 7) ^ rotateRight(w[t - 15], 18) ^ (w[t - 15] >> 3)
                let s1 = rotateRight(w[t - 2], 17) ^ rotateRight(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
            }

            // 2. Sixty-four rounds on the working variables a…h.
            var a = state[0], b = state[1], c = state[2], d = state[3]
            var e = state[4], f = state[5], g = state[6], h = state[7]
            roundConstants.withUnsafeBufferPointer { k in
                for t in 0..<64 {
                    let sigma1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25)
                    let choose = (e & f) ^ (~e & g)
                    let t1 = h &+ sigma1 &+ choose &+ k[t] &+ w[t]
                    let sigma0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let t2 = sigma0 &+ majority
                    h = g
                    g = f
                    f = e
                    e = d &+ t1
                    d = c
                    c = b
                    b = a
                    a = t1 &+ t2
                }
            }

            // 3. Add the result into the state.
            state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
            state[4] &+= e; state[5] &+= f; state[6] &+= g; state[7] &+= h
        }
    }

    @inline(__always)
    private static func rotateRight(_ x: UInt32, _ n: UInt32) -> UInt32 {
        (x >> n) | (x << (32 - n))
    }

    /// The first 32 bits of the fractional parts of the square roots of the first 8 primes.
    private static let initialState: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]

    /// The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    private static let roundConstants: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]
}
