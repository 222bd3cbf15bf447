#!/usr/bin/env bash
# Regenerates the committed Swift code for TensorBoard's event protocol buffers.
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift from swift-protobuf 1.39
# (git clone https://github.com/apple/swift-protobuf; swift build -c release --product protoc-gen-swift).
# Usage: Scripts/generate-protobuf.sh PATH/TO/protoc-gen-swift
set -euo pipefail
cd "$(dirname "$0")/.."
plugin=${1:?usage: Scripts/generate-protobuf.sh PATH/TO/protoc-gen-swift}
protoc --plugin=protoc-gen-swift="$plugin" --swift_opt=Visibility=Internal \
  --swift_out=Sources/Training/Logging -I Scripts/proto Scripts/proto/tensorboard.proto
mv Sources/Training/Logging/tensorboard.pb.swift Sources/Training/Logging/TensorBoard.pb.swift
