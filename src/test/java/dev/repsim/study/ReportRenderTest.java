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
 * small script that, once the page has loaded, writes each image's natural size into the DOM, which
 * {@code --dump-dom} prints.
 */
class ReportRenderTest {

    @Test
    void chromiumRendersEveryFigure(@TempDir Path dir) throws Exception {
        StudyFixture f = new StudyFixture(dir, 24);
        assertEquals(0, Main.execute("study", f.studyFile("").toString()));
        String html = Files.readString(dir.resolve("out/report.html"));
        int expected = html.split("<img ", -1).length - 1;
        assertTrue(expected >= 10, "report has " + expected + " figures");

        String probe = """
                <script>
                window.addEventListener('load', function () {
                  var out = [];
                  document.querySelectorAll('img').forEach(function (img) {
                    out.push(img.complete + ':' + img.naturalWidth + 'x' + img.naturalHeight);
                  });
                  var p = document.createElement('pre');
                  p.id = 'render-check';
                  p.textContent = 'IMAGES ' + out.join(' ') + ' END';
                  document.body.appendChild(p);
                });
                </script>
                """;
        Path probed = dir.resolve("probed.html");
        Files.writeString(probed, html.replace("</body>", probe + "</body>"));
        String dom = dumpDom(probed, dir.resolve("chromium-profile"));
        Matcher m = Pattern.compile("<pre id=\"render-check\">IMAGES (.*?) END</pre>").matcher(dom);
        assertTrue(m.find(), "the check did not run; chromium printed: " + dom.substring(0, Math.min(400, dom.length())));
        String[] sizes = m.group(1).trim().split(" ");
        assertEquals(expected, sizes.length, m.group(1));
        for (String s : sizes) {
            Matcher wh = Pattern.compile("true:(\\d+)x(\\d+)").matcher(s);
            assertTrue(wh.matches(), "image not loaded: " + s);
            assertTrue(Integer.parseInt(wh.group(1)) > 100 && Integer.parseInt(wh.group(2)) > 100, "figure too small: " + s);
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
