// Conversions between safetensors entries and Float32 `Tensor`s.
//
// Reading (entry -> Tensor):
//   F32  exact.
//   F64  rounded to the nearest Float; a finite value beyond Float's range is an error.
//   I64, I32, U8  exact when |value| <= 2^24 (every such integer is a Float); a larger value
//        is an error rather than a silent rounding (step counters and masks are small).
// Writing (Tensor -> entry):
//   F32  exact.   F64  exact widening.
//   I64, I32, U8  every element must be an integer in the type's range, else an error
//        (so a mask or a counter round-trips exactly and nothing is truncated by accident).

import TensorCore

extension SafeTensorsFile.Entry {
  /// The largest integer magnitude below which every integer is exactly a Float.
  static let exactIntegerLimit: Float = 16_777_216  // 2^24

  /// An entry holding `tensor`'s values stored as `dataType` (see the conversion table above).
  ///
  /// - Throws: when a value cannot be stored exactly in an integer type, naming the index.
  public init(_ tensor: Tensor, as dataType: SafeTensorsFile.DataType = .float32) throws(SafeTensorsError) {
    let values = tensor.scalars
    func integers<T: FixedWidthInteger>(_ type: T.Type) throws(SafeTensorsError) -> [T] {
      var result = [T]()
      result.reserveCapacity(values.count)
      for (i, v) in values.enumerated() {
        guard let exact = T(exactly: v) else {
          throw SafeTensorsError(problem: "element \(i) = \(v) is not an integer representable as \(dataType.rawValue)")
        }
        result.append(exact)
      }
      return result
    }
    switch dataType {
    case .float32: try self.init(values, shape: tensor.shape)
    case .float64: try self.init(values.map(Double.init), shape: tensor.shape)
    case .int64: try self.init(try integers(Int64.self), shape: tensor.shape)
    case .int32: try self.init(try integers(Int32.self), shape: tensor.shape)
    case .uint8: try self.init(try integers(UInt8.self), shape: tensor.shape)
    }
  }

  /// The values as a Float32 tensor (see the conversion table above).
  ///
  /// - Throws: when a value has no faithful Float32 representation, naming the index.
  public func tensor() throws(SafeTensorsError) -> Tensor {
    let floats: [Float]
    switch dataType {
    case .float32:
      floats = try values(as: Float.self)
    case .float64:
      let doubles = try values(as: Double.self)
      var out = [Float](repeating: 0, count: doubles.count)
      for (i, d) in doubles.enumerated() {
        let f = Float(d)
        if d.isFinite && !f.isFinite {
          throw SafeTensorsError(problem: "F64 element \(i) = \(d) is outside the range of Float32")
        }
        out[i] = f
      }
      floats = out
    case .int64: floats = try Self.exactFloats(try values(as: Int64.self), dataType)
    case .int32: floats = try Self.exactFloats(try values(as: Int32.self), dataType)
    case .uint8: floats = try values(as: UInt8.self).map(Float.init)
    }
    return Tensor(floats, shape: shape)
  }

  private static func exactFloats<T: BinaryInteger>(
    _ values: [T], _ dataType: SafeTensorsFile.DataType
  ) throws(SafeTensorsError) -> [Float] {
    var out = [Float](repeating: 0, count: values.count)
    for (i, v) in values.enumerated() {
      guard v.magnitude <= 16_777_216 else {
        throw SafeTensorsError(problem: "\(dataType.rawValue) element \(i) = \(v) is not exactly representable as Float32 (|value| > 2^24)")
      }
      out[i] = Float(v)
    }
    return out
  }
}

extension SafeTensorsFile {
  /// A file holding `tensors` stored as `dataType` (F32 by default) and `metadata`.
  public init(
    tensors: [String: Tensor], as dataType: DataType = .float32, metadata: [String: String] = [:]
  ) throws(SafeTensorsError) {
    self.init(metadata: metadata)
    for (name, tensor) in tensors { try setTensor(tensor, named: name, as: dataType) }
  }

  /// Stores `tensor` under `name` as `dataType`, replacing any entry of that name.
  public mutating func setTensor(_ tensor: Tensor, named name: String, as dataType: DataType = .float32)
    throws(SafeTensorsError)
  {
    do {
      entries[name] = try Entry(tensor, as: dataType)
    } catch {
      throw error.located(file: source, tensor: name)
    }
  }

  /// The tensor called `name` as Float32.
  ///
  /// - Throws: naming the file and tensor when it is missing or not convertible.
  public func tensor(named name: String) throws(SafeTensorsError) -> Tensor {
    do {
      return try entry(named: name).tensor()
    } catch {
      throw error.located(file: source, tensor: name)
    }
  }

  /// The tensor called `name`, which must have `shape`.
  ///
  /// - Throws: naming the file, the tensor and both shapes when they differ.
  public func tensor(named name: String, shape: [Int]) throws(SafeTensorsError) -> Tensor {
    let entry = try entry(named: name)
    guard entry.shape == shape else {
      throw SafeTensorsError(file: source, tensor: name, problem: "has shape \(entry.shape), expected \(shape)")
    }
    return try tensor(named: name)
  }

  /// Every tensor as Float32, by name.
  public func tensors() throws(SafeTensorsError) -> [String: Tensor] {
    var result: [String: Tensor] = [:]
    for name in entries.keys { result[name] = try tensor(named: name) }
    return result
  }
}
