package dev.repsim.report;

import dev.repsim.io.AtomicFiles;

import java.nio.file.Path;
import java.util.List;

/** Writes a table as CSV (RFC 4180 quoting), atomically. Numbers are written by the caller's formatting. */
public final class CsvTable {
    private CsvTable() {}

    public static void write(Path file, List<String> header, List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        line(b, header);
        for (List<String> r : rows) {
            if (r.size() != header.size()) throw new IllegalArgumentException(file + ": row of " + r.size() + " cells under " + header.size() + " columns");
            line(b, r);
        }
        AtomicFiles.writeString(file, b.toString());
    }

    private static void line(StringBuilder b, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) b.append(',');
            String c = cells.get(i);
            if (c.indexOf(',') >= 0 || c.indexOf('"') >= 0 || c.indexOf('\n') >= 0 || c.indexOf('\r') >= 0) {
                b.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                b.append(c);
            }
        }
        b.append("\r\n");
    }
}
