import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The process's Prometheus registry, behind swift-metrics: every counter, gauge and timer
/// of the library (stream threads, stores, the service) lands here and `/metrics` prints it.
public enum ServiceMetrics {
    private static let state = NIOLockedValueBox<PrometheusCollectorRegistry?>(nil)

    /// Bootstraps swift-metrics with the registry, if not done yet: call it before creating
    /// counters, timers or gauges of your own (``StreamsService`` does it when created).
    public static func bootstrap() { _ = registry }

    /// The registry, bootstrapping swift-metrics with it on first use. If the program
    /// bootstrapped swift-metrics itself before, that backend stays and the registry only
    /// holds what is recorded into it directly.
    public static var registry: PrometheusCollectorRegistry {
        state.withLockedValue { registry in
            if let registry { return registry }
            let created = PrometheusCollectorRegistry()
            MetricsSystem.bootstrapIfPossible(PrometheusMetricsFactory(registry: created))
            registry = created
            return created
        }
    }
}

extension MetricsSystem {
    /// Bootstraps unless a backend is already in place (swift-metrics allows one bootstrap
    /// per process).
    static func bootstrapIfPossible(_ factory: any MetricsFactory) {
        guard MetricsSystem.factory is NOOPMetricsHandler else { return }
        MetricsSystem.bootstrap(factory)
    }
}
