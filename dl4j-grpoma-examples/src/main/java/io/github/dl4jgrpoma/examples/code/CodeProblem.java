package io.github.dl4jgrpoma.examples.code;

import java.util.List;

/**
 * One program-synthesis problem: the examples shown in the prompt and the hidden tests the reward checks.
 *
 * @param family      the function family
 * @param params      its parameters (second is 0 for one-parameter families)
 * @param promptText  the shown examples, {@code in>out;in>out;in>out}
 * @param thought     the reference thought
 * @param program     the reference program
 * @param hiddenTests {@code in|out} pairs in the sandbox's value syntax, none of them shown
 */
public record CodeProblem(CodeFamily family, int[] params, String promptText, String thought, String program,
                          List<String> hiddenTests) {

    /** Copies the arrays. */
    public CodeProblem {
        params = params.clone();
        hiddenTests = List.copyOf(hiddenTests);
    }

    @Override
    public int[] params() {
        return params.clone();
    }

    /** The hidden tests as one metadata string, {@code in|out;in|out}. */
    public String testsText() {
        return String.join(";", hiddenTests);
    }
}
