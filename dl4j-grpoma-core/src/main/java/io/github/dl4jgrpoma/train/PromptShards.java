package io.github.dl4jgrpoma.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import io.github.dl4jgrpoma.data.Prompt;

/**
 * Splits a step's prompts into shards by prompt id, for executors that sample shards apart
 * ({@link RolloutExecutor}). Pure function of the ids: the prompts sorted by id (ties by position) are cut into
 * {@code min(shards, n)} contiguous runs whose sizes differ by at most one, so every shard has work. Which
 * shard a prompt lands in does not change its rollout (seeded by its id), only the load balance.
 */
public final class PromptShards {
    private PromptShards() {
    }

    /**
     * The shards of a step.
     *
     * @param prompts the step's prompts
     * @param shards  the wanted number of shards, {@code >= 1}
     * @return per non-empty shard the positions (into {@code prompts}) of its prompts, ascending
     * @throws IllegalArgumentException if {@code shards < 1}
     */
    public static List<int[]> byId(List<Prompt> prompts, int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be >= 1 but was " + shards + "; fix: use 1 for no split");
        }
        int[] order = IntStream.range(0, prompts.size()).boxed()
                .sorted(Comparator.<Integer, String>comparing(i -> prompts.get(i).id()).thenComparing(i -> i))
                .mapToInt(Integer::intValue).toArray();
        int n = Math.min(shards, prompts.size());
        List<int[]> out = new ArrayList<>(n);
        for (int s = 0; s < n; s++) {
            int from = (int) ((long) s * order.length / n);
            int to = (int) ((long) (s + 1) * order.length / n);
            int[] part = java.util.Arrays.copyOfRange(order, from, to);
            java.util.Arrays.sort(part);
            out.add(part);
        }
        return out;
    }

    /** The prompts at the given positions. */
    public static List<Prompt> select(List<Prompt> prompts, int[] positions) {
        List<Prompt> out = new ArrayList<>(positions.length);
        for (int i : positions) {
            out.add(prompts.get(i));
        }
        return out;
    }
}
