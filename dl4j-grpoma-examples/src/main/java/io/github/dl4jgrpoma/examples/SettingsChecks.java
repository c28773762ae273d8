package io.github.dl4jgrpoma.examples;

import io.github.dl4jgrpoma.algo.AdvantageEstimators;
import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.algo.PackingMode;

/**
 * The checks every example's settings record shares (model size, SFT warm-up, GRPO-MA shape and step), so that
 * {@code math}, {@code code} and {@code image} accept the same ranges and say the same fix. Each failure is an
 * {@link IllegalArgumentException} "{@code <Record>.<field> = <value> is invalid: <fix>}".
 */
public final class SettingsChecks {
    private final String record;

    /** @param record the record's simple name, e.g. {@code MathSettings} */
    public SettingsChecks(String record) {
        this.record = record;
    }

    /** Throws naming the field, the value and the fix unless {@code ok}. */
    public void require(boolean ok, String field, Object value, String fix) {
        if (!ok) {
            throw new IllegalArgumentException(record + "." + field + " = " + value + " is invalid: " + fix);
        }
    }

    /** Transformer size: width 8..1024 divisible by heads 1..64, layers 1..48. */
    public void model(int width, int layers, int heads) {
        require(width >= 8 && width <= 1024, "width", width, "use 8..1024");
        require(layers >= 1 && layers <= 48, "layers", layers, "use 1..48");
        require(heads >= 1 && heads <= 64, "heads", heads, "use 1..64");
        require(width % heads == 0, "width", width + " with heads = " + heads, "make width divisible by heads");
    }

    /** SFT warm-up: steps 0..1,000,000, batch 1..4096, learning rate (0, 1], mistake rate [0, 1]. */
    public void sft(int sftSteps, int sftBatch, double sftLr, double mistakeRate) {
        require(sftSteps >= 0 && sftSteps <= 1_000_000, "sftSteps", sftSteps, "use 0..1000000");
        require(sftBatch >= 1 && sftBatch <= 4096, "sftBatch", sftBatch, "use 1..4096");
        require(sftLr > 0 && sftLr <= 1, "sftLr", sftLr, "use a learning rate in (0, 1], e.g. 3e-3");
        require(mistakeRate >= 0 && mistakeRate <= 1, "mistakeRate", mistakeRate, "use a fraction in [0, 1]");
    }

    /**
     * GRPO-MA: steps 0..1,000,000, K and M 1..64 with K x M &gt;= 2, a registered estimator whose packing allows M,
     * prompts per step 1..4096, learning rate (0, 1], temperature [0.001, 100].
     */
    public void rl(int rlSteps, int thoughts, int answers, String estimator, int promptsPerStep, double rlLr,
                   double temperature) {
        require(rlSteps >= 0 && rlSteps <= 1_000_000, "rlSteps", rlSteps, "use 0..1000000");
        require(thoughts >= 1 && thoughts <= 64, "thoughts", thoughts, "use 1..64 thoughts per prompt");
        require(answers >= 1 && answers <= 64, "answers", answers, "use 1..64 answers per thought");
        require(thoughts * answers >= 2, "thoughts x answers", thoughts + "x" + answers,
                "a group needs two answers to compare: raise K or M");
        require(estimator != null && AdvantageEstimators.defaults().contains(estimator), "estimator", estimator,
                "use one of " + AdvantageEstimators.defaults().names());
        require(!(AdvantageEstimators.defaults().get(estimator).packing() == PackingMode.COUPLED && answers != 1),
                "estimator", estimator + " with answers = " + answers, "it packs one advantage per whole response (plain"
                        + " GRPO) and needs M = 1; use " + GrpoMaEstimator.NAME + " for M > 1");
        require(promptsPerStep >= 1 && promptsPerStep <= 4096, "promptsPerStep", promptsPerStep, "use 1..4096");
        require(rlLr > 0 && rlLr <= 1, "rlLr", rlLr, "use a learning rate in (0, 1], e.g. 2e-4");
        require(temperature >= 1e-3 && temperature <= 100, "temperature", temperature, "use 0.001..100");
    }
}
