/// Why a CSV file of labelled images could not be read (see `CSVReader` for the format).
///
/// Every case names the file and, where it applies, the 1-based line and field; `description`
/// is one line saying what is wrong, what was expected, and what was found.
public enum CSVError: Error, CustomStringConvertible, Equatable {
    /// The file holds no examples (it is empty or has only a header line).
    case noExamples(path: String)
    /// A line has the wrong number of comma-separated fields.
    case wrongFieldCount(path: String, line: Int, expected: Int, found: Int)
    /// A field is not a decimal integer (`text` is the field, shortened if long).
    case notAnInteger(path: String, line: Int, field: Int, text: String)
    /// A pixel value outside 0...255.
    case pixelOutOfRange(path: String, line: Int, field: Int, text: String)
    /// A label outside 0...9.
    case labelOutOfRange(path: String, line: Int, text: String)

    public var description: String {
        let fix = "expected lines of the form `label,pixel1,…` with a label 0–9 and pixels 0–255"
        switch self {
        case .noExamples(let path):
            return "\(path): no examples: the file is empty or holds only a header line; \(fix)"
        case .wrongFieldCount(let path, let line, let expected, let found):
            return "\(path):\(line): wrong number of fields: expected \(expected) (a label and \(expected - 1) pixels), found \(found); the file is damaged or holds images of another size"
        case .notAnInteger(let path, let line, let field, let text):
            return "\(path):\(line): field \(field) is \"\(text)\", not an integer; \(fix)"
        case .pixelOutOfRange(let path, let line, let field, let text):
            return "\(path):\(line): field \(field) is \(text), outside the pixel range 0–255; \(fix)"
        case .labelOutOfRange(let path, let line, let text):
            return "\(path):\(line): the label (field 1) is \(text), outside 0–9; \(fix)"
        }
    }
}
