package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardException;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/** The rollout executors: sharding by prompt id, the thread pool against the in-process default. */
class RolloutExecutorTest {

    /** Parity of the answer plus a term of the prompt's index in the step, so wrong reward indices show. */
    private static CompositeReward reward() {
        return CompositeReward.of(Tiny.parityReward(), RewardFunction.of("index", ctx -> 0.1 * ctx.promptIndex()));
    }

    private static GrpoMaTrainer trainer(TransformerPolicy policy, RolloutExecutorFactory executor, OldLogProbs old) {
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits()).reward(reward())
                .config(GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 3, 2).build()).promptsPerStep(5).steps(3).seed(11)
                        .oldLogProbs(old).build())
                .rolloutExecutor(executor).build();
    }

    @Test
    void shardsByIdAreBalancedCoverEveryPromptAndIgnoreInputOrder() {
        List<Prompt> prompts = new ArrayList<>();
        for (int d : new int[] {7, 3, 9, 1, 5, 3, 8}) {
            prompts.add(Tiny.digitPrompt(d));
        }
        List<int[]> shards = PromptShards.byId(prompts, 3);
        assertEquals(3, shards.size());
        int[] all = shards.stream().flatMapToInt(Arrays::stream).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, all);
        for (int[] s : shards) {
            assertTrue(s.length == 2 || s.length == 3, "shard sizes differ by at most one: " + s.length);
        }
        List<Prompt> shuffled = new ArrayList<>(prompts);
        Collections.shuffle(shuffled, new java.util.Random(1));
        List<List<String>> a = ids(prompts, shards);
        List<List<String>> b = ids(shuffled, PromptShards.byId(shuffled, 3));
        assertEquals(a, b, "which prompts share a shard depends on their ids only");
        assertEquals(2, PromptShards.byId(prompts.subList(0, 2), 5).size(), "no empty shard");
        assertThrows(IllegalArgumentException.class, () -> PromptShards.byId(prompts, 0));
    }

    private static List<List<String>> ids(List<Prompt> prompts, List<int[]> shards) {
        List<List<String>> out = new ArrayList<>();
        for (int[] s : shards) {
            out.add(Arrays.stream(s).mapToObj(i -> prompts.get(i).id()).sorted().toList());
        }
        return out;
    }

    /**
     * Runs 3 steps in-process (with {@code inProcessOld}) and on 2 threads (AUTO), asserting identical tokens and
     * rewards; returns max |dw| of the final weights, max |d log-prob| of the rollouts and the pooled trainer's last
     * step.
     */
    private static Object[] compareWithThreads(OldLogProbs inProcessOld) {
        TransformerPolicy p1 = Tiny.policy(10, 5);
        TransformerPolicy p2 = Tiny.policy(10, 5);
        GrpoMaTrainer inProcess = trainer(p1, RolloutExecutorFactory.inProcess(), inProcessOld);
        GrpoMaTrainer pooled = trainer(p2, RolloutExecutorFactory.threadPool(2), OldLogProbs.AUTO);
        assertEquals("threads[2]", pooled.rolloutExecutor().name());
        double logProbDiff = 0;
        StepResult b = null;
        for (int s = 0; s < 3; s++) {
            StepResult a = inProcess.step();
            b = pooled.step();
            for (int p = 0; p < a.prompts().size(); p++) {
                PromptRollout x = a.rollouts().prompts().get(p);
                PromptRollout y = b.rollouts().prompts().get(p);
                assertEquals(x.prompt(), y.prompt());
                for (int k = 0; k < x.thoughts().size(); k++) {
                    assertArrayEquals(x.thoughts().get(k).tokens(), y.thoughts().get(k).tokens(), "step " + s + " prompt " + p);
                    logProbDiff = Math.max(logProbDiff, maxAbsDiff(x.thoughts().get(k).logProbs(), y.thoughts().get(k).logProbs()));
                    for (int m = 0; m < x.thoughts().get(k).answers().size(); m++) {
                        assertArrayEquals(x.thoughts().get(k).answers().get(m).tokens(), y.thoughts().get(k).answers().get(m).tokens());
                        logProbDiff = Math.max(logProbDiff, maxAbsDiff(x.thoughts().get(k).answers().get(m).logProbs(),
                                y.thoughts().get(k).answers().get(m).logProbs()));
                    }
                }
                assertArrayEquals(a.rewards().get(p).perReward("index")[0], b.rewards().get(p).perReward("index")[0], 0.0,
                        "reward indices are the step's positions");
                for (int k = 0; k < a.rewards().get(p).rows(); k++) {
                    assertArrayEquals(a.rewards().get(p).totals()[k], b.rewards().get(p).totals()[k], 0.0);
                }
            }
        }
        return new Object[] {maxAbsDiff(p1.parameters(), p2.parameters()), logProbDiff, b};
    }

    @Test
    void threadPoolGivesBitIdenticalWeightsToInProcessWhenBothRecomputeOldLogProbs() {
        Object[] r = compareWithThreads(OldLogProbs.RECOMPUTE);
        double logProbDiff = (double) r[1];
        StepResult pooled = (StepResult) r[2];
        // Shards decode fewer rows, so the sampling log-probs round differently (tokens and rewards are identical).
        // Under AUTO the pooled trainer recomputes the old log-probs, so its update sees exactly what the in-process
        // RECOMPUTE trainer sees.
        assertTrue(logProbDiff > 0 && logProbDiff <= 1e-5, "sampling log-probs differ by " + logProbDiff);
        assertEquals(0.0, (double) r[0], "weights after 3 steps");
        assertTrue(pooled.metric("rollout/logprob_diff_max") > 0 && pooled.metric("rollout/logprob_diff_max") <= 1e-5,
                "rollout vs recomputed log-probs: " + pooled.metric("rollout/logprob_diff_max"));
        assertTrue(pooled.metric("rollout/logprob_diff_mean") <= pooled.metric("rollout/logprob_diff_max"));
        assertEquals(1.0, pooled.metric("ratio/mean"), 0.0, "recomputed old log-probs: the only epoch's ratio is 1");
        assertEquals(0.0, pooled.metric("approx_kl"), 0.0);
    }

    @Test
    void threadPoolStaysWithinRoundingOfTheInProcessDefault() {
        Object[] r = compareWithThreads(OldLogProbs.AUTO);
        // In-process AUTO keeps the rollout's log-probs (no extra forward pass); the pooled trainer recomputes them.
        // The ratio of the in-process update is then 1 only up to float rounding, and Adam's per-parameter
        // normalisation lets such a difference in a near-zero gradient move a weight by a small fraction of the
        // learning rate (1e-3 here): a bound, not bit-identity.
        double diff = (double) r[0];
        assertTrue(diff > 0 && diff <= WEIGHT_TOLERANCE, "weights differ by " + diff + " after 3 steps");
    }

    @Test
    void oneThreadIsOneEngineCallAndKeepsTheRolloutLogProbs() {
        GrpoMaTrainer t = trainer(Tiny.policy(10, 5), RolloutExecutorFactory.threadPool(1), OldLogProbs.AUTO);
        assertTrue(t.rolloutExecutor().reproducesEngineLogProbs());
        assertTrue(!t.step().metrics().containsKey("rollout/logprob_diff_max"));
        assertTrue(!trainer(Tiny.policy(10, 5), RolloutExecutorFactory.threadPool(2), OldLogProbs.AUTO)
                .rolloutExecutor().reproducesEngineLogProbs());
    }

    @Test
    void theInProcessDefaultKeepsTheRolloutLogProbs() {
        GrpoMaTrainer t = trainer(Tiny.policy(10, 5), RolloutExecutorFactory.inProcess(), OldLogProbs.AUTO);
        StepResult s = t.step();
        assertTrue(!s.metrics().containsKey("rollout/logprob_diff_max"), "no recompute pass: " + s.metrics().keySet());
    }

    private static GrpoMaTrainerBuilder defaults(TransformerPolicy policy, OldLogProbs old) {
        return GrpoMaTrainer.builder().policy(policy).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits()).reward(reward())
                .config(GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 3, 2).build()).promptsPerStep(5).steps(3).seed(11)
                        .oldLogProbs(old).build());
    }

    /** A trainer of 5 prompts per step, T2A2, scored by {@code reward} alone. */
    private static GrpoMaTrainerBuilder withReward(RewardFunction reward) {
        return GrpoMaTrainer.builder().policy(Tiny.policy(10, 5)).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(reward)
                .config(GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 3, 2).build()).promptsPerStep(5).seed(11).build());
    }

    @Test
    void theDefaultIsAutoWithTheModelsBackwardPassAndInProcessWithTheGraphs() {
        GrpoMaTrainer auto = defaults(Tiny.policy(10, 5), OldLogProbs.AUTO).build();
        assertTrue(auto.usesModelBackprop());
        assertTrue(auto.rolloutExecutor().name().startsWith("auto["), auto.rolloutExecutor().name());
        assertFalse(auto.rolloutExecutor().reproducesEngineLogProbs(), "AUTO recomputes whatever the cores");
        StepResult s = auto.step();
        assertTrue(s.metrics().containsKey("rollout/logprob_diff_max"), "old log-probs recomputed: " + s.metrics().keySet());
        assertEquals(1.0, s.metric("ratio/mean"), 0.0);
        GrpoMaTrainer graph = defaults(Tiny.policy(10, 5), OldLogProbs.AUTO).modelBackprop(false).build();
        assertEquals("in-process", graph.rolloutExecutor().name());
        assertTrue(graph.rolloutExecutor().reproducesEngineLogProbs());
    }

    @Test
    void aNullExecutorIsRefusedNamingTheRealDefault() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GrpoMaTrainer.builder().rolloutExecutor(null));
        assertTrue(e.getMessage().contains("rolloutExecutor") && e.getMessage().contains("auto()"), e.getMessage());
        assertFalse(e.getMessage().contains("inProcess() (the default)"), e.getMessage());
    }

    @Test
    void autoSplitsOnlyStepsThatGiveEveryShardEnoughThoughtRows() {
        // K = 2 thoughts per prompt, at least 64 thought rows per shard, at most 4 threads
        ThreadPoolRolloutExecutor auto = (ThreadPoolRolloutExecutor) trainer(Tiny.policy(10, 5),
                setup -> new ThreadPoolRolloutExecutor(setup, 4, 64), OldLogProbs.AUTO).rolloutExecutor();
        assertEquals(1, auto.shards(1));
        assertEquals(1, auto.shards(63), "126 thought rows: one shard");
        assertEquals(2, auto.shards(64), "128 thought rows: two shards of 64");
        assertEquals(3, auto.shards(100));
        assertEquals(4, auto.shards(10_000), "never more shards than threads");
        assertFalse(auto.reproducesEngineLogProbs());
        ThreadPoolRolloutExecutor fixed = (ThreadPoolRolloutExecutor) trainer(Tiny.policy(10, 5),
                RolloutExecutorFactory.threadPool(3), OldLogProbs.AUTO).rolloutExecutor();
        assertEquals(3, fixed.shards(1), "a fixed pool asks for its threads (PromptShards gives no empty shard)");
    }

    @Test
    void aPoolOfManyThreadsMakesNoMoreLanesThanAStepHasShards() {
        GrpoMaTrainer t = trainer(Tiny.policy(10, 5), RolloutExecutorFactory.threadPool(100_000), OldLogProbs.AUTO);
        ThreadPoolRolloutExecutor pool = (ThreadPoolRolloutExecutor) t.rolloutExecutor();
        assertEquals(0, pool.lanesMade(), "no lane before the first step");
        t.step();
        assertEquals(5, pool.lanesMade(), "5 prompts: at most 5 shards, one lane each");
        t.close();
    }

    @Test
    void closingTheTrainerEndsTheDefaultExecutorsLaneThreads() throws InterruptedException {
        java.util.Set<Thread> lanes = java.util.concurrent.ConcurrentHashMap.newKeySet();
        GrpoMaTrainer t = withReward(RewardFunction.of("thread", ctx -> {
                lanes.add(Thread.currentThread());
                return 1.0;
            })).build();                                                   // the default: auto()
        t.step();
        assertEquals(1, lanes.size(), "one shard, one lane: " + lanes);
        Thread lane = lanes.iterator().next();
        assertTrue(lane.isAlive() && lane != Thread.currentThread());
        t.close();
        lane.join(10_000);
        assertFalse(lane.isAlive(), "close() ends the lane's thread (after freeing its workspaces on it)");
        assertThrows(IllegalStateException.class, t::step);
        t.close();                                                          // twice: nothing
    }

    @Test
    void aStepAfterARewardFailureOnALaneRunsOnTheSameLanes() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        GrpoMaTrainer t = withReward(RewardFunction.of("once", ctx -> {
                if (calls.incrementAndGet() == 3) {
                    throw new IllegalStateException("sandbox crashed once");
                }
                return 1.0;
            })).rolloutExecutor(setup -> new ThreadPoolRolloutExecutor(setup, 2, 4)).build();   // 10 rows: 2 shards
        assertThrows(RewardException.class, t::step);
        assertEquals(0, t.completedSteps());
        StepResult s = t.step();
        assertEquals(1, t.completedSteps());
        assertEquals(5, s.prompts().size());
        assertEquals(2, ((ThreadPoolRolloutExecutor) t.rolloutExecutor()).lanesMade());
        t.close();
    }

    @Test
    void aShardOfAGivenIndexAlwaysRunsOnTheSameThread() {
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        GrpoMaTrainer t = withReward(RewardFunction.of("thread", ctx -> {
                threads.add(Thread.currentThread().getName());
                return 1.0;
            })).rolloutExecutor(setup -> new ThreadPoolRolloutExecutor(setup, 2, 64)).build();   // 10 thought rows: 1 shard
        t.step();
        t.step();
        t.step();
        assertEquals(java.util.Set.of("grpoma-rollout-0"), threads, "one shard: always the first lane's thread");
        t.close();
    }

    @Test
    void autoOnAOneShardStepGivesBitIdenticalWeightsToInProcessWithRecomputedOldLogProbs() {
        TransformerPolicy p1 = Tiny.policy(10, 5);
        TransformerPolicy p2 = Tiny.policy(10, 5);
        GrpoMaTrainer inProcess = trainer(p1, RolloutExecutorFactory.inProcess(), OldLogProbs.RECOMPUTE);
        GrpoMaTrainer auto = defaults(p2, OldLogProbs.AUTO).build();          // 5 prompts x 2 thoughts: one shard
        for (int s = 0; s < 3; s++) {
            StepResult a = inProcess.step();
            StepResult b = auto.step();
            assertEquals(a.metric("rollout/logprob_diff_max"), b.metric("rollout/logprob_diff_max"), 0.0,
                    "one shard is one engine call over every prompt: the same log-probs");
        }
        assertEquals(0.0, maxAbsDiff(p1.parameters(), p2.parameters()), "weights after 3 steps");
    }

    @Test
    void autoGivesTheSameWeightsOnOneCoreAsOnTwo() {
        // 5 prompts x 2 thoughts = 10 thought rows; with >= 4 rows per shard: 2 shards on 2 cores, 1 on 1 core
        TransformerPolicy p1 = Tiny.policy(10, 5);
        TransformerPolicy p2 = Tiny.policy(10, 5);
        GrpoMaTrainer oneCore = defaults(p1, OldLogProbs.AUTO).rolloutExecutor(s -> new ThreadPoolRolloutExecutor(s, 1, 4)).build();
        GrpoMaTrainer twoCores = defaults(p2, OldLogProbs.AUTO).rolloutExecutor(s -> new ThreadPoolRolloutExecutor(s, 2, 4)).build();
        for (int s = 0; s < 3; s++) {
            oneCore.step();
            twoCores.step();
        }
        assertEquals(2, ((ThreadPoolRolloutExecutor) twoCores.rolloutExecutor()).lanesMade());
        assertEquals(0.0, maxAbsDiff(p1.parameters(), p2.parameters()), "weights after 3 steps");
        oneCore.close();
        twoCores.close();
    }

    /** Max |w_a - w_b| allowed after 3 steps when shards sample with a different batch size (see above). */
    static final double WEIGHT_TOLERANCE = 1e-4;

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    static double maxAbsDiff(Map<String, INDArray> a, Map<String, INDArray> b) {
        assertEquals(a.keySet(), b.keySet());
        double d = 0;
        for (String k : a.keySet()) {
            d = Math.max(d, a.get(k).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
                    .sub(b.get(k).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).amaxNumber().doubleValue());
        }
        return d;
    }

    @Test
    void aFailingRewardOnAPoolThreadFollowsTheFailPolicy() {
        GrpoMaTrainer t = withReward(RewardFunction.of("boom", ctx -> {
                if (ctx.promptIndex() == 3) {
                    throw new IllegalStateException("sandbox crashed");
                }
                return 1.0;
            })).rolloutExecutor(RolloutExecutorFactory.threadPool(2)).build();
        RewardException e = assertThrows(RewardException.class, t::step);
        assertEquals(3, e.promptIndex());
        assertEquals("boom", e.rewardName());
        assertEquals(0, t.completedSteps());
        assertThrows(IllegalArgumentException.class, () -> RolloutExecutorFactory.threadPool(0));
    }

}
