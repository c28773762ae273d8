package io.github.dl4jgrpoma.reward;

/** What a {@link RewardScorer} does when a reward throws or returns NaN or an infinity. */
public enum RewardFailureMode {
    /** Stop with a {@link RewardException} (default). */
    FAIL,
    /** Score the failing reward with a configured value and count the failure. */
    SUBSTITUTE
}
