// NeuralNetworks: see README.md in this folder.
