import PerceptronData

/// Pictures drawn with shade characters for the terminal: ` ░▒▓█`, from none to full.
enum TerminalImage {
    static let shades: [Character] = [" ", "░", "▒", "▓", "█"]

    /// A 28×28 input (0 background, 255 full ink), two characters per pixel so it keeps its shape.
    static func render(_ pixels: [UInt8], side: Int) -> String {
        let border = "+" + String(repeating: "-", count: 2 * side) + "+"
        var lines = [border]
        for row in 0..<side {
            let cells = (0..<side).map { column -> String in
                String(repeating: shades[min(Int(pixels[row * side + column]) * shades.count / 256, shades.count - 1)], count: 2)
            }
            lines.append("|" + cells.joined() + "|")
        }
        lines.append(border)
        return lines.joined(separator: "\n")
    }

    /// The shade for an amount in [0, 1] (0 none, 1 full): one of five equal steps.
    static func shade(_ amount: Double) -> Character {
        shades[min(max(Int(amount * Double(shades.count)), 0), shades.count - 1)]
    }

    /// A picture of `width × height` values in [0, 1] (row-major; 1 drawn full) in `columns`
    /// characters across, each character the mean of the block of pixels it covers; a character
    /// is about twice as high as wide, so rows = round(columns · height / width / 2), at least 1.
    /// Lines without a frame.
    static func panel(_ values: [Double], width: Int, height: Int, columns: Int) -> [String] {
        guard width > 0, height > 0, values.count == width * height else { return [] }
        let rows = max(1, Int((Double(columns) * Double(height) / Double(width) / 2).rounded()))
        return (0..<rows).map { row in
            let (top, bottom) = (row * height / rows, max(row * height / rows + 1, (row + 1) * height / rows))
            return String((0..<columns).map { column in
                let (left, right) = (column * width / columns, max(column * width / columns + 1, (column + 1) * width / columns))
                var sum = 0.0
                for y in top..<min(bottom, height) {
                    for x in left..<min(right, width) { sum += values[y * width + x] }
                }
                return shade(sum / Double((min(bottom, height) - top) * (min(right, width) - left)))
            })
        }
    }

    /// Panels side by side, each framed and titled above, padded to the same height.
    static func sideBySide(_ panels: [(title: String, lines: [String])], gap: Int = 2) -> String {
        let height = panels.map(\.lines.count).max() ?? 0
        let widths = panels.map { ($0.lines.first?.count ?? 0) + 2 }
        let space = String(repeating: " ", count: gap)
        var lines = [zip(panels, widths).map { $0.title.padding($1) }.joined(separator: space)]
        lines.append(widths.map { "+" + String(repeating: "-", count: $0 - 2) + "+" }.joined(separator: space))
        for row in 0..<height {
            lines.append(zip(panels, widths).map { panel, width in
                row < panel.lines.count ? "|" + panel.lines[row] + "|" : String(repeating: " ", count: width)
            }.joined(separator: space))
        }
        lines.append(zip(panels, widths).map { panel, width in
            panel.lines.count == height ? "+" + String(repeating: "-", count: width - 2) + "+" : String(repeating: " ", count: width)
        }.joined(separator: space))
        return lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }
}
