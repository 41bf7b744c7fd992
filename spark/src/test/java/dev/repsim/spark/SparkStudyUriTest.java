package dev.repsim.spark;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code repsim study STUDY.yaml --spark local[2]} with the demo study's images, masks and MobileNetV2
 * given as {@code hdfs://} URIs of a real HDFS (one MiniDFSCluster for the class; the files exist only
 * there): listed on the driver, the model copied by the driver and broadcast, the images and masks read by
 * the executors through Hadoop's FileSystem; the same embeddings, bit for bit, and results as the local
 * run. Bad input is one line naming the URI, exit status 2, and no table or report.
 */
class SparkStudyUriTest {
    @TempDir
    static Path dir;
    static MiniHdfs hdfs;

    @BeforeAll
    static void start() throws Exception {
        hdfs = MiniHdfs.start(dir.resolve("hdfs"));
        Path demo = DemoStudy.repo().resolve("data/demo");
        hdfs.put(demo.resolve("images"), "demo/images");
        hdfs.put(demo.resolve("masks"), "demo/masks");
        hdfs.put(DemoStudy.repo().resolve("models/mobilenet-v2/mobilenet_v2.onnx"), "models/mobilenet_v2.onnx");
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) hdfs.close();
    }

    /** The demo study writing into {@code out}, its images, masks and ONNX model named by these URIs. */
    private static Path study(Path out, String images, String masks) throws Exception {
        Path f = DemoStudy.file(dir, out), demo = DemoStudy.repo().resolve("data/demo");
        String local = Files.readString(f);
        String yaml = local.replace("images: " + demo.resolve("images"), "images: " + images)
                .replace("masks: " + demo.resolve("masks"), "masks: " + masks)
                .replace("onnx: " + DemoStudy.repo() + "/models/mobilenet-v2/mobilenet_v2.onnx", "onnx: " + hdfs.uri("models/mobilenet_v2.onnx"));
        assertEquals(3, yaml.split("hdfs://", -1).length - 1, "three paths made URIs:\n" + yaml);
        Files.writeString(f, yaml);
        return f;
    }

    private static void assertNothingWritten(Path out) {
        for (String f : new String[]{SparkStudyEmbedding.TABLE, "results.json", "report.html"}) assertFalse(Files.exists(out.resolve(f)), f);
    }

    @Test
    void demoStudyReadFromHdfsEqualsTheLocalRun() throws Exception {
        Path local = dir.resolve("local"), spark = dir.resolve("spark");
        Cli l = Cli.run("study", DemoStudy.file(dir, local).toString());
        assertEquals(0, l.status(), l.err());
        Cli s = Cli.run("study", study(spark, hdfs.uri("demo/images"), hdfs.uri("demo/masks")).toString(), "--spark", "local[2]", "--partitions", "3");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.err().contains("study: embedding on Spark (local[2]): 26 images in 3 partitions, 2 model(s)"), s.err());
        DemoStudy.assertSameOutputs(local, spark);
    }

    @Test
    void aMissingHdfsFolderIsOneLineNamingItsKeyAndUri() throws Exception {
        Path out = dir.resolve("missing");
        String absent = hdfs.uri("demo/absent");
        Path f = study(out, hdfs.uri("demo/images"), absent);
        Cli r = Cli.run("study", f.toString(), "--spark", "local[2]");
        assertEquals(2, r.status(), r.err());
        assertEquals("repsim study: " + f + ": datasets[0].masks: folder not found: " + absent, r.errLines().getLast());
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void anUndecodableImageOnHdfsEndsTheJobNamingItsUri() throws Exception {
        Path demo = DemoStudy.repo().resolve("data/demo");
        hdfs.put(demo.resolve("images"), "bad/images");
        hdfs.put(demo.resolve("masks"), "bad/masks");
        Path broken = dir.resolve("0-broken.png");
        Files.writeString(broken, "not a PNG image at all");
        String uri = hdfs.put(broken, "bad/images/0-broken.png");
        hdfs.put(demo.resolve("masks/science/retina.png"), "bad/masks/0-broken.png");
        Path out = dir.resolve("bad");
        Cli r = Cli.run("study", study(out, hdfs.uri("bad/images"), hdfs.uri("bad/masks")).toString(), "--spark", "local[2]", "--partitions", "9");
        assertEquals(2, r.status(), r.err());
        String last = r.errLines().getLast();
        assertTrue(last.startsWith("repsim study: " + uri + ": "), last);
        assertFalse(last.contains(System.getProperty("java.io.tmpdir")), "names no scratch copy: " + last);
        assertNothingWritten(out);
    }
}
