import Foundation

/// A JSON value as the fixture scripts write it: numbers, strings (64/128-bit integers),
/// arrays and objects.
enum JSONValue: Decodable, Equatable {
  case int(Int), double(Double), string(String), bool(Bool), array([JSONValue]), object([String: JSONValue]), null

  init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() { self = .null }
    else if let value = try? container.decode(Bool.self) { self = .bool(value) }
    else if let value = try? container.decode(Int.self) { self = .int(value) }
    else if let value = try? container.decode(Double.self) { self = .double(value) }
    else if let value = try? container.decode(String.self) { self = .string(value) }
    else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
    else { self = .object(try container.decode([String: JSONValue].self)) }
  }

  subscript(key: String) -> JSONValue {
    if case .object(let fields) = self, let value = fields[key] { return value }
    return .null
  }

  var int: Int {
    switch self {
    case .int(let v): return v
    case .string(let s): return Int(s)!
    default: fatalError("not an integer: \(self)")
    }
  }

  var uint64: UInt64 {
    switch self {
    case .int(let v): return UInt64(v)
    case .string(let s): return UInt64(s)!
    default: fatalError("not an integer: \(self)")
    }
  }

  var uint128: UInt128 {
    guard case .string(let s) = self, let value = UInt128(s) else { fatalError("not a UInt128: \(self)") }
    return value
  }

  var double: Double {
    switch self {
    case .int(let v): return Double(v)
    case .double(let v): return v
    default: fatalError("not a number: \(self)")
    }
  }

  var bool: Bool {
    guard case .bool(let v) = self else { fatalError("not a bool: \(self)") }
    return v
  }

  var array: [JSONValue] {
    guard case .array(let v) = self else { fatalError("not an array: \(self)") }
    return v
  }

  static func load(fixture name: String) throws -> JSONValue {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures").appendingPathComponent(name)
    return try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: url))
  }
}
