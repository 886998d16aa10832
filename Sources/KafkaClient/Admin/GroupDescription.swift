/// A group as ``KafkaAdmin/listGroups()`` lists it.
public struct GroupListing: Sendable, Hashable {
    /// The group id.
    public var groupID: String
    /// `consumer` for consumer groups (empty for a group that only has committed offsets).
    public var protocolType: String
    /// The state (`Stable`, `Empty`, `PreparingRebalance`, ...) from ListGroups v4 on; `nil` before.
    public var state: String?
}

/// A group as ``KafkaAdmin/describeGroups(_:)`` describes it.
public struct GroupDescription: Sendable, Hashable {
    /// The group id.
    public var groupID: String
    /// `Stable`, `Empty`, `PreparingRebalance`, `CompletingRebalance`, `Dead`.
    public var state: String
    /// `consumer` for consumer groups.
    public var protocolType: String
    /// The assignor in use (`range`, `cooperative-sticky`, ...), empty when not stable.
    public var assignor: String
    /// The members.
    public var members: [GroupMemberDescription]
    /// The coordinator's node id.
    public var coordinator: Int32?
}

/// One member of a described group.
public struct GroupMemberDescription: Sendable, Hashable {
    /// The member id.
    public var memberID: String
    /// The static member id, if any.
    public var groupInstanceID: String?
    /// The member's `client.id`.
    public var clientID: String
    /// The member's host as the broker saw it.
    public var host: String
    /// The partitions assigned to the member (decoded for consumer groups).
    public var assignment: [TopicPartition]
}

/// How far a group lags on one partition (``KafkaAdmin/consumerGroupLag(_:)``).
public struct PartitionLag: Sendable, Hashable {
    /// The group's committed offset.
    public var committed: Int64
    /// The partition's end offset (the high watermark).
    public var endOffset: Int64
    /// `endOffset - committed`: records not consumed yet (0 if negative).
    public var lag: Int64 { max(0, endOffset - committed) }
}
