import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Perceptron
import PerceptronData
@testable import PerceptronServer
import Testing

/// A tiny untrained network, 784-16-10: the routes need a network, not a good one.
func tinyNetwork(seed: UInt64 = 7, activation: Activation = .relu, sizes: [Int] = [784, 16, 10]) -> Network<Float> {
    var generator = SplitMix64(seed: seed)
    var network = Network<Float>(sizes: sizes, hiddenActivation: activation, using: &generator)
    // Non-zero biases, so that the bias path is exercised too.
    for l in network.layers.indices {
        network.layers[l].bias.elements = network.layers[l].bias.elements.indices.map { Float($0 % 5) * 0.01 - 0.02 }
    }
    return network
}

/// Five made-up 28×28 "test digits": a filled square of ink, each in another place, labelled 0…4.
func fakeTestDigits() -> TestDigits {
    var images: [UInt8] = []
    for k in 0..<5 {
        var image = [UInt8](repeating: 0, count: 784)
        for y in 6 + k ..< 14 + k { for x in 8..<16 { image[y * 28 + x] = UInt8(50 * k + 5) } }
        images += image
    }
    return TestDigits(images: LabeledImages(images: images, labels: [0, 1, 2, 3, 4], rows: 28, columns: 28))
}

let quietLogger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

func makeServer(samples: Bool = true, curves: Bool = true) throws -> DigitServer {
    try DigitServer(reader: DigitReader(network: tinyNetwork()), samples: samples ? fakeTestDigits() : nil,
                    curvesSVG: curves ? Array(#"<svg xmlns="http://www.w3.org/2000/svg"/>"#.utf8) : nil)
}

/// Sends requests to the server's router in memory, no socket: each request's body arrives in
/// chunks of 32 KiB, as a connection would deliver it, and the response's body is collected whole.
struct RouterClient: Sendable {
    let responder: RouterResponder<BasicRequestContext>

    /// A response as the tests read it: its status, headers and whole body.
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    /// `authority` is the request's `Host` (`nil`: a request without one).
    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil,
                 authority: String? = "localhost") async throws -> Answer {
        var headers = headers
        if let body { headers[.contentLength] = String(body.readableBytes) }
        let chunks = AsyncStream<ByteBuffer> { continuation in
            var rest = body ?? ByteBuffer()
            while let chunk = rest.readSlice(length: min(32 * 1024, rest.readableBytes)), chunk.readableBytes > 0 {
                continuation.yield(chunk)
            }
            continuation.finish()
        }
        let request = Request(head: .init(method: method, scheme: "http", authority: authority, path: uri, headerFields: headers),
                              body: RequestBody(asyncSequence: chunks))
        let context = BasicRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: quietLogger))
        // An error that is not an HTTP response of its own is a 500, as the live server answers it.
        let response = (try? await responder.respond(to: request, context: context)) ?? Response(status: .internalServerError)
        let collected = BodyCollector()
        try await response.body.write(collected)
        return Answer(status: response.status, headers: response.headers, body: collected.bytes.withLockedValue { $0 })
    }

    /// A response body's bytes, as the server writes them.
    struct BodyCollector: ResponseBodyWriter {
        let bytes = NIOLockedValueBox(ByteBuffer())
        func write(_ buffer: ByteBuffer) async throws { bytes.withLockedValue { $0.writeImmutableBuffer(buffer) } }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

/// Runs `test` against the server's router, in memory.
func withClient(_ server: DigitServer, _ test: @Sendable (RouterClient) async throws -> Void) async throws {
    try await test(RouterClient(responder: server.router(logger: quietLogger).buildResponder()))
}

/// The body of a response as a JSON object.
func object(_ response: RouterClient.Answer) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView), options: [.fragmentsAllowed])
    return try #require(value as? [String: Any], "not a JSON object: \(String(buffer: response.body))")
}

/// The `error` of a JSON error response.
func errorMessage(_ response: RouterClient.Answer) throws -> String {
    let message = try object(response)["error"] as? String
    return try #require(message, "no \"error\" string in \(String(buffer: response.body))")
}

/// The headers of a JSON POST: `Content-Type: application/json`.
let jsonHeaders: HTTPFields = [.contentType: "application/json"]

func jsonBody(_ object: Any) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

/// 784 pixels: a ring, like a 0.
func ringPixels() -> [Double] {
    (0..<784).map { index in
        let (x, y) = (Double(index % 28) - 13.5, Double(index / 28) - 13.5)
        let r = ((x / 6) * (x / 6) + (y / 9) * (y / 9)).squareRoot()
        return abs(r - 1) < 0.2 ? 1 : 0
    }
}

/// A `side`×`side` grey picture of black ink on white: a tall ellipse (a 0) drawn with a round pen.
func drawnZero(side: Int = 200) -> GreyImage {
    var image = GreyImage(width: side, height: side, filledWith: 1)
    let (cx, cy) = (Double(side) * 0.5, Double(side) * 0.5)
    let (rx, ry, pen) = (Double(side) * 0.2, Double(side) * 0.32, Double(side) * 0.045)
    for y in 0..<side {
        for x in 0..<side {
            // Distance to the ellipse, approximately: |r − 1| scaled by the smaller radius.
            let (dx, dy) = ((Double(x) - cx) / rx, (Double(y) - cy) / ry)
            let distance = abs((dx * dx + dy * dy).squareRoot() - 1) * min(rx, ry)
            if distance < pen { image[x, y] = 0 }
        }
    }
    return image
}
