extension Duration {
    /// A duration of whole minutes, for window sizes: `.tumbling(every: .minutes(1))`.
    public static func minutes(_ minutes: Int64) -> Duration { .seconds(minutes * 60) }

    /// A duration of whole hours.
    public static func hours(_ hours: Int64) -> Duration { .seconds(hours * 3600) }
}
