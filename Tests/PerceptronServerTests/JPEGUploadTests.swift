import Foundation
import Hummingbird
import NIOCore
import PerceptronData
@testable import PerceptronServer
import Testing

/// JPEG uploads: photos go through the same decoding and preprocessing as `perceptron predict`.
@Suite struct JPEGUploadTests {
    /// A 120 × 100 JPEG (Pillow, quality 90) of MNIST test digit 10, a 0, drawn dark on light paper.
    static let zero = Data(base64Encoded:
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMU" +
        "FRUVDA8XGBYUGBIUFRT/2wBDAQMEBAUEBQkFBQkUDQsNFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQU" +
        "FBQUFBQUFBT/wAARCABkAHgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF" +
        "BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW" +
        "V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi" +
        "4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC" +
        "AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVm" +
        "Z2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq" +
        "8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD9RaKKKACip7b+L8KnoAo0VeooAo0VeooAo0VeooAo0VeooAo0VeqjQAUUUUAFFFFAE9t/" +
        "F+FT1BbfxfhU9ABRRXA/HD4hL8M/htrmuAlZra2Z4yOzCgCr8SP2gPBPwukWDW9dtLW7MgRoJHwy+5rivHn7a3wv8IaR9rt/E+n6" +
        "hJt3CKOX9K/Db4v/ABS8TftI/FOe5eaa6lu59kaLnA5wDivpf4e/8EpPiF4p0y3vNSvo1jnQOqbyMA0AfYPhr/gqv4N1q/v4Lm1g" +
        "s47c4SRpT+8/WvbPht+218NPHkSCbxFYadM/CJJL1PpXw5F/wR11do0339sD3/e18k/tNfskeLf2ZvEZeTzJrKOUGKaHJCn6igD+" +
        "hHTtTtdXtUubOdLmBxlZIzkEVar80f8AgmP+2Dc+JdNTwZ4ovDPqJk2wMxxhRwK/S0EMMg5HqKAFqjV6qNABRRRQAUUUUAT238X4" +
        "VPUFt/F+FT0AFfJ//BRT4laJ4I+CWqWOp3Pk3WoWzpbr/ePNfWFfjj/wU++MQ+LPxD0nwTpi+dcW85gKockHNAEn/BLP9mjSvGus" +
        "/wDCWazG0gRCYlYZGQeK/YW2to7SCOGJQkcahVAGOBXzH+wF8GX+FnwS0cXSGO9lUllYYIFfUNABXm/x2+EGhfF3wLqOnavbI+yG" +
        "SRJAgLBgpxz+Ar0ioL9Q1jcAjIMbAj8KAP52fCt3ffs9ftIpMzPbpbXjrGM4BUtxX9Afwr14+KPh34f1Zjlru1WUn61+H37fthbW" +
        "X7SlmlvCsSswJA7ncK/aX9nQY+B3gv8A7B0f9aAPRqo1eqjQAUUUUAFFFFAE9t/F+FT1BbfxfhU9ADJpo7eNpJXWNFGSzHAFfiFB" +
        "pem+JP2+Z/Pxcx/2xxg5H3q/YX42yPF8N9WaN2jcRnDKeehr8Rf2d5ZJf208ySNI39q9WOT96gD97bGxh061jt7dBHEgwqjtViii" +
        "gAqC9/48rjPH7tv5VPXl3x5+Muj/AAq8Fanc3t0kVwYHWNSe+00AfjV/wUEljf8AaWsjHIsgBXJU9PmFftB+zpz8DvBf/YOj/rX4" +
        "dfCzwpqP7W/7TsNvd+ZJaS3TkyLnhQ3FfvV8PvC8fgnwVo+hREmOwt1gUnrgUAdDVGr1UaACiiigAooooAntv4vwqeoLb+L8KnoA" +
        "yfFOgR+JtDudOlbakylST2r8NdBfSvhV+3JcC8vI4raLVvmkY4AG6v3gr8yv24/+Ced14in1fx74XCpeJuuZlU5dz14FAH3xB8eP" +
        "h/cwpKnivTirAEfvak/4Xj4BP/M16d/39r+deS8+I+kO1o1lq6mM7cC2kPT3ApBr3xGH/LnrHp/x6y/4UAftj8cP+ChvgT4UuI9P" +
        "urXXJejLHJ0P4V+XX7Tv7VviP9qz4giz0aGezsLiZYlgiJIAJxXP/Dj9if4mfGW5s5khkt5L4ghrtG+XPrmv0l/ZL/4Jr6d8IXjv" +
        "fGcdvqmoRjKtEwI3djQB2H7CH7HOnfAjwhZ6tehLrWblVnE7L8y5GcV9g1FbW8dpbxwRLsjjUKqjsBUtABVGr1UaACiiigAooooA" +
        "ntv4vwqeqsUvl54zmn/af9n9aAJ6ZLEk8bRyIskbDBVxkH8Kj+0/7P60faf9n9aAM1vBvh9jltD00n1NpH/hR/whfh7/AKAOmf8A" +
        "gHH/AIVpfaf9n9aPtP8As/rQBHa6RYWW37PZW8G3p5USrj8hVuoPtP8As/rR9p/2f1oAnoqD7T/s/rR9p/2f1oAnqjU/2n/Z/WoK" +
        "ACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKAP/Z")!

    /// A 64 × 48 JPEG of blank off-white paper.
    static let blank = Data(base64Encoded:
        "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwXExQaFRERGCEYGh0d" +
        "Hx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4e" +
        "Hh4eHh4eHh7/wAARCAAwAEADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF" +
        "BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW" +
        "V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi" +
        "4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC" +
        "AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVm" +
        "Z2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq" +
        "8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD6jooorlNQooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKAP/" +
        "2Q==")!

    @Test func aJPEGIsDecodedAndPreprocessedLikePredict() async throws {
        let expected = DigitPreprocessing.networkInput(
            from: try JPEGDecoder.decode([UInt8](Self.zero), path: "zero.jpg", scaledDownTo: DigitPreprocessing.workingSide))
        #expect(expected.filter { $0 > 0 }.count > 50, "the photo has ink")
        try await withClient(makeServer()) { client in
            for prefix in ["", "data:image/jpeg;base64,"] {
                let body = try jsonBody(["image": prefix + Self.zero.base64EncodedString()])
                let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: body)
                #expect(response.status == .ok)
                let result = try object(response)
                #expect((result["input"] as? [Double])?.map(Float.init) == expected.map { Float($0) / 255 })
                #expect(result["blank"] as? Bool == false)
                #expect(result["unsure"] is Bool)
            }
        }
    }

    @Test func blankPaperIsBlankAndUnsure() async throws {
        try await withClient(makeServer()) { client in
            let body = try jsonBody(["image": Self.blank.base64EncodedString()])
            let result = try object(try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: body))
            #expect(result["blank"] as? Bool == true)
            #expect(result["unsure"] as? Bool == true)
        }
    }

    @Test func aDamagedJPEGIs400SayingSo() async throws {
        try await withClient(makeServer()) { client in
            let body = try jsonBody(["image": Self.zero.prefix(300).base64EncodedString()])
            let response = try await client.execute(uri: "/api/predict", method: .post, headers: jsonHeaders, body: body)
            #expect(response.status == .badRequest)
            #expect(try errorMessage(response).contains("JPEG"))
        }
    }
}
