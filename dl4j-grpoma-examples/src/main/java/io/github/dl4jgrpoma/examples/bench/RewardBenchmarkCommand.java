package io.github.dl4jgrpoma.examples.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.code.CodeProblem;
import io.github.dl4jgrpoma.examples.code.CodeRewards;
import io.github.dl4jgrpoma.examples.code.CodeTask;
import io.github.dl4jgrpoma.examples.code.lang.Sandbox;
import io.github.dl4jgrpoma.examples.code.lang.SandboxLimits;
import io.github.dl4jgrpoma.reward.BatchRewardScorer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.ParallelRewardScorer;
import io.github.dl4jgrpoma.reward.RewardContext;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.reward.RewardScorer;
import io.github.dl4jgrpoma.reward.RewardScores;

/**
 * Reward scoring of one step of the code task, serial against {@link ParallelRewardScorer}: {@code prompts}
 * training problems x K x M answers. The answers are the reference program for a share of them, a program
 * with a wrong parameter, text that does not parse, and an infinite loop (it burns the sandbox fuel on every
 * hidden test), in the proportions given by {@code --loop-percent} and fixed shares otherwise. Prints the
 * median wall time of {@code reps} runs after {@code warmup} runs for each mode (the modes alternate, so JIT
 * warm-up and machine load hit both alike), the ratio, and checks that
 * both modes give identical scores.
 */
public final class RewardBenchmarkCommand implements Command {

    @Override
    public String name() {
        return "bench-rewards";
    }

    @Override
    public String summary() {
        return "reward scoring of a code step: serial vs parallel with per-answer timeout (seconds)";
    }

    private static Options options() {
        Options o = new Options();
        CliSupport.opt(o, "prompts", "N", "prompts per step", 16);
        CliSupport.opt(o, "k", "N", "thoughts per prompt", 4);
        CliSupport.opt(o, "m", "N", "answers per thought", 4);
        CliSupport.opt(o, "threads", "N", "threads of the parallel scorer", 2);
        CliSupport.opt(o, "loop-percent", "N", "share of answers that loop until the fuel runs out, in percent", 10);
        CliSupport.opt(o, "reps", "N", "timed repetitions per mode", 15);
        CliSupport.opt(o, "warmup", "N", "untimed repetitions per mode first", 10);
        return o;
    }


    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        int prompts = CliSupport.intOpt(cl, "prompts", 16, 1, 4096);
        int k = CliSupport.intOpt(cl, "k", 4, 1, 64);
        int m = CliSupport.intOpt(cl, "m", 4, 1, 64);
        int threads = CliSupport.intOpt(cl, "threads", 2, 1, 256);
        int loopPercent = CliSupport.intOpt(cl, "loop-percent", 10, 0, 100);
        int reps = CliSupport.intOpt(cl, "reps", 15, 1, 1000);
        int warmup = CliSupport.intOpt(cl, "warmup", 10, 0, 1000);

        List<List<List<RewardContext>>> step = step(prompts, k, m, loopPercent);
        CompositeReward reward = new CodeRewards(new Sandbox(SandboxLimits.defaults())).create(0.1);
        BatchRewardScorer serial = BatchRewardScorer.serial(new RewardScorer(reward, RewardErrorPolicy.substitute(0)));
        BatchRewardScorer parallel = new ParallelRewardScorer(reward, RewardErrorPolicy.substitute(0), threads,
                Duration.ofSeconds(1));
        for (int i = 0; i < warmup; i++) {
            serial.scoreGroups(step);
            parallel.scoreGroups(step);
        }
        double[] serialMs = new double[reps];
        double[] parallelMs = new double[reps];
        for (int i = 0; i < reps; i++) {
            serialMs[i] = millis(serial, step);
            parallelMs[i] = millis(parallel, step);
        }
        Arrays.sort(serialMs);
        Arrays.sort(parallelMs);
        boolean same = Arrays.deepEquals(totals(serial.scoreGroups(step)), totals(parallel.scoreGroups(step)));
        out.printf(Locale.ROOT, "reward scoring of one code step: %d prompts x T%dA%d = %d answers x %d hidden tests,"
                + " %d%% looping answers%n", prompts, k, m, prompts * k * m, CodeTask.HIDDEN, loopPercent);
        out.printf(Locale.ROOT, "serial:                 median %8.1f ms (min %.1f, max %.1f, %d reps)%n", median(serialMs),
                serialMs[0], serialMs[serialMs.length - 1], reps);
        out.printf(Locale.ROOT, "parallel (%d threads):   median %8.1f ms (min %.1f, max %.1f)%n", threads,
                median(parallelMs), parallelMs[0], parallelMs[parallelMs.length - 1]);
        out.printf(Locale.ROOT, "serial / parallel = %.2fx; identical scores: %s; %d cores available%n",
                median(serialMs) / median(parallelMs), same, Runtime.getRuntime().availableProcessors());
        return same ? 0 : 1;
    }

    private static double[][][] totals(List<RewardScores> scores) {
        return scores.stream().map(RewardScores::totals).toArray(double[][][]::new);
    }

    private static double millis(BatchRewardScorer scorer, List<List<List<RewardContext>>> step) {
        long t0 = System.nanoTime();
        scorer.scoreGroups(step);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    /** The contexts of one step: seeded problems and a mix of right, wrong, unparsable and looping answers. */
    static List<List<List<RewardContext>>> step(int prompts, int k, int m, int loopPercent) {
        CodeTask task = CodeTask.defaults();
        SplittableRandom rng = new SplittableRandom(1);
        List<List<List<RewardContext>>> out = new ArrayList<>();
        for (int p = 0; p < prompts; p++) {
            CodeProblem problem = task.sampleTrain(rng);
            List<List<RewardContext>> group = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                List<RewardContext> row = new ArrayList<>();
                for (int j = 0; j < m; j++) {
                    String answer = answer(problem, rng, loopPercent);
                    row.add(RewardContext.builder().indices(p, i, j).prompt(problem.promptText())
                            .metadata(Map.of(CodeRewards.TESTS, problem.testsText())).thought(problem.thought(), 1)
                            .answer(answer, 1).build());
                }
                group.add(row);
            }
            out.add(group);
        }
        return out;
    }

    private static String answer(CodeProblem problem, SplittableRandom rng, int loopPercent) {
        int r = rng.nextInt(100);
        if (r < loopPercent) {
            return "until(\\s->0,\\s->s+1,0)";
        }
        int rest = rng.nextInt(3);
        if (rest == 0) {
            return problem.program();
        }
        return rest == 1 ? problem.program().replaceFirst("[0-9]", "7") : problem.program().substring(1);
    }
}
