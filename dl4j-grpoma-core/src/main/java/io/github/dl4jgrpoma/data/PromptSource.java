package io.github.dl4jgrpoma.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Where the trainer gets its prompts from. The trainer hands a generator seeded from {@code (seed, step)},
 * so an implementation that draws only from {@code rng} makes every step (and a resumed run)
 * reproducible.
 */
@FunctionalInterface
public interface PromptSource {

    /**
     * Draws {@code count} prompts.
     *
     * @param count number of prompts wanted, {@code >= 1}
     * @param rng   the only source of randomness to use
     * @return exactly {@code count} prompts
     */
    List<Prompt> sample(int count, SplittableRandom rng);

    /** Draws uniformly with replacement from a fixed list (copied). */
    static PromptSource uniform(List<Prompt> prompts) {
        if (prompts == null || prompts.isEmpty()) {
            throw new IllegalArgumentException("PromptSource.uniform needs at least one prompt");
        }
        List<Prompt> copy = List.copyOf(prompts);
        return (count, rng) -> {
            java.util.ArrayList<Prompt> out = new java.util.ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(copy.get(rng.nextInt(copy.size())));
            }
            return out;
        };
    }
}
