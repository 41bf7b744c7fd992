package dev.repsim.study;

import dev.repsim.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Opens a study's report.html in headless Chromium (Debian's {@code chromium}, installed by bin/test
 * from .ci/packages.txt) and checks that the browser decoded every figure: a copy of the report gets a
 * small script that, once the page has loaded, draws each image on a canvas and writes its natural size
 * and its count of undecoded (transparent) pixels into the DOM, which {@code --dump-dom} prints.
 */
class ReportRenderTest {

    @Test
    void chromiumRendersEveryFigure(@TempDir Path dir) throws Exception {
        StudyFixture f = new StudyFixture(dir, 24);
        assertEquals(0, Main.execute("study", f.studyFile("").toString()));
        assertFiguresRender(dir.resolve("out/report.html"), dir, 10);
    }

    @Test
    void aBrokenFigureFailsTheCheck(@TempDir Path dir) throws Exception {
        byte[] good = dev.repsim.report.Png.bytes(new dev.repsim.report.Heatmap("t", List.of("a", "b"), List.of("a", "b"),
                new double[][] {{1, 0.5}, {0.5, 1}}, 0, 1, 2).render());
        String html = new dev.repsim.report.HtmlReport("broken").figure(good, "good", "good")
                .figure(java.util.Arrays.copyOf(good, 200), "truncated", "truncated PNG").html();
        Path report = dir.resolve("report.html");
        Files.writeString(report, html);
        assertThrows(org.opentest4j.AssertionFailedError.class, () -> assertFiguresRender(report, dir, 2));
    }

    /** Opens the report in Chromium and checks that every figure decoded to a real image. */
    static void assertFiguresRender(Path report, Path work, int atLeast) throws Exception {
        String html = Files.readString(report);
        int expected = html.split("<img ", -1).length - 1;
        assertTrue(expected >= atLeast, "report has " + expected + " figures");
        String probe = """
                <script>
                window.addEventListener('load', function () {
                  var out = [];
                  document.querySelectorAll('img').forEach(function (img) {
                    // draw the decoded image: pixels the browser could not decode stay transparent
                    var c = document.createElement('canvas');
                    c.width = img.naturalWidth; c.height = img.naturalHeight;
                    var clear = -1;
                    if (c.width > 0 && c.height > 0) {
                      var g = c.getContext('2d');
                      g.drawImage(img, 0, 0);
                      var d = g.getImageData(0, 0, c.width, c.height).data;
                      clear = 0;
                      for (var i = 3; i < d.length; i += 4) if (d[i] < 255) clear++;
                    }
                    out.push(img.complete + ':' + img.naturalWidth + 'x' + img.naturalHeight + ':' + clear);
                  });
                  var p = document.createElement('pre');
                  p.id = 'render-check';
                  p.textContent = 'IMAGES ' + out.join(' ') + ' END';
                  document.body.appendChild(p);
                });
                </script>
                """;
        Path probed = report.resolveSibling("probed-" + report.getFileName());
        Files.writeString(probed, html.replace("</body>", probe + "</body>"));
        String dom = dumpDom(probed, work.resolve("chromium-profile"));
        Files.delete(probed);
        Matcher m = Pattern.compile("<pre id=\"render-check\">IMAGES (.*?) END</pre>").matcher(dom);
        assertTrue(m.find(), "the check did not run; chromium printed: " + dom.substring(0, Math.min(400, dom.length())));
        String[] sizes = m.group(1).trim().split(" ");
        assertEquals(expected, sizes.length, m.group(1));
        for (String s : sizes) {
            Matcher wh = Pattern.compile("true:(\\d+)x(\\d+):(-?\\d+)").matcher(s);
            assertTrue(wh.matches(), "image not loaded: " + s);
            assertTrue(Integer.parseInt(wh.group(1)) > 100 && Integer.parseInt(wh.group(2)) > 100, "figure too small: " + s);
            assertEquals("0", wh.group(3), "pixels left undecoded (transparent) in figure " + s);
        }
    }

    static String dumpDom(Path page, Path profile) throws IOException, InterruptedException {
        Path chromium = Path.of("/usr/bin/chromium");
        assertTrue(Files.isExecutable(chromium), "Debian's chromium is needed: apt-get install chromium (bin/test installs it)");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom",
                page.toUri().toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, p.exitValue(), "chromium failed");
        return new String(out, StandardCharsets.UTF_8);
    }
}
