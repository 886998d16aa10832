import KafkaClient

/// What one member got in a rebalance, as ``StreamsAssignor`` hands it to the runtime:
/// the partitions to consume and the decoded ``AssignmentInfo`` (or why it could not be decoded).
package struct StreamsAssignment: Sendable {
    /// The group generation of the assignment.
    package var generation: Int32
    /// The partitions the consumer was assigned (the input partitions of the active tasks).
    package var partitions: [KafkaClient.TopicPartition]
    /// The tasks and routing information, or the decoding error (the runtime should then
    /// treat the member as having no tasks and rejoin).
    package var info: Result<AssignmentInfo, AssignmentDecodingError>

    /// Creates an assignment.
    package init(
        generation: Int32, partitions: [KafkaClient.TopicPartition], info: Result<AssignmentInfo, AssignmentDecodingError>
    ) {
        self.generation = generation
        self.partitions = partitions
        self.info = info
    }
}
