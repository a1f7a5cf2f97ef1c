import Foundation

/// A tiny builder of standalone SVG 1.1 documents.
///
/// Elements are appended in drawing order (later ones paint over earlier ones); ``document`` wraps
/// them in an `<svg>` root with the SVG namespace, a `viewBox`, a `<title>`, a white background and
/// a system sans-serif font:
/// ```
/// var svg = SVG(width: 100, height: 50, title: "A dot")
/// svg.circle(cx: 50, cy: 25, r: 4, fill: "#2563eb")
/// svg.document   // <?xml …?><svg xmlns="http://www.w3.org/2000/svg" … viewBox="0 0 100 50">…</svg>
/// ```
/// Every text and attribute value is XML-escaped. Numbers are written with at most two decimals. A
/// shape with a non-finite coordinate or size (a NaN from a diverged run, say) is not drawn at all,
/// so a document never contains `NaN` or `inf`.
public struct SVG: Sendable {
    /// An element's attributes, in the order they are written.
    public typealias Attributes = [(name: String, value: String)]

    /// The font of every text, inherited from the root: the platform's interface font.
    public static let fontFamily = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"

    public let width: Double
    public let height: Double
    /// The document's `<title>`: what the figure shows, in a sentence.
    public let title: String
    /// The elements so far, as markup.
    public private(set) var body = ""

    public init(width: Double, height: Double, title: String) {
        precondition(width.isFinite && height.isFinite && width > 0 && height > 0,
                     "an SVG needs a positive, finite size, not \(width) × \(height)")
        self.width = width
        self.height = height
        self.title = title
    }

    /// The whole document: an XML declaration, then the `<svg>` root holding the title, a white
    /// background and the elements.
    public var document: String {
        let size = "width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.1" \
            \(size) viewBox="0 0 \(Self.number(width)) \(Self.number(height))" \
            font-family="\(Self.escape(Self.fontFamily))" font-size="12" fill="#1f2937">
            <title>\(Self.escape(title))</title>
            <rect class="background" x="0" y="0" \(size) fill="#ffffff"/>
            \(body)</svg>

            """
    }

    // MARK: - Elements

    /// Appends `<name attributes/>`, or `<name attributes>text</name>` when there is text.
    public mutating func element(_ name: String, _ attributes: Attributes = [], text: String? = nil) {
        body += "<\(name)\(Self.markup(attributes))"
        if let text {
            body += ">\(Self.escape(text))</\(name)>\n"
        } else {
            body += "/>\n"
        }
    }

    /// Appends a group `<g attributes>…</g>` holding whatever `content` draws.
    public mutating func group(_ attributes: Attributes = [], _ content: (inout SVG) -> Void) {
        body += "<g\(Self.markup(attributes))>\n"
        content(&self)
        body += "</g>\n"
    }

    /// A rectangle with its top-left corner at (x, y).
    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              _ attributes: Attributes = [], tooltip: String? = nil) {
        guard Self.allFinite(x, y, width, height) else { return }
        shape("rect", [("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(max(width, 0))),
                       ("height", Self.number(max(height, 0))), ("fill", fill)] + attributes, tooltip: tooltip)
    }

    /// A straight line from (x1, y1) to (x2, y2).
    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                              _ attributes: Attributes = []) {
        guard Self.allFinite(x1, y1, x2, y2, width) else { return }
        element("line", [("x1", Self.number(x1)), ("y1", Self.number(y1)), ("x2", Self.number(x2)), ("y2", Self.number(y2)),
                         ("stroke", stroke), ("stroke-width", Self.number(width))] + attributes)
    }

    /// An open line through `points`; the points with a non-finite coordinate are left out.
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5,
                                  _ attributes: Attributes = []) {
        let drawn = points.filter { Self.allFinite($0.x, $0.y) }
        guard drawn.count >= 2 else { return }
        let list = drawn.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        element("polyline", [("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.number(width)),
                             ("stroke-linejoin", "round")] + attributes)
    }

    /// A filled polygon through `points` (all must be finite, or nothing is drawn).
    public mutating func polygon(_ points: [(x: Double, y: Double)], fill: String, _ attributes: Attributes = [],
                                 tooltip: String? = nil) {
        guard points.count >= 3, points.allSatisfy({ Self.allFinite($0.x, $0.y) }) else { return }
        let list = points.map { "\(Self.number($0.x)),\(Self.number($0.y))" }.joined(separator: " ")
        shape("polygon", [("points", list), ("fill", fill)] + attributes, tooltip: tooltip)
    }

    /// A circle centred on (cx, cy).
    public mutating func circle(cx: Double, cy: Double, r: Double, fill: String, _ attributes: Attributes = [],
                                tooltip: String? = nil) {
        guard Self.allFinite(cx, cy, r) else { return }
        shape("circle", [("cx", Self.number(cx)), ("cy", Self.number(cy)), ("r", Self.number(max(r, 0))), ("fill", fill)] + attributes,
              tooltip: tooltip)
    }

    /// Text whose baseline starts at (x, y) (`anchor` "start"), or is centred on or ends at x
    /// ("middle", "end"); `rotation` turns it clockwise, in degrees, about (x, y).
    public mutating func text(_ string: String, x: Double, y: Double, size: Double = 12, anchor: String = "start",
                              weight: String? = nil, fill: String? = nil, rotation: Double = 0, _ attributes: Attributes = []) {
        guard Self.allFinite(x, y, size, rotation) else { return }
        var all: Attributes = [("x", Self.number(x)), ("y", Self.number(y)), ("font-size", Self.number(size))]
        if anchor != "start" { all.append(("text-anchor", anchor)) }
        if let weight { all.append(("font-weight", weight)) }
        if let fill { all.append(("fill", fill)) }
        if rotation != 0 { all.append(("transform", "rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))")) }
        element("text", all + attributes, text: string)
    }

    /// A PNG image, embedded as a `data:` URI (so the document needs no other file), drawn into the
    /// box at (x, y); `pixelated` keeps its pixels sharp squares when scaled up.
    public mutating func image(png: [UInt8], x: Double, y: Double, width: Double, height: Double, pixelated: Bool = true,
                               _ attributes: Attributes = []) {
        guard Self.allFinite(x, y, width, height) else { return }
        var all: Attributes = [("x", Self.number(x)), ("y", Self.number(y)), ("width", Self.number(width)),
                               ("height", Self.number(height)), ("preserveAspectRatio", "none")]
        if pixelated { all += [("image-rendering", "optimizeSpeed"), ("style", "image-rendering:pixelated")] }
        all.append(("xlink:href", "data:image/png;base64," + Data(png).base64EncodedString()))
        element("image", all + attributes)
    }

    // MARK: - Writing values

    /// `text` with the five XML special characters replaced by entities: `& < > " '`.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// `x` with at most two decimals and no trailing zeros (`12`, `12.5`, `-0.25`); non-finite
    /// values, which no drawing method writes, become `0`, and magnitudes are capped at 10⁹.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let hundredths = Int((min(max(x, -1e9), 1e9) * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let whole = abs(hundredths) / 100
        let fraction = abs(hundredths) % 100
        if fraction == 0 { return hundredths == 0 ? "0" : sign + String(whole) }
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction)
        return "\(sign)\(whole).\(digits)"
    }

    // MARK: - Helpers

    private mutating func shape(_ name: String, _ attributes: Attributes, tooltip: String?) {
        if let tooltip {
            body += "<\(name)\(Self.markup(attributes))><title>\(Self.escape(tooltip))</title></\(name)>\n"
        } else {
            element(name, attributes)
        }
    }

    private static func markup(_ attributes: Attributes) -> String {
        attributes.map { " \($0.name)=\"\(escape($0.value))\"" }.joined()
    }

    private static func allFinite(_ values: Double...) -> Bool { values.allSatisfy(\.isFinite) }
}
