import ArgumentParser
import Dispatch
import Foundation
import Perceptron
import PerceptronData
import PerceptronServer

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a page where you draw a digit and watch the network read it.",
        discussion: """
            The page (at the printed URL) has a canvas to draw on, the ten probabilities, the 28×28 \
            input the network saw, random digits from the MNIST test set (when --data has it) and the \
            model's accuracy and learning curves (from metrics.json and curves.svg beside the model). \
            The same API answers scripts: POST /api/predict with {"pixels": [784 numbers in 0…1]} or \
            {"image": "<base64 PNG>"} and Content-Type: application/json; GET /api/model, \
            /api/samples?count=12, /healthz. The server answers only to the Host names of its address \
            and of loopback (localhost, 127.0.0.1, [::1]) and those added with --allow-host; it closes \
            connections that are idle or too slow (the timeouts below) and keeps at most \
            --max-connections open. Ctrl-C stops.
            """)

    @Option(help: "The model file (model.safetensors of a training run).")
    var model: String

    @Option(help: "The address to listen on (0.0.0.0 for every interface).")
    var host = "127.0.0.1"

    @Option(help: "The port (0 for any free port).")
    var port = 8080

    @Option(help: "The MNIST folder whose test digits the page offers (default: $PERCEPTRON_DATA or data/mnist).")
    var data: String?

    @Option(name: .customLong("allow-host"),
            help: ArgumentHelp("Another name (or NAME:PORT) the Host header may give, as when a proxy or another name leads here; repeatable.",
                               valueName: "name"))
    var allowedHosts: [String] = []

    @Option(help: ArgumentHelp("Seconds for a request's line and headers, from its first byte.", valueName: "seconds"))
    var headerTimeout = ServerLimits().headerTimeout

    @Option(help: ArgumentHelp("Seconds for a request's body, from the end of its headers.", valueName: "seconds"))
    var bodyTimeout = ServerLimits().bodyTimeout

    @Option(help: ArgumentHelp("Seconds a kept-alive connection may wait for its next request.", valueName: "seconds"))
    var idleTimeout = ServerLimits().idleTimeout

    @Option(help: ArgumentHelp("Connections open at once; past this an idle one is closed to make room, or the new one refused (503).",
                               valueName: "count"))
    var maxConnections = ServerLimits().maximumConnections

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, not \(port)") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)] {
            guard value > 0, value <= 86_400 else { throw ValidationError("\(name) must be a number of seconds above 0 (at most a day), not \(value)") }
        }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1, not \(maxConnections)") }
        for name in allowedHosts where name.isEmpty || name.contains(where: { $0 == "/" || $0 == " " || $0 == "," }) {
            throw ValidationError("--allow-host takes one host name (or NAME:PORT), not \"\(name)\"")
        }
    }

    /// The limits of the options, the cap lowered to what the open-file limit (raised to its
    /// hard limit first) leaves room for, with a note when it is.
    func limits(note: (String) -> Void) -> ServerLimits {
        var limits = ServerLimits()
        limits.headerTimeout = headerTimeout
        limits.bodyTimeout = bodyTimeout
        limits.idleTimeout = idleTimeout
        limits.maximumConnections = maxConnections
        if let files = OpenFileLimit.raiseToHardLimit(), OpenFileLimit.connections(within: files) < maxConnections {
            limits.maximumConnections = OpenFileLimit.connections(within: files)
            note("the open-file limit is \(files) (ulimit -n), room for \(limits.maximumConnections) connections: "
                 + "--max-connections \(maxConnections) lowered to that")
        }
        return limits
    }

    func run() throws {
        // One input at a time: the reader needs no GEMM, and threads would only compete with requests.
        OneDNN.threadCount = 1
        let modelURL = URL(fileURLWithPath: model)
        let dataFolder = data.map { URL(fileURLWithPath: $0) } ?? defaultDataDirectory(for: .mnist)
        let note: (String) -> Void = { print("note: \($0)") }
        let server = try DigitServer.load(model: modelURL, data: dataFolder, limits: limits(note: note), notes: note)
        ConsoleLogHandler.bootstrap()

        let (host, port, allowedHosts) = (host, port, allowedHosts)
        let info = server.info
        let summary = "\(info.architecture)" + (info.testAccuracy.map { ", test accuracy \(percent($0))" } ?? "")
        try runBlocking {
            try await server.run(host: host, port: port, allowedHosts: allowedHosts) { boundPort in
                let shownHost = host.contains(":") ? "[\(host)]" : (host == "0.0.0.0" ? "127.0.0.1" : host)
                print("serving \(modelURL.path) (\(summary)) at http://\(shownHost):\(boundPort)/ — Ctrl-C stops")
            }
        }
    }
}

/// Runs `body` to completion on the concurrency runtime while this (synchronous) thread waits.
private func runBlocking(_ body: @escaping @Sendable () async throws -> Void) throws {
    final class Outcome: @unchecked Sendable {
        var error: (any Error)?
    }
    let outcome = Outcome()
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        do { try await body() } catch { outcome.error = error }
        done.signal()
    }
    done.wait()
    if let error = outcome.error { throw error }
}
