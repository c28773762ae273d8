package io.github.dl4jgrpoma.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.optim.OptimizerConfig;
import io.github.dl4jgrpoma.policy.BatchRows;
import io.github.dl4jgrpoma.policy.CharTokenizer;
import io.github.dl4jgrpoma.policy.SameDiffPolicy;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;
import io.github.dl4jgrpoma.rollout.DecodingChecks;
import io.github.dl4jgrpoma.rollout.DecodingState;
import io.github.dl4jgrpoma.rollout.PolicyDecoder;
import io.github.dl4jgrpoma.rollout.RecomputeDecoder;
import io.github.dl4jgrpoma.rollout.RolloutConfig;
import io.github.dl4jgrpoma.train.GrpoMaConfig;
import io.github.dl4jgrpoma.train.GrpoMaTrainer;

/**
 * Issue 8's acceptance test, written as a user would, with public API only (this package is not part of the
 * library): a new policy conditioned on a class id, with its own incremental decoder, trained by GrpoMaTrainer
 * with that decoder and with the default full-recompute path. The answer must name the class, which only the
 * conditioning input reveals.
 */
class ConditionedPolicyTest {
    static final CharTokenizer TOK = new CharTokenizer("abcd");
    static final int V = TOK.vocabSize();
    static final int T = 6;

    /** logits[b,t] = w_tok[token[b,t]] + cls[b] . w_cls: causal, and the class shifts every position. */
    static SameDiffPolicy policy(boolean ownDecoder) {
        SameDiff sd = SameDiff.create();
        SDVariable tokens = sd.placeHolder("tokens", DataType.INT32, -1, T);
        SDVariable cls = sd.placeHolder("cls", DataType.FLOAT, -1, 4);
        SDVariable wTok = sd.var("w_tok", Nd4j.zeros(DataType.FLOAT, V, V));
        SDVariable wCls = sd.var("w_cls", Nd4j.zeros(DataType.FLOAT, 4, V));
        SDVariable tok = sd.reshape(sd.reshape(sd.oneHot(tokens, V, -1, 1.0, 0.0, DataType.FLOAT), -1, V).mmul(wTok), -1, T, V);
        tok.add(sd.reshape(cls.mmul(wCls), -1, 1, V)).rename("logits");
        SameDiffPolicy.Builder b = SameDiffPolicy.builder(sd).tokens("tokens").logits("logits").vocabSize(V).conditioning("cls");
        return (ownDecoder ? b.decoder(LastTokenDecoder::new) : b).build();
    }

    /** The user's decoder: the next logits depend on the last token and the class only. */
    static final class LastTokenDecoder extends PolicyDecoder {
        LastTokenDecoder(SameDiffPolicy p) {
            super(p);
        }

        @Override
        protected DecodingState start(int[][] prefixes, Map<String, INDArray> conditioning) {
            int[] last = new int[prefixes.length];
            int[] len = new int[prefixes.length];
            for (int b = 0; b < prefixes.length; b++) {
                last[b] = prefixes[b][prefixes[b].length - 1];
                len[b] = prefixes[b].length;
            }
            return new State(last, len, conditioning.get("cls"));
        }

        final class State implements DecodingState {
            final int[] last;
            final int[] len;
            final INDArray cls;

            State(int[] last, int[] len, INDArray cls) {
                this.last = last;
                this.len = len;
                this.cls = cls;
            }

            public int rows() {
                return last.length;
            }

            public int length(int row) {
                return len[row];
            }

            public INDArray nextLogits() {
                SameDiff sd = model().sameDiff();
                return Nd4j.pullRows(sd.getArrForVarName("w_tok"), 1, last).add(cls.mmul(sd.getArrForVarName("w_cls")));
            }

            public void append(int[] tokens, boolean[] active) {
                DecodingChecks.checkAppend(rows(), tokens, active);
                for (int b = 0; b < rows(); b++) {
                    last[b] = active[b] ? tokens[b] : last[b];
                    len[b] += active[b] ? 1 : 0;
                }
            }

            public DecodingState fork(int[] rows) {
                int[] l = new int[rows.length];
                int[] n = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    l[i] = last[rows[i]];
                    n[i] = len[rows[i]];
                }
                return new State(l, n, BatchRows.select(cls, rows));
            }
        }
    }

    static List<Prompt> prompts(int count, java.util.SplittableRandom rng) {
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int c = rng.nextInt(4);
            INDArray oneHot = Nd4j.zeros(DataType.FLOAT, 4).putScalar(c, 1);
            out.add(Prompt.conditioned("class?", new int[] {TOK.bos(), TOK.beginThought()}, Conditioning.of("cls", oneHot),
                    Map.of("expected", "abcd".substring(c, c + 1))));
        }
        return out;
    }

    static double train(SameDiffPolicy policy) {
        GrpoMaConfig config = GrpoMaConfig.builder().rollout(RolloutConfig.builder().thoughts(2).answersPerThought(4)
                        .maxThoughtTokens(1).maxAnswerTokens(1).endOfThoughtToken(TOK.endOfThought()).build())
                .optimizer(OptimizerConfig.defaults().withLearningRate(0.1)).promptsPerStep(8).steps(40).seed(5).build();
        GrpoMaTrainer trainer = GrpoMaTrainer.builder().policy(policy).tokenizer(TOK).promptSource(ConditionedPolicyTest::prompts)
                .reward(CompositeReward.builder().add(RewardFunction.of("class",
                        c -> c.answer().equals(c.requireMetadata("expected")) ? 1.0 : 0.0), 1.0).build())
                .config(config).build();
        trainer.fit();
        return trainer.step().metrics().get("accuracy");
    }

    @Test
    void aClassConditionedPolicyWithItsOwnDecoderLearnsWithoutTouchingCore() {
        SameDiffPolicy own = policy(true);
        own.sameDiff().getArrForVarName("w_cls").assign(Nd4j.rand(DataType.FLOAT, 4, V));
        int[][] prefixes = {{TOK.bos(), TOK.beginThought()}, {TOK.bos(), TOK.beginThought(), 7}};
        Map<String, INDArray> cls = Map.of("cls", Nd4j.eye(4).castTo(DataType.FLOAT).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)));
        INDArray mine = own.decoder().prefill(prefixes, cls).nextLogits();
        INDArray full = new RecomputeDecoder(own).prefill(prefixes, cls).nextLogits();
        assertTrue(mine.equalsWithEps(full, 1e-6), mine + " vs " + full);
        own.sameDiff().getArrForVarName("w_cls").assign(0);
        double withOwnDecoder = train(own);
        double withRecompute = train(policy(false));
        assertTrue(withOwnDecoder > 0.9, "own decoder: accuracy " + withOwnDecoder + " (chance 1/" + V + ")");
        assertTrue(withRecompute > 0.9, "recompute: accuracy " + withRecompute);
        assertEquals(RecomputeDecoder.class, policy(false).decoder().getClass());
    }
}
