import Environments
import Testing
@testable import Training

@Test func ticksAreNiceAndCoverTheRange() {
  #expect(LinePlot.ticks(0, 100_000) == [0, 20_000, 40_000, 60_000, 80_000, 100_000])
  #expect(LinePlot.ticks(9.3, 487) == [0, 100, 200, 300, 400, 500])
  let flat = LinePlot.ticks(5, 5)
  #expect(flat.first! <= 4 && flat.last! >= 6)
}

@Test func labelsAreShort() {
  #expect(LinePlot.format(20_000) == "20k")
  #expect(LinePlot.format(1_500_000) == "1.5M")
  #expect(LinePlot.format(0.25) == "0.25")
  #expect(LinePlot.format(-3) == "-3")
}

@Test func curveIsDrawnInItsColour() {
  let color = LinePlot.palette[0]
  let plot = LinePlot(
    title: "CartPole-v1", xLabel: "environment steps", yLabel: "episodic return",
    series: [.init(label: "cfc", points: [(0, 10), (50_000, 200), (100_000, 500)], color: color)])
  let frame = plot.render()
  #expect(frame.width == 800 && frame.height == 500)
  var found = false
  for y in 0..<frame.height { for x in 0..<frame.width where frame[x, y] == color { found = true } }
  #expect(found)
}
