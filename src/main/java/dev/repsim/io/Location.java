package dev.repsim.io;

import java.nio.file.Path;

/**
 * Where a study input is: a local path, or a URI that only a Hadoop FileSystem reads ({@code hdfs://},
 * {@code s3a://}, ...: with {@code --spark}, through {@link UriFiles}). Exactly one of the two is set.
 */
public record Location(Path path, String uri) {
    public Location {
        if ((path == null) == (uri == null)) throw new IllegalArgumentException("a location is a path or a URI: got " + path + ", " + uri);
    }

    public static Location of(Path path) {
        return new Location(path, null);
    }

    public static Location ofUri(String uri) {
        return new Location(null, uri);
    }

    public boolean isUri() {
        return uri != null;
    }

    /** The local path; a URI has none, so code that reads only local files stops here rather than misreading it. */
    public Path local() {
        if (uri != null) throw new IllegalStateException(uri + ": a URI is read through Hadoop's FileSystem (with --spark), not as a local path");
        return path;
    }

    /** The path or the URI as the user wrote it (normalised), for messages and for the Spark executors. */
    @Override
    public String toString() {
        return uri != null ? uri : path.toString();
    }
}
