import ArgumentParser

/// `kstreams`: operate Kafka Streams applications: topics, consumer lag, the application
/// reset tool and topology descriptions, against a cluster or the embedded broker's data.
@main
struct KStreamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kstreams",
        abstract: "Operate Kafka Streams applications: topics, lag, reset, describe.",
        discussion: """
            Commands talk to a cluster (--bootstrap-servers host:port) or to the embedded \
            broker's data of an application (--bootstrap-servers embedded --state-dir DIR \
            --application-id ID), which the command starts on \
            <state-dir>/<application-id>/embedded-broker for its duration.
            """,
        subcommands: [TopicsCommand.self, LagCommand.self, ResetCommand.self, DescribeCommand.self])
}
