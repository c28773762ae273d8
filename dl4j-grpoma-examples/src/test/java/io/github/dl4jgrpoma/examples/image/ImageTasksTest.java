package io.github.dl4jgrpoma.examples.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.SplittableRandom;

import io.github.dl4jgrpoma.multimodal.data.MnistImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageTasksTest {
    @TempDir
    Path dir;

    /** Generated 28x28 "digits": image i is a filled rectangle whose placement depends on i, label i % 10. */
    static MnistImages generated(Path dir, int n) throws IOException {
        byte[] px = new byte[n * 784];
        byte[] labels = new byte[n];
        Random r = new Random(5);
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            int r0 = 4 + r.nextInt(6);
            int c0 = 4 + r.nextInt(6);
            for (int y = r0; y < r0 + 12; y++) {
                for (int x = c0; x < c0 + 8; x++) {
                    px[i * 784 + y * 28 + x] = (byte) 200;
                }
            }
        }
        Path img = dir.resolve("img");
        Path lab = dir.resolve("lab");
        write(img, new int[] {n, 28, 28}, px);
        write(lab, new int[] {n}, labels);
        return MnistImages.read(img, lab, "none");
    }

    private static void write(Path f, int[] dims, byte[] values) throws IOException {
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(f))) {
            out.writeInt(0x0800 | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(values);
        }
    }

    @Test
    void digitSumTruthAndMistakes() throws IOException {
        MnistImages m = generated(dir, 30);
        DigitSumTask task = new DigitSumTask();
        SplittableRandom rng = new SplittableRandom(1);
        for (int t = 0; t < 50; t++) {
            ImageProblem clean = task.problem(m, rng, false, "train");
            String[] d = clean.truth(DigitSumTask.DIGITS).split(",");
            assertEquals(clean.truth(DigitSumTask.DIGITS), clean.thought());
            assertEquals(Integer.parseInt(d[0]) + Integer.parseInt(d[1]), Integer.parseInt(clean.answer()));
            assertEquals(clean.answer(), clean.truth(DigitSumTask.EXPECTED));
            ImageProblem wrong = task.problem(m, rng, true, "train");
            String[] truth = wrong.truth(DigitSumTask.DIGITS).split(",");
            String[] read = wrong.thought().split(",");
            int differ = (truth[0].equals(read[0]) ? 0 : 1) + (truth[1].equals(read[1]) ? 0 : 1);
            assertEquals(1, differ, wrong.toString());
            assertEquals(Integer.parseInt(read[0]) + Integer.parseInt(read[1]), Integer.parseInt(wrong.answer()));
            assertTrue(wrong.id().startsWith("train-digit-sum-"));
        }
    }

    @Test
    void locateBoxCoversTheInkAndMistakesChangeOneThing() throws IOException {
        MnistImages m = generated(dir, 20);
        LocateTask task = new LocateTask();
        SplittableRandom rng = new SplittableRandom(2);
        for (int t = 0; t < 50; t++) {
            ImageProblem p = task.problem(m, rng, false, "test");
            int[] box = Boxes.parse(p.answer()).orElseThrow();
            for (int y = 0; y < 56; y++) {
                for (int x = 0; x < 56; x++) {
                    boolean ink = p.pixels()[y * 56 + x] >= 128 / 255f;
                    boolean inside = x / 8 >= box[0] && x / 8 <= box[2] && y / 8 >= box[1] && y / 8 <= box[3];
                    assertTrue(!ink || inside, "ink outside the box at " + x + "," + y);
                }
            }
            assertEquals(1.0, ImageRewards.iou(p.answer(), p.truth(LocateTask.BOX)));
            ImageProblem w = task.problem(m, rng, true, "test");
            boolean classWrong = !w.thought().equals(w.truth(LocateTask.CLASS));
            boolean boxWrong = !w.answer().equals(w.truth(LocateTask.BOX));
            assertTrue(classWrong || boxWrong || w.truth(LocateTask.BOX).matches("0,.*|.*,6,.*|.*,6"), w.toString());
            assertTrue(!(classWrong && boxWrong), w.toString());
        }
    }

    @Test
    void boxIouAndParsing() {
        assertEquals(1.0, Boxes.iou(new int[] {1, 1, 2, 2}, new int[] {1, 1, 2, 2}));
        assertEquals(1.0 / 7.0, Boxes.iou(new int[] {0, 0, 1, 1}, new int[] {1, 1, 2, 2}), 1e-12);  // 1 / (4 + 4 - 1)
        assertEquals(0.0, Boxes.iou(new int[] {0, 0, 0, 0}, new int[] {2, 2, 3, 3}));
        assertTrue(Boxes.parse("1,2,3").isEmpty());
        assertTrue(Boxes.parse("3,2,1,4").isEmpty());
        assertTrue(Boxes.parse("1,,3,4").isEmpty());
        assertEquals(0.0, ImageRewards.iou("junk", "1,1,2,2"));
        assertNotEquals(0.0, ImageRewards.iou("1,1,3,3", "1,1,2,2"));
    }

    @Test
    void asciiArtShowsInk() {
        float[] px = new float[4 * 3];
        px[4] = 1f;
        assertEquals(" @ " + System.lineSeparator() + "   " + System.lineSeparator(), Canvas.ascii(px, 4, 3));
    }
}
