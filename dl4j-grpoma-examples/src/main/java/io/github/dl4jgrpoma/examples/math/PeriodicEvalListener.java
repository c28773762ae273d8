package io.github.dl4jgrpoma.examples.math;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import io.github.dl4jgrpoma.examples.ResumedMetrics;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.listener.ListenerResponse;
import io.github.dl4jgrpoma.listener.StepEvent;
import io.github.dl4jgrpoma.listener.TrainingListener;

/**
 * Every {@code every} RL steps, measures held-out greedy accuracy (the study's "steps and wall-clock to a
 * target accuracy"). Its own time is subtracted from the reported training time. {@code every = 0} turns it off.
 * Each point is also appended to {@code file} ({@code step,train_seconds,greedy_accuracy}), from which a resumed
 * run reloads the points of the steps before its checkpoint ({@link #resumeAt(long)}).
 */
final class PeriodicEvalListener implements TrainingListener {
    private final MathEvaluator evaluator;
    private final List<MathProblem> problems;
    private final int every;
    private final long seed;
    private final List<EvalPoint> points = new ArrayList<>();
    private final Path file;
    private double evalSeconds;

    PeriodicEvalListener(MathEvaluator evaluator, List<MathProblem> problems, int every, long seed, Path file) {
        this.evaluator = evaluator;
        this.problems = List.copyOf(problems);
        this.every = every;
        this.seed = seed;
        this.file = file;
    }

    /** Drops the file's points after {@code step} (a resumed run redoes those steps) and keeps the others. */
    void resumeAt(long step) throws IOException {
        for (String row : ResumedMetrics.truncateAfter(file, step, 0)) {
            String[] c = row.split(",");
            points.add(new EvalPoint(Long.parseLong(c[0]), Double.parseDouble(c[1]), Double.parseDouble(c[2])));
        }
    }

    @Override
    public ListenerResponse onStep(StepEvent e) {
        if (every > 0 && StepEvent.PHASE_RL.equals(e.phase()) && (e.step() % every == 0 || e.isLast())) {
            RunTimer t = new RunTimer();
            double acc = evaluator.evaluate(problems, seed).greedyAccuracy();
            double trainSeconds = e.elapsedMillis() / 1000.0 - evalSeconds;
            evalSeconds += t.seconds();
            points.add(new EvalPoint(e.step(), trainSeconds, acc));
            try {
                if (!Files.exists(file)) {
                    Files.writeString(file, "step,train_seconds,greedy_accuracy\n", StandardCharsets.UTF_8);
                }
                Files.writeString(file, e.step() + "," + trainSeconds + "," + acc + "\n", StandardCharsets.UTF_8,
                        StandardOpenOption.APPEND);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot append to " + file + ": " + ex, ex);
            }
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
