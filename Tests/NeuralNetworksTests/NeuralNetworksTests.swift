import Testing
@testable import NeuralNetworks
