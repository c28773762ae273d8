package io.github.dl4jgrpoma.examples.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {

    @Test
    void writesAReadablePngWithTheSeriesDrawn(@TempDir Path dir) throws Exception {
        System.setProperty("java.awt.headless", "true");
        LinePlot plot = new LinePlot("reward", "step", "mean reward")
                .add("T4A4", new double[] {1, 2, 3, Double.NaN}, new double[] {0.1, 0.5, 0.9, 1.0});
        assertEquals(3, plot.points("T4A4"), "non-finite points are skipped");
        Path png = dir.resolve("sub/reward.png");
        plot.writePng(png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(800, img.getWidth());
        assertEquals(450, img.getHeight());
        // the first palette colour (the series) appears somewhere inside the plot area
        int blue = new java.awt.Color(31, 119, 180).getRGB();
        boolean found = false;
        for (int x = 70; x < 780 && !found; x++) {
            for (int y = 40; y < 400 && !found; y++) {
                found = img.getRGB(x, y) == blue;
            }
        }
        assertTrue(found, "series colour drawn");
        assertThrows(IllegalArgumentException.class, () -> plot.add("bad", new double[] {1}, new double[] {1, 2}));
    }
}
