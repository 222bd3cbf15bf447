import Foundation

// The pure-Swift SIMD8 exp/tanh that TensorCore used before CVectorMath, kept here only so
// bench-tensor can compare it with the C kernels (`--only kernel`). Swift has no per-function
// target attributes, so for baseline x86-64 this compiles to SSE2 (two 4-lane halves, no FMA).
//
// exp: Cody–Waite range reduction x = n·ln2 + r with |r| ≤ ln2/2, a degree-6 polynomial for e^r
// (Cephes expf coefficients), and 2ⁿ built in the exponent bits.
// tanh: the odd polynomial of Cephes tanhf for |x| < 0.625, else 1 − 2/(e^{2|x|} + 1).

typealias FloatVector = SIMD8<Float>

/// Swift SIMD8 tanh over a buffer (tail padded).
func swiftSIMDTanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count n: Int) {
  var i = 0
  while i + 8 <= n {
    let v = vectorTanh(UnsafeRawPointer(x + i).loadUnaligned(as: FloatVector.self))
    UnsafeMutableRawPointer(y + i).storeBytes(of: v, as: FloatVector.self)
    i += 8
  }
  while i < n { y[i] = Float(Foundation.tanh(Double(x[i]))); i += 1 }
}

@inline(__always)
func vectorExp(_ x: FloatVector) -> FloatVector {
  let high: Float = 88.72283905206835, low: Float = -87.3365447505531
  // (SIMD's generic `clamped` is not specialized into vector code here; compare-and-blend is.)
  var clamped = x.replacing(with: high, where: x .> high)
  clamped.replace(with: low, where: clamped .< low)
  // n = round(x / ln 2) via the 1.5·2²³ trick: the low mantissa bits of t hold n.
  let magic: Float = 12_582_912
  let t = clamped * 1.44269504088896341 + magic
  let n = t - magic
  let r = clamped - n * 0.693359375 + n * 2.12194440e-4
  let z = r * r
  var p: FloatVector = FloatVector(repeating: 1.9875691500e-4)
  p = p * r + 1.3981999507e-3
  p = p * r + 8.3334519073e-3
  p = p * r + 4.1665795894e-2
  p = p * r + 1.6666665459e-1
  p = p * r + 5.0000001201e-1
  p = p * z + r + 1
  // 2ⁿ as 2^⌊n/2⌋ · 2^(n−⌊n/2⌋) so both factors stay normal for n in −126...128.
  let k = unsafeBitCast(t, to: SIMD8<Int32>.self) &- 0x4B40_0000
  let half = k &>> 1
  let scale1 = unsafeBitCast((half &+ 127) &<< 23, to: FloatVector.self)
  let scale2 = unsafeBitCast((k &- half &+ 127) &<< 23, to: FloatVector.self)
  var result = p * scale1 * scale2
  result.replace(with: .infinity, where: x .> high)
  result.replace(with: 0, where: x .< low)
  result.replace(with: x, where: x .!= x)  // NaN stays NaN
  return result
}

@inline(__always)
func vectorTanh(_ x: FloatVector) -> FloatVector {
  let a = x.replacing(with: -x, where: x .< 0)
  // Small |x|: x + x³·P(x²).
  let z = x * x
  var p: FloatVector = FloatVector(repeating: -5.70498872745e-3)
  p = p * z + 2.06390887954e-2
  p = p * z - 5.37397155531e-2
  p = p * z + 1.33314422036e-1
  p = p * z - 3.33332819422e-1
  let small = p * z * x + x
  // Large |x|: 1 − 2/(e^{2|x|} + 1), with the sign of x.
  let e = vectorExp(a + a)
  var large = 1 - 2 / (e + 1)
  large.replace(with: -large, where: x .< 0)
  var result = large.replacing(with: small, where: a .< 0.625)
  result.replace(with: x, where: x .!= x)
  return result
}

@inline(__always)
func vectorSigmoid(_ x: FloatVector) -> FloatVector {
  1 / (1 + vectorExp(-x))
}

