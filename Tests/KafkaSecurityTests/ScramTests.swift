import Foundation
import KafkaSecurity
import Testing

@Suite struct ScramTests {
    /// RFC 7677 §3: the SCRAM-SHA-256 example exchange, byte for byte.
    @Test func clientMatchesTheRFC7677Example() throws {
        var client = ScramClient(hash: .sha256, username: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(String(decoding: client.firstMessage(), as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        let final = try client.finalMessage(serverFirst: Array(serverFirst.utf8))
        #expect(
            String(decoding: final, as: UTF8.self)
                == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        #expect(throws: SASLError.self) {
            try client.verify(serverFinal: Array("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        }
    }

    @Test(arguments: [ScramHash.sha256, .sha512])
    func clientAndServerAgree(hash: ScramHash) throws {
        let credential = ScramCredential(password: "s3cret,=x", hash: hash, salt: Array("NaCl-salt".utf8))
        var server = ScramServer(hash: hash) { $0 == "ali=ce,1" ? credential : nil }
        var client = ScramClient(hash: hash, username: "ali=ce,1", password: "s3cret,=x")
        let serverFirst = try server.firstMessage(clientFirst: client.firstMessage())
        let serverFinal = try server.finalMessage(clientFinal: try client.finalMessage(serverFirst: serverFirst))
        try client.verify(serverFinal: serverFinal)
        #expect(server.authenticatedUser == "ali=ce,1")
    }

    @Test(arguments: [ScramHash.sha256, .sha512])
    func aWrongPasswordIsRefused(hash: ScramHash) throws {
        let credential = ScramCredential(password: "right", hash: hash, salt: [1, 2, 3, 4])
        var server = ScramServer(hash: hash) { _ in credential }
        var client = ScramClient(hash: hash, username: "bob", password: "wrong")
        let serverFirst = try server.firstMessage(clientFirst: client.firstMessage())
        let clientFinal = try client.finalMessage(serverFirst: serverFirst)
        let error = #expect(throws: SASLError.self) { try server.finalMessage(clientFinal: clientFinal) }
        #expect(error?.message.contains("wrong password") == true)
        #expect(server.authenticatedUser == nil)
    }

    @Test func unknownUsersLowIterationsAndBadNoncesAreRefused() throws {
        var server = ScramServer(hash: .sha256) { _ in nil }
        #expect(throws: SASLError.self) { try server.firstMessage(clientFirst: Array("n,,n=nobody,r=abc".utf8)) }
        #expect(throws: SASLError.self) { try server.firstMessage(clientFirst: Array("p=tls-unique,,n=a,r=abc".utf8)) }
        var client = ScramClient(hash: .sha256, username: "a", password: "b", nonce: "abc")
        #expect(throws: SASLError.self) { try client.finalMessage(serverFirst: Array("r=abcdef,s=AAAA,i=1000".utf8)) }
        #expect(throws: SASLError.self) { try client.finalMessage(serverFirst: Array("r=xyz,s=AAAA,i=4096".utf8)) }
        #expect(throws: SASLError.self) { try client.finalMessage(serverFirst: Array("garbage".utf8)) }
    }

    @Test func plainMessagesRoundTrip() throws {
        let message = SaslPlain.message(username: "alice", password: "pa\u{0}ss")
        #expect(message == [0] + Array("alice".utf8) + [0] + Array("pa\u{0}ss".utf8))
        let parsed = try SaslPlain.parse(message)
        #expect(parsed.username == "alice")
        #expect(parsed.password == "pa\u{0}ss")
        #expect(throws: SASLError.self) { try SaslPlain.parse(Array("no-separators".utf8)) }
        #expect(throws: SASLError.self) { try SaslPlain.parse([UInt8]("admin".utf8) + [0] + Array("alice".utf8) + [0, 65]) }
    }
}
