/// Probe environments that each test one capability of a learner.
extension Catalog {
  public static let probes: [Entry] = []
}
