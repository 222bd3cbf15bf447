// NeuralCircuits: see README.md in this folder.
