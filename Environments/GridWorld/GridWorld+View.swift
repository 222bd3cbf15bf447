/// The agent's egocentric, partially observed view, exactly as MiniGrid's `gen_obs_grid`,
/// `Grid.process_vis` and `Grid.encode` compute it.
///
/// The view is `viewSize × viewSize` cells, indexed `[vx, vy]` like MiniGrid's image: the agent
/// sits at `(viewSize / 2, viewSize − 1)`, the bottom centre, facing up (`vy` decreasing is
/// ahead, `vx` increasing is the agent's right). Cells beyond the grid read as walls; with
/// occlusion on, cells hidden behind walls and shut doors are unseen and encode as `(0, 0, 0)`.
/// The agent's own cell shows the carried object, or empty.
extension GridWorld {
  /// The grid position seen at view cell `(vx, vy)` (the inverse of MiniGrid's
  /// `get_view_coords`): `agent + forward · (viewSize − 1 − vy) + right · (vx − viewSize / 2)`.
  public func worldPosition(viewX vx: Int, viewY vy: Int) -> GridPosition {
    let forward = agentDirection.vector
    let right = (dx: -forward.dy, dy: forward.dx)
    let ahead = GridWorld.viewSize - 1 - vy
    let side = vx - GridWorld.viewSize / 2
    return GridPosition(
      x: agentPosition.x + forward.dx * ahead + right.dx * side,
      y: agentPosition.y + forward.dy * ahead + right.dy * side)
  }

  /// The objects in view and which of them are visible.
  ///
  /// - Returns: `objects` and `visible`, each Shape: [viewSize (vx), viewSize (vy)], flat with
  ///   index `vx * viewSize + vy`. `objects` holds the cells before the agent's own cell is
  ///   replaced by what it carries.
  public func view() -> (objects: [GridObject?], visible: [Bool]) {
    let size = GridWorld.viewSize
    var objects = [GridObject?](repeating: nil, count: size * size)
    for vx in 0..<size {
      for vy in 0..<size { objects[vx * size + vy] = self[worldPosition(viewX: vx, viewY: vy)] }
    }
    if seesThroughWalls { return (objects, [Bool](repeating: true, count: size * size)) }
    return (objects, GridWorld.visibility(of: objects))
  }

  /// MiniGrid's `process_vis`: light spreads from the agent's cell row by row, from the bottom
  /// up, sideways and diagonally upward, and stops at cells that cannot be seen behind.
  ///
  /// - Parameter objects: Shape: [viewSize (vx), viewSize (vy)], flat `vx * viewSize + vy`.
  static func visibility(of objects: [GridObject?]) -> [Bool] {
    let size = viewSize
    var mask = [Bool](repeating: false, count: size * size)
    @inline(__always) func index(_ i: Int, _ j: Int) -> Int { i * size + j }
    @inline(__always) func blocks(_ i: Int, _ j: Int) -> Bool {
      if let object = objects[index(i, j)] { return !object.canSeeBehind }
      return false
    }
    mask[index(size / 2, size - 1)] = true
    for j in stride(from: size - 1, through: 0, by: -1) {
      for i in 0..<(size - 1) where mask[index(i, j)] && !blocks(i, j) {
        mask[index(i + 1, j)] = true
        if j > 0 {
          mask[index(i + 1, j - 1)] = true
          mask[index(i, j - 1)] = true
        }
      }
      for i in stride(from: size - 1, through: 1, by: -1) where mask[index(i, j)] && !blocks(i, j) {
        mask[index(i - 1, j)] = true
        if j > 0 {
          mask[index(i - 1, j - 1)] = true
          mask[index(i, j - 1)] = true
        }
      }
    }
    return mask
  }

  /// Writes MiniGrid's encoded image of the view, and optionally the direction, into `buffer`.
  ///
  /// - Parameters:
  ///   - buffer: Shape: [viewSize (vx), viewSize (vy), channels], flat, where `channels` is 3
  ///     (object, colour, state) or 4 with `includeDirection` (the agent's direction, 0...3, in
  ///     every cell). Channels 0...2 equal MiniGrid's `obs["image"]`; fully overwritten.
  public func encodeView(into buffer: UnsafeMutableBufferPointer<UInt8>, includeDirection: Bool) {
    let size = GridWorld.viewSize
    let channels = includeDirection ? 4 : 3
    precondition(buffer.count == size * size * channels, "view buffer must hold \(size * size * channels) values")
    var (objects, visible) = view()
    objects[(size / 2) * size + size - 1] = carrying
    for cell in 0..<(size * size) {
      let base = cell * channels
      if !visible[cell] {
        (buffer[base], buffer[base + 1], buffer[base + 2]) = (0, 0, 0)
      } else if let object = objects[cell] {
        (buffer[base], buffer[base + 1], buffer[base + 2]) = object.encoding
      } else {
        (buffer[base], buffer[base + 1], buffer[base + 2]) = (GridObjectKind.empty.rawValue, 0, 0)
      }
      if includeDirection { buffer[base + 3] = UInt8(agentDirection.rawValue) }
    }
  }

  /// The grid positions the agent sees this step (the cells MiniGrid's render highlights).
  public func visiblePositions() -> Set<GridPosition> {
    let size = GridWorld.viewSize
    let visible = view().visible
    var positions = Set<GridPosition>()
    for vx in 0..<size {
      for vy in 0..<size where visible[vx * size + vy] {
        let position = worldPosition(viewX: vx, viewY: vy)
        if contains(position) { positions.insert(position) }
      }
    }
    return positions
  }
}
