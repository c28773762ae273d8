package io.github.dl4jgrpoma.examples.image;

import java.util.List;

import io.github.dl4jgrpoma.listener.StepEvent;

/**
 * Everything an image run measured.
 *
 * @param settings           what was run
 * @param sftSeconds         SFT wall-clock time
 * @param rlSeconds          RL wall-clock time
 * @param before             test-split evaluation after SFT, before RL
 * @param after              test-split evaluation after RL
 * @param rlSteps            every RL step's metrics
 * @param imagesEncodedPerStep images the vision encoder encoded per RL step: rollout, reference forward and update,
 *                             each once per prompt ({@code TransformerPolicy.prefixRowsComputed}); NaN when
 *                             no RL step ran in this process (a resume of a finished run)
 * @param checkpoint         directory of the final checkpoint ("" if none)
 */
public record ImageResult(ImageSettings settings, double sftSeconds, double rlSeconds, ImageEvalResult before,
                          ImageEvalResult after, List<StepEvent> rlSteps, double imagesEncodedPerStep, String checkpoint) {
    public ImageResult {
        rlSteps = List.copyOf(rlSteps);
    }
}
