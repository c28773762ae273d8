package io.github.dl4jgrpoma.reward;

import java.time.Duration;

/**
 * A reward call ran longer than the per-answer timeout of a {@link ParallelRewardScorer}. It is the
 * failure the {@link RewardErrorPolicy} sees: under FAIL it becomes the cause of a {@link RewardException};
 * under SUBSTITUTE the sample scores the substitute value and is counted.
 */
public final class RewardTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param rewardName the reward that ran too long
     * @param timeout    the limit it passed
     */
    public RewardTimeoutException(String rewardName, Duration timeout) {
        super("reward '" + rewardName + "' ran longer than the per-answer timeout of " + timeout.toMillis()
                + " ms and was interrupted; fix: make it faster, raise the timeout, or let it check"
                + " Thread.interrupted()");
    }
}
