package io.github.dl4jgrpoma.examples;

/**
 * Where a resumed SFT phase continues ({@link ResumedMetrics#resumeSft}).
 *
 * @param step     SFT steps restored from the newest valid checkpoint (0 without one)
 * @param lastLoss {@code sft/loss} of the last kept metrics row (NaN if none)
 */
public record ResumedSft(long step, double lastLoss) {
}
