package dev.repsim.onnx;

import dev.repsim.image.ImageDecoder;
import dev.repsim.image.Raster;
import dev.repsim.io.Npy;
import dev.repsim.linalg.Matrix;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The shipped {@code models/mobilenet-v2/mobilenet_v2.onnx} is what the converter makes of the shipped
 * TensorFlow.js files, and ONNX Runtime on it agrees with TensorFlow.js itself: the reference outputs in
 * {@code src/test/resources/mobilenet-v2/} were computed by {@code tools/tfjs/reference.js} (the nsfwjs model
 * on TensorFlow.js's pure-JavaScript CPU backend) from the same 224×224 PNG pixels. Features agree within
 * 1e-4 of the image's largest feature (float32 sums in another order differ by about 1e-6 of it; a wrong
 * layout, padding or dequantisation changes them by tens of per cent), probabilities within 1e-4.
 */
class MobileNetV2ImportTest {
    static final Path MODEL = Path.of("models/mobilenet-v2/mobilenet_v2.onnx");
    static final Path TFJS = Path.of("models/mobilenet-v2/tfjs");
    static final Path REFERENCE = Path.of("src/test/resources/mobilenet-v2");
    private static final int SIZE = 224;

    @Test
    void shippedModelIsTheConvertersOutputOfTheShippedTfjsFiles() throws Exception {
        assertArrayEquals(Files.readAllBytes(MODEL), TfjsToOnnx.convert(TfjsModel.read(TFJS)).onnx(),
                "models/mobilenet-v2/mobilenet_v2.onnx differs from `repsim import-tfjs models/mobilenet-v2/tfjs`");
    }

    @Test
    void onnxRuntimeAgreesWithTensorFlowJs() throws Exception {
        List<String> names = Files.readAllLines(REFERENCE.resolve("images.txt"));
        Matrix features = Npy.readMatrix(REFERENCE.resolve("features.npy"));
        Matrix probs = Npy.readMatrix(REFERENCE.resolve("probs.npy"));
        assertEquals(names.size(), features.rows());
        assertEquals(1280, features.cols());
        assertEquals(5, probs.cols());
        int plane = SIZE * SIZE;
        float[] x = new float[names.size() * 3 * plane];
        for (int i = 0; i < names.size(); i++) {
            Raster img = ImageDecoder.read(REFERENCE.resolve(names.get(i)));
            assertEquals(SIZE, img.width());
            assertEquals(3, img.colorChannels());
            for (int p = 0; p < plane; p++) for (int c = 0; c < 3; c++) x[(i * 3 + c) * plane + p] = img.sample(p, c) / 255f;
        }
        Map<String, float[]> out = TfjsToOnnxTest.run(Files.readAllBytes(MODEL), x, SIZE, SIZE, 3);
        float[] f = out.get("features"), pr = out.get("probs");
        for (int i = 0; i < names.size(); i++) {
            double scale = 0;
            for (int j = 0; j < 1280; j++) scale = Math.max(scale, Math.abs(features.get(i, j)));
            assertTrue(scale > 0.1, names.get(i) + ": reference features are degenerate");
            for (int j = 0; j < 1280; j++) {
                double want = features.get(i, j), got = f[i * 1280 + j];
                assertTrue(Math.abs(got - want) <= 1e-4 * scale, names.get(i) + " feature " + j + ": onnx " + got + " vs tfjs " + want);
            }
            for (int j = 0; j < 5; j++) {
                assertEquals(probs.get(i, j), pr[i * 5 + j], 1e-4, names.get(i) + " probability " + j);
            }
        }
    }
}
