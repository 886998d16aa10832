import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct SessionCloseRuleTests {
    /// As in Kafka Streams (`KStreamSessionWindowAggregate`: `windowCloseTime = streamTime -
    /// grace - inactivityGap`), a session closes only when stream time passes end + gap +
    /// grace, because a record within the gap may still extend it. So
    /// `emitStrategy(.onWindowClose)` emits each session once, already extended.
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
        #expect(try output.readKeyValuesToList() == [KeyValue("u2@600000-600000", 1), KeyValue("u1@0-1200000", 2)])
        #expect(driver.droppedRecordsByReason.isEmpty)
    }
}
