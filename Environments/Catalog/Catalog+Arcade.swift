/// Pixel arcade games and their MinAtar-style modes; owned by the arcade engineer.
extension Catalog {
  public static let arcade: [Entry] = []
}
