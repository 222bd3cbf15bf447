// Wirings in and out of JSON, with ncps' `get_config` field names.
//
// Two forms are read:
//   - the typed form `{"type": "AutoNCP"|"NCP"|"FullyConnected"|"Random"|"Wiring", ...}` whose
//     other keys are ncps' constructor arguments (absent ones take ncps' defaults);
//   - ncps' own `get_config()` output without a "type": the type is recognised by its keys
//     (`adjacency_matrix` -> base Wiring, `output_size` -> AutoNCP, `erev_init_seed` or
//     `self_connections` -> FullyConnected, `random_seed` or `sparsity_level` -> Random,
//     `inter_neurons` -> NCP).
// Unknown keys, missing required keys and values of the wrong kind are errors whose message
// names the key. Two forms are written: ``Wiring/Specification/json`` (typed form) and
// ``Wiring/configurationJSON`` (ncps' base `get_config`: the matrices themselves).
import Foundation

extension Wiring.Specification {
  /// The ncps class name ("AutoNCP", "NCP", "FullyConnected", "Random"; "Wiring" for custom).
  public var typeName: String {
    switch self {
    case .custom: "Wiring"
    case .fullyConnected: "FullyConnected"
    case .random: "Random"
    case .ncp: "NCP"
    case .autoNCP: "AutoNCP"
    }
  }

  /// Parses either JSON form (see the file header).
  public init(json: String) throws(WiringError) {
    let value: JSONValue
    do {
      value = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    } catch let DecodingError.dataCorrupted(context) {
      let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      throw WiringError("invalid wiring JSON: \(detail ?? context.debugDescription)")
    } catch {
      throw WiringError("invalid wiring JSON: \(error)")
    }
    try self.init(jsonValue: value)
  }

  init(jsonValue: JSONValue) throws(WiringError) {
    guard case .object(let fields) = jsonValue else {
      throw WiringError("a wiring must be a JSON object like {\"type\": \"AutoNCP\", \"units\": 28, \"output_size\": 4}")
    }
    var object = JSONObject(fields: fields, context: "wiring")
    let type: String
    if fields["type"] != nil {
      type = try object.string("type")
    } else if let inferred = Self.inferType(Set(fields.keys)) {
      type = inferred
    } else {
      throw WiringError("wiring JSON needs a \"type\" (one of AutoNCP, NCP, FullyConnected, Random, Wiring)")
    }
    object.context = type
    switch type {
    case "AutoNCP":
      self = .autoNCP(
        units: try object.int("units"), outputSize: try object.int("output_size"),
        sparsityLevel: try object.double("sparsity_level", default: 0.5), seed: try object.int("seed", default: 22222))
    case "NCP":
      self = .ncp(
        interNeurons: try object.int("inter_neurons"), commandNeurons: try object.int("command_neurons"),
        motorNeurons: try object.int("motor_neurons"), sensoryFanout: try object.int("sensory_fanout"),
        interFanout: try object.int("inter_fanout"),
        recurrentCommandSynapses: try object.int("recurrent_command_synapses"),
        motorFanin: try object.int("motor_fanin"), seed: try object.int("seed", default: 22222))
    case "FullyConnected":
      self = .fullyConnected(
        units: try object.int("units"), outputCount: try object.optionalInt("output_dim"),
        erevInitSeed: try object.seed("erev_init_seed", default: 1111),
        selfConnections: try object.bool("self_connections", default: true))
    case "Random":
      self = .random(
        units: try object.int("units"), outputCount: try object.optionalInt("output_dim"),
        sparsityLevel: try object.double("sparsity_level", default: 0), randomSeed: try object.seed("random_seed", default: 1111))
    case "Wiring":
      let units = try object.int("units")
      let adjacency = try object.matrix("adjacency_matrix") ?? Array(repeating: Array(repeating: 0, count: max(units, 0)), count: max(units, 0))
      let sensory = try object.matrix("sensory_adjacency_matrix")
      let inputDim = try object.optionalInt("input_dim")
      if let inputDim, let sensory, sensory.count != inputDim {
        throw WiringError("Wiring: input_dim is \(inputDim) but sensory_adjacency_matrix has \(sensory.count) rows")
      }
      self = .custom(
        units: units, outputCount: try object.optionalInt("output_dim"), adjacencyMatrix: adjacency,
        sensoryAdjacencyMatrix: sensory)
    default:
      throw WiringError("unknown wiring type \"\(type)\" (expected AutoNCP, NCP, FullyConnected, Random or Wiring)")
    }
    try object.rejectUnusedKeys()
  }

  private static func inferType(_ keys: Set<String>) -> String? {
    if keys.contains("adjacency_matrix") { return "Wiring" }
    if keys.contains("output_size") { return "AutoNCP" }
    if keys.contains("inter_neurons") { return "NCP" }
    if keys.contains("erev_init_seed") || keys.contains("self_connections") { return "FullyConnected" }
    if keys.contains("random_seed") || keys.contains("sparsity_level") { return "Random" }
    return nil
  }

  /// The typed JSON form, every constructor argument spelled out (ncps' defaults included).
  public var json: String {
    var writer = JSONWriter()
    writer.field("type", .string(typeName))
    switch self {
    case let .custom(units, outputCount, adjacency, sensory):
      writer.field("units", .int(units))
      writer.field("adjacency_matrix", .matrix(adjacency))
      writer.field("sensory_adjacency_matrix", sensory.map { .matrix($0) } ?? .null)
      writer.field("input_dim", sensory.map { .int($0.count) } ?? .null)
      writer.field("output_dim", outputCount.map { .int($0) } ?? .null)
    case let .fullyConnected(units, outputCount, seed, selfConnections):
      writer.field("units", .int(units))
      writer.field("output_dim", .int(outputCount ?? units))
      writer.field("erev_init_seed", .uint(seed))
      writer.field("self_connections", .bool(selfConnections))
    case let .random(units, outputCount, sparsity, seed):
      writer.field("units", .int(units))
      writer.field("output_dim", .int(outputCount ?? units))
      writer.field("sparsity_level", .double(sparsity))
      writer.field("random_seed", .uint(seed))
    case let .ncp(inter, command, motor, sensoryFanout, interFanout, recurrent, motorFanin, seed):
      for (key, value) in [
        ("inter_neurons", inter), ("command_neurons", command), ("motor_neurons", motor),
        ("sensory_fanout", sensoryFanout), ("inter_fanout", interFanout),
        ("recurrent_command_synapses", recurrent), ("motor_fanin", motorFanin), ("seed", seed),
      ] {
        writer.field(key, .int(value))
      }
    case let .autoNCP(units, outputSize, sparsity, seed):
      writer.field("units", .int(units))
      writer.field("output_size", .int(outputSize))
      writer.field("sparsity_level", .double(sparsity))
      writer.field("seed", .int(seed))
    }
    return writer.finished()
  }
}

extension Wiring {
  /// The wiring `json` describes (either form), built for `inputCount` input features.
  public init(json: String, inputCount: Int) throws(WiringError) {
    try self.init(try Specification(json: json), inputCount: inputCount)
  }

  /// ncps' base `get_config()`: `units`, `adjacency_matrix`, `sensory_adjacency_matrix`,
  /// `input_dim`, `output_dim` (rows = source, values -1/0/+1), on one line. Reading it back
  /// gives a wiring with the same matrices (as a custom wiring, as ncps' `Wiring.from_config`).
  public var configurationJSON: String {
    var writer = JSONWriter()
    writer.field("units", .int(units))
    writer.field("adjacency_matrix", .matrix(adjacencyMatrix))
    writer.field("sensory_adjacency_matrix", .matrix(sensoryAdjacencyMatrix))
    writer.field("input_dim", .int(inputCount))
    writer.field("output_dim", .int(outputCount))
    return writer.finished()
  }
}

// MARK: - Reading

/// A parsed JSON value.
enum JSONValue: Decodable, Equatable {
  case bool(Bool), int(Int), uint(UInt64), double(Double), string(String), array([JSONValue])
  case object([String: JSONValue]), null

  init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() { self = .null }
    else if let value = try? container.decode(Bool.self) { self = .bool(value) }
    else if let value = try? container.decode(Int.self) { self = .int(value) }
    else if let value = try? container.decode(UInt64.self) { self = .uint(value) }
    else if let value = try? container.decode(Double.self) { self = .double(value) }
    else if let value = try? container.decode(String.self) { self = .string(value) }
    else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
    else { self = .object(try container.decode([String: JSONValue].self)) }
  }

  var text: String {
    switch self {
    case .bool(let v): "\(v)"
    case .int(let v): "\(v)"
    case .uint(let v): "\(v)"
    case .double(let v): "\(v)"
    case .string(let v): "\"\(v)\""
    case .array: "an array"
    case .object: "an object"
    case .null: "null"
    }
  }
}

/// Typed access to the fields of a JSON object that remembers which keys were read.
struct JSONObject {
  let fields: [String: JSONValue]
  var context: String
  private var used: Set<String> = ["type"]

  init(fields: [String: JSONValue], context: String) {
    self.fields = fields
    self.context = context
  }

  private mutating func value(_ key: String) -> JSONValue? {
    used.insert(key)
    guard let value = fields[key], value != .null else { return nil }
    return value
  }

  private func mismatch(_ key: String, _ expected: String, _ value: JSONValue) -> WiringError {
    WiringError("\(context): \"\(key)\" must be \(expected) (given \(value.text))")
  }

  mutating func string(_ key: String) throws(WiringError) -> String {
    guard let value = value(key) else { throw WiringError("\(context): missing \"\(key)\"") }
    guard case .string(let s) = value else { throw mismatch(key, "a string", value) }
    return s
  }

  mutating func optionalInt(_ key: String) throws(WiringError) -> Int? {
    guard let value = value(key) else { return nil }
    guard case .int(let v) = value else { throw mismatch(key, "an integer", value) }
    return v
  }

  mutating func int(_ key: String) throws(WiringError) -> Int {
    guard let v = try optionalInt(key) else { throw WiringError("\(context): missing \"\(key)\"") }
    return v
  }

  mutating func int(_ key: String, default defaultValue: Int) throws(WiringError) -> Int {
    try optionalInt(key) ?? defaultValue
  }

  /// A non-negative seed up to 2⁶⁴ − 1 (numpy's `SeedSequence` rejects negative seeds).
  mutating func seed(_ key: String, default defaultValue: UInt64) throws(WiringError) -> UInt64 {
    guard let value = value(key) else { return defaultValue }
    switch value {
    case .int(let v) where v >= 0: return UInt64(v)
    case .uint(let v): return v
    default: throw mismatch(key, "a non-negative integer below 2**64", value)
    }
  }

  mutating func double(_ key: String, default defaultValue: Double) throws(WiringError) -> Double {
    guard let value = value(key) else { return defaultValue }
    switch value {
    case .int(let v): return Double(v)
    case .double(let v): return v
    default: throw mismatch(key, "a number", value)
    }
  }

  mutating func bool(_ key: String, default defaultValue: Bool) throws(WiringError) -> Bool {
    guard let value = value(key) else { return defaultValue }
    guard case .bool(let v) = value else { throw mismatch(key, "true or false", value) }
    return v
  }

  mutating func matrix(_ key: String) throws(WiringError) -> [[Int]]? {
    guard let value = value(key) else { return nil }
    guard case .array(let rows) = value else { throw mismatch(key, "a list of rows", value) }
    var matrix: [[Int]] = []
    for (r, row) in rows.enumerated() {
      guard case .array(let entries) = row else { throw mismatch("\(key)[\(r)]", "a list of integers", row) }
      var values: [Int] = []
      for (c, entry) in entries.enumerated() {
        guard case .int(let v) = entry else { throw mismatch("\(key)[\(r)][\(c)]", "-1, 0 or 1", entry) }
        values.append(v)
      }
      matrix.append(values)
    }
    return matrix
  }

  func rejectUnusedKeys() throws(WiringError) {
    if let unknown = fields.keys.sorted().first(where: { !used.contains($0) }) {
      let known = used.subtracting(["type"]).sorted().joined(separator: ", ")
      throw WiringError("\(context): unknown key \"\(unknown)\" (expected \(known))")
    }
  }
}

// MARK: - Writing

/// Writes one JSON object, keys in the order given, on one line.
struct JSONWriter {
  enum Value {
    case int(Int), uint(UInt64), double(Double), bool(Bool), string(String), matrix([[Int]]), null
  }

  private var parts: [String] = []

  mutating func field(_ key: String, _ value: Value) {
    parts.append("\"\(key)\": \(Self.encode(value))")
  }

  func finished() -> String { "{" + parts.joined(separator: ", ") + "}" }

  private static func encode(_ value: Value) -> String {
    switch value {
    case .int(let v): "\(v)"
    case .uint(let v): "\(v)"
    case .double(let v): v.isFinite ? "\(v)" : "null"
    case .bool(let v): "\(v)"
    case .string(let v): "\"\(v.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
    case .matrix(let rows): "[" + rows.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ") + "]"
    case .null: "null"
    }
  }
}
