import Foundation

/// `1.23e-09`
func scientific(_ value: Double) -> String { String(format: "%.2e", value) }

/// `97.32%`
func percent(_ fraction: Double) -> String { String(format: "%.2f%%", 100 * fraction) }

/// A number with `digits` decimals.
func fixed(_ value: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", value) }

extension String {
    /// The string padded with spaces on the right to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// Class names for a line of text: `cat, dog`, or the first ten and how many in all.
func classList(_ names: [String]) -> String {
    names.count <= 10 ? names.joined(separator: ", ") : names.prefix(10).joined(separator: ", ") + ", … (\(names.count) in all)"
}
