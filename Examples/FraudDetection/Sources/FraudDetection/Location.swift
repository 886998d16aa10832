#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point on Earth, in decimal degrees.
public struct Location: Codable, Hashable, Sendable {
    /// Latitude, -90...90.
    public var lat: Double
    /// Longitude, -180...180.
    public var lon: Double

    /// Creates a location.
    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }

    /// The mean Earth radius used by ``distanceKm(to:)``.
    public static let earthRadiusKm = 6371.0088

    /// The great-circle (haversine) distance to another location, in kilometres.
    public func distanceKm(to other: Location) -> Double {
        let radians = Double.pi / 180
        let dLat = (other.lat - lat) * radians
        let dLon = (other.lon - lon) * radians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat * radians) * cos(other.lat * radians) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * Location.earthRadiusKm * atan2(a.squareRoot(), (1 - a).squareRoot())
    }
}
