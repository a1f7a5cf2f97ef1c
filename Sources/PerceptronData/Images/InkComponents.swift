extension DigitPreprocessing {
    /// One connected piece of ink: pixels of a mask joined through their eight neighbours
    /// (sideways, up and down, and diagonally).
    public struct InkComponent: Sendable, Equatable {
        /// What `clean(_:)` did with a component.
        public enum Fate: String, Sendable, Equatable {
            /// Part of the digit.
            case kept
            /// Dropped: it touches the picture's edge (a page edge, a shadow, a frame).
            case border
            /// Dropped: hardly darker than the paper around it (what flattening leaves of uneven light).
            case faint
            /// Dropped: a speck, far smaller than the largest piece kept (dust, noise).
            case speck
        }

        /// Its bounding box in the picture.
        public var box: PixelBox
        /// How many pixels it has.
        public var pixels: Int
        /// How many of them lie on the outermost rows and columns of the picture.
        public var borderContact: Int
        /// Its strongest ink less the median ink around it (see `clean(_:)`); 0 until measured.
        public var contrast: Double = 0
        /// What became of it.
        public var fate: Fate

        /// Whether it touches the edge of the picture.
        public var touchesBorder: Bool { borderContact > 0 }
    }

    /// The eight-connected components of the pixels where `mask` is true in a `width × height`
    /// picture (row-major), in the order of their first pixel (top to bottom, left to right):
    /// `labels` gives each pixel its component's index + 1, 0 outside the mask.
    static func inkComponents(of mask: [Bool], width: Int, height: Int) -> (labels: [Int32], components: [InkComponent]) {
        var labels = [Int32](repeating: 0, count: mask.count)
        var components: [InkComponent] = []
        var stack: [Int] = []
        for start in mask.indices where mask[start] && labels[start] == 0 {
            let label = Int32(components.count + 1)
            var (left, right, top, bottom) = (width, -1, height, -1)
            var (count, contact) = (0, 0)
            labels[start] = label
            stack.append(start)
            while let index = stack.popLast() {
                let (y, x) = index.quotientAndRemainder(dividingBy: width)
                count += 1
                if x == 0 || y == 0 || x == width - 1 || y == height - 1 { contact += 1 }
                (left, right, top, bottom) = (min(left, x), max(right, x), min(top, y), max(bottom, y))
                for neighbourY in max(0, y - 1) ... min(height - 1, y + 1) {
                    for neighbourX in max(0, x - 1) ... min(width - 1, x + 1) {
                        let neighbour = neighbourY * width + neighbourX
                        if mask[neighbour] && labels[neighbour] == 0 {
                            labels[neighbour] = label
                            stack.append(neighbour)
                        }
                    }
                }
            }
            let box = PixelBox(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
            components.append(InkComponent(box: box, pixels: count, borderContact: contact, fate: .kept))
        }
        return (labels, components)
    }

    /// The pixels reached from `seeds` by stepping at most `steps` times to one of the eight
    /// neighbours, through pixels where `allowed` is true (a geodesic dilation); seeds count as
    /// reached. All arrays are `width × height`, row-major.
    static func grow(_ seeds: [Bool], through allowed: [Bool], steps: Int, width: Int, height: Int) -> [Bool] {
        var reached = seeds
        var frontier = seeds.indices.filter { seeds[$0] }
        var next: [Int] = []
        for _ in 0..<steps where !frontier.isEmpty {
            for index in frontier {
                let (y, x) = index.quotientAndRemainder(dividingBy: width)
                for neighbourY in max(0, y - 1) ... min(height - 1, y + 1) {
                    for neighbourX in max(0, x - 1) ... min(width - 1, x + 1) {
                        let neighbour = neighbourY * width + neighbourX
                        if allowed[neighbour] && !reached[neighbour] {
                            reached[neighbour] = true
                            next.append(neighbour)
                        }
                    }
                }
            }
            swap(&frontier, &next)
            next.removeAll(keepingCapacity: true)
        }
        return reached
    }
}
