import Hummingbird
@testable import PerceptronServer
import Testing

@Suite struct HostTests {
    @Test("the listening address and loopback's names are allowed, alone or with the server's port")
    func allowed() {
        let hosts = HostAllowList(host: "127.0.0.1", port: 8080)
        for authority in ["localhost", "localhost:8080", "LOCALHOST:8080", "localhost.:8080", "127.0.0.1:8080", "127.0.0.1",
                          "[::1]:8080", "[::1]"] {
            #expect(hosts.allows(authority), "\(authority)")
        }
        for authority in ["evil.com", "evil.com:8080", "localhost:8081", "127.0.0.2:8080", "localhost.evil.com:8080",
                          "127.0.0.1.nip.io:8080", "[::2]:8080", "localhost:80a", "", ":8080", "[::1]:99999"] {
            #expect(!hosts.allows(authority), "\(authority)")
        }
    }

    @Test("the host listened on is allowed; --allow-host adds names, with any port or the one given")
    func addedNames() {
        let hosts = HostAllowList(host: "digits.lan", port: 9000, extra: ["Proxy.Example", "front.example:443", "::1"])
        #expect(hosts.allows("digits.lan:9000"))
        #expect(hosts.allows("proxy.example"))
        #expect(hosts.allows("proxy.example:9000"))
        #expect(!hosts.allows("proxy.example:443"), "a name without a port takes the server's port")
        #expect(hosts.allows("front.example:443"))
        #expect(!hosts.allows("front.example"))
        #expect(!hosts.allows("front.example:9000"))
        #expect(hosts.allows("[::1]:9000"))
        #expect(!hosts.allows("other.lan:9000"))
    }

    @Test("with no port known, any port of an allowed name is")
    func anyPort() {
        let hosts = HostAllowList(host: "127.0.0.1", port: nil)
        #expect(hosts.allows("localhost:1234"))
        #expect(!hosts.allows("evil.com:1234"))
    }

    @Test("listening on every interface, this machine's addresses are allowed")
    func everyInterface() {
        let hosts = HostAllowList(host: "0.0.0.0", port: 8080)
        #expect(hosts.allows("127.0.0.1:8080"))
        #expect(hosts.names.isSuperset(of: HostAllowList.loopback))
        #expect(!hosts.allows("evil.com:8080"))
    }

    /// The router's answer to `GET path` with `Host: authority`.
    func answer(_ authority: String?, path: String = "/api/model", hosts: HostAllowList) async throws -> RouterClient.Answer {
        let client = RouterClient(responder: try makeServer().router(logger: quietLogger, hosts: hosts).buildResponder())
        return try await client.execute(uri: path, method: .get, authority: authority)
    }

    @Test("a request for another Host is refused with 421 and a JSON reason, on every path")
    func misdirected() async throws {
        let hosts = HostAllowList(host: "127.0.0.1", port: 8080)
        for path in ["/api/model", "/", "/healthz", "/nope"] {
            let response = try await answer("attacker.example:8080", path: path, hosts: hosts)
            #expect(response.status == .misdirectedRequest, "\(path)")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(response.headers[.connection] == "close")
        }
        let missing = try await answer(nil, hosts: hosts)
        #expect(missing.status == .badRequest)
        #expect(try await answer("localhost:8080", hosts: hosts).status == .ok)
    }
}
