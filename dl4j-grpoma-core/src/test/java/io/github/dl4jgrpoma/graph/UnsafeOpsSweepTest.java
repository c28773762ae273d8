package io.github.dl4jgrpoma.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The systematic op sweep behind {@link UnsafeOps}: every case of {@link OpSweepCases} (an op under one
 * shape / axis / flag setting) is finite-difference checked in double precision on the loss
 * {@code sum(out^2 / 2 + out)} (upstream gradient {@code out + 1}, different per element). A case is OK,
 * WRONG (gradient check fails) or THROWS (forward or backprop throws). The sweep fails when a WRONG or
 * THROWS case is not reported by {@link UnsafeOps#find} (so a broken op can never pass the trainer's graph
 * check silently), and when an op that {@link UnsafeOps} rejects was found broken by no case (so the list
 * is what the sweep found, not a guess).
 */
class UnsafeOpsSweepTest {
    private static final Logger LOG = LoggerFactory.getLogger(UnsafeOpsSweepTest.class);

    enum Outcome { OK, WRONG, THROWS }

    /** Outcome and UnsafeOps findings of one case. */
    record Result(Outcome outcome, String detail, List<String> reported) {
    }

    private final Map<String, Result> results = new LinkedHashMap<>();

    @TestFactory
    List<DynamicTest> everyBrokenOpIsRejectedAndEveryRejectedOpIsBroken() {
        long start = System.nanoTime();
        List<DynamicTest> tests = new ArrayList<>();
        for (OpSweepCases.Case c : OpSweepCases.all()) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Result r = run(c);
                results.put(c.name(), r);
                if (r.outcome() != Outcome.OK && r.reported().isEmpty()) {
                    fail(c.name() + " is " + r.outcome() + " in DL4J 1.0.0-M2.1 (" + r.detail()
                            + ") but UnsafeOps does not reject it: add its op class to UnsafeOps with the alternative");
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest("every op UnsafeOps rejects was found broken by the sweep", () -> {
            assertEquals(OpSweepCases.all().size(), results.size(), "the sweep cases run first");
            StringBuilder table = new StringBuilder();
            results.forEach((name, r) -> table.append(String.format("%n  %-6s %s%s", r.outcome(), name,
                    r.outcome() == Outcome.OK ? "" : "  [" + r.detail() + "]")));
            LOG.info("op sweep ({} cases, {} s):{}", results.size(), (System.nanoTime() - start) / 1_000_000_000L, table);
            for (String rejected : UnsafeOps.rejectedOps()) {
                boolean seenBroken = results.values().stream().anyMatch(r -> r.outcome() != Outcome.OK
                        && r.reported().stream().anyMatch(f -> f.contains(rejected)));
                assertTrue(seenBroken, "UnsafeOps rejects '" + rejected + "' but no sweep case found it broken:"
                        + " add a case that shows the fault or remove it from the list");
            }
        }));
        return tests;
    }

    /**
     * The one shape-dependent fault the sweep knows, which UnsafeOps cannot see from the op type (shapes are
     * often unknown when the graph is built): a reduction over a size-1 dimension of a rank-2 array throws in
     * M2.1. If this starts to pass after a DL4J upgrade, {@link SafeOps#sumAlong} is no longer needed.
     */
    @org.junit.jupiter.api.Test
    void reductionOverASizeOneDimensionThrowsWhereSumAlongWorks() {
        OpSweepCases.Case plain = new OpSweepCases.Case("sum dim 1 [3,1]", new long[][] {{3, 1}},
                OpSweepCases.Init.SIGNED, (sd, v) -> v[0].sum(1));
        Result r = run(plain);
        assertEquals(Outcome.THROWS, r.outcome(), r.detail());
        OpSweepCases.Case safe = new OpSweepCases.Case("sumAlong dim 1 [3,1]", new long[][] {{3, 1}},
                OpSweepCases.Init.SIGNED, (sd, v) -> SafeOps.sumAlong(sd, null, v[0], 1));
        assertEquals(Outcome.OK, run(safe).outcome());
    }

    static Result run(OpSweepCases.Case c) {
        SameDiff sd = SameDiff.create();
        Random rnd = new Random(c.name().hashCode());
        SDVariable[] vars = new SDVariable[c.shapes().length];
        for (int i = 0; i < vars.length; i++) {
            vars[i] = sd.var("x" + i, values(c.shapes()[i], c.init(), rnd));
        }
        String stage = "forward";
        try {
            SDVariable out = c.build().apply(sd, vars);
            List<String> reported = UnsafeOps.find(sd);
            SDVariable loss = out.mul(out).mul(0.5).add(out).sum().rename("sweep_loss");
            loss.markAsLoss();
            sd.output(Map.of(), "sweep_loss");
            stage = "backprop";
            GradientCheckResult check = GradientCheck.defaults().checkAll(sd, Map.of(), "sweep_loss");
            return check.passed() ? new Result(Outcome.OK, "", reported)
                    : new Result(Outcome.WRONG, check.failures() + "/" + check.checked() + " entries wrong, e.g. "
                    + check.failureSample().get(0), reported);
        } catch (RuntimeException | AssertionError e) {
            String msg = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            return new Result(Outcome.THROWS, stage + " throws " + e.getClass().getSimpleName() + ": "
                    + msg.substring(0, Math.min(120, msg.length())), UnsafeOps.find(sd));
        }
    }

    private static INDArray values(long[] shape, OpSweepCases.Init init, Random rnd) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            double u = rnd.nextDouble();
            v[i] = init == OpSweepCases.Init.POSITIVE ? 0.5 + 1.5 * u : (rnd.nextBoolean() ? 1 : -1) * (0.2 + 0.8 * u);
        }
        return shape.length == 0 ? Nd4j.scalar(v[0]) : Nd4j.create(v, shape, DataType.DOUBLE);
    }
}
