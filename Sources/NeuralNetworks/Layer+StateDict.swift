// State dicts: every tensor of a layer by its PyTorch name, and loading them back with the
// checks PyTorch's `load_state_dict(strict=True)` makes — missing keys, unexpected keys and shape
// mismatches, all reported at once, and nothing changed unless everything fits.

import TensorCore

extension Layer {
  /// Every tensor (parameters, buffers, frozen) with its dotted name and role, in registration
  /// order — the order of PyTorch's `state_dict()`.
  public var namedTensors: [(name: String, role: TensorRole, tensor: Tensor)] {
    var copy = self
    var result: [(name: String, role: TensorRole, tensor: Tensor)] = []
    copy.visitTensors { name, role, tensor in result.append((name, role, tensor)) }
    return result
  }

  /// The state dict: every tensor by its dotted PyTorch name. ``namedTensors`` gives the order.
  public func stateDict() -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for entry in namedTensors { result[entry.name] = entry.tensor.detached }
    return result
  }

  /// Replaces every tensor with the one of the same name in `stateDict`.
  ///
  /// Throws ``StateDictError`` listing every missing key, unexpected key and shape mismatch;
  /// the layer is unchanged when it throws.
  public mutating func loadStateDict(_ stateDict: [String: Tensor]) throws(StateDictError) {
    var problems: [StateDictError.Problem] = []
    var seen = Set<String>()
    for entry in namedTensors {
      seen.insert(entry.name)
      guard let given = stateDict[entry.name] else {
        problems.append(.missingKey(entry.name, expectedShape: entry.tensor.shape))
        continue
      }
      if given.shape != entry.tensor.shape {
        problems.append(.shapeMismatch(entry.name, expected: entry.tensor.shape, found: given.shape))
      }
    }
    for key in stateDict.keys.sorted() where !seen.contains(key) {
      problems.append(.unexpectedKey(key, shape: stateDict[key]!.shape))
    }
    guard problems.isEmpty else { throw StateDictError(problems: problems) }
    visitTensors { name, _, tensor in tensor = stateDict[name]!.detached }
  }
}

/// A state dict that does not fit a layer; lists every problem.
public struct StateDictError: Error, CustomStringConvertible, Sendable, Equatable {
  public enum Problem: Sendable, Equatable, CustomStringConvertible {
    /// The layer has a tensor `name` that the state dict lacks.
    case missingKey(String, expectedShape: [Int])
    /// The state dict has a tensor the layer does not.
    case unexpectedKey(String, shape: [Int])
    /// Both have `name`, with different shapes.
    case shapeMismatch(String, expected: [Int], found: [Int])

    public var description: String {
      switch self {
      case let .missingKey(name, shape): "missing key '\(name)' (the layer expects shape \(shape))"
      case let .unexpectedKey(name, shape): "unexpected key '\(name)' (shape \(shape)) that the layer does not have"
      case let .shapeMismatch(name, expected, found):
        "shape mismatch for '\(name)': the layer has shape \(expected), the state dict has shape \(found)"
      }
    }
  }

  public let problems: [Problem]

  public var description: String {
    "state dict does not fit the layer: " + problems.map(\.description).joined(separator: "; ")
  }
}
