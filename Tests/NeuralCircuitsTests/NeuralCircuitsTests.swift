import Testing
@testable import NeuralCircuits
