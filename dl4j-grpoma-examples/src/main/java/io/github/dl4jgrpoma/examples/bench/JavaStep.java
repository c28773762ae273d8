package io.github.dl4jgrpoma.examples.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import com.sun.management.OperatingSystemMXBean;

import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.GrpoMaTrainer;
import io.github.dl4jgrpoma.train.GrpoMaTrainerBuilder;
import io.github.dl4jgrpoma.train.RolloutExecutorFactory;
import io.github.dl4jgrpoma.train.RowPacking;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.train.StepResult;

/**
 * The Java side of {@code bench-step}: a {@link GrpoMaTrainer} on a fresh {@link TransformerPolicy}, stepped
 * whole by {@link GrpoMaTrainer#step()} (KV-cache rollout with prefix sharing, rewards, GRPO-MA advantages,
 * packing, reference forward, forward + backward, Adam, the step-end {@code System.gc()} on the trainer's collection
 * thread), with the trainer's own {@code time/*} metrics as the split.
 *
 * <p>Fixed lengths: the head biases of end-of-thought and EOS are set to -20, so every thought and answer runs to
 * its cap. The reward (fraction of digits in the answer) only gives the advantages some spread.
 */
final class JavaStep implements AutoCloseable {
    /** The alphabet of the benchmark tokenizer (its first {@code V - 5} characters); shared with the PyTorch peer. */
    static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+-*/=()";

    private static final OperatingSystemMXBean CPU =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final GrpoMaTrainer trainer;

    JavaStep(StepSettings s) {
        if (s.vocab() - CharTokenizer.NUM_SPECIAL > ALPHABET.length() || s.vocab() < CharTokenizer.NUM_SPECIAL + 10) {
            throw new IllegalArgumentException("vocab = " + s.vocab() + "; use " + (CharTokenizer.NUM_SPECIAL + 10)
                    + ".." + (CharTokenizer.NUM_SPECIAL + ALPHABET.length()));
        }
        CharTokenizer tokenizer = new CharTokenizer(ALPHABET.substring(0, s.vocab() - CharTokenizer.NUM_SPECIAL));
        TransformerPolicy policy = TransformerPolicy.create(TransformerConfig.builder().vocabSize(s.vocab())
                .width(s.width()).layers(s.layers()).heads(s.heads()).maxLength(s.maxLength()).seed(s.seed()).build());
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.END_OF_THOUGHT, -20.0);
        policy.weight(TransformerPolicy.B_HEAD).putScalar(CharTokenizer.EOS, -20.0);
        Random r = new Random(s.seed());
        List<Prompt> prompts = new ArrayList<>();
        for (int p = 0; p < s.prompts(); p++) {
            int[] t = new int[s.promptLength()];
            t[0] = CharTokenizer.BOS;
            for (int i = 1; i < t.length - 1; i++) {
                t[i] = CharTokenizer.NUM_SPECIAL + r.nextInt(s.vocab() - CharTokenizer.NUM_SPECIAL);
            }
            t[t.length - 1] = CharTokenizer.BEGIN_THOUGHT;
            prompts.add(new Prompt("p" + p, t));
        }
        GrpoMaConfig config = GrpoMaConfig.builder()
                .rollout(RolloutConfig.builder().thoughts(s.thoughts()).answersPerThought(s.answers())
                        .maxThoughtTokens(s.thought()).maxAnswerTokens(s.answer())
                        .endOfThoughtToken(CharTokenizer.END_OF_THOUGHT).answerStopTokens(Set.of(CharTokenizer.EOS))
                        .prefixSharing(true).build())
                .loss(LossConfig.builder().beta(s.beta()).build())
                .promptsPerStep(s.prompts()).innerEpochs(1).seed(s.seed()).build();
        PromptSource inOrder = (count, rng) -> prompts.subList(0, count);
        GrpoMaTrainerBuilder b = GrpoMaTrainer.builder().policy(policy).tokenizer(tokenizer).promptSource(inOrder)
                .reward(RewardFunction.of("digits", ctx -> digitFraction(ctx.answerTokens()))).config(config)
                .updateThreads(s.updateThreads()).updateChunkTokens(s.chunkTokens()).rowPacking(s.rowPacking())
                .modelBackprop(s.modelBackprop())
                .runName("bench-step");
        if (s.rolloutThreads() > 0) {            // 0: the trainer's default
            b.rolloutExecutor(s.rolloutThreads() > 1 ? RolloutExecutorFactory.threadPool(s.rolloutThreads())
                    : RolloutExecutorFactory.inProcess());
        }
        if (s.collectionInterval() > 0) {
            b.collectionInterval(s.collectionInterval());
        }
        this.trainer = b.build();
    }

    /** Stops the trainer's update threads, so that the next configuration does not add its memory to theirs. */
    @Override
    public void close() {
        trainer.close();
    }

    /** The row layout of the update (AUTO resolved). */
    RowPacking rowPacking() {
        return trainer.rowPacking();
    }

    /**
     * One whole trainer step as a training loop sees it, its split and the CPU time of the process (all threads, native
     * ones included). Two steps run back to back and the second is timed: the first step's step-end collection runs
     * beside the timed step's rollout (and the timed step's update waits for it if it has not ended), as the previous
     * step's collection does in a training loop. The timed step's own collection is then waited for outside the timed
     * region, so that it does not run into the PyTorch peer's step that follows. Our choice: timing a lone step and
     * waiting for its collection inside it overstated the loop's step by up to one collection cycle (about 0.05 s at
     * d=128), timing it without the wait let the collection slow the peer's step.
     */
    StepTimes step() {
        requireUpdate(trainer.step());
        StepTimes timed = timedStep();
        trainer.awaitStepEndCollection();
        return timed;
    }

    /**
     * One trainer step, timed; the step-end collection it starts is left running (the soak, which calls steps back to
     * back as a training loop does, and {@link #step()}).
     */
    StepTimes timedStep() {
        long cpu0 = CPU.getProcessCpuTime();
        long t0 = System.nanoTime();
        StepResult r = trainer.step();
        double whole = (System.nanoTime() - t0) / 1e9;
        double cpu = (CPU.getProcessCpuTime() - cpu0) / 1e9;
        Map<String, Double> m = requireUpdate(r).metrics();
        Map<String, Double> s = new LinkedHashMap<>();
        s.put("rollout", m.get("time/rollout_ms") / 1e3);
        s.put("reward", m.get("time/reward_ms") / 1e3);
        s.put("pack", m.get("time/pack_ms") / 1e3);
        s.put("reference", m.get("time/reference_ms") / 1e3);
        s.put("forward_backward", m.get("time/forward_backward_ms") / 1e3);
        s.put("optimizer", m.get("time/optimizer_ms") / 1e3);
        s.put(StepTimes.STEP, whole);
        s.put(StepTimes.CPU, cpu);
        return new StepTimes(s, r.rollouts().sampledTokens(), m.get("update_tokens").longValue());
    }

    private static StepResult requireUpdate(StepResult r) {
        if (!r.updated()) {
            throw new IllegalStateException("the benchmark step made no update: " + r.metrics());
        }
        return r;
    }

    private static double digitFraction(int[] answer) {
        int digits = 0;
        for (int id : answer) {
            digits += id >= CharTokenizer.NUM_SPECIAL && id < CharTokenizer.NUM_SPECIAL + 10 ? 1 : 0;
        }
        return (double) digits / Math.max(1, answer.length);
    }
}
