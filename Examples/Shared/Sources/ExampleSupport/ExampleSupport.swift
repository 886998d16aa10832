// What the example applications share: the records their data generators make and the
// seeded random number generator behind them. The example libraries re-export it.
