/// Why a CSV file of labelled images could not be read (see `CSVReader` for the format).
///
/// Every case names the file and, where it applies, the 1-based line and field; `description`
/// is one line saying what is wrong, what was expected, and what was found.
public enum CSVError: Error, CustomStringConvertible, Equatable {
    /// The file holds no examples (it is empty or has only a header line).
    case noExamples(path: String)
    /// A line has the wrong number of comma-separated fields.
    case wrongFieldCount(path: String, line: Int, expected: Int, found: Int, labelled: Bool = true)
    /// A field is not a decimal integer (`text` is the field, shortened if long).
    case notAnInteger(path: String, line: Int, field: Int, text: String)
    /// A pixel value outside 0...255.
    case pixelOutOfRange(path: String, line: Int, field: Int, text: String)
    /// A training file whose first column is a pixel (`pixel0`), not the label: a test file.
    case noLabelColumn(path: String, firstColumn: String)
    /// A number of pixel columns that is not a square (784 make 28 × 28, 64 make 8 × 8).
    case notSquare(path: String, pixels: Int)
    /// A test file whose columns do not fit a model of `pixels` inputs (`pixels`, or a label and `pixels`).
    case wrongColumnsForModel(path: String, columns: Int, pixels: Int)
    /// A label outside `0...largest` (0...9 for digits).
    case labelOutOfRange(path: String, line: Int, text: String, largest: Int = 9)

    public var description: String {
        let fix = "expected lines of the form `label,pixel1,…` with a label 0–9 and pixels 0–255"
        switch self {
        case .noExamples(let path):
            return "\(path): no examples: the file is empty or holds only a header line; \(fix)"
        case .wrongFieldCount(let path, let line, let expected, let found, let labelled):
            let fields = labelled ? "a label and \(expected - 1) pixels" : "\(expected) pixels"
            return "\(path):\(line): wrong number of fields: expected \(expected) (\(fields)), found \(found); the file is damaged or holds images of another size"
        case .notAnInteger(let path, let line, let field, let text):
            return "\(path):\(line): field \(field) is \"\(text)\", not an integer; \(fix)"
        case .pixelOutOfRange(let path, let line, let field, let text):
            return "\(path):\(line): field \(field) is \(text), outside the pixel range 0–255; \(fix)"
        case .noLabelColumn(let path, let firstColumn):
            return "\(path): the first column is \(firstColumn), not the label: this is a test file (images without labels); "
                + "train on a file whose first column is the label, `label,pixel0,pixel1,…`"
        case .notSquare(let path, let pixels):
            return "\(path): \(pixels) pixel columns do not make a square image (784 make 28 × 28, 64 make 8 × 8); "
                + "expected a header `label,pixel0,…` and then, on each line, a label and the pixels of a square image"
        case .wrongColumnsForModel(let path, let columns, let pixels):
            return "\(path): \(columns) columns, but the model takes images of \(pixels) pixels: expected \(pixels) pixel columns "
                + "(a test file) or a label and \(pixels) pixels (\(pixels + 1) columns); is it the model for these images?"
        case .labelOutOfRange(let path, let line, let text, let largest):
            return "\(path):\(line): the label (field 1) is \(text), outside 0–\(largest); \(fix)"
        }
    }
}
