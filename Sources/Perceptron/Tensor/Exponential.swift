/// `eˣ` for `Float`, written so that a loop over a buffer vectorises (no branches, no calls).
///
/// ```
/// x = k·ln 2 + r,   k = round(x / ln 2),  |r| ≤ ln 2 / 2
/// eˣ = 2ᵏ · eʳ,     eʳ ≈ 1 + r + r²/2! + … + r⁷/7!   (Horner; relative error < 2·10⁻⁷ on |r| ≤ ln 2 / 2)
/// 2ᵏ is built from its bits: (k + 127) << 23.
/// ```
/// `k` is rounded by adding and subtracting 1.5·2²³ (the float's spacing there is 1, so the sum is
/// rounded to an integer, which then sits in the low bits of the sum's bit pattern): no float-to-int
/// conversion, whose range check would stop the loop from vectorising.
/// `ln 2` is split into a high part exact in float and a low correction (Cody–Waite), so `r` keeps
/// its precision. `x` is clamped to [−87.3, 88], the range where `eˣ` is a normal float: below, the
/// result is about 1.2·10⁻³⁸ instead of a denormal or 0; above, about 1.7·10³⁸ instead of infinity.
/// A NaN stays NaN.
@inlinable @inline(__always)
public func exponential(_ x: Float) -> Float {
    let clamped = x < -87.3 ? -87.3 : (x > 88 ? 88 : x)
    let shifted = clamped * 1.442_695_04 + 12_582_912  // 1.5·2²³
    let k = shifted - 12_582_912
    let r = clamped - k * 0.693_145_75 - k * 1.428_606_8e-6
    var p: Float = 1.0 / 5040
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let kBits = shifted.bitPattern &- 0x4B40_0000  // k as a two's-complement integer
    let scale = Float(bitPattern: (kBits &+ 127) << 23)
    return x.isNaN ? x : p * scale
}
