import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOConcurrencyHelpers
import NIOCore
import Perceptron
import PerceptronRun
import PerceptronData

/// The draw-a-digit web page and its JSON API, on Hummingbird.
///
/// ```
/// GET  /              the page (Resources/page.html, .css, .js, see `Page`: no CDN, no network)
/// GET  /style.css     its style sheet
/// GET  /app.js        its script
/// GET  /curves.svg    the run's learning curves, if the model's folder has them
/// GET  /healthz       {"status":"ok"}
/// GET  /api/model     what is known of the model (ModelInfo)
/// GET  /api/samples?count=12   random MNIST test digits: {"samples":[{"index","label","pixels":[784]}]}
/// POST /api/predict   {"pixels":[784]} or {"image":"<base64 PNG or JPEG>"}
///                     → {"digit","probabilities":[10],"input":[784],"blank","unsure"}
///                     (Content-Type: application/json; computed by `PredictionWorkers`)
/// ```
/// Every error is JSON, `{"error": "…"}`: 400 for a bad request, 404 for an unknown path, 405 for a
/// known path with another method, 413 for a body over 1 MB, 415 for a POST whose body is not
/// said to be JSON, 421 for a `Host` not allowed (see `APIMiddleware`); and, from the connection
/// layer, 408, 414, 431, 501 and 503 (see `ConnectionGuard`, `ServerLimits`).
public struct DigitServer: Sendable {
    /// The largest request body accepted: 1 MB.
    public static let maximumBodySize = 1 << 20
    /// The most test digits one `GET /api/samples` returns.
    public static let maximumSamples = 100

    public let reader: DigitReader
    public let info: ModelInfo
    public let samples: TestDigits?
    public let curvesSVG: [UInt8]?
    /// The timeouts, the caps and the prediction threads.
    public let limits: ServerLimits
    let modelJSON: ByteBuffer
    let workers: PredictionWorkers

    public init(reader: DigitReader, info: ModelInfo? = nil, samples: TestDigits? = nil, curvesSVG: [UInt8]? = nil,
                limits: ServerLimits = ServerLimits()) {
        self.reader = reader
        self.limits = limits
        workers = PredictionWorkers(threads: limits.predictionThreads, waiting: limits.waitingPredictions)
        var info = info ?? ModelInfo(committee: reader.committee)
        info.curves = curvesSVG == nil ? nil : "/curves.svg"
        info.samples = samples?.count ?? 0
        self.info = info
        self.samples = samples
        self.curvesSVG = curvesSVG
        modelJSON = ByteBuffer(bytes: info.json)
    }

    /// The server for the model file at `model` (or a committee's file, `perceptron ensemble`): its
    /// metadata, the run's `metrics.json` and `curves.svg` from the same folder when there (not for a
    /// committee: they tell of one run), and the MNIST test set from `data` when there (`notes`
    /// hears about what is missing).
    public static func load(model: URL, data: URL?, limits: ServerLimits = ServerLimits(),
                            notes: (String) -> Void = { _ in }) throws -> DigitServer {
        let (committee, metadata): (Committee<Float>, [String: String])
        do {
            (committee, metadata) = try CommitteeFile.read(Float.self, from: model)
        } catch {
            throw ServeError("\(error)")
        }
        let reader: DigitReader
        do {
            reader = try DigitReader(committee: committee)
        } catch {
            throw ServeError("\(model.path): \(error)")
        }
        let isCommittee = CommitteeFile.isCommittee(metadata)
        let folder = model.deletingLastPathComponent()
        var metrics: RunMetrics?
        let metricsURL = folder.appendingPathComponent("metrics.json")
        if !isCommittee, FileManager.default.fileExists(atPath: metricsURL.path) {
            do { metrics = try RunMetrics.read(from: metricsURL) } catch {
                notes("\(metricsURL.path) could not be read (\(error)): the page shows only what the model file says")
            }
        }
        let curves = isCommittee ? nil : try? Data(contentsOf: folder.appendingPathComponent("curves.svg"))
        var samples: TestDigits?
        if let data {
            do { samples = try TestDigits.load(from: data) } catch {
                notes("no test digits (\(error)): the page shows no examples")
            }
        }
        let info = ModelInfo(committee: committee, metadata: metadata, metrics: metrics, modelURL: model)
        return DigitServer(reader: reader, info: info, samples: samples, curvesSVG: curves.map { [UInt8]($0) }, limits: limits)
    }

    // MARK: Routes

    typealias Context = BasicRequestContext
    typealias Handler = @Sendable (Request, Context) async throws -> Response

    /// Every route: path, method, handler.
    var routes: [(path: String, method: HTTPRequest.Method, handler: Handler)] {
        [
            ("/", .get, { _, _ in Self.asset(Page.html, type: "text/html; charset=utf-8") }),
            ("/style.css", .get, { _, _ in Self.asset(Page.css, type: "text/css; charset=utf-8") }),
            ("/app.js", .get, { _, _ in Self.asset(Page.js, type: "text/javascript; charset=utf-8") }),
            ("/curves.svg", .get, { _, _ in try self.curves() }),
            ("/healthz", .get, { _, _ in Self.json(Self.healthy) }),
            ("/api/model", .get, { _, _ in Self.json(self.modelJSON) }),
            ("/api/samples", .get, { request, _ in try self.sampleDigits(request) }),
            ("/api/predict", .post, { request, _ in try await self.predict(request) }),
        ]
    }

    /// The router: every route, behind `APIMiddleware` (the `Host` check, JSON errors, one log line
    /// per request).
    public func router(logger: Logger = Logger(label: "perceptron"),
                       hosts: HostAllowList = HostAllowList(host: "127.0.0.1", port: nil)) -> Router<BasicRequestContext> {
        router(logger: logger, hosts: NIOLockedValueBox(hosts))
    }

    func router(logger: Logger, hosts: NIOLockedValueBox<HostAllowList>) -> Router<BasicRequestContext> {
        let router = Router(context: Context.self, options: .autoGenerateHeadEndpoints)
        var methods: [String: [HTTPRequest.Method]] = [:]
        for route in routes {
            methods[route.path, default: []].append(route.method)
            if route.method == .get { methods[route.path, default: []].append(.head) }
        }
        router.add(middleware: APIMiddleware<Context>(routes: methods, hosts: hosts, logger: logger))
        for route in routes {
            let handler = route.handler
            router.on(RouterPath(route.path), method: route.method) { request, context in try await handler(request, context) }
        }
        return router
    }

    /// The application listening on `host:port` (port 0: any free port), answering to the `Host`
    /// names of `HostAllowList(host:port:extra: allowedHosts)`, its connections kept as `limits`
    /// say (`GuardedHTTP1Channel`); `onRunning` hears the port.
    public func application(host: String = "127.0.0.1", port: Int = 8080, allowedHosts: [String] = [],
                            logger: Logger = Logger(label: "perceptron"),
                            onRunning: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        var serverLogger = logger
        serverLogger.logLevel = .warning  // Hummingbird's own start-up and connection notes
        let hosts = NIOLockedValueBox(HostAllowList(host: host, port: port == 0 ? nil : port, extra: allowedHosts))
        let (limits, registry) = (limits, ConnectionRegistry(maximum: limits.maximumConnections, logger: logger))
        let server = HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, registry: registry, logger: logger)
        }
        return Application(router: router(logger: logger, hosts: hosts), server: server,
                           configuration: .init(address: .hostname(host, port: port), backlog: Self.backlog(for: limits)),
                           onServerRunning: { channel in
                               let bound = channel.localAddress?.port ?? port
                               hosts.withLockedValue { $0.port = bound }
                               onRunning(bound)
                           },
                           logger: serverLogger)
    }

    /// The listening socket's queue of connections not yet accepted: room for a burst as large as
    /// the cap, so that a flood's connections do not crowd out a new client's before the server
    /// can accept (and, past the cap, refuse or make room for) them.
    static func backlog(for limits: ServerLimits) -> Int { max(256, min(limits.maximumConnections, 4096)) }

    /// Serves until SIGINT or SIGTERM, then shuts down gracefully.
    public func run(host: String, port: Int, allowedHosts: [String] = [], logger: Logger = Logger(label: "perceptron"),
                    onRunning: @escaping @Sendable (Int) -> Void) async throws {
        do {
            try await application(host: host, port: port, allowedHosts: allowedHosts, logger: logger, onRunning: onRunning)
                .runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ServeError("cannot listen on \(host):\(port): the port is in use (choose another with --port, or --port 0 for any free one)")
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
            throw ServeError("cannot listen on \(host):\(port): \(host) is not an address of this machine")
        } catch is CancellationError {
            return
        } catch {
            throw ServeError("cannot listen on \(host):\(port): \(error)")
        }
    }

    // MARK: Handlers

    static let healthy = ByteBuffer(string: #"{"status":"ok"}"#)

    func curves() throws -> Response {
        guard let curvesSVG else { throw APIError(.notFound, "no curves.svg beside the model") }
        return Self.asset(ByteBuffer(bytes: curvesSVG), type: "image/svg+xml")
    }

    func sampleDigits(_ request: Request) throws -> Response {
        guard let samples else {
            throw APIError(.notFound, "no MNIST test set: start the server with --data DIR (a folder with t10k-images-idx3-ubyte)")
        }
        var count = 12
        if let text = request.uri.queryParameters["count"] {
            guard let value = Int(text), (1...Self.maximumSamples).contains(value) else {
                throw APIError.badRequest("count is \"\(text)\": expected a whole number from 1 to \(Self.maximumSamples)")
            }
            count = value
        }
        var generator = SystemRandomNumberGenerator()
        var writer = JSONWriter(capacity: count * 3000)
        writer.raw(#"{"samples":["#)
        for (position, sample) in samples.sample(count, using: &generator).enumerated() {
            if position > 0 { writer.raw(",") }
            writer.raw(#"{"index":"#)
            writer.int(sample.index)
            writer.raw(#","label":"#)
            writer.int(sample.label)
            writer.raw(#","pixels":"#)
            writer.fractions(sample.pixels)
            writer.raw("}")
        }
        writer.raw("]}")
        return Self.json(ByteBuffer(bytes: writer.bytes))
    }

    func predict(_ request: Request) async throws -> Response {
        try Self.requireJSON(request)
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maximumBodySize {
            throw APIError.bodyTooLarge
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumBodySize)
        } catch is NIOTooManyBytesError {
            throw APIError.bodyTooLarge
        }
        let bytes = Array(body.readableBytesView)
        let answer = try await workers.run {
            do {
                return try self.answer(to: bytes)
            } catch let error as PredictRequestError {
                throw APIError.badRequest(error.message)
            }
        }
        return Self.json(ByteBuffer(bytes: answer))
    }

    /// The answer to a prediction's body: read, brought into the network's form, read by the
    /// network (on a `PredictionWorkers` thread).
    func answer(to body: [UInt8]) throws(PredictRequestError) -> [UInt8] {
        switch try PredictRequest.parse(body) {
        case .pixels(let pixels):
            return prediction(for: pixels)
        case .image(let image):
            let mnist = DigitPreprocessing.networkInput(from: image)
            return prediction(for: mnist.map { Float($0) / 255 }, bytes: mnist)
        }
    }

    /// Throws 415 unless the request says its body is JSON (`Content-Type: application/json`,
    /// parameters such as `charset` allowed).
    static func requireJSON(_ request: Request) throws {
        let type = request.headers[.contentType]
        let mediaType = type?.split(separator: ";", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard mediaType == "application/json" else {
            let given = type.map { "Content-Type is \"\($0)\"" } ?? "the request has no Content-Type"
            throw APIError(.unsupportedMediaType, "\(request.uri.path) takes a JSON body, sent with Content-Type: application/json; "
                               + "\(given)")
        }
    }

    /// `{"digit":d,"probabilities":[10],"input":[784],"blank":b,"unsure":u}` for `input`; `bytes`
    /// are the same input as bytes when it came from an image (written with the shared table of
    /// k/255). Blank: no ink (an all-zero input); unsure: blank, or the top probability below 0.6
    /// (`ReadingConfidence`).
    func prediction(for input: [Float], bytes: [UInt8]? = nil) -> [UInt8] {
        let probabilities = reader.probabilities(of: input)
        var writer = JSONWriter(capacity: 6000)
        writer.raw(#"{"digit":"#)
        writer.int(DigitReader.digit(of: probabilities))
        writer.raw(#","probabilities":"#)
        writer.numbers(probabilities)
        writer.raw(#","input":"#)
        if let bytes { writer.fractions(bytes) } else { writer.inputs(input) }
        let blank = input.allSatisfy { $0 == 0 }
        writer.raw(#","blank":"#)
        writer.raw(blank ? "true" : "false")
        writer.raw(#","unsure":"#)
        writer.raw(ReadingConfidence.isUnsure(probabilities: probabilities, foundInk: !blank) ? "true" : "false")
        writer.raw("}")
        return writer.bytes
    }

    static func json(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: body))
    }

    /// The page's files: allowed to load only from this server.
    static func asset(_ body: ByteBuffer, type: String) -> Response {
        Response(status: .ok, headers: [
            .contentType: type,
            .cacheControl: "no-cache",
            .contentSecurityPolicy: "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'",
            .xContentTypeOptions: "nosniff",
        ], body: .init(byteBuffer: body))
    }
}
