extension DigitPreprocessing {
    /// How bright the paper of a picture is at each point: the light falling on it, estimated
    /// without the ink, so that dividing by it leaves the paper evenly white and the ink as dark,
    /// relative to the paper around it, wherever it is (see `clean(_:)`).
    ///
    /// The estimate is a morphological closing of the picture (dark ink on light paper), computed
    /// on a coarse grid for speed:
    ///
    /// 1. **Coarse grid.** The picture is divided into square cells of s = ⌈longer side / 64⌉
    ///    pixels (the last row and column of cells may be cut short), and each cell keeps its
    ///    brightest pixel: a cell that holds any paper is as bright as that paper, however much ink
    ///    it also holds. This is a dilation (a maximum filter) by the cell.
    /// 2. **Closing.** On the grid, a maximum filter over the square of (2r + 1) × (2r + 1) cells
    ///    around each cell (r = `closingRadius` = 6; the square cut short at the grid's edges),
    ///    then a minimum filter over the same square. The maximum fills every dark feature
    ///    narrower than the square — the digit's strokes, whatever their width up to about a fifth
    ///    of the picture — with the paper around it; the minimum then gives back every brightness
    ///    change wider than the square: lighting falling off to one side, a shadow, the dark desk
    ///    beyond the paper. A closing never darkens and preserves any change of light that is
    ///    monotone across the square (a ramp stays the same ramp).
    /// 3. **Back to pixels.** The paper level at pixel (x, y) interpolates the grid bilinearly
    ///    between cell centres: cell coordinates ((x + ½) / s − ½, (y + ½) / s − ½), clamped to
    ///    the grid.
    public struct Illumination: Sendable, Equatable {
        /// The number of grid cells along the picture's longer side, at most.
        public static let gridSide = 64
        /// The radius r of the closing's square, in cells.
        public static let closingRadius = 6

        /// The cell side s, in pixels.
        public let cell: Int
        /// The number of cells across.
        public let columns: Int
        /// The number of cells down.
        public let rows: Int
        /// The grid: `columns × rows` cells, row-major, each the paper level there in [0, 1].
        public let levels: [Double]

        /// The estimate for `image`, dark ink on light paper, intensities in [0, 1]; its pixels
        /// must number `width × height` (at least one).
        public init(paper image: GreyImage) {
            let (width, height) = (image.width, image.height)
            let cell = max(1, (max(width, height) + Self.gridSide - 1) / Self.gridSide)
            let (columns, rows) = ((width + cell - 1) / cell, (height + cell - 1) / cell)
            var grid = [Double](repeating: 0, count: columns * rows)
            for y in 0..<height {
                let gridRow = y / cell * columns
                for x in 0..<width {
                    let index = gridRow + x / cell
                    grid[index] = max(grid[index], image.pixels[y * width + x])
                }
            }
            let radius = Self.closingRadius
            let dilated = Self.filter(grid, columns: columns, rows: rows, radius: radius, by: max)
            self.cell = cell
            self.columns = columns
            self.rows = rows
            levels = Self.filter(dilated, columns: columns, rows: rows, radius: radius, by: min)
        }

        /// The paper level at every pixel of a `width × height` picture (the one the estimate was
        /// made for), row-major: the grid interpolated bilinearly between cell centres.
        public func pixelLevels(width: Int, height: Int) -> [Double] {
            let across = (0..<width).map { DigitPreprocessing.bilinearNeighbours((Double($0) + 0.5) / Double(cell) - 0.5, count: columns) }
            var result = [Double](repeating: 0, count: width * height)
            for y in 0..<height {
                let (top, bottom, fy) = DigitPreprocessing.bilinearNeighbours((Double(y) + 0.5) / Double(cell) - 0.5, count: rows)
                for x in 0..<width {
                    let (left, right, fx) = across[x]
                    let upper = levels[top * columns + left] * (1 - fx) + levels[top * columns + right] * fx
                    let lower = levels[bottom * columns + left] * (1 - fx) + levels[bottom * columns + right] * fx
                    result[y * width + x] = upper * (1 - fy) + lower * fy
                }
            }
            return result
        }

        /// `grid` with each cell replaced by `combine` (max or min) over the square of side
        /// 2 · `radius` + 1 around it, cut short at the edges: along the rows, then the columns.
        static func filter(_ grid: [Double], columns: Int, rows: Int, radius: Int,
                           by combine: (Double, Double) -> Double) -> [Double] {
            let across = filterLines(grid, lines: rows, length: columns, radius: radius, by: combine) { row, column in
                row * columns + column
            }
            return filterLines(across, lines: columns, length: rows, radius: radius, by: combine) { column, row in
                row * columns + column
            }
        }

        /// `grid` with each cell replaced by `combine` over the cells within `radius` of it on its
        /// line: `lines` lines of `length` cells, cell i of line l at `index(l, i)`.
        static func filterLines(_ grid: [Double], lines: Int, length: Int, radius: Int, by combine: (Double, Double) -> Double,
                                index: (Int, Int) -> Int) -> [Double] {
            var result = grid
            for line in 0..<lines {
                for position in 0..<length {
                    var value = grid[index(line, position)]
                    for other in max(0, position - radius) ... min(length - 1, position + radius) {
                        value = combine(value, grid[index(line, other)])
                    }
                    result[index(line, position)] = value
                }
            }
            return result
        }
    }
}
