package io.github.dl4jgrpoma.examples.math;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.github.dl4jgrpoma.algo.RewardScaling;
import io.github.dl4jgrpoma.loss.BnpoAggregation;
import io.github.dl4jgrpoma.loss.SequenceRatio;
import io.github.dl4jgrpoma.loss.SequenceTokenRatio;

/**
 * The GRPO-family variants {@code bin/grpoma study --variants} compares on top of GRPO-MA (issue 15): each is a named
 * change of the run's settings, applied to the study's base settings (T4A4, {@code grpo-ma}, unless the flags say
 * otherwise). The GSPO variants make two updates per rollout batch: with one, the ratio is 1 and every importance
 * ratio gives the same loss and gradient ({@code ImportanceRatioTest}), so compare them with {@code inner-2}.
 *
 * <table>
 *   <caption>variants</caption>
 *   <tr><th>name</th><th>change</th><th>source</th></tr>
 *   <tr><td>grpo-ma</td><td>none (the baseline)</td><td>GRPO-MA</td></tr>
 *   <tr><td>gspo</td><td>sequence-level ratio, clip 3e-4 / 4e-4, two updates per rollout batch</td><td>GSPO</td></tr>
 *   <tr><td>gspo-token</td><td>GSPO-token ratio, clip 3e-4 / 4e-4, two updates per rollout batch</td><td>GSPO</td></tr>
 *   <tr><td>scale-batch</td><td>advantages divided by the batch std</td><td>REINFORCE++ / TRL</td></tr>
 *   <tr><td>scale-none</td><td>advantages only centred</td><td>Dr. GRPO</td></tr>
 *   <tr><td>mask-truncated</td><td>truncated sequences out of the loss</td><td>TRL / DAPO</td></tr>
 *   <tr><td>overlong</td><td>soft overlong penalty over the last quarter of the response cap</td><td>DAPO</td></tr>
 *   <tr><td>bnpo</td><td>loss normalised per update chunk</td><td>BNPO / TRL</td></tr>
 *   <tr><td>inner-2</td><td>two updates per rollout batch</td><td>PPO / TRL num_iterations</td></tr>
 *   <tr><td>entropy-20</td><td>loss on the 20 % highest-entropy tokens only</td><td>80/20 forking tokens</td></tr>
 * </table>
 *
 * @param name   the name used on the command line and in the table
 * @param change what it does to the base settings
 */
public record StudyVariant(String name, UnaryOperator<MathSettings> change) {
    private static final Map<String, StudyVariant> ALL = build();

    /** The variant's settings from the study's base settings. */
    public MathSettings apply(MathSettings base) {
        return change.apply(base);
    }

    /** Every variant, in table order. */
    public static List<StudyVariant> all() {
        return List.copyOf(ALL.values());
    }

    /**
     * The variant named {@code name}.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static StudyVariant parse(String name) {
        StudyVariant v = ALL.get(name.trim());
        if (v == null) {
            throw new IllegalArgumentException("unknown variant '" + name + "'; use some of " + ALL.keySet());
        }
        return v;
    }

    private static Map<String, StudyVariant> build() {
        Map<String, StudyVariant> m = new LinkedHashMap<>();
        add(m, "grpo-ma", s -> s);
        add(m, "gspo", s -> gspo(s, SequenceRatio.NAME));
        add(m, "gspo-token", s -> gspo(s, SequenceTokenRatio.NAME));
        add(m, "scale-batch", s -> s.with("scaleRewards", RewardScaling.BATCH));
        add(m, "scale-none", s -> s.with("scaleRewards", RewardScaling.NONE));
        add(m, "mask-truncated", s -> s.with("maskTruncated", true));
        add(m, "overlong", s -> s.with("overlongCache", Math.max(1, s.responseCap() / 4)));
        add(m, "bnpo", s -> s.with("aggregation", BnpoAggregation.NAME));
        add(m, "inner-2", s -> s.with("innerEpochs", 2));
        add(m, "entropy-20", s -> s.with("entropyTopFraction", 0.2));
        return java.util.Collections.unmodifiableMap(m);
    }

    private static MathSettings gspo(MathSettings s, String ratio) {
        return s.with("importanceRatio", ratio).with("epsLow", 3e-4).with("epsHigh", 4e-4).with("innerEpochs", 2);
    }

    private static void add(Map<String, StudyVariant> m, String name, UnaryOperator<MathSettings> change) {
        m.put(name, new StudyVariant(name, change));
    }
}
