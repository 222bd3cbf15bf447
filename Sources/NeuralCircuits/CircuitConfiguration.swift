// CircuitConfiguration: a CfC or LTC model described by ncps' constructor arguments, as JSON
// (the `ncps run --config` format and the `config` metadata of the parity fixtures).
// Absent keys take ncps' defaults; unknown keys and values of the wrong kind are errors that name
// the key. `units` is an int or a wiring object {"type": "AutoNCP"|"NCP"|"FullyConnected"|"Random", ...}.

import Foundation

/// A configuration problem, naming the key.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// ncps' constructor arguments of `CfC(...)` or `LTC(...)`.
public struct CircuitConfiguration: Sendable, Hashable {
  public enum Model: String, Sendable, Hashable, Codable { case cfc = "CfC", ltc = "LTC" }
  /// An int (`CfC(x, 64)`, `LTC(x, 32)` = FullyConnected(32)) or a wiring.
  public enum Units: Sendable, Hashable {
    case count(Int)
    case wiring(Wiring.Specification)
  }

  public var model: Model
  public var inputSize: Int
  public var units: Units
  // CfC
  public var mode: CfCMode = .standard
  public var activation: BackboneActivation = .lecunTanh
  /// `nil`: ncps' defaults 128 / 1 / 0.0 (int units); must stay `nil` with a wiring.
  public var backboneUnits: Int?
  public var backboneLayers: Int?
  public var backboneDropout: Double?
  public var projectionSize: Int?
  // Both
  public var mixedMemory = false
  public var returnSequences = true
  public var batchFirst = true
  // LTC
  public var odeUnfolds = 6
  public var epsilon: Double = 1e-8
  public var inputMapping: LTCCell.Mapping = .affine
  public var outputMapping: LTCCell.Mapping = .affine
  public var implicitParamConstraints = true

  public init(model: Model, inputSize: Int, units: Units) {
    self.model = model
    self.inputSize = inputSize
    self.units = units
  }

  /// Parses the JSON object (see the file header).
  public init(json: String) throws(ConfigurationError) {
    let value: JSONValue
    do {
      value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    } catch {
      throw ConfigurationError("config is not valid JSON")
    }
    guard case .object(var fields) = value else { throw ConfigurationError("config must be a JSON object") }
    func take(_ key: String) -> JSONValue? {
      let v = fields.removeValue(forKey: key)
      if case .null = v { return nil }
      return v
    }
    func int(_ key: String) throws(ConfigurationError) -> Int? {
      guard let v = take(key) else { return nil }
      switch v {
      case .int(let i): return i
      case .double(let d) where d == d.rounded(): return Int(d)
      default: throw ConfigurationError("config key '\(key)' must be an integer, got \(v.text)")
      }
    }
    func double(_ key: String) throws(ConfigurationError) -> Double? {
      guard let v = take(key) else { return nil }
      switch v {
      case .int(let i): return Double(i)
      case .double(let d): return d
      default: throw ConfigurationError("config key '\(key)' must be a number, got \(v.text)")
      }
    }
    func bool(_ key: String) throws(ConfigurationError) -> Bool? {
      guard let v = take(key) else { return nil }
      guard case .bool(let b) = v else { throw ConfigurationError("config key '\(key)' must be true or false, got \(v.text)") }
      return b
    }
    func choice<T: RawRepresentable>(_ key: String, _ type: T.Type, allowNull: Bool = false) throws(ConfigurationError) -> T?
    where T.RawValue == String {
      guard let v = take(key) else { return nil }
      guard case .string(let s) = v, let result = T(rawValue: s) else {
        throw ConfigurationError("config key '\(key)' has the unknown value \(v.text)")
      }
      return result
    }
    guard let model = try choice("model", Model.self) else { throw ConfigurationError("config key 'model' is missing (\"CfC\" or \"LTC\")") }
    guard let inputSize = try int("input_size"), inputSize > 0 else {
      throw ConfigurationError("config key 'input_size' is missing or not a positive integer")
    }
    let units: Units
    switch take("units") {
    case .int(let n)? where n > 0: units = .count(n)
    case .object(let o)?:
      do { units = .wiring(try Wiring.Specification(jsonValue: .object(o))) } catch {
        throw ConfigurationError("config key 'units': \(error)")
      }
    case let v?: throw ConfigurationError("config key 'units' must be a positive integer or a wiring object, got \(v.text)")
    case nil: throw ConfigurationError("config key 'units' is missing")
    }
    self.init(model: model, inputSize: inputSize, units: units)
    // Mappings: null means identity, as in ncps.
    for key in ["input_mapping", "output_mapping"] where fields[key] == .null { fields[key] = .string("none") }
    mode = try choice("mode", CfCMode.self) ?? .standard
    activation = try choice("activation", BackboneActivation.self) ?? .lecunTanh
    backboneUnits = try int("backbone_units")
    backboneLayers = try int("backbone_layers")
    backboneDropout = try double("backbone_dropout")
    projectionSize = try int("proj_size")
    mixedMemory = try bool("mixed_memory") ?? false
    returnSequences = try bool("return_sequences") ?? true
    batchFirst = try bool("batch_first") ?? true
    odeUnfolds = try int("ode_unfolds") ?? 6
    epsilon = try double("epsilon") ?? 1e-8
    inputMapping = try choice("input_mapping", LTCCell.Mapping.self) ?? .affine
    outputMapping = try choice("output_mapping", LTCCell.Mapping.self) ?? .affine
    implicitParamConstraints = try bool("implicit_param_constraints") ?? true
    if let unknown = fields.keys.sorted().first { throw ConfigurationError("config has the unknown key '\(unknown)'") }
    try validate()
  }

  func validate() throws(ConfigurationError) {
    if case .wiring = units, model == .cfc {
      let used = [("backbone_units", backboneUnits != nil), ("backbone_layers", backboneLayers != nil), ("backbone_dropout", backboneDropout != nil)]
      if let key = used.first(where: { $0.1 })?.0 {
        throw ConfigurationError("config key '\(key)': Cannot use \(key) in wired mode")
      }
    }
    if let u = backboneUnits, u < 1 { throw ConfigurationError("config key 'backbone_units' must be at least 1") }
    if let l = backboneLayers, l < 0 { throw ConfigurationError("config key 'backbone_layers' must not be negative") }
    if let d = backboneDropout, !(0..<1).contains(d) { throw ConfigurationError("config key 'backbone_dropout' must be in [0, 1)") }
    if let p = projectionSize, p < 1 { throw ConfigurationError("config key 'proj_size' must be at least 1") }
    if odeUnfolds < 1 { throw ConfigurationError("config key 'ode_unfolds' must be at least 1") }
    if model == .ltc && projectionSize != nil { throw ConfigurationError("config key 'proj_size' is not an LTC argument") }
  }

  /// The wiring for `units` (LTC with an int: FullyConnected(units), as ncps).
  public func wiring() throws(ConfigurationError) -> Wiring? {
    let specification: Wiring.Specification
    switch units {
    case .wiring(let s): specification = s
    case .count(let n):
      guard model == .ltc else { return nil }
      specification = .fullyConnected(units: n)
    }
    do { return try Wiring(specification, inputCount: inputSize) } catch {
      throw ConfigurationError("config key 'units': \(error)")
    }
  }
}

/// A CfC or LTC layer built from a ``CircuitConfiguration``.
public enum CircuitModel: Sendable, ParameterVisitable {
  case cfc(CfC)
  case ltc(LTC)

  /// A freshly initialized model; load a state_dict with ``ParameterVisitable/load(stateDict:strict:)``.
  public init(_ c: CircuitConfiguration, seed: UInt64 = 0) throws(ConfigurationError) {
    let wiring = try c.wiring()
    switch (c.model, c.units) {
    case (.cfc, .count(let n)):
      self = .cfc(CfC(
        inputSize: c.inputSize, units: n, projectionSize: c.projectionSize, returnSequences: c.returnSequences,
        batchFirst: c.batchFirst, mixedMemory: c.mixedMemory, mode: c.mode, activation: c.activation,
        backboneUnits: c.backboneUnits ?? 128, backboneLayers: c.backboneLayers ?? 1,
        backboneDropout: Float(c.backboneDropout ?? 0), seed: seed))
    case (.cfc, .wiring):
      self = .cfc(CfC(
        wiring: wiring!, projectionSize: c.projectionSize, returnSequences: c.returnSequences, batchFirst: c.batchFirst,
        mixedMemory: c.mixedMemory, mode: c.mode, seed: seed))
    case (.ltc, _):
      self = .ltc(LTC(
        wiring: wiring!, returnSequences: c.returnSequences, batchFirst: c.batchFirst, mixedMemory: c.mixedMemory,
        inputMapping: c.inputMapping, outputMapping: c.outputMapping, odeUnfolds: c.odeUnfolds,
        epsilon: Float(c.epsilon), implicitConstraints: c.implicitParamConstraints, seed: seed))
    }
  }

  public mutating func visitParameters(
    prefix: String, _ body: (_ name: String, _ tensor: inout Tensor, _ isTrainable: Bool) throws -> Void
  ) rethrows {
    switch self {
    case .cfc(var m):
      try m.visitParameters(prefix: prefix, body)
      self = .cfc(m)
    case .ltc(var m):
      try m.visitParameters(prefix: prefix, body)
      self = .ltc(m)
    }
  }

  public var inputSize: Int { switch self { case .cfc(let m): m.inputSize; case .ltc(let m): m.inputSize } }
  public var stateSize: Int { switch self { case .cfc(let m): m.stateSize; case .ltc(let m): m.stateSize } }
  public var hasMixedMemory: Bool { switch self { case .cfc(let m): m.lstm != nil; case .ltc(let m): m.lstm != nil } }

  /// Runs the layer (eval mode); shapes as ``CfC/callAsFunction(_:initialState:initialCell:timespans:)``.
  public func callAsFunction(
    _ input: Tensor, initialState: Tensor? = nil, initialCell: Tensor? = nil, timespans: Tensor? = nil
  ) -> (output: Tensor, state: Tensor, cell: Tensor?) {
    switch self {
    case .cfc(let m): m(input, initialState: initialState, initialCell: initialCell, timespans: timespans)
    case .ltc(let m): m(input, initialState: initialState, initialCell: initialCell, timespans: timespans)
    }
  }
}

import TensorCore
