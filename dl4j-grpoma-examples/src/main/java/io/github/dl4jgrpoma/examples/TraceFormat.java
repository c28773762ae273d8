package io.github.dl4jgrpoma.examples;

import io.github.dl4jgrpoma.policy.Tokenizer;

/**
 * The token layout every example shares: a prompt is {@code BOS + text + <think>}, a completion is
 * {@code thought + </think> + answer + EOS}.
 */
public final class TraceFormat {
    private TraceFormat() {
    }

    /** {@code BOS + encode(text) + <think>}. */
    public static int[] prompt(Tokenizer tok, String text) {
        int[] t = tok.encode(text);
        int[] out = new int[t.length + 2];
        out[0] = tok.bos();
        System.arraycopy(t, 0, out, 1, t.length);
        out[out.length - 1] = tok.beginThought();
        return out;
    }

    /** {@code encode(thought) + </think> + encode(answer) + EOS}. */
    public static int[] completion(Tokenizer tok, String thought, String answer) {
        int[] th = tok.encode(thought);
        int[] an = tok.encode(answer);
        int[] out = new int[th.length + an.length + 2];
        System.arraycopy(th, 0, out, 0, th.length);
        out[th.length] = tok.endOfThought();
        System.arraycopy(an, 0, out, th.length + 1, an.length);
        out[out.length - 1] = tok.eos();
        return out;
    }
}
