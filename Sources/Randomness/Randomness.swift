// Randomness: see README.md in this folder.
