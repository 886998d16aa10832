import KafkaTestSupport
import Foundation

/// A throwaway certificate authority with a broker certificate (for 127.0.0.1 and
/// localhost) and a client certificate, made with the `openssl` command for one test.
struct TestCertificates {
    let directory: String
    var caFile: String { directory + "/ca.pem" }
    var brokerCertificate: String { directory + "/broker.pem" }
    var brokerKey: String { directory + "/broker.key" }
    var clientCertificate: String { directory + "/client.pem" }
    var clientKey: String { directory + "/client.key" }
    /// A second CA that signed nothing here: trusting only it must fail.
    var otherCAFile: String { directory + "/other-ca.pem" }

    static func make() async throws -> TestCertificates {
        let directory = makeTemporaryDirectory("certs")
        let script = """
            set -e
            cd "$1"
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=test-ca 2>/dev/null
            openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 2 -subj /CN=other-ca 2>/dev/null
            for name in broker client; do
              openssl req -newkey rsa:2048 -nodes -keyout $name.key -out $name.csr -subj /CN=$name 2>/dev/null
              printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > $name.ext
              openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $name.pem -days 2 -extfile $name.ext 2>/dev/null
            done
            """
        try await runProcess("/bin/sh", ["-c", script, "sh", directory])
        return TestCertificates(directory: directory)
    }
}
