import Environments

/// The last `stackSize` observations of `Base` side by side along the last axis: the observation
/// seen as [outer, channels] becomes [outer, stackSize · channels], oldest first — a grid view
/// [7, 7, 4] stacked 4 deep is [7, 7, 16] (what the grid encoder reads), a vector [n] is
/// [4 · n]. This is how a memoryless policy (the `mlp` circuit) gets a window of history:
/// `frame_stack` in a cloning run.
///
/// ## Starting State
/// After `reset` every slot holds the reset observation (Gymnasium's `padding_type="reset"`),
/// as ``FrameStack``, whose ring this wraps.
public struct ChannelStack<Base: Environment>: Environment {
  public typealias Scalar = Base.Scalar

  private var stack: FrameStack<Base>
  /// Shape: [stackSize] + base shape: what `stack` writes, before interleaving.
  private var frames: [Scalar]
  public var stackSize: Int { stack.stackSize }

  public init(_ base: Base, stackSize: Int) {
    stack = FrameStack(base, stackSize: stackSize, padding: .reset)
    frames = [Scalar](repeating: 0, count: stackSize * base.observationSpace.elementCount)
  }

  public var observationSpace: ObservationSpace {
    var configuration = BCRunConfiguration()
    configuration.frameStack = stackSize
    return configuration.policyObservationSpace(stack.base.observationSpace)
  }

  public var actionSpace: ActionSpace { stack.actionSpace }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Scalar>) {
    frames.withUnsafeMutableBufferPointer { stack.reset(seed: seed, into: $0) }
    write(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Scalar>) -> StepOutcome {
    let outcome = frames.withUnsafeMutableBufferPointer { stack.step(action, into: $0) }
    write(into: observation)
    return outcome
  }

  public func render() -> Frame { stack.render() }

  private func write(into observation: UnsafeMutableBufferPointer<Scalar>) {
    let size = frames.count / stackSize
    let slots = (0..<stackSize).map { Array(frames[$0 * size..<($0 + 1) * size]) }
    let stacked = interleaveFrames(slots, channels: stack.base.observationSpace.shape.last!)
    for i in stacked.indices { observation[i] = stacked[i] }
  }
}

/// Places `frames` (oldest first, each Shape: [outer, channels], flat) side by side along the
/// last axis. Shape: [outer, frames.count · channels], flat.
func interleaveFrames<T>(_ frames: [[T]], channels: Int) -> [T] {
  guard let first = frames.first else { return [] }
  let outer = first.count / channels
  var result: [T] = []
  result.reserveCapacity(first.count * frames.count)
  for o in 0..<outer {
    for frame in frames { result += frame[o * channels..<(o + 1) * channels] }
  }
  return result
}
