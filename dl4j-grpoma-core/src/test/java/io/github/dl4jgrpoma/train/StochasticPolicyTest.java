package io.github.dl4jgrpoma.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.policy.SameDiffPolicy;
import io.github.dl4jgrpoma.reward.CompositeReward;

/**
 * Issue 9 item 4: a stochastic policy breaks "ratio 1 before the first update". A user model with hand-written
 * dropout fails at step 1 with a message saying what to do; SameDiff's {@code sd.nn.dropout} is rejected when
 * the trainer is built, with the alternative named; the same model without dropout trains.
 */
class StochasticPolicyTest {
    private static final int T = 8;
    private static final int D = 16;

    enum Dropout { NONE, HAND_WRITTEN, SAMEDIFF }

    /** one-hot x embedding -> tanh -> (dropout) -> output projection; logits {@code [B,T,V]}. */
    private static SameDiffPolicy policy(Dropout dropout) {
        int v = Tiny.TOKENIZER.vocabSize();
        Nd4j.getRandom().setSeed(5);
        SameDiff sd = SameDiff.create();
        SDVariable tokens = sd.placeHolder("tokens", DataType.INT32, -1, T);
        SDVariable emb = sd.var("emb", Nd4j.randn(DataType.FLOAT, v, D).muli(0.5));
        SDVariable out = sd.var("w_out", Nd4j.randn(DataType.FLOAT, D, v).muli(0.5));
        SDVariable h = sd.nn.tanh(sd.reshape(sd.oneHot(tokens, v, -1, 1.0, 0.0, DataType.FLOAT), -1, v).mmul(emb));
        if (dropout == Dropout.HAND_WRITTEN) {
            h = h.mul(sd.random.bernoulli(0.8, DataType.FLOAT, D)).div(0.8);
        } else if (dropout == Dropout.SAMEDIFF) {
            h = sd.nn.dropout(h, 0.8);
        }
        sd.reshape(h.mmul(out), -1, T, v).rename("logits");
        return new SameDiffPolicy(sd, "tokens", "logits", v, null);
    }

    private static GrpoMaTrainer trainer(Dropout dropout) {
        return trainer(dropout, OldLogProbs.AUTO);
    }

    private static GrpoMaTrainer trainer(Dropout dropout, OldLogProbs old) {
        return GrpoMaTrainer.builder().policy(policy(dropout)).tokenizer(Tiny.TOKENIZER).promptSource(Tiny.digits())
                .reward(CompositeReward.of(Tiny.parityReward()))
                .config(GrpoMaConfig.builder().rollout(Tiny.rollout(2, 2, 2, 2).build()).promptsPerStep(4).steps(1)
                        .seed(3).oldLogProbs(old).build()).build();
    }

    @Test
    void handWrittenDropoutFailsAtTheFirstStepSayingWhatToDo() {
        GrpoMaTrainer t = trainer(Dropout.HAND_WRITTEN);
        IllegalStateException e = assertThrows(IllegalStateException.class, t::step);
        org.slf4j.LoggerFactory.getLogger(StochasticPolicyTest.class).info("hand-written dropout: {}", e.getMessage());
        assertTrue(e.getMessage().startsWith("step 1:") && e.getMessage().contains("ratio/mean")
                && e.getMessage().contains("disable dropout in rollouts and in the loss alike"), e.getMessage());
        assertEquals(0, t.completedSteps());
    }

    @Test
    void withRecomputedOldLogProbsTheCheckComparesTheRolloutWithTheRecomputation() {
        // the loss's own ratio is exactly 1 then, so the check must look at rollout vs recomputed log-probs
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer(Dropout.HAND_WRITTEN, OldLogProbs.RECOMPUTE).step());
        assertTrue(e.getMessage().startsWith("step 1:") && e.getMessage().contains("ratio/mean"), e.getMessage());
        StepResult r = trainer(Dropout.NONE, OldLogProbs.RECOMPUTE).step();
        assertEquals(1.0, r.metric("ratio/mean"), 0.0);
        assertTrue(r.metric("rollout/logprob_diff_max") < 1e-4, r.metrics().toString());
    }

    @Test
    void sameDiffDropoutIsRejectedWhenTheTrainerIsBuilt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer(Dropout.SAMEDIFF));
        assertTrue(e.getMessage().contains("sd.nn.dropout") && e.getMessage().contains("remove dropout"), e.getMessage());
    }

    @Test
    void theSameModelWithoutDropoutHasRatioOneAtTheFirstStep() {
        StepResult r = trainer(Dropout.NONE).step();
        assertEquals(1.0, r.metric("ratio/mean"), OnPolicyCheck.RATIO_TOLERANCE / 100);
        assertTrue(r.metric("approx_kl") < OnPolicyCheck.APPROX_KL_TOLERANCE / 100, r.metrics().toString());
    }
}
