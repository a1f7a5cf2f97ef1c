import Foundation

/// Running helper programs (`curl`, `python3`) and collecting how they ended.
public enum Subprocess {
    /// How a program ended: its exit status and what it wrote to standard error.
    public struct Outcome {
        /// The exit status (or the number of the signal that ended it).
        public var status: Int32
        /// Everything it wrote to standard error.
        public var errorOutput: String

        /// Whether it exited with status 0.
        public var succeeded: Bool { status == 0 }

        /// The last non-empty line of standard error, the one that usually says what went wrong.
        public var lastErrorLine: String {
            errorOutput.split(whereSeparator: \.isNewline).last.map(String.init) ?? "exit status \(status)"
        }
    }

    /// The executable called `name` in one of the `PATH` directories, if any.
    public static func find(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and waits for it to end. Standard output is discarded;
    /// standard error is collected. Throws only if the program cannot be started.
    public static func run(_ executable: URL, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let errorPipe = Pipe()
        process.standardError = errorPipe
        try process.run()
        // Read standard error to its end before waiting, so that a chatty program cannot fill
        // the pipe and block forever.
        let errorData = errorPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, errorOutput: String(decoding: errorData, as: UTF8.self))
    }
}
