// Optimizer state in safetensors checkpoints, so that training resumes exactly:
//
//   <prefix>.step                 I64 scalar, the number of steps taken
//   <prefix>.<slot>.<parameter>   F32, one per slot and parameter, e.g.
//                                 optimizer.exp_avg.rnn_cell.ff1.weight
//
// Parameters are named by the caller (a layer's `namedParameters` names, in visit order), so a
// checkpoint reads like the model's state dict and loading checks every name and shape.

import TensorCore

extension SafeTensorsFile {
  /// Stores `state` with one entry per slot and parameter, named by `parameterNames` (the
  /// parameters' names in optimizer order).
  ///
  /// - Throws: when a slot does not hold one tensor per name.
  public mutating func setOptimizerState(
    _ state: OptimizerState, parameterNames: [String], prefix: String = "optimizer"
  ) throws(SafeTensorsError) {
    entries[prefix + ".step"] = try Entry([Int64(state.step)], shape: [])
    for (slot, tensors) in state.slots {
      guard tensors.count == parameterNames.count else {
        throw SafeTensorsError(
          file: source, tensor: "\(prefix).\(slot)",
          problem: "holds \(tensors.count) tensors for \(parameterNames.count) parameter names")
      }
      for (name, tensor) in zip(parameterNames, tensors) {
        try setTensor(tensor, named: "\(prefix).\(slot).\(name)")
      }
    }
  }

  /// The optimizer state stored by ``setOptimizerState(_:parameterNames:prefix:)``, checked
  /// against the current parameters: every slot must hold a tensor of the right shape for every
  /// name, and no other tensor may sit under `prefix`.
  ///
  /// - Parameters:
  ///   - parameters: `(name, tensor)` in optimizer order (a layer's `namedParameters`).
  ///   - slotNames: The slots the optimizer that will use the state keeps (its ``Optimizer/slotNames``);
  ///     after the first step exactly these must be present. `nil` accepts whatever is stored.
  /// - Throws: naming the file, the tensor and the problem (missing, unexpected, misshaped).
  public func optimizerState(
    parameters: [(name: String, tensor: Tensor)], slotNames expected: [String]? = nil, prefix: String = "optimizer"
  ) throws(SafeTensorsError) -> OptimizerState {
    let stepName = prefix + ".step"
    let stepEntry = try entry(named: stepName)
    guard stepEntry.dataType == .int64, stepEntry.shape == [] else {
      throw SafeTensorsError(file: source, tensor: stepName, problem: "must be an I64 scalar, found \(stepEntry.dataType.rawValue) of shape \(stepEntry.shape)")
    }
    let step: Int64
    do { step = try stepEntry.values(as: Int64.self)[0] } catch { throw error.located(file: source, tensor: stepName) }
    guard step >= 0 else { throw SafeTensorsError(file: source, tensor: stepName, problem: "is negative (\(step))") }

    // Slot names are the first component after the prefix (they contain no dots).
    let known = Set(parameters.map(\.name))
    var slotNames = Set<String>()
    for name in entries.keys where name.hasPrefix(prefix + ".") && name != stepName {
      let rest = name.dropFirst(prefix.count + 1)
      guard let dot = rest.firstIndex(of: "."), known.contains(String(rest[rest.index(after: dot)...])) else {
        throw SafeTensorsError(file: source, tensor: name, problem: "does not name a slot of a known parameter")
      }
      slotNames.insert(String(rest[..<dot]))
    }
    if let expected, step > 0 {
      for slot in expected.sorted() where !slotNames.contains(slot) {
        let missing = "\(prefix).\(slot).\(parameters.first?.name ?? "")"
        throw SafeTensorsError(file: source, tensor: missing, problem: "no such tensor in the file (the optimizer keeps '\(slot)' after step \(step))")
      }
      for slot in slotNames.sorted() where !expected.contains(slot) {
        throw SafeTensorsError(
          file: source, tensor: "\(prefix).\(slot)", problem: "is a slot this optimizer does not keep (it keeps \(expected.sorted()))")
      }
    }
    var state = OptimizerState(step: Int(step))
    for slot in slotNames.sorted() {
      var tensors: [Tensor] = []
      for parameter in parameters {
        tensors.append(try tensor(named: "\(prefix).\(slot).\(parameter.name)", shape: parameter.tensor.shape))
      }
      state.slots[slot] = tensors
    }
    return state
  }
}
