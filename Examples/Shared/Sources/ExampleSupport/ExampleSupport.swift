// What the example applications share: the records their data generators make, the
// seeded random number generator behind them, and, for running them as services, a feed
// that produces generated records to Kafka, a follower that reads an output topic, and
// topic creation. The example libraries re-export it.
