import Foundation
import TensorCore
import Testing

@testable import NeuralNetworks

/// trajectories.json from Scripts/make-optimizer-fixtures.py (PyTorch).
struct OptimizerFixture: Decodable {
  struct Case: Decodable {
    var optimizer: String
    var args: [String: Argument]
    var clip: Double?
    var trajectory: [[[Float]]]
    var norms: [Float]?
    var state: [String: [[Float]]]
  }
  enum Argument: Decodable {
    case number(Double), flag(Bool), pair([Double])
    init(from decoder: any Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let b = try? c.decode(Bool.self) { self = .flag(b) }
      else if let d = try? c.decode(Double.self) { self = .number(d) }
      else { self = .pair(try c.decode([Double].self)) }
    }
  }
  struct Schedule: Decodable {
    var scheduler: String
    var args: [String: Double]
    var base_lr: Double
    var rates: [Double]
  }
  var shapes: [[Int]]
  var initial: [[Float]]
  var gradients: [[[Float]]]
  var cases: [String: Case]
  var schedules: [String: Schedule]

  static let shared: OptimizerFixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/optimizers/trajectories.json")
    return try! JSONDecoder().decode(OptimizerFixture.self, from: Data(contentsOf: url))
  }()

  func tensors(_ values: [[Float]]) -> [Tensor] { zip(values, shapes).map { Tensor($0, shape: $1) } }
  var initialParameters: [Tensor] { tensors(initial) }
  func gradients(atStep step: Int) -> [Tensor] { tensors(gradients[step]) }

  /// The optimizer a case describes, with PyTorch's keyword arguments mapped to ours.
  static func optimizer(_ c: Case) -> any Optimizer {
    func number(_ key: String, _ fallback: Double) -> Double {
      if case .number(let v) = c.args[key] { return v } else { return fallback }
    }
    func flag(_ key: String) -> Bool { if case .flag(let v) = c.args[key] { return v } else { return false } }
    var betas = [0.9, 0.999]
    if case .pair(let b) = c.args["betas"] { betas = b }
    switch c.optimizer {
    case "SGD":
      return SGD(
        learningRate: number("lr", 1e-3), momentum: number("momentum", 0), dampening: number("dampening", 0),
        weightDecay: number("weight_decay", 0), nesterov: flag("nesterov"))
    case "Adam":
      return Adam(
        learningRate: number("lr", 1e-3), beta1: betas[0], beta2: betas[1], epsilon: number("eps", 1e-8),
        weightDecay: number("weight_decay", 0), amsgrad: flag("amsgrad"))
    default:
      return AdamW(
        learningRate: number("lr", 1e-3), beta1: betas[0], beta2: betas[1], epsilon: number("eps", 1e-8),
        weightDecay: number("weight_decay", 0.01), amsgrad: flag("amsgrad"))
    }
  }
}

/// The largest |a − b| / (1e-6 · max(|b|, rms(b))) − 1 over the elements: ≤ 0 means every element
/// agrees within 1e-6 relative, measured against the tensor's RMS for elements that cancelled to
/// near zero (a parameter or buffer that crosses zero has no meaningful relative error).
private func maximumExcess(_ a: [Float], _ b: [Float]) -> Double {
  guard a.count == b.count else { return .infinity }
  let rms = (b.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(b.count, 1))).squareRoot()
  var worst = -1.0
  for (x, y) in zip(a, b) {
    let scale = max(abs(Double(y)), rms, 1e-30)
    worst = max(worst, abs(Double(x) - Double(y)) / (1e-6 * scale) - 1)
  }
  return worst
}

/// Runs `optimizer` over the fixture's gradients from `start` to `end`, clipping when asked.
private func run(
  _ optimizer: inout any Optimizer, _ parameters: inout [Tensor], clip: Double?, steps: Range<Int>,
  visit: (Int, [Tensor], Float?) -> Void = { _, _, _ in }
) {
  let fixture = OptimizerFixture.shared
  for step in steps {
    var gradients = fixture.gradients(atStep: step)
    let norm = clip.map { clipGradientNorm(&gradients, maxNorm: $0) }
    optimizer.update(&parameters, along: gradients)
    visit(step, parameters, norm)
  }
}

@Suite struct OptimizerTests {

  static let caseNames = OptimizerFixture.shared.cases.keys.sorted()

  @Test(arguments: caseNames)
  func trajectoryMatchesPyTorch(_ name: String) throws {
    let fixture = OptimizerFixture.shared
    let c = try #require(fixture.cases[name])
    var optimizer = OptimizerFixture.optimizer(c)
    var parameters = fixture.initialParameters
    run(&optimizer, &parameters, clip: c.clip, steps: 0..<fixture.gradients.count) { step, parameters, norm in
      for (i, p) in parameters.enumerated() {
        let excess = maximumExcess(p.scalars, c.trajectory[step][i])
        #expect(excess <= 0, "\(name): step \(step) parameter \(i) differs from PyTorch")
        #expect(p.origin == nil)
      }
      if let norm, let expected = c.norms?[step] {
        #expect(abs(Double(norm) - Double(expected)) <= 1e-6 * Double(expected), "\(name): norm at step \(step)")
      }
    }
    #expect(optimizer.state.step == fixture.gradients.count)
    #expect(Set(optimizer.state.slots.keys) == Set(c.state.keys))
    for (slot, expected) in c.state {
      let tensors = try #require(optimizer.state.slots[slot])
      for (i, t) in tensors.enumerated() {
        #expect(maximumExcess(t.scalars, expected[i]) <= 0, "\(name): state \(slot)[\(i)]")
      }
    }
  }

  /// Stop half way, save parameters and optimizer state, load them into a fresh optimizer,
  /// finish: the result is bit-identical to the uninterrupted run.
  @Test(arguments: ["adam_amsgrad", "adamw", "sgd_nesterov_weight_decay"])
  func resumingFromACheckpointIsExact(_ name: String) throws {
    let fixture = OptimizerFixture.shared
    let c = try #require(fixture.cases[name])
    let steps = fixture.gradients.count
    var straight = OptimizerFixture.optimizer(c)
    var straightParameters = fixture.initialParameters
    run(&straight, &straightParameters, clip: nil, steps: 0..<steps)

    var first = OptimizerFixture.optimizer(c)
    var parameters = fixture.initialParameters
    run(&first, &parameters, clip: nil, steps: 0..<(steps / 2))
    let names = ["encoder.weight", "encoder.bias"]
    var file = try SafeTensorsFile(tensors: Dictionary(uniqueKeysWithValues: zip(names, parameters)))
    try file.setOptimizerState(first.state, parameterNames: names)
    let url = try temporaryFile("resume.safetensors")
    try file.write(to: url)

    let loaded = try SafeTensorsFile(contentsOf: url)
    var resumedParameters = try names.map { try loaded.tensor(named: $0) }
    var resumed = OptimizerFixture.optimizer(c)
    resumed.state = try loaded.optimizerState(
      parameters: Array(zip(names, resumedParameters)), slotNames: resumed.slotNames)
    #expect(resumed.state == first.state)
    run(&resumed, &resumedParameters, clip: nil, steps: (steps / 2)..<steps)
    #expect(resumedParameters.map(\.scalars) == straightParameters.map(\.scalars))
    #expect(resumed.state == straight.state)
  }

  @Test func checkpointedStateIsValidatedAgainstTheParameters() throws {
    var adam = Adam()
    var parameters = [Tensor(zeros: [2, 2]), Tensor(zeros: [3])]
    adam.update(&parameters, along: [Tensor(ones: [2, 2]), Tensor(ones: [3])])
    var file = SafeTensorsFile()
    try file.setOptimizerState(adam.state, parameterNames: ["w", "b"])
    file.source = "ckpt.safetensors"
    #expect(file.entries["optimizer.step"]?.dataType == .int64)
    #expect(file.entries["optimizer.exp_avg_sq.w"]?.shape == [2, 2])

    let misshaped = try #require(throws: SafeTensorsError.self) {
      try file.optimizerState(parameters: [("w", Tensor(zeros: [4])), ("b", Tensor(zeros: [3]))])
    }
    #expect(misshaped.description == "ckpt.safetensors: tensor 'optimizer.exp_avg.w': has shape [2, 2], expected [4]")
    let renamed = try #require(throws: SafeTensorsError.self) {
      try file.optimizerState(parameters: [("w", Tensor(zeros: [2, 2])), ("bias", Tensor(zeros: [3]))])
    }
    #expect(renamed.problem == "does not name a slot of a known parameter")
    var missingStep = file
    missingStep.entries["optimizer.step"] = nil
    let step = try #require(throws: SafeTensorsError.self) {
      try missingStep.optimizerState(parameters: [("w", Tensor(zeros: [2, 2])), ("b", Tensor(zeros: [3]))])
    }
    #expect(step.tensor == "optimizer.step")
  }

  @Test func clippingBelowTheLimitLeavesGradientsAndInfinityNormUsesTheLargestMagnitude() {
    var small = [Tensor([0.3, -0.4], shape: [2])]
    #expect(abs(clipGradientNorm(&small, maxNorm: 1) - 0.5) < 1e-7)
    #expect(small[0].scalars == [0.3, -0.4])
    var large = [Tensor([3, 0], shape: [2]), Tensor([-4], shape: [1])]
    let norm = clipGradientNorm(&large, maxNorm: 2, normType: .infinity)
    #expect(norm == 4)
    let coefficient = Float(2) / (4 + Float(1e-6))
    #expect(large[0].scalars == [3 * coefficient, 0] && large[1].scalars == [-4 * coefficient])
  }

  @Test(arguments: OptimizerFixture.shared.schedules.keys.sorted())
  func scheduleMatchesPyTorch(_ name: String) throws {
    let s = try #require(OptimizerFixture.shared.schedules[name])
    let steps = s.rates.count - 1
    let schedule: LearningRateSchedule
    switch s.scheduler {
    case "LinearLR":
      schedule = .linear(
        from: s.base_lr * s.args["start_factor"]!, to: s.base_lr * s.args["end_factor"]!,
        steps: Int(s.args["total_iters"]!))
    case "CosineAnnealingLR":
      schedule = .cosine(from: s.base_lr, to: s.args["eta_min"]!, steps: Int(s.args["T_max"]!))
    default:
      schedule = .constant(s.base_lr * s.args["factor"]!)
    }
    for step in 0...steps {
      let expected = s.rates[step]
      #expect(abs(schedule.learningRate(atStep: step) - expected) <= 1e-12 + 1e-9 * abs(expected), "\(name) step \(step)")
    }
  }
}

/// Adam without weight decay follows torch's CPU kernels operation for operation: the
/// trajectories are bit-identical, not merely close.
@Test(arguments: ["adam", "adam_amsgrad", "adam_betas_eps"])
func adamTrajectoryIsBitIdenticalToPyTorch(_ name: String) throws {
  let fixture = OptimizerFixture.shared
  let c = try #require(fixture.cases[name])
  var optimizer = OptimizerFixture.optimizer(c)
  var parameters = fixture.initialParameters
  for step in fixture.gradients.indices {
    optimizer.update(&parameters, along: fixture.gradients(atStep: step))
    #expect(parameters.map(\.scalars) == c.trajectory[step], "\(name) step \(step)")
  }
}
