#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The names a request's `Host` may give: the address the server listens on and the names of this
/// machine's loopback (`localhost`, `127.0.0.1`, `[::1]`), each alone or with the server's port,
/// and the names added with `--allow-host`. Anything else is refused (421), so that a page on
/// another site whose name an attacker points at 127.0.0.1 (DNS rebinding) cannot read the API.
///
/// Listening on every interface (`0.0.0.0` or `::`), the addresses of this machine's interfaces and
/// its host name are allowed too. Names compare without regard to case, and a final dot is ignored.
public struct HostAllowList: Sendable, Equatable {
    /// The allowed names, lower-cased, IPv6 addresses in brackets.
    public private(set) var names: Set<String>
    /// Names allowed with one port only (given as `NAME:PORT`), lower-cased.
    public private(set) var namesWithPort: Set<String> = []
    /// The server's port; nil: any.
    public var port: Int?

    /// The loopback names.
    public static let loopback: Set<String> = ["localhost", "127.0.0.1", "[::1]"]

    /// The list for a server listening on `host` (and `port`, nil: any), with `extra` names
    /// (`NAME` or `NAME:PORT`).
    public init(host: String, port: Int?, extra: [String] = []) {
        names = Self.loopback
        self.port = port
        let listening = Self.normalised(host)
        if listening == "0.0.0.0" || listening == "[::]" {
            names.formUnion(Self.machineNames())
        } else {
            names.insert(listening)
        }
        for name in extra {
            let (bare, namePort) = Self.split(Self.normalised(name))
            if namePort != nil { namesWithPort.insert(Self.normalised(name)) } else { names.insert(bare) }
        }
    }

    /// Whether a request whose `Host` is `authority` is answered.
    public func allows(_ authority: String) -> Bool {
        let normalised = Self.normalised(authority)
        if namesWithPort.contains(normalised) { return true }
        let (name, requestPort) = Self.split(normalised)
        guard names.contains(name) else { return false }
        guard let requestPort else { return true }
        return port == nil || requestPort == port
    }

    /// What the refusal says is accepted: `localhost:8080, 127.0.0.1:8080, …`.
    public var described: String {
        let suffix = port.map { ":\($0)" } ?? ""
        return (names.sorted().map { $0 + suffix } + namesWithPort.sorted()).joined(separator: ", ")
    }

    /// Lower case, without a final dot; a bare IPv6 address put in brackets.
    static func normalised(_ text: String) -> String {
        var name = text.lowercased()
        if name.filter({ $0 == ":" }).count > 1, !name.hasPrefix("[") { name = "[\(name)]" }
        if name.hasSuffix(".") { name.removeLast() }
        if let colon = name.lastIndex(of: ":"), name[..<colon].hasSuffix(".") {
            name.remove(at: name.index(before: colon))
        }
        return name
    }

    /// `name:port` → (name, port); `[::1]:80` → ("[::1]", 80); a name alone → (name, nil). A port
    /// that is not a number stays part of the name (and so matches nothing).
    static func split(_ authority: String) -> (name: String, port: Int?) {
        guard let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") else { return (authority, nil) }
        guard let port = Int(authority[authority.index(after: colon)...]), (0...65535).contains(port) else {
            return (authority, nil)
        }
        return (String(authority[..<colon]), port)
    }

    /// This machine's host name and the addresses of its interfaces.
    static func machineNames() -> Set<String> {
        var result: Set<String> = []
        var buffer = [CChar](repeating: 0, count: 256)
        if gethostname(&buffer, buffer.count) == 0 {
            result.insert(normalised(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)))
        }
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return result }
        defer { freeifaddrs(list) }
        var entry: UnsafeMutablePointer<ifaddrs>? = first
        while let current = entry {
            if let address = current.pointee.ifa_addr {
                let family = Int32(address.pointee.sa_family)
                if family == AF_INET || family == AF_INET6 {
                    var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
                    let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
                    if getnameinfo(address, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 {
                        let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        if !text.contains("%") { result.insert(normalised(text)) }  // a scoped address has no Host form
                    }
                }
            }
            entry = current.pointee.ifa_next
        }
        return result
    }
}
