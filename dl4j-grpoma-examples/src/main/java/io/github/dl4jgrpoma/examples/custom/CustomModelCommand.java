package io.github.dl4jgrpoma.examples.custom;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ConfigOptions;
import io.github.dl4jgrpoma.examples.ConfigOptions.Flag;
import io.github.dl4jgrpoma.examples.ResumedMetrics;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.graph.SafeOps;
import io.github.dl4jgrpoma.graph.SeededInit;
import io.github.dl4jgrpoma.listener.CsvMetricsListener;
import io.github.dl4jgrpoma.listener.LogLineListener;
import io.github.dl4jgrpoma.listener.TrainingListener;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.PolicyModel;
import io.github.dl4jgrpoma.policy.SameDiffPolicy;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.ExactMatchReward;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.GrpoMaTrainer;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.train.TrainingResult;

/**
 * {@code bin/grpoma custom}: GRPO-MA on a model the library knows nothing about. The "user's" SameDiff graph
 * is a tiny causal model (one-hot embedding, causal running mean of the history via a lower-triangular
 * matrix, tanh, linear head) wrapped in {@link SameDiffPolicy}; it is decoded by full recomputation (no KV
 * cache). Task: the prompt is a letter, the answer must repeat it; reward: exact match plus a length bonus.
 * README's "Using it with your own SameDiff model" section shows this code.
 */
public final class CustomModelCommand implements Command {
    private static final String LETTERS = "abcdefgh";
    private static final int T = 8;

    @Override
    public String name() {
        return "custom";
    }

    @Override
    public String summary() {
        return "GRPO-MA on a user's own SameDiff model (not the built-in transformer): repeat a letter (seconds)";
    }

    /** The flags that set fields of the run's {@link GrpoMaConfig}. */
    static final ConfigOptions<GrpoMaConfig> FLAGS = new ConfigOptions<>(GrpoMaConfig.class, List.of(
            Flag.of("steps", "steps", "N", "RL steps"),
            Flag.of("seed", "seed", "N", "seed of everything, the model's initial weights included")));
    static final String DEFAULT_OUT = "runs/custom";
    static final List<String> OUTPUTS = List.of("config.json", "checkpoints", "rl_metrics.csv");

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException, IOException {
        Options options = new Options();
        RunDirectory.addOptions(options, DEFAULT_OUT, "config.json, rl_metrics.csv, checkpoints");
        FLAGS.addTo(options, defaults(), Set.of());
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        GrpoMaConfig config = FLAGS.parseRun(cl, defaults(), DEFAULT_OUT);
        try (RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, OUTPUTS)) {
            TrainingResult r = train(config, dir.path(), dir.resume());
            out.printf(Locale.ROOT, "custom model: %s (%d in this run) in %.1f s, final reward/mean %.3f, accuracy"
                    + " %.3f; outputs in %s%n", ReportText.count(r.completedSteps(), "step"), r.stepsRun(),
                    r.elapsedMillis() / 1000.0,
                    r.finalMetrics().getOrDefault("reward/mean", Double.NaN),
                    r.finalMetrics().getOrDefault("accuracy", Double.NaN), dir.path());
        }
        return 0;
    }

    /** The run's defaults: T4A4, one thought and one answer token, lr 3e-2, 150 steps, seed 1. */
    static GrpoMaConfig defaults() {
        return GrpoMaConfig.builder()
                .rollout(RolloutConfig.builder().thoughts(4).answersPerThought(4)
                        .maxThoughtTokens(1).maxAnswerTokens(1).build())
                .optimizer(OptimizerConfig.defaults().withLearningRate(3e-2))
                .accuracyReward("repeat")
                .steps(150).seed(1).build();
    }

    /** Trains the custom model for {@code steps} GRPO-MA steps without writing anything, and returns the result. */
    public static TrainingResult train(int steps, long seed) {
        return train(defaults().toBuilder().steps(steps).seed(seed).build(), null, false);
    }

    /**
     * Trains the custom model; with a folder, writes {@code config.json}, {@code rl_metrics.csv} and checkpoints
     * there, and with {@code resume} continues from its newest valid checkpoint.
     */
    public static TrainingResult train(GrpoMaConfig config, Path dir, boolean resume) {
        CharTokenizer tokenizer = new CharTokenizer(LETTERS);
        PolicyModel policy = new SameDiffPolicy(myModel(tokenizer.vocabSize(), config.seed()), "tokens", "logits",
                tokenizer.vocabSize(), null);
        List<TrainingListener> listeners = new ArrayList<>(List.of(new LogLineListener(10, List.of("reward/mean", "accuracy"))));
        if (dir != null) {
            listeners.add(new CsvMetricsListener(dir.resolve("rl_metrics.csv")));
        }
        GrpoMaTrainer trainer = GrpoMaTrainer.builder()
                .policy(policy).tokenizer(tokenizer)
                .promptSource((count, rng) -> {
                    List<Prompt> prompts = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        String letter = String.valueOf(LETTERS.charAt(rng.nextInt(LETTERS.length())));
                        int[] tokens = {tokenizer.bos(), tokenizer.encode(letter)[0], tokenizer.beginThought()};
                        prompts.add(new Prompt(letter, tokens, Map.of("expected", letter)));
                    }
                    return prompts;
                })
                .reward(CompositeReward.builder()
                        .add(new ExactMatchReward("repeat", "expected", java.util.Set.of()), 1.0)
                        .add(RewardFunction.of("short", ctx -> ctx.answerLength() == 1 ? 1.0 : 0.0), 0.1)
                        .build())
                .config(config)
                .listeners(listeners)
                .checkpointDirectory(dir == null ? null : dir.resolve("checkpoints"))
                .build();
        if (dir != null) {
            try {
                ConfigJson.write(dir.resolve("config.json"), config);
                if (resume) {
                    long k = trainer.restoreLatest().orElse(0);
                    ResumedMetrics.truncateAfter(dir.resolve("rl_metrics.csv"), k, 1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare " + dir + ": " + e, e);
            }
        }
        return trainer.fit();
    }

    /**
     * The "user's" model: logits[t] = tanh(mean_{s<=t} onehot(x_s) W_e) W_o + b, causal by construction.
     * Built only from ops whose gradients are right in M2.1 (one-hot x matmul, matmul, tanh).
     */
    static SameDiff myModel(int vocab, long seed) {
        SameDiff sd = SameDiff.create();
        SeededInit init = new SeededInit(seed);                                // initial weights follow the seed
        int d = 16;
        SDVariable tokens = sd.placeHolder("tokens", DataType.INT32, -1, T);
        SDVariable we = init.var(sd, "w_embed", DataType.FLOAT, 0.3, vocab, d);
        SDVariable wo = init.var(sd, "w_out", DataType.FLOAT, 0.3, d, vocab);
        SDVariable b = sd.var("b_out", Nd4j.zeros(DataType.FLOAT, vocab));
        float[][] mean = new float[T][T];
        for (int t = 0; t < T; t++) {
            for (int s = 0; s <= t; s++) {
                mean[t][s] = 1f / (t + 1);
            }
        }
        SDVariable causalMean = sd.constant("causal_mean", Nd4j.createFromArray(mean));
        SDVariable x = sd.reshape(sd.reshape(SafeOps.oneHot(sd, tokens, vocab, DataType.FLOAT), -1, vocab).mmul(we),
                -1, T, d);                                                     // [B,T,d]
        SDVariable byTime = sd.reshape(sd.permute(x, 1, 0, 2), T, -1);           // [T, B*d]
        SDVariable mixed = sd.permute(sd.reshape(causalMean.mmul(byTime), T, -1, d), 1, 0, 2);  // [B,T,d]
        SDVariable h = sd.math.tanh(mixed);
        sd.reshape(sd.reshape(h, -1, d).mmul(wo).add(b), -1, T, vocab).rename("logits");
        return sd;
    }
}
