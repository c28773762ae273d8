package io.github.dl4jgrpoma.reward;

import java.util.Map;

/**
 * Mutable builder of {@link RewardContext}; obtain one with {@link RewardContext#builder()}. Defaults: all
 * indices 0, empty texts, empty metadata, no tokens, not truncated. Validation happens in
 * {@link #build()}.
 */
public final class RewardContextBuilder {
    private int promptIndex;
    private int thoughtIndex;
    private int answerIndex;
    private String prompt = "";
    private Map<String, String> metadata = Map.of();
    private String thought = "";
    private int[] thoughtTokens = new int[0];
    private boolean thoughtTruncated;
    private String answer = "";
    private int[] answerTokens = new int[0];
    private boolean answerTruncated;

    RewardContextBuilder() {
    }

    /** Sets the prompt, thought and answer indices at once. */
    public RewardContextBuilder indices(int promptIndex, int thoughtIndex, int answerIndex) {
        this.promptIndex = promptIndex;
        this.thoughtIndex = thoughtIndex;
        this.answerIndex = answerIndex;
        return this;
    }

    /** Sets the prompt text. */
    public RewardContextBuilder prompt(String prompt) {
        this.prompt = prompt;
        return this;
    }

    /** Sets the prompt's task metadata (copied at {@link #build()}). */
    public RewardContextBuilder metadata(Map<String, String> metadata) {
        this.metadata = metadata;
        return this;
    }

    /** Sets the thought text and tokens. */
    public RewardContextBuilder thought(String text, int... tokens) {
        this.thought = text;
        this.thoughtTokens = tokens;
        return this;
    }

    /** Marks the thought as cut at its length cap. */
    public RewardContextBuilder thoughtTruncated(boolean truncated) {
        this.thoughtTruncated = truncated;
        return this;
    }

    /** Sets the answer text and tokens. */
    public RewardContextBuilder answer(String text, int... tokens) {
        this.answer = text;
        this.answerTokens = tokens;
        return this;
    }

    /** Marks the answer as cut at its length cap. */
    public RewardContextBuilder answerTruncated(boolean truncated) {
        this.answerTruncated = truncated;
        return this;
    }

    /** Builds the validated, immutable context. */
    public RewardContext build() {
        return new RewardContext(promptIndex, thoughtIndex, answerIndex, prompt, metadata, thought, thoughtTokens,
                thoughtTruncated, answer, answerTokens, answerTruncated);
    }
}
