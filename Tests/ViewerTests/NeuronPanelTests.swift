import Environments
import Testing
@testable import Viewer

@Test func neuronPanelDrawsOneDotPerNeuron() {
  let panel = NeuronPanel(originX: 10, originY: 20, width: 224)
  let background = Frame.Color(24, 24, 30)
  for count in [1, 8, 19, 32] {
    var frame = Frame(width: 260, height: 200, color: background)
    let activations = (0..<count).map { Float($0) / Float(count) * 2 - 1 }
    panel.draw(activations, on: &frame)
    // Count dots as 4-connected components of painted pixels.
    var seen = [Bool](repeating: false, count: frame.width * frame.height)
    var components = 0
    for y in 0..<frame.height {
      for x in 0..<frame.width where !seen[y * frame.width + x] && frame[x, y] != background {
        components += 1
        var stack = [(x, y)]
        seen[y * frame.width + x] = true
        while let (cx, cy) = stack.popLast() {
          for (nx, ny) in [(cx + 1, cy), (cx - 1, cy), (cx, cy + 1), (cx, cy - 1)]
          where nx >= 0 && ny >= 0 && nx < frame.width && ny < frame.height && !seen[ny * frame.width + nx]
            && frame[nx, ny] != background
          {
            seen[ny * frame.width + nx] = true
            stack.append((nx, ny))
          }
        }
      }
    }
    #expect(components == count, "\(count) neurons")
    for k in 0..<count {
      let c = panel.center(of: k)
      #expect(frame[Int(c.x), Int(c.y)] == NeuronPanel.color(activation: activations[k]))
    }
  }
}

@Test func activationColoursRunFromBlueThroughGreyToOrange() {
  let negative = NeuronPanel.color(activation: -1), zero = NeuronPanel.color(activation: 0)
  let positive = NeuronPanel.color(activation: 1)
  #expect(negative.blue > negative.red && positive.red > positive.blue)
  #expect(zero.red == zero.green && zero.green == zero.blue)
  #expect(NeuronPanel.color(activation: .nan) == zero)
}
