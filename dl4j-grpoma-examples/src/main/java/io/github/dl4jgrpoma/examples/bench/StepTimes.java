package io.github.dl4jgrpoma.examples.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall times in seconds of the parts of one GRPO-MA step (keys {@link #PARTS}) and of the whole step
 * ({@value #STEP}), the process CPU seconds of the whole step ({@value #CPU}), with the sampled tokens and the packed update tokens (rows x T) of that step.
 */
record StepTimes(Map<String, Double> seconds, long sampledTokens, long updateTokens) {
    /** The parts, in the order of the step. Same keys as {@code scripts/bench_step_torch.py} prints. */
    static final List<String> PARTS = List.of("rollout", "reward", "pack", "reference", "forward_backward", "optimizer");
    /** Key of the whole step. */
    static final String STEP = "step";
    /** Key of the CPU seconds of the whole step (all threads of the process). */
    static final String CPU = "cpu";

    StepTimes {
        for (String k : PARTS) {
            if (!seconds.containsKey(k)) {
                throw new IllegalArgumentException("step times lack the part '" + k + "': " + seconds);
            }
        }
        if (!seconds.containsKey(STEP) || !seconds.containsKey(CPU)) {
            throw new IllegalArgumentException("step times lack '" + STEP + "' or '" + CPU + "': " + seconds);
        }
        seconds = Map.copyOf(seconds);
    }

    /** Seconds of a part or of the whole step. */
    double get(String key) {
        return seconds.get(key);
    }

    /** The part-wise median of several steps (sampled and update tokens of the first; they are fixed). */
    static StepTimes median(List<StepTimes> runs) {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no runs to take the median of");
        }
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : runs.get(0).seconds().keySet()) {
            double[] v = runs.stream().mapToDouble(r -> r.get(k)).toArray();
            Arrays.sort(v);
            m.put(k, v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2);
        }
        return new StepTimes(m, runs.get(0).sampledTokens(), runs.get(0).updateTokens());
    }
}
