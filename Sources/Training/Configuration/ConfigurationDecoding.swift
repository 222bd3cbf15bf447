import Foundation

/// Decoding of the JSON configuration files users write: snake_case keys (as CleanRL and ncps
/// spell them), every key optional (absent keys keep their documented defaults), unknown keys
/// rejected so that a typo never silently falls back to a default.
public enum ConfigurationFile {
  /// The decoder for configuration JSON: snake_case keys.
  public static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return decoder
  }

  /// The encoder for configuration JSON: snake_case keys, sorted, pretty-printed.
  public static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return encoder
  }

  /// Reads a configuration of type `T` from `url`, throwing one readable line on any problem.
  public static func load<T: Decodable>(_ type: T.Type, from url: URL) throws -> T {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw ConfigurationError(file: url.path, field: nil, problem: "cannot be read (\(error.localizedDescription))")
    }
    return try decode(type, from: data, file: url.path)
  }

  /// Decodes `data` as `T`, naming `file` and the offending field in any error.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> T {
    do {
      return try decoder().decode(type, from: data)
    } catch let error as ConfigurationError {
      throw ConfigurationError(file: file, field: error.field, problem: error.problem)
    } catch let error as DecodingError {
      throw ConfigurationError(file: file, decodingError: error)
    }
  }
}

/// A problem with a configuration value, naming the file and the field.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
  public var file: String?
  /// The dotted path of the field, e.g. `ppo.learning_rate`.
  public var field: String?
  public var problem: String

  public init(file: String? = nil, field: String?, problem: String) {
    self.file = file
    self.field = field
    self.problem = problem
  }

  init(file: String, decodingError: DecodingError) {
    func path(_ codingPath: [CodingKey], _ key: CodingKey? = nil) -> String? {
      let keys = (codingPath + (key.map { [$0] } ?? [])).map { key in
        key.intValue.map { "[\($0)]" } ?? snakeCase(key.stringValue)
      }
      return keys.isEmpty ? nil : keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
    }
    switch decodingError {
    case .typeMismatch(let type, let context):
      self.init(file: file, field: path(context.codingPath), problem: "expected \(describe(type))")
    case .valueNotFound(let type, let context):
      self.init(file: file, field: path(context.codingPath), problem: "expected \(describe(type)), found null")
    case .keyNotFound(let key, let context):
      self.init(file: file, field: path(context.codingPath, key), problem: "is required")
    case .dataCorrupted(let context):
      let problem = context.codingPath.isEmpty ? "is not valid JSON" : context.debugDescription
      self.init(file: file, field: path(context.codingPath), problem: problem)
    @unknown default:
      self.init(file: file, field: nil, problem: "\(decodingError)")
    }
  }

  public var description: String {
    [file, field].compactMap { $0 }.joined(separator: ": ") + (file == nil && field == nil ? "" : ": ") + problem
  }
}

extension KeyedDecodingContainer {
  /// Throws when the JSON object holds a key that `Key` does not declare.
  public func rejectUnknownKeys(_ decoder: Decoder) throws where Key: CaseIterable {
    let known = Set(Key.allCases.map(\.stringValue))
    let present = try decoder.container(keyedBy: AnyCodingKey.self).allKeys
    if let unknown = present.first(where: { !known.contains($0.stringValue) }) {
      let path = (decoder.codingPath.map(\.stringValue) + [unknown.stringValue]).map(snakeCase)
      let valid = known.sorted().map(snakeCase).joined(separator: ", ")
      throw ConfigurationError(field: path.joined(separator: "."), problem: "unknown key (valid keys: \(valid))")
    }
  }

  /// The value for `key`, or `defaultValue` when the key is absent.
  public func value<T: Decodable>(_ key: Key, default defaultValue: T) throws -> T {
    try decodeIfPresent(T.self, forKey: key) ?? defaultValue
  }
}

/// A coding key for any string, used to list the keys actually present in a JSON object.
struct AnyCodingKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

private func snakeCase(_ camel: String) -> String {
  var result = ""
  for character in camel {
    if character.isUppercase {
      if !result.isEmpty { result.append("_") }
      result.append(contentsOf: character.lowercased())
    } else {
      result.append(character)
    }
  }
  return result
}

private func describe(_ type: Any.Type) -> String {
  switch type {
  case is Int.Type, is UInt64.Type: "an integer"
  case is Float.Type, is Double.Type: "a number"
  case is Bool.Type: "true or false"
  case is String.Type: "a string"
  default: "a value of type \(type)"
  }
}
