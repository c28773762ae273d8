package io.github.dl4jgrpoma.examples.image;

import java.util.Map;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import io.github.dl4jgrpoma.multimodal.vision.ImageShape;

/**
 * {@code locate}: one MNIST digit pasted at a random position of a 56x56 canvas. Prompt {@code box?}; thought =
 * the digit's class, {@code "7"}; answer = its bounding box on a 7x7 grid of 8-pixel cells as
 * {@code x0,y0,x1,y1} (inclusive cells that contain the digit's ink), e.g. {@code "2,1,4,4"}. A mistake is a
 * wrong class or a box edge moved by one cell. Metadata: {@code class} and {@code box} (the truth).
 */
public final class LocateTask implements ImageTask {
    /** CLI name. */
    public static final String NAME = "locate";
    /** Metadata key of the true class. */
    public static final String CLASS = "class";
    /** Metadata key of the true box. */
    public static final String BOX = ImageRewards.BOX;
    /** Canvas side in pixels. */
    public static final int SIDE = 56;
    /** Grid cell side in pixels. */
    public static final int CELL = 8;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ImageShape shape() {
        return new ImageShape(1, SIDE, SIDE);
    }

    @Override
    public String promptText() {
        return "box?";
    }

    @Override
    public String alphabet() {
        return "0123456789,box?";
    }

    @Override
    public int maxThoughtChars() {
        return 1;
    }

    @Override
    public int maxAnswerChars() {
        return 7;
    }

    @Override
    public String trueReading(ImageProblem p) {
        return p.truth(CLASS);
    }

    @Override
    public double score(ImageProblem p, String answer) {
        return ImageRewards.iou(answer, p.truth(BOX));
    }

    @Override
    public String scoreName() {
        return "mean IoU";
    }

    @Override
    public ImageProblem problem(MnistImages images, SplittableRandom rng, boolean mistake, String idPrefix) {
        int i = rng.nextInt(images.count());
        int top = rng.nextInt(SIDE - images.rows() + 1);
        int left = rng.nextInt(SIDE - images.cols() + 1);
        float[] px = new float[SIDE * SIDE];
        Canvas.paste(images, i, px, SIDE, top, left);
        int[] ink = Canvas.inkBox(images, i);
        int[] box = {(left + ink[1]) / CELL, (top + ink[0]) / CELL, (left + ink[3]) / CELL, (top + ink[2]) / CELL};
        int label = images.label(i);
        int shownClass = label;
        int[] shownBox = box.clone();
        if (mistake) {
            if (rng.nextBoolean()) {
                shownClass = (label + 1 + rng.nextInt(9)) % 10;
            } else {
                int edge = rng.nextInt(4);
                int moved = shownBox[edge] + (rng.nextBoolean() ? 1 : -1);
                shownBox[edge] = Math.max(0, Math.min(SIDE / CELL - 1, moved));
                Boxes.order(shownBox);
            }
        }
        return new ImageProblem(idPrefix + "-" + NAME + "-" + i + "-" + top + "-" + left, shape(), px, promptText(),
                Integer.toString(shownClass), Boxes.format(shownBox),
                Map.of(CLASS, Integer.toString(label), BOX, Boxes.format(box)));
    }
}
