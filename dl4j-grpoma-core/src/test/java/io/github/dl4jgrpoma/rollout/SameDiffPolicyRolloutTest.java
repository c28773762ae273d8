package io.github.dl4jgrpoma.rollout;

import io.github.dl4jgrpoma.data.Prompt;

import io.github.dl4jgrpoma.transformer.KvCacheDecoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import io.github.dl4jgrpoma.policy.SameDiffPolicy;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A user's own SameDiff model (not the built-in transformer) rolls out through the full-recompute decoder. */
class SameDiffPolicyRolloutTest {
    // bigram logits W[prev][next]; ids 2 = EOS, 4 = end of thought
    private static final float[][] W = {
            {0, 0, 0, 0, 0, 0},
            {-5, -5, -1, 0.5f, 0.2f, 1},
            {-5, -5, 0, 0, 0, 0},
            {-5, -5, -1, -5, 0.3f, 1.2f},
            {-5, -5, 0.5f, -5, -5, 1},
            {-5, -5, 0.2f, -1, 0.4f, 0.3f},
    };

    @Test
    void rolloutsOfAUserGraphRecordItsLogProbs() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.INT32, -1, 16);
        SDVariable w = sd.var("W", Nd4j.createFromArray(W));
        sd.reshape(sd.reshape(sd.oneHot(x, 6, -1, 1.0, 0.0, DataType.FLOAT), -1, 6).mmul(w), -1, 16, 6).rename("out");
        SameDiffPolicy policy = new SameDiffPolicy(sd, "x", "out", 6, null);
        IncrementalDecoder decoder = policy.decoder();
        assertInstanceOf(RecomputeDecoder.class, decoder);
        assertInstanceOf(KvCacheDecoder.class, TransformerPolicy.create(TransformerConfig.builder()
                .vocabSize(6).width(4).layers(1).heads(1).maxLength(8).build()).decoder());

        RolloutConfig cfg = RolloutConfig.builder().thoughts(2).answersPerThought(2).maxThoughtTokens(5).maxAnswerTokens(3)
                .endOfThoughtToken(4).answerStopTokens(Set.of(2)).build();
        RolloutBatch b = new RolloutEngine(decoder, cfg).rollout(List.of(Prompt.ofTokens(1, 3)), 8);
        int checked = 0;
        PromptRollout p = b.prompts().get(0);
        for (int k = 0; k < 2; k++) {
            for (int m = 0; m < 2; m++) {
                int[] seq = p.sequence(k, m);
                ThoughtRollout t = p.thoughts().get(k);
                AnswerRollout a = t.answers().get(m);
                for (int i = 0; i < t.length(); i++) {
                    assertEquals(logSoftmax(seq[1 + i], seq[2 + i]), t.logProbs()[i], 1e-6);
                    checked++;
                }
                int off = seq.length - a.length();
                for (int i = 0; i < a.length(); i++) {
                    assertEquals(logSoftmax(seq[off + i - 1], seq[off + i]), a.logProbs()[i], 1e-6);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 8, "checked " + checked);
    }

    private static double logSoftmax(int prev, int tok) {
        double sum = 0;
        for (float v : W[prev]) {
            sum += Math.exp(v);
        }
        return W[prev][tok] - Math.log(sum);
    }
}
