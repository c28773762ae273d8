package io.github.dl4jgrpoma.reward;

/**
 * A reward threw or returned a non-finite value under {@link RewardErrorPolicy#fail()}. The message names
 * the reward, the prompt/thought/answer indices, excerpts of prompt and answer, the problem and the fix;
 * the original exception, if any, is the cause.
 */
public final class RewardException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** Longest excerpt of prompt or answer in a message. */
    static final int EXCERPT_CHARS = 80;

    private final String rewardName;
    private final int promptIndex;
    private final int thoughtIndex;
    private final int answerIndex;

    /**
     * @param rewardName name of the failing reward
     * @param ctx        the sample being scored
     * @param problem    what went wrong, e.g. "returned NaN" or "threw IllegalStateException: boom"
     * @param cause      the exception thrown by the reward, or null
     */
    public RewardException(String rewardName, RewardContext ctx, String problem, Throwable cause) {
        super("reward '" + rewardName + "' failed on prompt " + ctx.promptIndex() + ", thought " + ctx.thoughtIndex()
                + ", answer " + ctx.answerIndex() + ": " + problem + " (prompt: " + excerpt(ctx.prompt())
                + ", answer: " + excerpt(ctx.answer()) + "); fix: make the reward return a finite number for"
                + " this input, or use RewardErrorPolicy.substitute(value) to score such samples with a fixed value"
                + " and count them", cause);
        this.rewardName = rewardName;
        this.promptIndex = ctx.promptIndex();
        this.thoughtIndex = ctx.thoughtIndex();
        this.answerIndex = ctx.answerIndex();
    }

    /** Name of the failing reward. */
    public String rewardName() {
        return rewardName;
    }

    /** Prompt index of the failing sample. */
    public int promptIndex() {
        return promptIndex;
    }

    /** Thought index of the failing sample. */
    public int thoughtIndex() {
        return thoughtIndex;
    }

    /** Answer index of the failing sample. */
    public int answerIndex() {
        return answerIndex;
    }

    /**
     * A quoted one-line excerpt: line breaks and tabs escaped, cut after {@value #EXCERPT_CHARS} characters
     * with the full length noted.
     */
    static String excerpt(String s) {
        String flat = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        if (flat.length() <= EXCERPT_CHARS) {
            return "\"" + flat + "\"";
        }
        return "\"" + flat.substring(0, EXCERPT_CHARS) + "...\" (" + s.length() + " chars)";
    }
}
