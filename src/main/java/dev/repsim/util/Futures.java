package dev.repsim.util;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    /**
     * Interrupts a pool's tasks and waits until they have ended, so that none is still writing a file
     * (its temporary file deleted when interrupted) once the caller reports a failure.
     */
    public static void stop(ExecutorService pool) {
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) break;
                throw new IllegalStateException("worker threads did not stop within a minute");
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
