package dev.repsim.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded byte-level mutations of a valid file: bit flips, truncations, insertions, deletions, duplicated
 * slices (a repeated chunk or line), 32-bit fields overwritten with extreme values, and, for text
 * formats, numbers replaced with huge, negative or malformed ones. The same random state gives the same
 * mutant, so a failing case is reproduced from its seed.
 */
public final class Mutations {
    private static final int[] EXTREMES = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x10000, 0x7fff, 0xffff, 1 << 24};
    private static final String[] NUMBERS = {"0", "-1", "-9223372036854775808", "9223372036854775807", "99999999999999999999",
            "2147483648", "1e309", "NaN", "-0", "0x10", "1_000", "", "1.5", "4294967296"};
    private static final Pattern DIGITS = Pattern.compile("-?\\d+");

    private Mutations() {}

    /** One to three random byte-level mutations. */
    public static byte[] bytes(byte[] seed, SplittableRandom r) {
        byte[] b = seed;
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) b = once(b, r);
        return b;
    }

    private static byte[] once(byte[] b, SplittableRandom r) {
        if (b.length == 0) return new byte[] {(byte) r.nextInt(256)};
        int at = r.nextInt(b.length);
        switch (r.nextInt(7)) {
            case 0 -> { // flip bits of a few bytes
                b = b.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                return b;
            }
            case 1 -> { // truncate
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 2 -> { // insert random bytes
                byte[] ins = new byte[1 + r.nextInt(16)];
                for (int k = 0; k < ins.length; k++) ins[k] = (byte) r.nextInt(256);
                return splice(b, at, at, ins);
            }
            case 3 -> { // delete a slice
                return splice(b, at, Math.min(b.length, at + 1 + r.nextInt(32)), new byte[0]);
            }
            case 4 -> { // duplicate a slice elsewhere
                int from = r.nextInt(b.length), len = Math.min(b.length - from, 1 + r.nextInt(64));
                return splice(b, at, at, Arrays.copyOfRange(b, from, from + len));
            }
            case 5 -> { // an extreme 32-bit big- or little-endian field
                b = b.clone();
                int v = EXTREMES[r.nextInt(EXTREMES.length)];
                boolean big = r.nextBoolean();
                for (int k = 0; k < 4 && at + k < b.length; k++) b[at + k] = (byte) (big ? v >>> (24 - 8 * k) : v >>> (8 * k));
                return b;
            }
            default -> { // a random byte overwritten
                b = b.clone();
                b[at] = (byte) r.nextInt(256);
                return b;
            }
        }
    }

    /** Text formats: a number replaced by an extreme or malformed one, or else a byte-level mutation. */
    public static byte[] text(byte[] seed, SplittableRandom r) {
        if (r.nextInt(3) == 0) return bytes(seed, r);
        String s = new String(seed, StandardCharsets.UTF_8);
        Matcher m = DIGITS.matcher(s);
        int count = 0;
        while (m.find()) count++;
        if (count == 0) return bytes(seed, r);
        int pick = r.nextInt(count);
        m.reset();
        for (int i = 0; i <= pick; i++) m.find();
        String out = s.substring(0, m.start()) + NUMBERS[r.nextInt(NUMBERS.length)] + s.substring(m.end());
        byte[] b = out.getBytes(StandardCharsets.UTF_8);
        return r.nextBoolean() ? b : bytes(b, r);
    }

    /** Text formats: a line repeated or removed, or a random token inserted at a line start. */
    public static byte[] lines(byte[] seed, SplittableRandom r, String... tokens) {
        String[] ls = new String(seed, StandardCharsets.UTF_8).split("\n", -1);
        int i = r.nextInt(ls.length);
        StringBuilder b = new StringBuilder();
        int op = r.nextInt(3);
        for (int k = 0; k < ls.length; k++) {
            if (k == i && op == 0) b.append(ls[k]).append('\n');               // duplicated line
            if (k == i && op == 1) continue;                                    // removed line
            if (k == i && op == 2) b.append(tokens[r.nextInt(tokens.length)]); // token in front
            b.append(ls[k]);
            if (k < ls.length - 1) b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] splice(byte[] b, int from, int to, byte[] ins) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length + ins.length);
        o.write(b, 0, from);
        o.writeBytes(ins);
        o.write(b, to, b.length - to);
        return o.toByteArray();
    }
}
