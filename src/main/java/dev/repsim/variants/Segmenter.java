package dev.repsim.variants;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.repsim.image.ImageFiles;
import dev.repsim.image.Raster;
import dev.repsim.image.Resampler;
import dev.repsim.io.InputException;
import dev.repsim.onnx.ModelPrecheck;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Masks from a salient-object model such as U²-Net-p (Qin et al. 2020): input [1,3,320,320], first
 * output the saliency map [1,1,320,320]. Preprocessing follows rembg's U²-Net session: RGB resized to
 * 320×320, divided by the image's largest value, normalised with the ImageNet mean/std; the map is
 * min-max normalised to [0, 1], resized back to the image (bilinear) and thresholded: foreground where
 * saliency ≥ threshold.
 */
public final class Segmenter implements MaskSource {
    public static final int SIZE = 320;
    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final Path model;
    private final double threshold;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final String output;

    public Segmenter(Path model, double threshold, int threads) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("--mask-threshold must be in [0, 1], got " + threshold);
        }
        if (!Files.isRegularFile(model)) throw new InputException(model, "no such model file");
        this.model = model;
        this.threshold = threshold;
        ModelPrecheck.imageInput(model, null);
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(Math.max(1, threads));
            // Idle intra-op threads sleep at once (ONNX Runtime's default spins first): each variants worker
            // segments beside the others' decoding and PNG encoding, which spinning threads take cores from
            // (VariantsBenchmark on a Zen 5: 0.91 of the time per image; results/cpu-zen5-2c/extra/ort-spinning/).
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            session = env.createSession(model.toString(), o);
        } catch (OrtException e) {
            throw new InputException(model, "not a valid ONNX model: " + InputException.firstLine(e.getMessage()), e);
        }
        try {
            if (session.getNumInputs() != 1) throw bad("has " + session.getNumInputs() + " inputs, a segmenter takes one image");
            Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
            input = in.getKey();
            if (!(in.getValue().getInfo() instanceof TensorInfo ti) || !shapeFits(ti.getShape(), 1, 3, SIZE, SIZE)) {
                throw bad("input '" + input + "' is " + in.getValue().getInfo() + ", expected float [1,3,320,320]");
            }
            output = session.getOutputNames().iterator().next();
        } catch (OrtException e) {
            close();
            throw new InputException(model, "cannot inspect the model: " + InputException.firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private InputException bad(String problem) {
        return new InputException(model, problem);
    }

    /** True when every fixed dimension equals the wanted one (symbolic ones, −1, match anything). */
    static boolean shapeFits(long[] shape, long... want) {
        if (shape.length != want.length) return false;
        for (int i = 0; i < shape.length; i++) if (shape[i] >= 0 && shape[i] != want[i]) return false;
        return true;
    }

    @Override
    public Mask maskFor(ImageFiles.Entry image, Raster raster) {
        float[] saliency = saliency(image.path(), raster);
        boolean[] fg = new boolean[raster.pixels()];
        for (int p = 0; p < fg.length; p++) fg[p] = saliency[p] >= threshold;
        return new Mask(raster.width(), raster.height(), fg);
    }

    /** The min-max normalised saliency map at the image's size, row-major. */
    public float[] saliency(Path imageFile, Raster raster) {
        int w = raster.width(), h = raster.height();
        float[] rgb = Resampler.resize(raster.toPlanarRgb(), 3, h, w, SIZE, SIZE, Resampler.Filter.BICUBIC);
        float max = 0;
        for (float v : rgb) max = Math.max(max, v);
        float scale = max > 0 ? 1 / max : 0;
        int plane = SIZE * SIZE;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) rgb[c * plane + i] = (rgb[c * plane + i] * scale - MEAN[c]) / STD[c];
        }
        float[] map;
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(rgb), new long[]{1, 3, SIZE, SIZE});
             OrtSession.Result r = session.run(Map.of(input, t))) {
            OnnxTensor out = (OnnxTensor) r.get(0);
            long[] shape = out.getInfo().getShape();
            long n = 1;
            for (long d : shape) n *= d;
            if (n != plane) {
                throw new InputException(model, "saliency output '" + output + "' has shape "
                        + java.util.Arrays.toString(shape) + ", expected 320x320 values");
            }
            FloatBuffer fb = out.getFloatBuffer();
            map = new float[plane];
            fb.get(map);
        } catch (OrtException e) {
            throw new InputException(model, "inference failed on " + imageFile + ": " + InputException.firstLine(e.getMessage()), e);
        }
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            if (!Float.isFinite(v)) throw new InputException(model, "non-finite saliency (NaN or Inf) for image " + imageFile);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        // a constant map has no salient object: all background
        float range = hi - lo;
        for (int i = 0; i < plane; i++) map[i] = range > 0 ? (map[i] - lo) / range : 0;
        return Resampler.resize(map, 1, SIZE, SIZE, h, w, Resampler.Filter.BILINEAR);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing " + model + ": " + e.getMessage(), e);
        }
    }
}
