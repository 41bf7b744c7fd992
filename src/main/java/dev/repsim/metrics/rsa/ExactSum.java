package dev.repsim.metrics.rsa;

/**
 * An exact sum of 64-bit integers in 128 bits (two's complement, high and low words): the rank sums of
 * RSA's Spearman correlation are integers whose sum over billions of pairs overflows a long, and an
 * exact sum has no order to depend on.
 */
final class ExactSum {
    private long hi, lo;

    void add(long v) {
        long sum = lo + v;
        hi += v >> 63; // sign extension of v into the high word
        if (Long.compareUnsigned(sum, lo) < 0) hi++; // carry out of the unsigned low words
        lo = sum;
    }

    /** The sum as a double, within two roundings (relative 2⁻⁵²). */
    double value() {
        // hi·2⁶⁴ + unsigned(lo) = (hi + [lo < 0])·2⁶⁴ + signed(lo): no cancellation between the two
        // parts for small sums of either sign, and the first part is exact.
        return (hi + (lo >>> 63)) * 0x1p64 + (double) lo;
    }
}
