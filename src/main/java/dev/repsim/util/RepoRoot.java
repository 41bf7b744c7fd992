package dev.repsim.util;

import dev.repsim.io.InputException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repsim checkout the running program belongs to: the folder above target/ holding pom.xml. */
public final class RepoRoot {
    private RepoRoot() {}

    public static Path find() {
        try {
            Path code = Path.of(RepoRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path p = code; p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("src/main/java/dev/repsim"))) return p;
            }
        } catch (URISyntaxException | SecurityException e) {
            throw new InputException("cannot locate the repsim checkout: " + e.getMessage());
        }
        throw new InputException("cannot locate the repsim checkout from the running jar: pass --repo DIR");
    }
}
