package dev.repsim.study;

import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small study on disk: n tiny images in two class folders with masks, and precomputed embeddings of
 * two models for three variants. Embeddings are built so the answers are known in kind: model "stable"
 * changes little between variants, model "fragile" replaces most of the signal for "background".
 */
final class StudyFixture {
    static final List<String> VARIANTS = List.of("full", "foreground", "background");
    final Path dir;
    final int n;

    StudyFixture(Path dir, int n) throws IOException {
        this.dir = dir;
        this.n = n;
        for (int i = 0; i < n; i++) {
            String rel = (i % 2 == 0 ? "a/" : "b/") + String.format("img%03d", i);
            Path img = dir.resolve("images").resolve(rel + ".png");
            Files.createDirectories(img.getParent());
            ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "png", img.toFile());
            Path mask = dir.resolve("masks").resolve(rel + ".png");
            Files.createDirectories(mask.getParent());
            ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY), "png", mask.toFile());
        }
        SplittableRandom r = new SplittableRandom(42);
        int d = 6;
        double[] base = gaussian(r, n * d);
        write("stable", base, d, new double[] {0, 0.05, 0.2}, r);
        write("fragile", base, d, new double[] {0, 0.3, 3.0}, r);
    }

    private void write(String model, double[] base, int d, double[] noise, SplittableRandom r) {
        for (int v = 0; v < VARIANTS.size(); v++) {
            double[] e = gaussian(r, n * d);
            float[] out = new float[n * d];
            for (int i = 0; i < out.length; i++) out[i] = (float) (base[i] + noise[v] * e[i]);
            Npy.write(dir.resolve("emb").resolve(model + "-" + VARIANTS.get(v) + ".npy"), Matrix.of(n, d, out));
        }
    }

    static double[] gaussian(SplittableRandom r, int len) {
        double[] a = new double[len];
        for (int i = 0; i < len; i++) a[i] = r.nextGaussian();
        return a;
    }

    Path studyFile(String extra) throws IOException {
        String yaml = """
                name: fixture study
                output: out
                datasets:
                  - name: toy
                    images: images
                    masks: masks
                models:
                  - name: stable
                    embeddings: {full: emb/stable-full.npy, foreground: emb/stable-foreground.npy, background: emb/stable-background.npy}
                  - name: fragile
                    embeddings: {full: emb/fragile-full.npy, foreground: emb/fragile-foreground.npy, background: emb/fragile-background.npy}
                variants: [full, foreground, background]
                metrics: [linear-cka, rbf-cka, cca-mean]
                backend: java
                k: 5
                umap: {neighbors: 8, epochs: 60}
                """ + extra;
        Path f = dir.resolve("study.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    Matrix embedding(String model, String variant) {
        return Npy.readMatrix(dir.resolve("emb").resolve(model + "-" + variant + ".npy")).to(dev.repsim.linalg.Precision.F64);
    }
}
