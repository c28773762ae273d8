package io.github.dl4jgrpoma.examples.image;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.data.Conditioning;
import io.github.dl4jgrpoma.data.Prompt;
import io.github.dl4jgrpoma.data.PromptSource;
import io.github.dl4jgrpoma.data.SftExample;
import io.github.dl4jgrpoma.examples.TraceFormat;
import io.github.dl4jgrpoma.multimodal.VisionLanguagePolicies;
import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.multimodal.vision.VisionPrefix;
import io.github.dl4jgrpoma.policy.Tokenizer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Prompts and SFT traces of an image task: the image as conditioning {@value VisionPrefix#PIXELS} {@code [C,H,W]},
 * the tokens {@code BOS + prompt + <think>}, the truth as metadata. {@link #sample} draws training prompts from
 * the images it was given (the training split), so the trainer never sees a test image.
 */
public final class ImagePrompts implements PromptSource {
    private final ImageTask task;
    private final MnistImages images;
    private final Tokenizer tokenizer;
    private final String split;

    /**
     * @param images the split prompts are drawn from (the 60k train split for training)
     * @param split  name of the split, first part of every prompt id
     */
    public ImagePrompts(ImageTask task, MnistImages images, Tokenizer tokenizer, String split) {
        this.task = task;
        this.images = images;
        this.tokenizer = tokenizer;
        this.split = split;
    }

    /** The prompt of a problem. */
    public Prompt prompt(ImageProblem p) {
        return new Prompt(p.id(), p.promptText(), TraceFormat.prompt(tokenizer, p.promptText()), conditioning(p), p.metadata());
    }

    /** The SFT trace of a problem: its (possibly mistaken) thought and answer. */
    public SftExample trace(ImageProblem p) {
        return new SftExample(TraceFormat.prompt(tokenizer, p.promptText()),
                TraceFormat.completion(tokenizer, p.thought(), p.answer()), conditioning(p));
    }

    /** {@code count} problems drawn from {@code rng}; with {@code mistakeRate} of them mistaken. */
    public List<ImageProblem> problems(int count, SplittableRandom rng, double mistakeRate) {
        List<ImageProblem> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(task.problem(images, rng, mistakeRate > 0 && rng.nextDouble() < mistakeRate, split));
        }
        return out;
    }

    @Override
    public List<Prompt> sample(int count, SplittableRandom rng) {
        List<Prompt> out = new ArrayList<>(count);
        for (ImageProblem p : problems(count, rng, 0)) {
            out.add(prompt(p));
        }
        return out;
    }

    /** The pixels of a problem as the conditioning array {@code [C,H,W]} (float). */
    public static Conditioning conditioning(ImageProblem p) {
        return VisionLanguagePolicies.image(p.pixels(), p.shape(), DataType.FLOAT);
    }
}
