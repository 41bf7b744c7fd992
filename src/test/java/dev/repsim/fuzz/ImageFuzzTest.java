package dev.repsim.fuzz;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.PixelLimit;
import dev.repsim.image.PngChunks;
import dev.repsim.image.PngWriter;
import dev.repsim.image.Raster;
import dev.repsim.image.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Mutated PNG and JPEG files through {@link ImageDecoder}: a raster or a clear error, never a crash, OOM or hang. */
class ImageFuzzTest {
    private static final PixelLimit LIMIT = new PixelLimit(1 << 20); // any mutant within it decodes in a few MB
    @TempDir
    Path dir;

    private static Object decode(Path f) {
        ImageDecoder.Size s = ImageDecoder.size(f);
        Raster r = ImageDecoder.read(f, LIMIT);
        assertTrue(r.width() == s.width() && r.height() == s.height(), "header " + s + " but decoded " + r.width() + "x" + r.height());
        return r;
    }

    private List<byte[]> pngSeeds() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        int k = 0;
        for (int channels = 1; channels <= 4; channels++) {
            for (int bits : new int[] {8, 16}) {
                Path f = dir.resolve("seed" + k++ + ".png");
                PngWriter.write(f, TestImages.random(5 + channels, 4 + bits / 8, channels, bits, k));
                seeds.add(Files.readAllBytes(f));
            }
        }
        seeds.add(PngChunks.bomb(40, 30));
        return seeds;
    }

    /** PNG-aware mutants: chunks duplicated, dropped or reordered, IHDR fields random (with a valid CRC). */
    private static byte[] pngMutant(List<byte[]> seeds, SplittableRandom r) {
        byte[] seed = seeds.get(r.nextInt(seeds.size()));
        if (r.nextInt(3) > 0) return Mutations.bytes(seed, r);
        List<byte[]> chunks = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(seed, 8, seed.length - 8);
        while (b.remaining() >= 12) {
            int len = b.getInt(b.position());
            byte[] c = new byte[12 + len];
            b.get(c);
            chunks.add(c);
        }
        int i = r.nextInt(chunks.size());
        switch (r.nextInt(4)) {
            case 0 -> chunks.add(r.nextInt(chunks.size() + 1), chunks.get(i));
            case 1 -> chunks.remove(i);
            case 2 -> chunks.add(r.nextInt(chunks.size()), chunks.remove(i));
            default -> {
                int[] dims = {0, 1, 7, 1 << 15, 1 << 20, Integer.MAX_VALUE, -1, 65_535, 40_000};
                int w = r.nextBoolean() ? dims[r.nextInt(dims.length)] : 1 + r.nextInt(64);
                int h = r.nextBoolean() ? dims[r.nextInt(dims.length)] : 1 + r.nextInt(64);
                int[] depths = {1, 2, 4, 8, 16, 0, 3, 32};
                int[] types = {0, 2, 3, 4, 6, 1, 5, 7};
                chunks.set(0, PngChunks.chunk("IHDR", PngChunks.ihdr(w, h, depths[r.nextInt(depths.length)],
                        types[r.nextInt(types.length)], r.nextInt(4) == 0 ? r.nextInt(3) : 0)));
            }
        }
        return PngChunks.png(chunks.toArray(byte[][]::new));
    }

    @Test
    void mutatedPngs() throws Exception {
        List<byte[]> seeds = pngSeeds();
        Fuzz.run(dir.resolve("m.png"), 11, 600, Duration.ofSeconds(30), r -> pngMutant(seeds, r), ImageFuzzTest::decode);
    }

    @Test
    void mutatedJpegs() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        for (boolean grey : new boolean[] {false, true}) {
            Path f = dir.resolve("seed" + grey + ".jpg");
            TestImages.jpeg(f, 24, 16, grey);
            seeds.add(Files.readAllBytes(f));
        }
        Fuzz.run(dir.resolve("m.jpg"), 12, 600, Duration.ofSeconds(30),
                r -> Mutations.bytes(seeds.get(r.nextInt(seeds.size())), r), ImageFuzzTest::decode);
    }
}
