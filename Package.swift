// swift-tools-version:6.1
import PackageDescription

/// Kernel code runs hundreds of times slower unoptimized, which would make `swift test` crawl:
/// every library target is optimized even in debug builds.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
  name: "swift-ncps",
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "TensorCore", targets: ["TensorCore"]),
    .library(name: "NeuralNetworks", targets: ["NeuralNetworks"]),
    .library(name: "NeuralCircuits", targets: ["NeuralCircuits"]),
    .library(name: "Environments", targets: ["Environments"]),
    .library(name: "Training", targets: ["Training"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
  ],
  targets: [
    // MARK: - System libraries

    .systemLibrary(
      name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CSDL2", path: "Sources/CSDL2", pkgConfig: "sdl2", providers: [.apt(["libsdl2-dev"])]),

    // MARK: - Libraries

    .target(name: "Randomness", exclude: ["README.md"], swiftSettings: optimizedInDebug),
    // Vectorized exp/log/tanh/sigmoid/softplus and small matrix kernels in C: AVX2+FMA builds
    // picked at run time, portable builds otherwise. Optimized in debug like the Swift kernels.
    .target(name: "CVectorMath", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
    // The transforms of the Winograd convolution in C (AVX-512/AVX2 clones); optimized in debug.
    .target(name: "CWinograd", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
    .target(
      name: "TensorCore",
      dependencies: [
        "CBLAS", "CVectorMath", "CWinograd", "Randomness", .product(name: "Numerics", package: "swift-numerics"),
      ],
      exclude: ["README.md"],
      swiftSettings: optimizedInDebug),
    .target(
      name: "NeuralNetworks", dependencies: ["TensorCore", "Randomness"], exclude: ["README.md"],
      swiftSettings: optimizedInDebug),
    // The fused CfC kernel's element-wise loops in C (vectorized with restrict; AVX2 clones).
    .target(name: "CCircuitKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
    .target(
      name: "NeuralCircuits", dependencies: ["NeuralNetworks", "Randomness", "CBLAS", "CCircuitKernels"],
      exclude: ["README.md"], swiftSettings: optimizedInDebug),
    .target(
      name: "Environments", dependencies: ["Randomness"], path: "Environments",
      exclude: ["README.md", "GridWorld/README.md", "Arcade/README.md", "Probes/README.md"],
      // Cross-module optimization lets clients specialize the generic wrappers and the vector
      // environment for their concrete environments (5x faster vector stepping).
      swiftSettings: optimizedInDebug + [.unsafeFlags(["-cross-module-optimization"])]),
    .target(
      name: "Training",
      dependencies: [
        "NeuralCircuits", "Environments", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      exclude: ["README.md"], swiftSettings: optimizedInDebug),

    .target(
      name: "Viewer", dependencies: ["CSDL2", "Training", "Environments"], exclude: ["README.md"],
      swiftSettings: optimizedInDebug),

    // MARK: - Executables

    .executableTarget(
      name: "evaluate",
      dependencies: ["Environments", "Randomness", "Training", "TensorCore", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .executableTarget(
      name: "ncps",
      dependencies: [
        "NeuralCircuits", "Environments", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    .executableTarget(
      name: "watch",
      dependencies: [
        "Viewer", "Training", "Environments", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    // MARK: - Benchmarks

    .executableTarget(
      name: "arcade-bench", dependencies: ["Environments", "Randomness"],
      path: "Benchmarks/ArcadeBenchmark"),
    .executableTarget(
      name: "bench-cloning", dependencies: ["Training", "NeuralCircuits", "NeuralNetworks", "TensorCore", "Randomness"],
      path: "Benchmarks/CloningBenchmark"),
    .executableTarget(
      name: "bench-environments", dependencies: ["Environments"], path: "Benchmarks/EnvironmentsBenchmark"),
    .executableTarget(
      name: "bench-tensor", dependencies: ["TensorCore", "CVectorMath", "Randomness"], path: "Benchmarks/bench-tensor"),
    .executableTarget(
      name: "gridworld-bench", dependencies: ["Environments", "Randomness"],
      path: "Benchmarks/GridWorldBenchmark"),

    // MARK: - Command-line tools

    .executableTarget(
      name: "bc-train",
      dependencies: [
        "Training", "TensorCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    .executableTarget(
      name: "ppo-train",
      dependencies: [
        "Training", .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),

    .executableTarget(
      name: "ncps-bench", dependencies: ["NeuralCircuits", "NeuralNetworks", "Randomness"], path: "Benchmarks/NCPSBenchmark"),

    // MARK: - Tests

    .testTarget(name: "RandomnessTests", dependencies: ["Randomness"], exclude: ["Fixtures"]),
    .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "CVectorMath", "CWinograd"], exclude: ["Fixtures"]),
    .testTarget(name: "NeuralNetworksTests", dependencies: ["NeuralNetworks"], exclude: ["Fixtures"]),
    .testTarget(name: "NeuralCircuitsTests", dependencies: ["NeuralCircuits"], exclude: ["Fixtures"]),
    .testTarget(name: "NCPSToolTests", dependencies: ["ncps", "NeuralCircuits"], exclude: ["Fixtures"]),
    .testTarget(name: "EnvironmentsTests", dependencies: ["Environments", "Randomness"], exclude: ["Fixtures"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training"], exclude: ["Fixtures"]),
    .testTarget(name: "PPOTrainToolTests", dependencies: ["ppo-train"]),
    .testTarget(name: "ViewerTests", dependencies: ["Viewer", "Training", "Environments", "watch", "evaluate"]),
  ]
)
