package dev.repsim.util;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for background work so that its failure surfaces as the exception it threw. */
public final class Futures {
    private Futures() {}

    /** The task's result; a RuntimeException it threw is rethrown as is (bad input keeps its message). */
    public static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
