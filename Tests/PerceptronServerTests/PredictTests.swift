import Foundation
import Hummingbird
import NIOEmbedded
import HummingbirdTesting
import Perceptron
import PerceptronData
@testable import PerceptronServer
import Testing

@Suite struct PredictTests {
    @Test func pixelsAreUsedAsGiven() async throws {
        let server = try makeServer()
        try await withClient(server) { client in
            let pixels = ringPixels().enumerated().map { $0.element * Double($0.offset % 7) / 6 }
            let response = try await client.execute(uri: "/api/predict", method: .post, body: jsonBody(["pixels": pixels]))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let result = try object(response)
            let probabilities = try #require(result["probabilities"] as? [Double])
            let expected = server.reader.network.probabilities(Matrix(rows: 1, columns: 784, elements: pixels.map(Float.init))).elements
            #expect(probabilities.count == 10)
            for (p, e) in zip(probabilities, expected) { #expect(abs(p - Double(e)) < 1e-5) }
            #expect(result["digit"] as? Int == DigitReader.digit(of: expected))
            #expect((result["input"] as? [Double])?.map(Float.init) == pixels.map(Float.init))
            #expect(result["blank"] as? Bool == false)
            #expect(result["unsure"] as? Bool == (expected.max() ?? 0 < 0.6))
        }
    }

    @Test func otherKeysAndAnyValidJSONAreAccepted() async throws {
        try await withClient(makeServer()) { client in
            let numbers = ringPixels().enumerated().map { $0.element == 0 ? "0" : ($0.offset % 2 == 0 ? "1.0E0" : "1") }
            let body = "\n { \"note\" : {\"a\": [1, -2.5e-3, {\"b\": null}, true, \"\\u00e9\\\"\"]},\r\n"
                + "\t\"pixels\" :[ " + numbers.joined(separator: " , ") + " ] , \"image\": null } "
            let response = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(string: body))
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            #expect((try object(response)["input"] as? [Double]) == ringPixels())
        }
    }

    @Test func aDrawnPNGIsPreprocessedLikePredict() async throws {
        let drawing = drawnZero()
        let png = PNGEncoder.encode(drawing)
        let expected = DigitPreprocessing.networkInput(from: try PNGDecoder.decode(png, path: "test"))
        #expect(expected.filter { $0 > 0 }.count > 50, "the drawing has ink")
        let server = try makeServer()
        try await withClient(server) { client in
            for prefix in ["", "data:image/png;base64,"] {
                let body = try jsonBody(["image": prefix + Data(png).base64EncodedString()])
                let response = try await client.execute(uri: "/api/predict", method: .post, body: body)
                #expect(response.status == .ok)
                let result = try object(response)
                let input = try #require(result["input"] as? [Double])
                #expect(input.count == 784)
                #expect(input.map(Float.init) == expected.map { Float($0) / 255 }, "the input is DigitPreprocessing's")
                let probabilities = try #require(result["probabilities"] as? [Double])
                let direct = server.reader.probabilities(ofBytes: expected)
                for (p, d) in zip(probabilities, direct) { #expect(abs(p - Double(d)) < 1e-6) }
                #expect(result["blank"] as? Bool == false)
            }
            // The digit is centred like MNIST's: its centre of mass near (14, 14).
            let mass = expected.reduce(0) { $0 + Double($1) }
            let meanX = expected.enumerated().reduce(0) { $0 + Double($1.offset % 28) * Double($1.element) } / mass
            let meanY = expected.enumerated().reduce(0) { $0 + Double($1.offset / 28) * Double($1.element) } / mass
            #expect(abs(meanX - 14) < 1 && abs(meanY - 14) < 1)
        }
    }

    @Test func colourPNGsWithTransparencyAndBlankPictures() async throws {
        try await withClient(makeServer()) { client in
            // Black ink, transparent elsewhere (composited over white): the same digit as on white.
            let drawing = drawnZero(side: 64)
            let rgba = drawing.pixels.flatMap { $0 < 0.5 ? [UInt8](arrayLiteral: 0, 0, 0, 255) : [0, 0, 0, 0] }
            let png = PNGEncoder.encode(rgba8: rgba, width: 64, height: 64)
            let response = try await client.execute(uri: "/api/predict", method: .post,
                                                    body: jsonBody(["image": Data(png).base64EncodedString()]))
            #expect(response.status == .ok)
            let expected = DigitPreprocessing.networkInput(from: try PNGDecoder.decode(png, path: "test"))
            #expect((try object(response)["input"] as? [Double])?.map(Float.init) == expected.map { Float($0) / 255 })

            // An empty canvas: no digit, an all-zero input, said as "blank".
            let white = PNGEncoder.encode(GreyImage(width: 50, height: 50, filledWith: 1))
            let blankResponse = try await client.execute(uri: "/api/predict", method: .post,
                                                         body: jsonBody(["image": Data(white).base64EncodedString()]))
            let blank = try object(blankResponse)
            #expect(blank["blank"] as? Bool == true)
            #expect(blank["unsure"] as? Bool == true)
            #expect((blank["input"] as? [Double])?.allSatisfy { $0 == 0 } == true)
        }
    }

    /// Every kind of malformed request: 400, a JSON error saying what was wrong.
    static let malformed: [(body: String, says: String)] = {
        let ok = ringPixels().map { String($0) }
        func pixels(_ values: [String]) -> String { #"{"pixels":["# + values.joined(separator: ",") + "]}" }
        func withValue(_ index: Int, _ value: String) -> String {
            var values = ok
            values[index] = value
            return pixels(values)
        }
        let png = Data(PNGEncoder.encode(drawnZero(side: 40)))
        var huge = [UInt8](PNGEncoder.encode(drawnZero(side: 40)))
        huge.replaceSubrange(16..<24, with: [0, 0, 0x27, 0x10, 0, 0, 0x27, 0x10])  // 10000×10000 claimed
        return [
            ("", "empty"),
            ("   \n", "empty"),
            ("{", "malformed JSON"),
            (#"{"pixels": [0, 1,]}"#, "malformed JSON"),
            ("pixels=1,2,3", "malformed JSON"),
            (#"{"pixels": [NaN]}"#, "pixels[0] is NaN"),
            (#"{"pixels": [0, -Infinity]}"#, "pixels[1] is -Infinity"),
            (#"{"pixels": [0, 01]}"#, "malformed JSON"),
            (#"{"pixels": [0, .5]}"#, "malformed JSON"),
            (#"{"pixels": [0, 1e]}"#, "malformed JSON"),
            (#"{"pixels": [0 1]}"#, "malformed JSON"),
            (#"{"pixels": [0, 1]"#, "malformed JSON"),
            (#"{"pixels": [0, 1]} x"#, "malformed JSON"),
            (#"{"pixels" [0]}"#, "malformed JSON"),
            (#"{pixels: [0]}"#, "malformed JSON"),
            (#"{"image": "abc}"#, "malformed JSON"),
            (#"{"image": "a\qb"}"#, "malformed JSON"),
            ("{\"x\": " + String(repeating: "[", count: 100_000), "nested more than"),
            ("[1, 2, 3]", "not a JSON object"),
            ("42", "not a JSON object"),
            ("{}", "neither"),
            (#"{"pixels": null}"#, "neither"),
            (#"{"picture": "x"}"#, "neither"),
            (#"{"pixels": [0], "image": "iVBORw0KGgo="}"#, "not both"),
            (#"{"pixels": 5}"#, "not an array"),
            (#"{"pixels": "0,0,0"}"#, "not an array"),
            (pixels(Array(ok.dropLast())), "783 values"),
            (pixels(ok + ["0"]), "785 values"),
            (pixels([]), "0 values"),
            (withValue(100, "1.5"), "pixels[100] is 1.5, outside 0…1"),
            (withValue(100, "-0.25"), "pixels[100] is -0.25, outside 0…1"),
            (withValue(100, "1e999"), "pixels[100] is 1e999, outside 0…1"),
            (withValue(783, "1.0000001"), "pixels[783] is 1.0000001"),
            (withValue(100, #""0.5""#), "pixels[100] is not a number but a string"),
            (withValue(100, "null"), "pixels[100] is not a number but null"),
            (withValue(100, "[0]"), "pixels[100] is not a number"),
            (#"{"image": 5}"#, "not a string"),
            (#"{"image": ""}"#, "empty"),
            (#"{"image": "not base64!"}"#, "not valid base64"),
            (#"{"image": "data:image/png,abc"}"#, "not base64"),
            (#"{"image": "\#(Data("GIF89a-not-a-png".utf8).base64EncodedString())"}"#, "not a PNG or JPEG"),
            (#"{"image": "\#(Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]).base64EncodedString())"}"#, "the JPEG header cannot be read"),
            (#"{"image": "\#(png.prefix(40).base64EncodedString())"}"#, "image:"),
            (#"{"image": "\#(Data(huge).base64EncodedString())"}"#, "10000×10000"),
        ]
    }()

    @Test func malformedRequestsAre400WithAReason() async throws {
        try await withClient(makeServer()) { client in
            for (body, says) in Self.malformed {
                let response = try await client.execute(uri: "/api/predict", method: .post, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body.prefix(60))")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let message = try errorMessage(response)
                #expect(message.contains(says), "\(body.prefix(60)) → \(message)")
                try await expectValidPrediction(client)
            }
        }
    }

    @Test func bodiesOver1MBAre413() async throws {
        try await withClient(makeServer()) { client in
            // Exactly 1 MB passes the size check (and is then refused as JSON).
            let limit = DigitServer.maximumBodySize
            let atLimit = try await client.execute(uri: "/api/predict", method: .post,
                                                   body: ByteBuffer(repeating: UInt8(ascii: " "), count: limit))
            #expect(atLimit.status == .badRequest)
            for size in [limit + 1, 3 * limit] {
                let response = try await client.execute(uri: "/api/predict", method: .post,
                                                        body: ByteBuffer(repeating: UInt8(ascii: "1"), count: size))
                #expect(response.status == .contentTooLarge)
                #expect(try errorMessage(response).contains("1 MB"))
            }
            try await expectValidPrediction(client)
        }
    }

    @Test func bodyLimitWhileReading() async throws {
        // A body whose Content-Length is not known up front is cut off while it is read.
        let server = try makeServer()
        let router = server.router(logger: quietLogger).buildResponder()
        let chunks = AsyncStream<ByteBuffer> { continuation in
            for _ in 0..<40 { continuation.yield(ByteBuffer(repeating: UInt8(ascii: "1"), count: 32 * 1024)) }
            continuation.finish()
        }
        let request = Request(head: .init(method: .post, scheme: "http", authority: "localhost", path: "/api/predict"),
                              body: RequestBody(asyncSequence: chunks))
        let context = BasicRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: quietLogger))
        let response = try await router.respond(to: request, context: context)
        #expect(response.status == .contentTooLarge)
    }
}
