package io.github.dl4jgrpoma.examples.image;

import java.util.Map;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;

/**
 * {@code digit-sum}: two MNIST digits side by side (28x56). Prompt {@code sum?}; thought = the digits read,
 * {@code "3,7"}; answer = their sum, {@code "10"}. A mistake replaces one read digit by another (the sum follows
 * the wrong reading). Metadata: {@code expected} (the sum) and {@code digits} (the true reading).
 */
public final class DigitSumTask implements ImageTask {
    /** CLI name. */
    public static final String NAME = "digit-sum";
    /** Metadata key of the true reading, e.g. {@code 3,7}. */
    public static final String DIGITS = "digits";
    /** Metadata key of the exact sum (the key {@link ImageRewards} reads). */
    public static final String EXPECTED = ImageRewards.EXPECTED;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImageShape shape() {
        return new ImageShape(1, 28, 56);
    }

    @Override
    public String promptText() {
        return "sum?";
    }

    @Override
    public String alphabet() {
        return "0123456789,sum?";
    }

    @Override
    public int maxThoughtChars() {
        return 3;
    }

    @Override
    public int maxAnswerChars() {
        return 2;
    }

    @Override
    public String trueReading(ImageProblem p) {
        return p.truth(DIGITS);
    }

    @Override
    public double score(ImageProblem p, String answer) {
        return answer.equals(p.truth(EXPECTED)) ? 1.0 : 0.0;
    }

    @Override
    public String scoreName() {
        return "sum accuracy";
    }

    @Override
    public ImageProblem problem(MnistImages images, SplittableRandom rng, boolean mistake, String idPrefix) {
        int i = rng.nextInt(images.count());
        int j = rng.nextInt(images.count());
        float[] px = new float[28 * 56];
        Canvas.paste(images, i, px, 56, 0, 0);
        Canvas.paste(images, j, px, 56, 0, 28);
        int a = images.label(i);
        int b = images.label(j);
        int readA = a;
        int readB = b;
        if (mistake) {
            int wrong = (1 + rng.nextInt(9));
            if (rng.nextBoolean()) {
                readA = (a + wrong) % 10;
            } else {
                readB = (b + wrong) % 10;
            }
        }
        return new ImageProblem(idPrefix + "-" + NAME + "-" + i + "-" + j, shape(), px, promptText(), readA + "," + readB,
                Integer.toString(readA + readB), Map.of(EXPECTED, Integer.toString(a + b), DIGITS, a + "," + b));
    }
}
