#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Helpers shared by the fuzz targets.
public enum FuzzInput {
    /// The fuzzer's input as an array.
    public static func bytes(_ start: UnsafeRawPointer, _ count: Int) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Whether to print each thrown error to stderr: set `FUZZ_PRINT_ERRORS=1` when replaying a
    /// file (`./FuzzPNG file.png`) to see what the parser said about it.
    public static let printErrors: Bool = getenv("FUZZ_PRINT_ERRORS").map { String(cString: $0) == "1" } ?? false

    /// Runs `body`; a thrown error is the parser's correct answer to bad input, printed only when
    /// `FUZZ_PRINT_ERRORS=1` (as one line starting with `error[label]: `).
    public static func expectingErrors(_ label: String, _ body: () throws -> Void) {
        do {
            try body()
            if printErrors { report("ok[\(label)]") }
        } catch {
            if printErrors { report("error[\(label)]: \(error)") }
        }
    }

    private static func report(_ line: String) {
        fputs(line.replacingNewlines + "\n", stderr)
    }
}

extension String {
    fileprivate var replacingNewlines: String {
        String(map { $0 == "\n" ? "⏎" : $0 })
    }
}
