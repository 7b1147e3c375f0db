package io.biu.cli.render;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A table for people: a header, rows, columns padded to their widest cell, two spaces between them. */
public final class Table {

    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    private Table(List<String> header) {
        this.header = header;
    }

    public static Table of(String... header) {
        return new Table(List.of(header));
    }

    /** Adds a row; nulls print as {@code -}; missing cells are blank. */
    public Table row(Object... cells) {
        if (cells.length > header.size()) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + header.size()
                    + " columns");
        }
        List<String> row = new ArrayList<>(header.size());
        for (int i = 0; i < header.size(); i++) {
            row.add(i >= cells.length ? "" : cells[i] == null ? "-" : String.valueOf(cells[i]));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, each line ending in a newline; the last column is not padded. */
    public String render() {
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, widths);
        rows.forEach(r -> line(out, r, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(cells.get(i));
            if (i < cells.size() - 1) {
                char[] pad = new char[widths[i] - cells.get(i).length() + 2];
                Arrays.fill(pad, ' ');
                line.append(pad);
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
