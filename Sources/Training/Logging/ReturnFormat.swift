import Foundation

/// Text for episodic returns at a precision that suits their scale: three significant digits of
/// the largest magnitude, and at least one decimal (CartPole `498.1`, MiniGrid `0.959`,
/// Breakout `12.3`). Values shown together (mean, spread, extremes) share one precision.
public struct ReturnFormat: Sendable {
  public let decimals: Int

  /// The precision for a group of values, set by the largest finite magnitude among them.
  public init(for values: [Double]) {
    let largest = values.lazy.filter(\.isFinite).map(abs).max() ?? 0
    guard largest > 0 else { decimals = 1; return }
    decimals = min(4, max(1, 2 - Int(floor(log10(largest)))))
  }

  public func callAsFunction(_ value: Double) -> String {
    String(format: "%.\(decimals)f", value)
  }
}
