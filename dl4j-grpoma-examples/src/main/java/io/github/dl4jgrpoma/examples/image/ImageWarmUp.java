package io.github.dl4jgrpoma.examples.image;

import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The outcome of an image run's SFT warm-up.
 *
 * @param policy     the vision-language policy after SFT (RL continues training it in place)
 * @param sftSeconds SFT wall-clock time
 * @param before     test-split evaluation after SFT
 */
public record ImageWarmUp(TransformerPolicy policy, double sftSeconds, ImageEvalResult before) {
}
