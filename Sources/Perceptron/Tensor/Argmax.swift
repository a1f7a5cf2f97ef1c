/// `argmaxᵢ xᵢ`: where the largest element is.
extension Collection where Element: Comparable {
    /// The position of the largest element, the first on ties; `nil` when there are none.
    ///
    /// Only a larger element replaces the one found so far, so a NaN is passed over (no comparison
    /// with it is true) unless it comes first.
    @inlinable
    public func argmax() -> Index? {
        guard var best = indices.first else { return nil }
        for index in indices.dropFirst() where self[index] > self[best] { best = index }
        return best
    }
}

extension Matrix {
    /// The column of row `row`'s largest element (the first, on ties): for logits
    /// `[batch, classes]`, the predicted class of example `row`.
    @_specialize(where Scalar == Float)
    func argmax(row: Int) -> Int {
        let start = row * columns
        return elements[start ..< start + columns].argmax()! - start
    }
}
