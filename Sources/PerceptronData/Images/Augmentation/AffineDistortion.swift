#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Perceptron

/// An affine map of an image's content about the image's centre: scaled, then sheared, then
/// rotated, then shifted.
///
/// Coordinates are in pixels, `x` along a row (to the right) and `y` down the columns, with pixel
/// `(x, y)` at integer coordinates; `c = ((columns − 1)/2, (rows − 1)/2)` is the centre of the image.
/// ```
/// S = [sx 0; 0 sy]                       scale each axis (1 keeps the size)
/// H = [1 k; 0 1]                         shear: x moves by k·y, so k > 0 slants strokes like \, k < 0 like /
/// R = [cos θ  sin θ; −sin θ  cos θ]      rotate by θ, counterclockwise as seen on the screen
/// F = R · H · S
/// content:   p ↦ F (p − c) + c + t        t = (shiftX, shiftY), right and down
/// sampling:  x' = A (x − c − t) + c,  A = F⁻¹      where output pixel x reads the source
/// ```
/// The image is drawn by the sampling form: each output pixel `x` takes the source's value at `x'`
/// (bilinearly, see `BilinearSampling.swift`), so every output pixel gets a value and none is left as a hole.
public struct AffineDistortion: Sendable, Equatable {
    /// `F`, the map of the content, row-major: `[[m11, m12], [m21, m22]]`.
    public let m11: Double, m12: Double, m21: Double, m22: Double
    /// `t`, in pixels: positive moves the content right and down.
    public let shiftX: Double, shiftY: Double

    /// The content rotated by `rotation` degrees (counterclockwise on the screen), scaled by
    /// `scaleX` along rows and `scaleY` down columns, sheared by `shear` and moved by
    /// (`shiftX`, `shiftY`) pixels. The scales must be positive.
    public init(rotation: Double = 0, scaleX: Double = 1, scaleY: Double = 1, shear: Double = 0,
                shiftX: Double = 0, shiftY: Double = 0) {
        precondition(scaleX > 0 && scaleY > 0 && scaleX.isFinite && scaleY.isFinite,
                     "scales must be positive and finite, not \(scaleX), \(scaleY)")
        precondition(rotation.isFinite && shear.isFinite && shiftX.isFinite && shiftY.isFinite,
                     "an affine distortion needs finite parameters")
        let (cosine, sine) = Self.cosineAndSine(degrees: rotation)
        // R · H · S with H·S = [sx  k·sy; 0  sy].
        m11 = cosine * scaleX
        m12 = cosine * shear * scaleY + sine * scaleY
        m21 = -sine * scaleX
        m22 = -sine * shear * scaleY + cosine * scaleY
        self.shiftX = shiftX
        self.shiftY = shiftY
    }

    /// The map that changes nothing.
    public static let identity = AffineDistortion()

    /// A random distortion within `augmentation`'s limits: θ, the two scales' changes, the shear and
    /// the shift's two components each uniform in `[−limit, limit)`, drawn in that order (six draws,
    /// also for the parts that are off, so each part's draw does not depend on the others).
    init(drawnWithin augmentation: Augmentation, using generator: inout SplitMix64) {
        func uniform(_ limit: Double) -> Double { (2 * generator.nextUnitDouble() - 1) * limit }
        let rotation = uniform(augmentation.rotation)
        let scaleX = 1 + uniform(augmentation.scale)
        let scaleY = 1 + uniform(augmentation.scale)
        let shear = uniform(augmentation.shear)
        let shiftX = uniform(augmentation.shift)
        let shiftY = uniform(augmentation.shift)
        self.init(rotation: rotation, scaleX: scaleX, scaleY: scaleY, shear: shear, shiftX: shiftX, shiftY: shiftY)
    }

    /// The sampling map `x' = A (x − c − t) + c` written as `x' = A·x + b`, in `Float` for an image
    /// of `rows × columns`: `(a11, a12, a21, a22, b1, b2)`.
    func sampling(rows: Int, columns: Int) -> (a11: Float, a12: Float, a21: Float, a22: Float, bx: Float, by: Float) {
        let determinant = m11 * m22 - m12 * m21
        let (a11, a12, a21, a22) = (m22 / determinant, -m12 / determinant, -m21 / determinant, m11 / determinant)
        let cx = Double(columns - 1) / 2, cy = Double(rows - 1) / 2
        // A (x − c − t) + c = A·x + (c − A (c + t))
        let bx = cx - (a11 * (cx + shiftX) + a12 * (cy + shiftY))
        let by = cy - (a21 * (cx + shiftX) + a22 * (cy + shiftY))
        return (Float(a11), Float(a12), Float(a21), Float(a22), Float(bx), Float(by))
    }

    /// cos θ and sin θ for θ in degrees, exact at multiples of 90° (so quarter turns map pixels onto pixels).
    private static func cosineAndSine(degrees: Double) -> (Double, Double) {
        let quarterTurns = degrees / 90
        if quarterTurns == quarterTurns.rounded(), abs(quarterTurns) < 1e15 {
            switch Int(quarterTurns) % 4 {
            case 0: return (1, 0)
            case 1, -3: return (0, 1)
            case 2, -2: return (-1, 0)
            default: return (0, -1)
            }
        }
        let theta = degrees * Double.pi / 180
        return (cos(theta), sin(theta))
    }
}
