#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Perceptron

/// Elastic distortion (Simard, Steinkraus and Platt, 2003): a smooth random field that moves where
/// each pixel reads the source, like the wobble of a hand that writes.
///
/// ```
/// u(x) = (uₓ(x), u_y(x))     each component uniform in [−1, 1), independent for every pixel; 0 outside the image
/// d(x) = α · (G_σ * u)(x)    the displacement field, in pixels                              [rows, columns] × 2
/// G_σ(k) = g(kₓ) · g(k_y)    g(k) = exp(−k² / 2σ²) / Σ_{|j|≤r} exp(−j² / 2σ²),  |k| ≤ r = ⌈3σ⌉
/// ```
/// The Gaussian is separable, so the smoothing is one pass down the columns and one along the rows
/// with the 1-D kernel `g`, `(2r + 1)` taps each instead of `(2r + 1)²`. `g` sums to 1 (the field is
/// not normalised afterwards, as in the usual reimplementations of Simard's method), so
/// `G_σ * u` averages about `4πσ²` independent values and, away from the borders, each component of
/// `d` has mean 0 and standard deviation `α · Σₖ g(k)² / √3` (≈ `0.0407 α` for σ = 4: Simard's
/// α = 34, σ = 4 moves pixels by about 1.4 pixels, smoothly, over a scale of a few pixels).
public struct ElasticDistortion: Sendable, Equatable {
    /// α: the field's scale, in pixels.
    public let alpha: Double
    /// σ: the smoothing Gaussian's standard deviation, in pixels.
    public let sigma: Double
    /// `g(0), g(1), …, g(r)`: half of the symmetric, normalised kernel (`g(0) + 2 Σ_{k≥1} g(k) = 1`).
    public let kernel: [Float]

    /// The distortion of scale `alpha ≥ 0` and smoothness `sigma` (0 < σ ≤ 100 pixels).
    public init(alpha: Double, sigma: Double) {
        precondition(alpha >= 0 && alpha.isFinite, "α must be finite and ≥ 0, not \(alpha)")
        precondition(sigma > 0 && sigma <= 100, "σ must be in (0, 100], not \(sigma)")
        self.alpha = alpha
        self.sigma = sigma
        let radius = Int((3 * sigma).rounded(.up))
        let weights = (0...radius).map { k in exp(-Double(k * k) / (2 * sigma * sigma)) }
        let total = weights[0] + 2 * weights.dropFirst().reduce(0, +)
        kernel = weights.map { Float($0 / total) }
    }

    /// `r = ⌈3σ⌉`, where the kernel is cut off.
    public var radius: Int { kernel.count - 1 }

    /// A fresh field `d = α·(G_σ * u)` for a `rows × columns` image, `u` drawn from `generator`.
    public func displacement(rows: Int, columns: Int, using generator: inout SplitMix64) -> DisplacementField {
        precondition(rows > 0 && columns > 0, "an image of \(rows) × \(columns) pixels has no field")
        let scratch = Scratch(rows: rows, columns: columns, radius: radius)
        let stride = scratch.stride
        let x = UnsafeMutablePointer<Float>.allocate(capacity: rows * stride)
        let y = UnsafeMutablePointer<Float>.allocate(capacity: rows * stride)
        defer { x.deallocate(); y.deallocate() }
        draw(using: &generator, scratch: scratch, x: x, y: y)
        // Without the rows' padding.
        let compact = { (d: UnsafeMutablePointer<Float>) in
            (0..<rows * columns).map { i in d[i / columns * stride + i % columns] }
        }
        return DisplacementField(rows: rows, columns: columns, x: compact(x), y: compact(y))
    }

    /// The memory that ``draw(using:scratch:x:y:)`` works in, allocated once and used for image
    /// after image of one size.
    ///
    /// Every row is `stride` values long, `columns` rounded up to a multiple of 8, so the loops over
    /// a row have whole SIMD vectors of work and no remainder; the values past `columns` are 0 in
    /// the noise and ignored in the result.
    final class Scratch {
        let rows: Int, columns: Int
        /// The length of a row: `columns` rounded up to a multiple of 8.
        let stride: Int
        /// How far the row pass reaches: taps farther than the image is wide only ever meet zeros.
        let reach: Int
        /// `uₓ` then `u_y`, `rows × stride` each, 0 past `columns`.
        let noise: UnsafeMutablePointer<Float>
        /// The two components after the column pass, each row framed by `reach` zeros on either
        /// side: `rows × (reach + stride + reach)` each; the frames are never written.
        let padded: UnsafeMutablePointer<Float>
        var paddedWidth: Int { stride + 2 * reach }

        init(rows: Int, columns: Int, radius: Int) {
            self.rows = rows
            self.columns = columns
            stride = Self.stride(columns: columns)
            reach = min(radius, columns - 1)
            noise = .allocate(capacity: 2 * rows * stride)
            noise.initialize(repeating: 0, count: 2 * rows * stride)
            padded = .allocate(capacity: 2 * rows * (stride + 2 * reach))
            padded.initialize(repeating: 0, count: 2 * rows * (stride + 2 * reach))
        }

        deinit {
            noise.deallocate()
            padded.deallocate()
        }

        /// `columns` rounded up to a multiple of 8.
        static func stride(columns: Int) -> Int { (columns + 7) / 8 * 8 }
    }

    /// Draws `u` from `generator` (one 64-bit draw per pixel, row by row: its low half is `uₓ`, its
    /// high half `u_y`) and writes the two components of `d = α·(G_σ * u)` to `x` and `y`, each
    /// `rows × stride` (the scratch's rows and stride).
    func draw(using generator: inout SplitMix64, scratch: Scratch, x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>) {
        let rows = scratch.rows, columns = scratch.columns, stride = scratch.stride
        let noiseX = scratch.noise, noiseY = scratch.noise + rows * stride
        // Draw n of the generator is SplitMix64(seed: s + n·γ).next() for its state s and its increment
        // γ: computed so, the draws of a row vectorise, and the generator ends as after all the draws.
        let start = generator.state, increment = Self.increment
        for row in 0..<rows {
            let first = start &+ UInt64(row * columns) &* increment
            for column in 0..<columns {
                var draw = SplitMix64(seed: first &+ UInt64(column) &* increment)
                let bits = draw.next()
                noiseX[row * stride + column] = Float(Int32(truncatingIfNeeded: bits)) * 0x1p-31
                noiseY[row * stride + column] = Float(Int32(truncatingIfNeeded: bits >> 32)) * 0x1p-31
            }
        }
        generator = SplitMix64(seed: start &+ UInt64(rows * columns) &* increment)
        smooth(scratch: scratch, into: Pair(x, y))
    }

    /// γ, what SplitMix64 adds to its state at every draw.
    private static let increment: UInt64 = {
        var generator = SplitMix64(seed: 0)
        _ = generator.next()
        return generator.state
    }()

    /// `α·(G_σ * u)` for both components of the noise in `scratch` (zero outside the image): the
    /// column pass into the padded rows, then the row pass, which folds in `α`. Both use the kernel's
    /// symmetry, `g(k)·(u₋ₖ + uₖ)`, and run over whole rows of `stride` values, eight at a time, the
    /// two components side by side.
    private func smooth(scratch: Scratch, into out: Pair) {
        let rows = scratch.rows, stride = scratch.stride, reach = scratch.reach, width = scratch.paddedWidth
        let radius = self.radius
        let u = Pair(scratch.noise, scratch.noise + rows * stride)
        let padded = Pair(scratch.padded, scratch.padded + rows * width)
        kernel.withUnsafeBufferPointer { g in
            // Column pass: v(x, y) = Σ_k g(k) u(x, y + k), u = 0 outside the image.
            for row in 0..<rows {
                let v = padded + (row * width + reach)
                Pair.set(v, to: u + row * stride, times: g[0], count: stride)
                for k in 1...radius {
                    switch (row - k >= 0, row + k < rows) {
                    case (true, true): Pair.add(u + (row - k) * stride, plus: u + (row + k) * stride, times: g[k], to: v, count: stride)
                    case (true, false): Pair.add(u + (row - k) * stride, plus: nil, times: g[k], to: v, count: stride)
                    case (false, true): Pair.add(u + (row + k) * stride, plus: nil, times: g[k], to: v, count: stride)
                    case (false, false): break
                    }
                }
            }
            // Row pass: d(x, y) = α Σ_k g(k) v(x + k, y), the frames supplying the zeros outside.
            let alpha = Float(self.alpha)
            for row in 0..<rows {
                let v = padded + (row * width + reach)
                let d = out + row * stride
                Pair.set(d, to: v, times: alpha * g[0], count: stride)
                if reach > 0 {
                    for k in 1...reach { Pair.add(v + -k, plus: v + k, times: alpha * g[k], to: d, count: stride) }
                }
            }
        }
    }

    /// The same place in the x and the y component, and the loops of the smoothing over both: rows
    /// whose length is a multiple of 8, as SIMD vectors of 8. Written out because the compiler does
    /// not vectorise them by itself (it cannot tell that rows do not overlap). A multiply, then an
    /// add, not a fused multiply-add: a build for any x86-64 CPU (no FMA instruction) makes each
    /// lane of `addingProduct` a call to libm's `fmaf` (then 80 % of an augmented epoch's time).
    private struct Pair {
        let x: UnsafeMutablePointer<Float>
        let y: UnsafeMutablePointer<Float>

        init(_ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
            self.x = x
            self.y = y
        }

        static func + (pair: Pair, offset: Int) -> Pair { Pair(pair.x + offset, pair.y + offset) }

        /// `target = w·a`
        @inline(__always)
        static func set(_ target: Pair, to a: Pair, times w: Float, count: Int) {
            var i = 0
            while i < count {
                store(w * load(a.x + i), at: target.x + i)
                store(w * load(a.y + i), at: target.y + i)
                i += 8
            }
        }

        /// `target += w·(a + b)`, or `target += w·a` without `b`.
        @inline(__always)
        static func add(_ a: Pair, plus b: Pair?, times w: Float, to target: Pair, count: Int) {
            let weight = SIMD8<Float>(repeating: w)
            var i = 0
            if let b {
                while i < count {
                    store(load(target.x + i) + weight * (load(a.x + i) + load(b.x + i)), at: target.x + i)
                    store(load(target.y + i) + weight * (load(a.y + i) + load(b.y + i)), at: target.y + i)
                    i += 8
                }
            } else {
                while i < count {
                    store(load(target.x + i) + weight * load(a.x + i), at: target.x + i)
                    store(load(target.y + i) + weight * load(a.y + i), at: target.y + i)
                    i += 8
                }
            }
        }

        @inline(__always)
        private static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
            UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
        }

        @inline(__always)
        private static func store(_ value: SIMD8<Float>, at p: UnsafeMutablePointer<Float>) {
            UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
        }
    }
}

/// Where each pixel reads the source, relative to where it would read without the field: pixel
/// `(x, y)` reads at `x' + (self.x[i], self.y[i])`, `i = y·columns + x`, in pixels.
///
/// A positive `x` component reads from the right, so it moves that part of the content left.
public struct DisplacementField: Sendable, Equatable {
    /// The image's height, in pixels.
    public let rows: Int
    /// The image's width, in pixels: row `y` of ``x`` and ``y`` starts at index `y·columns`.
    public let columns: Int
    /// The horizontal components, row-major, `rows × columns`.
    public var x: [Float]
    /// The vertical components (positive reads from below), row-major, `rows × columns`.
    public var y: [Float]

    /// The field of these components, `rows × columns` of each, row-major; both sizes must be positive.
    public init(rows: Int, columns: Int, x: [Float], y: [Float]) {
        precondition(rows > 0 && columns > 0 && x.count == rows * columns && y.count == rows * columns,
                     "a field of \(rows) × \(columns) needs \(rows * columns) components of each kind, not \(x.count) and \(y.count)")
        self.rows = rows
        self.columns = columns
        self.x = x
        self.y = y
    }

    /// The same displacement `(dx, dy)` at every pixel.
    public init(rows: Int, columns: Int, constant dx: Float, _ dy: Float) {
        self.init(rows: rows, columns: columns, x: Array(repeating: dx, count: rows * columns),
                  y: Array(repeating: dy, count: rows * columns))
    }
}
