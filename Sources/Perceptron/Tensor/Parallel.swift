import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element-wise work split over the cores, for the passes that move enough memory to gain from it.
///
/// `count` elements (or rows, or columns) are cut into one contiguous range per thread, each a
/// multiple of 16 (so that a range of a float buffer starts on a 64-byte boundary), and `body` runs
/// once per range, on Dispatch's thread pool (`dispatch_apply`). Every element is computed by the
/// same code whichever range holds it, so the result does not depend on the split: runs stay
/// bit-identical. Below `minimum`, or with one thread, `body` runs once on the whole range, here.
///
/// Why Dispatch and not OpenMP's threads (the ones oneDNN's products use): the calling thread takes
/// part and takes over the ranges no other thread has started, so a pass is never much slower than
/// running it alone — on a loaded machine, when the second core is busy, it simply is that.
/// (Measured: `perceptron bench --arch B`, fp32, under load, `OMP_WAIT_POLICY=passive`: 1.50 s per
/// epoch with Dispatch, 1.60–2.08 s with libgomp's `GOMP_parallel`, 1.96–2.03 s on one thread.)
///
/// `dispatch_apply_f` (a C function and a context pointer) rather than `concurrentPerform`, whose
/// closure becomes a heap-allocated block at every call: a training step allocates nothing. It is
/// looked up at run time (Swift's Dispatch module does not export it), like ``OneDNN/threadCount``.
public enum Parallel {
    /// The default `minimum`: below about this many elements, splitting costs more than it saves.
    public static let minimumElements = 1 << 16

    /// Whether passes are split at all (`false` runs each on the calling thread): to measure what
    /// splitting gains (`perceptron bench --serial-passes`). Change it only between steps.
    nonisolated(unsafe) public static var isEnabled = true

    /// Runs `body(arguments, range)` over `0..<count`, split into one range per thread when
    /// `count ≥ minimum`.
    ///
    /// `body` should capture nothing — everything it needs comes in `arguments` (pointers, sizes,
    /// scalars) — so that it is a plain function: then splitting a pass allocates nothing.
    public static func forEachRange<Arguments>(
        _ count: Int, minimum: Int = minimumElements, with arguments: Arguments,
        _ body: @escaping (Arguments, Range<Int>) -> Void
    ) {
        let threads = OneDNN.threadCount
        guard isEnabled, count >= minimum, count >= 32, threads > 1 else { return body(arguments, 0..<count) }
        let chunk = ((count + threads - 1) / threads + 15) & ~15
        let parts = (count + chunk - 1) / chunk
        var job = Job(count: count, chunk: chunk, arguments: arguments, body: body)
        withUnsafeMutablePointer(to: &job) { job in
            var context = Context(job: job, parts: parts) { job, part in
                job.assumingMemoryBound(to: Job<Arguments>.self).pointee.run(part: part)
            }
            withUnsafeMutablePointer(to: &context) { context in
                if useOpenMP, let parallel = OpenMP.parallel {
                    parallel(Context.runTeam, context, UInt32(min(parts, threads)), 0)
                } else if let apply = dispatchApply {
                    apply(parts, nil, context, Context.run)
                } else {
                    for part in 0..<parts { context.pointee.runPart(context.pointee.job, part) }
                }
            }
        }
    }

    /// Whether passes run on OpenMP's threads (the ones oneDNN's products use, already awake
    /// between two products) rather than Dispatch's. See the type's description.
    nonisolated(unsafe) public static var useOpenMP = true

    /// One pass: its size, its ranges' size, and what to do with each range.
    private struct Job<Arguments> {
        let count, chunk: Int
        let arguments: Arguments
        let body: (Arguments, Range<Int>) -> Void

        func run(part: Int) {
            let start = part * chunk
            body(arguments, start ..< min(count, start + chunk))
        }
    }

    /// A job without its type, for the C function `dispatch_apply_f` calls for each part.
    private struct Context {
        let job: UnsafeMutableRawPointer
        let parts: Int
        let runPart: (UnsafeMutableRawPointer, Int) -> Void

        static let run: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void = { context, part in
            let context = context!.assumingMemoryBound(to: Context.self).pointee
            context.runPart(context.job, part)
        }

        /// Each thread of an OpenMP team runs the parts `thread, thread + team, …`.
        static let runTeam: @convention(c) (UnsafeMutableRawPointer?) -> Void = { context in
            let context = context!.assumingMemoryBound(to: Context.self).pointee
            let thread = Int(OpenMP.threadNumber?() ?? 0), team = Int(OpenMP.teamSize?() ?? 1)
            if OpenMP.threadNumber == nil { return (0..<context.parts).forEach { context.runPart(context.job, $0) } }
            for part in stride(from: thread, to: context.parts, by: max(team, 1)) { context.runPart(context.job, part) }
        }
    }

    /// `dispatch_apply_f(iterations, queue, context, work)`; a nil queue lets Dispatch choose.
    private typealias Apply = @convention(c) (
        Int, OpaquePointer?, UnsafeMutableRawPointer?, @convention(c) (UnsafeMutableRawPointer?, Int) -> Void) -> Void
    private static let dispatchApply = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "dispatch_apply_f").map {  // RTLD_DEFAULT
        unsafeBitCast($0, to: Apply.self)
    }

}
