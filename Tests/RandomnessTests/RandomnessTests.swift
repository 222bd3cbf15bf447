import Testing
@testable import Randomness
