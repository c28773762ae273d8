package io.github.dl4jgrpoma.examples.math;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import io.github.dl4jgrpoma.examples.RunTimer;
import io.github.dl4jgrpoma.checkpoint.AtomicFiles;
import io.github.dl4jgrpoma.config.ConfigJson;
import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.examples.ExecutorSettings;
import io.github.dl4jgrpoma.examples.ReportText;
import io.github.dl4jgrpoma.examples.RunDirectory;
import io.github.dl4jgrpoma.examples.StudyArgs;
import io.github.dl4jgrpoma.examples.UsageException;
import io.github.dl4jgrpoma.algo.GrpoMaEstimator;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * {@code bin/grpoma study}: T16A1 (GRPO), T4A4, T4A1 (GRPO), T2A8 and the M sweep T4A1/T4A2/T4A4/T4A8 on the
 * math task, each from the same SFT policy of its seed, with the same RL step budget and prompts per step, over
 * several seeds. Writes {@code study.md} (see {@link StudyReport} for the definitions) and plots.
 */
public final class StudyCommand implements Command {

    /** The study-level flags {@code --resume} restores ({@link StudyArgs#PLAN}). */
    static final List<String> PLAN_KEYS = List.of("seeds", "shapes", "variants");

    @Override
    public String name() {
        return "study";
    }

    @Override
    public String summary() {
        return "T16A1 vs T4A4 vs T4A1 vs T2A8 and the M sweep over seeds: markdown table and plots (long)";
    }

    /** Math flags the study sets itself. */
    static final Set<String> NOT_ACCEPTED = Set.of("k", "m", "estimator", "seed");
    static final String DEFAULT_OUT = "runs/study";

    /** The study's options: the math flags it accepts, {@code --out} with its own default, and its own flags. */
    static Options options() {
        Options options = MathCommand.options(DEFAULT_OUT, NOT_ACCEPTED);
        options.addOption(Option.builder().longOpt("task").hasArg().argName("NAME")
                .desc("math (default), image or code (see study --task image --help, study --task code --help)").build());
        options.addOption(Option.builder().longOpt("seeds").hasArg().argName("N").desc("seeds 1..N (default 3)").build());
        options.addOption(Option.builder().longOpt("shapes").hasArg().argName("LIST")
                .desc("shapes to run (default T16A1,T4A4,T4A1,T2A8,T4A2,T4A8); M = 1 runs plain GRPO").build());
        options.addOption(Option.builder().longOpt("variants").hasArg().argName("LIST")
                .desc("instead of shapes, compare GRPO-family variants on T4A4 (comma-separated, or 'all'): "
                        + String.join(",", StudyVariant.all().stream().map(StudyVariant::name).toList())).build());
        options.addOption(Option.builder().longOpt("target").hasArg().argName("X")
                .desc("target held-out accuracy for 'steps to target' (default: halfway from SFT to the best shape)").build());
        return options;
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String task = taskOf(args);
        if (task.equals("image")) {
            return io.github.dl4jgrpoma.examples.image.ImageStudy.run(args, out, err);
        }
        if (task.equals("code")) {
            return io.github.dl4jgrpoma.examples.code.CodeStudy.run(args, out, err);
        }
        if (!task.equals("math")) {
            throw new UsageException("--task " + task + " has no study; fix: use --task math (default), image or code");
        }
        StudyArgs.rejectFixed(args, NOT_ACCEPTED, "K, M, the estimator and the seeds", "--shapes and --seeds");
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        cl = StudyArgs.resumePlan(cl, args, options, PLAN_KEYS, DEFAULT_OUT);
        // the study's runs are in-process (a --config from a run on another executor must not say otherwise)
        MathSettings base = MathCommand.settings(cl, MathSettings.defaults(), DEFAULT_OUT)
                .with("rollouts", ExecutorSettings.defaults());
        int seeds = CliSupport.intOpt(cl, "seeds", 3, 1, 100);
        List<StudyShape> shapes = new ArrayList<>();
        if (cl.hasOption("shapes")) {
            for (String s : CliSupport.value(cl, "shapes", null).split(",")) {
                try {
                    shapes.add(StudyShape.parse(s));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--shapes: " + e.getMessage());
                }
            }
        } else {
            shapes.addAll(StudyShape.defaults());
        }
        int evalEvery = base.evalEvery() > 0 ? base.evalEvery() : Math.max(1, base.rlSteps() / 6);
        List<String> names = new ArrayList<>();
        List<MathSettings> runs = new ArrayList<>();
        if (cl.hasOption("variants")) {
            if (cl.hasOption("shapes")) {
                throw new UsageException("--variants and --shapes exclude each other: variants run on T4A4; fix: give one");
            }
            String list = CliSupport.value(cl, "variants", null);
            List<StudyVariant> variants = new ArrayList<>();
            try {
                for (String v : list.split(",")) {
                    if (v.trim().equals("all")) {
                        variants.addAll(StudyVariant.all());
                    } else {
                        variants.add(StudyVariant.parse(v));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException("--variants: " + e.getMessage());
            }
            MathSettings t4a4 = base.withShape(4, 4, GrpoMaEstimator.NAME, evalEvery);
            for (StudyVariant v : variants) {
                names.add(v.name());
                runs.add(v.apply(t4a4));
            }
        } else {
            for (StudyShape shape : shapes) {
                try {
                    runs.add(base.withShape(shape.thoughts(), shape.answers(), shape.estimator(), evalEvery));
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--shapes " + shape.name() + ": " + e.getMessage());
                }
                names.add(shape.name());
            }
        }
        if (cl.hasOption("target")) {
            CliSupport.doubleOpt(cl, "target", 0.5, 0, 1);
        }
        try (RunDirectory dir = RunDirectory.open(cl, DEFAULT_OUT, List.of("config.json", "seed-*", "study.md",
                "study_*.png", StudyArgs.PLAN))) {
            if (!dir.resume()) {
                StudyArgs.savePlan(dir.path(), cl, PLAN_KEYS);
            }
            return study(cl, base, seeds, names, runs, dir, out, err);
        }
    }

    /** The value of {@code --task} (or {@code --task=}) in the arguments; {@code math} when absent. */
    static String taskOf(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--task") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--task=")) {
                return args[i].substring("--task=".length());
            }
        }
        return "math";
    }

    private int study(CommandLine cl, MathSettings base, int seeds, List<String> names, List<MathSettings> runs,
                      RunDirectory dir, PrintStream out, PrintStream err) throws Exception {
        Path root = dir.path();
        ConfigJson.write(root.resolve("config.json"), base);
        StudyReport report = new StudyReport();
        RunTimer total = new RunTimer();
        for (int seed = 1; seed <= seeds; seed++) {
            Path seedDir = root.resolve("seed-" + seed);
            MathSettings sftSettings = base.with("seed", seed);
            WarmUp w = MathExperiment.warmUp(sftSettings, seedDir.resolve("sft"), dir.resume(), out, err);
            File sftModel = seedDir.resolve("sft-policy.sd").toFile();
            w.policy().save(sftModel);
            for (int i = 0; i < runs.size(); i++) {
                String name = names.get(i);
                MathSettings s = runs.get(i).with("seed", seed);
                MathResult r = MathExperiment.reinforce(s, seedDir.resolve(name), dir.resume(),
                        TransformerPolicy.load(sftModel), w, out, err);
                report.add(name, r);
                out.printf(Locale.ROOT, "[study] seed %d %-6s held-out %.3f -> %.3f, pass@1 %s, RL %.0f s (%.0f min so far)%n",
                        seed, name, r.heldOutBefore().greedyAccuracy(), r.heldOutAfter().greedyAccuracy(),
                        s.evalSamples() == 0 ? "n/a (--eval-samples 0)" : ReportText.score(r.heldOutBefore().sampledPass1())
                        + " -> " + ReportText.score(r.heldOutAfter().sampledPass1()), r.rlSeconds(), total.seconds() / 60);
            }
        }
        double target = CliSupport.doubleOpt(cl, "target", report.defaultTarget(), 0, 1);
        String md = "# GRPO-MA study on the math task\n\n" + report.markdown(target);
        AtomicFiles.writeString(root.resolve("study.md"), md);
        report.writePlots(root);
        out.println();
        out.print(md);
        out.printf(Locale.ROOT, "%nstudy took %.0f min; table in %s, plots study_accuracy.png and study_reward.png%n",
                total.seconds() / 60, root.resolve("study.md").toAbsolutePath());
        return 0;
    }
}
