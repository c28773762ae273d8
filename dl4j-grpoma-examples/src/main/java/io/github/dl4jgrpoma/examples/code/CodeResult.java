package io.github.dl4jgrpoma.examples.code;

import java.util.List;
import java.util.Map;

import io.github.dl4jgrpoma.examples.code.lang.FailureCause;
import io.github.dl4jgrpoma.listener.StepEvent;

/**
 * The numbers of one code run.
 *
 * @param settings           the settings
 * @param sftSeconds         SFT wall time
 * @param rlSeconds          RL wall time
 * @param heldOutBefore      held-out evaluation after SFT
 * @param heldOutAfter       held-out evaluation after RL
 * @param combosBefore       held-out parameter combinations after SFT
 * @param combosAfter        held-out parameter combinations after RL
 * @param trainingFailures   failed sandbox runs of the RL answers, by cause (empty when the rewards ran in Spark tasks)
 * @param rlSteps            every RL step event
 * @param checkpoint         path of the final checkpoint ("" if none)
 */
public record CodeResult(CodeSettings settings, double sftSeconds, double rlSeconds, CodeEval heldOutBefore,
                         CodeEval heldOutAfter, CodeEval combosBefore, CodeEval combosAfter,
                         Map<FailureCause, Long> trainingFailures, List<StepEvent> rlSteps, String checkpoint) {
    public CodeResult {
        trainingFailures = Map.copyOf(trainingFailures);
        rlSteps = List.copyOf(rlSteps);
    }
}
