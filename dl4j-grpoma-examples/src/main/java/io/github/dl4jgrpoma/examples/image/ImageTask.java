package io.github.dl4jgrpoma.examples.image;

import java.util.SplittableRandom;

import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;

/**
 * An image task built from MNIST digits. {@link #problem} composes an image from digits of the given split and
 * the rng; with {@code mistake} the demonstration thought contains one wrong reading and the answer follows
 * consistently from it (the SFT warm-up's controlled mistakes), while the metadata keeps the truth.
 */
public interface ImageTask {

    /** CLI name, e.g. {@code digit-sum}. */
    String name();

    /** Shape of the task's images. */
    ImageShape shape();

    /** Prompt text, the same for every problem (the image carries the question's content). */
    String promptText();

    /** Characters that prompts, thoughts and answers use. */
    String alphabet();

    /** Longest thought in characters. */
    int maxThoughtChars();

    /** Longest answer in characters. */
    int maxAnswerChars();

    /**
     * A problem from {@code images}.
     *
     * @param idPrefix prefix of the problem id, e.g. {@code train} or {@code test}
     */
    ImageProblem problem(MnistImages images, SplittableRandom rng, boolean mistake, String idPrefix);

    /** The true reading a correct thought equals: the two digits ({@code 3,7}) or the class ({@code 7}). */
    String trueReading(ImageProblem p);

    /** Task score of an answer: 1/0 for the exact sum, or the IoU of the box. */
    double score(ImageProblem p, String answer);

    /** Name of {@link #score} in summaries. */
    String scoreName();

    /** The task of a CLI name. */
    static ImageTask byName(String name) {
        return switch (name) {
            case DigitSumTask.NAME -> new DigitSumTask();
            case LocateTask.NAME -> new LocateTask();
            default -> throw new IllegalArgumentException("unknown image task '" + name + "'; use "
                    + DigitSumTask.NAME + " or " + LocateTask.NAME);
        };
    }
}
