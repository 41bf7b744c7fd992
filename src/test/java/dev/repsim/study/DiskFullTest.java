package dev.repsim.study;

import dev.repsim.cli.CliRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.repsim.io.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A study whose output folder is on a real file system that fills up (a tmpfs of a chosen size), so the
 * write that fails is a variant image, an embedding .npy, results.json, a figure, report.html, or one
 * picked at random. Every time: exit 2 with a last stderr line that names the file and says the disk is
 * full, no temporary file left, and every file that is there complete (equal to an uninterrupted
 * run's). Over a folder holding an earlier complete run, nothing of it is lost or damaged.
 */
class DiskFullTest {
    private static final Pattern ERROR = Pattern.compile("repsim study: (/\\S+): cannot write(?: cache)?: .*No space left on device");
    /** Written with the time of the run: compared for completeness, not bytes. */
    private static final List<String> DATED = List.of("results.json", "report.html");

    @TempDir
    Path dir;

    private Path study(Path output) throws Exception {
        return StudyPipelineTest.shapesStudy(dir.resolve("study-" + output.getParent().getFileName() + ".yaml"), output, 4, 4);
    }

    private record Run(int rc, List<String> stderr) {}

    private Run run(Path study) {
        CliRun r = CliRun.of("study", study.toString());
        return new Run(r.status(), r.errLines());
    }

    /**
     * Relative path → bytes of every file under a folder, but the lock file (empty, kept on purpose);
     * none when the folder does not exist (a failed run removes the output folder it made and left empty).
     */
    private static Map<String, byte[]> files(Path root) throws Exception {
        Map<String, byte[]> m = new TreeMap<>();
        if (!Files.exists(root)) return m;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.equals(dev.repsim.io.OutputLock.FILE)) m.put(rel, Files.readAllBytes(p));
            }
        }
        return m;
    }

    @Test
    void aFullDiskNamesTheFileAndLeavesOnlyCompleteFiles() throws Exception {
        StudyPipelineTest.images(dir, 8);
        Path refOut = dir.resolve("ref/out");
        assertEquals(0, run(study(refOut)).rc());
        Map<String, byte[]> ref = files(refOut);
        // the order the run wrote its files in, and the pages written before each
        List<Path> order;
        try (Stream<Path> s = Files.walk(refOut)) {
            order = s.filter(Files::isRegularFile).sorted(Comparator.comparing(DiskFullTest::mtime)).toList();
        }
        Map<String, Long> pagesBefore = new TreeMap<>();
        long used = 0;
        for (Path p : order) {
            pagesBefore.put(refOut.relativize(p).toString(), used);
            used += Tmpfs.pages(Files.size(p));
        }
        long total = used;

        // disks that fill while a chosen file is written (exactly known once the variants, written in parallel, are done)
        List<String> targets = new ArrayList<>();
        targets.add(first(pagesBefore, "variants/shapes/background/"));
        targets.add(first(pagesBefore, "embeddings/cnn/"));
        targets.add("results.json");
        targets.add(first(pagesBefore, "figures/"));
        targets.add("report.html");
        int disk = 0;
        for (String t : targets) {
            long pages = pagesBefore.get(t) + Tmpfs.pages(ref.get(t).length) - 1;
            Path named = failsOnFreshDisk(dir.resolve("disk" + disk++), pages, ref);
            if (!t.startsWith("variants/")) assertEquals(t, named.toString(), "the failing write with " + pages + " pages");
            else assertTrue(named.toString().startsWith("variants/"), named + " with " + pages + " pages");
        }
        // and at random points
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 3; i++) failsOnFreshDisk(dir.resolve("disk" + disk++), rnd.nextLong(1, total), ref);

        // over an earlier complete run: a disk with no room left, and with a little
        for (long extra : new long[]{0, rnd.nextLong(1, 8)}) {
            Path mount = dir.resolve("disk" + disk++);
            try (Tmpfs fs = Tmpfs.mount(mount, total + extra)) {
                Path out = mount.resolve("out");
                copyTree(refOut, out);
                Run r = run(study(out));
                if (extra == 0) assertEquals(2, r.rc(), "a re-run with no free page succeeded: " + r.stderr());
                if (r.rc() != 0) checkError(r, mount);
                noTemporaryFiles(mount);
                Map<String, byte[]> now = files(out);
                assertEquals(ref.keySet(), now.keySet(), "files of the earlier run lost");
                checkComplete(ref, now);
            }
        }
    }

    /** Runs the study onto an empty tmpfs of {@code pages} pages; checks the failure; returns the file named (relative). */
    private Path failsOnFreshDisk(Path mount, long pages, Map<String, byte[]> ref) throws Exception {
        try (Tmpfs fs = Tmpfs.mount(mount, pages)) {
            Path out = mount.resolve("out");
            Run r = run(study(out));
            assertEquals(2, r.rc(), "with " + pages + " pages: " + r.stderr());
            Path named = checkError(r, mount);
            noTemporaryFiles(mount);
            Map<String, byte[]> now = files(out);
            if (now.isEmpty()) assertFalse(Files.exists(out), "with " + pages + " pages: the failed run left an empty output folder");
            checkComplete(ref, now);
            Path rel = out.relativize(named);
            if (!rel.startsWith(".repsim-cache")) assertFalse(now.containsKey(rel.toString()), "the failed file exists: " + rel);
            return rel;
        }
    }

    private static Path checkError(Run r, Path mount) {
        String last = r.stderr().getLast();
        Matcher m = ERROR.matcher(last);
        assertTrue(m.matches(), "last stderr line: " + last);
        Path named = Path.of(m.group(1));
        assertTrue(named.startsWith(mount) && !named.getFileName().toString().endsWith(".tmp"), last);
        return named;
    }

    /** Every file is an uninterrupted run's, byte for byte (or, for dated files, whole); cache shards are journals. */
    private static void checkComplete(Map<String, byte[]> ref, Map<String, byte[]> now) throws Exception {
        for (Map.Entry<String, byte[]> e : now.entrySet()) {
            String rel = e.getKey();
            if (rel.startsWith(".repsim-cache/") && rel.contains("/rows-")) continue;
            assertTrue(ref.containsKey(rel), "unexpected file " + rel);
            if (rel.equals("results.json")) new ObjectMapper().readTree(e.getValue());
            else if (rel.equals("report.html")) assertTrue(new String(e.getValue(), StandardCharsets.UTF_8).endsWith("</html>\n"), rel);
            else assertArrayEquals(ref.get(rel), e.getValue(), "partial or different: " + rel);
        }
        assertTrue(DATED.stream().allMatch(ref::containsKey));
    }

    private static void noTemporaryFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), tmp, "temporary files left");
        }
    }

    private static String first(Map<String, Long> pagesBefore, String prefix) {
        return pagesBefore.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).min(Map.Entry.comparingByValue())
                .orElseThrow(() -> new AssertionError("no file " + prefix + "* in " + pagesBefore.keySet())).getKey();
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).to(java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dst = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dst);
                else Files.copy(p, dst, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }
}
