package io.github.dl4jgrpoma.examples.code;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.examples.code.lang.RunResult;
import io.github.dl4jgrpoma.examples.code.lang.Sandbox;
import io.github.dl4jgrpoma.examples.code.lang.SandboxLimits;
import io.github.dl4jgrpoma.examples.code.lang.Value;

/**
 * The program-synthesis task: a prompt shows {@link #SHOWN} input/output examples of an unknown function
 * from a {@link CodeFamily}; the policy writes a thought about the pattern and then a program; the reward
 * runs the program on {@link #HIDDEN} hidden inputs. Problems are generated from a seed.
 *
 * <p>Two held-out slices, never sampled in training:
 * <ul>
 *   <li>held-out problems: a hash of the prompt text falls in the first {@code heldOutPercent} percent
 *       (same families and parameters as training, unseen examples);</li>
 *   <li>held-out parameter combinations: AFFINE functions {@code a*n+b} with {@code (a+b) % 5 == 0}
 *       (each of a and b is seen in training, never together).</li>
 * </ul>
 *
 * @param heldOutPercent share of the problem space reserved for evaluation, 1..50
 */
public record CodeTask(int heldOutPercent) {
    /** Examples shown in a prompt. */
    public static final int SHOWN = 3;
    /** Hidden tests per problem. */
    public static final int HIDDEN = 6;
    /** Characters of prompts, thoughts and answers. */
    public static final String ALPHABET = "0123456789[],;>|+-*/%<=()\\ abcdefghijklmnopqrstuvwxyz";

    private static final Sandbox REFERENCE = new Sandbox(SandboxLimits.defaults());

    /** Validates the field. */
    public CodeTask {
        if (heldOutPercent < 1 || heldOutPercent > 50) {
            throw new IllegalArgumentException("CodeTask.heldOutPercent must be in [1, 50], got " + heldOutPercent);
        }
    }

    /** 20 % of problems held out. */
    public static CodeTask defaults() {
        return new CodeTask(20);
    }

    /** The value of a literal in the sandbox syntax ({@code 5}, {@code [1,2]}). */
    public static Value literal(String text) {
        RunResult r = REFERENCE.run(text, null);
        if (!r.ok()) {
            throw new IllegalArgumentException("'" + text + "' is not a value: " + r);
        }
        return r.value();
    }

    /** Builds the problem of a family instance with examples drawn from {@code rng}. */
    public CodeProblem problem(CodeFamily family, int[] params, SplittableRandom rng) {
        List<String> inputs = family.inputs(params, SHOWN + HIDDEN, rng);
        String program = family.program(params);
        StringBuilder prompt = new StringBuilder();
        List<String> hidden = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String in = inputs.get(i);
            RunResult out = REFERENCE.run(program, literal(in));
            if (!out.ok()) {
                throw new IllegalStateException("reference program " + program + " failed on " + in + ": " + out);
            }
            if (i < SHOWN) {
                prompt.append(i == 0 ? "" : ";").append(in).append('>').append(out.value());
            } else {
                hidden.add(in + "|" + out.value());
            }
        }
        return new CodeProblem(family, params, prompt.toString(), family.thought(params), program, hidden);
    }

    /** True for the AFFINE parameter pairs reserved for evaluation. */
    public static boolean isHeldOutCombination(CodeFamily family, int[] params) {
        return family == CodeFamily.AFFINE && (params[0] + params[1]) % 5 == 0;
    }

    /** True when the problem's prompt hashes into the held-out share. */
    public boolean isHeldOut(CodeProblem p) {
        long h = p.promptText().hashCode() * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return Math.floorMod(h, 100) < heldOutPercent;
    }

    /** A training problem: never a held-out prompt or parameter combination. */
    public CodeProblem sampleTrain(SplittableRandom rng) {
        while (true) {
            CodeFamily f = CodeFamily.values()[rng.nextInt(CodeFamily.values().length)];
            int[] params = f.sampleParams(rng);
            if (isHeldOutCombination(f, params)) {
                continue;
            }
            CodeProblem p = problem(f, params, rng);
            if (!isHeldOut(p)) {
                return p;
            }
        }
    }

    /** {@code n} distinct held-out problems (families in turn), a function of the seed. */
    public List<CodeProblem> heldOut(int n, long seed) {
        return distinct(n, seed, false);
    }

    /** {@code n} distinct problems of the held-out AFFINE parameter combinations. */
    public List<CodeProblem> heldOutCombinations(int n, long seed) {
        return distinct(n, seed, true);
    }

    private List<CodeProblem> distinct(int n, long seed, boolean combinations) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<CodeProblem> out = new ArrayList<>(n);
        Set<String> seen = new HashSet<>();
        int family = 0;
        int guard = 0;
        while (out.size() < n && guard++ < 1000 * n) {
            CodeFamily f = combinations ? CodeFamily.AFFINE : CodeFamily.values()[family % CodeFamily.values().length];
            int[] params = f.sampleParams(rng);
            if (isHeldOutCombination(f, params) != combinations) {
                continue;
            }
            CodeProblem p = problem(f, params, rng);
            if ((combinations || isHeldOut(p)) && seen.add(p.promptText())) {
                out.add(p);
                family++;
            }
        }
        return out;
    }
}
