/// A list of APIs with the version range supported for each: what this code implements
/// (`implemented`), or what a broker advertised in its ApiVersions response.
///
/// A client negotiates with `negotiatedVersion(for:with:)`; a broker answers ApiVersions with
/// `apiVersionsResponseKeys`.
///
/// ```swift
/// let broker = KafkaApiVersionTable(response)          // from the ApiVersionsResponse
/// let version = KafkaApiVersionTable.implemented.negotiatedVersion(for: .metadata, with: broker)
/// ```
public struct KafkaApiVersionTable: Sendable, Hashable {
    /// One API and its supported version range.
    public struct Entry: Sendable, Hashable {
        /// The API.
        public var apiKey: ApiKey
        /// The lowest supported version.
        public var minVersion: Int16
        /// The highest supported version.
        public var maxVersion: Int16
        /// The first flexible version, or `nil` when no version of the range is flexible.
        public var firstFlexibleVersion: Int16?

        /// Creates an entry.
        public init(apiKey: ApiKey, minVersion: Int16, maxVersion: Int16, firstFlexibleVersion: Int16? = nil) {
            self.apiKey = apiKey
            self.minVersion = minVersion
            self.maxVersion = maxVersion
            self.firstFlexibleVersion = firstFlexibleVersion
        }

        /// The entry for a request type this code implements.
        public init<Request: KafkaRequest>(_ type: Request.Type) {
            self.apiKey = ApiKey(Request.apiKey)
            self.minVersion = Request.versions.lowerBound
            self.maxVersion = Request.versions.upperBound
            self.firstFlexibleVersion = Request.versions.first(where: Request.isFlexible)
        }

        /// The supported versions as a range.
        public var versions: ClosedRange<Int16> { minVersion...max(minVersion, maxVersion) }
    }

    /// The entries, sorted by API key, at most one per key.
    public private(set) var entries: [Entry]

    /// Creates a table; entries are sorted by key, and a later entry for the same key replaces an earlier one.
    public init(_ entries: [Entry]) {
        var byKey: [Entry] = []
        for entry in entries.sorted(by: { $0.apiKey < $1.apiKey }) {
            if byKey.last?.apiKey == entry.apiKey {
                byKey[byKey.count - 1] = entry
            } else {
                byKey.append(entry)
            }
        }
        self.entries = byKey
    }

    /// The table a broker advertised in its ApiVersions response.
    ///
    /// The response does not say which versions are flexible; entries take that from `implemented`
    /// (Kafka's flexible versions are the same for everyone), and have none for APIs this code lacks.
    public init(_ response: ApiVersionsResponse) {
        self.init(
            response.apiKeys.map {
                let key = ApiKey($0.apiKey)
                return Entry(
                    apiKey: key,
                    minVersion: $0.minVersion,
                    maxVersion: $0.maxVersion,
                    firstFlexibleVersion: KafkaApiVersionTable.implemented.entry(for: key)?.firstFlexibleVersion
                )
            }
        )
    }

    /// Every API this code implements, with the versions the generated messages read and write.
    public static let implemented = KafkaApiVersionTable([
        Entry(ProduceRequest.self),
        Entry(FetchRequest.self),
        Entry(ListOffsetsRequest.self),
        Entry(MetadataRequest.self),
        Entry(OffsetCommitRequest.self),
        Entry(OffsetFetchRequest.self),
        Entry(FindCoordinatorRequest.self),
        Entry(JoinGroupRequest.self),
        Entry(HeartbeatRequest.self),
        Entry(LeaveGroupRequest.self),
        Entry(SyncGroupRequest.self),
        Entry(DescribeGroupsRequest.self),
        Entry(ListGroupsRequest.self),
        Entry(SaslHandshakeRequest.self),
        Entry(ApiVersionsRequest.self),
        Entry(CreateTopicsRequest.self),
        Entry(DeleteTopicsRequest.self),
        Entry(DeleteRecordsRequest.self),
        Entry(InitProducerIdRequest.self),
        Entry(AddPartitionsToTxnRequest.self),
        Entry(AddOffsetsToTxnRequest.self),
        Entry(EndTxnRequest.self),
        Entry(WriteTxnMarkersRequest.self),
        Entry(TxnOffsetCommitRequest.self),
        Entry(DescribeConfigsRequest.self),
        Entry(SaslAuthenticateRequest.self),
        Entry(CreatePartitionsRequest.self),
        Entry(DeleteGroupsRequest.self),
        Entry(OffsetDeleteRequest.self),
        Entry(IncrementalAlterConfigsRequest.self),
        Entry(DescribeClusterRequest.self),
    ])

    /// The entry for `apiKey`, or `nil` when the table does not have the API.
    ///
    /// - Complexity: O(log n).
    public func entry(for apiKey: ApiKey) -> Entry? {
        var low = 0
        var high = entries.count - 1
        while low <= high {
            let middle = (low + high) / 2
            let key = entries[middle].apiKey
            if key == apiKey { return entries[middle] }
            if key < apiKey { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    /// The highest version of `apiKey` in both this table and `other`, or `nil` when the ranges do
    /// not overlap or either table lacks the API.
    public func negotiatedVersion(for apiKey: ApiKey, with other: KafkaApiVersionTable) -> Int16? {
        guard let mine = entry(for: apiKey), let theirs = other.entry(for: apiKey) else { return nil }
        let low = max(mine.minVersion, theirs.minVersion)
        let high = min(mine.maxVersion, theirs.maxVersion)
        return low <= high ? high : nil
    }

    /// The request header version for `apiVersion` of `apiKey` (2 when flexible, else 1), or
    /// `nil` when the table does not have that version of the API.
    public func requestHeaderVersion(for apiKey: ApiKey, apiVersion: Int16) -> Int16? {
        guard let flexible = isFlexible(apiKey, apiVersion) else { return nil }
        return flexible ? 2 : 1
    }

    /// The response header version for `apiVersion` of `apiKey` (1 when flexible, else 0; always
    /// 0 for ApiVersions), or `nil` when the table does not have that version of the API.
    public func responseHeaderVersion(for apiKey: ApiKey, apiVersion: Int16) -> Int16? {
        if apiKey == .apiVersions { return 0 }
        guard let flexible = isFlexible(apiKey, apiVersion) else { return nil }
        return flexible ? 1 : 0
    }

    /// The entries in the form of an ApiVersions response, for a broker to advertise.
    public var apiVersionsResponseKeys: [ApiVersionsResponse.ApiVersion] {
        entries.map {
            ApiVersionsResponse.ApiVersion(apiKey: $0.apiKey.rawValue, minVersion: $0.minVersion, maxVersion: $0.maxVersion)
        }
    }

    private func isFlexible(_ apiKey: ApiKey, _ apiVersion: Int16) -> Bool? {
        guard let entry = entry(for: apiKey), entry.versions.contains(apiVersion) else { return nil }
        guard let first = entry.firstFlexibleVersion else { return false }
        return apiVersion >= first
    }
}
