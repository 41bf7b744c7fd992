package dev.repsim.io;

import java.nio.file.Path;
import java.util.List;

/**
 * Files named by URIs that this JVM cannot read as paths ({@code hdfs://}, {@code s3a://}, ...): the Spark
 * module reads them through Hadoop's FileSystem. The core only knows this interface, so it never loads
 * Hadoop; every problem is an {@link InputException} naming the URI.
 */
public interface UriFiles {
    /** What a URI names. */
    enum Kind { FILE, FOLDER, NOTHING }

    Kind kind(String uri);

    /**
     * Every regular, non-hidden file under folder {@code uri} (no part of its relative path starting with
     * '.', as {@link dev.repsim.image.ImageFiles#list} skips locally), as '/'-separated relative paths in
     * string order.
     */
    List<String> listTree(String uri);

    /** Copies the file at {@code uri} to {@code to} (its folder is made). */
    void copy(String uri, Path to);

    /** The URI of {@code relative} ('/'-separated) inside folder {@code folder}. */
    static String child(String folder, String relative) {
        return folder.endsWith("/") ? folder + relative : folder + "/" + relative;
    }

    /** The last part of a URI's path (its file name), or "file" when it has none. */
    static String name(String uri) {
        String u = uri.replaceFirst("/+$", "");
        String last = u.substring(u.lastIndexOf('/') + 1);
        return last.isEmpty() || last.contains(":") ? "file" : last;
    }
}
