package io.github.dl4jgrpoma.data;

import java.nio.charset.StandardCharsets;

/**
 * Deterministic seed derivation: every random stream of a run is a pure function of the run seed and the
 * coordinates of what it samples (step, prompt id, thought index, answer index), so results do not depend on batch
 * composition, batch size or which worker samples a prompt. SplitMix64's finaliser does the mixing (our choice: it
 * is what {@link java.util.SplittableRandom} uses, fast and well distributed).
 */
public final class Seeds {
    private Seeds() {
    }

    /** Mixes a seed with a sequence of coordinates; different orders or values give unrelated seeds. */
    public static long mix(long seed, long... coordinates) {
        long h = seed;
        for (long x : coordinates) {
            h = fmix(h ^ fmix(x + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    /** A stable 64-bit hash of a string (FNV-1a over its UTF-8 bytes, then mixed), the same on every JVM. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return fmix(h);
    }

    /** SplitMix64 finaliser. */
    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
