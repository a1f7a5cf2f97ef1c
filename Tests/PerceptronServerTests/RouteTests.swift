import Foundation
import Hummingbird
import NIOCore
import Perceptron
import PerceptronData
@testable import PerceptronServer
import Testing

@Suite struct RouteTests {
    @Test func healthz() async throws {
        try await withClient(makeServer()) { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try object(response)["status"] as? String == "ok")
        }
    }

    @Test func pageAndAssets() async throws {
        try await withClient(makeServer()) { client in
            let page = try await client.execute(uri: "/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            let html = String(buffer: page.body)
            #expect(html.contains("<canvas"))
            #expect(html.contains("/app.js") && html.contains("/style.css"))
            #expect(!html.contains("http://") && !html.contains("https://"), "the page loads nothing from elsewhere")

            let style = try await client.execute(uri: "/style.css", method: .get)
            #expect(style.status == .ok)
            #expect(style.headers[.contentType] == "text/css; charset=utf-8")
            #expect(String(buffer: style.body).contains("touch-action: none"))

            let script = try await client.execute(uri: "/app.js", method: .get)
            #expect(script.status == .ok)
            #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(String(buffer: script.body).contains("/api/predict"))

            let head = try await client.execute(uri: "/", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
        }
    }

    @Test func model() async throws {
        try await withClient(makeServer()) { client in
            let response = try await client.execute(uri: "/api/model", method: .get)
            #expect(response.status == .ok)
            let info = try object(response)
            #expect(info["architecture"] as? String == "784-16-10")
            #expect(info["sizes"] as? [Int] == [784, 16, 10])
            #expect(info["activations"] as? [String] == ["relu", "identity"])
            #expect(info["parameters"] as? Int == 784 * 16 + 16 + 16 * 10 + 10)
            #expect(info["samples"] as? Int == 5)
            #expect(info["curves"] as? String == "/curves.svg")
        }
    }

    @Test func curves() async throws {
        try await withClient(makeServer()) { client in
            let response = try await client.execute(uri: "/curves.svg", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/svg+xml")
            #expect(String(buffer: response.body).hasPrefix("<svg"))
        }
        try await withClient(makeServer(curves: false)) { client in
            let response = try await client.execute(uri: "/curves.svg", method: .get)
            #expect(response.status == .notFound)
            #expect(try errorMessage(response).contains("curves.svg"))
            let model = try await client.execute(uri: "/api/model", method: .get)
            #expect(try object(model)["curves"] == nil)
        }
    }

    @Test func samples() async throws {
        try await withClient(makeServer()) { client in
            let response = try await client.execute(uri: "/api/samples?count=3", method: .get)
            #expect(response.status == .ok)
            let samples = try #require(try object(response)["samples"] as? [[String: Any]])
            #expect(samples.count == 3)
            let digits = fakeTestDigits()
            for sample in samples {
                let index = try #require(sample["index"] as? Int)
                let pixels = try #require(sample["pixels"] as? [Double])
                #expect(sample["label"] as? Int == Int(digits.images.labels[index]))
                #expect(pixels.count == 784)
                #expect(zip(pixels, digits.images.pixels(of: index)).allSatisfy { Float($0) == Float($1) / 255 })
            }
            #expect(Set(samples.compactMap { $0["index"] as? Int }).count == 3, "three different digits")

            // The default is 12; there are only 5 here, so all 5.
            let all = try await client.execute(uri: "/api/samples", method: .get)
            #expect((try object(all)["samples"] as? [Any])?.count == 5)

            for bad in ["0", "101", "abc", "-1", "2.5", ""] {
                let response = try await client.execute(uri: "/api/samples?count=\(bad)", method: .get)
                #expect(response.status == .badRequest, "count=\(bad)")
                #expect(try errorMessage(response).contains("count"))
            }
        }
        try await withClient(makeServer(samples: false)) { client in
            let response = try await client.execute(uri: "/api/samples?count=3", method: .get)
            #expect(response.status == .notFound)
            #expect(try errorMessage(response).contains("--data"))
            let model = try await client.execute(uri: "/api/model", method: .get)
            #expect(try object(model)["samples"] as? Int == 0)
        }
    }

    @Test func unknownPathsAndWrongMethods() async throws {
        try await withClient(makeServer()) { client in
            for path in ["/nope", "/api", "/api/predict/extra", "/index.html"] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(try errorMessage(response).contains("no such path"))
            }
            let cases: [(String, HTTPRequest.Method, String)] = [
                ("/api/predict", .get, "POST"), ("/api/predict", .put, "POST"), ("/healthz", .post, "GET, HEAD"),
                ("/api/model", .delete, "GET, HEAD"), ("/", .post, "GET, HEAD"), ("/api/samples", .patch, "GET, HEAD"),
            ]
            for (path, method, allowed) in cases {
                let response = try await client.execute(uri: path, method: method, body: ByteBuffer(string: "{}"))
                #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                #expect(response.headers[.allow] == allowed)
                #expect(try errorMessage(response).contains(allowed))
            }
            try await expectValidPrediction(client)
        }
    }
}

/// A valid `pixels` request succeeds: the server still works after whatever came before.
func expectValidPrediction(_ client: RouterClient) async throws {
    let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: jsonBody(["pixels": ringPixels()]))
    #expect(response.status == .ok)
    let result = try object(response)
    #expect((0...9).contains(result["digit"] as? Int ?? -1))
    #expect((result["probabilities"] as? [Double])?.count == 10)
    #expect((result["input"] as? [Double])?.count == 784)
}
