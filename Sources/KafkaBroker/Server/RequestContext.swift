/// What a handler knows about the request besides its body.
struct RequestContext: Sendable {
    var apiVersion: Int16
    var correlationId: Int32
    var clientId: String
    var clientHost: String
}
