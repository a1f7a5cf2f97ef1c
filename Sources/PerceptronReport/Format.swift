import Foundation

/// How the report writes numbers for people: fixed decimals, percentages, durations. Non-finite
/// values are written as `NaN`, `∞` and `−∞` rather than crashing or printing garbage, and a
/// missing value as an em dash.
public enum Format {
    /// `value` with `places` decimals: `0.1235`.
    public static func decimal(_ value: Double?, _ places: Int) -> String {
        guard let value else { return "—" }
        guard value.isFinite else { return nonFinite(value) }
        return String(format: "%.\(max(places, 0))f", value == 0 ? 0 : value)
    }

    /// A fraction in [0, 1] as a percentage with `places` decimals: `0.9812` → `98.12%`.
    public static func percent(_ fraction: Double?, _ places: Int = 2) -> String {
        guard let fraction else { return "—" }
        guard fraction.isFinite else { return nonFinite(fraction) }
        return decimal(fraction * 100, places) + "%"
    }

    /// Seconds, to a tenth below a minute (`12.3 s`), else minutes and seconds (`4 min 05 s`).
    public static func seconds(_ value: Double?) -> String {
        guard let value else { return "—" }
        guard value.isFinite else { return nonFinite(value) }
        if value < 60 { return decimal(value, 1) + " s" }
        let whole = Int(value.rounded())
        let minutes = whole / 60, seconds = whole % 60
        return "\(minutes) min \(seconds < 10 ? "0" : "")\(seconds) s"
    }

    /// An integer with thin groups of three digits: `79510` → `79,510`.
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    private static func nonFinite(_ value: Double) -> String {
        value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞")
    }
}
