import PerceptronReport
import Testing

@Suite("Linear scale")
struct LinearScaleTests {
    @Test("nice steps are 1, 2 or 5 times a power of ten, at least the rough step")
    func niceSteps() {
        #expect(LinearScale.niceStep(for: 0.46) == 0.5)
        #expect(LinearScale.niceStep(for: 0.5) == 0.5)
        #expect(LinearScale.niceStep(for: 1.2) == 2)
        #expect(LinearScale.niceStep(for: 7) == 10)
        #expect(LinearScale.niceStep(for: 0.013) == 0.02)
        #expect(LinearScale.niceStep(for: .nan) == 1)
    }

    @Test("a nice scale widens the data range to whole steps and ticks every step")
    func nice() {
        let scale = LinearScale.nice(lower: 0, upper: 2.31, ticks: 5, start: 300, end: 0)
        #expect(scale.step == 0.5)
        #expect(scale.lower == 0)
        #expect(scale.upper == 2.5)
        #expect(scale.ticks == [0, 0.5, 1, 1.5, 2, 2.5])
        #expect(scale.ticks.map(scale.label) == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"])
    }

    @Test("positions map the domain linearly onto the range, which may run backwards")
    func positions() {
        let scale = LinearScale(lower: 0, upper: 2, start: 300, end: 100, step: 1)
        #expect(scale.position(0) == 300)
        #expect(scale.position(1) == 200)
        #expect(scale.position(2) == 100)
    }

    @Test("an empty range is widened, never divided by zero")
    func emptyRange() {
        let scale = LinearScale.nice(lower: 0, upper: 0, start: 0, end: 100, minimumStep: 1)
        #expect(scale.upper > scale.lower)
        #expect(scale.position(0).isFinite)
        #expect(scale.ticks == [0, 1])
        #expect(scale.ticks.map(scale.label) == ["0", "1"])
    }

    @Test("a minimum step keeps epoch ticks whole")
    func minimumStep() {
        let scale = LinearScale.nice(lower: 0, upper: 3, ticks: 8, start: 0, end: 100, minimumStep: 1)
        #expect(scale.ticks == [0, 1, 2, 3])
    }
}
