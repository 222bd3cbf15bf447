import Randomness

/// Remember a cue through blank steps, then name it (`Probe-Memory-v0`).
///
/// ## Description
/// Tests that a recurrent policy carries information in its state: the cue is visible only in
/// the first observation, then `delay` blank observations follow, then a query; only the action
/// taken at the query is rewarded. A memoryless policy cannot beat the random return.
///
/// ## Action Space
/// `Discrete(cueCount)`: the cue the agent names. Actions before the query are ignored.
///
/// ## Observation Space
/// `Float`, Shape: [cueCount + 1].
///
/// | Index      | Observation                                  | Min | Max |
/// |------------|----------------------------------------------|-----|-----|
/// | 0..<cueCount | one-hot cue (first observation only)       | 0   | 1   |
/// | cueCount   | 1 at the query, 0 before                     | 0   | 1   |
///
/// Timeline: observation 0 shows the cue; observations 1…`delay` are all zeros; observation
/// `delay + 1` is the query; the action taken on it ends the episode.
///
/// ## Rewards
/// 1 for naming the cue at the query, 0 otherwise. Optimal and expert return 1; uniformly
/// random, or any memoryless policy, `1 / cueCount` (0.5 with the default two cues).
///
/// ## Starting State
/// The cue is drawn uniformly.
///
/// ## Episode End
/// Terminated after `delay + 2` steps (the answer to the query).
///
/// ## Arguments
/// `cueCount` (≥ 2), `delay` (blank steps, ≥ 0; default 3).
public struct MemoryProbe: Environment {
  public var cueCount: Int
  public var delay: Int
  /// This episode's cue.
  public private(set) var cue = 0
  /// Steps taken this episode.
  public private(set) var stepCount = 0
  /// The answer given at the query, once given.
  public private(set) var answer: Int?
  public var random: RandomStream

  public init(cueCount: Int = 2, delay: Int = 3, seed: UInt64 = 0) {
    precondition(cueCount >= 2 && delay >= 0, "need cueCount ≥ 2 and delay ≥ 0, got \(cueCount), \(delay)")
    self.cueCount = cueCount
    self.delay = delay
    random = RandomStream(seed: seed)
  }

  public var observationSpace: ObservationSpace { ObservationSpace(shape: [cueCount + 1], low: 0, high: 1) }
  public var actionSpace: ActionSpace { .discrete(count: cueCount) }

  public mutating func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
    if let seed { random = RandomStream(seed: seed) }
    cue = random.nextInt(below: cueCount)
    stepCount = 0
    answer = nil
    write(into: observation)
  }

  public mutating func step(_ action: Action, into observation: UnsafeMutableBufferPointer<Float>) -> StepOutcome {
    precondition((0..<cueCount).contains(action.index), "actions are 0..<\(cueCount), got \(action.index)")
    let isQuery = stepCount == delay + 1
    stepCount += 1
    if isQuery { answer = action.index }
    write(into: observation)
    return StepOutcome(reward: isQuery && action.index == cue ? 1 : 0, isTerminal: isQuery)
  }

  /// The observation for the current `stepCount` (all zeros after the answer).
  private func write(into observation: UnsafeMutableBufferPointer<Float>) {
    for i in 0...cueCount { observation[i] = 0 }
    if stepCount == 0 { observation[cue] = 1 }
    if stepCount == delay + 1 { observation[cueCount] = 1 }
  }

  /// One column per step: the cue (coloured by its index), blanks, the query, the answer.
  public func render() -> Frame {
    let palette = [Frame.Color(255, 0, 0), Frame.Color(0, 0, 255), Frame.Color(0, 200, 0), Frame.Color(255, 255, 0)]
    let columns = delay + 2
    var frame = Frame(width: 24 * columns, height: 24, color: .black)
    for column in 0..<columns {
      let color: Frame.Color
      if column == 0 { color = palette[cue % palette.count] }
      else if column == columns - 1 { color = answer.map { palette[$0 % palette.count] } ?? .white }
      else { color = Frame.Color(60, 60, 60) }
      let lit = column <= stepCount
      frame.fillRectangle(x: 24 * column + 3, y: 3, width: 18, height: 18, color: lit ? color : Frame.Color(30, 30, 30))
    }
    return frame
  }

  /// The scripted expert's action for the current state: the cue (any action before the query).
  public func expertAction() -> Int { cue }

  /// The optimal policy, from observations alone: remember the cue, name it at the query.
  public struct Expert: Sendable {
    private var remembered = 0
    public init() {}
    /// The action for `observation`; call once per observation, from the episode's first.
    public mutating func action(for observation: [Float]) -> Int {
      let cueCount = observation.count - 1
      if let shown = (0..<cueCount).first(where: { observation[$0] > 0.5 }) { remembered = shown }
      return remembered
    }
  }
}

extension MemoryProbe: ExpertProviding {}
