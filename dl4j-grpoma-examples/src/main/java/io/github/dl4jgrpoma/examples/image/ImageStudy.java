package io.github.dl4jgrpoma.examples.image;

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
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.examples.StudyArgs;
import io.github.dl4jgrpoma.examples.StudyRun;
import io.github.dl4jgrpoma.examples.StudyTable;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.examples.math.StudyShape;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;

/**
 * {@code bin/grpoma study --task image}: T16A1 (GRPO), T4A4 and T4A1 (GRPO) on the image tasks, each shape from
 * the same SFT policy of its seed (the weights are restored before every shape), with the same RL step budget and
 * prompts per step, over several seeds. Writes {@code study.md} per image task (see {@link StudyTable} for the
 * definitions) and {@code study_reward.png}.
 */
public final class ImageStudy {
    static final String DEFAULT_OUT = "runs/study-image";
    /** Image flags the study sets itself. */
    static final Set<String> NOT_ACCEPTED = Set.of("k", "m", "estimator", "seed", "task");

    private ImageStudy() {
    }

    /** The study's options: the image flags it accepts, {@code --out} with its own default, and its own flags. */
    public static Options options() {
        Options o = ImageCommand.options(DEFAULT_OUT, NOT_ACCEPTED);
        o.addOption(Option.builder().longOpt("image-tasks").hasArg().argName("LIST")
                .desc("image tasks to study: digit-sum,locate (default both)").build());
        o.addOption(Option.builder().longOpt("seeds").hasArg().argName("N").desc("seeds 1..N (default 3)").build());
        o.addOption(Option.builder().longOpt("shapes").hasArg().argName("LIST")
                .desc("shapes to run (default T16A1,T4A4,T4A1); M = 1 runs plain GRPO").build());
        return o;
    }

    /** The study-level flags {@code --resume} restores ({@link StudyArgs#PLAN}). */
    static final List<String> PLAN_KEYS = List.of("seeds", "shapes", "image-tasks");

    /** Runs the study; {@code args} are the study command's arguments (with {@code --task image}). */
    public static int run(String[] studyArgs, PrintStream out, PrintStream err) throws Exception {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < studyArgs.length; i++) {
            if (studyArgs[i].equals("--task")) {
                i++;                                    // --task image: chose this study; the image tasks are --image-tasks
            } else if (!studyArgs[i].startsWith("--task=")) {
                rest.add(studyArgs[i]);
            }
        }
        String[] args = rest.toArray(String[]::new);
        StudyArgs.rejectFixed(args, NOT_ACCEPTED, "K, M, the estimator, the seeds and the task",
                "--shapes, --seeds and --image-tasks");
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, "study --task image", "T16A1 vs T4A4 vs T4A1 on the MNIST image tasks over seeds:"
                    + " markdown table per task and reward plot (long)", options);
            return 0;
        }
        cl = StudyArgs.resumePlan(cl, args, options, PLAN_KEYS, DEFAULT_OUT);
        ImageSettings base = ImageCommand.settings(cl, DEFAULT_OUT);
        int seeds = CliSupport.intOpt(cl, "seeds", 3, 1, 100);
        List<StudyShape> shapes = StudyArgs.shapes(cl, "T16A1,T4A4,T4A1",
                shape -> base.withShape(shape.thoughts(), shape.answers(), shape.estimator()));
        List<String> tasks = new ArrayList<>();
        for (String t : CliSupport.value(cl, "image-tasks", DigitSumTask.NAME + "," + LocateTask.NAME).split(",")) {
            try {
                tasks.add(base.with("task", t.trim()).task());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--image-tasks: " + e.getMessage());
            }
        }
        try (RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, List.of("config.json", "digit-sum", "locate",
                StudyArgs.PLAN))) {
            if (!dir.resume()) {
                StudyArgs.savePlan(dir.path(), cl, PLAN_KEYS);
            }
            MnistImages[] data = ImageCommand.data(cl);
            ConfigJson.write(dir.path().resolve("config.json"), base);
            RunTimer total = new RunTimer();
            for (String task : tasks) {
                study(base.with("task", task), seeds, shapes, dir.path().resolve(task), dir.resume(), data, total, out, err);
            }
            out.printf(Locale.ROOT, "%nstudy took %.0f min; tables in %s/<task>/study.md%n", total.seconds() / 60, dir.path());
        }
        return 0;
    }

    /** One image task's study into {@code root}; returns the runs in order (seed-major). */
    static List<StudyRun> study(ImageSettings base, int seeds, List<StudyShape> shapes, Path root, boolean resume,
                                MnistImages[] data, RunTimer total, PrintStream out, PrintStream err) throws Exception {
        ImageTask task = base.imageTask();
        List<StudyRun> runs = new ArrayList<>();
        StudyTable table = new StudyTable(task.scoreName(), DigitSumTask.NAME.equals(base.task()) ? "pass@1" : task.scoreName());
        for (int seed = 1; seed <= seeds; seed++) {
            Path seedDir = root.resolve("seed-" + seed);
            ImageSettings sftSettings = base.with("seed", seed);
            ImageWarmUp w = ImageExperiment.warmUp(sftSettings, seedDir.resolve("sft"), resume, data[0], data[1], out, err);
            Map<String, INDArray> sftWeights = new LinkedHashMap<>();
            w.policy().parameters().forEach((name, arr) -> sftWeights.put(name, arr.dup()));
            for (StudyShape shape : shapes) {
                w.policy().parameters().forEach((name, arr) -> arr.assign(sftWeights.get(name)));
                ImageSettings s = sftSettings.withShape(shape.thoughts(), shape.answers(), shape.estimator());
                ImageResult r = ImageExperiment.reinforce(s, seedDir.resolve(shape.name()), resume, w, data[0], data[1], out, err);
                StudyRun run = new StudyRun(shape.name(), s.estimator(), s.thoughts() * s.answers(), seed,
                        r.before().greedyScore(), r.after().greedyScore(), r.before().sampledScore(), r.after().sampledScore(),
                        r.rlSteps());
                table.add(run);
                runs.add(run);
                out.printf(Locale.ROOT, "[study %s] seed %d %-6s greedy %s %.3f -> %.3f, sampled %s, RL %.0f s"
                                + " (%.0f min so far)%n", task.name(), seed, shape.name(), task.scoreName(), r.before().greedyScore(),
                        r.after().greedyScore(), s.evalSamples() == 0 ? "n/a (--eval-samples 0)"
                                : ReportText.score(r.before().sampledScore()) + " -> " + ReportText.score(r.after().sampledScore()),
                        r.rlSeconds(), total.seconds() / 60);
            }
        }
        String md = "# GRPO-MA study on the image task " + task.name() + "\n\n" + table.markdown();
        AtomicFiles.writeString(root.resolve("study.md"), md);
        table.writeRewardPlot(root);
        out.println();
        out.print(md);
        return runs;
    }
}
