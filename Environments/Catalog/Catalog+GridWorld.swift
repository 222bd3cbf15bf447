/// Grid worlds with MiniGrid's conventions; owned by the grid-world engineer.
extension Catalog {
  public static let gridWorlds: [Entry] = []
}
