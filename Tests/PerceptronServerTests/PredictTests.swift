import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Perceptron
import PerceptronData
@testable import PerceptronServer
import Testing

@Suite struct PredictTests {
    @Test func pixelsAreUsedAsGiven() async throws {
        let server = try makeServer()
        try await withClient(server) { client in
            let pixels = ringPixels().enumerated().map { $0.element * Double($0.offset % 7) / 6 }
            let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: jsonBody(["pixels": pixels]))
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let result = try object(response)
            let probabilities = try #require(result["probabilities"] as? [Double])
            let expected = server.reader.committee.probabilities(Matrix(rows: 1, columns: 784, elements: pixels.map(Float.init))).elements
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
            let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
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
                let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: body)
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
            let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders,
                                                    body: jsonBody(["image": Data(png).base64EncodedString()]))
            #expect(response.status == .ok)
            let expected = DigitPreprocessing.networkInput(from: try PNGDecoder.decode(png, path: "test"))
            #expect((try object(response)["input"] as? [Double])?.map(Float.init) == expected.map { Float($0) / 255 })

            // An empty canvas: no digit, an all-zero input, said as "blank".
            let white = PNGEncoder.encode(GreyImage(width: 50, height: 50, filledWith: 1))
            let blankResponse = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders,
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
            (String(pixels(ok).dropLast()) + #", "pixels": [0]}"#, #"the key "pixels" appears twice"#),
            (#"{"image": null, "image": "x"}"#, #"the key "image" appears twice"#),
            (#"{"note": 1, "pixels": [0], "note": 2}"#, #"the key "note" appears twice"#),
            (#"{"x": [{"a": 1, "b": 2, "a": 3}]}"#, #"the key "a" appears twice"#),
            (#"{"pix\u0065ls": [0], "pixels": [1]}"#, #"the key "pixels" appears twice"#),
        ]
    }()

    @Test func malformedRequestsAre400WithAReason() async throws {
        try await withClient(makeServer()) { client in
            for (body, says) in Self.malformed {
                let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest, "\(body.prefix(60))")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let message = try errorMessage(response)
                #expect(message.contains(says), "\(body.prefix(60)) → \(message)")
                try await expectValidPrediction(client)
            }
        }
    }

    @Test("a POST whose body is not said to be JSON is refused with 415")
    func contentTypeIsRequired() async throws {
        try await withClient(makeServer()) { client in
            let body = try jsonBody(["pixels": ringPixels()])
            for (type, accepted) in [(nil, false), ("text/plain", false), ("application/x-www-form-urlencoded", false),
                                     ("application/jsonp", false), ("application/json", true),
                                     ("Application/JSON; charset=utf-8", true), (" application/json ;charset=UTF-8", true)] {
                var headers: HTTPFields = [:]
                if let type { headers[.contentType] = type }
                let response = try await client.execute(uri: "/api/predict", method: .post, headers: headers, body: body)
                if accepted {
                    #expect(response.status == .ok, "\(type ?? "none")")
                } else {
                    #expect(response.status == .unsupportedMediaType, "\(type ?? "none")")
                    #expect(try errorMessage(response).contains("Content-Type: application/json"))
                }
            }
        }
    }

    /// The answer of the router to a POST /api/predict whose body is `chunks` and then `ending`
    /// (thrown, as the connection throws it), with the log lines it wrote.
    func answer(toBody chunks: [String], ending: (any Error)?) async throws -> (Response, [(level: Logger.Level, message: String)]) {
        let log = LogRecorder()
        let router = try makeServer().router(logger: log.logger).buildResponder()
        let body = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
            for chunk in chunks { continuation.yield(ByteBuffer(string: chunk)) }
            continuation.finish(throwing: ending)
        }
        let request = Request(head: .init(method: .post, scheme: "http", authority: "localhost", path: "/api/predict",
                                          headerFields: jsonHeaders),
                              body: RequestBody(asyncSequence: body))
        let context = BasicRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: quietLogger))
        let response = try await router.respond(to: request, context: context)
        return (response, log.recorded)
    }

    @Test("a client that leaves in the middle of its body is logged once, at info, not as a 500")
    func abandonedUploads() async throws {
        for ending: any Error in [HTTPParserError.invalidEOFState, IOError(errnoCode: ECONNRESET, reason: "read"),
                                  ChannelError.ioOnClosedChannel] {
            let (response, lines) = try await answer(toBody: [#"{"pixels": [0, 0"#], ending: ending)
            #expect(response.status != .internalServerError, "\(ending)")
            #expect(lines.count == 1, "\(ending): \(lines)")
            #expect(lines.first?.level == .info)
            #expect(lines.first?.message.contains("POST /api/predict abandoned after") == true)
            #expect(lines.first?.message.contains("closed the connection before its body was complete") == true)
        }
    }

    @Test("a body that stops is answered 408, a body that is not valid HTTP 400, both closing the connection")
    func bodyErrorsFromTheConnection() async throws {
        let (late, lateLines) = try await answer(toBody: ["{"], ending: ConnectionGuard.BodyTimeout(seconds: 30))
        #expect(late.status == .requestTimeout)
        #expect(late.headers[.connection] == "close")
        #expect(lateLines.count == 1 && lateLines[0].message.contains("408") && lateLines[0].message.contains("30 s"))
        let (broken, _) = try await answer(toBody: ["{"], ending: HTTPParserError.invalidChunkSize)
        #expect(broken.status == .badRequest)
        #expect(broken.headers[.connection] == "close")
    }

    @Test("a string that is not UTF-8 (a lone, overlong or surrogate byte sequence) is malformed JSON; UTF-8 is read")
    func stringsMustBeUTF8() async throws {
        try await withClient(makeServer()) { client in
            let ring = Array(try jsonBody(["pixels": ringPixels()]).readableBytesView)
            for bad: [UInt8] in [[0xE9], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]] {
                let body = Array(#"{"note": ""#.utf8) + bad + Array(#"", "#.utf8) + ring.dropFirst()
                let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders,
                                                        body: ByteBuffer(bytes: body))
                #expect(response.status == .badRequest, "\(bad)")
                #expect(try errorMessage(response).contains("not UTF-8"), "\(bad)")
            }
            let body = Array(#"{"note": "é€😀", "#.utf8) + ring.dropFirst()
            let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders,
                                                    body: ByteBuffer(bytes: body))
            #expect(response.status == .ok)
        }
    }

    @Test func bodiesOver1MBAre413() async throws {
        try await withClient(makeServer()) { client in
            // Exactly 1 MB passes the size check (and is then refused as JSON).
            let limit = DigitServer.maximumBodySize
            let atLimit = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders,
                                                   body: ByteBuffer(repeating: UInt8(ascii: " "), count: limit))
            #expect(atLimit.status == .badRequest)
            for size in [limit + 1, 3 * limit] {
                let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders,
                                                        body: ByteBuffer(repeating: UInt8(ascii: "1"), count: size))
                #expect(response.status == .contentTooLarge)
                #expect(response.headers[.connection] == "close", "the connection closes after it")
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
        let request = Request(head: .init(method: .post, scheme: "http", authority: "localhost", path: "/api/predict",
                                          headerFields: jsonHeaders),
                              body: RequestBody(asyncSequence: chunks))
        let context = BasicRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: quietLogger))
        let response = try await router.respond(to: request, context: context)
        #expect(response.status == .contentTooLarge)
    }
}
