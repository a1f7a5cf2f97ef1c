import Logging
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log lines on standard output, one per event, short enough to read as they scroll by:
///
/// ```
/// 15:42:07 POST /api/predict 200 0.21 ms
/// 15:42:09 warning POST /api/predict 400 0.05 ms: "pixels" has 783 values: expected 784 …
/// ```
/// Metadata (Hummingbird adds a request id to every event) is left out. Each line is written with a
/// single `fwrite`, so lines from concurrent requests never interleave.
public struct ConsoleLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String) {}

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var clock = [CChar](repeating: 0, count: 16)
        let length = strftime(&clock, clock.count, "%H:%M:%S", &parts)
        var line = String(decoding: clock[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if event.level != .info { line += " \(event.level)" }
        line += " \(event.message)\n"
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { _ = fwrite($0.baseAddress, 1, $0.count, stdout) }
        fflush(stdout)
    }

    /// Sends every `Logger` of the process to standard output through this handler (once per process).
    public static func bootstrap() {
        LoggingSystem.bootstrap { ConsoleLogHandler(label: $0) }
    }
}
