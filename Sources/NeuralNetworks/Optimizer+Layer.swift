// Optimizers on layers: a layer's trainable parameters, in `Layer.visitTensors` order, are the
// optimizer's parameter list; gradients come in the same order from
// `loss.gradients(for: marked.parameters)`.

import TensorCore

extension Optimizer {
  /// One step on `model`'s trainable parameters (buffers and frozen tensors are untouched).
  ///
  /// ```swift
  /// let marked = model.requiringGradient()
  /// let loss = mseLoss(marked(x), y)
  /// optimizer.update(&model, along: loss.gradients(for: marked.parameters))
  /// ```
  ///
  /// - Precondition: one gradient per parameter, in visit order, each of its parameter's shape.
  public mutating func update<Model: Layer>(_ model: inout Model, along gradients: [Tensor]) {
    var parameters = model.parameters
    update(&parameters, along: gradients)
    model.applyGradients(gradients) { index, parameter, _ in parameter = parameters[index] }
  }
}

extension SafeTensorsFile {
  /// Stores `optimizer`'s state for `model`'s parameters, named like the model's state dict
  /// (`optimizer.exp_avg.encoder.0.weight`).
  public mutating func setOptimizerState<Model: Layer>(
    _ state: OptimizerState, for model: Model, prefix: String = "optimizer"
  ) throws(SafeTensorsError) {
    try setOptimizerState(state, parameterNames: model.namedParameters.map(\.name), prefix: prefix)
  }

  /// The state stored for `optimizer` on `model`'s parameters, checked against their names and
  /// shapes and against the slots `optimizer` keeps, ready for `optimizer.state = ...`.
  public func optimizerState<Model: Layer>(
    for model: Model, optimizer: some Optimizer, prefix: String = "optimizer"
  ) throws(SafeTensorsError) -> OptimizerState {
    try optimizerState(parameters: model.namedParameters, slotNames: optimizer.slotNames, prefix: prefix)
  }
}
