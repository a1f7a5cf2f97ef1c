import Foundation
import Perceptron
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder a run writes into, held by that run alone for as long as it lives.
public enum RunFolder {
    /// The files by which a folder holds a run.
    static let runFiles = ["model.safetensors", Checkpoint.fileName, "metrics.json"]
    /// Every file a run writes, removed before a forced run starts afresh.
    static let writtenFiles = runFiles + ["config.json", "index.html", "curves.svg", "confusion.svg", "errors.svg", "weights.svg"]

    /// `out`, or a new `runs/YYYYMMDD-HHMMSS` folder: created, locked for this process
    /// (``RunLock``), and checked writable before any training.
    ///
    /// A folder that already holds a run is refused unless `resuming` (the run goes on) or `force`
    /// (its files are removed first, so the new run's cannot mix with them).
    public static func prepare(_ out: String?, resuming: Bool = false, force: Bool = false) throws -> URL {
        let url = out.map { URL(fileURLWithPath: $0) } ?? newFolder()
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw RunError("cannot create the output folder \(url.path): \(error.localizedDescription); choose another with --out")
        }
        try RunLock.acquire(url)
        if !resuming, let existing = existingRun(in: url) {
            guard force else {
                throw RunError("\(url.path) already holds a run (\(existing)); continue it with `perceptron train --resume \(url.path)`, "
                               + "replace it with --force, or choose another --out")
            }
            for name in writtenFiles { try? FileManager.default.removeItem(at: url.appendingPathComponent(name)) }
        }
        do {
            let probe = url.appendingPathComponent(".write-test")
            try AtomicFile.write([], to: probe)
            try FileManager.default.removeItem(at: probe)
        } catch {
            throw RunError("cannot write the output folder \(url.path): \(error); choose another with --out")
        }
        return url
    }

    /// What the run in `folder` is, in words (`model of epoch 7, test accuracy 98.12 %, written
    /// 2026-12-01 21:40`), or `nil` if the folder holds none.
    public static func existingRun(in folder: URL) -> String? {
        let present = runFiles.filter { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
        guard let newest = present.first else { return nil }
        var parts: [String] = []
        if let metrics = try? RunMetrics.read(from: folder.appendingPathComponent("metrics.json")) {
            parts.append("\(metrics.architecture), \(metrics.outcome.replacingOccurrences(of: "_", with: " ")) after epoch \(metrics.history.last?.epoch ?? 0)")
            parts.append("best epoch \(metrics.bestEpoch)")
            if let accuracy = metrics.testAccuracy { parts.append(String(format: "test accuracy %.2f %%", 100 * accuracy)) }
        } else {
            parts.append(present.joined(separator: ", "))
        }
        if let date = (try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(newest).path))?[.modificationDate] as? Date {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            parts.append("written \(formatter.string(from: date))")
        }
        return parts.joined(separator: ", ")
    }

    /// `runs/YYYYMMDD-HHMMSS`, with `-2`, `-3` … where that exists.
    private static func newFolder() -> URL {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let stamp = formatter.string(from: Date())
        var candidate = URL(fileURLWithPath: "runs").appendingPathComponent(stamp)
        var suffix = 2
        while FileManager.default.fileExists(atPath: candidate.path) {
            candidate = URL(fileURLWithPath: "runs").appendingPathComponent(stamp + "-\(suffix)")
            suffix += 1
        }
        return candidate
    }
}

/// The exclusive lock a run holds on its folder: `flock` on the folder's `.lock` file, which holds
/// the run's process id. The kernel releases it when the process ends, however it ends (a
/// `kill -9` too), so a stale lock file never blocks a later run.
public enum RunLock {
    /// The lock files' descriptors, kept open for the life of the process.
    nonisolated(unsafe) private static var held: [String: Int32] = [:]

    /// Takes the lock of `folder` for this process, or throws naming the process that has it.
    public static func acquire(_ folder: URL) throws {
        let path = folder.appendingPathComponent(".lock").path
        guard held[path] == nil else { return }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw RunError("cannot create \(path): \(String(cString: strerror(errno))); choose another --out")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = read(descriptor, &buffer, buffer.count)
            close(descriptor)
            let pid = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw RunError("\(folder.path) is in use by another run (perceptron, pid \(pid.isEmpty ? "unknown" : pid)); "
                           + "wait for it to finish, stop it, or choose another --out")
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        held[path] = descriptor
    }
}
