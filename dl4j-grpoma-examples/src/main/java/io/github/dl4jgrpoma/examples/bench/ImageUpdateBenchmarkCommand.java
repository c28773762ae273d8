package io.github.dl4jgrpoma.examples.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import io.github.dl4jgrpoma.examples.CliSupport;
import io.github.dl4jgrpoma.examples.Command;
import io.github.dl4jgrpoma.graph.GradFunctions;
import io.github.dl4jgrpoma.loss.GrpoLoss;
import io.github.dl4jgrpoma.loss.LossConfig;
import io.github.dl4jgrpoma.loss.LossGraph;
import io.github.dl4jgrpoma.multimodal.VisionLanguagePolicies;
import io.github.dl4jgrpoma.multimodal.vision.CnnEncoder;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;
import io.github.dl4jgrpoma.policy.BatchRows;
import io.github.dl4jgrpoma.policy.PolicyInput;
import io.github.dl4jgrpoma.transformer.TransformerConfig;
import io.github.dl4jgrpoma.transformer.TransformerPolicy;

/**
 * The GRPO-MA update (forward + backward of the loss) of the image example's locate model on one packed batch
 * ({@code prompts} x K x M rows, one per answer, every row of a prompt carrying its 56x56 image): with each distinct
 * image encoded once and the layers over its 49 image positions run once (the policy's own feed), against every row
 * encoding its image and running the image positions itself (an identity row map and per-row pixels fed to the same
 * graph: the work the policy did before the sharing). Median of {@code reps} timed passes after {@code warmup}, the
 * modes alternating so that machine load hits both alike; prints the ratio, the images encoded per pass and the
 * largest gradient difference between the modes.
 */
public final class ImageUpdateBenchmarkCommand implements Command {
    private static final ImageShape SHAPE = new ImageShape(1, 56, 56);
    private static final int TEXT = 17;
    private static final int VOCAB = 24;

    @Override
    public String name() {
        return "bench-image-update";
    }

    @Override
    public String summary() {
        return "image GRPO-MA update: each image encoded once per prompt vs once per packed row (seconds)";
    }

    private static Options options() {
        Options o = new Options();
        CliSupport.opt(o, "prompts", "N", "prompts in the batch", 16);
        CliSupport.opt(o, "k", "N", "thoughts per prompt", 4);
        CliSupport.opt(o, "m", "N", "answers per thought", 4);
        CliSupport.opt(o, "reps", "N", "timed passes per mode", 3);
        CliSupport.opt(o, "warmup", "N", "untimed passes per mode first", 1);
        return o;
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Options options = options();
        CommandLine cl = CliSupport.parse(options, args);
        if (cl.hasOption("help")) {
            CliSupport.printUsage(out, name(), summary(), options);
            return 0;
        }
        int prompts = CliSupport.intOpt(cl, "prompts", 16, 1, 1024);
        int k = CliSupport.intOpt(cl, "k", 4, 1, 64);
        int m = CliSupport.intOpt(cl, "m", 4, 1, 64);
        int reps = CliSupport.intOpt(cl, "reps", 3, 1, 100);
        int warmup = CliSupport.intOpt(cl, "warmup", 1, 0, 100);
        TransformerPolicy policy = VisionLanguagePolicies.create(TransformerConfig.builder().vocabSize(VOCAB).width(64)
                .layers(2).heads(4).maxLength(TEXT).seed(1).build(), new CnnEncoder(SHAPE, 8, 16, 32), 2);
        SameDiff sd = policy.sameDiff();
        LossGraph loss = GrpoLoss.attach(sd, sd.getVariable(policy.logitsName()), VOCAB, LossConfig.builder().build());
        int rows = prompts * k * m;
        Random r = new Random(3);
        INDArray images = Nd4j.rand(DataType.FLOAT, prompts, 1, SHAPE.height(), SHAPE.width());
        int[] rowPrompt = new int[rows];
        int[][] tokens = new int[rows][TEXT];
        float[][] thought = new float[rows][TEXT];
        float[][] answer = new float[rows][TEXT];
        float[][] adv = new float[rows][TEXT];
        float[][] old = new float[rows][TEXT];
        for (int b = 0; b < rows; b++) {
            rowPrompt[b] = b / (k * m);
            float a = (float) r.nextGaussian();
            for (int t = 0; t < TEXT; t++) {
                tokens[b][t] = r.nextInt(VOCAB);
                thought[b][t] = t >= 3 && t < 5 ? 1 : 0;
                answer[b][t] = t >= 5 && t < 13 ? 1 : 0;
                adv[b][t] = a;
                old[b][t] = -3f;
            }
        }
        INDArray perRowPixels = BatchRows.select(images, rowPrompt);             // [rows, 1, 56, 56]
        INDArray tokenArray = Nd4j.createFromArray(tokens);
        INDArray targets = Nd4j.createFromArray(tokens);
        Map<String, INDArray> lossFeed = loss.feed(targets, Nd4j.createFromArray(thought), Nd4j.createFromArray(answer),
                Nd4j.createFromArray(adv), Nd4j.createFromArray(old), null);
        long before = policy.prefixRowsComputed();
        Map<String, INDArray> shared = new HashMap<>(lossFeed);
        shared.putAll(policy.feed(PolicyInput.of(tokenArray, Map.of("pixels", perRowPixels))));
        long encodedShared = policy.prefixRowsComputed() - before;
        Map<String, INDArray> perRow = new HashMap<>(shared);
        perRow.put("pixels", perRowPixels);
        perRow.put(TransformerPolicy.PREFIX_ROWS, Nd4j.eye(rows).castTo(policy.dataType()));

        GradFunctions.createQuietly(sd);
        List<String> vars = policy.trainableVariables();
        for (int w = 0; w < warmup; w++) {
            sd.calculateGradients(perRow, vars);
            sd.calculateGradients(shared, vars);
        }
        double[] perRowS = new double[reps];
        double[] sharedS = new double[reps];
        Map<String, INDArray> gPerRow = null;
        Map<String, INDArray> gShared = null;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            gPerRow = sd.calculateGradients(perRow, vars);
            long t1 = System.nanoTime();
            gShared = sd.calculateGradients(shared, vars);
            long t2 = System.nanoTime();
            perRowS[i] = (t1 - t0) / 1e9;
            sharedS[i] = (t2 - t1) / 1e9;
        }
        double maxDiff = 0;
        for (String v : vars) {
            maxDiff = Math.max(maxDiff, gShared.get(v).sub(gPerRow.get(v)).amaxNumber().doubleValue());
        }
        Arrays.sort(perRowS);
        Arrays.sort(sharedS);
        out.printf(Locale.ROOT, "image GRPO-MA update (forward + backward), locate model: CNN on %s -> %d image tokens,"
                + " width 64, 2 layers, %d text positions; %d prompts x T%dA%d = %d rows%n", SHAPE, policy.prefixLength(),
                TEXT, prompts, k, m, rows);
        out.printf(Locale.ROOT, "every row encodes its image:   median %7.3f s (min %.3f, max %.3f, %d reps), %d images per pass%n",
                perRowS[reps / 2], perRowS[0], perRowS[reps - 1], reps, rows);
        out.printf(Locale.ROOT, "each image once per prompt:    median %7.3f s (min %.3f, max %.3f), %d images per pass%n",
                sharedS[reps / 2], sharedS[0], sharedS[reps - 1], encodedShared);
        out.printf(Locale.ROOT, "per-row / shared = %.2fx; max |gradient difference| %.2e (float)%n",
                perRowS[reps / 2] / sharedS[reps / 2], maxDiff);
        return 0;
    }
}
