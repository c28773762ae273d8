package io.github.dl4jgrpoma.graph;

import java.util.Random;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded initial weights for a user's own SameDiff graph. The trainers' {@code seed} drives prompts, rollouts
 * and SFT batches, but not arrays a user creates with {@code Nd4j.randn} (ND4J's global generator, seeded by
 * nobody), so two runs of the same code start from different weights. Creating them here makes them a
 * function of {@code (seed, variable name)}:
 * <pre>
 * SeededInit init = new SeededInit(config.seed());
 * SDVariable w = init.var(sd, "w_embed", DataType.FLOAT, 0.3, vocab, d);   // N(0, 0.3^2), [vocab, d]
 * </pre>
 * Values come from {@link java.util.Random#nextGaussian()} (an algorithm fixed by the Java specification), seeded
 * from a SplitMix64 mix of the seed and the name's hash, so they are the same on every JVM and backend, and
 * adding or renaming one variable leaves the others unchanged (our choice).
 */
public final class SeededInit {
    private final long seed;

    /** @param seed the run's seed */
    public SeededInit(long seed) {
        this.seed = seed;
    }

    /**
     * Normal values with mean 0 and standard deviation {@code std}.
     *
     * @param name  the variable's name (part of the seed)
     * @param type  data type of the array, e.g. {@link DataType#FLOAT}
     * @param std   standard deviation, finite and {@code >= 0}
     * @param shape shape, every dimension {@code >= 1}
     * @return a new array of that shape
     * @throws IllegalArgumentException for a bad std or shape
     */
    public INDArray normal(String name, DataType type, double std, long... shape) {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("SeededInit.normal: std = " + std + " for '" + name
                    + "' is invalid; fix: use a finite value >= 0, e.g. 0.02");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("SeededInit.normal: shape " + java.util.Arrays.toString(shape)
                        + " of '" + name + "' has a dimension < 1; fix: give positive sizes");
            }
            n = Math.multiplyExact(n, d);
        }
        Random r = new Random(mix(seed ^ mix(name.hashCode())));
        double[] values = new double[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = std * r.nextGaussian();
        }
        return Nd4j.createFromArray(values).reshape(shape).castTo(type);
    }

    /** A trainable variable {@code name} of {@code sd} holding {@link #normal}. */
    public SDVariable var(SameDiff sd, String name, DataType type, double std, long... shape) {
        return sd.var(name, normal(name, type, std, shape));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
