/// A value with a text form (`normal:-0.1,0.02`, `step:3,0.5`) that is also its JSON form: Codable
/// as that one string.
public protocol TextCodable: Codable, LosslessStringConvertible {
    /// What the text may be, for the error that a bad one gets (`glorot, he, normal:MEAN,STD …`).
    static var expectedForms: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not one of \(Self.expectedForms)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
