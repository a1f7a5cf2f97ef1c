import Perceptron
import Testing

@Suite("argmax")
struct ArgmaxTests {
    @Test("argmax is the position of the largest element, the first on ties")
    func largestFirstOnTies() {
        #expect([0.1, 0.5, 0.4].argmax() == 1)
        #expect([3, 7, 7, 1].argmax() == 1)
        #expect([-2.0, -1.0, -3.0].argmax() == 1)
        #expect([4].argmax() == 0)
    }

    @Test("argmax of a slice is an index of the slice's base; of no elements, nil")
    func slicesAndEmpty() {
        let values = [9, 1, 5, 2, 5]
        #expect(values[1...].argmax() == 2)
        #expect([Double]().argmax() == nil)
    }

    @Test("a NaN is passed over unless it comes first")
    func notANumber() {
        #expect([1, .nan, 3, 2].argmax() == 2)
        #expect([.nan, 1, 3].argmax() == 0)
    }
}
