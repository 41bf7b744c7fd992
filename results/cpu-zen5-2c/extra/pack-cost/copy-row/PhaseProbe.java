package dev.repsim.backend;

import dev.repsim.linalg.Matrix;
import dev.repsim.linalg.Precision;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

/** Scratch: phases of linear CKA's ZᵀZ (instrumented BlockedGemm). args: f32|f64 rounds */
public class PhaseProbe {
    public static void main(String[] args) throws Exception {
        boolean f32 = args[0].equals("f32");
        int rounds = Integer.parseInt(args[1]);
        int n = 20000, d = 768;
        Random r = new Random(1);
        Matrix x, y;
        if (f32) {
            float[] xa = new float[n * d], ya = new float[n * d];
            for (int i = 0; i < xa.length; i++) { xa[i] = (float) r.nextGaussian(); ya[i] = (float) r.nextGaussian(); }
            x = Matrix.of(n, d, xa); y = Matrix.of(n, d, ya);
        } else {
            double[] xa = new double[n * d], ya = new double[n * d];
            for (int i = 0; i < xa.length; i++) { xa[i] = r.nextGaussian(); ya[i] = r.nextGaussian(); }
            x = Matrix.of(n, d, xa); y = Matrix.of(n, d, ya);
        }
        ForkJoinPool pool = new ForkJoinPool(2);
        for (int round = 0; round < rounds; round++) {
            double[] mx = x.columnMeans(), my = y.columnMeans();
            long t2 = System.nanoTime();
            CenteredColumns z = new CenteredColumns(x, mx, y, my);
            PackedKernel k = f32 ? new FloatPackedKernel(z) : new DoublePackedKernel(z);
            double[] c = BlockedGemm.product(k, z.width(), z.width(), z.rows(), true, pool);
            long t3 = System.nanoTime();
            if (round >= 3) System.out.printf("%s product %.1f ms; thread sums: packR %.1f packL %.1f mul %.1f; runs %.1f unpack %.1f%n", args[0], (t3 - t2) / 1e6,
                BlockedGemm.PACK_R.get() / 1e6, BlockedGemm.PACK_L.get() / 1e6, BlockedGemm.MUL.get() / 1e6, BlockedGemm.RUNS.get() / 1e6, BlockedGemm.UNPACK.get() / 1e6);
            BlockedGemm.PACK_R.set(0); BlockedGemm.PACK_L.set(0); BlockedGemm.MUL.set(0); BlockedGemm.RUNS.set(0); BlockedGemm.UNPACK.set(0);
        }
        pool.shutdown();
    }
}
