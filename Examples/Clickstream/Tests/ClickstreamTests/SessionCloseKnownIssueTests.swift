import KafkaStreams
import KafkaStreamsTesting
import Testing

/// A library issue found while writing the example, pinned here until it is fixed.
@Suite struct SessionCloseKnownIssueTests {
    /// Kafka Streams closes a session when stream time passes end + gap + grace
    /// (`KStreamSessionWindowAggregate`: `closeTime = streamTime - grace - inactivityGap`),
    /// because a record within the gap may still extend it. KafkaStreams closes it at
    /// end + grace, so `emitStrategy(.onWindowClose)` emits a session as final and then
    /// emits the extended session too (and, with records slightly out of order, drops
    /// records that would extend a session as late).
    @Test func sessionsCloseOnlyAfterTheGap() throws {
        let builder = StreamsBuilder()
        builder.stream("clicks", key: .string, value: .string)
            .groupByKey()
            .windowedBy(.session(gap: .minutes(30)))
            .emitStrategy(.onWindowClose)
            .count()
            .toStream()
            .map { key, count in ("\(key.key)@\(key.window.start)-\(key.window.end)", count ?? 0) }
            .to("sessions", key: .string, value: .int64)
        let driver = try TopologyTestDriver(try builder.build(), initialWallClockTime: 0)
        let input = driver.inputTopic("clicks", key: .string, value: .string)
        let output = driver.outputTopic("sessions", key: .string, value: .int64)
        try input.pipeInput("u1", "a", timestamp: 0)
        try input.pipeInput("u2", "b", timestamp: 600_000)  // 10 min
        try input.pipeInput("u1", "c", timestamp: 1_200_000)  // 20 min: extends u1's session
        try input.pipeInput("u3", "d", timestamp: 6_000_000)  // 100 min: closes everything
        let sessions = try output.readKeyValuesToList()
        withKnownIssue("sessions close at end + grace instead of end + gap + grace") {
            #expect(sessions == [KeyValue("u2@600000-600000", 1), KeyValue("u1@0-1200000", 2)])
        }
    }
}
