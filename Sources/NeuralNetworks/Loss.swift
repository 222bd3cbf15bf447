// Losses with PyTorch's definitions and mean reduction, composed from TensorCore primitives
// (so their gradients come from the primitives; each is still checked by finite differences).

import TensorCore

/// Mean squared error, mean over all elements (torch `mse_loss`). Shape: [] from two equal shapes.
public func mseLoss(_ prediction: Tensor, _ target: Tensor) -> Tensor {
  precondition(prediction.shape == target.shape, "mseLoss: prediction shape \(prediction.shape) differs from target shape \(target.shape)")
  let difference = prediction - target
  return (difference * difference).mean()
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
