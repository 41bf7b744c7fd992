package dev.repsim.linalg;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.CodeAttribute;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every method of repsim that takes or returns a Vector API type stays small enough for C2 to inline it.
 * C2 inlines no method of more than FreqInlineSize = 325 bytes of bytecode (the x86-64 default), and a
 * vector passed to or returned from a method called out of line is boxed: a vector object and its lane
 * array allocated per call. {@link PortableExp#exp(jdk.incubator.vector.DoubleVector)} at 346 bytes was
 * called that way in RBF CKA's inner loop (results/cpu-zen5-2c/extra/exp-inline/).
 */
class VectorMethodSizeTest {
    /** C2's FreqInlineSize on x86-64 (java -XX:+PrintFlagsFinal). */
    private static final int INLINE_LIMIT = 325;

    @Test
    void methodsWithVectorSignaturesAreInlinable() throws IOException, URISyntaxException {
        Path classes = Path.of(PortableExp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "expected the compiled classes as a folder, got " + classes);
        List<String> vectorMethods = new ArrayList<>(), tooLarge = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                ClassModel c = ClassFile.of().parse(p);
                for (MethodModel m : c.methods()) {
                    String descriptor = m.methodType().stringValue();
                    // A species is a constant, never boxed per call: only vectors and masks count.
                    if (!descriptor.replace("Ljdk/incubator/vector/VectorSpecies;", "").contains("Ljdk/incubator/vector/")) continue;
                    int size = m.code().map(code -> ((CodeAttribute) code).codeLength()).orElse(0);
                    String name = c.thisClass().asInternalName() + "." + m.methodName().stringValue() + descriptor + ": " + size + " bytes";
                    vectorMethods.add(name);
                    if (size > INLINE_LIMIT) tooLarge.add(name);
                }
            }
        }
        // The scan finds the methods it is for (PortableExp's vector exp at least), so it cannot pass empty.
        assertTrue(vectorMethods.stream().anyMatch(n -> n.startsWith("dev/repsim/linalg/PortableExp.exp(")), vectorMethods.toString());
        assertEquals(List.of(), tooLarge, "over C2's inlining limit of " + INLINE_LIMIT + " bytes; split them");
    }
}
