package dev.repsim.spark;

import dev.repsim.io.InputException;

/**
 * A failed Spark job as the command line reports it: Spark wraps what a task threw in its own exception
 * (with the stage and task in the message); bad input found on an executor is still the one-line
 * {@link InputException} naming the file, exit status 2.
 */
final class JobErrors {
    private JobErrors() {}

    static RuntimeException rethrow(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InputException ie) return ie;
        }
        if (e instanceof RuntimeException re) return re;
        return new RuntimeException("Spark job failed: " + InputException.firstLine(e.getMessage()), e);
    }
}
