package io.github.dl4jgrpoma.examples.code;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.nd4j.linalg.api.ndarray.INDArray;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.ExecutorSettings;
import io.github.dl4jgrpoma.examples.RolloutExecutors;
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.StudyArgs;
import io.github.dl4jgrpoma.examples.StudyRun;
import io.github.dl4jgrpoma.examples.StudyTable;
import io.github.dl4jgrpoma.examples.math.StudyShape;

/**
 * {@code bin/grpoma study --task code}: T16A1 (GRPO), T4A4 and T4A1 (GRPO) on the code task, each shape from the
 * same SFT policy of its seed (the weights are restored before every shape), with the same RL step budget and
 * prompts per step, over several seeds. Writes {@code study.md} (see {@link StudyTable} for the definitions; the
 * greedy score is held-out accuracy, the sampled one held-out pass@1) and {@code study_reward.png}.
 *
 * <p>The study's SFT is shorter than a {@code bin/grpoma code} run's ({@link #defaults()}), so that its 9 runs
 * (3 shapes x 3 seeds) fit in well under an hour on the shared 2-core machine; flags override it.
 */
public final class CodeStudy {
    static final String DEFAULT_OUT = "runs/study-code";
    /** Code flags the study sets itself. */
    static final Set<String> NOT_ACCEPTED = Set.of("k", "m", "estimator", "seed");
    /**
     * SFT steps per seed of the study (our choice: 300 instead of a code run's 500; SFT is three quarters of a default
     * code run's time, and at 300 steps its token accuracy is within about 1 % of the end value).
     */
    static final int STUDY_SFT_STEPS = 300;

    private CodeStudy() {
    }

    /**
     * The study's settings: those of {@code bin/grpoma code} (60 RL steps of 8 prompts per run) with
     * {@value #STUDY_SFT_STEPS} SFT steps per seed, so that 3 SFT phases and 9 RL phases take about half an hour on
     * the shared 2-core machine.
     */
    public static CodeSettings defaults() {
        return CodeSettings.defaults().with("sftSteps", STUDY_SFT_STEPS);
    }

    /** The study's options: the code flags it accepts, {@code --out} with its own default, and its own flags. */
    public static Options options() {
        Options o = new Options();
        RunDirectory.addOptions(o, DEFAULT_OUT, "config.json, study.md, study_reward.png, seed-N/{sft,<shape>}");
        CodeCommand.FLAGS.addTo(o, defaults(), NOT_ACCEPTED);
        o.addOption(Option.builder().longOpt("task").hasArg().argName("NAME").desc("code: this study").build());
        o.addOption(Option.builder().longOpt("seeds").hasArg().argName("N").desc("seeds 1..N (default 3)").build());
        o.addOption(Option.builder().longOpt("shapes").hasArg().argName("LIST")
                .desc("shapes to run (default T16A1,T4A4,T4A1); M = 1 runs plain GRPO").build());
        return o;
    }

    /** The study-level flags {@code --resume} restores ({@link StudyArgs#PLAN}). */
    static final List<String> PLAN_KEYS = List.of("seeds", "shapes");

    /** Runs the study; {@code args} are the study command's arguments (with {@code --task code}). */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        StudyArgs.rejectFixed(args, NOT_ACCEPTED, "K, M, the estimator and the seeds", "--shapes and --seeds");
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, "study --task code", "T16A1 vs T4A4 vs T4A1 on the code task over seeds: markdown"
                    + " table and reward plot (long)", options);
            return 0;
        }
        cl = StudyArgs.resumePlan(cl, args, options, PLAN_KEYS, DEFAULT_OUT);
        // the study's runs are in-process (a --config from a run on another executor must not say otherwise)
        CodeSettings base = CodeCommand.FLAGS.parseRun(cl, defaults(), DEFAULT_OUT).with("rollouts", ExecutorSettings.defaults());
        int seeds = CliSupport.intOpt(cl, "seeds", 3, 1, 100);
        List<StudyShape> shapes = StudyArgs.shapes(cl, "T16A1,T4A4,T4A1", shape -> withShape(base, shape));
        try (RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, List.of("config.json", "seed-*", "study.md",
                "study_reward.png", StudyArgs.PLAN))) {
            if (!dir.resume()) {
                StudyArgs.savePlan(dir.path(), cl, PLAN_KEYS);
            }
            ConfigJson.write(dir.path().resolve("config.json"), base);
            RunTimer total = new RunTimer();
            study(base, seeds, shapes, dir.path(), dir.resume(), total, out, err);
            out.printf(Locale.ROOT, "%nstudy took %.0f min; table in %s%n", total.seconds() / 60,
                    dir.path().resolve("study.md").toAbsolutePath());
        }
        return 0;
    }

    /** The study into {@code root}; returns the runs in order (seed-major). */
    static List<StudyRun> study(CodeSettings base, int seeds, List<StudyShape> shapes, Path root, boolean resume,
                                RunTimer total, PrintStream out, PrintStream err) throws Exception {
        List<StudyRun> runs = new ArrayList<>();
        StudyTable table = new StudyTable("accuracy", "pass@1");
        for (int seed = 1; seed <= seeds; seed++) {
            Path seedDir = root.resolve("seed-" + seed);
            CodeSettings sftSettings = base.with("seed", seed);
            CodeWarmUp w = CodeExperiment.warmUp(sftSettings, seedDir.resolve("sft"), resume, out, err);
            Map<String, INDArray> sftWeights = new LinkedHashMap<>();
            w.policy().parameters().forEach((name, arr) -> sftWeights.put(name, arr.dup()));
            for (StudyShape shape : shapes) {
                w.policy().parameters().forEach((name, arr) -> arr.assign(sftWeights.get(name)));
                CodeSettings s = withShape(sftSettings, shape);
                CodeResult r = CodeExperiment.reinforce(s, seedDir.resolve(shape.name()), resume,
                        RolloutExecutors.inProcess(), w, out, err);
                StudyRun run = new StudyRun(shape.name(), s.estimator(), s.thoughts() * s.answers(), seed,
                        r.heldOutBefore().greedyAccuracy(), r.heldOutAfter().greedyAccuracy(), r.heldOutBefore().pass1(),
                        r.heldOutAfter().pass1(), r.rlSteps());
                table.add(run);
                runs.add(run);
                out.printf(Locale.ROOT, "[study code] seed %d %-6s greedy accuracy %.3f -> %.3f, pass@1 %.3f -> %.3f,"
                                + " pass@%d %.3f -> %.3f, RL %.0f s (%.0f min so far)%n", seed, shape.name(),
                        run.before(), run.after(), run.sampledBefore(), run.sampledAfter(), s.passK(),
                        r.heldOutBefore().passK(), r.heldOutAfter().passK(), r.rlSeconds(), total.seconds() / 60);
            }
        }
        String md = "# GRPO-MA study on the code task\n\n" + table.markdown();
        AtomicFiles.writeString(root.resolve("study.md"), md);
        table.writeRewardPlot(root);
        out.println();
        out.print(md);
        return runs;
    }

    private static CodeSettings withShape(CodeSettings s, StudyShape shape) {
        return s.with("thoughts", shape.thoughts()).with("answers", shape.answers()).with("estimator", shape.estimator());
    }
}
