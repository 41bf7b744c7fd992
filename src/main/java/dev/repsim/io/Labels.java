package dev.repsim.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Row labels for the neighbour analysis, from a text file (one label per line), a CSV file with a
 * header (the named column; e.g. an embedding index's {@code variant}), or an .npy vector of integers.
 */
public final class Labels {
    private Labels() {}

    public static String[] read(Path path, String csvColumn) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".npy")) return readNpy(path);
        if (name.endsWith(".csv")) {
            return Csv.read(path, List.of(csvColumn)).stream().map(row -> row.get(csvColumn)).toArray(String[]::new);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException(path, "no such file");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InputException(path, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new InputException(path, "cannot read labels: " + e.getMessage(), e);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) lines.remove(lines.size() - 1);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) throw new InputException(path, "line " + (i + 1) + ": empty label");
        }
        return lines.stream().map(String::strip).toArray(String[]::new);
    }

    private static String[] readNpy(Path path) {
        Npy.Header h = Npy.header(path);
        boolean vector = h.shape().length == 1 || (h.shape().length == 2 && h.shape()[1] == 1);
        if (!vector) throw new InputException(path, "labels must be a vector, got shape " + Npy.shapeString(h.shape()));
        if ("iu".indexOf(h.kind()) < 0) {
            throw new InputException(path, "labels must be integers, got dtype '" + h.descr() + "'");
        }
        int item = h.itemSize();
        if (item != 1 && item != 2 && item != 4 && item != 8) throw new InputException(path, "unsupported integer size " + item);
        // the header check made the file hold rows × item bytes, so with item ≥ 1 this is bounded by the file
        if (h.rows() > Integer.MAX_VALUE - 8) throw new InputException(path, "too many labels (" + h.rows() + ")");
        int n = (int) h.rows();
        ByteBuffer buf = ByteBuffer.allocate(n * item).order(h.byteOrder());
        try (FileChannel ch = FileChannel.open(path)) {
            long pos = h.dataOffset();
            while (buf.hasRemaining()) {
                int got = ch.read(buf, pos);
                if (got < 0) throw new InputException(path, "truncated file");
                pos += got;
            }
        } catch (IOException e) {
            throw new InputException(path, "cannot read labels: " + e.getMessage(), e);
        }
        buf.flip();
        String[] out = new String[n];
        boolean unsigned = h.kind() == 'u';
        for (int i = 0; i < n; i++) {
            long v = switch (item) {
                case 1 -> unsigned ? buf.get() & 0xff : buf.get();
                case 2 -> unsigned ? buf.getShort() & 0xffff : buf.getShort();
                case 4 -> unsigned ? buf.getInt() & 0xffffffffL : buf.getInt();
                default -> buf.getLong();
            };
            out[i] = Long.toString(v);
        }
        return out;
    }
}
