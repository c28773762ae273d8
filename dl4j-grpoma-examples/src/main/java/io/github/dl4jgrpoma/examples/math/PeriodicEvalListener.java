package io.github.dl4jgrpoma.examples.math;

import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;

/**
 * Every {@code every} RL steps, measures held-out greedy accuracy (the study's "steps and wall-clock to a
 * target accuracy"). Its own time is subtracted from the reported training time. {@code every = 0} turns it off.
 */
final class PeriodicEvalListener implements TrainingListener {
    private final MathEvaluator evaluator;
    private final List<MathProblem> problems;
    private final int every;
    private final long seed;
    private final List<EvalPoint> points = new ArrayList<>();
    private double evalSeconds;

    PeriodicEvalListener(MathEvaluator evaluator, List<MathProblem> problems, int every, long seed) {
        this.evaluator = evaluator;
        this.problems = List.copyOf(problems);
        this.every = every;
        this.seed = seed;
    }

    @Override
    public ListenerResponse onStep(StepEvent e) {
        if (every > 0 && StepEvent.PHASE_RL.equals(e.phase()) && (e.step() % every == 0 || e.isLast())) {
            RunTimer t = new RunTimer();
            double acc = evaluator.evaluate(problems, seed).greedyAccuracy();
            double trainSeconds = e.elapsedMillis() / 1000.0 - evalSeconds;
            evalSeconds += t.seconds();
            points.add(new EvalPoint(e.step(), trainSeconds, acc));
        }
        return ListenerResponse.CONTINUE;
    }

    List<EvalPoint> points() {
        return List.copyOf(points);
    }

    double evalSeconds() {
        return evalSeconds;
    }
}
