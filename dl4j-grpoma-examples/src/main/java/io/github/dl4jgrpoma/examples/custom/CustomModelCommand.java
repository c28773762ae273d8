package io.github.dl4jgrpoma.examples.custom;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.graph.SafeOps;
import io.github.dl4jgrpoma.listener.LogLineListener;
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

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Options options = new Options();
        options.addOption(Option.builder().longOpt("steps").hasArg().argName("N").desc("RL steps (default 150)").build());
        options.addOption(Option.builder().longOpt("seed").hasArg().argName("N").desc("seed (default 1)").build());
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        TrainingResult r = train(CliSupport.intOpt(cl, "steps", 150, 1, 100_000), CliSupport.longOpt(cl, "seed", 1));
        out.printf(Locale.ROOT, "custom model: %d steps in %.1f s, final reward/mean %.3f, accuracy %.3f%n",
                r.completedSteps(), r.elapsedMillis() / 1000.0, r.finalMetrics().get("reward/mean"),
                r.finalMetrics().get("accuracy"));
        return 0;
    }

    /** Trains the custom model for {@code steps} GRPO-MA steps and returns the result. */
    public static TrainingResult train(int steps, long seed) {
        CharTokenizer tokenizer = new CharTokenizer(LETTERS);
        PolicyModel policy = new SameDiffPolicy(myModel(tokenizer.vocabSize(), seed), "tokens", "logits",
                tokenizer.vocabSize(), null);
        GrpoMaConfig config = GrpoMaConfig.builder()
                .rollout(RolloutConfig.builder().thoughts(4).answersPerThought(4)
                        .maxThoughtTokens(1).maxAnswerTokens(1).build())
                .optimizer(OptimizerConfig.defaults().withLearningRate(3e-2))
                .accuracyReward("repeat")
                .steps(steps).seed(seed).build();
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
                .listeners(List.of(new LogLineListener(10, List.of("reward/mean", "accuracy"))))
                .build();
        return trainer.fit();
    }

    /**
     * The "user's" model: logits[t] = tanh(mean_{s<=t} onehot(x_s) W_e) W_o + b, causal by construction.
     * Built only from ops whose gradients are right in M2.1 (one-hot x matmul, matmul, tanh).
     */
    static SameDiff myModel(int vocab, long seed) {
        SameDiff sd = SameDiff.create();
        Nd4j.getRandom().setSeed(seed);
        int d = 16;
        SDVariable tokens = sd.placeHolder("tokens", DataType.INT32, -1, T);
        SDVariable we = sd.var("w_embed", Nd4j.randn(DataType.FLOAT, vocab, d).muli(0.3));
        SDVariable wo = sd.var("w_out", Nd4j.randn(DataType.FLOAT, d, vocab).muli(0.3));
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
