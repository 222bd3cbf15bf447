/// Stacks the last `stackSize` observations of `Base` along a new leading axis, as Gymnasium's
/// `FrameStackObservation(env, stack_size, padding_type="reset")`.
///
/// ## Observation Space
/// Shape: [stackSize] + base shape, oldest first: `observation[stackSize - 1]` is the newest.
/// For ``AtariPreprocessing`` this is the channels-first `[4, 84, 84]` that conv layers take.
///
/// ## Starting State
/// After `reset` every slot holds the reset observation (`padding: .reset`, Gymnasium's
/// default) or zeros except the newest (`padding: .zero`).
public struct FrameStack<Base: Environment>: Environment {
  public typealias Scalar = Base.Scalar

  /// What fills the older slots at reset.
  public enum Padding: Hashable, Sendable { case reset, zero }

  public private(set) var base: Base
  public let stackSize: Int
  public let padding: Padding
  /// Shape: [stackSize, base elementCount], a ring whose oldest slot is `oldest`.
  private var frames: [Scalar]
  private var oldest = 0
  private let frameSize: Int

  public init(_ base: Base, stackSize: Int = 4, padding: Padding = .reset) {
    precondition(stackSize >= 1, "stackSize must be at least 1, got \(stackSize)")
    self.base = base
    self.stackSize = stackSize
    self.padding = padding
    frameSize = base.observationSpace.elementCount
    frames = [Scalar](repeating: 0, count: stackSize * frameSize)
  }

  public var observationSpace: ObservationSpace {
    let space = base.observationSpace
    return ObservationSpace(
      shape: [stackSize] + space.shape,
      low: Array([[Float]](repeating: space.low, count: stackSize).joined()),
      high: Array([[Float]](repeating: space.high, count: stackSize).joined()),
      elementType: space.elementType)
  }

  public var actionSpace: ActionSpace { base.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    let size = frameSize, count = stackSize, padding = padding
    frames.withUnsafeMutableBufferPointer { frames in
      let newest = UnsafeMutableBufferPointer(rebasing: frames[(count - 1) * size ..< count * size])
      base.reset(seed: seed, into: newest)
      for slot in 0..<(count - 1) {
        let destination = frames.baseAddress! + slot * size
        switch padding {
        case .reset: destination.update(from: newest.baseAddress!, count: size)
        case .zero: destination.update(repeating: 0, count: size)
        }
      }
    }
    oldest = 0
    writeStack(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    let size = frameSize, slot = oldest
    let outcome = frames.withUnsafeMutableBufferPointer { frames in
      base.step(action, into: UnsafeMutableBufferPointer(rebasing: frames[slot * size ..< (slot + 1) * size]))
    }
    oldest = (oldest + 1) % stackSize
    writeStack(into: observation)
    return outcome
  }

  /// Copies the ring out oldest first.
  private func writeStack(into observation: UnsafeMutableBufferPointer<Scalar>) {
    precondition(observation.count == stackSize * frameSize)
    frames.withUnsafeBufferPointer { frames in
      let head = (stackSize - oldest) * frameSize
      let destination = observation.baseAddress!, source = frames.baseAddress!
      destination.update(from: source + oldest * frameSize, count: head)
      (destination + head).update(from: source, count: oldest * frameSize)
    }
  }

  public func render() -> Frame { base.render() }
}
