package dev.repsim.fuzz;

import dev.repsim.onnx.TfjsFixture;
import dev.repsim.onnx.TfjsModel;
import dev.repsim.onnx.TfjsToOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutated TensorFlow.js models through {@code import-tfjs}'s reader and converter: a mutated model.json
 * (text and byte mutations: extreme numbers in shapes, strides, paddings and weight specs, broken JSON)
 * and a mutated weight shard (truncated, extended, flipped) each end in an ONNX model or one clear line
 * naming the model.json.
 */
class TfjsFuzzTest {
    @TempDir
    Path dir;

    private static Fuzz.Reader convert(Path modelJson) {
        return f -> TfjsToOnnx.convert(TfjsModel.read(modelJson));
    }

    @Test
    void mutatedModelJson() throws Exception {
        Path m = TfjsFixture.everyLayer(3).write(dir.resolve("m"));
        Path json = m.resolve("model.json");
        byte[] seed = Files.readAllBytes(json);
        Fuzz.Outcome o = Fuzz.run(json, 51, 300, Duration.ofSeconds(60),
                r -> r.nextBoolean() ? Mutations.text(seed, r) : Mutations.bytes(seed, r), convert(json));
        assertTrue(o.valid() > 0, o.toString());
    }

    @Test
    void mutatedWeightShard() throws Exception {
        Path m = TfjsFixture.everyLayer(4).write(dir.resolve("m"));
        Path shard = m.resolve("group1-shard1of1.bin");
        byte[] seed = Files.readAllBytes(shard);
        Fuzz.run(shard, m.resolve("model.json"), 52, 200, Duration.ofSeconds(30), r -> Mutations.bytes(seed, r), convert(m.resolve("model.json")));
    }
}
