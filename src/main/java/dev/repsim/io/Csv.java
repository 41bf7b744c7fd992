package dev.repsim.io;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CSV tables through Apache Commons CSV (RFC 4180 quoting, '\n' line ends, UTF-8): written atomically,
 * read with a required header so that a missing column is an error naming the file.
 */
public final class Csv {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setRecordSeparator('\n').get();

    private Csv() {}

    /** Writes a header line and the rows, atomically. */
    public static void write(Path target, List<String> header, List<? extends List<?>> rows) {
        AtomicFiles.writeString(target, format(header, rows));
    }

    /** The text of such a file: the header line, then the rows. */
    public static String format(List<String> header, List<? extends List<?>> rows) {
        StringBuilder b = new StringBuilder();
        try (CSVPrinter p = new CSVPrinter(b, FORMAT)) {
            p.printRecord(header);
            for (List<?> r : rows) p.printRecord(r);
        } catch (IOException e) {
            throw new IllegalStateException("formatting CSV: " + e.getMessage(), e); // a StringBuilder does not fail
        }
        return b.toString();
    }

    /** Reads the records of a file with a header line holding at least {@code required} columns. */
    public static List<Map<String, String>> read(Path file, List<String> required) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(in)
                     .setFormat(FORMAT.builder().setHeader().setSkipHeaderRecord(true).get()).get()) {
            for (String col : required) {
                if (!parser.getHeaderMap().containsKey(col)) {
                    throw new InputException(file, "missing column '" + col + "' (header: " + parser.getHeaderNames() + ")");
                }
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (CSVRecord r : parser) {
                if (!r.isConsistent()) {
                    throw new InputException(file, "line " + (r.getRecordNumber() + 1) + " has " + r.size()
                            + " fields, the header has " + parser.getHeaderNames().size());
                }
                rows.add(r.toMap());
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw new InputException(file, "no such file");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.nio.charset.CharacterCodingException) throw new InputException(file, "not UTF-8 text", e);
            }
            throw new InputException(file, "malformed CSV: " + e.getMessage(), e);
        }
    }
}
