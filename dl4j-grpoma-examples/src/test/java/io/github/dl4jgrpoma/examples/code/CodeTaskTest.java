package io.github.dl4jgrpoma.examples.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import io.github.dl4jgrpoma.examples.code.lang.FailureCause;
import io.github.dl4jgrpoma.examples.code.lang.Sandbox;
import io.github.dl4jgrpoma.examples.code.lang.SandboxLimits;
import io.github.dl4jgrpoma.policy.Tokenizer;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardContext;
import io.github.dl4jgrpoma.data.SftExample;

class CodeTaskTest {
    private final CodeTask task = CodeTask.defaults();
    private final Sandbox sandbox = new Sandbox(SandboxLimits.defaults());

    @Test
    void problemsAreSeededAndTheReferenceProgramPassesEveryHiddenTest() {
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        CodeRewards rewards = new CodeRewards(sandbox);
        Set<CodeFamily> seen = EnumSet.noneOf(CodeFamily.class);
        for (int i = 0; i < 300; i++) {
            CodeProblem p = task.sampleTrain(a);
            assertEquals(p.promptText(), task.sampleTrain(b).promptText());
            assertEquals(CodeTask.HIDDEN, p.hiddenTests().size());
            assertEquals(1.0, rewards.passRate(p.program(), p.testsText()), 0, p.toString());
            assertEquals(CodeTask.SHOWN, p.promptText().split(";").length);
            assertTrue(p.promptText().length() + 2 <= CodeSettings.MAX_PROMPT_TOKENS, p.promptText());
            assertTrue(p.program().length() < CodeSettings.MAX_ANSWER_TOKENS, p.program());
            assertTrue(p.thought().length() <= CodeSettings.MAX_THOUGHT_TOKENS, p.thought());
            for (String t : p.hiddenTests()) {
                assertFalse(p.promptText().contains(t.substring(0, t.indexOf('|')) + ">"), "hidden test shown: " + t);
            }
            seen.add(p.family());
        }
        assertEquals(EnumSet.allOf(CodeFamily.class), seen);
        assertTrue(rewards.failures().values().stream().allMatch(v -> v == 0), rewards.failures().toString());
    }

    @Test
    void trainingNeverSamplesAHeldOutProblemOrCombination() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < 2000; i++) {
            CodeProblem p = task.sampleTrain(rng);
            assertFalse(task.isHeldOut(p));
            assertFalse(CodeTask.isHeldOutCombination(p.family(), p.params()));
        }
        List<CodeProblem> held = task.heldOut(50, 3);
        assertEquals(50, held.size());
        assertTrue(held.stream().allMatch(task::isHeldOut));
        assertEquals(CodeFamily.values().length, held.stream().map(CodeProblem::family).distinct().count());
        List<CodeProblem> combos = task.heldOutCombinations(20, 3);
        assertTrue(combos.stream().allMatch(p -> CodeTask.isHeldOutCombination(p.family(), p.params())));
        assertEquals(held.get(7).promptText(), task.heldOut(50, 3).get(7).promptText(), "a function of the seed");
    }

    @Test
    void rewardIsTheFractionOfHiddenTestsPlusAParseTermAndCountsFailuresByCause() {
        CodeRewards rewards = new CodeRewards(sandbox);
        CompositeReward reward = rewards.create(0.1);
        String tests = "[1,2]|[2,4];[3]|[6];[0,5]|[0,10];[]|[]";
        assertEquals(1.1, reward.score(ctx("map(\\a->a*2,x)", tests)), 1e-12);
        assertEquals(0.25 + 0.1, reward.score(ctx("map(\\a->a+a*a-1,x)", tests)), 1e-12, "right on [] only");
        assertEquals(0.0, reward.score(ctx("map(\\a->a*2,x", tests)), 0, "does not parse");
        assertEquals(0.1, reward.score(ctx("until(\\s->0,\\s->s,x)", tests)), 1e-12, "loops: parses, passes nothing");
        Map<FailureCause, Long> f = rewards.failures();
        assertEquals(1L, f.get(FailureCause.PARSE), "an unparsable program counts once per scoring");
        assertEquals(4L, f.get(FailureCause.FUEL), "the loop runs out of fuel on each of 4 tests");
    }

    @Test
    void tracesFollowTheReferenceOrAControlledMistake() {
        Tokenizer tok = CodeExperiment.tokenizer();
        CodeRewards rewards = new CodeRewards(sandbox);
        CodeTraces clean = new CodeTraces(task, tok, 0.0);
        CodeTraces wrong = new CodeTraces(task, tok, 1.0);
        SplittableRandom rng = new SplittableRandom(1);
        int failing = 0;
        for (int i = 0; i < 200; i++) {
            SftExample e = clean.sample(rng);
            SftExample w = wrong.sample(rng);
            String prompt = tok.decode(w.prompt(), true);
            String program = programOf(tok, w);
            String tests = testsFromPrompt(prompt);
            failing += rewards.passRate(program, tests) < 1.0 ? 1 : 0;
            assertEquals(1.0, rewards.passRate(programOf(tok, e), testsFromPrompt(tok.decode(e.prompt(), true))), 0);
        }
        assertTrue(failing > 150, "mistake traces fail their own examples: " + failing + " of 200");
    }

    /** The program of a trace: the completion after the end-of-thought token, without EOS. */
    private static String programOf(Tokenizer tok, SftExample e) {
        int[] c = e.completion();
        int eot = 0;
        while (c[eot] != tok.endOfThought()) {
            eot++;
        }
        return tok.decode(java.util.Arrays.copyOfRange(c, eot + 1, c.length), true);
    }

    /** The shown examples of a prompt as tests. */
    private static String testsFromPrompt(String prompt) {
        return prompt.replace('>', '|');
    }

    private static RewardContext ctx(String answer, String tests) {
        return RewardContext.builder().indices(0, 0, 0).prompt("p").metadata(Map.of(CodeRewards.TESTS, tests))
                .thought("t", 1).answer(answer, 1).build();
    }

    @Test
    void perFamilyResultsAreListedInFamilyOrderWhateverTheInsertionOrder() {
        Map<String, Double> shuffled = new java.util.LinkedHashMap<>();
        for (String f : new String[] {"shift", "affine", "weighted-sum", "scale", "keep-above"}) {
            shuffled.put(f, 0.5);
        }
        CodeEval e = new CodeEval(5, 0, 0, 0, 1, shuffled, Map.of(), List.of());
        assertEquals(List.of("affine", "keep-above", "scale", "shift", "weighted-sum"), List.copyOf(e.perFamilyPass1().keySet()),
                "the summary's per-family rows come in the same order in every run (Map.copyOf's order changes per JVM)");
    }
}
