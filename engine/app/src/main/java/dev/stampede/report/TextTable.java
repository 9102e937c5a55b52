package dev.stampede.report;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: the first {@code leftColumns} columns (names) left-aligned, the others right-aligned. */
public final class TextTable {

  private final List<String[]> rows = new ArrayList<>();
  private final int columns;
  private final int leftColumns;

  /**
   * A table with {@code header} as its first row, underlined when rendered.
   *
   * @param leftColumns how many leading columns are left-aligned (names); the rest are numbers
   */
  public TextTable(int leftColumns, String... header) {
    this.columns = header.length;
    this.leftColumns = leftColumns;
    rows.add(header);
  }

  /** Adds a row of exactly as many cells as the header has. */
  public TextTable row(String... cells) {
    if (cells.length != columns) {
      throw new IllegalArgumentException("row must have " + columns + " cells but had " + cells.length);
    }
    rows.add(cells);
    return this;
  }

  /** The table, one line per row, each ending in a newline, columns two spaces apart. */
  public String render() {
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        if (i > 0) {
          line.append("  ");
        }
        String cell = row[i];
        String pad = " ".repeat(width[i] - cell.length());
        line.append(i < leftColumns ? cell + pad : pad + cell);
      }
      out.append(line.toString().stripTrailing()).append('\n');
      if (r == 0) {
        int total = 0;
        for (int w : width) {
          total += w;
        }
        out.append("-".repeat(total + 2 * (columns - 1))).append('\n');
      }
    }
    return out.toString();
  }
}
