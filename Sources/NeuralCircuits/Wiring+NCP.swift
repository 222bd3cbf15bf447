// Neural Circuit Policy wirings: NCP and AutoNCP (reference/ncps.md §6.4–6.5).
//
// Four layers, sensory -> inter -> command -> motor, with sparse random synapses and recurrent
// synapses among command neurons. Neuron ids: motor [0, M), command [M, M+C), inter
// [M+C, units); sensory neurons are the inputs. ncps draws from numpy's legacy
// `RandomState(seed)` (MT19937; `NumPyRandomState` here): `choice(list, size=k,
// replace=False)` is `permutation(len(list))[:k]`, `choice(list)` is one masked draw, and a
// polarity is `choice([-1, 1])`. Every step below follows ncps' loops draw for draw.
import Randomness

extension Wiring {
  /// ncps `NCP(...).build(inputCount)`.
  ///
  /// - Parameters:
  ///   - sensoryFanout: The number of inter neurons each input connects to.
  ///   - interFanout: The number of command neurons each inter neuron connects to.
  ///   - recurrentCommandSynapses: The number of random command-to-command synapses (repeats
  ///     and self-loops allowed; a later draw overwrites an earlier one).
  ///   - motorFanin: The number of command neurons each motor neuron receives synapses from.
  ///   - seed: The `RandomState` seed, `0 ... 2³² − 1`.
  public static func ncp(
    interNeurons: Int, commandNeurons: Int, motorNeurons: Int, sensoryFanout: Int, interFanout: Int,
    recurrentCommandSynapses: Int, motorFanin: Int, seed: Int = 22222, inputCount: Int
  ) throws(WiringError) -> Wiring {
    for (name, value) in [
      ("inter_neurons", interNeurons), ("command_neurons", commandNeurons), ("motor_neurons", motorNeurons),
    ] where value < 1 {
      throw WiringError("\(name) must be at least 1 (given \(value))")
    }
    for (name, value) in [
      ("sensory_fanout", sensoryFanout), ("inter_fanout", interFanout),
      ("recurrent_command_synapses", recurrentCommandSynapses), ("motor_fanin", motorFanin),
    ] where value < 0 {
      throw WiringError("\(name) must not be negative (given \(value))")
    }
    guard inputCount >= 1 else { throw WiringError("the input size must be at least 1 (given \(inputCount))") }
    let rngOrNil = try? NumPyRandomState(validatingSeed: seed)
    guard var rng = rngOrNil else { throw WiringError("Seed must be between 0 and 2**32 - 1") }
    // ncps' constructor checks, in ncps' order and words.
    if motorFanin > commandNeurons {
      throw WiringError(
        "Error: Motor fanin parameter is \(motorFanin) but there are only \(commandNeurons) command neurons")
    }
    if sensoryFanout > interNeurons {
      throw WiringError(
        "Error: Sensory fanout parameter is \(sensoryFanout) but there are only \(interNeurons) inter neurons")
    }
    if interFanout > commandNeurons {
      throw WiringError(
        "Error:: Inter fanout parameter is \(interFanout) but there are only \(commandNeurons) command neurons")
    }

    let motor = Array(0..<motorNeurons)
    let command = Array(motorNeurons..<(motorNeurons + commandNeurons))
    let inter = Array((motorNeurons + commandNeurons)..<(motorNeurons + commandNeurons + interNeurons))
    let sensory = Array(0..<inputCount)
    var wiring = Wiring(
      units: interNeurons + commandNeurons + motorNeurons, inputCount: inputCount, outputCount: motorNeurons,
      layers: [inter, command, motor],
      generator: .ncp(
        interNeurons: interNeurons, commandNeurons: commandNeurons, motorNeurons: motorNeurons,
        sensoryFanout: sensoryFanout, interFanout: interFanout, recurrentCommandSynapses: recurrentCommandSynapses,
        motorFanin: motorFanin, seed: seed))
    func polarity() -> Int { rng.choice(from: [-1, 1]) }
    /// `int(a * b / c)` in double, clipped to `1 ... upper` as `np.clip` does.
    func meanFan(_ a: Int, _ b: Int, _ c: Int, upper: Int) -> Int {
      min(max(Int(Double(a * b) / Double(c)), 1), upper)
    }

    // 1. Sensory -> inter: each input to `sensoryFanout` inter neurons, then every inter neuron
    //    no input reached gets synapses from `mean fan-in` inputs.
    var unreached = inter
    for source in sensory {
      for target in rng.choice(from: inter, count: sensoryFanout, replace: false) {
        unreached.removeAll { $0 == target }
        wiring.setSensory(source, target, polarity())
      }
    }
    let interFanin = meanFan(inputCount, sensoryFanout, interNeurons, upper: inputCount)
    for target in unreached {
      for source in rng.choice(from: sensory, count: interFanin, replace: false) {
        wiring.setSensory(source, target, polarity())
      }
    }

    // 2. Inter -> command, the same way (ncps clips the fan-in to the command count).
    unreached = command
    for source in inter {
      for target in rng.choice(from: command, count: interFanout, replace: false) {
        unreached.removeAll { $0 == target }
        wiring.set(source, target, polarity())
      }
    }
    let commandFanin = meanFan(interNeurons, interFanout, commandNeurons, upper: commandNeurons)
    for target in unreached {
      for source in rng.choice(from: inter, count: commandFanin, replace: false) {
        wiring.set(source, target, polarity())
      }
    }

    // 3. Recurrent command synapses.
    for _ in 0..<recurrentCommandSynapses {
      let source = rng.choice(from: command)
      let target = rng.choice(from: command)
      wiring.set(source, target, polarity())
    }

    // 4. Command -> motor: each motor neuron from `motorFanin` command neurons, then every
    //    command neuron that reached no motor neuron to `mean fan-out` motor neurons.
    unreached = command
    for target in motor {
      for source in rng.choice(from: command, count: motorFanin, replace: false) {
        unreached.removeAll { $0 == source }
        wiring.set(source, target, polarity())
      }
    }
    let commandFanout = meanFan(motorNeurons, motorFanin, commandNeurons, upper: motorNeurons)
    for source in unreached {
      for target in rng.choice(from: motor, count: commandFanout, replace: false) {
        wiring.set(source, target, polarity())
      }
    }
    return wiring
  }

  /// The NCP arguments ncps' `AutoNCP(units, outputSize, sparsityLevel)` derives, with its
  /// validation and messages. Arithmetic is IEEE double, left to right, truncated by `int()`.
  public static func autoNCPArguments(units: Int, outputSize: Int, sparsityLevel: Double = 0.5) throws(WiringError)
    -> (interNeurons: Int, commandNeurons: Int, motorNeurons: Int, sensoryFanout: Int, interFanout: Int,
      recurrentCommandSynapses: Int, motorFanin: Int)
  {
    guard outputSize < units - 2 else {
      throw WiringError(
        "Output size must be less than the number of units-2 (given \(units) units, \(outputSize) output size)")
    }
    guard sparsityLevel >= 0.1 && sparsityLevel <= 1.0 else {
      throw WiringError("Sparsity level must be between 0.0 and 0.9 (given \(sparsityLevel))")
    }
    guard outputSize >= 1 else { throw WiringError("output_size must be at least 1 (given \(outputSize))") }
    let density = 1.0 - sparsityLevel
    let interAndCommand = units - outputSize
    let command = max(Int(0.4 * Double(interAndCommand)), 1)
    let inter = interAndCommand - command
    return (
      inter, command, outputSize,
      max(Int(Double(inter) * density), 1),
      max(Int(Double(command) * density), 1),
      max(Int(Double(command) * density * 2), 1),
      max(Int(Double(command) * density), 1)
    )
  }

  /// ncps `AutoNCP(units, output_size, sparsity_level, seed).build(inputCount)`: an NCP with
  /// 40% of the non-motor neurons as command neurons and fan-outs scaled by the density.
  public static func autoNCP(
    units: Int, outputSize: Int, sparsityLevel: Double = 0.5, seed: Int = 22222, inputCount: Int
  ) throws(WiringError) -> Wiring {
    let a = try autoNCPArguments(units: units, outputSize: outputSize, sparsityLevel: sparsityLevel)
    var wiring = try ncp(
      interNeurons: a.interNeurons, commandNeurons: a.commandNeurons, motorNeurons: a.motorNeurons,
      sensoryFanout: a.sensoryFanout, interFanout: a.interFanout, recurrentCommandSynapses: a.recurrentCommandSynapses,
      motorFanin: a.motorFanin, seed: seed, inputCount: inputCount)
    wiring.generator = .autoNCP(units: units, outputSize: outputSize, sparsityLevel: sparsityLevel, seed: seed)
    return wiring
  }
}
