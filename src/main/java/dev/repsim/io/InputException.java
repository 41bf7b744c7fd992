package dev.repsim.io;

import java.nio.file.Path;

/**
 * Bad user input: a file or option that cannot be used. The message is one line that names the file
 * (or option) and the problem; the command line prints it as is and exits non-zero.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    public InputException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public InputException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    /** The first line of a library's message (ONNX Runtime, ImageIO and parsers add stack-like detail), or "". */
    public static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }
}
