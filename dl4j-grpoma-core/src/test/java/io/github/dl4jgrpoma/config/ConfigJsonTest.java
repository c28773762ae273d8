package io.github.dl4jgrpoma.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.dl4jgrpoma.algo.AdvantageConfig;
import io.github.dl4jgrpoma.algo.AnswerNormalization;
import io.github.dl4jgrpoma.algo.RewardScaling;
import io.github.dl4jgrpoma.algo.StdConvention;
import io.github.dl4jgrpoma.loss.KlEstimator;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.reward.RewardErrorPolicy;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.DynamicSampling;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.algo.PackingMode;
import io.github.dl4jgrpoma.train.SftConfig;

/** Run configs as JSON: round trip, partial files over defaults, clear errors, content-derived fingerprint. */
class ConfigJsonTest {
    /** Every field away from its default (substitute(0.0) so that both mode and value can change alone). */
    static GrpoMaConfig nonDefault() {
        return GrpoMaConfig.builder()
                .rollout(RolloutConfig.builder().thoughts(3).answersPerThought(2).maxThoughtTokens(7).maxAnswerTokens(3)
                        .temperature(0.7).topK(5).topP(0.9).endOfThoughtToken(6).answerStopTokens(Set.of(9, 2, 5))
                        .prefixSharing(false).build())
                .estimator("dr-grpo")
                .advantage(AdvantageConfig.builder().delta(1e-3).stdConvention(StdConvention.POPULATION)
                        .answerNormalization(AnswerNormalization.THOUGHT).scaleRewards(RewardScaling.BATCH).build())
                .loss(LossConfig.builder().epsLow(0.1).epsHigh(0.28).beta(0.04).klEstimator(KlEstimator.K2)
                        .aggregation("token-mean").thoughtWeight(0.5).constantNormalizer(64).importanceRatio("sequence")
                        .maskTruncatedCompletions(true).entropyTopFraction(0.2).build())
                .optimizer(new OptimizerConfig(2e-3, 0.8, 0.99, 1e-7, 0.01, 0.5, 0))
                .promptsPerStep(5).innerEpochs(2).steps(17).dynamicSampling(DynamicSampling.DROP)
                .packing(PackingMode.DECOUPLED).rewardErrorPolicy(RewardErrorPolicy.substitute(0.0)).seed(99)
                .checkpointEvery(7).keepCheckpoints(2).successThreshold(0.5).accuracyReward("correct").build();
    }

    @Test
    void writeThenReadGivesAnEqualConfig() {
        for (GrpoMaConfig c : List.of(GrpoMaConfig.builder().build(), nonDefault())) {
            String json = c.toJson();
            assertEquals(c, GrpoMaConfig.fromJson(json, "test"), json);
        }
        SftConfig sft = new SftConfig(12, 5, OptimizerConfig.defaults().withLearningRate(3e-3), 7, 4, 2);
        assertEquals(sft, SftConfig.fromJson(ConfigJson.toJson(sft), "test"));
        assertTrue(nonDefault().toJson().contains("\"answerStopTokens\" : [ 2, 5, 9 ]"), "sets are written sorted");
    }

    @Test
    void aPartialFileKeepsTheDefaultsOfTheFieldsItLeavesOut() {
        GrpoMaConfig c = GrpoMaConfig.fromJson("{\"seed\": 7, \"rollout\": {\"thoughts\": 2}, \"loss\": {\"beta\": 0.1}}",
                "run.json");
        GrpoMaConfig d = GrpoMaConfig.builder().build();
        assertEquals(d.toBuilder().seed(7).rollout(RolloutConfig.builder().thoughts(2).build())
                .loss(LossConfig.builder().beta(0.1).build()).build(), c);
    }

    @Test
    void badFilesNameTheFieldTheValueAndTheFix() {
        String unknown = error("{\"rollout\": {\"thougths\": 4}}");
        assertTrue(unknown.contains("run.json") && unknown.contains("unknown field 'rollout.thougths'")
                && unknown.contains("thoughts"), unknown);
        String type = error("{\"promptsPerStep\": \"many\"}");
        assertTrue(type.contains("'promptsPerStep'") && type.contains("'many'") && type.contains("integer"), type);
        String invalid = error("{\"promptsPerStep\": 0}");
        assertTrue(invalid.contains("GrpoMaConfig.promptsPerStep = 0") && invalid.contains("use at least 1"), invalid);
        String nested = error("{\"rollout\": {\"topP\": 2}}");
        assertTrue(nested.contains("RolloutConfig.topP = 2.0") && nested.contains("(0, 1]"), nested);
        String badEnum = error("{\"dynamicSampling\": \"SOMETIMES\"}");
        assertTrue(badEnum.contains("'SOMETIMES'") && badEnum.contains("[OFF, DROP]"), badEnum);
        String fraction = error("{\"promptsPerStep\": 16.5}");
        assertTrue(fraction.contains("'promptsPerStep'") && fraction.contains("integer"), "not truncated to 16: " + fraction);
        String syntax = error("{\"seed\": 1,,}");
        assertTrue(syntax.contains("not valid JSON") && syntax.contains("line 1"), syntax);
    }

    /** Jackson would coerce "60" to 60; a run config is strict: a quoted number or boolean names the field and the fix. */
    @Test
    void quotedNumbersAndBooleansAreRefusedNotCoerced() {
        String quoted = error("{\"promptsPerStep\": \"16\"}");
        assertTrue(quoted.contains("field 'promptsPerStep' = \"16\"") && quoted.contains("must be an integer")
                && quoted.contains("fix: write 16 without quotes"), quoted);
        String nested = error("{\"loss\": {\"beta\": \"0.04\"}}");
        assertTrue(nested.contains("'loss.beta'") && nested.contains("must be a number")
                && nested.contains("write 0.04 without quotes"), nested);
        String bool = error("{\"rollout\": {\"prefixSharing\": \"false\"}}");
        assertTrue(bool.contains("'rollout.prefixSharing'") && bool.contains("must be true or false")
                && bool.contains("write false without quotes"), bool);
        String word = error("{\"promptsPerStep\": \"many\"}");
        assertTrue(word.contains("'many'") && word.contains("integer") && !word.contains("without quotes"), word);
        assertEquals(16, GrpoMaConfig.fromJson("{\"promptsPerStep\": 16}", "run.json").promptsPerStep());
        String huge = error("{\"promptsPerStep\": 99999999999}");
        assertTrue(huge.contains("'promptsPerStep'") && huge.contains("99999999999") && huge.contains("fix:"), huge);
    }

    private static String error(String json) {
        return assertThrows(IllegalArgumentException.class, () -> GrpoMaConfig.fromJson(json, "run.json")).getMessage();
    }

    /**
     * Walks the record components by reflection (nested records included) and changes each leaf alone: the
     * fingerprint must change for every field except the documented exclusions, which must leave it alone.
     */
    @Test
    void everyRecordComponentOutsideTheExclusionsChangesTheFingerprint() {
        GrpoMaConfig base = nonDefault();
        String fp = ConfigJson.fingerprint(base, GrpoMaConfig.NOT_FINGERPRINTED, "");
        List<String> leaves = new ArrayList<>();
        leaves(GrpoMaConfig.class, "", leaves);
        assertTrue(leaves.size() > 30, "found " + leaves);
        for (String path : leaves) {
            GrpoMaConfig changed = changedAt(base, path);
            assertNotEquals(base, changed, path);
            boolean excluded = GrpoMaConfig.NOT_FINGERPRINTED.contains(path);
            assertEquals(excluded, fp.equals(ConfigJson.fingerprint(changed, GrpoMaConfig.NOT_FINGERPRINTED, "")),
                    path + (excluded ? " is excluded and must not change" : " must change") + " the fingerprint");
        }
        assertNotEquals(fp, ConfigJson.fingerprint(base, GrpoMaConfig.NOT_FINGERPRINTED, "other model"));
        assertEquals(fp, ConfigJson.fingerprint(base.toBuilder().rollout(RolloutConfig.builder().thoughts(3)
                .answersPerThought(2).maxThoughtTokens(7).maxAnswerTokens(3).temperature(0.7).topK(5).topP(0.9)
                .endOfThoughtToken(6).answerStopTokens(Set.of(5, 9, 2)).prefixSharing(false).build()).build(),
                GrpoMaConfig.NOT_FINGERPRINTED, ""), "set order does not matter");
        assertThrows(IllegalArgumentException.class, () -> ConfigJson.canonical(base, Set.of("stepz")));
    }

    private static void leaves(Class<?> type, String prefix, List<String> out) {
        for (RecordComponent rc : type.getRecordComponents()) {
            if (rc.getType().isRecord()) {
                leaves(rc.getType(), prefix + rc.getName() + ".", out);
            } else {
                out.add(prefix + rc.getName());
            }
        }
    }

    /** The config with the leaf at {@code path} set to the first candidate value its validation accepts. */
    private static GrpoMaConfig changedAt(GrpoMaConfig base, String path) {
        ObjectNode tree = ConfigJson.tree(base);
        String[] parts = path.split("\\.");
        ObjectNode parent = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        String leaf = parts[parts.length - 1];
        JsonNode old = parent.get(leaf);
        assertTrue(old != null, path + " is a record component but not in the JSON: " + tree);
        for (JsonNode candidate : candidates(old)) {
            parent.set(leaf, candidate);
            try {
                return ConfigJson.fromTree(tree, GrpoMaConfig.class, "test");
            } catch (IllegalArgumentException e) {
                // try the next candidate
            }
        }
        throw new AssertionError("no valid change found for " + path + " = " + old);
    }

    private static List<JsonNode> candidates(JsonNode old) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> out = new ArrayList<>();
        if (old.isBoolean()) {
            out.add(f.booleanNode(!old.booleanValue()));
        } else if (old.isIntegralNumber()) {
            out.add(f.numberNode(old.longValue() + 1));
            out.add(f.numberNode(old.longValue() - 1));
        } else if (old.isNumber()) {
            out.add(f.numberNode(old.doubleValue() + 0.5));
            out.add(f.numberNode(old.doubleValue() / 2));
        } else if (old.isTextual()) {
            for (String s : List.of("OFF", "DROP", "AUTO", "COUPLED", "FAIL", "SUBSTITUTE", "K3", "K2", "SAMPLE", "ALL",
                    "THOUGHT", "PROMPT", "POPULATION", "GROUP", "NONE", "RECOMPUTE", "grpo-ma", "sequence-mean", "constant", "other")) {
                if (!s.equals(old.textValue())) {
                    out.add(f.textNode(s));
                }
            }
        } else if (old.isArray()) {
            ArrayNode a = old.deepCopy();
            a.add(11);
            out.add(a);
        }
        assertFalse(out.isEmpty(), "no candidates for " + old);
        return out;
    }
}
