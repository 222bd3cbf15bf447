// TensorCore: see README.md in this folder.
