/// An sRGB colour, and the colours and colour maps the report's figures share.
public struct Colour: Sendable, Equatable {
    /// Channels in 0…255.
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// `#rrggbb`, as SVG and CSS write it.
    public var hex: String {
        "#" + [red, green, blue].map { channel in
            let digits = String(channel, radix: 16)
            return channel < 16 ? "0" + digits : digits
        }.joined()
    }

    /// The colour a share `t` of the way from `self` to `other` (`t` clamped to 0…1).
    public func mixed(with other: Colour, _ t: Double) -> Colour {
        let t = t.isFinite ? min(max(t, 0), 1) : 0
        func channel(_ a: UInt8, _ b: UInt8) -> UInt8 { UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return Colour(red: channel(red, other.red), green: channel(green, other.green), blue: channel(blue, other.blue))
    }

    public static let white = Colour(red: 255, green: 255, blue: 255)

    // MARK: - The report's colours

    /// The training loss series (blue).
    public static let trainLoss = Colour(red: 0x25, green: 0x63, blue: 0xeb)
    /// The validation loss series (orange).
    public static let validationLoss = Colour(red: 0xea, green: 0x58, blue: 0x0c)
    /// The validation accuracy series (green).
    public static let validationAccuracy = Colour(red: 0x16, green: 0xa3, blue: 0x4a)
    /// Correct predictions in the confusion heat map (green).
    public static let correct = Colour(red: 0x15, green: 0x80, blue: 0x3d)
    /// Mistakes in the confusion heat map (red).
    public static let mistake = Colour(red: 0xdc, green: 0x26, blue: 0x26)
    /// Negative weights (blue).
    public static let negative = Colour(red: 0x21, green: 0x66, blue: 0xac)
    /// Positive weights (red).
    public static let positive = Colour(red: 0xb2, green: 0x18, blue: 0x2b)

    /// The diverging map of the weight tiles: −1 is ``negative``, 0 white, +1 ``positive``.
    public static func diverging(_ value: Double) -> Colour {
        value < 0 ? white.mixed(with: negative, -value) : white.mixed(with: positive, value)
    }
}
