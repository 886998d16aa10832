import KafkaBroker
import KafkaProtocol
import NIOCore

/// Feeds arbitrary bytes to the decoders: on the client side every response message (at a
/// version chosen by the input), response headers, record sets (batches, legacy message
/// sets, compressed payloads) and their records; on the broker side whole request frames
/// (``BrokerRequestDecoder``: header, API and version checks, every request body).
/// Decoding may fail with an error; it must never crash, hang or allocate without bound.
///
/// Input layout: byte 0 chooses the decoder (0xF0 and above: a broker request frame), byte
/// 1 the version, the rest is the payload.
enum ProtocolFuzzer {
    static let responses: [any KafkaVersioned.Type] = [
        ResponseHeader.self, ApiVersionsResponse.self, MetadataResponse.self, ProduceResponse.self, FetchResponse.self,
        ListOffsetsResponse.self, FindCoordinatorResponse.self, JoinGroupResponse.self, SyncGroupResponse.self,
        HeartbeatResponse.self, LeaveGroupResponse.self, OffsetCommitResponse.self, OffsetFetchResponse.self,
        CreateTopicsResponse.self, DeleteTopicsResponse.self, CreatePartitionsResponse.self, DescribeConfigsResponse.self,
        IncrementalAlterConfigsResponse.self, DeleteRecordsResponse.self, InitProducerIdResponse.self,
        AddPartitionsToTxnResponse.self, AddOffsetsToTxnResponse.self, EndTxnResponse.self, TxnOffsetCommitResponse.self,
        WriteTxnMarkersResponse.self, DescribeGroupsResponse.self, ListGroupsResponse.self, DeleteGroupsResponse.self,
        SaslHandshakeResponse.self, SaslAuthenticateResponse.self, DescribeClusterResponse.self,
        ConsumerProtocolAssignment.self, ConsumerProtocolSubscription.self,
    ]

    /// Decodes one input; returns how many records were read (so the work is not optimized away).
    @discardableResult
    static func run(_ input: UnsafeRawBufferPointer) -> Int {
        guard input.count >= 2 else { return 0 }
        let selector = Int(input[0])
        var payload = ByteBuffer(bytes: input[2...])
        if selector >= 0xF0 {
            return (try? BrokerRequestDecoder.decode(frame: payload)) == nil ? 0 : 1
        }
        if selector < responses.count {
            let type = responses[selector]
            let range = type.versions
            let span = Int(range.upperBound - range.lowerBound) + 1
            let version = range.lowerBound + Int16(Int(input[1]) % span)
            _ = try? type.init(from: &payload, version: version)
            return 0
        }
        // Everything else: a record set, as a Fetch response carries it.
        var reader = RecordSetReader(payload, verifyChecksums: input[1] & 1 == 0)
        var count = 0
        while let entry = try? reader.next() {
            guard var records = try? entry.makeRecordIterator(maxDecompressedSize: 1 << 20) else { continue }
            while let record = try? records.next() {
                count += (record.key?.readableBytes ?? 0) + (record.value?.readableBytes ?? 0) + record.headers.count
            }
        }
        return count
    }
}

#if FUZZING
    /// libFuzzer's entry point (`scripts/fuzz` builds with `-sanitize=fuzzer`).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        ProtocolFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }

    @_silgen_name("LLVMFuzzerRunDriver")
    func runFuzzerDriver(
        _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt

    /// SwiftPM links an executable's entry point as `<module>_main`; hand control to
    /// libFuzzer's driver from there.
    @_cdecl("ProtocolFuzzer_main")
    public func fuzzerMain(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> CInt {
        var argc = argc
        var argv = argv
        return runFuzzerDriver(&argc, &argv) { data, size in
            ProtocolFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
    }
#else
    import Foundation

    /// Without libFuzzer: replays the files given as arguments (a corpus or crash inputs).
    @main
    struct ProtocolFuzzerReplay {
        static func main() throws {
            for path in CommandLine.arguments.dropFirst() {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                data.withUnsafeBytes { _ = ProtocolFuzzer.run($0) }
            }
            print("replayed \(CommandLine.arguments.count - 1) inputs without a crash")
        }
    }
#endif
