package io.github.dl4jgrpoma.examples.image;

import io.github.dl4jgrpoma.examples.math.MathRewards;
import io.github.dl4jgrpoma.reward.CompositeReward;
import io.github.dl4jgrpoma.reward.RewardFunction;

/**
 * Rewards of the image tasks.
 * <ul>
 *   <li>{@code digit-sum}: the math reward ({@link MathRewards}): 1 for the exact sum ({@value #CORRECT}) plus
 *       {@code formatWeight} when the answer is a number.</li>
 *   <li>{@code locate}: {@value #IOU} = IoU of the answer's box with the true box (0 when the answer is not a box;
 *       a continuous reward as in the paper's detection task) plus {@code classWeight} when the thought is the
 *       digit's class ({@value #CLASS_REWARD}).</li>
 * </ul>
 */
public final class ImageRewards {
    /** Metadata key of the exact sum. */
    public static final String EXPECTED = "expected";
    /** Metadata key of the true box. */
    public static final String BOX = "box";
    /** Name of the exact-sum reward. */
    public static final String CORRECT = MathRewards.CORRECT;
    /** Name of the IoU reward. */
    public static final String IOU = "iou";
    /** Name of the class reward of locate. */
    public static final String CLASS_REWARD = "class";

    private ImageRewards() {
    }

    /** The reward of a task. */
    public static CompositeReward create(ImageTask task, double formatWeight, double classWeight) {
        if (task instanceof DigitSumTask) {
            return MathRewards.create(formatWeight);
        }
        return CompositeReward.builder()
                .add(RewardFunction.of(IOU, ctx -> iou(ctx.answer(), ctx.requireMetadata(BOX))), 1.0)
                .add(RewardFunction.of(CLASS_REWARD, ctx -> ctx.thought().equals(ctx.requireMetadata(LocateTask.CLASS)) ? 1.0 : 0.0),
                        classWeight)
                .build();
    }

    /** The reward that the trainer's {@code accuracy} metric reads. */
    public static String accuracyReward(ImageTask task) {
        return task instanceof DigitSumTask ? CORRECT : IOU;
    }

    /** IoU of an answer text with the true box text; 0 when the answer is not a box. */
    public static double iou(String answer, String truth) {
        int[] t = Boxes.parse(truth).orElseThrow(() -> new IllegalArgumentException("true box '" + truth + "' is malformed"));
        return Boxes.parse(answer).map(a -> Boxes.iou(a, t)).orElse(0.0);
    }
}
