package io.github.dl4jgrpoma.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.reward.RewardException;
import io.github.dl4jgrpoma.reward.RewardScores;
import io.github.dl4jgrpoma.rollout.AnswerRollout;
import io.github.dl4jgrpoma.rollout.PromptRollout;
import io.github.dl4jgrpoma.rollout.ThoughtRollout;

/**
 * What travels between the driver and the Spark tasks, as plain serializable records (Java serialization, Spark's
 * default): no ND4J array and no live model crosses the wire except as bytes in ND4J's binary format.
 */
final class Wire {
    private Wire() {
    }

    /** One step's broadcast: the policy weights ({@link WeightsCodec}), the run config as JSON, the rollout seed. */
    record Step(byte[] weights, String configJson, long seed) implements Serializable {
    }

    /** A prompt with its conditioning arrays as bytes. */
    record PromptData(String id, String text, int[] tokens, LinkedHashMap<String, byte[]> conditioning,
                      LinkedHashMap<String, String> metadata) implements Serializable {

        static PromptData of(Prompt p) {
            LinkedHashMap<String, byte[]> c = new LinkedHashMap<>();
            for (String name : p.conditioning().names()) {
                c.put(name, arrayBytes(p.conditioning().get(name)));
            }
            return new PromptData(p.id(), p.text(), p.tokens(), c, new LinkedHashMap<>(p.metadata()));
        }

        Prompt toPrompt() {
            Map<String, INDArray> c = new LinkedHashMap<>();
            conditioning.forEach((k, v) -> c.put(k, array(v)));
            return new Prompt(id, text, tokens, c.isEmpty() ? Conditioning.none() : Conditioning.of(c), metadata);
        }
    }

    /** The prompts of one partition and their positions in the step. */
    record Shard(int[] positions, List<PromptData> prompts) implements Serializable {
    }

    record AnswerData(int[] tokens, double[] logProbs, boolean truncated) implements Serializable {
    }

    record ThoughtData(int[] tokens, double[] logProbs, boolean truncated, int[] context, List<AnswerData> answers)
            implements Serializable {
    }

    record ScoresData(double[][] totals, LinkedHashMap<String, double[][]> perReward,
                      LinkedHashMap<String, Integer> failures) implements Serializable {
        static ScoresData of(RewardScores s) {
            LinkedHashMap<String, double[][]> per = new LinkedHashMap<>();
            for (String name : s.rewardNames()) {
                per.put(name, s.perReward(name));
            }
            return new ScoresData(s.totals(), per, new LinkedHashMap<>(s.failureCounts()));
        }

        RewardScores toScores() {
            return new RewardScores(totals, perReward, failures);
        }
    }

    /**
     * A partition's result: per prompt its thoughts and scores (in the shard's order), or the reward failure that
     * stopped it under FAIL, and the task's timings in ms.
     */
    record ShardResult(int[] positions, List<List<ThoughtData>> trees, List<ScoresData> scores, RewardException failure,
                       double rebuildMs, double rolloutMs, double rewardMs) implements Serializable {
    }

    static List<ThoughtData> thoughts(PromptRollout tree) {
        List<ThoughtData> out = new ArrayList<>();
        for (ThoughtRollout t : tree.thoughts()) {
            List<AnswerData> answers = new ArrayList<>();
            for (AnswerRollout a : t.answers()) {
                answers.add(new AnswerData(a.tokens(), a.logProbs(), a.truncated()));
            }
            out.add(new ThoughtData(t.tokens(), t.logProbs(), t.truncated(), t.contextTokens(), answers));
        }
        return out;
    }

    static PromptRollout tree(Prompt prompt, List<ThoughtData> thoughts) {
        List<ThoughtRollout> out = new ArrayList<>();
        for (ThoughtData t : thoughts) {
            List<AnswerRollout> answers = new ArrayList<>();
            for (AnswerData a : t.answers()) {
                answers.add(new AnswerRollout(a.tokens(), a.logProbs(), a.truncated()));
            }
            out.add(new ThoughtRollout(t.tokens(), t.logProbs(), t.truncated(), t.context(), answers));
        }
        return new PromptRollout(prompt, out);
    }

    static byte[] arrayBytes(INDArray a) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            Nd4j.write(a, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static INDArray array(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
