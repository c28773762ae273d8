package io.github.dl4jgrpoma.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import io.github.dl4jgrpoma.checkpoint.AtomicFiles;

/**
 * A small line chart written as PNG with Java2D (headless): named series of (x, y) points, axes with
 * ticks, a legend. Non-finite points are skipped. Enough for training curves without a plotting library.
 */
public final class LinePlot {
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
    };

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds (or extends) a series; x and y must have the same length. Returns this. */
    public LinePlot add(String name, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " points, y has " + y.length);
        }
        List<double[]> pts = series.computeIfAbsent(name, k -> new ArrayList<>());
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                pts.add(new double[] {x[i], y[i]});
            }
        }
        return this;
    }

    /** Number of finite points of a series (0 if absent). */
    public int points(String name) {
        return series.getOrDefault(name, List.of()).size();
    }

    /** Renders to an image of the given size. */
    public BufferedImage render(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            FontMetrics fm = g.getFontMetrics();
            int left = 70;
            int right = 20;
            int top = 40;
            int bottom = 50;
            int pw = width - left - right;
            int ph = height - top - bottom;
            double[] r = range();
            double x0 = r[0];
            double x1 = r[1];
            double y0 = r[2];
            double y1 = r[3];
            g.setColor(Color.BLACK);
            g.setFont(g.getFont().deriveFont(Font.BOLD, 14f));
            g.drawString(title, left, 24);
            g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
            g.drawRect(left, top, pw, ph);
            for (int i = 0; i <= 5; i++) {
                double yv = y0 + (y1 - y0) * i / 5;
                int py = top + ph - (int) Math.round(ph * (double) i / 5);
                g.setColor(new Color(230, 230, 230));
                g.drawLine(left + 1, py, left + pw - 1, py);
                g.setColor(Color.BLACK);
                String s = fmt(yv);
                g.drawString(s, left - 6 - fm.stringWidth(s), py + 4);
                double xv = x0 + (x1 - x0) * i / 5;
                int px = left + (int) Math.round(pw * (double) i / 5);
                String xs = fmt(xv);
                g.drawString(xs, px - fm.stringWidth(xs) / 2, top + ph + 16);
            }
            g.drawString(xLabel, left + pw / 2 - fm.stringWidth(xLabel) / 2, height - 12);
            Graphics2D gy = (Graphics2D) g.create();
            gy.rotate(-Math.PI / 2);
            gy.drawString(yLabel, -(top + ph / 2 + fm.stringWidth(yLabel) / 2), 16);
            gy.dispose();
            int idx = 0;
            int legendY = top + 16;
            int legendW = 0;
            for (String name : series.keySet()) {
                legendW = Math.max(legendW, fm.stringWidth(name));
            }
            int legendX = left + pw - legendW - 30;
            for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
                Color c = PALETTE[idx++ % PALETTE.length];
                g.setColor(c);
                g.setStroke(new BasicStroke(1.8f));
                int[] prev = null;
                for (double[] p : e.getValue()) {
                    int px = left + (int) Math.round((p[0] - x0) / (x1 - x0) * pw);
                    int py = top + ph - (int) Math.round((p[1] - y0) / (y1 - y0) * ph);
                    if (prev != null) {
                        g.drawLine(prev[0], prev[1], px, py);
                    }
                    if (e.getValue().size() < 40) {
                        g.fillOval(px - 2, py - 2, 5, 5);
                    }
                    prev = new int[] {px, py};
                }
                g.fillRect(legendX, legendY - 9, 12, 10);
                g.setColor(Color.BLACK);
                g.drawString(e.getKey(), legendX + 18, legendY);
                legendY += 16;
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Writes an 800x450 PNG atomically ({@link AtomicFiles#write}: temporary file, then rename; umask permissions). */
    public void writePng(Path file) throws IOException {
        BufferedImage img = render(800, 450);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(img, "png", out)) {
                throw new IOException("no PNG writer available in this JVM");
            }
        });
    }

    private double[] range() {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
            }
        }
        if (x0 > x1) {
            return new double[] {0, 1, 0, 1};
        }
        if (x1 - x0 < 1e-12) {
            x0 -= 0.5;
            x1 += 0.5;
        }
        double pad = (y1 - y0) < 1e-12 ? Math.max(0.5, Math.abs(y0) * 0.1) : (y1 - y0) * 0.05;
        return new double[] {x0, x1, y0 - pad, y1 + pad};
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.1e", v);
        }
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
