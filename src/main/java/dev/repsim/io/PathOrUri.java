package dev.repsim.io;

import java.util.regex.Pattern;

/** Tells a URI ({@code hdfs://nn/x}, {@code s3a://b/x}, {@code file:///x}) from a local path, as the command line receives them. */
public final class PathOrUri {
    /** A scheme of two or more characters, then ':' (a single letter would be a Windows drive). */
    private static final Pattern URI = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]+:.*");

    private PathOrUri() {}

    public static boolean isUri(String path) {
        return URI.matcher(path).matches();
    }
}
