// Losses with PyTorch's definitions and mean reduction, composed from TensorCore primitives
// (so their gradients come from the primitives; each is still checked by finite differences),
// except the MSE, which is one fused op.

import TensorCore

/// Mean squared error, mean over all elements (torch `mse_loss`). Shape: [] from two equal shapes.
///
/// One fused op (like torch's): the forward makes one pass and no intermediate tensors, the
/// backward one pass writing 2·(prediction − target)·g/n (its negation for a recording target).
/// Composed from primitives it made five full-size temporaries per training step.
public func mseLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
  precondition(prediction.shape == target.shape, "mseLoss: prediction shape \(prediction.shape) differs from target shape \(target.shape)")
  let (p, t) = (prediction.scalars, target.scalars)
  let n = p.count
  var sum: Double = 0
  p.withUnsafeBufferPointer { p in
    t.withUnsafeBufferPointer { t in
      for i in 0..<n {
        let d = p[i] - t[i]
        sum += Double(d * d)
      }
    }
  }
  let loss = Tensor(Float(sum / Double(Swift.max(n, 1))))
  let (shape, targetRecords) = (prediction.shape, target.isRecording)
  return loss.recorded(from: [prediction, target]) { g in
    let scale = 2 * g.scalar / Float(Swift.max(n, 1))
    let gradient = [Float](unsafeUninitializedCapacity: n) { buffer, count in
      p.withUnsafeBufferPointer { p in
        t.withUnsafeBufferPointer { t in
          for i in 0..<n { buffer[i] = scale * (p[i] - t[i]) }
        }
      }
      count = n
    }
    let targetGradient = targetRecords ? Tensor(gradient.map { -$0 }, shape: shape) : Tensor(zeros: shape)
    return [Tensor(gradient, shape: shape), targetGradient]
  }
}

/// Huber loss with threshold δ, mean over all elements (torch `huber_loss`):
/// ½d² where |d| < δ, else δ·(|d| − ½δ).
public func huberLoss(_ prediction: Tensor, _ target: Tensor, delta: Float = 1) -> Tensor {
  precondition(prediction.shape == target.shape, "huberLoss: prediction shape \(prediction.shape) differs from target shape \(target.shape)")
  precondition(delta > 0, "huberLoss: delta must be positive, got \(delta)")
  let difference = prediction - target
  let magnitude = abs(difference)
  let quadratic = 0.5 * difference * difference
  let linear = delta * (magnitude - 0.5 * delta)
  return select(magnitude .< delta, quadratic, linear).mean()
}

/// Smooth L1 loss with threshold β, mean over all elements (torch `smooth_l1_loss`):
/// ½d²/β where |d| < β, else |d| − ½β. Equals `huberLoss(delta: β) / β`.
public func smoothL1Loss(_ prediction: Tensor, _ target: Tensor, beta: Float = 1) -> Tensor {
  precondition(beta > 0, "smoothL1Loss: beta must be positive, got \(beta)")
  return huberLoss(prediction, target, delta: beta) / beta
}

/// Negative log-likelihood of class indices, mean over the batch (torch `nll_loss`).
///
/// - Parameters:
///   - logProbabilities: Shape: [batch, classes].
///   - labels: `batch` class indices in `0..<classes`.
public func nllLoss(_ logProbabilities: Tensor, labels: [Int]) -> Tensor {
  precondition(
    logProbabilities.rank == 2 && logProbabilities.shape[0] == labels.count,
    "nllLoss: log-probabilities of shape \(logProbabilities.shape) for \(labels.count) labels")
  let classes = logProbabilities.shape[1]
  precondition(labels.allSatisfy { (0..<classes).contains($0) }, "nllLoss: a label is outside 0..<\(classes)")
  return -logProbabilities.taking(indices: labels, alongAxis: 1).mean()
}

/// Cross-entropy of class indices from unnormalised logits, mean over the batch
/// (torch `cross_entropy`), with optional label smoothing ε:
/// (1 − ε)·nll + ε·mean over classes of −log p.
///
/// - Parameters:
///   - logits: Shape: [batch, classes].
///   - labels: `batch` class indices.
public func crossEntropyLoss(_ logits: Tensor, labels: [Int], labelSmoothing: Float = 0) -> Tensor {
  precondition((0...1).contains(labelSmoothing), "crossEntropyLoss: labelSmoothing \(labelSmoothing) is not in [0, 1]")
  let logProbabilities = logSoftmax(logits, alongAxis: 1)
  let nll = nllLoss(logProbabilities, labels: labels)
  guard labelSmoothing > 0 else { return nll }
  let smooth = -logProbabilities.mean(alongAxis: 1).mean()
  return (1 - labelSmoothing) * nll + labelSmoothing * smooth
}
