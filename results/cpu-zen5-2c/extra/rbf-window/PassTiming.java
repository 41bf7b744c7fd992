package dev.repsim.metrics;
import dev.repsim.linalg.Matrix;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.*;
import java.util.SplittableRandom;
public class PassTiming {
    public static void main(String[] args) throws Exception {
        int n = 2048, d = 768, m = 1024;
        SplittableRandom r = new SplittableRandom(1);
        double[] xa = new double[n * d], ya = new double[n * d];
        for (int i = 0; i < xa.length; i++) { xa[i] = r.nextGaussian(); }
        for (int i = 0; i < ya.length; i++) { ya[i] = 0.7 * xa[i] + 0.5 * r.nextGaussian(); }
        Matrix x = Matrix.of(n, d, xa), y = Matrix.of(n, d, ya);
        double[] nx = new double[n], ny = new double[n];
        for (int i = 0; i < n; i++) { double s = 0, t = 0; for (int k = 0; k < d; k++) { s += xa[i*d+k]*xa[i*d+k]; t += ya[i*d+k]*ya[i*d+k]; } nx[i] = s; ny[i] = t; }
        double[] gx = new double[m * m], gy = new double[m * m];
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) {
            double s = 0, t = 0; int a = i * d, b = (m + j) * d;
            for (int k = 0; k < d; k++) { s += xa[a+k]*xa[b+k]; t += ya[a+k]*ya[b+k]; }
            gx[i*m+j] = s; gy[i*m+j] = t; }
        double[] wx = MedianDistance.window(x, 7), wy = MedianDistance.window(y, 7);
        double s2 = 0.25;
        double cxl = -1/(2*s2*wx[0]), cxh = -1/(2*s2*wx[1]), cyl = -1/(2*s2*wy[0]), cyh = -1/(2*s2*wy[1]);
        double c0x = 0.5*(cxl+cxh), c0y = 0.5*(cyl+cyh);
        double rho = Math.max(0.5*(cxh-cxl)/-c0x, 0.5*(cyh-cyl)/-c0y);
        int p = args.length > 0 ? Integer.parseInt(args[0]) : RbfOnePass.order(rho);
        System.out.printf("window x [%g, %g) rho %.3g order %d (used %d)%n", wx[0], wx[1], rho, RbfOnePass.order(rho), p);
        Class<?> pc = Class.forName("dev.repsim.metrics.RbfOnePass$Pass");
        Constructor<?> k = pc.getDeclaredConstructor(int.class, int.class, double.class, double.class, double[].class, double[].class, int.class, long.class);
        k.setAccessible(true);
        Method tile = pc.getDeclaredMethod("tile", MemorySegment.class, MemorySegment.class, double[].class, double[].class, int.class, int.class, int.class, int.class, boolean.class, int.class, int.class);
        tile.setAccessible(true);
        MemorySegment sx = MemorySegment.ofArray(gx), sy = MemorySegment.ofArray(gy);
        for (int rep = 0; rep < 12; rep++) {
            Object pass = k.newInstance(n, p, c0x, c0y, wx, wy, m, 1 << 20);
            long t0 = System.nanoTime();
            for (int it = 0; it < 4; it++) tile.invoke(pass, sx, sy, nx, ny, m, m, 0, m, false, 0, 1);
            long dt = System.nanoTime() - t0;
            System.out.printf("%.2f ns per pair%n", dt / 4.0 / m / m);
        }
    }
}
